import type { Catalog, Material } from '../catalog/load.ts';
import { escapeRegExp } from './wording.ts';

/** One way of writing a material's name. */
interface NameForm {
  /** Its words, lowercased, for telling whether one name contains another. */
  words: string[];
  /** The whole pattern: the words, between characters that are not letters or digits. */
  source: string;
  /** One-word forms match case-sensitively (see nameForms). */
  caseSensitive: boolean;
  /**
   * Whether the first word is plain letters and digits. A match of such a form starts where the
   * lowercased text holds the first word, so only those places need a look: whether the form's
   * words stand there (sticky patterns, as written and in any case) and no letter touches them.
   */
  indexed: boolean;
  wordsAt: RegExp;
  wordsAtAnyCase: RegExp;
}

/** The ways a material's name may be written. */
export interface NameForms {
  name: string;
  forms: NameForm[];
}

/** A text prepared once for the search of every material's name in it. */
export interface SearchText {
  text: string;
  lower: string;
  /**
   * Whether a name is found from its first word in the lowercased text: not when the text holds
   * a long s ("ſ", which a case-insensitive pattern reads as "s" but lowercasing keeps) or a
   * letter that lowercases to two characters (which moves every offset after it).
   */
  byWords: boolean;
}

/** The catalogue's names by the first word of each form, for finding the few a text may hold. */
interface FirstWordIndex {
  byFirstWord: Map<string, NameForms[]>;
  /** Every first word of plain letters and digits, longest first, in one pattern. */
  anyFirstWord: RegExp;
  /** Names with a form whose first word is not plain letters and digits: looked for as substrings. */
  unindexed: { names: NameForms; firstWord: string }[];
}

const cache = new WeakMap<Catalog, Map<string, NameForms>>();
const othersCache = new WeakMap<Catalog, Map<string, NameForms[]>>();
const firstWordCache = new WeakMap<Catalog, FirstWordIndex>();

/**
 * Forms of a name: the name itself, the name without a trailing abbreviation and the
 * abbreviation alone ("Glass Fiber Reinforced Polymers GFRP", "... Polymers", "GFRP"; also
 * "(CMCs)" in brackets). One-word forms match case-sensitively, so the verb "lead" or the
 * adjective "serpentine" is not the material Lead or Serpentine; forms of several words match
 * in any case, with a space or a hyphen between the words.
 */
export function nameForms(name: string): NameForms {
  const written = new Set([name.trim()]);
  const bracketed = /^(.*\S)\s*\(([^()]+)\)$/.exec(name.trim());
  if (bracketed) written.add(bracketed[1]!).add(bracketed[2]!.trim());
  const abbreviated = /^(.*\S)\s+([A-Z]{2,}s?)$/.exec(name.trim());
  if (abbreviated && /\s/.test(abbreviated[1]!)) written.add(abbreviated[1]!).add(abbreviated[2]!);
  const forms: NameForm[] = [];
  for (const form of written) {
    const parts = form.split(/[\s\-‐]+/).filter(Boolean);
    if (parts.length === 0) continue;
    const words = parts.map((w) => w.toLowerCase());
    // Between the words, any run of spaces and hyphens: the words hold none, so a match has one length.
    const body = parts.map(escapeRegExp).join('[\\s\\-‐]+');
    const caseSensitive = parts.length === 1;
    forms.push({
      words,
      source: `(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`,
      caseSensitive,
      indexed: /^[a-z0-9]+$/.test(words[0]!),
      wordsAt: new RegExp(body, 'uy'),
      wordsAtAnyCase: new RegExp(body, 'iuy'),
    });
  }
  return { name, forms };
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

/** Prepares a text for findName; one preparation serves the search for every name. */
export function searchText(text: string): SearchText {
  const lower = text.toLowerCase();
  return { text, lower, byWords: !text.includes('ſ') && lower.length === text.length };
}

/**
 * Whether any catalogue name may occur in the text, or in the text with parts of it blanked
 * out: not when the lowercased text holds no first word of a name, not even inside a word.
 */
export function mayHoldAnyName(catalog: Catalog, search: SearchText): boolean {
  const index = firstWordIndex(catalog);
  return !search.byWords || search.lower.search(index.anyFirstWord) >= 0 || index.unindexed.some(({ firstWord }) => search.lower.includes(firstWord));
}

/**
 * The catalogue's names that may occur in the text: a superset of those findName finds in it,
 * found with one search for all their first words instead of one search per name.
 */
export function namesMayOccur(catalog: Catalog, search: SearchText): Set<NameForms> {
  if (!search.byWords) return new Set(catalogueNames(catalog).values());
  const index = firstWordIndex(catalog);
  const found = new Set<NameForms>();
  // A match of a form starts with its first word as a whole word of the lowercased text. The
  // pattern finds each such word: no earlier find runs into it (first words are letters and
  // digits, and a non-letter stands before it), and where it starts, no longer first word matches
  // (a non-letter stands after it) before it is tried.
  const pattern = index.anyFirstWord;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(search.lower); match; match = pattern.exec(search.lower)) {
    if (touchesWord(search.lower, match.index, match.index + match[0].length, false)) continue;
    for (const names of index.byFirstWord.get(match[0])!) found.add(names);
  }
  for (const { names, firstWord } of index.unindexed) if (search.lower.includes(firstWord)) found.add(names);
  return found;
}

