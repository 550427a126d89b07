import { z } from 'zod';
import { defineComponent } from './define.ts';
import { chooser, clip, listPhrase, lowerFirst, toTag, unique } from './format.ts';
import { line, lowercaseTag } from './shared-schemas.ts';
import type { Frontmatter } from './frontmatter.ts';

const draftSchema = z.strictObject({
  metaDescription: line(120, 160),
  keywords: z.array(lowercaseTag).min(5).max(10),
});

const card = z.strictObject({
  title: z.string(),
  description: z.string(),
  image: z.string(),
  imageAlt: z.string(),
});

const schema = z.strictObject({
  title: z.string().max(60),
  documentTitle: z.string(),
  description: z.string().min(120).max(160),
  keywords: z.array(z.string()),
  canonical: z.url(),
  robots: z.string(),
  openGraph: card.extend({ type: z.literal('article'), url: z.url(), siteName: z.string(), locale: z.string() }),
  twitter: card.extend({ card: z.literal('summary_large_image') }),
});

export type Metatags = z.infer<typeof schema>;

interface Inputs {
  name: string;
  slug: string;
  siteUrl: string;
  brand: string;
}

export default defineComponent({
  name: 'metatags',
  kind: 'llm',
  version: 1,
  dependsOn: ['frontmatter'],
  format: 'yaml',
  schema,
  inputs: ({ material, site }): Inputs => ({ name: material.name, slug: material.slug, siteUrl: site.url, brand: site.brand }),
  llm: {
    schema: draftSchema,
    maxTokens: 500,
    temperature: 0.4,
    instructions: [
      'You write the search-result snippet for one material page of a laser-cleaning guide.',
      'Write a meta description of 120 to 160 characters that says what the page helps the reader do,',
      'and 5 to 10 lowercase search keywords. Use only facts from the page data. No numbers, no units,',
      'no other material named as the subject, no quotation marks around the whole text.',
    ].join('\n'),
    prompt: ({ deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      return [`Title: ${fm.title}`, `Summary: ${fm.summary}`, `Contaminants: ${fm.contaminants.join(', ')}`].join('\n');
    },
    offline: ({ inputs, deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      const c = chooser(`${inputs.slug}/metatags`);
      const contaminants = fm.contaminants.map(lowerFirst);
      const candidates = c.shuffle([
        `Step-by-step laser cleaning of ${inputs.name.toLowerCase()}: which settings lift ${listPhrase(contaminants.slice(0, 2))} and how to check the surface after.`,
        `Remove ${listPhrase(contaminants.slice(0, 2))} from ${inputs.name.toLowerCase()} with a pulsed laser. Settings, risks and inspection for ${fm.subcategory.toLowerCase()} parts.`,
        `${inputs.name} laser cleaning explained: the settings that strip ${contaminants[0]} cleanly, what to watch on ${fm.subcategory.toLowerCase()} surfaces and where it is used.`,
      ]);
      let description = candidates.find((d) => d.length >= 120 && d.length <= 160) ?? candidates[0]!;
      if (description.length < 120) description = `${description} Guide for ${fm.categoryLabel.toLowerCase()} cleaning.`;
      return {
        metaDescription: clip(description, 160),
        keywords: unique([
          ...fm.keywords.slice(0, 4),
          `how to clean ${inputs.name.toLowerCase()}`,
          `${contaminants[0]} removal ${inputs.name.toLowerCase()}`,
          'laser surface preparation',
        ].map(toTag)).slice(0, 10),
      };
    },
  },
  build: ({ inputs, deps }, draft) => {
    const fm = deps.frontmatter as Frontmatter;
    const canonical = new URL(fm.path, inputs.siteUrl).href;
    const image = new URL(fm.images.hero.src, inputs.siteUrl).href;
    const documentTitle = fm.title.includes(inputs.brand) ? fm.title : `${fm.title} | ${inputs.brand}`;
    return {
      title: fm.title,
      documentTitle,
      description: draft.metaDescription,
      keywords: draft.keywords,
      canonical,
      robots: 'index, follow',
      openGraph: {
        type: 'article',
        title: fm.title,
        description: draft.metaDescription,
        url: canonical,
        siteName: inputs.brand,
        locale: 'en_US',
        image,
        imageAlt: fm.images.hero.alt,
      },
      twitter: {
        card: 'summary_large_image',
        title: fm.title,
        description: draft.metaDescription,
        image,
        imageAlt: fm.images.hero.alt,
      },
    };
  },
});
