import type { ProseString } from './prose.ts';
import type { CheckContext, CheckProblem } from './types.ts';
import { excerpt, where } from './wording.ts';

interface Remnant {
  pattern: RegExp;
  what: string;
}

// What a template or a chatty model leaves behind. Case-insensitive where the words cannot be
// ordinary prose in any case; "I cannot" stays case-sensitive, and a model's preamble ("Here
// is", "Sure,") is only looked for where it would stand: at the start of a field or a line.
const REMNANTS: readonly Remnant[] = [
  { pattern: /\{\{|\}\}/g, what: 'template braces' },
  { pattern: /\{\s*[\p{L}_][\p{L}\p{N}_.\- ]{0,40}\}/gu, what: 'a template placeholder' },
  { pattern: /\b(?:TODO|TBD|FIXME|XXX)\b/gi, what: 'an unfinished-work marker' },
  { pattern: /\b(?:lorem|ipsum)\b/gi, what: 'filler text' },
  { pattern: /\[\s*(?:insert|placeholder|your|add|todo|tbd|name|material|citation)\b[^\]]*\]?/gi, what: 'a placeholder in brackets' },
  { pattern: /\[[A-Z][A-Z0-9 _-]{2,}\]/g, what: 'a placeholder in brackets' },
  { pattern: /<\s*\/?\s*(?:placeholder|insert|material|name|your)\b[^>]*>/gi, what: 'a placeholder tag' },
  { pattern: /(?:^|\n)[ \t>*-]*(?:here is|here are|here's|here’s)\b/gi, what: "a model's preamble" },
  { pattern: /\bhere(?: is|'s|’s) (?:the|your|an?) (?:article|text|json|content|caption|summary|description|revised|updated|rewritten|requested|draft)\b/gi, what: "a model's preamble" },
  { pattern: /(?:^|\n)[ \t]*(?:sure|certainly|of course|absolutely)[,!.]/gi, what: "a model's preamble" },
  { pattern: /\bas an ai\b/gi, what: "a model's remark about itself" },
  { pattern: /\b(?:large )?language model\b/gi, what: "a model's remark about itself" },
  { pattern: /\bI (?:cannot|can't|can’t|am unable|'m unable|’m unable)\b/g, what: "a model's refusal" },
  { pattern: /```/g, what: 'a code fence' },
  { pattern: /"[\p{L}_@$][\p{L}\p{N}_@$-]*"\s*:/gu, what: 'a leftover JSON key' },
  { pattern: /^\s*[{[]\s*"/g, what: 'leftover JSON' },
  { pattern: /^\s*[a-z]+[A-Z][A-Za-z]*\s*:/g, what: 'a leftover field name' },
];

// Every remnant of one set of flags in one pattern. A field it finds nothing in (most fields)
// holds none of them: one search per set of flags rules that out, instead of one per remnant.
const ANY_REMNANT = [...new Set(REMNANTS.map((r) => r.pattern.flags))].map(
  (flags) => new RegExp(REMNANTS.filter((r) => r.pattern.flags === flags).map((r) => `(?:${r.pattern.source})`).join('|'), flags),
);

/** Template placeholders, unfinished-work markers and a model's remarks left in the prose. */
export function checkPlaceholders(context: CheckContext, prose: readonly ProseString[]): CheckProblem[] {
  let keys: Set<string> | undefined;
  const problems: CheckProblem[] = [];
  for (const field of prose) {
    const found = new Set<string>();
    const spans: [number, number][] = [];
    const report = (index: number, length: number, what: string) => {
      const quote = field.text.slice(index, index + length).trim();
      // One message per remnant: the same text found twice, or by two overlapping patterns, is one problem.
      if (found.has(quote) || spans.some(([start, end]) => index < end && index + length > start)) return;
      found.add(quote);
      spans.push([index, index + length]);
      problems.push({
        check: 'placeholders',
        field: field.path,
        message: `${where(field.path, field.text, index)}: contains ${what}, ${quote.includes('"') ? `\`${quote}\`` : `"${quote}"`} (in "${excerpt(field.text, index, length)}"); write finished text only`,
      });
    };
    const flags = new Set(ANY_REMNANT.filter((any) => field.text.search(any) >= 0).map((any) => any.flags));
    for (const { pattern, what } of REMNANTS) {
      // A search answers "none here" without the copy of the pattern that matchAll makes.
      if (!flags.has(pattern.flags) || field.text.search(pattern) < 0) continue;
      for (const match of field.text.matchAll(pattern)) {
        const lead = /^\s*/.exec(match[0])![0].length;
        report(match.index + lead, match[0].length - lead, what);
      }
    }
    // A field that begins with the name of a field of this content ("summary: ...").
    const key = /^\s*"?([A-Za-z@][\w@]*)"?\s*:/.exec(field.text);
    if (key && (keys ??= fieldNames(context.data)).has(key[1]!)) report(key.index, key[0].length, 'a leftover field name');
  }
  return problems;
}

function fieldNames(data: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(data)) for (const item of data) fieldNames(item, into);
  else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      into.add(key);
      fieldNames(value, into);
    }
  }
  return into;
}
