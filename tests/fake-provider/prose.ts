// Plausible, digit-free English about laser cleaning a material, fitted to length limits.
import type { Random } from './random.ts';
import {
  ALT_TEXTS,
  COMMON_WORDS,
  HEADINGS,
  KIND_WORDS,
  QUESTIONS,
  SENTENCES,
  SHORT_SENTENCES,
  TAG_WORDS,
  TITLES,
  TITLE_SUFFIXES,
  materialKind,
  type MaterialKind,
} from './vocabulary.ts';

export interface ProseSubject {
  /** The material name, written as given. */
  material: string;
  kind: MaterialKind;
}

export function proseSubject(material: string | undefined): ProseSubject {
  const name = material?.trim() || 'the workpiece';
  return { material: name, kind: materialKind(name) };
}

/** What a string field looks like, guessed from its property name and bounds. */
export type TextStyle = 'prose' | 'article' | 'title' | 'question' | 'tag' | 'alt';

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with', 'without', 'versus']);

function words(subject: ProseSubject, key: string): readonly string[] {
  const kindWords = KIND_WORDS[subject.kind] as unknown as Record<string, readonly string[]>;
  return kindWords[key] ?? COMMON_WORDS[key] ?? [];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word, index) => (index > 0 && SMALL_WORDS.has(word) ? word : capitalize(word)))
    .join(' ');
}

/** Fills a template: `[a|b]` picks an option, `{key}` a word, `{Key}` a capitalised word, `{M}` the material. */
export function expand(template: string, random: Random, subject: ProseSubject, options: { title?: boolean } = {}): string {
  const chosen = template.replace(/\[([^[\]]*)\]/g, (_, body: string) => random.pick(body.split('|')));
  const used = new Map<string, Set<string>>();
  const filled = chosen.replace(/\{([A-Za-z]+)(\d?)\}/g, (_, rawKey: string) => {
    if (rawKey === 'M') return subject.material;
    const key = rawKey.toLowerCase();
    const list = words(subject, key);
    if (list.length === 0) return '';
    const seen = used.get(key) ?? new Set<string>();
    used.set(key, seen);
    const fresh = list.filter((w) => !seen.has(w));
    let word = random.pick(fresh.length > 0 ? fresh : list);
    seen.add(word);
    if (word.includes('{')) word = (/^\s*/.exec(word)?.[0] ?? '') + expand(word, random, subject, options);
    if (options.title) return titleCase(word);
    return rawKey.charAt(0) === rawKey.charAt(0).toUpperCase() ? capitalize(word) : word;
  });
  return tidy(filled);
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\s+([,.?])/g, '$1').replace(/,\s*,/g, ',').trim();
}

export function sentence(random: Random, subject: ProseSubject): string {
  let text = expand(random.pick(SENTENCES), random, subject);
  if (random.chance(0.15) && text.endsWith('.') && !text.includes(', which')) {
    const tail = expand(random.pick(COMMON_WORDS.tail!), random, subject);
    text = `${text.slice(0, -1)}${tail.startsWith(',') ? '' : ' '}${tail}.`;
  }
  return capitalize(text);
}

/** Several different sentences, never the same one twice in a row. */
export function paragraph(random: Random, subject: ProseSubject, count: number, seen = new Set<string>()): string {
  const out: string[] = [];
  for (let tries = 0; out.length < count && tries < count * 6; tries++) {
    const s = sentence(random, subject);
    if (seen.has(s)) continue;
    seen.add(s);
    out.push(s);
  }
  return out.join(' ');
}

export function title(random: Random, subject: ProseSubject): string {
  return expand(random.pick(TITLES), random, subject, { title: true });
}

export function question(random: Random, subject: ProseSubject): string {
  return capitalize(expand(random.pick(QUESTIONS), random, subject));
}

export function altText(random: Random, subject: ProseSubject): string {
  return capitalize(expand(random.pick(ALT_TEXTS), random, subject));
}

/** A Markdown article: an opening paragraph, then `## ` sections, until it reaches `minLength`. */
export function article(random: Random, subject: ProseSubject, minLength: number): string {
  const headings = random.shuffle(HEADINGS).map((h) => expand(h, random, subject, { title: true }));
  const seen = new Set<string>();
  const blocks: string[] = [paragraph(random, subject, random.int(3, 5), seen)];
  let length = blocks[0]!.length;
  let section = 0;
  while (length < minLength || section < 2) {
    const heading = headings[section % headings.length]!;
    section++;
    const paragraphs = random.int(1, 2);
    blocks.push(`## ${heading}`);
    length += heading.length + 5;
    for (let p = 0; p < paragraphs; p++) {
      const text = paragraph(random, subject, random.int(3, 5), seen);
      blocks.push(text);
      length += text.length + 2;
    }
    if (section > 200) break;
  }
  return blocks.join('\n\n');
}

