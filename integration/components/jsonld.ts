import type { BreadcrumbList, ImageObject, Person, TechArticle } from 'schema-dts';
import { z } from 'zod';
import { defineComponent } from './define.ts';
import type { AuthorCard } from './author.ts';
import type { Caption } from './caption.ts';
import type { Frontmatter } from './frontmatter.ts';
import type { Metatags } from './metatags.ts';

const node = z.looseObject({ '@type': z.string(), '@id': z.string() });
const schema = z.strictObject({
  '@context': z.literal('https://schema.org'),
  '@graph': z.array(node).min(4),
});
export type JsonLd = z.infer<typeof schema>;

interface Inputs {
  siteUrl: string;
  brand: string;
}

type GraphNode = Exclude<TechArticle | BreadcrumbList | Person | ImageObject, string>;

export default defineComponent({
  name: 'jsonld',
  kind: 'derived',
  version: 2,
  dependsOn: ['frontmatter', 'metatags', 'caption', 'author'],
  format: 'json',
  schema,
  inputs: ({ site }): Inputs => ({ siteUrl: site.url, brand: site.brand }),
  build: ({ inputs, deps }) => {
    const fm = deps.frontmatter as Frontmatter;
    const meta = deps.metatags as Metatags;
    const caption = deps.caption as Caption;
    const author = deps.author as AuthorCard;
    const url = meta.canonical;
    const absolute = (path: string) => new URL(path, inputs.siteUrl).href;
    const authorId = absolute(`/authors/#${author.id}`);
    const heroId = `${url}#hero-image`;
    const microId = `${url}#micrograph`;
    const graph: GraphNode[] = [
      {
        '@type': 'TechArticle',
        '@id': `${url}#article`,
        headline: fm.title,
        alternativeHeadline: fm.headline,
        abstract: fm.description,
        description: meta.description,
        url,
        mainEntityOfPage: url,
        inLanguage: 'en',
        keywords: meta.keywords.join(', '),
        about: { '@type': 'Thing', name: fm.name },
        articleSection: fm.categoryLabel,
        author: { '@id': authorId },
        publisher: { '@type': 'Organization', name: inputs.brand, url: absolute('/') },
        image: [{ '@id': heroId }, { '@id': microId }],
      },
      {
        '@type': 'BreadcrumbList',
        '@id': `${url}#breadcrumbs`,
        itemListElement: [
          { '@type': 'ListItem', position: 1, name: 'Materials', item: absolute('/materials/') },
          { '@type': 'ListItem', position: 2, name: fm.categoryLabel, item: absolute(`/materials/${fm.category}/`) },
          { '@type': 'ListItem', position: 3, name: fm.name, item: url },
        ],
      },
      {
        '@type': 'Person',
        '@id': authorId,
        name: author.name,
        jobTitle: author.role,
        description: author.bio,
        knowsAbout: author.expertise,
      },
      { '@type': 'ImageObject', '@id': heroId, contentUrl: absolute(fm.images.hero.src), caption: fm.images.hero.alt },
      { '@type': 'ImageObject', '@id': microId, contentUrl: absolute(caption.image.src), caption: caption.image.alt },
    ];
    return { '@context': 'https://schema.org' as const, '@graph': graph as unknown as JsonLd['@graph'] };
  },
});
