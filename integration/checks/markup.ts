import { allStrings } from './prose.ts';
import type { CheckContext, CheckProblem } from './types.ts';
import { excerpt, where } from './wording.ts';

interface Markup {
  pattern: RegExp;
  what: string;
}

// The site renders a component's Markdown `body` through Astro's Markdown pipeline, which passes
// raw HTML through and keeps every link target as written: a `<script>`, an `onerror=` handler or
// a `javascript:` link in a model's answer would run in the reader's browser. The prompt asks for
// no HTML, no links and no images; these patterns hold the answer to that.
const IN_MARKDOWN: readonly Markup[] = [
  { pattern: /<!--|<[/!?]?[a-z][^>\n]{0,60}>?/i, what: 'raw HTML' },
  { pattern: /!?\[[^\]\n]*\]\s*[([]/, what: 'a Markdown link or image' },
  { pattern: /^ {0,3}\[[^\]\n]+\]:/m, what: 'a Markdown link definition' },
  // (A lookahead for the non-blank character keeps the match linear in the line's length.)
  { pattern: /^(?=[^\n]*\S)[^\n]*\n {0,3}=+[ \t]*$/m, what: 'a level-1 heading (the page has its own H1)' },
];

// In any field: a URL scheme that runs code has no place in a guide, whatever renders it.
const ANYWHERE: readonly Markup[] = [{ pattern: /\b(?:java|vb)script\s*:/i, what: 'a script URL' }];

/** The markup problems of one field: raw HTML, links and images (in a Markdown body), script URLs (anywhere). */
export function findMarkup(path: string, text: string): CheckProblem[] {
  const problems: CheckProblem[] = [];
  const rules = path === 'body' ? [...IN_MARKDOWN, ...ANYWHERE] : ANYWHERE;
  for (const { pattern, what } of rules) {
    // Not global: each search starts at the beginning and finds the first occurrence.
    const match = pattern.exec(text);
    if (!match) continue;
    const quote = match[0].trim().slice(0, 60);
    problems.push({
      check: 'markup',
      field: path,
      message: `${where(path, text, match.index)}: contains ${what}, \`${quote}\` (in "${excerpt(text, match.index, match[0].length)}"); write plain text${path === 'body' ? ' and Markdown headings, lists and emphasis only' : ''}`,
    });
  }
  return problems;
}

/** Raw HTML, links, images and script URLs in generated text, refused before anything is written. */
export function checkMarkup(context: CheckContext, strings = allStrings(context.data)): CheckProblem[] {
  return strings.flatMap(({ path, text }) => findMarkup(path, text));
}
