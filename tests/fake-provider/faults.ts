// Which fault a request meets, and how a fault bends an otherwise good answer.
import { proseSubject, sentence } from './prose.ts';
import { randomFrom, type Random } from './random.ts';
import { resolveSchema, type JsonSchema } from './schema-answer.ts';
import type { FakeProviderOptions } from './types.ts';

export type Fault = '429' | '5xx' | '408' | 'hang' | 'reset' | 'malformed' | 'schemaViolation' | 'truncation' | 'arrayErrorBody' | 'overlong';

const FAULT_RATES: ReadonlyArray<readonly [Fault, keyof FakeProviderOptions]> = [
  ['429', 'rate429'],
  ['5xx', 'rate5xx'],
  ['408', 'rate408'],
  ['hang', 'rateHang'],
  ['reset', 'rateReset'],
  ['malformed', 'rateMalformed'],
  ['schemaViolation', 'rateSchemaViolation'],
  ['truncation', 'rateTruncation'],
  ['arrayErrorBody', 'rateArrayErrorBody'],
  ['overlong', 'rateOverlong'],
];

export interface Roll {
  fault: Fault | undefined;
  /** Further choices for this request (which 5xx, latency), from the same seed. */
  random: Random;
}

/** One roll per request, from (seed, body, how many times this body was seen): retries may succeed, runs repeat. */
export function rollFault(options: FakeProviderOptions, key: string, attempt: number): Roll {
  const random = randomFrom('fault', options.seed ?? 0, key, attempt);
  const u = random.next();
  let threshold = 0;
  for (const [fault, option] of FAULT_RATES) {
    const rate = options[option];
    threshold += typeof rate === 'number' && rate > 0 ? Math.min(1, rate) : 0;
    if (u < threshold) return { fault, random };
  }
  return { fault: undefined, random };
}

/** Latency around the mean: mean * (1 + jitter * z), z roughly normal, never negative. */
export function latencyFor(options: FakeProviderOptions, random: Random): number {
  const mean = options.latencyMs ?? 0;
  if (mean <= 0) return 0;
  const jitter = options.latencyJitter ?? 0.3;
  const z = (random.next() + random.next() + random.next() - 1.5) * 2;
  return Math.max(0, Math.round(mean * (1 + jitter * z)));
}

/** Content cut inside a JSON string (or mid-word for plain text), as a model stopped by max_tokens. */
export function truncateContent(content: string): string {
  const strings: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i < content.length; i++) {
    const ch = content[i];
    if (start >= 0 && ch === '\\') i++;
    else if (ch === '"') {
      if (start < 0) start = i;
      else {
        strings.push([start, i]);
        start = -1;
      }
    }
  }
  const longest = strings.reduce<[number, number] | undefined>((best, s) => (!best || s[1] - s[0] > best[1] - best[0] ? s : best), undefined);
  if (longest && longest[1] - longest[0] > 2) {
    let at = Math.floor((longest[0] + longest[1]) / 2);
    while (at > longest[0] + 1 && content[at - 1] === '\\') at--;
    return content.slice(0, at);
  }
  return content.slice(0, Math.max(1, Math.floor(content.length * 0.6)));
}

/** Valid JSON that breaks the schema: a required key removed, else a value of the wrong type. */
export function violateSchema(json: unknown, schema: JsonSchema | undefined, random: Random): string {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const resolved = schema === undefined ? {} : resolveSchema(schema, schema);
    const required = (Array.isArray(resolved.required) ? (resolved.required as string[]) : Object.keys(json)).filter((k) => k in json);
    if (required.length > 0) {
      const copy = { ...(json as Record<string, unknown>) };
      delete copy[random.pick(required)];
      return JSON.stringify(copy);
    }
    return JSON.stringify([json]);
  }
  if (typeof json === 'string') return JSON.stringify({ value: json });
  return JSON.stringify('a string where the schema asks for something else');
}

/** About a hundred times more text than `max_tokens` allows (JSON stays valid: its longest string grows). */
export function overlongContent(content: string, json: unknown, maxTokens: number | undefined, material: string | undefined, random: Random): string {
  const target = Math.min(8_000_000, (maxTokens ?? 1000) * 4 * 100);
  const subject = proseSubject(material);
  const pool = Array.from({ length: 24 }, () => sentence(random, subject));
  const filler = (length: number) => {
    const parts: string[] = [];
    let total = 0;
    for (let i = 0; total < length; i++) {
      const s = pool[i % pool.length]!;
      parts.push(s);
      total += s.length + 1;
    }
    return parts.join(' ');
  };
  if (typeof json === 'object' && json !== null) {
    const copy = structuredClone(json) as Record<string, unknown>;
    const slot = longestString(copy);
    if (slot) {
      slot.parent[slot.key] = `${slot.parent[slot.key] as string} ${filler(target - content.length)}`;
      return JSON.stringify(copy);
    }
  }
  return `${content} ${filler(target - content.length)}`;
}

function longestString(node: unknown): { parent: Record<string, unknown>; key: string } | undefined {
  let best: { parent: Record<string, unknown>; key: string; length: number } | undefined;
  const visit = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'string' && (!best || child.length > best.length)) best = { parent: value as Record<string, unknown>, key, length: child.length };
      else visit(child);
    }
  };
  visit(node);
  return best;
}

/** A 200 body that is not JSON: a cut-off completion or a proxy's HTML page. */
export function malformedBody(goodBody: string, random: Random): string {
  return random.chance(0.5)
    ? goodBody.slice(0, Math.max(1, Math.floor(goodBody.length * 0.55)))
    : '<html><head><title>Bad Gateway</title></head><body><h1>Upstream returned an invalid response</h1></body></html>';
}
