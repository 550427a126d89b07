// The local fake OpenAI-compatible provider, exercised over HTTP with the real openai client.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import OpenAI, { APIConnectionError, APIError, APIUserAbortError, AuthenticationError, NotFoundError, RateLimitError, toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakeProvider, type FakeProvider, type FakeProviderOptions } from '../fake-provider/server.ts';

const MODEL = 'fake-chat';
const KEY = 'sk-test-fake-provider-key';

const started: FakeProvider[] = [];
async function provider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const p = await startFakeProvider(options);
  started.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.close()));
});

function clientFor(p: FakeProvider, apiKey = KEY): OpenAI {
  return new OpenAI({ apiKey, baseURL: p.url, maxRetries: 0 });
}

/** Polls a condition (no fixed sleeps): resolves as soon as it holds, fails after `timeoutMs`. */
async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function jsonSchemaFormat(schema: z.ZodType, name = 'answer') {
  return { type: 'json_schema' as const, json_schema: { name, schema: z.toJSONSchema(schema) as Record<string, unknown>, strict: true } };
}

function messages(component: string, material: string, system = 'You write concise, factual content about laser cleaning.') {
  return [
    { role: 'system' as const, content: system },
    { role: 'user' as const, content: `Component: ${component}\nMaterial: ${material}\nWrite the ${component} for ${material}.` },
  ];
}

async function ask(client: OpenAI, component: string, material: string, schema?: z.ZodType, extra: Record<string, unknown> = {}) {
  return client.chat.completions.create({
    model: MODEL,
    messages: messages(component, material),
    ...(schema ? { response_format: jsonSchemaFormat(schema) } : {}),
    ...extra,
  } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
}

/** Word 5-gram overlap of two texts (material names removed): 0 unrelated, 1 identical. */
function similarity(a: string, b: string, names: string[]): number {
  const grams = (text: string) => {
    let t = text;
    for (const n of names) t = t.split(n).join(' ');
    const words = t.toLowerCase().replace(/[^a-z]+/g, ' ').split(' ').filter(Boolean);
    const out = new Set<string>();
    for (let i = 0; i + 5 <= words.length; i++) out.add(words.slice(i, i + 5).join(' '));
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return shared / (ga.size + gb.size - shared || 1);
}

function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allStrings);
  return [];
}

const line = (min: number, max: number) => z.string().trim().min(min).max(max).regex(/^[^\n<>]*$/);
const tag = z.string().min(2).max(40).regex(/^[a-z][a-z0-9 -]*$/);

const SCHEMAS = {
  overview: z.strictObject({
    title: line(10, 70),
    summary: line(80, 160),
    body: z.string().min(2500).max(6000),
    tags: z.array(tag).min(3).max(8),
    audience: z.enum(['engineers', 'buyers', 'conservators']),
  }),
  faq: z.strictObject({
    items: z
      .array(z.strictObject({ question: z.string().min(15).max(140), answer: line(60, 400), level: z.enum(['basic', 'advanced']).nullable() }))
      .min(3)
      .max(5),
    keywords: z.array(z.string().regex(/^[a-z]+(?: [a-z]+)*$/)).min(5).max(5),
  }),
  settings: z.strictObject({
    slug: z.string().regex(/^[a-z0-9-]+$/),
    passes: z.number().int().min(1).max(4),
    overlap: z.number().gt(0).lt(1),
    steps: z.array(line(20, 200)).min(2).max(3),
    pair: z.tuple([z.string().min(3), z.boolean()]),
    notes: z.record(z.string(), z.string().max(120)),
    caption: z.string().min(10).max(20),
    optionalNote: z.string().max(80).optional(),
    image: z.union([z.strictObject({ src: z.string(), alt: z.string().min(10).max(160) }), z.null()]),
  }),
} satisfies Record<string, z.ZodType>;

