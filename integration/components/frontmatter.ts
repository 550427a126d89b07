import { z } from 'zod';
import { defineComponent } from './define.ts';
import { chooser, clip, listPhrase, lowerFirst, materialPath, toTag, unique, upperFirst } from './format.ts';
import { materialTraits } from './material-traits.ts';
import {
  imageSchema,
  line,
  lowercaseTag,
  storeLaser,
  storeProperties,
  storedLaserSchema,
  storedPropertiesSchema,
} from './shared-schemas.ts';
import type { Material } from '../catalog/load.ts';

const draftSchema = z.strictObject({
  title: line(15, 60),
  headline: line(20, 110),
  description: line(120, 160),
  summary: line(80, 420),
  keywords: z.array(lowercaseTag).min(5).max(10),
  heroAlt: line(20, 150),
  microAlt: line(20, 150),
});

const schema = z.strictObject({
  name: z.string(),
  slug: z.string(),
  path: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  subcategory: z.string(),
  formula: z.string().optional(),
  title: z.string().max(60),
  headline: z.string(),
  description: z.string().min(120).max(160),
  summary: z.string(),
  keywords: z.array(z.string()),
  applications: z.array(z.strictObject({ industry: z.string(), detail: z.string() })),
  contaminants: z.array(z.string()),
  images: z.strictObject({ hero: imageSchema, micro: imageSchema }),
  author: z.string(),
  properties: storedPropertiesSchema,
  laser: storedLaserSchema,
});

export type Frontmatter = z.infer<typeof schema>;

type Inputs = Pick<Material, 'name' | 'slug' | 'subcategory' | 'formula' | 'description' | 'properties' | 'laser' | 'applications' | 'contaminants' | 'author'> & {
  category: string;
  categoryLabel: string;
};

