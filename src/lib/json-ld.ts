import type { MaterialPage } from './material-pages.ts';

type Node = { '@type': string; '@id': string; [key: string]: unknown };

/**
 * The page's JSON-LD with the article's dates added. They come from the components'
 * provenance (first and last generation), so an unchanged rebuild keeps the same dates.
 */
export function articleJsonLd(page: MaterialPage): { '@context': string; '@graph': Node[] } {
  const { _provenance, ...doc } = page.jsonld.data;
  return {
    '@context': doc['@context'],
    '@graph': doc['@graph'].map((node) =>
      node['@type'] === 'TechArticle'
        ? { ...node, datePublished: page.dates.published, dateModified: page.dates.modified }
        : node,
    ),
  };
}

const UNSAFE_IN_SCRIPT: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * JSON for a `<script type="application/ld+json">` element. Generated text may contain
 * `</script>` or `<!--`; escaping `<`, `>` and `&` inside JSON strings keeps it from ever
 * ending the element, and U+2028/2029 are escaped for consumers that parse it as JavaScript.
 */
export function serializeJsonLd(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => UNSAFE_IN_SCRIPT[char]!);
}
