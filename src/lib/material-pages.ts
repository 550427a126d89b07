import { getCollection, type CollectionEntry } from 'astro:content';
import { AstroError } from 'astro/errors';
import { findMarkup } from '../../integration/checks/markup.ts';

/** The ten components a material page is made of, in generation order. */
export const PAGE_COMPONENTS = [
  'frontmatter',
  'metatags',
  'propertiestable',
  'bullets',
  'caption',
  'text',
  'table',
  'tags',
  'jsonld',
  'author',
] as const;
export type PageComponent = (typeof PAGE_COMPONENTS)[number];

export type Material = CollectionEntry<'materials'>['data'];

/** Everything one material page renders: its catalogue entry and one entry of every component. */
export interface MaterialPage {
  material: Material;
  frontmatter: CollectionEntry<'frontmatter'>;
  metatags: CollectionEntry<'metatags'>;
  propertiestable: CollectionEntry<'propertiestable'>;
  bullets: CollectionEntry<'bullets'>;
  caption: CollectionEntry<'caption'>;
  text: CollectionEntry<'text'>;
  table: CollectionEntry<'table'>;
  tags: CollectionEntry<'tags'>;
  jsonld: CollectionEntry<'jsonld'>;
  author: CollectionEntry<'author'>;
  /** Earliest and latest `generatedAt` of the page's components: when it was first and last written. */
  dates: { published: string; modified: string };
}

let cached: Promise<MaterialPage[]> | undefined;

/**
 * Every material of the catalogue with all ten of its components, sorted by category and name.
 * Throws one error naming every missing `<slug>/<component>`, so a page is never built with a
 * section silently left out.
 */
export function loadMaterialPages(): Promise<MaterialPage[]> {
  cached ??= assemblePages();
  return cached;
}

async function assemblePages(): Promise<MaterialPage[]> {
  const materials = await getCollection('materials');
  const collections = await Promise.all(
    PAGE_COMPONENTS.map(async (name) => [name, new Map((await getCollection(name)).map((e) => [e.id, e]))] as const),
  );
  const byComponent = new Map<PageComponent, Map<string, { data: { _provenance: { generatedAt: string } } }>>(collections);

  const missing: string[] = [];
  for (const { data: material } of materials) {
    for (const name of PAGE_COMPONENTS) {
      if (!byComponent.get(name)!.has(material.slug)) missing.push(`${material.slug}/${name}`);
    }
  }
  if (missing.length > 0) {
    throw new AstroError(
      `${missing.length} content component(s) are missing, so no material page was built:\n  ${missing.join('\n  ')}`,
      'Run `npx astro sync` or `npx batchgen --all` to generate them (files in content/components/<component>/<slug>.*), then build again.',
    );
  }

  // Astro's Markdown pipeline passes raw HTML and link targets through as written. Generated
  // articles are checked before they are written; an article edited by hand is checked here,
  // and the build stops rather than publish markup that could run in a reader's browser.
  const unsafe: string[] = [];
  for (const [slug, entry] of byComponent.get('text')! as Map<string, { body?: string; filePath?: string }>) {
    for (const problem of findMarkup('body', entry.body ?? '')) unsafe.push(`${entry.filePath ?? `content/components/text/${slug}.md`}: ${problem.message}`);
  }
  if (unsafe.length > 0) {
    throw new AstroError(
      `${unsafe.length} article(s) contain markup that is not published:\n  ${unsafe.join('\n  ')}`,
      'Remove the raw HTML or links from the file (plain Markdown text, headings, lists and emphasis only), then build again.',
    );
  }

  const pages = materials.map(({ data: material }) => {
    const entries = Object.fromEntries(PAGE_COMPONENTS.map((name) => [name, byComponent.get(name)!.get(material.slug)!]));
    const generated = PAGE_COMPONENTS.map((name) => entries[name]!.data._provenance.generatedAt).sort(
      (a, b) => Date.parse(a) - Date.parse(b),
    );
    return {
      material,
      ...entries,
      dates: { published: generated[0]!, modified: generated[generated.length - 1]! },
    } as MaterialPage;
  });
  return pages.sort(
    (a, b) => a.material.category.localeCompare(b.material.category) || a.material.name.localeCompare(b.material.name, 'en'),
  );
}

export interface CategoryGroup {
  id: string;
  label: string;
  description: string;
  pages: MaterialPage[];
}

/** Materials grouped by category, in catalogue order (category files are read in name order). */
export function groupByCategory(pages: readonly MaterialPage[]): CategoryGroup[] {
  const groups = new Map<string, CategoryGroup>();
  for (const page of pages) {
    const { category, categoryLabel, categoryDescription } = page.material;
    let group = groups.get(category);
    if (!group) {
      group = { id: category, label: categoryLabel, description: categoryDescription, pages: [] };
      groups.set(category, group);
    }
    group.pages.push(page);
  }
  return [...groups.values()];
}

export function materialPath(page: MaterialPage): string {
  return page.frontmatter.data.path;
}

export function categoryPath(categoryId: string): string {
  return `/materials/${categoryId}/`;
}

/** The site's name, as the generator wrote it into every page's metadata (the `brand` option). */
export async function siteBrand(): Promise<string> {
  const [first] = await loadMaterialPages();
  if (!first) throw new AstroError('The catalogue has no materials.', 'Add a content/materials/<category>.yaml file.');
  return first.metatags.data.openGraph.siteName;
}
