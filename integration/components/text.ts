import { z } from 'zod';
import type { Author } from '../catalog/schema.ts';
import { defineComponent } from './define.ts';
import type { PropertyId } from '../catalog/properties.ts';
import { listPhrase, midpoint, wordCount } from './format.ts';
import { materialTraits, type MaterialTraits } from './material-traits.ts';
import { absoluteLevel, agree, art, cap, categoryBand, inSentence, isPluralName, lowerStart, withArticle, writer, type Writer } from './offline-phrases.ts';
import { contaminantKind, removalNotes, readyFor, surfaceOf, type ContaminantKind, type Surface } from './offline-surfaces.ts';
import { propertyNotes } from './propertiestable.ts';
import type { StoredQuantity } from './shared-schemas.ts';
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

type Voice = 'practical' | 'heritage' | 'precision' | 'safety';

/** The author's voice, read from the profile: the offline writer's four registers. */
function voiceOf(author: Inputs['author']): Voice {
  const text = `${author.id} ${author.voice}`.toLowerCase();
  if (/conservation|heritage|cautious/.test(text)) return 'heritage';
  if (/precision|quantitative|specification/.test(text)) return 'precision';
  if (/safety|risk-first|hazard/.test(text)) return 'safety';
  return 'practical';
}

/** Everything the article's sections read. */
interface Article {
  w: Writer;
  voice: Voice;
  name: string;
  /** The name inside a sentence, and at the start of one. */
  n: string;
  N: string;
  plural: boolean;
  fm: Frontmatter;
  traits: MaterialTraits;
  surface: Surface;
  contaminants: string[];
  apps: { industry: string; detail: string }[];
  ready: string | undefined;
  /** The catalogue's description of the material, as the summary opens with it. */
  description: string;
  q: (id: LaserId) => StoredQuantity | undefined;
}

type LaserId = 'wavelength' | 'fluence' | 'pulseDuration' | 'power' | 'repetitionRate' | 'spotSize' | 'scanSpeed';

function articleContext(inputs: Inputs, fm: Frontmatter): Article {
  const w = writer(`${inputs.slug}/text`);
  const n = inSentence(inputs.name);
  return {
    w,
    voice: voiceOf(inputs.author),
    name: inputs.name,
    n,
    N: cap(n),
    plural: isPluralName(inputs.name),
    fm,
    traits: materialTraits(fm.category, fm.properties, fm.laser.parameters.fluence!),
    surface: surfaceOf(fm.category, fm.subcategory, inputs.name, fm.properties),
    contaminants: fm.contaminants.map(lowerStart),
    apps: fm.applications.map((a) => ({ industry: a.industry, detail: a.detail })),
    ready: fm.applications.map((a) => readyFor(a.detail)).find((r) => r !== undefined),
    description: asSentence(catalogueDescription(fm.summary), cap(n), isPluralName(inputs.name)),
    q: (id) => fm.laser.parameters[id],
  };
}

/** The summary without the sentence the page-data writer appended to the catalogue's description. */
function catalogueDescription(summary: string): string {
  const sentences = summary.split(/(?<=[.!?])\s+(?=[A-Z])/);
  const kept = sentences.filter((s) => !/^(?:For laser cleaning, it is|Cleaning it means working with)\b/.test(s));
  const text = (kept.length > 0 ? kept : sentences).join(' ').trim();
  return text.endsWith('…') ? text.replace(/[^.!?]*…$/, '').trim() || text : text;
}

/** A description that opens as a noun phrase ("A light, reflective metal that ...") made a sentence about the material. */
function asSentence(description: string, name: string, plural: boolean): string {
  if (/^An?\s/.test(description)) return `${name} ${plural ? 'are' : 'is'} ${description[0]!.toLowerCase()}${description.slice(1)}`;
  if (/^[A-Z][\w-]*\s(?:alloy|metal),/.test(description)) return `${name} ${plural ? 'are' : 'is'} a ${description[0]!.toLowerCase()}${description.slice(1)}`;
  return description;
}

