import { createHash } from 'node:crypto';
import { LASER_PARAMETER_DEFINITIONS, PROPERTY_DEFINITIONS } from '../catalog/properties.ts';
import type { LaserParameterId, PropertyId } from '../catalog/properties.ts';
import type { Quantity } from '../catalog/schema.ts';

/** A number as people write it: no float noise, no trailing zeros, thousands grouped from 10,000. */
export function formatNumber(n: number): string {
  const text = Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
  if (!Number.isInteger(n) || Math.abs(n) < 10000) return text;
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "2.7 g/cm³", "0.5–3 J/cm²", "6 Mohs", "35 %". */
export function formatQuantity(q: Quantity): string {
  const amount = q.value !== undefined ? formatNumber(q.value) : `${formatNumber(q.min!)}–${formatNumber(q.max!)}`;
  return q.unit === '' ? amount : `${amount} ${q.unit}`;
}

export function propertyLabel(id: PropertyId): string {
  return PROPERTY_DEFINITIONS[id].label;
}

export function laserLabel(id: LaserParameterId): string {
  return LASER_PARAMETER_DEFINITIONS[id].label;
}

/** The middle of a quantity, for comparisons. */
export function midpoint(q: Quantity): number {
  return q.value !== undefined ? q.value : (q.min! + q.max!) / 2;
}

/**
 * A deterministic chooser seeded by text (material slug + component): the offline writer picks
 * its sentence shapes with it, so two materials rarely share the same shape and a rerun writes
 * the same bytes.
 */
export function chooser(seed: string) {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
  return {
    pick<T>(options: readonly T[]): T {
      return options[Math.floor(next() * options.length)]!;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy;
    },
  };
}

export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

export function upperFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/** "a, b and c" */
export function listPhrase(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Cuts text to at most `max` characters at a word boundary. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

export function materialPath(category: string, slug: string): string {
  return `/materials/${category}/${slug}/`;
}

/** Lowercase words only: a tag or keyword as search engines and tag pages use it. */
export function toTag(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9 -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .trim();
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
