// Builds a JSON value that satisfies a JSON Schema (draft 2020-12: the subset that the project's
// schema converter and the providers' structured-output modes use), filled with prose about the material.
import { compilePattern, sampleFromPattern } from './pattern.ts';
import { fitText, fitWords, slugText, tagCandidates, wordBounds, wordCount, type ProseSubject, type TextStyle } from './prose.ts';
import type { Random } from './random.ts';

export type JsonSchema = boolean | { [key: string]: unknown };
type SchemaObject = { [key: string]: unknown };

interface Hint {
  key: string;
  depth: number;
  tagLike?: boolean;
  /** Strings already used in the same array: items are kept unique. */
  used?: Set<string>;
  /** For objects inside an array: per property, the values earlier items used. */
  siblings?: Map<string, Set<string>>;
}

const MAX_DEPTH = 4;

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A value that satisfies `schema`, deterministic for a given random stream. */
export function answerForSchema(schema: JsonSchema, random: Random, subject: ProseSubject): unknown {
  return new SchemaAnswer(schema, random, subject).value(schema, { key: '', depth: 0 });
}

/**
 * The JSON Schema given in the first fenced ```json block of `text` that parses to an object
 * with a `type` or `properties` key (how JSON-object-mode prompts carry their schema).
 */
export function findFencedSchema(text: string): SchemaObject | undefined {
  for (const match of text.matchAll(/```json[^\n]*\n([\s\S]*?)```/gi)) {
    try {
      const parsed: unknown = JSON.parse(match[1]!);
      if (isObject(parsed) && ('type' in parsed || 'properties' in parsed)) return parsed;
    } catch {
      // Not JSON: look at the next block.
    }
  }
  return undefined;
}

/** Resolves `$ref` (local JSON pointers only) and merges `allOf`, so callers see one plain schema. */
export function resolveSchema(root: JsonSchema, schema: JsonSchema, seen = 0): SchemaObject {
  if (schema === true || !isObject(schema)) return {};
  let out: SchemaObject = schema;
  if (typeof out.$ref === 'string' && seen < 32) {
    const { $ref, ...rest } = out;
    out = { ...resolveSchema(root, pointer(root, $ref as string), seen + 1), ...rest };
  }
  if (Array.isArray(out.allOf)) {
    const { allOf, ...rest } = out;
    let merged: SchemaObject = rest;
    for (const part of allOf as JsonSchema[]) merged = mergeSchemas(merged, resolveSchema(root, part, seen + 1));
    out = merged;
  }
  return out;
}

function pointer(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#')) return {};
  const parts = ref
    .slice(1)
    .split('/')
    .filter(Boolean)
    .map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (const part of parts) {
    if (!isObject(node) && !Array.isArray(node)) return {};
    node = (node as Record<string, unknown>)[part];
  }
  return isObject(node) || typeof node === 'boolean' ? (node as JsonSchema) : {};
}

function mergeSchemas(a: SchemaObject, b: SchemaObject): SchemaObject {
  const out: SchemaObject = { ...a, ...b };
  if (isObject(a.properties) || isObject(b.properties)) out.properties = { ...(a.properties as object), ...(b.properties as object) };
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    out.required = [...new Set([...((a.required as string[]) ?? []), ...((b.required as string[]) ?? [])])];
  }
  const patterns = [a.pattern, b.pattern, ...((a.patterns as unknown[]) ?? []), ...((b.patterns as unknown[]) ?? [])].filter(
    (p): p is string => typeof p === 'string',
  );
  if (patterns.length > 0) {
    out.patterns = [...new Set(patterns)];
    delete out.pattern;
  }
  for (const key of ['minLength', 'minItems', 'minimum', 'minProperties'] as const) {
    if (num(a[key]) !== undefined && num(b[key]) !== undefined) out[key] = Math.max(a[key] as number, b[key] as number);
  }
  for (const key of ['maxLength', 'maxItems', 'maximum', 'maxProperties'] as const) {
    if (num(a[key]) !== undefined && num(b[key]) !== undefined) out[key] = Math.min(a[key] as number, b[key] as number);
  }
  return out;
}