/** "is"/"are" for the material as subject. */
function be(a: Article): string {
  return a.plural ? 'are' : 'is';
}

/** What must come through the cleaning unchanged, as a heritage report would open. */
function mustSurvive(a: Article): string {
  const sub = a.fm.subcategory.toLowerCase();
  switch (a.fm.category) {
    case 'stone':
      return a.w.pick(['the skin of the stone, its tool marks and any historic patina', 'the original surface of the stone with its tool marks and weathered skin']);
    case 'metal':
      return a.w.pick(['the patina and the original worked surface', 'a stable patina, the maker\'s tool marks and the original surface']);
    case 'wood':
      return a.w.pick(['the original finish where it survives, the tool marks and the colour of the wood', 'the patina of the wood, its tool marks and whatever original finish remains']);
    case 'glass':
      return a.w.pick(['the original surface and any painted or enamelled decoration', 'the glass surface itself, its weathered skin where stable, and any painted detail']);
    case 'masonry':
      return /gypsum/.test(sub)
        ? 'the modelled surface, its fine detail and any historic finish'
        : a.w.pick(['the original surface, its texture and any historic finish', 'the fired or set surface and its original texture']);
    case 'ceramic':
      return a.w.pick(['the glaze, the body beneath it and any decoration', 'the original glazed or fired surface and its decoration']);
    default:
      return 'the original surface and its finish';
  }
}

/** The hazards the job creates, from the material's contaminants, category and traits. */
function hazards(a: Article): string[] {
  const text = `${a.fm.contaminants.join(' ')} ${a.description}`.toLowerCase();
  const out: string[] = [];
  if (/\blead\b|lead-based|lead carbonate|lead oxide/.test(text)) out.push('lead-bearing dust and fume from the removed layer');
  if (/radioactiv/.test(text)) out.push('radioactive particles from the removed layer');
  if (/beryllium/.test(text) && /beryllium/i.test(a.name)) out.push('carcinogenic beryllium-bearing dust');
  if (/asbestos/.test(text)) out.push('possible asbestos fibres in the dust');
  if (a.fm.category === 'stone' || a.fm.category === 'masonry') out.push('respirable mineral dust that may contain crystalline silica');
  if (a.fm.category === 'composite' && (a.fm.properties.youngsModulus ? midpoint(a.fm.properties.youngsModulus) >= 5 : false)) out.push('fine fibre fragments and resin fume');
  if (a.traits.heatSensitive) {
    if (a.fm.category === 'wood') out.push('smouldering or ignition of the wood under a lingering beam');
    else if (a.fm.category === 'composite') out.push('ignition or smouldering of the surface if the beam lingers');
    else if (a.fm.category === 'metal') out.push('molten droplets thrown from an overheated spot');
  }
  if (a.traits.reflective) out.push('back-reflections of the beam from the bare surface');
  if (out.length < 2) out.push(a.w.pick(['fume and fine particles from the removed layer', 'the fume and dust given off by the removed deposits']));
  return out;
}

function laserNotes(a: Article): string[] {
  const type = a.fm.laser.laserType;
  const out: string[] = [];
  if (/femtosecond/i.test(type)) out.push('Femtosecond pulses end before heat can spread, so the heat-affected zone is negligible.');
  else if (/picosecond/i.test(type)) out.push('Picosecond pulses deposit their energy faster than heat can diffuse, leaving almost no heat-affected zone.');
  else if (/excimer/i.test(type)) out.push('The ultraviolet excimer beam is absorbed in a very thin layer by most contaminants and by the surface itself.');
  else if (/\bUV\b|third harmonic/i.test(type)) out.push('Ultraviolet light is absorbed close to the surface by most organic films, which keeps the heating shallow.');
  else if (/green|frequency-doubled/i.test(type)) out.push('The green line is absorbed more strongly than the infrared by many coloured crusts and pigments.');
  else if (/CO2/i.test(type)) out.push('The far-infrared line of a CO2 laser is absorbed strongly by paints and other organic layers.');
  else if (/Er:YAG/i.test(type)) out.push('The Er:YAG line is absorbed strongly by water and hydroxyl groups, so moist and organic layers take up the energy in a very thin zone.');
  if (/free-running|long-pulse/i.test(type)) out.push('Longer pulses heat more gently and produce less shock, which suits a fragile surface.');
  if (/MOPA/i.test(type)) out.push('A MOPA source lets the pulse duration be set independently of the repetition rate.');
  else if (/Q-switched/i.test(type) && out.length === 0) out.push('Q-switching gives short pulses with high peak power, the standard tool for coatings and oxides.');
  if (/high-power/i.test(type)) out.push('High average power is there for area rate on large surfaces, not for more fluence per pulse.');
  if (/fiber/i.test(type) && out.length < 2) out.push('A fiber source delivers a stable beam through a flexible cable to the scanner head.');
  if (out.length === 0) out.push('Short pulses keep the heat in the contaminant rather than in the substrate.');
  return out;
}