describe('fake provider: answers', () => {
  let p: FakeProvider;
  let client: OpenAI;
  beforeAll(async () => {
    p = await startFakeProvider({ seed: 11 });
    client = clientFor(p);
  });
  afterAll(async () => {
    await p.close();
  });

  it('lists models and tags every response with a request id', async () => {
    const response = await fetch(`${p.url}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]+$/);
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toContain(MODEL);
    const missing = await fetch(`${p.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('answers JSON schemas converted from the project schemas (nested objects, bounded arrays, enums, long strings) with valid JSON', async () => {
    for (const material of ['Aluminum', 'Carrara Marble', 'Oak', 'Carbon Fiber Reinforced Polymer']) {
      for (const [component, schema] of Object.entries(SCHEMAS)) {
        const completion = await ask(client, component, material, schema);
        const content = completion.choices[0]!.message.content!;
        const parsed = schema.safeParse(JSON.parse(content));
        expect(parsed.success, `${component} for ${material}: ${parsed.error?.message}`).toBe(true);
        expect(completion.choices[0]!.finish_reason).toBe('stop');
        expect(completion.object).toBe('chat.completion');
        expect(completion.model).toBe(MODEL);
      }
    }
    const overview = SCHEMAS.overview.parse(JSON.parse((await ask(client, 'overview', 'Aluminum', SCHEMAS.overview)).choices[0]!.message.content!));
    // A long body is Markdown: several paragraphs and a few headings.
    expect(overview.body.split('\n\n').length).toBeGreaterThanOrEqual(4);
    expect(overview.body.match(/^## \S/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(new Set(overview.tags).size).toBe(overview.tags.length);
    expect(overview.summary).toContain('Aluminum');
    const faq = SCHEMAS.faq.parse(JSON.parse((await ask(client, 'faq', 'Aluminum', SCHEMAS.faq)).choices[0]!.message.content!));
    // Items of one array do not repeat each other.
    expect(new Set(faq.items.map((i) => i.question)).size).toBe(faq.items.length);
    expect(new Set(faq.items.map((i) => i.answer)).size).toBe(faq.items.length);
    expect(faq.items.every((i) => i.question.endsWith('?'))).toBe(true);
  });

  it('honours word limits stated in a field description', async () => {
    const words = (t: string) => t.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const schema = z.strictObject({
      points: z
        .array(line(20, 400).refine((t) => words(t) <= 15).meta({ description: 'one sentence, at most 15 words' }))
        .min(4)
        .max(4),
      article: z
        .string()
        .min(1500)
        .max(9000)
        .refine((t) => words(t) >= 450 && words(t) <= 600)
        .meta({ description: 'Markdown article of 450 to 600 words' }),
    });
    for (const material of ['Basalt', 'Teak', 'Silicon Carbide']) {
      const parsed = schema.safeParse(JSON.parse((await ask(client, 'points', material, schema)).choices[0]!.message.content!));
      expect(parsed.success, parsed.error?.message).toBe(true);
    }
  });

  it('resolves $ref/$defs and recursive schemas', async () => {
    const part = z.strictObject({ name: z.string().min(3).max(60), note: z.string().max(200) });
    type Tree = { label: string; children: Tree[] };
    const tree: z.ZodType<Tree> = z.strictObject({ label: z.string().min(3), get children() { return z.array(tree).max(2); } });
    const schema = z.strictObject({ first: part, second: part, tree });
    const raw = z.toJSONSchema(schema, { reused: 'ref' }) as Record<string, unknown>;
    expect(JSON.stringify(raw)).toContain('$ref');
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: messages('parts', 'Copper'),
      response_format: { type: 'json_schema', json_schema: { name: 'parts', schema: raw, strict: true } },
    });
    expect(schema.safeParse(JSON.parse(completion.choices[0]!.message.content!)).success).toBe(true);
  });

  it('is deterministic: the same request gets the same content, another seed other content', async () => {
    const a = await ask(client, 'overview', 'Titanium', SCHEMAS.overview);
    const b = await ask(client, 'overview', 'Titanium', SCHEMAS.overview);
    expect(b.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(b.id).not.toBe(a.id);

    const same = await provider({ seed: 11 });
    const other = await provider({ seed: 12 });
    const fromSame = await ask(clientFor(same), 'overview', 'Titanium', SCHEMAS.overview);
    const fromOther = await ask(clientFor(other), 'overview', 'Titanium', SCHEMAS.overview);
    expect(fromSame.choices[0]!.message.content).toBe(a.choices[0]!.message.content);
    expect(fromOther.choices[0]!.message.content).not.toBe(a.choices[0]!.message.content);
  });

  it('writes clearly different, digit-free prose for different materials', async () => {
    const materials = ['Aluminum', 'Copper', 'Brass', 'Stainless Steel', 'Nickel'];
    const bodies: string[] = [];
    for (const material of materials) {
      const completion = await ask(client, 'overview', material, SCHEMAS.overview);
      const answer = SCHEMAS.overview.parse(JSON.parse(completion.choices[0]!.message.content!));
      for (const text of allStrings(answer)) {
        expect(text, text).not.toMatch(/\d/);
        expect(text).not.toMatch(/lorem|ipsum|todo|\{|\}|as an ai|here is/i);
      }
      expect(answer.body).toContain(material);
      bodies.push(answer.body);
    }
    for (let i = 0; i < bodies.length; i++) {
      for (let j = i + 1; j < bodies.length; j++) {
        expect(bodies[i]).not.toBe(bodies[j]);
        expect(similarity(bodies[i]!, bodies[j]!, materials)).toBeLessThan(0.3);
      }
    }
  });

  it('takes the schema from the first fenced json block that is a schema in json_object mode', async () => {
    const schema = z.strictObject({ headline: z.string().min(10).max(80), points: z.array(z.string().min(20).max(200)).min(2).max(4) });
    const system = [
      'Answer with one JSON object.',
      'An example of the shape (not the schema):',
      '```json\n{ "headline": "Example", "points": ["one", "two"] }\n```',
      'The JSON Schema the answer must satisfy:',
      '```json\n' + JSON.stringify(z.toJSONSchema(schema), null, 2) + '\n```',
    ].join('\n');
    const completion = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: messages('highlights', 'Granite', system),
      response_format: { type: 'json_object' },
    });
    const parsed = schema.safeParse(JSON.parse(completion.choices[0]!.message.content!));
    expect(parsed.success, parsed.error?.message).toBe(true);
    expect(parsed.data!.headline).toContain('Granite');
  });

  it('answers a plain-text sentence without a response format', async () => {
    const completion = await ask(client, 'note', 'Walnut');
    const content = completion.choices[0]!.message.content!;
    expect(() => JSON.parse(content)).toThrow();
    expect(content).toMatch(/^[A-Z].*[.?]$/);
    expect(content).toContain('Walnut');
  });

  it('streams the same content as server-sent events, with usage when asked', async () => {
    const body = { model: MODEL, messages: messages('faq', 'Zinc'), response_format: jsonSchemaFormat(SCHEMAS.faq) };
    const plain = await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(plain.usage!.completion_tokens);
  });
});

describe('fake provider: usage and stats', () => {
  it('reports usage, simulates prompt caching and sums successful answers in stats', async () => {
    const p = await provider({ seed: 5 });
    const client = clientFor(p);
    const system = 'Rules for writing about laser cleaning. '.repeat(130); // over 1024 tokens
    const usages: OpenAI.CompletionUsage[] = [];
    for (const material of ['Aluminum', 'Copper', 'Aluminum']) {
      const completion = await client.chat.completions.create({ model: MODEL, messages: messages('overview', material, system), response_format: jsonSchemaFormat(SCHEMAS.overview) });
      const usage = completion.usage!;
      expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
      expect(usage.completion_tokens).toBe(Math.ceil(completion.choices[0]!.message.content!.length / 4));
      const deepseek = usage as unknown as { prompt_cache_hit_tokens: number; prompt_cache_miss_tokens: number };
      expect(deepseek.prompt_cache_hit_tokens + deepseek.prompt_cache_miss_tokens).toBe(usage.prompt_tokens);
      usages.push(usage);
    }
    const systemTokens = Math.ceil(system.length / 4);
    expect(systemTokens).toBeGreaterThanOrEqual(1024);
    expect(usages[0]!.prompt_tokens_details!.cached_tokens).toBe(0);
    expect(usages[1]!.prompt_tokens_details!.cached_tokens).toBe(Math.floor(systemTokens / 128) * 128);
    expect(usages[2]!.prompt_tokens_details!.cached_tokens! % 128).toBe(0);

    // A short system prompt is never cached.
    usages.push((await ask(client, 'note', 'Tin')).usage!);
    const short = await ask(client, 'note', 'Lead');
    expect(short.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    usages.push(short.usage!);

    // A faulted request counts as a request and a fault, not as an answer or tokens.
    p.setOptions({ rate429: 1 });
    await expect(ask(client, 'note', 'Iron')).rejects.toBeInstanceOf(RateLimitError);
    p.setOptions({ rate429: 0 });
    expect(p.stats.requests).toBe(6);
    expect(p.stats.succeeded).toBe(5);
    expect(p.stats.faults).toEqual({ '429': 1 });
    const sum = (pick: (u: OpenAI.CompletionUsage) => number) => usages.reduce((total, u) => total + pick(u), 0);
    expect(p.stats.promptTokens).toBe(sum((u) => u.prompt_tokens));
    expect(p.stats.completionTokens).toBe(sum((u) => u.completion_tokens));
    expect(p.stats.cachedTokens).toBe(sum((u) => u.prompt_tokens_details!.cached_tokens!));
    expect(p.stats.cachedTokens).toBeGreaterThan(0);
    expect(p.stats.byMaterial).toEqual({ Aluminum: 2, Copper: 1, Tin: 1, Lead: 1 });
    expect(p.stats.byComponent).toEqual({ overview: 3, note: 2 });
    // Aluminum's overview was asked twice with the same body: one duplicate call.
    expect(p.stats.duplicateAnswers).toBe(1);
    expect(p.stats.authorizationHeaders).toEqual(new Set([`Bearer ${KEY}`]));

    p.reset();
    expect(p.stats.requests).toBe(0);
    expect(p.stats.byMaterial).toEqual({});
    expect(p.stats.authorizationHeaders.size).toBe(0);
  });

  it('counts peak concurrency and adds the configured latency', async () => {
    // The hook holds every answer until all four requests are in flight: no timing assumptions.
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    const p = await provider({
      respond: async () => {
        if (++arrived === 4) release();
        await barrier;
        return undefined;
      },
    });
    const client = clientFor(p);
    await Promise.all(['Aluminum', 'Copper', 'Zinc', 'Tin'].map((m) => ask(client, 'note', m)));
    expect(p.stats.maxInFlight).toBe(4);
    expect(p.stats.inFlight).toBe(0);

    p.setOptions({ respond: undefined, latencyMs: 150, latencyJitter: 0 });
    const t0 = performance.now();
    await ask(client, 'note', 'Lead');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('adds latency per completion token when asked, so a longer answer takes longer', async () => {
    const p = await provider({ latencyMs: 0, latencyPerToken: 20 });
    const client = clientFor(p);
    const t0 = performance.now();
    const answer = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Write a note about Nickel.' }] });
    const tokens = answer.usage!.completion_tokens;
    expect(tokens).toBeGreaterThan(3);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(tokens * 20 - 10);
  });

  it('calls the respond hook with component, material, attempt and schema, and sends what it returns', async () => {
    const seen: Array<{ component?: string; material?: string; attempt: number; hasSchema: boolean }> = [];
    const p = await provider({
      respond: (ctx) => {
        seen.push({ component: ctx.component, material: ctx.material, attempt: ctx.attempt, hasSchema: ctx.schema !== undefined });
        if (ctx.component === 'raw') return 'not json at all';
        if (ctx.component === 'fixed') return { headline: `Fixed ${ctx.material}` };
        return undefined;
      },
    });
    const client = clientFor(p);
    expect((await ask(client, 'raw', 'Oak')).choices[0]!.message.content).toBe('not json at all');
    const fixed = await ask(client, 'fixed', 'Oak', z.object({ headline: z.string() }));
    expect(JSON.parse(fixed.choices[0]!.message.content!)).toEqual({ headline: 'Fixed Oak' });
    await ask(client, 'fixed', 'Oak', z.object({ headline: z.string() }));
    const fallback = await ask(client, 'faq', 'Oak', SCHEMAS.faq);
    expect(SCHEMAS.faq.safeParse(JSON.parse(fallback.choices[0]!.message.content!)).success).toBe(true);
    expect(seen).toEqual([
      { component: 'raw', material: 'Oak', attempt: 1, hasSchema: false },
      { component: 'fixed', material: 'Oak', attempt: 1, hasSchema: true },
      { component: 'fixed', material: 'Oak', attempt: 2, hasSchema: true },
      { component: 'faq', material: 'Oak', attempt: 1, hasSchema: true },
    ]);
  });
});

describe('fake provider: errors and faults', () => {
  it('rejects a wrong key with 401 and records which key was sent', async () => {
    const p = await provider({ apiKey: KEY });
    const error = await ask(clientFor(p, 'sk-test-wrong'), 'note', 'Oak').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
    expect((error as AuthenticationError).code).toBe('invalid_api_key');
    expect((error as AuthenticationError).message).not.toContain('sk-test-wrong');
    await expect(ask(clientFor(p), 'note', 'Oak')).resolves.toMatchObject({ object: 'chat.completion' });
    expect(p.stats.authorizationHeaders).toEqual(new Set(['Bearer sk-test-wrong', `Bearer ${KEY}`]));
    expect(p.stats.faults['401']).toBe(1);
  });

  it('fails every request in authFailure mode, and echoes headers into error bodies when asked', async () => {
    const p = await provider({ authFailure: 403, echoRequestInErrors: true });
    const error = await ask(clientFor(p), 'note', 'Oak').catch((e: unknown) => e);
    expect((error as APIError).status).toBe(403);
    // The echo mode exists so that client tests can check that errors are never logged raw.
    expect((error as APIError).message).toContain(KEY);
    await expect(clientFor(p).models.list()).rejects.toMatchObject({ status: 403 });
  });

  it('answers 404 model_not_found for unknown models', async () => {
    const p = await provider({ knownModels: [MODEL] });
    const client = clientFor(p);
    expect((await client.models.list()).data.map((m) => m.id)).toEqual([MODEL]);
    const error = await client.chat.completions.create({ model: 'no-such-model', messages: messages('note', 'Oak') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe('model_not_found');
    p.setOptions({ knownModels: undefined, unknownModels: ['retired-model'] });
    await expect(client.chat.completions.create({ model: 'retired-model', messages: messages('note', 'Oak') })).rejects.toBeInstanceOf(NotFoundError);
    await expect(ask(client, 'note', 'Oak')).resolves.toMatchObject({ model: MODEL });
  });

  it('sends 429 with retry-after-ms and retry-after', async () => {
    const p = await provider({ rate429: 1, retryAfterMs: 1500 });
    const error = await ask(clientFor(p), 'note', 'Oak').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const headers = (error as RateLimitError).headers!;
    expect(headers.get('retry-after-ms')).toBe('1500');
    expect(headers.get('retry-after')).toBe('2');
    expect(headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('enforces a sliding requests-per-minute limit with rate-limit headers', async () => {
    const p = await provider({ requestsPerMinute: 2, tokensPerMinute: 1_000_000 });
    const client = clientFor(p);
    const { response } = await client.chat.completions.create({ model: MODEL, messages: messages('note', 'Oak') }).withResponse();
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+m)?\d+(\.\d+)?(ms|s)$/);
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1_000_000);
    await ask(client, 'note', 'Elm');
    const error = await ask(client, 'note', 'Ash').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const wait = Number((error as RateLimitError).headers!.get('retry-after-ms'));
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(p.stats.faults.rateLimitRequests).toBe(1);
  });

  it('enforces a tokens-per-minute limit', async () => {
    const p = await provider({ tokensPerMinute: 250 });
    const client = clientFor(p);
    await ask(client, 'note', 'Oak', undefined, { max_tokens: 200 });
    const error = await ask(client, 'note', 'Elm', undefined, { max_tokens: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(Number((error as RateLimitError).headers!.get('retry-after-ms'))).toBeGreaterThan(0);
    expect(p.stats.faults.rateLimitTokens).toBe(1);
  });

  it('chooses faults reproducibly from the seed and the retry count, so retries can succeed', async () => {
    const outcomes = async () => {
      const p = await provider({ seed: 42, rate5xx: 0.5 });
      const client = clientFor(p);
      const out: number[] = [];
      for (let i = 0; i < 10; i++) {
        out.push(await ask(client, 'note', 'Oak').then(() => 200, (e: APIError) => e.status ?? 0));
      }
      return out;
    };
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((s) => [500, 502, 503].includes(s))).toBe(true);
  });

  it('truncates: finish_reason length with content cut inside a string', async () => {
    const clean = await provider({ seed: 9 });
    const full = (await ask(clientFor(clean), 'faq', 'Oak', SCHEMAS.faq, { max_tokens: 900 })).choices[0]!.message.content!;
    const p = await provider({ seed: 9, rateTruncation: 1 });
    const completion = await ask(clientFor(p), 'faq', 'Oak', SCHEMAS.faq, { max_tokens: 900 });
    const content = completion.choices[0]!.message.content!;
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(() => JSON.parse(content)).toThrow();
    expect(full.startsWith(content)).toBe(true);
    expect(content.length).toBeLessThan(full.length);
    expect(completion.usage!.completion_tokens).toBe(900);
    expect(p.stats.succeeded).toBe(0);
    expect(p.stats.faults.truncation).toBe(1);
  });

  it('violates the schema with valid JSON when asked', async () => {
    const p = await provider({ rateSchemaViolation: 1 });
    const content = (await ask(clientFor(p), 'faq', 'Oak', SCHEMAS.faq)).choices[0]!.message.content!;
    const json = JSON.parse(content);
    expect(SCHEMAS.faq.safeParse(json).success).toBe(false);
  });

  it('sends content far longer than max_tokens allows', async () => {
    const p = await provider({ rateOverlong: 1 });
    const completion = await ask(clientFor(p), 'faq', 'Oak', SCHEMAS.faq, { max_tokens: 50 });
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThanOrEqual(50 * 4 * 100);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(50 * 50);
    expect(() => JSON.parse(completion.choices[0]!.message.content!)).not.toThrow();
  });

  it('sends malformed bodies, array error bodies and connection resets', async () => {
    const request = (url: string) =>
      fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: MODEL, messages: messages('note', 'Oak') }),
      });
    const malformed = await provider({ rateMalformed: 1 });
    const bad = await request(malformed.url);
    expect(bad.status).toBe(200);
    const badText = await bad.text();
    expect(() => JSON.parse(badText)).toThrow();
    await expect(ask(clientFor(malformed), 'note', 'Oak')).rejects.toThrow();

    const arrays = await provider({ rateArrayErrorBody: 1 });
    const arr = await request(arrays.url);
    expect([429, 500, 503]).toContain(arr.status);
    const arrBody: unknown = await arr.json();
    expect(Array.isArray(arrBody)).toBe(true);
    const error = await ask(clientFor(arrays), 'note', 'Oak').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);

    const resets = await provider({ rateReset: 1 });
    await expect(request(resets.url).then((r) => r.text())).rejects.toThrow();
    await expect(ask(clientFor(resets), 'note', 'Oak')).rejects.toThrow();
    expect(resets.stats.faults.reset).toBe(2);
    expect(resets.stats.succeeded).toBe(0);
  });

  it('hangs until the client aborts, and still closes promptly with a hung request open', async () => {
    const p = await startFakeProvider({ rateHang: 1 });
    try {
      const client = clientFor(p);
      const controller = new AbortController();
      const pending = ask(client, 'note', 'Oak', undefined, {}).then(undefined, (e: unknown) => e);
      const aborted = client.chat.completions
        .create({ model: MODEL, messages: messages('note', 'Elm') }, { signal: controller.signal })
        .then(undefined, (e: unknown) => e);
      await until(() => p.stats.faults.hang ?? 0, (n) => n === 2);
      controller.abort();
      expect(await aborted).toBeInstanceOf(APIUserAbortError);
      await until(() => p.stats.inFlight, (n) => n === 1);

      const t0 = performance.now();
      await p.close();
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(await pending).toBeInstanceOf(APIConnectionError);
      expect(p.stats.inFlight).toBe(0);
    } finally {
      await p.close();
    }
  });
});

describe('fake provider: Batch API', () => {
  const MATERIALS = ['Aluminum', 'Copper', 'Oak', 'Granite', 'Borosilicate Glass', 'Polycarbonate', 'Alumina', 'Brass'];
  const inputLine = (material: string) =>
    JSON.stringify({
      custom_id: `overview:${material.toLowerCase().replace(/\W+/g, '-')}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: MODEL, messages: messages('overview', material), response_format: jsonSchemaFormat(SCHEMAS.overview), max_tokens: 4000 },
    });

  async function submit(client: OpenAI, materials: string[]) {
    const text = materials.map(inputLine).join('\n') + '\n';
    const file = await client.files.create({ file: await toFile(Buffer.from(text), 'batch.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'batch.jsonl', bytes: Buffer.byteLength(text) });
    expect((await client.files.retrieve(file.id)).id).toBe(file.id);
    expect(await (await client.files.content(file.id)).text()).toBe(text);
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect(batch.status).toBe('validating');
    const finished = await until(
      () => client.batches.retrieve(batch.id),
      (b) => ['completed', 'expired', 'failed', 'cancelled'].includes(b.status),
    );
    return finished;
  }

  async function jsonl(client: OpenAI, fileId: string | null | undefined): Promise<Array<Record<string, any>>> {
    if (!fileId) return [];
    const text = await (await client.files.content(fileId)).text();
    return text.trim().split('\n').map((l) => JSON.parse(l));
  }

  it('round-trips a batch: upload, create, poll, download shuffled output joined by custom_id', async () => {
    const p = await provider({ seed: 3, batchCompletionDelayMs: 60 });
    const client = clientFor(p);
    const done = await submit(client, MATERIALS);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: MATERIALS.length, completed: MATERIALS.length, failed: 0 });
    expect(done.error_file_id ?? null).toBeNull();
    const output = await jsonl(client, done.output_file_id);
    const ids = MATERIALS.map((m) => JSON.parse(inputLine(m)).custom_id as string);
    expect(output.map((l) => l.custom_id)).not.toEqual(ids);
    expect(output.map((l) => l.custom_id).sort()).toEqual([...ids].sort());
    const byId = new Map(output.map((l) => [l.custom_id as string, l]));
    for (const material of MATERIALS) {
      const lineOut = byId.get(JSON.parse(inputLine(material)).custom_id)!;
      expect(lineOut.error).toBeNull();
      expect(lineOut.response.status_code).toBe(200);
      expect(lineOut.response.request_id).toMatch(/^req_/);
      const answer = SCHEMAS.overview.parse(JSON.parse(lineOut.response.body.choices[0].message.content));
      expect(answer.body).toContain(material);
    }
    // A batch line is answered exactly like the same chat request.
    const direct = await client.chat.completions.create(JSON.parse(inputLine('Oak')).body);
    expect(byId.get('overview:oak')!.response.body.choices[0].message.content).toBe(direct.choices[0]!.message.content);
    expect(p.stats).toMatchObject({ batchesCreated: 1, filesUploaded: 1, batchLines: MATERIALS.length, batchLinesSucceeded: MATERIALS.length });
    expect(p.stats.byMaterial.Oak).toBe(2);
    expect(done.usage!.input_tokens).toBeGreaterThan(0);
  });

  it('writes per-line errors to the error file and keeps request counts right', async () => {
    const p = await provider({ seed: 4, batchCompletionDelayMs: 40, batchLineErrorRate: 0.4 });
    const client = clientFor(p);
    const materials = [...MATERIALS, 'Walnut', 'Slate', 'Nylon', 'Porcelain'];
    const done = await submit(client, materials);
    expect(done.status).toBe('completed');
    const output = await jsonl(client, done.output_file_id);
    const errors = await jsonl(client, done.error_file_id);
    expect(errors.length).toBeGreaterThan(0);
    expect(output.length).toBeGreaterThan(0);
    expect(done.request_counts).toEqual({ total: materials.length, completed: output.length, failed: errors.length });
    for (const e of errors) {
      expect(typeof e.custom_id).toBe('string');
      expect(typeof e.error.code).toBe('string');
      expect(typeof e.error.message).toBe('string');
      expect(e.response === null || e.response.status_code !== 200).toBe(true);
    }
    const all = [...output, ...errors].map((l) => l.custom_id).sort();
    expect(all).toEqual(materials.map((m) => JSON.parse(inputLine(m)).custom_id).sort());
  });

  it('expires batches with the completed part in the output file, and cancels on request', async () => {
    const p = await provider({ batchCompletionDelayMs: 40, batchExpire: true });
    const client = clientFor(p);
    const done = await submit(client, MATERIALS);
    expect(done.status).toBe('expired');
    const output = await jsonl(client, done.output_file_id);
    const errors = await jsonl(client, done.error_file_id);
    expect(output.length).toBe(MATERIALS.length / 2);
    expect(errors.every((e) => e.error.code === 'batch_expired')).toBe(true);
    expect(done.request_counts).toEqual({ total: MATERIALS.length, completed: output.length, failed: errors.length });

    p.setOptions({ batchCompletionDelayMs: 60_000, batchExpire: false });
    const file = await client.files.create({ file: await toFile(Buffer.from(inputLine('Oak')), 'one.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    expect((await client.batches.cancel(batch.id)).status).toBe('cancelling');
    const cancelled = await until(() => client.batches.retrieve(batch.id), (b) => b.status === 'cancelled');
    expect(cancelled.cancelled_at).toBeGreaterThan(0);
  });

  it('fails validation for bad input lines', async () => {
    const p = await provider({ batchCompletionDelayMs: 20 });
    const client = clientFor(p);
    const file = await client.files.create({ file: await toFile(Buffer.from('{"custom_id": "a"}\nnot json\n'), 'bad.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const failed = await until(() => client.batches.retrieve(batch.id), (b) => b.status !== 'validating');
    expect(failed.status).toBe('failed');
    expect(failed.errors?.data?.map((e) => e.line)).toEqual([1, 2]);
  });
});

describe('fake provider: command line', () => {
  it('prints the URL but never the key, serves requests, and prints a summary on SIGINT', async () => {
    const child = spawn(process.execPath, ['tests/fake-provider/cli.ts', '--port', '0', '--api-key', 'sk-cli-secret', '--seed', '2'], {
      cwd: new URL('../..', import.meta.url),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      const url = (await until(() => out, (o) => /http:\/\/127\.0\.0\.1:\d+\/v1/.test(o), 15_000)).match(/http:\/\/127\.0\.0\.1:\d+\/v1/)![0];
      const client = new OpenAI({ apiKey: 'sk-cli-secret', baseURL: url, maxRetries: 0 });
      await expect(client.chat.completions.create({ model: MODEL, messages: messages('note', 'Oak') })).resolves.toMatchObject({ object: 'chat.completion' });
      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(out).toMatch(/requests=1 succeeded=1/);
      expect(out).not.toContain('sk-cli-secret');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
