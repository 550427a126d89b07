import { z } from 'zod';
import { defineComponent } from './define.ts';
import { clip, lowerFirst } from './format.ts';
import { agree, cap, inSentence, writer } from './offline-phrases.ts';
import { contaminantLooks, readyFor, surfaceOf } from './offline-surfaces.ts';
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
    offline: ({ inputs, deps }) => offlineCaption(inputs, deps.frontmatter as Frontmatter),
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

/**
 * The offline caption: what the material's own contaminants look like on its own surface, and
 * what the cleaned surface shows, in sentence shapes picked per material.
 */
function offlineCaption(inputs: Inputs, fm: Frontmatter) {
  const w = writer(`${inputs.slug}/caption`);
  const n = inSentence(inputs.name);
  const surface = surfaceOf(fm.category, fm.subcategory, inputs.name, fm.properties);
  const [c1, c2] = w.shuffle(fm.contaminants.slice(0, 4)).map(lowerFirst) as [string, string | undefined];
  const look = (c: string) => w.pick(contaminantLooks(c))(c);
  const texture = w.pick(surface.textures);
  const proof = w.pick(surface.proofs);
  const ready = fm.applications.map((a) => readyFor(a.detail)).find((r) => r !== undefined);
  const look1 = look(c1);
  const look2 = c2 ? look(c2) : undefined;

  const is = (subject: string) => agree(subject, 'is', 'are');
  /** "there is/are" before a description of the second contaminant: "a thin layer of ..." is one thing. */
  const thereIs = (text: string, c: string) => (/^an?\s/.test(text) ? 'is' : agree(c, 'is', 'are'));
  const spots = c2 ? `${w.pick(['patches', 'spots', 'traces'])} of ${c2}` : undefined;

  const before = w.pick([
    () => `Under magnification, the ${n} surface is covered by ${look1}${spots ? `, with ${spots} in places` : ''}; the ${texture} ${w.pick(['cannot be seen', `${is(texture)} hidden`, `${agree(texture, 'barely shows', 'barely show')} through`])}.`,
    () => `${cap(look1)} ${agree(c1, 'hides', 'hide')} the ${texture} of the ${n}${spots ? `, and ${spots} ${w.pick(['fill the hollows', 'sit on top'])}` : ''}.`,
    () => `The untreated ${n} shows ${look1}${spots ? ` and ${spots}` : ''}; little of its ${texture} ${is(texture)} visible.`,
    () => `Magnified, the contaminated field is dominated by ${look1}.${look2 ? ` Elsewhere there ${thereIs(look2, c2!)} ${look2}.` : ''} The ${texture} ${agree(texture, 'lies', 'lie')} hidden beneath.`,
    () => `Little of the ${texture} shows through ${look1}${spots ? `, broken here and there by ${spots}` : ''}.`,
  ])();

  const readyClause = ready && w.chance(0.7) ? w.pick([`; the surface is ready for ${ready}`, `, ready for ${ready}`]) : '';
  const after = w.pick([
    () => `After cleaning, the ${c1} ${agree(c1, 'is', 'are')} gone and the ${texture} can be seen again, with ${proof}${readyClause}.`,
    () => `The same field, cleaned: bare ${n} with its ${texture} intact and ${proof}${readyClause}.`,
    () => `Where the ${c1} ${agree(c1, 'was', 'were')}, the ${texture} can be seen again, with ${proof}${readyClause}.`,
    () => `The track shows bare ${n} with ${proof}, so the substrate was not harmed${ready && readyClause ? `; it is ready for ${ready}` : ''}.`,
    () => `Laser cleaning has lifted the ${c1}${c2 ? ` and the ${c2}` : ''} and left the ${texture} unchanged, with ${proof}.`,
    () => `With the ${c1} removed, the ${texture} ${agree(texture, 'reads', 'read')} crisply again: ${proof}${readyClause}.`,
  ])();

  const alts = w.shuffle([
    `Micrograph of ${n} before and after laser cleaning: ${c1} on one side, the cleaned ${texture} on the other`,
    `Magnified ${n} surface, half covered in ${c1}, half laser-cleaned to show its ${texture}`,
    `${cap(n)} under the microscope, with ${c1} removed from part of the field by laser cleaning`,
    `Before-and-after micrograph: ${c1} on ${n}, then the cleaned ${texture}`,
    `Side-by-side magnified view of ${n} covered in ${c1} and after laser cleaning`,
  ]);
  const alt = alts.find((a) => a.length <= 150) ?? clip(`Micrograph of ${n} before and after laser cleaning`, 150);
  return { before: clip(before, 400), after: clip(after, 400), alt };
}