export default defineComponent({
  name: 'frontmatter',
  kind: 'llm',
  version: 1,
  dependsOn: [],
  format: 'yaml',
  schema,
  inputs: ({ material, category }): Inputs => ({
    name: material.name,
    slug: material.slug,
    category: category.id,
    categoryLabel: category.label,
    subcategory: material.subcategory,
    ...(material.formula ? { formula: material.formula } : {}),
    description: material.description,
    properties: material.properties,
    laser: material.laser,
    applications: material.applications,
    contaminants: material.contaminants,
    author: material.author,
  }),
  llm: {
    schema: draftSchema,
    maxTokens: 900,
    temperature: 0.5,
    instructions: [
      'You write the page data for one material of a laser-cleaning guide.',
      'Write: a title of at most 60 characters naming the material and laser cleaning; a headline;',
      'a description of 120 to 160 characters for search results; a summary of two or three sentences;',
      '5 to 10 lowercase search keywords; alt text for the hero image (the material surface being laser cleaned)',
      'and for the microscopy image (the surface before and after cleaning, magnified).',
      'Use only facts from the record. Do not write any number or unit: the page shows the measured values itself.',
      'Do not name any other material as the subject. Plain text only, no Markdown.',
    ].join('\n'),
    prompt: ({ inputs }) =>
      [
        `Category: ${inputs.categoryLabel} (${inputs.subcategory})`,
        `Description: ${inputs.description}`,
        `Applications: ${inputs.applications.map((a) => `${a.industry}: ${a.detail}`).join(' | ')}`,
        `Typical contaminants: ${inputs.contaminants.join(', ')}`,
      ].join('\n'),
    offline: ({ inputs }) => {
      const c = chooser(`${inputs.slug}/frontmatter`);
      const traits = materialTraits(inputs.category, inputs.properties, inputs.laser.fluence);
      const contaminants = inputs.contaminants.map(lowerFirst);
      const industries = inputs.applications.map((a) => a.industry);
      const first = contaminants[0]!;
      const title = clip(
        c.pick([
          `${inputs.name} Laser Cleaning Guide`,
          `Laser Cleaning ${inputs.name}: Parameters and Practice`,
          `${inputs.name}: Laser Cleaning Parameters`,
          `How to Laser Clean ${inputs.name}`,
        ]),
        60,
      );
      const caution = traits.heatSensitive
        ? 'a substrate that chars or softens early'
        : traits.reflective
          ? 'a surface that reflects most near-infrared light'
          : traits.brittle
            ? 'a brittle surface that cracks under thermal shock'
            : traits.conductive
              ? 'a substrate that pulls heat away fast'
              : 'a substrate with its own damage threshold';
      const headline = clip(`Removing ${first} from ${inputs.name.toLowerCase()} without harming ${caution.replace(/^a /, 'the ')}`.replace('the substrate that', 'a substrate that'), 110);
      const descriptionCandidates = [
        `Laser cleaning ${inputs.name.toLowerCase()}: how to remove ${listPhrase(contaminants.slice(0, 2))} safely, with a tested fluence window and settings for ${industries[0]!.toLowerCase()} work.`,
        `How to strip ${listPhrase(contaminants.slice(0, 2))} from ${inputs.name.toLowerCase()} with a pulsed laser: fluence window, pulse settings and checks for ${caution}.`,
        `${inputs.name} laser cleaning guide: remove ${first} and ${contaminants[1] ?? 'residues'} with settings matched to ${caution}, as used in ${listPhrase(industries.slice(0, 2)).toLowerCase()}.`,
      ];
      const description = fitDescription(c.shuffle(descriptionCandidates), inputs.name);
      const summary = clip(
        `${inputs.description} ${upperFirst(
          c.pick([
            `For laser cleaning, it is ${caution}, so the process stays within ${traits.fluence} and removes ${listPhrase(contaminants.slice(0, 3))}.`,
            `Cleaning it means working with ${caution}: a fluence of ${traits.fluence} lifts ${listPhrase(contaminants.slice(0, 3))} and leaves the base intact.`,
          ]),
        )}`,
        420,
      );
      const keywords = unique([
        `${inputs.name.toLowerCase()} laser cleaning`,
        `laser cleaning ${inputs.categoryLabel.toLowerCase()}`,
        ...contaminants.slice(0, 3).map((x) => `${x.toLowerCase()} removal`),
        ...industries.slice(0, 2).map((x) => `${x.toLowerCase()} surface preparation`),
        `${inputs.subcategory.toLowerCase()}`,
        'pulsed laser ablation',
      ])
        .map(toTag)
        .filter((k) => k.length >= 2)
        .slice(0, 10);
      return {
        title,
        headline,
        description,
        summary,
        keywords,
        heroAlt: clip(`${inputs.name} surface under a pulsed laser beam, with ${first} lifting off in the cleaned track`, 150),
        microAlt: clip(`Magnified ${inputs.name.toLowerCase()} surface: covered in ${first} before cleaning, bare ${inputs.subcategory.toLowerCase()} after`, 150),
      };
    },
  },
  build: ({ inputs }, draft) => ({
    name: inputs.name,
    slug: inputs.slug,
    path: materialPath(inputs.category, inputs.slug),
    category: inputs.category,
    categoryLabel: inputs.categoryLabel,
    subcategory: inputs.subcategory,
    ...(inputs.formula ? { formula: inputs.formula } : {}),
    title: draft.title,
    headline: draft.headline,
    description: draft.description,
    summary: draft.summary,
    keywords: draft.keywords,
    applications: inputs.applications,
    contaminants: inputs.contaminants,
    images: {
      hero: { src: `/images/materials/${inputs.slug}/hero.svg`, alt: draft.heroAlt },
      micro: { src: `/images/materials/${inputs.slug}/micro.svg`, alt: draft.microAlt },
    },
    author: inputs.author,
    properties: storeProperties(inputs.properties),
    laser: storeLaser(inputs.laser),
  }),
});

/** The first candidate that fits 120-160 characters; otherwise the shortest, extended or cut to fit. */
function fitDescription(candidates: string[], name: string): string {
  const fitting = candidates.find((d) => d.length >= 120 && d.length <= 160);
  if (fitting) return fitting;
  let text = [...candidates].sort((a, b) => a.length - b.length)[0]!;
  const extensions = [`A practical guide to ${name.toLowerCase()}.`, 'Settings, risks and checks explained.'];
  for (const extra of extensions) if (text.length < 120) text = `${text} ${extra}`;
  return clip(text, 160);
}
