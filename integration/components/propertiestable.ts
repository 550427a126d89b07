import { z } from 'zod';
import { PROPERTY_DEFINITIONS, PROPERTY_IDS, type PropertyId } from '../catalog/properties.ts';
import type { Properties } from '../catalog/schema.ts';
import { defineComponent } from './define.ts';
import { clip, midpoint } from './format.ts';
import {
  BRITTLE_CATEGORIES,
  absoluteLevel,
  cap,
  categoryBand,
  categoryWords,
  derived,
  inSentence,
  isPluralName,
  writer,
  type CategoryWords,
  type Band,
  type Derived,
  type Writer,
} from './offline-phrases.ts';
import { line, storeProperties, storedQuantitySchema } from './shared-schemas.ts';

const draftSchema = z.strictObject({
  notes: z
    .array(z.strictObject({ property: z.enum(PROPERTY_IDS as [PropertyId, ...PropertyId[]]), note: line(20, 200) }))
    .min(1)
    .max(PROPERTY_IDS.length),
});

const schema = z.strictObject({
  caption: z.string(),
  rows: z.array(storedQuantitySchema.extend({ property: z.string(), note: z.string() })).min(1),
});

export type PropertiesTable = z.infer<typeof schema>;

export interface PropertyInputs {
  name: string;
  slug: string;
  category: string;
  properties: Properties;
}

export default defineComponent({
  name: 'propertiestable',
  kind: 'llm',
  version: 1,
  dependsOn: [],
  format: 'yaml',
  schema,
  inputs: ({ material }): PropertyInputs => ({
    name: material.name,
    slug: material.slug,
    category: material.category,
    properties: material.properties,
  }),
  llm: {
    schema: draftSchema,
    maxTokens: 900,
    temperature: 0.4,
    instructions: [
      'You annotate the key physical properties of one material for a laser-cleaning guide.',
      'For each property listed in the record, write one line (at most 200 characters) saying why it matters',
      'when this material is cleaned with a pulsed laser. Refer to the property by name; do not repeat or invent',
      'any number or unit: the table shows the measured value next to your line. One note per property.',
    ].join('\n'),
    prompt: ({ inputs }) =>
      Object.entries(storeProperties(inputs.properties))
        .map(([id, q]) => `Property ${id} (${q.label}): ${q.display}`)
        .join('\n'),
    offline: ({ inputs }) => {
      const x = noteContext(inputs, writer(`${inputs.slug}/propertiestable`));
      const notes = PROPERTY_IDS.filter((id) => inputs.properties[id]).map((id) => ({
        property: id,
        note: propertyNote(id, x),
      }));
      return { notes };
    },
  },
  build: ({ inputs }, draft) => {
    const notes = new Map(draft.notes.map((n) => [n.property, n.note]));
    const rows = Object.entries(storeProperties(inputs.properties)).map(([property, q]) => ({
      property,
      ...q,
      note: notes.get(property as PropertyId) ?? `${PROPERTY_DEFINITIONS[property as PropertyId].label} ${PROPERTY_DEFINITIONS[property as PropertyId].relevance}.`,
    }));
    return { caption: `Key properties of ${inputs.name} for laser cleaning`, rows };
  },
});

/**
 * The same notes for a chosen set of properties, with their own seed: the article quotes them
 * next to the values without repeating the table's wording.
 */
export function propertyNotes(inputs: PropertyInputs, seed: string, ids: readonly PropertyId[]): Map<PropertyId, string> {
  const x = noteContext(inputs, writer(seed));
  return new Map(ids.filter((id) => inputs.properties[id]).map((id) => [id, propertyNote(id, x)]));
}

/** What every note of one material shares: its name, category and the record it is read from. */
interface NoteContext {
  w: Writer;
  /** The name inside a sentence. */
  n: string;
  plural: boolean;
  cat: CategoryWords;
  category: string;
  p: Properties;
  d: Derived;
  brittle: boolean;
}

