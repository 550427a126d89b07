import type { MaterialPage } from './material-pages.ts';

/** "surface preparation" -> "surface-preparation". Tags are lowercase words, spaces and hyphens. */
export function tagSlug(tag: string): string {
  return tag
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function tagPath(tag: string): string {
  return `/tags/${tagSlug(tag)}/`;
}

export interface TagGroup {
  slug: string;
  label: string;
  pages: MaterialPage[];
}

/** Every tag used by any material, with the materials that carry it; tags that slug alike share a page. */
export function collectTags(pages: readonly MaterialPage[]): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const page of pages) {
    for (const tag of page.tags.data.tags) {
      const slug = tagSlug(tag);
      if (slug === '') continue;
      let group = groups.get(slug);
      if (!group) {
        group = { slug, label: tag, pages: [] };
        groups.set(slug, group);
      }
      if (!group.pages.includes(page)) group.pages.push(page);
    }
  }
  return [...groups.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}
