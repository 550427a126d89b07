import type { Material } from '../catalog/load.ts';
import { escapeRegExp } from './wording.ts';

const cache = new WeakMap<Material, RegExp | null>();

/**
 * The text with every verbatim copy of the material's own catalogue wording blanked out
 * (description and its sentences, subcategory, contaminants, applications, standards, laser
 * type), keeping offsets. What the catalogue itself says is not the writer's choice of subject:
 * Brass's record calls it a "Copper-zinc alloy", and repeating that names no wrong material.
 */
export function withoutCatalogueText(material: Material, text: string): string {
  const pattern = phrasePattern(material);
  return pattern ? text.replace(pattern, (match) => match.replace(/[^\n]/g, ' ')) : text;
}

function phrasePattern(material: Material): RegExp | null {
  const cached = cache.get(material);
  if (cached !== undefined) return cached;
  const phrases = new Set<string>();
  const add = (phrase: string) => {
    const trimmed = phrase.trim().replace(/[.;:,]+$/, '');
    if (trimmed.length >= 3) phrases.add(trimmed);
  };
  add(material.description);
  for (const sentence of material.description.split(/(?<=[.;:!?])\s+/)) {
    add(sentence);
    // Clauses of three words or more: long enough to be the catalogue's wording, not a bare name.
    for (const clause of sentence.split(/,\s+|;\s+/)) if (clause.trim().split(/\s+/).length >= 3) add(clause);
  }
  add(material.subcategory);
  add(material.laser.laserType);
  for (const c of material.contaminants) add(c);
  for (const a of material.applications) {
    add(a.industry);
    add(a.detail);
  }
  for (const s of material.standards) {
    add(s.code);
    add(s.title);
  }
  const sorted = [...phrases].sort((a, b) => b.length - a.length);
  const pattern = sorted.length === 0 ? null : new RegExp(sorted.map((p) => escapeRegExp(p).replace(/\s+/g, '\\s+')).join('|'), 'giu');
  cache.set(material, pattern);
  return pattern;
}
