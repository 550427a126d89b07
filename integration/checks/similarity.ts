// Near-duplicate prose across materials. Each text becomes a set of word 5-gram shingles,
// hashed to 32-bit numbers; two texts are compared by the Jaccard similarity of their sets.
// Before shingling, the words of the material's own slug become one placeholder token and every
// number becomes another, so "Aluminum melts at 660 °C" and "Copper melts at 1085 °C" are the
// same text: swapping the name and the catalogue values into a template does not make new prose.

/**
 * At 0.5 the two texts share as many 5-word runs as either has of its own (for texts of equal
 * length, two thirds of each one's runs appear in the other). Independently written texts on
 * the same subject stay far below that (a few percent: shared runs are stock phrases), while a
 * copy with the name swapped scores 1 and one with a sentence or two reworded still scores well
 * above it.
 */
export const NEAR_DUPLICATE_THRESHOLD = 0.5;

export function isNearDuplicate(similarity: number): boolean {
  return similarity >= NEAR_DUPLICATE_THRESHOLD;
}

export interface SimilarityIndex {
  /** Adds (or replaces) the text of one material's component. */
  add(component: string, slug: string, text: string): void;
  remove(component: string, slug: string): void;
  /** The most similar other material's text of the same component, if any shares a shingle. */
  nearest(component: string, slug: string, text: string): { slug: string; similarity: number } | undefined;
}

const SHINGLE = 5;
const NAME_HASH = hashToken('\u0000name');
const NUMBER_HASH = hashToken('\u0000number');

interface ComponentIndex {
  /** Each material's number in this index; numbers index `slugs` and `texts`. */
  ids: Map<string, number>;
  slugs: string[];
  /** Each material's shingles, sorted and unique (empty once removed). */
  texts: Uint32Array[];
  /** Which materials, by number, hold each shingle. */
  postings: Map<number, number[]>;
}

export function createSimilarityIndex(): SimilarityIndex {
  const components = new Map<string, ComponentIndex>();
  const indexOf = (component: string) => {
    let index = components.get(component);
    if (!index) {
      index = { ids: new Map(), slugs: [], texts: [], postings: new Map() };
      components.set(component, index);
    }
    return index;
  };
  // A text is usually asked about, then added once it passes: its shingles are made once.
  let last: { slug: string; text: string; shingles: Uint32Array } | undefined;
  const shinglesOf = (slug: string, text: string) => {
    if (last?.slug !== slug || last.text !== text) last = { slug, text, shingles: shingles(slug, text) };
    return last.shingles;
  };
  const remove = (component: string, slug: string) => {
    const index = components.get(component);
    const id = index?.ids.get(slug);
    if (!index || id === undefined) return;
    for (const hash of index.texts[id]!) {
      const holders = index.postings.get(hash)!;
      // The order of holders does not matter: the last takes the removed one's place.
      const at = holders.indexOf(id);
      if (at < 0) continue;
      holders[at] = holders[holders.length - 1]!;
      holders.pop();
      if (holders.length === 0) index.postings.delete(hash);
    }
    index.texts[id] = new Uint32Array(0);
  };
  return {
    add(component, slug, text) {
      const set = shinglesOf(slug, text);
      const index = indexOf(component);
      let id = index.ids.get(slug);
      if (id !== undefined && sameShingles(index.texts[id]!, set)) return;
      remove(component, slug);
      if (id === undefined) {
        id = index.slugs.length;
        index.ids.set(slug, id);
        index.slugs.push(slug);
      }
      index.texts[id] = set;
      for (const hash of set) {
        const holders = index.postings.get(hash);
        if (holders) holders.push(id);
        else index.postings.set(hash, [id]);
      }
    },
    remove,
    nearest(component, slug, text) {
      const index = components.get(component);
      if (!index) return undefined;
      const set = shinglesOf(slug, text);
      if (set.length === 0) return undefined;
      const own = index.ids.get(slug);
      const shared = new Uint32Array(index.slugs.length);
      const holding: number[] = [];
      for (const hash of set) {
        for (const holder of index.postings.get(hash) ?? []) {
          if (holder === own) continue;
          if (shared[holder]++ === 0) holding.push(holder);
        }
      }
      let best: { slug: string; similarity: number } | undefined;
      for (const holder of holding) {
        const common = shared[holder]!;
        const similarity = common / (set.length + index.texts[holder]!.length - common);
        const name = index.slugs[holder]!;
        if (!best || similarity > best.similarity || (similarity === best.similarity && name < best.slug)) best = { slug: name, similarity };
      }
      return best;
    },
  };
}