const FORMATS: Record<string, (random: Random, subject: ProseSubject) => string> = {
  date: (r) => isoDate(r),
  'date-time': (r) => `${isoDate(r)}T${pad(r.int(7, 18))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}Z`,
  time: (r) => `${pad(r.int(7, 18))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}`,
  email: () => 'editor@example.com',
  'idn-email': () => 'editor@example.com',
  uri: (r, s) => `https://example.com/materials/${slugText(r, s)}`,
  url: (r, s) => `https://example.com/materials/${slugText(r, s)}`,
  iri: (r, s) => `https://example.com/materials/${slugText(r, s)}`,
  'uri-reference': (r, s) => `/materials/${slugText(r, s)}`,
  uuid: (r) => uuid(r),
  hostname: () => 'example.com',
  ipv4: (r) => `192.0.2.${r.int(1, 254)}`,
  ipv6: () => '2001:db8::1',
  duration: (r) => `PT${r.int(1, 50)}M`,
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function isoDate(r: Random): string {
  return `${r.int(2023, 2025)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
}

function uuid(r: Random): string {
  const hex = Array.from({ length: 32 }, () => r.int(0, 15).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[r.int(0, 3)]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The look of a string field, from its property name and length bounds. */
function styleFor(key: string, min: number, max: number, tagLike: boolean): TextStyle | 'slug' | 'url' | 'email' | 'path' {
  if (tagLike) return 'tag';
  if (min >= 2000) return 'article';
  if (/(^|_)(slug|id|key|handle)$|[a-z](Id|Slug|Key)$/.test(key)) return 'slug';
  if (/url|href|link|uri/i.test(key)) return 'url';
  if (/email/i.test(key)) return 'email';
  if (/^(src|path|file|image)$|(Src|Path|File)$/.test(key)) return 'path';
  if (/question/i.test(key) && max >= 24) return 'question';
  if (/^alt($|[A-Z_])|Alt$|_alt(_|$)/.test(key) && min <= 60) return 'alt';
  if (/title|heading|headline|label|^name$|Name$/i.test(key) && min < 120) return 'title';
  if (/body|article|markdown|^content$/i.test(key) && max >= 1500) return 'article';
  return 'prose';
}

/** Whether an item pattern asks for lowercase words (tags, keywords). */
function lowercasePattern(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  const regex = compilePattern(pattern);
  if (!regex) return false;
  return (regex.test('laser cleaning') || regex.test('laser-cleaning')) && !regex.test('Laser cleaning removes rust.');
}

class SchemaAnswer {
  readonly root: JsonSchema;
  readonly random: Random;
  readonly subject: ProseSubject;

  constructor(root: JsonSchema, random: Random, subject: ProseSubject) {
    this.root = root;
    this.random = random;
    this.subject = subject;
  }

  value(raw: JsonSchema, hint: Hint): unknown {
    if (raw === false) return undefined;
    const schema = resolveSchema(this.root, raw);
    if ('const' in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return this.pickEnum(schema.enum, hint);
    const variants = (Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined) as JsonSchema[] | undefined;
    if (variants && variants.length > 0) {
      const { anyOf: _a, oneOf: _o, ...rest } = schema;
      const resolved = variants.map((v) => resolveSchema(this.root, v));
      const useful = resolved.filter((v) => v.type !== 'null' && v.const !== null);
      const pool = useful.length > 0 ? useful : resolved;
      const chosen = Array.isArray(schema.oneOf) ? pool[0]! : this.random.pick(pool);
      return this.value({ ...rest, ...chosen }, hint);
    }
    let type = schema.type;
    if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? 'null';
    if (typeof type !== 'string') type = inferType(schema);
    switch (type) {
      case 'object':
        return this.object(schema, hint);
      case 'array':
        return this.array(schema, hint);
      case 'integer':
        return this.number(schema, true);
      case 'number':
        return this.number(schema, false);
      case 'boolean':
        return this.random.chance(0.5);
      case 'null':
        return null;
      default:
        return this.string(schema, hint);
    }
  }

  pickEnum(values: unknown[], hint: Hint): unknown {
    if (hint.used) {
      const fresh = values.filter((v) => !hint.used!.has(JSON.stringify(v)));
      if (fresh.length > 0) {
        const v = this.random.pick(fresh);
        hint.used.add(JSON.stringify(v));
        return v;
      }
    }
    return this.random.pick(values);
  }

  object(schema: SchemaObject, hint: Hint): Record<string, unknown> {
    const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const extra = schema.additionalProperties;
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(properties)) {
      if (!required.has(key) && hint.depth >= MAX_DEPTH) continue;
      let used: Set<string> | undefined;
      if (hint.siblings) {
        used = hint.siblings.get(key) ?? new Set<string>();
        hint.siblings.set(key, used);
      }
      const v = this.value(sub, { key, depth: hint.depth + 1, used });
      if (v !== undefined) out[key] = v;
    }
    const valueSchema: JsonSchema = isObject(extra) || extra === true ? (extra as JsonSchema) : isObject(schema.patternProperties) ? (Object.values(schema.patternProperties as object)[0] as JsonSchema) : {};
    for (const key of required) {
      if (!(key in out)) out[key] = this.value(valueSchema, { key, depth: hint.depth + 1 });
    }
    // Records: keys come from `propertyNames`, values from `additionalProperties`.
    if (extra !== false && (Object.keys(properties).length === 0 || num(schema.minProperties) !== undefined)) {
      const names = resolveSchema(this.root, (schema.propertyNames as JsonSchema) ?? {});
      const min = num(schema.minProperties) ?? 0;
      const max = num(schema.maxProperties) ?? Infinity;
      let keys: string[];
      if (Array.isArray(names.enum)) keys = (names.enum as unknown[]).map(String);
      else {
        const wanted = Math.max(min, hint.depth >= MAX_DEPTH ? 0 : Object.keys(properties).length === 0 ? 2 : 0) - Object.keys(out).length;
        keys = [];
        const words = tagCandidates(this.random, this.subject).map((t) => t.replace(/[^a-z]+/g, '-'));
        for (const word of words) {
          if (keys.length >= wanted) break;
          const key = typeof names.pattern === 'string' && !compilePattern(names.pattern)?.test(word) ? sampleFromPattern(names.pattern, this.random, num(names.minLength), num(names.maxLength)) : word;
          if (key !== undefined && !(key in out) && !keys.includes(key)) keys.push(key);
        }
      }
      for (const key of keys) {
        if (Object.keys(out).length >= max) break;
        if (!(key in out)) out[key] = this.value(valueSchema, { key, depth: hint.depth + 1 });
      }
    }
    return out;
  }

  array(schema: SchemaObject, hint: Hint): unknown[] {
    const prefix = Array.isArray(schema.prefixItems) ? (schema.prefixItems as JsonSchema[]) : [];
    const items = schema.items as JsonSchema | undefined;
    const min = Math.max(num(schema.minItems) ?? 0, items === false ? prefix.length : 0);
    const max = items === false ? prefix.length : (num(schema.maxItems) ?? Infinity);
    const itemSchema = items === undefined || items === false ? {} : resolveSchema(this.root, items);
    const tagLike = /tag|keyword/i.test(hint.key) || lowercasePattern(itemSchema.pattern);
    const desired = hint.depth >= MAX_DEPTH ? min : tagLike ? this.random.int(4, 6) : this.random.int(3, 5);
    const count = Math.min(max, Math.max(min, prefix.length, desired));
    const used = new Set<string>();
    const siblings = new Map<string, Set<string>>();
    const out: unknown[] = [];
    const seenJson = new Set<string>();
    for (let i = 0; i < count; i++) {
      const sub: JsonSchema = i < prefix.length ? prefix[i]! : (items ?? {});
      let v: unknown;
      for (let attempt = 0; attempt < 6; attempt++) {
        v = this.value(sub, { key: hint.key, depth: hint.depth + 1, tagLike, used, siblings });
        if (!schema.uniqueItems || !seenJson.has(JSON.stringify(v))) break;
      }
      seenJson.add(JSON.stringify(v));
      out.push(v);
    }
    return out;
  }

  number(schema: SchemaObject, integer: boolean): number {
    let lo = num(schema.minimum);
    let hi = num(schema.maximum);
    let loOpen = schema.exclusiveMinimum === true;
    let hiOpen = schema.exclusiveMaximum === true;
    const exMin = num(schema.exclusiveMinimum);
    const exMax = num(schema.exclusiveMaximum);
    if (exMin !== undefined && (lo === undefined || exMin >= lo)) [lo, loOpen] = [exMin, true];
    if (exMax !== undefined && (hi === undefined || exMax <= hi)) [hi, hiOpen] = [exMax, true];
    if (integer) {
      if (lo !== undefined) lo = loOpen && Number.isInteger(lo) ? lo + 1 : Math.ceil(lo);
      if (hi !== undefined) hi = hiOpen && Number.isInteger(hi) ? hi - 1 : Math.floor(hi);
      loOpen = hiOpen = false;
    }
    if (lo === undefined && hi === undefined) [lo, hi] = integer ? [1, 10] : [1, 100];
    else if (lo === undefined) lo = hi! - (integer ? 10 : 100);
    else if (hi === undefined) hi = lo + (integer ? 10 : 100);
    const step = num(schema.multipleOf);
    if (step !== undefined && step > 0) {
      let first = Math.ceil(lo! / step);
      let last = Math.floor(hi! / step);
      if (loOpen && first * step <= lo!) first++;
      if (hiOpen && last * step >= hi!) last--;
      return Number((this.random.int(first, Math.max(first, last)) * step).toFixed(10));
    }
    if (integer) return this.random.int(lo!, Math.max(lo!, hi!));
    let value = Math.round((lo! + this.random.next() * (hi! - lo!)) * 100) / 100;
    if (value < lo! || value > hi! || (loOpen && value === lo) || (hiOpen && value === hi)) value = (lo! + hi!) / 2;
    return value;
  }

  string(schema: SchemaObject, hint: Hint): string {
    const min = num(schema.minLength) ?? 0;
    const max = num(schema.maxLength) ?? Infinity;
    const patterns = [schema.pattern, ...((schema.patterns as unknown[]) ?? [])].filter((p): p is string => typeof p === 'string');
    const regexes = patterns.map(compilePattern).filter((r): r is RegExp => r !== undefined);
    const used = hint.used;
    const { minWords, maxWords } = wordBounds(schema.description);
    const ok = (text: string | undefined): text is string =>
      text !== undefined &&
      text.length >= min &&
      text.length <= max &&
      regexes.every((r) => r.test(text)) &&
      !used?.has(text) &&
      (minWords === 0 && maxWords === Infinity ? true : wordCount(text) >= minWords && wordCount(text) <= maxWords);
    const accept = (text: string): string => {
      used?.add(text);
      return text;
    };
    const r = this.random;
    const s = this.subject;
    const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
    if (format) {
      const text = format(r, s);
      if (ok(text)) return accept(text);
    }
    const style = styleFor(hint.key, min, max, hint.tagLike === true);
    if (style === 'tag') {
      const tags = tagCandidates(r, s);
      const tag = tags.find(ok) ?? tags.map((t) => t.replace(/ /g, '-')).find(ok);
      if (tag) return accept(tag);
    }
    const candidates: Array<() => string | undefined> = [];
    if (style === 'slug') candidates.push(() => slugText(r, s));
    if (style === 'url') candidates.push(() => FORMATS.uri!(r, s));
    if (style === 'email') candidates.push(() => 'editor@example.com');
    if (style === 'path') candidates.push(() => `/images/materials/${slugText(r, s)}.jpg`);
    const textStyle: TextStyle = style === 'slug' || style === 'url' || style === 'email' || style === 'path' ? 'prose' : style;
    // Short labels read better as a phrase than as a cut-off sentence.
    if (textStyle === 'prose' && max <= 40) candidates.push(() => tagCandidates(r, s).map((t) => t.charAt(0).toUpperCase() + t.slice(1)).find(ok));
    candidates.push(
      ...Array.from({ length: used ? 8 : 2 }, () => () => fitText(r, s, textStyle, min, max)),
      () => fitText(r, s, textStyle === 'article' ? 'article' : 'prose', min, max).replace(/\s*\n+\s*(## )?/g, ' '),
      () => fitText(r, s, 'prose', min, max),
      () => tagCandidates(r, s).find(ok),
      () => slugText(r, s),
      () => fitText(r, s, 'title', min, max),
      ...patterns.map((p) => () => sampleFromPattern(p, r, min, max)),
      () => tagCandidates(r, s).map((a, i, all) => `${a} ${all[(i + 1) % all.length]}`).find(ok),
      () => withAffixes(patterns, fitText(r, s, 'prose', Math.max(0, min - 20), Math.max(1, max - 40))),
    );
    let first: string | undefined;
    for (const candidate of candidates) {
      let text = candidate();
      if (text !== undefined && (minWords > 0 || maxWords < Infinity)) text = fitWords(text, r, s, minWords, maxWords, min, max);
      first ??= text;
      if (ok(text)) return accept(text);
    }
    // Nothing fits every rule (an unusual pattern): at least respect the length.
    return accept(first ?? '');
  }
}

const LITERAL = String.raw`(?:\\.|[^\\.*+?()[\]{}|^$])`;
const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

/** Prose wrapped to satisfy literal prefix (`^Laser.*`), suffix (`.*\.$`) and infix (`rust`) patterns. */
function withAffixes(patterns: string[], prose: string): string {
  let prefix = '';
  let suffix = '';
  const infixes: string[] = [];
  for (const pattern of patterns) {
    const starts = new RegExp(`^\\^(${LITERAL}+)(?:\\.\\*)?$`).exec(pattern);
    const ends = new RegExp(`^(?:\\.\\*)?(${LITERAL}+)\\$$`).exec(pattern);
    const plain = new RegExp(`^(${LITERAL}+)$`).exec(pattern);
    if (starts) prefix = unescape(starts[1]!);
    else if (ends) suffix = unescape(ends[1]!);
    else if (plain) infixes.push(unescape(plain[1]!));
  }
  const body = [prose.replace(/[.?!]$/, ''), ...infixes].join(' ');
  return `${prefix}${prefix ? ' ' : ''}${body}${suffix}`;
}

function inferType(schema: SchemaObject): string {
  if ('properties' in schema || 'additionalProperties' in schema || 'required' in schema) return 'object';
  if ('items' in schema || 'prefixItems' in schema || 'minItems' in schema) return 'array';
  if ('minimum' in schema || 'maximum' in schema || 'multipleOf' in schema) return 'number';
  return 'string';
}
