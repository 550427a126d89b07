// Which strings of a component's stored content are prose: the words a writer (the model or the
// offline writer) chose, as opposed to values the component copies from the catalogue, from the
// author profile or from another component. The checks read only prose, so a catalogue value is
// never blamed on the writer and a copied sentence is checked once, where it is written.
//
// The rule, read off each component's `build`:
// - every string, at any depth, is prose, except
// - URLs and site paths, and the fields under COPIED_KEYS wherever they appear: ids, slugs, image
//   `src`, and what is copied verbatim from the catalogue (`display`, `unit`, `label`, `laserType`,
//   `applications`, `contaminants`, `standards`, the stored `properties`/`laser`/`settings`, names
//   and categories);
// - the fields listed per component in COPIED_FIELDS: metatags' titles and its OpenGraph/Twitter
//   cards repeat frontmatter's title, hero alt text and metatags' own description;
//   propertiestable's caption is a fixed template around the material's name;
// - all of `table`, `author` and `jsonld`, which hold only catalogue data, the author profile and
//   copies of other components.
// A component added by a user follows the general rule.

export interface ProseString {
  /** JSON path of the field, e.g. "bullets[2].text". */
  path: string;
  text: string;
  /** A field that says what the page is about (title, headline, alt text, ...). */
  subject: boolean;
}

const COPIED_KEYS = new Set([
  '_provenance',
  '@context',
  '@id',
  '@type',
  'id',
  'slug',
  'path',
  'src',
  'url',
  'canonical',
  'contentUrl',
  'item',
  'mainEntityOfPage',
  'display',
  'unit',
  'label',
  'laserType',
  'applications',
  'contaminants',
  'standards',
  'properties',
  'laser',
  'settings',
  'parameters',
  'property',
  'parameter',
  'formula',
  'name',
  'category',
  'categoryLabel',
  'subcategory',
  'author',
  'locale',
  'siteName',
  'robots',
  'card',
  'type',
]);

const COPIED_FIELDS: Record<string, readonly string[]> = {
  metatags: ['title', 'documentTitle', 'openGraph', 'twitter'],
  propertiestable: ['caption'],
};

const COPIED_COMPONENTS = new Set(['table', 'author', 'jsonld']);

/** Fields whose text names the page's subject; another material named there is a wrong subject. */
const SUBJECT_FIELDS: Record<string, readonly string[]> = {
  frontmatter: ['title', 'headline', 'description', 'summary', 'images.hero.alt', 'images.micro.alt'],
  metatags: ['description'],
  caption: ['before', 'after', 'image.alt'],
  bullets: ['bullets[].title'],
};

const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/\/|mailto:|\/[^\s]*$)/i;

/** The prose strings of a component's content, with their paths, in document order. */
export function proseStrings(component: string, data: Record<string, unknown>): ProseString[] {
  if (COPIED_COMPONENTS.has(component)) return [];
  const { skipped, subjects } = fieldRules(component);
  const out: ProseString[] = [];
  const visit = (value: unknown, path: string) => {
    if (path !== '' && skipped.some((p) => p.test(path))) return;
    if (typeof value === 'string') {
      if (value.trim() !== '' && !URL_LIKE.test(value.trim())) {
        out.push({ path, text: value, subject: subjects.some((p) => p.test(path)) });
      }
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (COPIED_KEYS.has(key)) continue;
        visit(child, path === '' ? key : `${path}.${key}`);
      }
    }
  };
  visit(data, '');
  return out;
}

/** The prose of a component as one text, the input of the near-duplicate comparison. */
export function proseOf(component: string, data: Record<string, unknown>): string {
  return proseText(proseStrings(component, data));
}

/** Prose strings as one text, as proseOf gives it. */
export function proseText(prose: readonly ProseString[]): string {
  return prose.map((p) => p.text).join('\n');
}

/** Every string anywhere in the content, prose or not, with its path. */
export function allStrings(data: unknown, path = '', into: { path: string; text: string }[] = []): { path: string; text: string }[] {
  if (typeof data === 'string') into.push({ path, text: data });
  else if (Array.isArray(data)) data.forEach((item, index) => allStrings(item, `${path}[${index}]`, into));
  else if (data !== null && typeof data === 'object') {
    for (const [key, child] of Object.entries(data)) if (key !== '_provenance') allStrings(child, path === '' ? key : `${path}.${key}`, into);
  }
  return into;
}

const rules = new Map<string, { skipped: RegExp[]; subjects: RegExp[] }>();

/** The path patterns of a component's copied and subject fields. */
function fieldRules(component: string): { skipped: RegExp[]; subjects: RegExp[] } {
  let found = rules.get(component);
  if (!found) {
    found = { skipped: (COPIED_FIELDS[component] ?? []).map(pathPattern), subjects: (SUBJECT_FIELDS[component] ?? []).map(pathPattern) };
    rules.set(component, found);
  }
  return found;
}

/** "bullets[].title" matches "bullets[3].title" and anything below it. */
function pathPattern(pattern: string): RegExp {
  const source = pattern
    .split('[]')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\[\\d+\\]');
  return new RegExp(`^${source}(?:$|[.[])`);
}
