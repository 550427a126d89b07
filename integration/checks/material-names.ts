import type { Catalog, Material } from '../catalog/load.ts';
import { escapeRegExp } from './wording.ts';

/** The ways a material's name may be written, each with the pattern that finds it. */
export interface NameForms {
  name: string;
  /** Lowercase word lists of every form, for telling whether one name contains another. */
  words: string[][];
  patterns: RegExp[];
  /** The same patterns matching in any case, for counting a material's own name. */
  anyCasePatterns: RegExp[];
  /** Each pattern's first word, lowercased: a cheap test that lets most texts skip the pattern. */
  firstWords: string[];
  /** Whether each first word is plain letters and digits, which a word lookup can find. */
  plainFirstWords: boolean[];
}

/** A text prepared once for the search of every material's name in it. */
export interface SearchText {
  text: string;
  lower: string;
  /** The lowercased text's words (runs of letters and digits). */
  words: Set<string>;
  /**
   * Whether the text holds a long s ("ſ"): a case-insensitive pattern reads it as "s", but
   * lowercasing keeps it, so for such a text a name's first word is looked for as a substring,
   * not as a word.
   */
  longS: boolean;
}

const cache = new WeakMap<Catalog, Map<string, NameForms>>();
const othersCache = new WeakMap<Catalog, Map<string, NameForms[]>>();
const firstWordCache = new WeakMap<Catalog, FirstWordIndex>();

/** The catalogue's names by the first word of each form, for finding the few a text may hold. */
interface FirstWordIndex {
  byFirstWord: Map<string, NameForms[]>;
  /** Names with a form whose first word is not plain letters and digits: looked for as substrings. */
  unindexed: { names: NameForms; firstWord: string }[];
}

/**
 * Forms of a name: the name itself, the name without a trailing abbreviation and the
 * abbreviation alone ("Glass Fiber Reinforced Polymers GFRP", "... Polymers", "GFRP"; also
 * "(CMCs)" in brackets). One-word forms match case-sensitively, so the verb "lead" or the
 * adjective "serpentine" is not the material Lead or Serpentine; forms of several words match
 * in any case, with a space or a hyphen between the words.
 */
export function nameForms(name: string): NameForms {
  const forms = new Set([name.trim()]);
  const bracketed = /^(.*\S)\s*\(([^()]+)\)$/.exec(name.trim());
  if (bracketed) forms.add(bracketed[1]!).add(bracketed[2]!.trim());
  const abbreviated = /^(.*\S)\s+([A-Z]{2,}s?)$/.exec(name.trim());
  if (abbreviated && /\s/.test(abbreviated[1]!)) forms.add(abbreviated[1]!).add(abbreviated[2]!);
  const words: string[][] = [];
  const patterns: RegExp[] = [];
  const anyCasePatterns: RegExp[] = [];
  const firstWords: string[] = [];
  for (const form of forms) {
    const parts = form.split(/[\s\-‐]+/).filter(Boolean);
    if (parts.length === 0) continue;
    words.push(parts.map((w) => w.toLowerCase()));
    const source = `(?<![\\p{L}\\p{N}])${parts.map(escapeRegExp).join('[\\s\\-‐]+')}(?![\\p{L}\\p{N}])`;
    patterns.push(new RegExp(source, parts.length > 1 ? 'giu' : 'gu'));
    anyCasePatterns.push(new RegExp(source, 'giu'));
    firstWords.push(parts[0]!.toLowerCase());
  }
  const plainFirstWords = firstWords.map((w) => /^[a-z0-9]+$/.test(w));
  return { name, words, patterns, anyCasePatterns, firstWords, plainFirstWords };
}

/** Every catalogue material's name forms, by slug. */
export function catalogueNames(catalog: Catalog): Map<string, NameForms> {
  let names = cache.get(catalog);
  if (!names) {
    names = new Map(catalog.materials.map((m) => [m.slug, nameForms(m.name)]));
    cache.set(catalog, names);
  }
  return names;
}