function noteContext(inputs: PropertyInputs, w: Writer): NoteContext {
  return {
    w,
    n: inSentence(inputs.name),
    plural: isPluralName(inputs.name),
    cat: categoryWords(inputs.category),
    category: inputs.category,
    p: inputs.properties,
    d: derived(inputs.properties),
    brittle: BRITTLE_CATEGORIES.has(inputs.category),
  };
}

/** Who a clause is about: the material by name, or "this stone", "the metal". */
function subject(x: NoteContext): string {
  const options = [`this ${x.cat.noun}`, `the ${x.cat.noun}`];
  return x.w.pick(x.plural ? options : [x.n, x.n, ...options]);
}

/** The subject of a comparison with the category: never "this metal ... for a metal". */
function namedSubject(x: NoteContext): string {
  return x.plural ? 'this material' : x.n;
}

/** "for a metal", "among metals": the category as a yardstick. */
function yardstick(x: NoteContext, band: Band): string {
  const options = [`for ${x.cat.one}`, `among ${x.cat.many}`, `by the standard of ${x.cat.many}`];
  return x.w.pick(band === 'typical' ? options : [...options, `compared with most ${x.cat.many}`]);
}

const FORMS: readonly { join: (fact: string, effect: string) => string; fits: (fact: string, effect: string) => boolean }[] = [
  { join: (f, e) => `${cap(f)}, so ${e}.`, fits: (f, e) => !/\bso\b/.test(e) && !f.includes(',') },
  { join: (f, e) => `${cap(f)}: ${e}.`, fits: (_f, e) => !e.includes(':') },
  { join: (f, e) => `${cap(f)}; ${e}.`, fits: (_f, e) => !e.includes(';') },
  { join: (f, e) => `${cap(f)}. ${cap(e)}.`, fits: () => true },
  { join: (f, e) => `Because ${f}, ${e}.`, fits: (f) => !f.includes(',') },
  { join: (f, e) => `${cap(e)}, since ${f}.`, fits: (f, e) => !/[,;:]|\bso\b/.test(e) && !f.includes(',') },
];

/**
 * One note: a fact about the value and what it means for cleaning, joined in one of several
 * ways, sometimes followed by a sentence tying it to another property. At most 200 characters.
 */
function composeNote(x: NoteContext, facts: string[], effects: string[], links: string[]): string {
  let shortest = '';
  for (let attempt = 0; attempt < 16; attempt++) {
    const fact = x.w.pick(facts);
    const effect = x.w.pick(effects);
    const forms = FORMS.filter((f) => f.fits(fact, effect));
    const base = x.w.pick(forms).join(fact, effect);
    if (links.length > 0 && x.w.chance(0.55)) {
      const longer = `${base} ${x.w.pick(links)}`;
      if (longer.length <= 200) return longer;
    }
    if (base.length <= 200) return base;
    if (shortest === '' || base.length < shortest.length) shortest = base;
  }
  return clip(shortest, 200);
}

interface Wording {
  /** How the value compares with the category, as a predicate: "is light", "melts early". */
  rel: Record<Band, string[]>;
  /** The absolute level as a clause, for a contrast: "its density is moderate". */
  abs: Record<Band, string>;
  /** Facts on the absolute scale; `{S}` is the subject. */
  facts: Record<Band, string[]>;
}

/**
 * Facts about a value: on the absolute scale, and against the category. Where the two
 * disagree ("light for a metal", yet of moderate density overall) the comparison says so.
 */
function factsFor(x: NoteContext, id: PropertyId, level: Band, wording: Wording): string[] {
  const facts = wording.facts[level].map((f) => f.replaceAll('{S}', subject(x)));
  const band = categoryBand(x.category, id, x.p[id]!);
  if (!band) return facts;
  for (const rel of wording.rel[band]) {
    const compared = `${namedSubject(x)} ${rel} ${yardstick(x, band)}`;
    facts.push(
      band === level
        ? compared
        : `${compared}, ${x.w.pick(['though', 'but', 'yet'])} ${wording.abs[level]} ${x.w.pick(['in absolute terms', 'on a wider scale', 'on the scale of all solids'])}`,
    );
  }
  return facts;
}

