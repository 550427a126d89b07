import type { Material } from '../catalog/load.ts';
import { escapeRegExp } from './wording.ts';

/** A verbatim piece of a material's catalogue record, as the text may repeat it. */
interface Phrase {
  phrase: string;
  /** Finds the phrase in any case, with any run of white space between its words; made when first needed. */
  pattern?: RegExp;
  /**
   * The phrase's words lowercased, when its letters are ASCII (other characters having no case
   * at all): then finding it in any case is finding these words in the lowercased text.
   */
  words: string[] | undefined;
  /** Its longest word: no text without it holds the phrase. */
  longest: string;
}

const cache = new WeakMap<Material, Phrase[]>();
const WHITE_SPACE = /\s+/y;

/**
 * The text with every verbatim copy of the material's own catalogue wording blanked out
 * (description and its sentences, subcategory, contaminants, applications, standards, laser
 * type), keeping offsets. What the catalogue itself says is not the writer's choice of subject:
 * Brass's record calls it a "Copper-zinc alloy", and repeating that names no wrong material.
 *
 * The text is read from left to right; where phrases overlap, the one that starts first is
 * blanked, and of those starting at the same place, the longest.
 */
export function withoutCatalogueText(material: Material, text: string): string {
  const lower = text.toLowerCase();
  // A case-insensitive match of ASCII words is the same words in the lowercased text, unless
  // the text holds a long s ("ſ", which matches "s") or a letter that lowercases to two.
  const byWords = !text.includes('ſ') && lower.length === text.length;
  const phrases = phrasesOf(material).filter((p) => !byWords || p.words === undefined || lower.includes(p.longest));
  if (phrases.length === 0) return text;
  const next = phrases.map((phrase) => ({ phrase, start: -1, end: -1 }));
  let out = '';
  let position = 0;
  for (;;) {
    let first: (typeof next)[number] | undefined;
    for (const found of next) {
      if (found.start !== Infinity && found.start < position) {
        const match = byWords && found.phrase.words ? findWords(found.phrase.words, lower, position) : findPattern(found.phrase, text, position);
        [found.start, found.end] = match ?? [Infinity, Infinity];
      }
      if (found.start !== Infinity && (!first || found.start < first.start)) first = found;
    }
    if (!first) break;
    out += text.slice(position, first.start) + text.slice(first.start, first.end).replace(/[^\n]/g, ' ');
    position = first.end;
  }
  return out + text.slice(position);
}

/** The first place at or after `from` where the words stand, with white space between them. */
function findWords(words: string[], lower: string, from: number): [number, number] | undefined {
  for (let start = lower.indexOf(words[0]!, from); start >= 0; start = lower.indexOf(words[0]!, start + 1)) {
    let end = start + words[0]!.length;
    let k = 1;
    for (; k < words.length; k++) {
      // Printable ASCII is no white space: the usual miss (a short first word inside a longer one) ends here.
      const next = lower.charCodeAt(end);
      if (next > 0x20 && next < 0x80) break;
      WHITE_SPACE.lastIndex = end;
      if (!WHITE_SPACE.test(lower) || !lower.startsWith(words[k]!, WHITE_SPACE.lastIndex)) break;
      end = WHITE_SPACE.lastIndex + words[k]!.length;
    }
    if (k === words.length) return [start, end];
  }
  return undefined;
}

function findPattern(phrase: Phrase, text: string, from: number): [number, number] | undefined {
  const pattern = (phrase.pattern ??= new RegExp(escapeRegExp(phrase.phrase).replace(/\s+/g, '\\s+'), 'giu'));
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match ? [match.index, match.index + match[0].length] : undefined;
}

/** The material's catalogue wording, longest first. */
function phrasesOf(material: Material): Phrase[] {
  const cached = cache.get(material);
  if (cached) return cached;
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
  const compiled = [...phrases]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => {
      const words = phrase.toLowerCase().split(/\s+/);
      return { phrase, words: [...phrase].every(hasNoCaseBeyondAscii) ? words : undefined, longest: words.reduce((a, b) => (b.length > a.length ? b : a)) };
    });
  cache.set(material, compiled);
  return compiled;
}

/** ASCII, or a character that is no letter and has no other case ("°", "–", "³"), so no other character matches it in any case. */
function hasNoCaseBeyondAscii(char: string): boolean {
  return char <= '\x7f' || (!/\p{L}/u.test(char) && char.toLowerCase() === char && char.toUpperCase() === char);
}