/** Properties worth discussing for this material, most telling first. */
function telling(a: Article, count: number): PropertyId[] {
  const p = a.fm.properties;
  const ids = (Object.keys(p) as PropertyId[]).filter((id) => id !== 'ablationThreshold');
  const score = (id: PropertyId) => {
    const q = p[id]!;
    let s = absoluteLevel(id, q) !== 'typical' ? 2 : 0;
    const band = categoryBand(a.fm.category, id, q);
    if (band && band !== 'typical') s += 1.5;
    if (id === 'meltingPoint' || id === 'decompositionPoint' || id === 'thermalConductivity' || id === 'absorptivity') s += 1;
    return s + a.w.pick([0, 0.3, 0.6]);
  };
  const scored = ids.map((id) => [id, score(id)] as const).sort((x, y) => y[1] - x[1]);
  return scored.slice(0, count).map(([id]) => id);
}

function propertyParagraph(a: Article, inputs: Inputs, count: number): string {
  const ids = telling(a, count);
  const notes = propertyNotes({ name: a.name, slug: inputs.slug, category: a.fm.category, properties: a.fm.properties }, `${inputs.slug}/text/properties`, ids);
  const sentences = ids.map((id) => {
    const q = a.fm.properties[id]!;
    const label = q.label.replace(/ at 1064 nm$/, '').toLowerCase();
    const lead =
      a.voice === 'precision'
        ? a.w.pick([`${q.label}: ${q.display}.`, `Recorded ${label}: ${q.display}.`])
        : a.w.pick([`Its ${label} is ${q.display}.`, `The ${label} is ${q.display}.`, `${cap(label)} comes in at ${q.display}.`, `The record gives ${withArticle(label)} of ${q.display}.`]);
    return `${lead} ${notes.get(id)!}`;
  });
  return sentences.join(' ');
}

function contaminantParagraph(a: Article): string {
  const shown = a.contaminants.slice(0, 5);
  const byKind = new Map<ContaminantKind, string[]>();
  for (const c of shown) {
    const kind = contaminantKind(c);
    byKind.set(kind, [...(byKind.get(kind) ?? []), c]);
  }
  const opener = a.w.pick([
    `The deposits met on ${a.n} are ${listPhrase(shown.map(art))}.`,
    `${cap(listPhrase(shown.map(art)))}: these are what the beam has to take off ${a.n}.`,
    `On ${a.n} the usual deposits are ${listPhrase(shown.map(art))}, and they do not all leave in the same way.`,
  ]);
  const notes = [...byKind.entries()].map(([kind, items]) => a.w.pick(removalNotes(kind))(items.length > 1 ? listPhrase(items.map(art)) : items[0]!));
  const porous = a.surface.porous
    ? a.w.pick([
        ` Because ${a.n} ${be(a)} open-textured, part of the dirt sits below the face; light, repeated passes reach it without etching the surface.`,
        ` Some of it has worked into the open texture of ${a.n}, which argues for several light passes rather than one strong one.`,
      ])
    : a.w.pick([` On the closed surface of ${a.n} the deposits sit on top, so the cleaning front is easy to follow.`, ` The surface is closed, so the end point is plain to see.`]);
  return `${opener} ${notes.join(' ')}${porous}`;
}