/** Lowercase phrases of letters, spaces and hyphens, for tags and keywords; the list is shuffled. */
export function tagCandidates(random: Random, subject: ProseSubject): string[] {
  const plain = (text: string) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z -]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
  const out = new Set<string>();
  const name = /\d/.test(subject.material) ? '' : plain(subject.material);
  const kindWords = KIND_WORDS[subject.kind];
  if (name) {
    out.add(`${name} cleaning`);
    out.add(`laser cleaning ${name}`);
    out.add(name);
  }
  for (const c of kindWords.contaminant) out.add(`${plain(c.replace(/^(a|an) /, ''))} removal`);
  for (const t of TAG_WORDS) out.add(t);
  for (const u of kindWords.use) out.add(plain(u));
  if (subject.kind !== 'general') out.add(`${subject.kind} cleaning`);
  for (const m of COMMON_WORDS.oldmethod!) out.add(`${m} alternative`);
  for (const p of COMMON_WORDS.param!) out.add(p);
  const list = [...out].filter((t) => t.length >= 2);
  // Material-specific tags first, the rest in a seeded order.
  const head = name ? list.slice(0, 3) : [];
  return [...random.shuffle(head), ...random.shuffle(list.slice(head.length))];
}

/** A lowercase, hyphen-separated identifier: "aluminum-laser-cleaning". */
export function slugText(random: Random, subject: ProseSubject): string {
  const base = subject.material
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return [base || 'material', random.pick(['laser-cleaning', 'surface-care', 'cleaning-guide', 'laser-care'])].join('-');
}

/**
 * Text in the given style whose length lies in [minLength, maxLength]. Whole sentences are
 * preferred; otherwise the text is cut at a word boundary and closed with a period.
 */
export function fitText(random: Random, subject: ProseSubject, style: TextStyle, minLength = 0, maxLength = Infinity): string {
  const min = Math.max(0, minLength);
  const max = Math.max(min, maxLength);
  let text: string;
  switch (style) {
    case 'article':
      text = article(random, subject, Math.max(min, Math.min(max, 2400)));
      break;
    case 'title':
      text = growTitle(random, subject, min, max);
      break;
    case 'question':
      text = question(random, subject);
      break;
    case 'alt':
      text = altText(random, subject);
      break;
    case 'tag':
      text = tagCandidates(random, subject).find((t) => t.length >= min && t.length <= max) ?? tagCandidates(random, subject)[0]!;
      break;
    default:
      text = sentences(random, subject, min, max);
  }
  while (text.length < min) {
    const more = style === 'article' || min >= 700 ? `\n\n${paragraph(random, subject, 4)}` : ` ${sentence(random, subject)}`;
    text += more;
  }
  return cut(text, min, max);
}

function growTitle(random: Random, subject: ProseSubject, min: number, max: number): string {
  const options = random.shuffle(TITLES).map((t) => expand(t, random, subject, { title: true }));
  const fitting = options.find((t) => t.length >= min && t.length <= max);
  if (fitting) return fitting;
  for (const base of options) {
    for (const suffix of random.shuffle(TITLE_SUFFIXES)) {
      const longer = base + expand(suffix, random, subject, { title: true });
      if (longer.length >= min && longer.length <= max) return longer;
    }
  }
  const shortest = options.reduce((a, b) => (b.length < a.length ? b : a));
  return shortest.length >= min ? shortest : `${shortest}. ${sentences(random, subject, min - shortest.length - 2, Infinity)}`;
}

/** Whole sentences up to a natural length for the bounds, joined as one paragraph or several. */
function sentences(random: Random, subject: ProseSubject, min: number, max: number): string {
  const target = Number.isFinite(max) ? Math.max(min, Math.round(min + (max - min) / 2)) : Math.max(min, 180);
  const paragraphs = min >= 700;
  const parts: string[] = [];
  const seen = new Set<string>();
  let length = 0;
  let inParagraph = 0;
  while (length < target && parts.length < 400) {
    const sep = parts.length === 0 ? '' : paragraphs && inParagraph >= 4 ? '\n\n' : ' ';
    const room = max - length - sep.length;
    let chosen: string | undefined;
    let fallback: string | undefined;
    for (let tries = 0; tries < 40 && chosen === undefined; tries++) {
      const s = sentence(random, subject);
      if (seen.has(s)) continue;
      fallback ??= s;
      if (s.length <= room) chosen = s;
    }
    for (let tries = 0; tries < 30 && chosen === undefined && length < min; tries++) {
      const s = capitalize(expand(random.pick(SHORT_SENTENCES), random, subject));
      if (!seen.has(s) && s.length <= room) chosen = s;
    }
    if (chosen === undefined) {
      // Nothing fits: stop if the minimum is met, else overshoot and let `cut` trim.
      if (length >= min || fallback === undefined) break;
      chosen = fallback;
    }
    seen.add(chosen);
    parts.push(sep + chosen);
    length += sep.length + chosen.length;
    inParagraph = sep === '\n\n' ? 1 : inParagraph + 1;
  }
  return parts.join('');
}

