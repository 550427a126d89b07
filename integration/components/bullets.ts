import { z } from 'zod';
import { defineComponent } from './define.ts';
import { chooser, listPhrase, lowerFirst, upperFirst, wordCount } from './format.ts';
import { materialTraits } from './material-traits.ts';
import { line } from './shared-schemas.ts';
import type { Frontmatter } from './frontmatter.ts';

const bullet = z.strictObject({
  title: line(3, 60),
  text: line(20, 240)
    .refine((t) => wordCount(t) <= 40, 'must be at most 40 words')
    .meta({ description: 'one or two sentences, at most 40 words' }),
});
const schema = z.strictObject({ bullets: z.array(bullet).min(4).max(6) });
export type Bullets = z.infer<typeof schema>;

interface Inputs {
  name: string;
  slug: string;
}

export default defineComponent({
  name: 'bullets',
  kind: 'llm',
  version: 1,
  dependsOn: ['frontmatter'],
  format: 'yaml',
  schema,
  inputs: ({ material }): Inputs => ({ name: material.name, slug: material.slug }),
  llm: {
    schema,
    maxTokens: 700,
    temperature: 0.6,
    instructions: [
      'You write the key points box of one material page of a laser-cleaning guide.',
      'Write 4 to 6 points. Each has a short title (at most 60 characters) and a text of at most 40 words.',
      'Cover: what the material is used for, what is cleaned off it, the main risk to the substrate, and how the',
      'settings manage that risk. Numbers and units may be used only when copied exactly from the page data.',
      'Do not name any other material as the subject. Plain text, no Markdown.',
    ].join('\n'),
    prompt: ({ deps }) => pageData(deps.frontmatter as Frontmatter),
    offline: ({ inputs, deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      const c = chooser(`${inputs.slug}/bullets`);
      const traits = materialTraits(fm.category, fm.properties, fm.laser.parameters.fluence!);
      const [app1, app2] = fm.applications;
      const contaminants = fm.contaminants.map(lowerFirst);
      const laser = fm.laser.parameters;
      const bullets = [
        { title: `Where ${inputs.name} is cleaned`, text: `${app1!.industry}: ${lowerFirst(app1!.detail)}` },
        { title: 'What comes off', text: `${upperFirst(listPhrase(contaminants.slice(0, 4)))}, each lifted by short pulses rather than scraped or blasted away.` },
        {
          title: c.pick(['Main risk', 'What can go wrong', 'Watch the substrate']),
          text: traits.heatSensitive
            ? `With ${traits.thermalLimit}, ${inputs.name.toLowerCase()} scorches if pulses stack on one spot; keep the beam moving.`
            : traits.reflective
              ? `Bare ${inputs.name.toLowerCase()} reflects most of the beam, so back-reflections, not surface damage, are the hazard to guard against.`
              : traits.brittle
                ? `Thermal shock can craze or spall the surface; ramp fluence up from the low end of the window.`
                : `Too many passes roughen or discolour the surface; stop as soon as the base shows evenly.`,
        },
        {
          title: 'Settings that work',
          text: `A ${fm.laser.laserType.toLowerCase()} at ${laser.wavelength!.display}, ${laser.fluence!.display} and ${laser.pulseDuration!.display} pulses covers most jobs.`,
        },
      ];
      if (app2) bullets.push({ title: `Also in ${app2.industry.toLowerCase()}`, text: upperFirst(app2.detail) });
      if (traits.porous) {
        bullets.push({ title: 'Porous surface', text: `Contaminants sit in pores, so several light passes clean deeper than one strong pass without etching ${inputs.name.toLowerCase()}.` });
      } else if (traits.conductive) {
        bullets.push({ title: 'Heat moves fast', text: `High conductivity spreads heat away from the spot, giving ${inputs.name.toLowerCase()} a wide margin before it is marked.` });
      }
      return { bullets: bullets.slice(0, 6).map((b) => ({ title: b.title.slice(0, 60), text: clipWords(b.text, 40) })) };
    },
  },
  build: (_context, draft) => draft,
});

export function pageData(fm: Frontmatter): string {
  return [
    `Title: ${fm.title}`,
    `Summary: ${fm.summary}`,
    `Category: ${fm.categoryLabel} (${fm.subcategory})`,
    `Applications: ${fm.applications.map((a) => `${a.industry}: ${a.detail}`).join(' | ')}`,
    `Contaminants: ${fm.contaminants.join(', ')}`,
    `Properties: ${Object.values(fm.properties).map((q) => `${q.label} ${q.display}`).join('; ')}`,
    `Laser: ${fm.laser.laserType}; ${Object.values(fm.laser.parameters).map((q) => `${q.label} ${q.display}`).join('; ')}`,
  ].join('\n');
}

function clipWords(text: string, max: number): string {
  const words = text.split(/\s+/);
  if (words.length <= max) return text;
  return `${words.slice(0, max).join(' ').replace(/[,;:.]+$/, '')}.`;
}
