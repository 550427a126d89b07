import { UNIT_PATTERN, matchedUnit, type UnitDefinition } from './units.ts';

/** A number (or a range of two) followed by a unit, as found in prose. */
export interface WrittenQuantity {
  /** The quantity exactly as written, e.g. "0.5-3 J/cm2". */
  text: string;
  /** Offset of `text` in the searched string. */
  index: number;
  /** One number, or the two ends of a range. */
  numbers: number[];
  unit: UnitDefinition;
}

// "2.7", "10,000", "10 000" with a thin space; a sign only where it cannot be a range dash.
const NUMBER = '\\d{1,3}(?:[,\\u2009\\u202F]\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?';
const SIGNED = `(?:(?<=^|[\\s(])[-−](?=\\d))?(?:${NUMBER})`;
const RANGE = '\\s*(?:–|—|-|−|‒)\\s*|\\s+(?:to|and)\\s+';
// Between the number and its unit: nothing, a space of any width, or the hyphen of "1064-nm light".
const GAP = '[ \\u00A0\\u2009\\u202F]?-?';

const QUANTITY = new RegExp(
  `(?<![\\p{L}\\p{N}.,\\-−])(?<first>${SIGNED})(?:(?<range>${RANGE})(?<second>${SIGNED}))?${GAP}(?:${UNIT_PATTERN})(?![\\p{L}\\p{N}])`,
  'gu',
);

/** Every number-with-unit in `text`, in order. Numbers without a known unit are not returned. */
export function findQuantities(text: string): WrittenQuantity[] {
  const found: WrittenQuantity[] = [];
  // Most prose has no digit at all, and the pattern is slow to rule out at every character.
  if (!/\d/.test(text)) return found;
  for (const match of text.matchAll(QUANTITY)) {
    const groups = match.groups!;
    const unit = matchedUnit(groups);
    if (!unit) continue;
    if (groups.second === undefined) {
      found.push({ text: match[0], index: match.index, numbers: [parseNumber(groups.first!)], unit });
    } else if (groups.range!.trim() === 'and' && !/\bbetween\s+$/i.test(text.slice(0, match.index))) {
      // "Class 4 and 1064 nm" is two things, not a range: only "between 20 and 100 kHz" is.
      const offset = groups.first!.length + groups.range!.length;
      found.push({ text: match[0].slice(offset), index: match.index + offset, numbers: [parseNumber(groups.second)], unit });
    } else {
      found.push({ text: match[0], index: match.index, numbers: [parseNumber(groups.first!), parseNumber(groups.second)], unit });
    }
  }
  return found;
}

function parseNumber(written: string): number {
  return Number(written.replace(/[,\u2009\u202F]/g, '').replace('−', '-'));
}
