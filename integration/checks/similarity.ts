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
const NAME_TOKEN = '\u0000name';
const NUMBER_TOKEN = '\u0000number';

interface ComponentIndex {
  /** Each material's shingles, sorted and unique. */
  texts: Map<string, Uint32Array>;
  /** Which materials hold each shingle. */
  postings: Map<number, string[]>;
}

export function createSimilarityIndex(): SimilarityIndex {
  const components = new Map<string, ComponentIndex>();
  const indexOf = (component: string) => {
    let index = components.get(component);
    if (!index) {
      index = { texts: new Map(), postings: new Map() };
      components.set(component, index);
    }
    return index;
  };
  const remove = (component: string, slug: string) => {
    const index = components.get(component);
    const old = index?.texts.get(slug);
    if (!index || !old) return;
    for (const hash of old) {
      const holders = index.postings.get(hash)!;
      const at = holders.indexOf(slug);
      if (at >= 0) holders.splice(at, 1);
      if (holders.length === 0) index.postings.delete(hash);
    }
    index.texts.delete(slug);
  };
  return {
    add(component, slug, text) {
      remove(component, slug);
      const index = indexOf(component);
      const set = shingles(slug, text);
      index.texts.set(slug, set);
      for (const hash of set) {
        const holders = index.postings.get(hash);
        if (holders) holders.push(slug);
        else index.postings.set(hash, [slug]);
      }
    },
    remove,
    nearest(component, slug, text) {
      const index = components.get(component);
      if (!index) return undefined;
      const set = shingles(slug, text);
      if (set.length === 0) return undefined;
      const shared = new Map<string, number>();
      for (const hash of set) {
        for (const holder of index.postings.get(hash) ?? []) {
          if (holder !== slug) shared.set(holder, (shared.get(holder) ?? 0) + 1);
        }
      }
      let best: { slug: string; similarity: number } | undefined;
      for (const [holder, common] of shared) {
        const similarity = common / (set.length + index.texts.get(holder)!.length - common);
        if (!best || similarity > best.similarity || (similarity === best.similarity && holder < best.slug)) best = { slug: holder, similarity };
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
  const tokens = tokenize(slug, text);
  if (tokens.length === 0) return new Uint32Array(0);
  const hashes = tokens.map(hashToken);
  const out = new Set<number>();
  const last = Math.max(0, hashes.length - SHINGLE);
  for (let start = 0; start <= last; start++) {
    let h = 0x811c9dc5;
    for (let k = start; k < Math.min(start + SHINGLE, hashes.length); k++) h = Math.imul(h ^ hashes[k]!, 0x01000193) >>> 0;
    out.add(h);
  }
  return Uint32Array.from(out).sort();
}

function tokenize(slug: string, text: string): string[] {
  const own = new Set(slug.split('-').filter(Boolean));
  const tokens: string[] = [];
  for (const [word] of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu)) {
    const token = /^\p{N}/u.test(word) ? NUMBER_TOKEN : own.has(word) ? NAME_TOKEN : word;
    if (token === NAME_TOKEN && tokens[tokens.length - 1] === NAME_TOKEN) continue;
    tokens.push(token);
  }
  return tokens;
}

function hashToken(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
