import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';

/** Every built HTML page, as paths relative to dist (e.g. "materials/metal/aluminum/index.html"). */
export async function htmlPages(dist: string): Promise<string[]> {
  return (await fg('**/*.html', { cwd: dist, onlyFiles: true })).sort();
}

/** The URL path a built file answers at: "materials/index.html" -> "/materials/". */
export function urlPathOf(file: string): string {
  if (file === '404.html') return '/404.html';
  return `/${file.replace(/(^|\/)index\.html$/, '$1')}`;
}

export interface Reference {
  attribute: 'href' | 'src';
  value: string;
}

const NAMED: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', nbsp: '\u00a0' };

/** Text as the browser reads it from markup: character references decoded. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return NAMED[ref] ?? whole;
  });
}

/** `href` and `src` values in a page's markup (Astro writes every attribute in double quotes). */
export function referencesIn(html: string): Reference[] {
  const out: Reference[] = [];
  for (const match of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
    out.push({ attribute: match[1] as Reference['attribute'], value: decodeEntities(match[2]!) });
  }
  return out;
}

/** The `id`s defined in a page, for checking `#fragment` links. */
export function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
}

export function readPage(dist: string, file: string): Promise<string> {
  return readFile(path.join(dist, file), 'utf8');
}

/** The `content` of `<meta name|property="key">`, decoded; undefined when absent. */
export function metaContent(html: string, key: string): string | undefined {
  const match = new RegExp(`<meta (?:name|property)="${key.replace(/[.:]/g, '\\$&')}" content="([^"]*)"`).exec(html);
  return match ? decodeEntities(match[1]!) : undefined;
}

/** The text of the first `<tag>…</tag>`, decoded. */
export function elementText(html: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`).exec(html);
  return match ? decodeEntities(match[1]!.replace(/<[^>]+>/g, '')) : undefined;
}

/** The bodies of the page's `<script type="application/ld+json">` elements, as written. */
export function jsonLdScripts(html: string): string[] {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}
