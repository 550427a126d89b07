import { z } from 'zod';
import type { Author } from '../catalog/schema.ts';
import { defineComponent } from './define.ts';
import { chooser, listPhrase, lowerFirst, upperFirst, wordCount } from './format.ts';
import { materialTraits } from './material-traits.ts';
import { pageData } from './bullets.ts';
import type { Frontmatter } from './frontmatter.ts';

const body = z
  .string()
  .trim()
  .min(2400)
  .max(6500)
  .meta({ description: 'Markdown article of 400 to 900 words with level-2 section headings' })
  .refine((t) => {
    const words = wordCount(t);
    return words >= 400 && words <= 900;
  }, 'the article must have 400 to 900 words')
  .refine((t) => !/^#\s/m.test(t), 'must not contain a level-1 heading: the page has its own H1');

const draftSchema = z.strictObject({ body });
const schema = z.strictObject({ body, wordCount: z.number().int() });
export type ArticleText = z.infer<typeof schema>;

interface Inputs {
  name: string;
  slug: string;
  author: Pick<Author, 'id' | 'name' | 'voice' | 'expertise'>;
}

export default defineComponent({
  name: 'text',
  kind: 'llm',
  version: 1,
  dependsOn: ['frontmatter'],
  format: 'md',
  schema,
  inputs: ({ material, author }): Inputs => ({
    name: material.name,
    slug: material.slug,
    author: { id: author.id, name: author.name, voice: author.voice, expertise: author.expertise },
  }),
  llm: {
    schema: draftSchema,
    maxTokens: 2400,
    temperature: 0.7,
    instructions: [
      'You write the article body of one material page of a laser-cleaning guide, in the voice of the given author.',
      'Markdown, 400 to 900 words, with three to five `##` section headings and no level-1 heading.',
      'Cover: the material and where it is cleaned; the contaminants; how its properties shape the process;',
      'recommended settings and how to verify the result; safety. Numbers and units only when copied exactly',
      'from the page data. No other material as the subject, no links, no HTML, no images.',
    ].join('\n'),
    prompt: ({ inputs, deps }) =>
      [
        `Author: ${inputs.author.name}`,
        `Author voice: ${inputs.author.voice}`,
        `Author expertise: ${inputs.author.expertise.join(', ')}`,
        pageData(deps.frontmatter as Frontmatter),
      ].join('\n'),
    offline: ({ inputs, deps }) => ({ body: offlineArticle(inputs, deps.frontmatter as Frontmatter) }),
  },
  build: (_context, draft) => ({ body: draft.body, wordCount: wordCount(draft.body) }),
});

function offlineArticle(inputs: Inputs, fm: Frontmatter): string {
  const c = chooser(`${inputs.slug}/text`);
  const name = inputs.name;
  const lower = name.toLowerCase();
  const p = fm.properties;
  const laser = fm.laser.parameters;
  const traits = materialTraits(fm.category, p, laser.fluence!);
  const contaminants = fm.contaminants.map(lowerFirst);
  const practical = /practical|operator|direct/i.test(inputs.author.voice);

  const intro = [
    `${fm.summary}`,
    `${upperFirst(lowerFirst(fm.subcategory))} parts like these turn up in ${listPhrase(fm.applications.map((a) => a.industry.toLowerCase()))} work, and in each case the job is the same: take off ${listPhrase(contaminants.slice(0, 2))} while the ${lower} underneath keeps its shape, finish and chemistry.`,
  ].join(' ');

  const uses = fm.applications
    .map((a) => `- **${a.industry}.** ${upperFirst(a.detail)}`)
    .join('\n');

  const contaminantText = [
    `The layers met most often on ${lower} are ${listPhrase(contaminants)}.`,
    c.pick([
      `They differ in how they couple to the beam: dark, organic films absorb near-infrared light strongly and leave in a few pulses, while thin transparent residues need more passes or a higher fluence within the window.`,
      `Each absorbs the beam differently. Dark films take up the energy and spall off quickly; clear or thin residues let more light through to the substrate and call for patience rather than power.`,
    ]),
    traits.porous
      ? `Because ${lower} is porous, part of the contamination sits below the surface. Light, repeated passes reach it without etching the face.`
      : `On a closed surface like this one the contaminant sits on top, so the cleaning front is easy to see and the end point is clear.`,
  ].join(' ');

  const propertyLines: string[] = [];
  propertyLines.push(`${name} has ${traits.thermalLimit}, a density of ${p.density!.display} and a thermal conductivity of ${p.thermalConductivity!.display}.`);
  if (traits.conductive) propertyLines.push(`That conductivity pulls heat away from the spot within microseconds, so the surface tolerates dense pulse overlap, but more peak power is needed to reach the contaminant's threshold.`);
  else if (traits.insulating) propertyLines.push(`Heat barely spreads, so it stays in the top micrometres: good for lifting the contaminant, risky for the surface if pulses pile up on one spot.`);
  else propertyLines.push(`Heat spreads at a moderate pace, so pulse overlap, not single-pulse energy, decides how warm the surface gets.`);
  if (p.absorptivity) {
    propertyLines.push(
      traits.reflective
        ? `Only ${p.absorptivity.display} of the 1064 nm light is absorbed by the bare surface; once the coating is gone the beam mostly reflects, which makes the process self-limiting but means back-reflections must be contained.`
        : `The bare surface absorbs ${p.absorptivity.display} of the 1064 nm light, so the margin between cleaning and marking the substrate is narrower than on a mirror-like metal.`,
    );
  }
  if (p.thermalExpansion) propertyLines.push(`Its thermal expansion of ${p.thermalExpansion.display} ${traits.brittle ? 'matters more than usual on a brittle material: uneven heating can open microcracks' : 'sets how much stress a fast heat pulse leaves behind'}.`);
  if (p.hardness) propertyLines.push(`A hardness of ${p.hardness.display} ${traits.soft ? 'means the surface marks easily, so the shock of the plume must stay gentle' : 'lets the surface shrug off the plume\'s shock wave'}.`);

  const settings = [
    `A ${fm.laser.laserType.toLowerCase()} at ${laser.wavelength!.display} is the usual tool.`,
    `Start at the low end of the fluence window, ${laser.fluence!.display}, with ${laser.pulseDuration!.display} pulses at ${laser.repetitionRate!.display}, an average power of ${laser.power!.display} and a spot of ${laser.spotSize!.display}.`,
    laser.scanSpeed ? `Scan at ${laser.scanSpeed.display} and raise the fluence in small steps only while the contaminant still resists.` : `Raise the fluence in small steps only while the contaminant still resists.`,
  ].join(' ');

  const checks = practical
    ? `1. Clean a test patch and look at it under magnification.\n2. Compare colour and gloss with an untouched area.\n3. ${traits.heatSensitive ? 'Check for charring or softening at the track edges.' : traits.brittle ? 'Check for microcracks with raking light.' : 'Check for heat tint or remelt at the track edges.'}\n4. Record the settings that worked for the next batch.`
    : `Verification rests on a test area inspected under magnification, compared with an untouched reference for colour, gloss and texture. ${traits.heatSensitive ? 'Charring or softening at the track edges signals too much energy.' : traits.brittle ? 'Microcracks under raking light signal thermal shock.' : 'Heat tint or remelted beads at the track edges signal too much energy.'} The settings that passed are recorded with the part.`;

  const safety = c.pick([
    `The work follows the laser safety rules for the class of the source: an enclosed or controlled area, eyewear rated for ${laser.wavelength!.display}, and fume extraction at the nozzle, since ${contaminants[0]} turns into fine particles and vapour.`,
    `Treat the plume as hazardous: extract it at the source, because removed ${contaminants[0]} becomes airborne particles. Eyewear must be rated for ${laser.wavelength!.display}, and the area controlled as the laser class requires.`,
  ]);

  const sections = [
    intro,
    `## Where ${lower} is laser cleaned\n\n${uses}`,
    `## What has to come off\n\n${contaminantText}`,
    `## How its properties shape the process\n\n${propertyLines.join(' ')}`,
    `## Recommended settings\n\n${settings}`,
    `## Checking the result\n\n${checks}`,
    `## Safety\n\n${safety}`,
  ];
  let article = sections.join('\n\n');
  const extra = [
    `${fm.description}`,
    `Compared with abrasive blasting or solvents, the laser leaves no grit or chemical residue on ${lower}, removes only what absorbs the beam, and can be stopped the moment the base is clean, which is why ${fm.applications[0]!.industry.toLowerCase()} users choose it for ${lowerFirst(fm.subcategory)} parts.`,
    `Dry cleaning also means nothing is left to soak into joints or pores, and the process can be automated with a scanner head so every part sees the same dose.`,
    `Keeping a log of settings, contaminant thickness and passes for each ${lower} part builds a recipe that the next operator can reuse without starting from scratch.`,
  ];
  for (const paragraph of extra) {
    if (wordCount(article) >= 420) break;
    article = article.replace('\n\n## Safety', `\n\n${paragraph}\n\n## Safety`);
  }
  return article;
}
