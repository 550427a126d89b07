import { z } from 'zod';
import { defineComponent } from './define.ts';
import { chooser, toTag, unique } from './format.ts';
import { lowercaseTag } from './shared-schemas.ts';
import type { Frontmatter } from './frontmatter.ts';

const schema = z.strictObject({
  tags: z
    .array(lowercaseTag)
    .min(6)
    .max(10)
    .refine((tags) => new Set(tags).size === tags.length, 'tags must be unique'),
});
export type Tags = z.infer<typeof schema>;

interface Inputs {
  name: string;
  slug: string;
}

export default defineComponent({
  name: 'tags',
  kind: 'llm',
  version: 1,
  dependsOn: ['frontmatter'],
  format: 'yaml',
  schema,
  inputs: ({ material }): Inputs => ({ name: material.name, slug: material.slug }),
  llm: {
    schema,
    maxTokens: 200,
    temperature: 0.3,
    instructions: [
      'You tag one material page of a laser-cleaning guide for navigation.',
      'Write 6 to 10 unique tags, each one to four lowercase words (letters, digits, spaces, hyphens):',
      'the material, its category, what is cleaned off it, the industries, the process. No other material names.',
    ].join('\n'),
    prompt: ({ deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      return [
        `Category: ${fm.categoryLabel} (${fm.subcategory})`,
        `Contaminants: ${fm.contaminants.join(', ')}`,
        `Industries: ${fm.applications.map((a) => a.industry).join(', ')}`,
      ].join('\n');
    },
    offline: ({ inputs, deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      const c = chooser(`${inputs.slug}/tags`);
      const candidates = unique(
        [
          inputs.name,
          fm.categoryLabel,
          fm.subcategory,
          ...fm.contaminants.slice(0, 3),
          ...fm.applications.map((a) => a.industry),
          c.pick(['laser cleaning', 'laser ablation', 'surface preparation']),
          'non-contact cleaning',
        ].map(toTag),
      ).filter((t) => t.length >= 2 && t.length <= 40);
      return { tags: candidates.slice(0, 10) };
    },
  },
  build: (_context, draft) => draft,
});