/**
 * The other materials whose names would be a wrong subject here. Names that contain this
 * material's name or are contained in it are left out: "Steel" in a text about Stainless Steel,
 * "Silicon" in one about Silicon Carbide, are this material's own words.
 */
export function otherMaterialNames(catalog: Catalog, material: Material): NameForms[] {
  let byMaterial = othersCache.get(catalog);
  if (!byMaterial) {
    byMaterial = new Map();
    othersCache.set(catalog, byMaterial);
  }
  let others = byMaterial.get(material.slug);
  if (!others) {
    const names = catalogueNames(catalog);
    const own = names.get(material.slug) ?? nameForms(material.name);
    others = [...names.entries()].filter(([slug, other]) => slug !== material.slug && !overlaps(own, other)).map(([, other]) => other);
    byMaterial.set(material.slug, others);
  }
  return others;
}

/**
 * The catalogue's names that may occur in the text: a superset of those findName finds in it,
 * found with one lookup per word of the text instead of one search per name.
 */
export function namesMayOccur(catalog: Catalog, search: SearchText): Set<NameForms> {
  const index = firstWordIndex(catalog);
  if (search.longS) return new Set(catalogueNames(catalog).values());
  const found = new Set<NameForms>();
  for (const word of search.words) for (const names of index.byFirstWord.get(word) ?? []) found.add(names);
  for (const { names, firstWord } of index.unindexed) if (search.lower.includes(firstWord)) found.add(names);
  return found;
}

function firstWordIndex(catalog: Catalog): FirstWordIndex {
  let index = firstWordCache.get(catalog);
  if (!index) {
    index = { byFirstWord: new Map(), unindexed: [] };
    for (const names of catalogueNames(catalog).values()) {
      names.firstWords.forEach((firstWord, i) => {
        if (!names.plainFirstWords[i]) return void index!.unindexed.push({ names, firstWord });
        const list = index!.byFirstWord.get(firstWord) ?? [];
        if (!list.includes(names)) list.push(names);
        index!.byFirstWord.set(firstWord, list);
      });
    }
    firstWordCache.set(catalog, index);
  }
  return index;
}

/** Prepares a text for findName; one preparation serves the search for every name. */
export function searchText(text: string): SearchText {
  const lower = text.toLowerCase();
  return { text, lower, words: new Set(lower.match(/[\p{L}\p{N}]+/gu)), longS: lower.includes('ſ') };
}

/** Non-overlapping occurrences of any form of a name, as [start, end) pairs in text order. */
export function findName(forms: NameForms, search: SearchText, anyCase = false): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < forms.patterns.length; i++) {
    if (!mayContain(search, forms.firstWords[i]!, forms.plainFirstWords[i]!)) continue;
    const pattern = anyCase ? forms.anyCasePatterns[i]! : forms.patterns[i]!;
    for (const match of search.text.matchAll(pattern)) spans.push([match.index, match.index + match[0].length]);
  }
  if (spans.length > 1) spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const kept: [number, number][] = [];
  for (const span of spans) if (kept.length === 0 || span[0] >= kept[kept.length - 1]![1]) kept.push(span);
  return kept;
}

/**
 * Whether the text may hold a form starting with this word: as a substring of the lowercased
 * text, which a match needs. A match of a first word of plain letters and digits stands
 * between non-letters, so it is one of the text's words, and a set lookup answers for it.
 */
function mayContain(search: SearchText, firstWord: string, plain: boolean): boolean {
  return plain && !search.longS ? search.words.has(firstWord) : search.lower.includes(firstWord);
}

function overlaps(a: NameForms, b: NameForms): boolean {
  return a.words.some((x) => b.words.some((y) => containsRun(x, y) || containsRun(y, x)));
}

/** Whether `inner` occurs as consecutive words of `outer`. */
function containsRun(outer: string[], inner: string[]): boolean {
  for (let i = 0; i + inner.length <= outer.length; i++) {
    if (inner.every((w, j) => outer[i + j] === w)) return true;
  }
  return false;
}