function usesBlock(a: Article, asList: boolean): string {
  if (asList) return a.apps.map((app) => `- **${app.industry}.** ${app.detail}`).join('\n');
  const parts = a.apps.map((app, i) =>
    i === 0
      ? `In ${lowerStart(app.industry)} the task is typically this: ${lowerStart(app.detail)}`
      : a.w.pick([`For ${lowerStart(app.industry)}, the job is different: ${lowerStart(app.detail)}`, `${app.industry} adds another case: ${lowerStart(app.detail)}`]),
  );
  return parts.join(' ');
}

function settingsBlock(a: Article): string {
  const q = a.q;
  const f = q('fluence')!;
  const notes = laserNotes(a);
  const type = a.fm.laser.laserType;
  const threshold = a.fm.properties.ablationThreshold;
  const margin = threshold
    ? midpoint({ ...threshold }) > (f.max ?? f.value!)
      ? ` The whole window sits below the substrate's ablation threshold of ${threshold.display}.`
      : ` The top of the window reaches the substrate's ablation threshold of ${threshold.display}, so work from the low end.`
    : '';
  const scan = q('scanSpeed');
  switch (a.voice) {
    case 'practical': {
      const steps = [
        a.w.pick([
          `Set the ${lowerStart(type)} to ${q('wavelength')!.display}, pulses of ${q('pulseDuration')!.display} at ${q('repetitionRate')!.display}.`,
          `Pulses: ${q('pulseDuration')!.display} at ${q('repetitionRate')!.display}, on the ${q('wavelength')!.display} line of the ${lowerStart(type)}.`,
        ]),
        a.w.pick([
          `Start at the low end of ${f.display} with a spot of ${q('spotSize')!.display} and an average power in the ${q('power')!.display} range.`,
          `Fluence first: begin at the bottom of ${f.display}, spot ${q('spotSize')!.display}, average power between ${q('power')!.display}.`,
        ]),
        scan
          ? a.w.pick([`Scan at ${scan.display}; slow down before you raise the fluence.`, `Keep the scan speed within ${scan.display} and change speed before you change fluence.`])
          : 'Keep the beam moving; slow the pass before raising the fluence.',
        a.w.pick([
          `Raise the fluence in small steps only while the ${a.contaminants[0]} still resists.`,
          `If the ${a.contaminants[0]} still holds after two passes, step the fluence up a little and try again.`,
        ]),
      ];
      return `${notes.join(' ')}${margin}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`;
    }
    case 'precision': {
      const rows = (['wavelength', 'fluence', 'pulseDuration', 'repetitionRate', 'power', 'spotSize', 'scanSpeed'] as const)
        .map((id) => q(id))
        .filter((x): x is StoredQuantity => x !== undefined)
        .map((x) => `- ${x.label}: ${x.display}`);
      return `${a.w.pick([`Source: ${lowerStart(type)}.`, `The process uses a ${lowerStart(type)}.`, `Equipment: ${lowerStart(type)}.`])} ${notes.join(' ')}${margin}\n\n${rows.join('\n')}\n\n${a.w.pick([
        'The window is entered at its lower bound and raised only on measured evidence of residue.',
        'Fluence is increased from the lower bound only while residue is still measured on the test area.',
        `Start at the lower fluence bound; each increase is justified by residue still measured on the ${a.n} test area.`,
      ])}`;
    }
    case 'heritage':
      return [
        a.w.pick([
          `Only once a test patch has shown the ${a.contaminants[0]} can be thinned without harm is a setting adopted.`,
          `Settings come last, and only from a test patch that has been judged against an untreated area.`,
        ]),
        `${a.w.pick([`A ${lowerStart(type)} at ${q('wavelength')!.display} is the tool here.`, `The tool is a ${lowerStart(type)} working at ${q('wavelength')!.display}.`, `Here a ${lowerStart(type)}, at ${q('wavelength')!.display}, does the work.`])} ${notes.join(' ')}`,
        a.w.pick([
          `Work begins below or at the bottom of the ${f.display} window, with ${q('pulseDuration')!.display} pulses at ${q('repetitionRate')!.display} and a spot of ${q('spotSize')!.display}; average power stays within ${q('power')!.display}.${margin}`,
          `First trials sit at the foot of the ${f.display} window: ${q('pulseDuration')!.display} pulses, ${q('repetitionRate')!.display}, a spot of ${q('spotSize')!.display} and an average power inside ${q('power')!.display}.${margin}`,
          `The fluence window runs over ${f.display}, and trials start at its lower edge, using ${q('pulseDuration')!.display} pulses at ${q('repetitionRate')!.display}, a spot of ${q('spotSize')!.display} and ${q('power')!.display} of average power at most.${margin}`,
        ]),
        a.w.pick([
          'Stopping early, with a thin layer left in place, is preferred to chasing the last of it.',
          'Where the deposit and the surface can no longer be told apart, the cleaning stops.',
        ]),
      ].join(' ');
    case 'safety':
      return [
        `Use a ${lowerStart(type)} at ${q('wavelength')!.display}.`,
        `Keep the fluence inside ${f.display}.`,
        `Run ${q('pulseDuration')!.display} pulses at ${q('repetitionRate')!.display}, ${q('power')!.display} average power, ${q('spotSize')!.display} spot${scan ? `, ${scan.display} scan speed` : ''}.`,
        notes[0]!,
        `Do not raise the fluence to save time.${margin}`,
      ].join(' ');
  }
}

