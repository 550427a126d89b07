import { z } from 'zod';
import { defineComponent } from './define.ts';
import { chooser, clip, lowerFirst } from './format.ts';
import { materialTraits } from './material-traits.ts';
import { line, storedQuantitySchema } from './shared-schemas.ts';
import { pageData } from './bullets.ts';
import type { Frontmatter } from './frontmatter.ts';

const draftSchema = z.strictObject({
  before: line(40, 400),
  after: line(40, 400),
  alt: line(20, 150),
});

const schema = z.strictObject({
  before: z.string(),
  after: z.string(),
  image: z.strictObject({ src: z.string(), alt: z.string() }),
  laserType: z.string(),
  settings: z.array(storedQuantitySchema.extend({ parameter: z.string() })),
});
export type Caption = z.infer<typeof schema>;

interface Inputs {
  name: string;
  slug: string;
}

export default defineComponent({
  name: 'caption',
  kind: 'llm',
  version: 1,
  dependsOn: ['frontmatter'],
  format: 'yaml',
  schema,
  inputs: ({ material }): Inputs => ({ name: material.name, slug: material.slug }),
  llm: {
    schema: draftSchema,
    maxTokens: 600,
    temperature: 0.6,
    instructions: [
      'You write the caption of a before/after microscopy figure for one material of a laser-cleaning guide.',
      '`before`: what the contaminated surface looks like under magnification (one or two sentences).',
      '`after`: what the same area looks like after laser cleaning, and what shows the substrate was not harmed.',
      '`alt`: alt text for the figure, at most 150 characters, describing what is shown.',
      'Do not write laser settings, numbers or units: the figure lists the settings from the data itself.',
      'Describe only this material. Plain text, no Markdown.',
    ].join('\n'),
    prompt: ({ deps }) => pageData(deps.frontmatter as Frontmatter),
    offline: ({ inputs, deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      const c = chooser(`${inputs.slug}/caption`);
      const traits = materialTraits(fm.category, fm.properties, fm.laser.parameters.fluence!);
      const [first, second] = fm.contaminants.map(lowerFirst);
      const name = inputs.name.toLowerCase();
      const texture = traits.porous
        ? 'its open pores and grain'
        : traits.brittle
          ? 'its smooth, glassy or crystalline face'
          : traits.heatSensitive
            ? 'its fibres and resin-rich skin'
            : 'its rolled or machined finish';
      const before = c.pick([
        `Before: a layer of ${first}${second ? ` mixed with ${second}` : ''} covers the ${name} surface and hides ${texture}.`,
        `Before cleaning, ${first} sits in patches across the ${name}${second ? `, with ${second} in the low spots` : ''}; ${texture} cannot be seen.`,
      ]);
      const after = traits.heatSensitive
        ? `After: the ${first} is gone and ${texture} shows again with no charring, melting or colour change.`
        : traits.reflective
          ? `After: bright, bare ${name} with ${texture} intact; the cleaned track reflects evenly, with no remelted beads.`
          : traits.brittle
            ? `After: the ${first} has been lifted and ${texture} is back, free of microcracks or spalled flakes.`
            : `After: an even, bare ${name} surface; ${texture} is intact and shows no heat tint at the track edges.`;
      return {
        before: clip(before, 400),
        after: clip(after, 400),
        alt: clip(`Micrograph of ${name} before and after laser cleaning: ${first} on the left, bare surface on the right`, 150),
      };
    },
  },
  build: ({ deps }, draft) => {
    const fm = deps.frontmatter as Frontmatter;
    return {
      before: draft.before,
      after: draft.after,
      image: { src: fm.images.micro.src, alt: draft.alt },
      laserType: fm.laser.laserType,
      settings: Object.entries(fm.laser.parameters).map(([parameter, q]) => ({ parameter, ...q })),
    };
  },
});