/** One data-driven line per property: what the value is like and what it changes in the cleaning. */
function propertyNote(id: PropertyId, x: NoteContext): string {
  const q = x.p[id]!;
  const level = absoluteLevel(id, q);
  const { d, w } = x;
  switch (id) {
    case 'density': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['is dense', 'sits at the heavy end', 'is heavy'], low: ['is light', 'sits at the light end', 'weighs little'], typical: ['has an ordinary density', 'is neither heavy nor light', 'has a middling density'] },
        abs: { high: 'it is heavy', low: 'it is very light', typical: 'its density is moderate' },
        facts: {
          high: ['{S} is a heavy material', 'a lot of mass sits under each square centimetre of the beam'],
          low: ['{S} is a very light material', 'very little mass sits under each square centimetre of the beam'],
          typical: ['{S} has a moderate density', 'a moderate mass sits under each square centimetre of the beam'],
        },
      });
      const effects =
        level === 'high'
          ? [
              'each spot has a deep heat reservoir below the contaminant',
              'stray heat from the coating is soaked up without a sharp temperature rise',
              'the part warms slowly even under dense pulse overlap',
              'a cleaning pass leaves the bulk barely warmer than before',
            ]
          : level === 'low'
            ? [
                'repeated pulses warm the spot quickly',
                'pulse overlap should stay modest, as the heat has little mass to spread into',
                'thin sections can heat right through if the beam lingers',
                `the surface warms faster per pulse than a denser ${x.cat.noun} would`,
              ]
            : [
                'heat from the coating spreads into a moderate thermal mass',
                'the heat reservoir under the spot is neither generous nor thin',
                'overlap and the number of passes, more than mass, decide how warm the part gets',
                'the bulk takes up stray heat without much help or hindrance from its mass',
              ];
      const links: string[] = [];
      if (d.heatPerVolume !== undefined) {
        links.push(
          d.heatPerVolume >= 3
            ? w.pick(['With its specific heat, each cubic centimetre stores a lot of heat per degree.', 'Paired with its specific heat, this gives a large heat capacity per volume.'])
            : d.heatPerVolume < 1.6
              ? w.pick(['With its specific heat, each cubic centimetre stores little heat per degree.', 'Paired with its specific heat, this gives a small heat capacity per volume.'])
              : w.pick(['With its specific heat, the heat capacity per volume is moderate.', 'Its heat capacity per volume, density times specific heat, is middling.']),
        );
      }
      return composeNote(x, facts, effects, links);
    }
    case 'meltingPoint': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['melts late', 'has a high melting point'], low: ['melts early', 'has a low melting point'], typical: ['melts in the usual range', 'has a typical melting point'] },
        abs: { high: 'it is refractory', low: 'it melts at a low temperature', typical: 'its melting point is moderate' },
        facts: {
          low: ['{S} melts at a low temperature', '{S} turns liquid at a temperature a short pulse easily reaches'],
          high: ['{S} is refractory', '{S} melts only at an extreme temperature'],
          typical: ['{S} melts at a moderate temperature', `the melting point of ${x.n} is moderate`],
        },
      });
      let effects: string[];
      if (x.category === 'glass') {
        effects = [
          'the glass softens gradually well below its melting point, so thermal shock sets the real limit',
          'local heating crazes the surface long before anything melts',
          'a cracked or crazed track is the first sign of too much energy',
        ];
      } else if (level === 'low') {
        effects = [
          'the working fluence stays near the bottom of the window to avoid a remelted skin',
          'remelted droplets or a glossy track are the first sign of too much energy',
          'short pulses and fast scanning keep the melt front out of the substrate',
          'even the heat released as the contaminant ablates can soften the surface',
        ];
      } else if (level === 'high') {
        effects = [
          'the surface tolerates the peak temperatures that vaporise oxides and organic films',
          'melting is rarely the limit; oxidation or discolouration of the surface comes first',
          'there is wide headroom between removing the contaminant and melting the substrate',
          'the substrate stays solid even where the contaminant flashes off',
        ];
      } else {
        effects = [
          'a single pulse rarely melts the surface, but stacked pulses on one spot can',
          'remelting appears only when overlap or repeated passes pile up heat',
          'there is usable headroom between lifting a film and melting the base',
          'heat built up over many passes, not a single pulse, is what could remelt the surface',
        ];
        if (x.category === 'stone') effects.push('overheating shows as glassy melt beads on the grains rather than a melt pool');
      }
      const links: string[] = [];
      const k = x.p.thermalConductivity ? absoluteLevel('thermalConductivity', x.p.thermalConductivity) : undefined;
      if (k === 'high') links.push(w.pick(['High conductivity helps by pulling heat out of the spot quickly.', 'Fast heat conduction widens the margin in practice.']));
      if (k === 'low') links.push(w.pick(['Poor conduction concentrates heat, so the real margin is smaller than it looks.', 'Low conductivity keeps heat at the surface, which narrows the margin.']));
      return composeNote(x, facts, effects, links);
    }
    case 'decompositionPoint': {
      const m = midpoint(q);
      const hot = m >= 1200;
      const S = () => subject(x);
      const what = hot
        ? ['breaks down rather than melting, but only at a very high temperature', 'decomposes instead of melting, and only when very hot']
        : x.category === 'wood'
          ? ['starts to char and pyrolyse in this range', 'begins to darken and char once heated this far']
          : x.category === 'stone'
            ? ['breaks down chemically rather than melting, losing bound water or carbon dioxide', 'decomposes instead of melting as bound water or carbon dioxide is driven off']
            : x.category === 'masonry'
              ? ['loses its chemically bound water rather than melting', 'breaks down as the binder gives up its bound water']
              : ['breaks down chemically before it could melt', 'decomposes rather than melting when overheated'];
      const facts = what.map((t) => `${S()} ${t}`);
      const band = categoryBand(x.category, id, q);
      if (band === 'low') facts.push(`${namedSubject(x)} decomposes early ${yardstick(x, band)}`);
      if (band === 'high') facts.push(`${namedSubject(x)} withstands more heat than most ${x.cat.many} before decomposing`);
      const fibrous = (x.p.youngsModulus ? midpoint(x.p.youngsModulus) : 0) >= 5;
      const effects = hot
        ? ['there is ample headroom for removing surface films', 'surface films go long before the substrate is at risk', 'heat damage is unlikely at cleaning fluences']
        : x.category === 'wood'
          ? [
              'yellowing or browning marks the limit long before anything burns',
              'overheating shows first as a darker, yellowed surface',
              'the fluence stays low and the beam keeps moving to avoid scorch marks',
              'any dwell on one spot risks a brown, charred track',
            ]
          : x.category === 'stone' || x.category === 'masonry'
            ? [
                'an overheated surface turns chalky, powdery or discoloured',
                'heat damage shows as a whitened, friable skin',
                'fluence is kept low enough that the surface keeps its cohesion',
                'the first sign of overheating is loose powder on the cleaned face',
              ]
            : fibrous
              ? ['overexposure shows as resin loss and bare, frayed fibres', 'the matrix burns back before the reinforcement is harmed', 'a darkened, resin-starved surface means the fluence is too high']
              : ['overheating leaves a sticky or brittle, darkened skin', 'the surface discolours and turns tacky when too much energy goes in', 'damage shows as a scorched, crazed skin'];
      return composeNote(x, facts, effects, []);
    }
    case 'thermalConductivity': {
      const facts = factsFor(x, id, level, {
        rel: {
          high: ['is a good conductor', 'conducts heat well'],
          low: ['is a poor conductor', 'conducts heat poorly'],
          typical: ['is an ordinary heat conductor', 'conducts heat about as well as usual'],
        },
        abs: { high: 'it conducts heat very well', low: 'it is a thermal insulator', typical: 'its conductivity is moderate' },
        facts: {
          high: ['{S} conducts heat very well', `heat flows out of the spot quickly in ${x.n}`],
          low: ['{S} conducts heat poorly', `heat barely moves through ${x.n}`, '{S} is a thermal insulator'],
          typical: ['{S} conducts heat moderately', `heat moves through ${x.n} at a moderate pace`],
        },
      });
      const effects =
        level === 'high'
          ? [
              "the surface cools between pulses, but more peak power is needed to reach the contaminant's threshold",
              'a high repetition rate is tolerated because each spot sheds its heat fast',
              'thin films on top heat up while the base stays cool',
              'the contaminant, not the substrate, takes most of the temperature rise',
            ]
          : level === 'low'
            ? [
                'pulse heat stays in the top layer, which helps lift films but can overheat the surface',
                'heat from overlapping pulses adds up at the surface, so scan fast and keep overlap low',
                'the surface gets hot even at moderate fluence if the beam lingers',
                'each pulse heats a thin skin, so damage is shallow but comes quickly',
              ]
            : [
                'pulse overlap, more than single-pulse energy, decides how hot the surface gets',
                'surface heat spreads into the bulk at a moderate rate, so scan speed sets the build-up',
                'the spot neither sheds heat instantly nor holds on to it',
                'heat builds up only where passes are repeated on the same area',
              ];
      const links: string[] = [];
      if (d.diffusivity !== undefined) {
        if (d.diffusivity >= 2e-5) links.push(w.pick(['Its high thermal diffusivity spreads heat well beyond the spot within microseconds.', 'Diffusivity is high too, so peak temperatures at the spot stay low.']));
        else if (d.diffusivity < 1e-6) links.push(w.pick(['With a low thermal diffusivity, heat stays within a thin skin during each pulse.', 'Diffusivity is low as well, so heat lingers where the pulse lands.']));
      }
      const a = x.p.absorptivity ? absoluteLevel('absorptivity', x.p.absorptivity) : undefined;
      if (a === 'low' && level === 'high') links.push('Together with its high reflectivity, this makes the bare surface hard to mark.');
      return composeNote(x, facts, effects, links);
    }
    case 'specificHeat': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['has a high specific heat', 'stores more heat per kilogram than usual'], low: ['has a low specific heat', 'stores less heat per kilogram than usual'], typical: ['has a typical specific heat', 'has an unremarkable specific heat'] },
        abs: { high: 'it stores much heat per kilogram', low: 'it warms on very little energy', typical: 'its specific heat is moderate' },
        facts: {
          high: ['{S} needs a lot of energy to warm by one degree', '{S} stores much heat per kilogram'],
          low: ['{S} warms up on very little energy', `a gram of ${x.n} heats up on very little energy`],
          typical: ['{S} has a moderate specific heat', '{S} needs a moderate amount of energy per degree'],
        },
      });
      const effects =
        level === 'high'
          ? ['brief pulses raise its temperature less than in most solids', 'the heat capacity buffers the surface against short heating bursts', 'the surface tolerates a little more overlap before it warms']
          : level === 'low'
            ? ['the dwell time per spot must stay short', 'each pulse lifts its temperature sharply, so keep dwell times short', 'a little stray energy is enough to heat it noticeably']
            : ['the temperature rise per pulse is moderate', 'heating per pulse depends more on absorption and conduction than on heat capacity', 'heat capacity neither protects nor exposes the surface much'];
      const links: string[] = [];
      if (d.heatPerVolume !== undefined && d.heatPerVolume >= 3) {
        links.push(level === 'high' ? 'Its density adds to this: the heat capacity per volume is large.' : 'Per volume, though, its density makes the heat capacity large.');
      }
      if (d.heatPerVolume !== undefined && d.heatPerVolume < 1.6) {
        links.push(level === 'high' ? 'Its low density takes some of this back: the heat capacity per volume is small.' : 'Per volume, its low density makes the heat capacity small.');
      }
      return composeNote(x, facts, effects, links);
    }
    case 'thermalExpansion': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['expands a lot', 'has a high expansion coefficient'], low: ['expands little', 'has a low expansion coefficient'], typical: ['expands about as much as usual', 'has an ordinary expansion coefficient'] },
        abs: { high: 'its expansion is large', low: 'its expansion is very small', typical: 'its expansion is moderate' },
        facts: {
          high: ['{S} expands strongly when heated', `thermal expansion of ${x.n} is large`],
          low: ['{S} barely expands when heated', `thermal expansion of ${x.n} is very small`],
          typical: ['{S} expands moderately when heated', `thermal expansion of ${x.n} is moderate`],
        },
      });
      const effects =
        level === 'high'
          ? [
              'a hot spot strains against the cooler material around it, so avoid dwelling on one area',
              'uneven heating builds stress at the cleaned surface',
              'the mismatch with a rigid coating helps pop the coating off but also stresses the surface',
              'fast heating and cooling can distort thin sections',
            ]
          : level === 'low'
            ? ['thermal stress stays small, which suits fast, repeated passes', 'sudden local heating causes little strain', 'the surface tolerates sharp temperature swings']
            : x.brittle
              ? ['even moderate expansion can open microcracks on a brittle surface', 'uneven heating can still craze a brittle surface', 'a brittle surface still needs the fluence ramped up gently']
              : ['thermal stress stays moderate as long as the beam keeps moving', 'expansion matters only where heat builds up on one spot', 'noticeable stress builds up only under heavy overlap'];
      const links: string[] = [];
      if (x.brittle && d.shockLimit !== undefined) {
        links.push(
          d.shockLimit < 150
            ? w.pick(['With its stiffness and strength, this makes it sensitive to thermal shock.', 'Stiffness and strength leave it little tolerance for thermal shock.'])
            : d.shockLimit > 500
              ? w.pick(['With its stiffness and strength, this makes it resistant to thermal shock.', 'Stiffness and strength give it good tolerance for thermal shock.'])
              : 'With its stiffness and strength, its tolerance for thermal shock is moderate.',
        );
      } else if (x.p.youngsModulus && midpoint(x.p.youngsModulus) * midpoint(q) > 2500) {
        links.push('Combined with its stiffness, uneven heating locks in noticeable stress.');
      }
      return composeNote(x, facts, effects, links);
    }
    case 'hardness': {
      const m = midpoint(q);
      const scale =
        q.unit === 'Mohs' ? 'on the Mohs scale' : q.unit === 'N (Janka)' ? 'by its Janka rating' : q.unit.startsWith('Shore') ? `on the ${q.unit} scale` : q.unit === 'HB' ? 'on the Brinell scale' : 'on the Vickers scale';
      const band = categoryBand(x.category, id, q);
      const soft =
        q.unit.startsWith('Shore') ||
        band === 'low' ||
        (q.unit === 'Mohs' && m < 3.5) ||
        (q.unit === 'HB' && m < 40) ||
        (q.unit === 'HV' && m < 50) ||
        (q.unit === 'N (Janka)' && m < 3000);
      const hard = !soft && (band === 'high' || (q.unit === 'Mohs' && m >= 6) || (q.unit === 'HV' && m >= 400) || (q.unit === 'N (Janka)' && m >= 7000));
      const elastic = q.unit.startsWith('Shore');
      const word = elastic ? (q.unit === 'Shore A' ? 'soft and elastic' : 'firm but yielding') : soft ? 'soft' : hard ? 'hard' : 'of middling hardness';
      const facts = [
        `${subject(x)} is ${word} ${scale}`,
        ...(band && (band === 'low' ? soft : band === 'high' ? hard : !soft && !hard) ? [`${namedSubject(x)} is ${word} ${yardstick(x, band)}`] : []),
        ...(q.unit === 'N (Janka)' ? [`${subject(x)} is a ${soft ? 'soft' : hard ? 'hard' : 'medium-hard'} timber`] : []),
        ...(q.unit === 'Mohs' ? [`the ${x.brittle ? 'mineral ' : ''}surface of ${x.n} is ${soft ? 'easily scratched' : hard ? 'scratch-resistant' : 'moderately scratch-resistant'}`] : []),
      ];
      const effects = elastic
        ? ['the shock of each pulse is absorbed rather than resisted', 'plume pressure flexes the surface instead of marking it', 'damage comes from heat, not from the mechanical shock of the plume']
        : soft
          ? q.unit === 'N (Janka)'
            ? ['the grain dents or lifts where debris and plume pressure strike', 'soft earlywood can be eroded faster than the latewood', 'tooling marks and sharp arrises are easily softened']
            : ['the mechanical shock of the plume can dent or roughen the surface', 'polish, tool marks and fine detail are easily lost', 'loose debris and plasma pressure can mark the surface']
          : hard
            ? ['the shock of each pulse is unlikely to mark the surface', 'the surface shrugs off plume pressure and debris', 'damage, if any, comes from heat rather than mechanical shock']
            : ['the surface resists plume pressure, though heavy passes can dull a polish', 'the surface takes the shock of each pulse, but repeated heavy passes can dull it', 'fine polish can dull under heavy passes, though the form survives'];
      return composeNote(x, facts, effects, []);
    }
    case 'youngsModulus': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['is stiff', 'is stiffer than usual'], low: [x.brittle ? 'has a low stiffness' : 'is flexible', 'is less stiff than usual'], typical: ['has a typical stiffness', 'is neither especially stiff nor compliant'] },
        abs: { high: 'it is very stiff', low: 'it is flexible', typical: 'its stiffness is moderate' },
        facts: {
          high: ['{S} is very stiff', '{S} hardly flexes under load'],
          low: x.brittle ? ['{S} has a low stiffness', '{S} is far less stiff than most solids'] : [`{S} is ${midpoint(q) < 1 ? 'very flexible' : 'fairly flexible'}`, '{S} gives under load'],
          typical: ['{S} has a moderate stiffness', '{S} flexes only a little under load'],
        },
      });
      const effects =
        level === 'high'
          ? [
              "the pulse's shock wave travels with little damping, which helps crack brittle scale free",
              'a stiff coating on top tends to crack and lift under plume pressure',
              'the shock wave meets a rigid base, which helps brittle layers detach',
            ]
          : level === 'low'
            ? x.brittle
              ? ['the shock wave of each pulse is damped rather than passed on', 'brittle crusts crack off less readily than from a stiffer base', 'removal relies on ablation more than on spalling']
              : [
                  "the surface yields to the plume's shock, and removal relies on ablation rather than spalling",
                  'shock waves are damped, and brittle layers crack off less readily',
                  'plume pressure is absorbed by flexing rather than cracking',
                ]
            : [
                'the shock wave of each pulse helps brittle layers let go without flexing the part',
                'spallation of brittle deposits works, aided by a fairly rigid base',
                "the plume's shock is transmitted well enough to loosen rigid crusts",
              ];
      const links: string[] = [];
      if (d.failureStrain !== undefined && x.category !== 'metal') {
        if (x.brittle && d.failureStrain < 0.001) links.push(w.pick(['Set against its strength, it tolerates little strain before cracking.', 'Its strength allows only small strains before it cracks.']));
        else if (!x.brittle && d.failureStrain > 0.005) links.push(w.pick(['Set against its strength, it can stretch a good deal before failing.', 'Its strength allows large strains before it fails.']));
      }
      return composeNote(x, facts, effects, links);
    }
    case 'tensileStrength': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['is strong', 'is stronger than usual'], low: ['is weak in tension', 'is weaker than usual'], typical: ['has a typical strength', 'is of ordinary strength'] },
        abs: { high: 'it is very strong', low: 'it is weak in tension', typical: 'its strength is moderate' },
        facts: {
          high: ['{S} is very strong in tension', '{S} resists tearing very well'],
          low: ['{S} is weak in tension', '{S} pulls apart under modest stress'],
          typical: ['{S} has a moderate tensile strength', '{S} resists tearing moderately well'],
        },
      });
      const effects =
        level === 'low'
          ? x.brittle
            ? ['thermal stress or plume shock can pull grains or flakes from the surface', 'a friable surface is easily lost, so fluence stays conservative', 'spalling of the substrate itself is a real risk at high fluence']
            : ['the surface deforms or tears more easily under thermal cycling', 'plume pressure can deform a weak surface layer', 'heavy passes can distort the surface rather than crack it']
          : level === 'high'
            ? ['the surface layer tolerates thermal cycling without tearing', 'cracks from thermal stress are unlikely', 'plume shock and thermal stress stay far below what the material can carry']
            : ['strength bounds the stress the surface takes before thermal cycling opens cracks', 'there is reasonable margin against cracks from repeated heating', 'only heavy, repeated heating on one spot comes near the limit'];
      const links: string[] = [];
      if (x.brittle && d.shockLimit !== undefined && d.shockLimit < 150) links.push('Given its stiffness and expansion, a modest temperature jump already uses up much of that strength.');
      return composeNote(x, facts, effects, links);
    }
    case 'absorptivity': {
      const facts = factsFor(x, id, level, {
        rel: { high: ['absorbs more of the beam than usual', 'is a strong absorber'], low: ['absorbs less of the beam than usual', 'is highly reflective'], typical: ['absorbs a typical share of the beam'] },
        abs: { high: 'it absorbs most of the beam', low: 'it reflects most of the beam', typical: 'it absorbs only part of the beam' },
        facts: {
          low: [`bare ${x.n} reflects most near-infrared light`, '{S} takes up only a small share of the beam'],
          high: ['{S} absorbs most of the near-infrared beam', `bare ${x.n} takes up most of the light that reaches it`],
          typical: ['{S} absorbs a fair share of the beam', `bare ${x.n} takes up part of the near-infrared light`],
        },
      });
      const effects =
        level === 'low'
          ? [
              'once the contaminant is gone the beam mostly bounces off, making the process largely self-limiting',
              'back-reflections must be contained by the enclosure and optics',
              'dark contaminants absorb far better than the substrate, giving a clear end point',
            ]
          : level === 'high'
            ? [
                'there is little margin once the contaminant is removed',
                'the bare surface heats as readily as the contaminant, so stop as soon as it is clean',
                'substrate and contaminant take up the beam alike, which narrows the fluence window',
              ]
            : ['the bare surface takes up some energy, so stop once the contaminant is gone', 'the contrast with dark contaminants is moderate, so watch the end point', 'extra passes on clean areas slowly heat the substrate'];
      return composeNote(x, facts, effects, []);
    }
    case 'ablationThreshold': {
      const facts = [`${x.n} itself starts to ablate above this fluence`, 'this is the fluence at which the substrate itself begins to come away', `${subject(x)} is removed itself once the fluence passes this value`];
      const effects = ['the working window stays below that fluence', 'contaminants with lower thresholds can be removed selectively beneath that fluence', 'a safety margin under that value protects the surface'];
      return composeNote(x, facts, effects, []);
    }
  }
}