function checksBlock(a: Article): string {
  const harm = a.w.pick(a.surface.harms);
  const proof = a.w.pick(a.surface.proofs);
  switch (a.voice) {
    case 'practical':
      return [
        a.w.pick(['1. Clean a test patch and look at it under magnification.', '1. Run a short test track first and inspect it with a magnifier or microscope.']),
        a.w.pick([`2. Compare colour and texture with an untouched area; you want ${proof}.`, `2. Set it beside an uncleaned area: the target is ${proof}.`]),
        a.w.pick([`3. Look for ${harm} at the track edges and back off if you see any.`, `3. Any ${harm} means too much energy: lower the fluence or speed up the scan.`]),
        a.ready
          ? a.w.pick([`4. Confirm the surface is fit for ${a.ready}, then record the settings for the next batch.`, `4. Release the part for ${a.ready} and note the settings that worked.`])
          : a.w.pick(['4. Record the settings that worked for the next batch.', '4. Write down the settings that passed, with the part number.']),
      ].join('\n');
    case 'precision':
      return [
        `Acceptance is measured, not judged by eye alone: ${a.w.pick(['residue under magnification, surface chemistry and, for bonding or coating, wetting by contact angle', 'particle counts or residue maps, surface chemistry and wetting by contact angle'])}.`,
        a.w.pick([`A pass means a test area with ${proof}.`, `Pass criterion: ${proof} on the test area.`]),
        a.w.pick([`Any sign of ${harm} is a failure, and the window is narrowed.`, `Observed ${harm} ${agree(harm, 'fails', 'fail')} the area and ${agree(harm, 'lowers', 'lower')} the upper fluence bound.`]),
        a.ready ? `Parts released for ${a.ready} are checked against the same criteria.` : 'Released parts are checked against the same criteria.',
      ].join(' ');
    case 'heritage':
      return [
        a.w.pick([
          'The test area is compared with an untreated reference under magnification and raking light.',
          'Each trial patch is set beside untouched surface and examined magnified and in raking light.',
          'Judgement rests on comparing the patch with an untreated area, first by eye, then under magnification.',
        ]),
        `What matters is a surface with ${proof}; any sign of ${harm} means the method or the setting is wrong for ${a.n}.`,
        a.w.pick(['Each patch, its settings and its result are photographed and written up before the work is extended.', 'Every step is documented, so that a later conservator can see what was removed and what was left.']),
      ].join(' ');
    case 'safety':
      return [
        `- Check a test area under magnification before full work.`,
        `- Reject the part if it shows ${harm}.`,
        `- Accept only a surface with ${proof}.`,
        `- Record settings, operator and date.`,
      ].join('\n');
  }
}