/** Cuts text to at most `max` characters, at a sentence or word boundary, keeping at least `min`. */
export function cut(text: string, min: number, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max + 1);
  // A whole-sentence boundary within the bounds.
  for (let i = Math.min(head.length - 1, max - 1); i >= Math.max(0, min - 1); i--) {
    const ch = head[i];
    if ((ch === '.' || ch === '?') && (i + 1 === head.length || /\s/.test(head[i + 1] ?? ' '))) {
      const candidate = head.slice(0, i + 1).trimEnd();
      if (candidate.length >= min && candidate.length <= max && !/\n## [^\n]*$/.test(candidate)) return candidate;
    }
  }
  // A word boundary, closed with a period when there is room; else without one.
  for (const withPeriod of [true, false]) {
    for (let i = Math.min(max, text.length - 1); i >= min - 1 && i > 0; i--) {
      if (!/\s/.test(text[i] ?? ' ')) continue;
      const candidate = text.slice(0, i).replace(/[\s,;:'-]+$/, '').replace(/\n#+ [^\n]*$/, '').trimEnd();
      const closed = withPeriod && !/[.?!]$/.test(candidate) ? `${candidate}.` : candidate;
      if (closed.length >= min && closed.length <= max && closed.length > 0) return closed;
    }
  }
  // No boundary fits the window: cut inside a word.
  let hard = text.slice(0, max).trimEnd();
  while (hard.length < min) hard += 'e';
  return hard;
}

/** Words: whitespace-separated tokens with a letter or digit (a Markdown `##` is not a word). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Word limits stated in a schema description: "at most 40 words", "400 to 900 words", "at least 50 words". */
export function wordBounds(description: unknown): { minWords: number; maxWords: number } {
  const out = { minWords: 0, maxWords: Infinity };
  if (typeof description !== 'string') return out;
  const range = /(\d+)\s*(?:to|-|–|and)\s*(\d+)\s*words/i.exec(description);
  if (range) return { minWords: Number(range[1]), maxWords: Number(range[2]) };
  const most = /(?:at most|no more than|up to|maximum of|max\.?|fewer than|under)\s*(\d+)\s*words/i.exec(description);
  const least = /(?:at least|no fewer than|minimum of|min\.?|more than|over)\s*(\d+)\s*words/i.exec(description);
  if (most) out.maxWords = Number(most[1]) - (/fewer than|under/i.test(most[0]) ? 1 : 0);
  if (least) out.minWords = Number(least[1]) + (/more than|over/i.test(least[0]) ? 1 : 0);
  return out;
}

/**
 * Brings text within a word range: adds sentences (paragraphs for Markdown) below the minimum,
 * and above the maximum keeps whole sentences, or cuts after the last allowed word.
 */
export function fitWords(text: string, random: Random, subject: ProseSubject, minWords: number, maxWords: number, minLength: number, maxLength: number): string {
  let out = text;
  const markdown = out.includes('\n\n');
  for (let guard = 0; wordCount(out) < minWords && guard < 200; guard++) {
    out += markdown ? `\n\n${paragraph(random, subject, 4)}` : ` ${sentence(random, subject)}`;
  }
  if (out.length > maxLength) out = cut(out, minLength, maxLength);
  if (wordCount(out) <= maxWords) return out;
  const ends = [...out.matchAll(/\S+/g)].filter((m) => /[\p{L}\p{N}]/u.test(m[0])).map((m) => m.index + m[0].length);
  const limit = ends[maxWords - 1] ?? out.length;
  const head = out.slice(0, limit);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'), head.endsWith('.') ? head.length - 1 : -1, head.lastIndexOf('? '));
  const whole = sentenceEnd > 0 ? head.slice(0, sentenceEnd + 1).replace(/\n+#+ [^\n]*$/, '').trimEnd() : '';
  if (whole.length >= minLength && wordCount(whole) >= minWords) return whole;
  const words = head.replace(/[\s,;:'-]+$/, '');
  return /[.?!]$/.test(words) || words.length + 1 > maxLength ? words : `${words}.`;
}