/** Non-overlapping occurrences of any form of a name, as [start, end) pairs in text order. */
export function findName(name: NameForms, search: SearchText, anyCase = false): [number, number][] {
  const spans: [number, number][] = [];
  for (const form of name.forms) {
    const inAnyCase = anyCase || !form.caseSensitive;
    if (form.indexed && search.byWords) {
      const pattern = inAnyCase ? form.wordsAtAnyCase : form.wordsAt;
      const first = form.words[0]!;
      let end = 0;
      for (let start = search.lower.indexOf(first); start >= 0; start = search.lower.indexOf(first, start + 1)) {
        if (start < end) continue;
        pattern.lastIndex = start;
        const match = pattern.exec(search.text);
        if (!match || touchesWord(search.text, start, start + match[0].length, inAnyCase)) continue;
        end = start + match[0].length;
        spans.push([start, end]);
      }
    } else if (search.lower.includes(form.words[0]!)) {
      const pattern = new RegExp(form.source, inAnyCase ? 'giu' : 'gu');
      for (const match of search.text.matchAll(pattern)) spans.push([match.index, match.index + match[0].length]);
    }
  }
  if (spans.length > 1) spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const kept: [number, number][] = [];
  for (const span of spans) if (kept.length === 0 || span[0] >= kept[kept.length - 1]![1]) kept.push(span);
  return kept;
}

// The look-arounds of a form's whole pattern, on their own. In any case they hold one more
// character than letters and digits (U+0345, whose case folding is a letter), so each comes in
// the pattern's own case mode.
const LETTER_BEFORE = /(?<=[\p{L}\p{N}])/uy;
const LETTER_BEFORE_ANY_CASE = /(?<=[\p{L}\p{N}])/iuy;
const LETTER_AFTER = /(?=[\p{L}\p{N}])/uy;
const LETTER_AFTER_ANY_CASE = /(?=[\p{L}\p{N}])/iuy;

/** Whether a letter or digit touches the span, so that it is part of a longer word. */
function touchesWord(text: string, start: number, end: number, anyCase: boolean): boolean {
  const before = anyCase ? LETTER_BEFORE_ANY_CASE : LETTER_BEFORE;
  const after = anyCase ? LETTER_AFTER_ANY_CASE : LETTER_AFTER;
  before.lastIndex = start;
  after.lastIndex = end;
  return before.test(text) || after.test(text);
}

function firstWordIndex(catalog: Catalog): FirstWordIndex {
  let index = firstWordCache.get(catalog);
  if (!index) {
    const byFirstWord = new Map<string, NameForms[]>();
    const unindexed: FirstWordIndex['unindexed'] = [];
    for (const names of catalogueNames(catalog).values()) {
      for (const form of names.forms) {
        const firstWord = form.words[0]!;
        if (!form.indexed) unindexed.push({ names, firstWord });
        else if (!byFirstWord.get(firstWord)?.includes(names)) byFirstWord.set(firstWord, [...(byFirstWord.get(firstWord) ?? []), names]);
      }
    }
    const longestFirst = [...byFirstWord.keys()].sort((a, b) => b.length - a.length);
    // With no first word at all, a pattern that never matches.
    const anyFirstWord = new RegExp(longestFirst.map(escapeRegExp).join('|') || '[^\\s\\S]', 'g');
    index = { byFirstWord, anyFirstWord, unindexed };
    firstWordCache.set(catalog, index);
  }
  return index;
}

function overlaps(a: NameForms, b: NameForms): boolean {
  return a.forms.some((x) => b.forms.some((y) => containsRun(x.words, y.words) || containsRun(y.words, x.words)));
}

/** Whether `inner` occurs as consecutive words of `outer`. */
function containsRun(outer: string[], inner: string[]): boolean {
  for (let i = 0; i + inner.length <= outer.length; i++) {
    if (inner.every((w, j) => outer[i + j] === w)) return true;
  }
  return false;
}