function safetyBlock(a: Article): string {
  const hs = hazards(a);
  const wl = a.q('wavelength')!.display;
  switch (a.voice) {
    case 'safety':
      return [
        `The job creates ${listPhrase(hs)}.`,
        `Enclose or screen the work area and control access as the laser class requires.`,
        `Wear eyewear rated for ${wl}.`,
        `Extract fume at the nozzle and filter it before it leaves the cell.`,
        a.traits.heatSensitive && (a.fm.category === 'wood' || a.fm.category === 'composite') ? `Keep a fire watch and never leave the beam parked on the surface.` : `Keep combustibles away from the beam path.`,
      ].join(' ');
    case 'heritage':
      return a.w.pick([
        `${cap(listPhrase(hs))} must be controlled: extraction at the source, eyewear rated for ${wl} and a screened work area, also when working on site.`,
        `Safety is part of the same care: the hazards are ${listPhrase(hs)}, met by extraction at the source, eyewear rated for ${wl} and a screened area.`,
      ]);
    case 'precision':
      return a.w.pick([
        `Hazards: ${listPhrase(hs)}. Controls: a closed beam path or screened area, eyewear rated for ${wl}, and extraction at the source.`,
        `Controls follow from the hazards (${listPhrase(hs)}): enclosed beam path, eyewear rated for ${wl}, extraction at the point of ablation.`,
      ]);
    case 'practical':
      return a.w.pick([
        `Extract at the nozzle, wear eyewear rated for ${wl} and screen the area; the main hazards here are ${listPhrase(hs)}.`,
        `The main hazards are ${listPhrase(hs)}. Extraction at the nozzle, eyewear rated for ${wl} and a screened area deal with them.`,
      ]);
  }
}

/**
 * The offline article: sections in an order and register set by the author's voice, each built
 * from the material's own description, applications, contaminants, properties and laser data.
 */
