import type { Catalog, Material } from '../catalog/load.ts';
import { escapeRegExp } from './wording.ts';

/** The ways a material's name may be written, each with the pattern that finds it. */
export interface NameForms {
  name: string;
  /** Lowercase word lists of every form, for telling whether one name contains another. */
  words: string[][];
  patterns: RegExp[];
  /** Each pattern's first word, lowercased: a cheap test that lets most texts skip the pattern. */
  firstWords: string[];
}

const cache = new WeakMap<Catalog, Map<string, NameForms>>();

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
  const firstWords: string[] = [];
  for (const form of forms) {
    const parts = form.split(/[\s\-‐]+/).filter(Boolean);
    if (parts.length === 0) continue;
    words.push(parts.map((w) => w.toLowerCase()));
    const body = parts.map(escapeRegExp).join('[\\s\\-‐]+');
    patterns.push(new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, parts.length > 1 ? 'giu' : 'gu'));
    firstWords.push(parts[0]!.toLowerCase());
  }
  return { name, words, patterns, firstWords };
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
  const names = catalogueNames(catalog);
  const own = names.get(material.slug) ?? nameForms(material.name);
  return [...names.entries()]
    .filter(([slug, other]) => slug !== material.slug && !overlaps(own, other))
    .map(([, other]) => other);
}

/** Non-overlapping occurrences of any form of a name, as [start, end) pairs in text order. */
export function findName(forms: NameForms, text: string, anyCase = false): [number, number][] {
  const spans: [number, number][] = [];
  const lower = lowercase(text);
  for (const [i, pattern] of forms.patterns.entries()) {
    if (!lower.includes(forms.firstWords[i]!)) continue;
    const search = anyCase && !pattern.flags.includes('i') ? new RegExp(pattern.source, `${pattern.flags}i`) : pattern;
    for (const match of text.matchAll(search)) spans.push([match.index, match.index + match[0].length]);
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const kept: [number, number][] = [];
  for (const span of spans) if (kept.length === 0 || span[0] >= kept[kept.length - 1]![1]) kept.push(span);
  return kept;
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

let lastText = '';
let lastLower = '';
/** The text lowercased, remembered for the run of name searches over the same text. */
function lowercase(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLower = text.toLowerCase();
  }
  return lastLower;
}