/** Jaccard similarity of two texts of two materials, without an index. */
export function similarity(a: { slug: string; text: string }, b: { slug: string; text: string }): number {
  const x = shingles(a.slug, a.text);
  const y = shingles(b.slug, b.text);
  if (x.length === 0 && y.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      common++;
      i++;
      j++;
    } else if (x[i]! < y[j]!) i++;
    else j++;
  }
  return common / (x.length + y.length - common);
}

/** The text's shingles as sorted unique hashes. A text shorter than one shingle is one shingle. */
export function shingles(slug: string, text: string): Uint32Array {
  const hashes = tokenHashes(slug, text);
  if (hashes.length === 0) return new Uint32Array(0);
  const out = new Uint32Array(Math.max(1, hashes.length - SHINGLE + 1));
  for (let start = 0; start < out.length; start++) {
    let h = 0x811c9dc5;
    for (let k = start; k < Math.min(start + SHINGLE, hashes.length); k++) h = Math.imul(h ^ hashes[k]!, 0x01000193) >>> 0;
    out[start] = h;
  }
  out.sort();
  let unique = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[unique - 1]) out[unique++] = out[i]!;
  return out.subarray(0, unique);
}

/**
 * The hashes of the text's words, with the words of the material's own slug as one token and
 * every number as another. The text is NFKC-normalised and lowercased; a word is a run of
 * letters and digits, continued by a decimal or thousands separator followed by digits ("2.7",
 * "10,000"), as the pattern `[\p{L}\p{N}]+(?:[.,][\p{N}]+)*` reads it. The text is read a
 * character at a time rather than with that pattern, which made every word a string first and
 * cost twice as much.
 */
function tokenHashes(slug: string, text: string): number[] {
  const own = slug.split('-').filter(Boolean);
  const lowered = text.normalize('NFKC').toLowerCase();
  const hashes: number[] = [];
  let afterName = false;
  let i = 0;
  while (i < lowered.length) {
    const kind = kindAt(lowered, i);
    if (kind === OTHER) {
      i += lengthAt(lowered, i);
      continue;
    }
    const start = i;
    while (kindAt(lowered, i) !== OTHER) i += lengthAt(lowered, i);
    while (isSeparator(lowered.charCodeAt(i)) && kindAt(lowered, i + 1) === NUMBER) {
      i++;
      while (kindAt(lowered, i) === NUMBER) i += lengthAt(lowered, i);
    }
    const number = kind === NUMBER;
    const name = !number && isOneOf(own, lowered, start, i);
    if (name && afterName) continue;
    hashes.push(number ? NUMBER_HASH : name ? NAME_HASH : hashRange(lowered, start, i));
    afterName = name;
  }
  return hashes;
}

const OTHER = 0;
const LETTER = 1;
const NUMBER = 2;
const ASCII_KINDS = Uint8Array.from({ length: 0x80 }, (_, code) =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ? LETTER : code >= 0x30 && code <= 0x39 ? NUMBER : OTHER,
);
const kinds = new Map<number, number>();

/** Whether the character at `i` is a letter, a number or neither; neither past the end. */
function kindAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0x80) return ASCII_KINDS[code]!;
  if (i >= text.length) return OTHER;
  const point = text.codePointAt(i)!;
  let kind = kinds.get(point);
  if (kind === undefined) {
    const char = String.fromCodePoint(point);
    kind = /\p{N}/u.test(char) ? NUMBER : /\p{L}/u.test(char) ? LETTER : OTHER;
    kinds.set(point, kind);
  }
  return kind;
}

/** The length in UTF-16 units of the character at `i`: two for a surrogate pair. */
function lengthAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return 1;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

/** A decimal or thousands separator: "." or ",". */
function isSeparator(code: number): boolean {
  return code === 0x2e || code === 0x2c;
}

/** Whether text[start, end) is one of the words. */
function isOneOf(words: readonly string[], text: string, start: number, end: number): boolean {
  for (const word of words) if (word.length === end - start && text.startsWith(word, start)) return true;
  return false;
}

/** 32-bit FNV-1a of the UTF-16 units of text[start, end). */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function sameShingles(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