function offlineArticle(inputs: Inputs, fm: Frontmatter): string {
  const a = articleContext(inputs, fm);
  const { w, n, N } = a;
  const industries = a.apps.map((app) => lowerStart(app.industry));
  const h = (options: string[]) => `## ${w.pick(options)}`;
  const sections: string[] = [];
  switch (a.voice) {
    case 'practical':
      sections.push(
        [
          a.description,
          w.pick([
            `This page is for ${listPhrase(industries)} work on ${n}: what comes off, what to set and what to check.`,
            `Below: the ${listPhrase(industries)} jobs, the deposits, the settings and the checks for ${n}.`,
          ]),
        ].join(' '),
        `${h([`Where ${n} ${be(a)} cleaned`, `${N} in ${industries[0]} and beyond`, 'Jobs this covers'])}\n\n${usesBlock(a, true)}`,
        `${h(['Settings to start from', `Setting up for ${n}`, `What to set on the ${lowerStart(fm.laser.laserType)}`])}\n\n${settingsBlock(a)}`,
        `${h(['What comes off, and how', `Deposits on ${n}`, 'What the beam removes'])}\n\n${contaminantParagraph(a)}`,
        `${h([`Why ${n} behaves this way`, 'The physics that changes the settings', `What ${n}'s properties mean at the spot`])}\n\n${propertyParagraph(a, inputs, 3)}`,
        `${h(['Checks and safety', 'Checking the result', 'Before the part moves on'])}\n\n${checksBlock(a)}\n\n${safetyBlock(a)}`,
      );
      break;
    case 'heritage':
      sections.push(
        [
          w.pick([`With ${n}, the first question is what must survive: ${mustSurvive(a)}.`, `Before anything is removed from ${n}, it has to be clear what must stay: ${mustSurvive(a)}.`]),
          a.description,
          w.pick([
            'The aim is the least intervention that works, established on test patches rather than assumed.',
            'Cleaning is therefore approached as a reversible judgement made patch by patch, never as a setting applied across the whole object.',
          ]),
        ].join(' '),
        `${h(['Risks to the surface', `What can go wrong on ${n}`, 'The surface and its limits'])}\n\n${w.pick([
          `On ${n} the risks are ${listPhrase(a.surface.harms.slice(0, 2))}, and they are easier to cause than to notice.`,
          `The risks to name first are ${listPhrase(a.surface.harms.slice(0, 2))}.`,
        ])} ${propertyParagraph(a, inputs, 3)}`,
        `${h(['The deposits', `What lies on ${n}`, 'Soiling and later additions'])}\n\n${contaminantParagraph(a)}\n\n${usesBlock(a, false)}`,
        `${h(['Test patches and settings', 'From test patch to setting', `Settings, arrived at on ${n} itself`])}\n\n${settingsBlock(a)}`,
        `${h(['Checking and recording', 'Judging the result', 'Assessment and documentation'])}\n\n${checksBlock(a)} ${safetyBlock(a)}`,
      );
      break;
    case 'precision':
      sections.push(
        [
          `Scope: laser cleaning of ${n} (${fm.subcategory.toLowerCase()}${fm.formula ? `, ${fm.formula}` : ''}) for ${listPhrase(industries)} applications.`,
          a.description,
          w.pick([
            'Values below are taken from the material record; outcomes are stated as checks, not assumed.',
            'All figures quoted are record values; what the process achieves is verified, not presumed.',
            'Numbers in this note come from the material record, and results are defined by measurement.',
          ]),
        ].join(' '),
        `${h(['Material data that sets the window', `Relevant properties of ${n}`, 'Substrate data'])}\n\n${propertyParagraph(a, inputs, 4)}`,
        `${h(['Contamination', `Contaminants on ${n}`, 'Residues to remove'])}\n\n${contaminantParagraph(a)}\n\n${usesBlock(a, true)}`,
        `${h(['Process window', `Process window for ${n}`, 'Parameters'])}\n\n${settingsBlock(a)}`,
        `${h(['Verification', 'Acceptance criteria', 'Measuring the result'])}\n\n${checksBlock(a)} ${safetyBlock(a)}`,
      );
      break;
    case 'safety':
      sections.push(
        [
          w.pick([`Start with the hazards: the first one on ${n} is ${hazards(a)[0]}.`, `Laser cleaning ${n} is a hazardous job before it is a technical one.`]),
          a.description,
          `This page sets out the controls, then the work itself.`,
        ].join(' '),
        `${h(['Hazards and controls', `Controls for ${n}`, 'Before the laser is switched on'])}\n\n${safetyBlock(a)}`,
        `${h(['Where and what', `Jobs on ${n}`, 'The work and the deposits'])}\n\n${usesBlock(a, false)} ${contaminantParagraph(a)}`,
        `${h(['Settings', 'Approved settings', `Settings for ${n}`])}\n\n${settingsBlock(a)} ${propertyParagraph(a, inputs, 2)}`,
        `${h(['Checks before release', 'Inspection', 'Sign-off checks'])}\n\n${checksBlock(a)}`,
      );
      break;
  }
  let article = sections.join('\n\n');
  const extra = [
    a.ready ? `${w.pick([`The point of the work is a surface ready for ${a.ready}.`, `What follows the cleaning, ${a.ready}, decides how clean is clean enough.`])} Compared with blasting or solvents, the beam leaves no grit and no chemical film on ${n}, which is what ${a.ready} needs.` : `Compared with blasting or solvents, the beam leaves no grit and no chemical film on ${n}, and it can be stopped the moment the surface is clean.`,
    `Dry, non-contact cleaning also leaves nothing to soak into joints or pores, and a scanner head gives every part of the ${n} surface the same dose.`,
    `A log of settings, deposit thickness and passes for each job on ${n} turns into a recipe the next operator can reuse.`,
  ];
  for (const paragraph of extra) {
    if (wordCount(article) >= 440) break;
    const sectionsNow = article.split('\n\n## ');
    sectionsNow[sectionsNow.length - 2] = `${sectionsNow[sectionsNow.length - 2]}\n\n${paragraph}`;
    article = sectionsNow.join('\n\n## ');
  }
  return article;
}
