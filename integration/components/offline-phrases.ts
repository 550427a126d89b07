import type { PropertyId } from '../catalog/properties.ts';
import type { Quantity } from '../catalog/schema.ts';
import { chooser, midpoint } from './format.ts';

/**
 * Shared vocabulary of the offline writer: how to name a material inside a sentence, how its
 * category is spoken of, where a value sits against its category, and a seeded picker with a few
 * more moves than `chooser`. Nothing here writes a number: numbers come from the record only.
 */

export interface Writer {
  pick<T>(options: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** True with probability `p` (deterministic for the seed). */
  chance(p: number): boolean;
}

export function writer(seed: string): Writer {
  const c = chooser(seed);
  const percent = Array.from({ length: 100 }, (_, i) => i);
  return { pick: c.pick, shuffle: c.shuffle, chance: (p) => c.pick(percent) < p * 100 };
}

const TRADE_NAMES = new Set(['Pyrex', 'Kevlar', 'Inconel', 'Hastelloy']);

/**
 * The name as it reads inside a sentence: "stainless steel", "Kevlar-reinforced polymer", "MDF";
 * a long name ending in its abbreviation is written as the abbreviation ("GFRP", "MMCs").
 */
export function inSentence(name: string): string {
  const abbreviated = /^\S+(?:\s+\S+)+\s+([A-Z]{2,}s?)$/.exec(name.trim());
  if (abbreviated) return abbreviated[1]!;
  return name
    .split(' ')
    .map((word) =>
      word
        .split('-')
        .map((part) => (TRADE_NAMES.has(part) || (part.match(/[A-Z]/g)?.length ?? 0) >= 2 ? part : part.toLowerCase()))
        .join('-'),
    )
    .join(' ');
}

/** Names written in the plural ("Epoxy Resin Composites"), which take a plural verb. */
export function isPluralName(name: string): boolean {
  return /^[A-Z]{2,}s$/.test(inSentence(name)) || /\b(?:Composites|Polymers)$/.test(name.trim());
}

export function cap(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

export interface CategoryWords {
  /** "a metal" */
  one: string;
  /** "metals" */
  many: string;
  /** "this metal" works: the noun for "this ___". */
  noun: string;
}

const CATEGORY_WORDS: Record<string, CategoryWords> = {
  metal: { one: 'a metal', many: 'metals', noun: 'metal' },
  ceramic: { one: 'a technical ceramic', many: 'ceramics', noun: 'ceramic' },
  composite: { one: 'a polymer or composite', many: 'polymers and composites', noun: 'material' },
  glass: { one: 'a glass', many: 'glasses', noun: 'glass' },
  masonry: { one: 'a building material', many: 'building materials', noun: 'material' },
  semiconductor: { one: 'a semiconductor', many: 'semiconductors', noun: 'semiconductor' },
  stone: { one: 'a natural stone', many: 'natural stones', noun: 'stone' },
  wood: { one: 'a wood', many: 'woods', noun: 'wood' },
};

export function categoryWords(category: string): CategoryWords {
  return CATEGORY_WORDS[category] ?? { one: 'a material of its kind', many: 'materials of its kind', noun: 'material' };
}

/**
 * Where a value usually falls for a category: below `low` it is low for the category, above
 * `high` it is high. Read off the spread of the catalogue and rounded to meaningful steps;
 * a property missing here is compared on its absolute value only.
 */
const CATEGORY_BANDS: Record<string, Partial<Record<PropertyId | `hardness:${string}`, [number, number]>>> = {
  metal: {
    density: [5, 10.5],
    meltingPoint: [700, 1800],
    thermalConductivity: [40, 150],
    specificHeat: [200, 500],
    thermalExpansion: [8, 18],
    youngsModulus: [80, 250],
    tensileStrength: [250, 700],
    absorptivity: [15, 40],
    'hardness:HB': [60, 170],
    'hardness:HV': [130, 220],
  },
  ceramic: { density: [2.7, 4], meltingPoint: [1600, 2200], thermalConductivity: [2.5, 20], specificHeat: [700, 900], thermalExpansion: [5, 8], youngsModulus: [150, 300] },
  composite: {
    density: [1.4, 2],
    decompositionPoint: [300, 400],
    thermalConductivity: [0.25, 1],
    specificHeat: [1000, 1300],
    thermalExpansion: [10, 40],
    youngsModulus: [5, 50],
    tensileStrength: [80, 500],
  },
  glass: { density: [2.3, 2.6], meltingPoint: [1250, 1500], thermalConductivity: [1, 1.2], specificHeat: [720, 800], thermalExpansion: [3.5, 9], youngsModulus: [64, 71], 'hardness:Mohs': [5.6, 6.2] },
  masonry: { density: [1.7, 2.1], decompositionPoint: [300, 600], thermalConductivity: [0.7, 1.2], specificHeat: [870, 950], thermalExpansion: [7, 11], youngsModulus: [10, 20], tensileStrength: [2, 3.4] },
  semiconductor: { thermalConductivity: [50, 200] },
  stone: {
    density: [2.55, 2.75],
    meltingPoint: [1200, 1500],
    decompositionPoint: [500, 870],
    thermalConductivity: [2, 3],
    specificHeat: [820, 880],
    thermalExpansion: [6, 9],
    youngsModulus: [40, 65],
    tensileStrength: [8, 15],
    'hardness:Mohs': [3, 5.5],
  },
  wood: { density: [0.5, 0.7], thermalConductivity: [0.13, 0.18], specificHeat: [1400, 1550], youngsModulus: [10, 12.5], 'hardness:N (Janka)': [3500, 6000] },
};

export type Band = 'low' | 'typical' | 'high';

/** Where the value sits among materials of its category, if the category has a reference. */
export function categoryBand(category: string, id: PropertyId, q: Quantity): Band | undefined {
  const bands = CATEGORY_BANDS[category];
  const band = id === 'hardness' ? bands?.[`hardness:${q.unit}`] : bands?.[id];
  if (!band) return undefined;
  const m = midpoint(q);
  return m < band[0] ? 'low' : m > band[1] ? 'high' : 'typical';
}

/** Absolute levels: what the value means physically, whatever the category. */
const ABSOLUTE: Partial<Record<PropertyId, [number, number]>> = {
  density: [2, 8],
  meltingPoint: [450, 2000],
  decompositionPoint: [300, 1200],
  thermalConductivity: [2, 100],
  specificHeat: [300, 1200],
  thermalExpansion: [5, 20],
  youngsModulus: [20, 200],
  tensileStrength: [20, 800],
  absorptivity: [15, 50],
};

export function absoluteLevel(id: PropertyId, q: Quantity): Band {
  const limits = ABSOLUTE[id];
  if (!limits) return 'typical';
  const m = midpoint(q);
  return m < limits[0] ? 'low' : m >= limits[1] ? 'high' : 'typical';
}

/** Derived figures, used only to choose words; none of them is ever written out. */
export interface Derived {
  /** Heat stored per volume and kelvin, J/(cm³·K). */
  heatPerVolume?: number;
  /** Thermal diffusivity, m²/s. */
  diffusivity?: number;
  /** Temperature step that would load the surface to its tensile strength, K (σ / (E·α)). */
  shockLimit?: number;
  /** Tensile strength over stiffness: the strain the material takes before it fails. */
  failureStrain?: number;
}

export function derived(p: Partial<Record<PropertyId, Quantity>>): Derived {
  const m = (id: PropertyId) => (p[id] ? midpoint(p[id]!) : undefined);
  const rho = m('density');
  const c = m('specificHeat');
  const k = m('thermalConductivity');
  const e = m('youngsModulus');
  const alpha = m('thermalExpansion');
  const sigma = m('tensileStrength');
  const out: Derived = {};
  if (rho !== undefined && c !== undefined) out.heatPerVolume = (rho * c) / 1000;
  if (rho !== undefined && c !== undefined && k !== undefined) out.diffusivity = k / (rho * 1000 * c);
  if (e !== undefined && alpha !== undefined && sigma !== undefined && alpha > 0) out.shockLimit = sigma / (e * alpha * 1e-3);
  if (e !== undefined && sigma !== undefined) out.failureStrain = sigma / (e * 1000);
  return out;
}

/** Categories whose surfaces crack rather than yield. */
export const BRITTLE_CATEGORIES = new Set(['glass', 'ceramic', 'stone', 'semiconductor', 'masonry']);

/**
 * Whether a noun phrase takes a plural verb: "oil stains", "paint and primer" and "interlocking
 * crystals" do; "verdigris", "chewing gum" and "cleavage faces of the crystal"'s head aside,
 * "fibre pattern under the resin" does not. Reads the head of the phrase, before "of", "in", ...
 */
export function isPluralPhrase(text: string): boolean {
  const head = text
    .replace(/\([^)]*\)/g, '')
    .split(/\s(?:of|in|under|over|between|set|with|from|on|at|along|that|which|as)\s/)[0]!
    .trim()
    .toLowerCase();
  if (/\sand\s/.test(head)) return true;
  const last = head.split(/[\s-]+/).pop() ?? '';
  return /[^su]s$/.test(last) && !/(?:is|ss|us)$/.test(last);
}

/** The verb form that agrees with a noun phrase: agree("oil stains", "blurs", "blur"). */
export function agree(text: string, singular: string, plural: string): string {
  return isPluralPhrase(text) ? plural : singular;
}

/** Lowercases the first letter of an ordinary first word ("Aerospace"), not of "BiCMOS" or "EUV-induced". */
export function lowerStart(text: string): string {
  const first = text.split(/\s/)[0]!;
  return /^[A-Z][a-z]+(?:-[a-z]+)*[,.]?$/.test(first) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/**
 * A contaminant's name as a noun phrase in running text: "the aluminium oxide layer", "the mould
 * release agent", but "soot", "release agents" and "paint and primer" as they are.
 */
export function art(text: string): string {
  if (isPluralPhrase(text) || /^(?:the|a|an)\s/i.test(text)) return text;
  return /(?:layer|film|skin|coating|crust|patina|finish|enamel|topcoat|compound|agent|fluid|haze)$/i.test(text.replace(/\s*\([^)]*\)$/, '')) ? `the ${text}` : text;
}

/** "a igneous stone" → "an igneous stone": the indefinite article for a phrase. */
export function withArticle(text: string): string {
  return `${/^[aeiou]/i.test(text) && !/^(?:u[nr]i|eu|one)/i.test(text) ? 'an' : 'a'} ${text}`;
}
