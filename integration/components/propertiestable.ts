import { z } from 'zod';
import { PROPERTY_DEFINITIONS, PROPERTY_IDS, type PropertyId } from '../catalog/properties.ts';
import type { Properties } from '../catalog/schema.ts';
import { defineComponent } from './define.ts';
import { chooser, midpoint } from './format.ts';
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

interface Inputs {
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
  inputs: ({ material }): Inputs => ({
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
      const c = chooser(`${inputs.slug}/propertiestable`);
      const notes = PROPERTY_IDS.filter((id) => inputs.properties[id]).map((id) => ({
        property: id,
        note: propertyNote(id, inputs, c.pick),
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

/** One data-driven line per property: compares the value with what makes cleaning easy or hard. */
function propertyNote(id: PropertyId, inputs: Inputs, pick: <T>(o: readonly T[]) => T): string {
  const q = inputs.properties[id]!;
  const m = midpoint(q);
  const name = inputs.name;
  switch (id) {
    case 'density':
      return m >= 8
        ? `${name} is heavy, so each pulse meets plenty of mass to soak up heat below the coating.`
        : m < 2
          ? `${name} is light and holds little heat per spot, so overlapping pulses can heat it faster than expected.`
          : pick([`A mid-range density: heat from the coating spreads into ${name.toLowerCase()} without a sharp spike.`, `${name}'s density gives a moderate thermal mass under the spot.`]);
    case 'meltingPoint':
      return m >= 1500
        ? `A high melting point leaves wide headroom between contaminant removal and any melting of ${name.toLowerCase()}.`
        : m < 450
          ? `${name} melts early, so the fluence must stay low and pulses short to avoid surface remelting.`
          : `Melting sits well above most coating ablation thresholds, yet repeated passes should still be watched for remelt.`;
    case 'decompositionPoint':
      return `${name} breaks down before it could melt, so overheating shows as charring or discolouration rather than a melt pool.`;
    case 'thermalConductivity':
      return m >= 100
        ? `Heat leaves the spot quickly, which protects ${name.toLowerCase()} but asks for higher peak power to clean.`
        : m < 2
          ? `Heat stays at the surface; the coating lifts easily but the top layer of ${name.toLowerCase()} can overheat.`
          : `Moderate conduction: surface heat fades within microseconds, so pulse overlap rather than single pulses limits heating.`;
    case 'specificHeat':
      return m >= 1200
        ? `${name} needs a lot of energy to warm up, which buffers it against brief pulse heating.`
        : `Little energy raises its temperature, so the dwell time per spot should stay short.`;
    case 'thermalExpansion':
      return m >= 20
        ? `Strong expansion under heating builds stress at the cleaned surface; avoid dwelling on one spot.`
        : `Low expansion keeps thermal stress small, which suits fast, repeated passes.`;
    case 'hardness':
      return pick([
        `Hardness tells how well the surface survives the shock of the ablation plume without denting or pitting.`,
        `A ${q.unit === 'Shore A' ? 'soft, elastic' : 'resistant'} surface: the mechanical shock of each pulse is ${q.unit === 'Shore A' ? 'absorbed rather than resisted' : 'unlikely to mark it'}.`,
      ]);
    case 'youngsModulus':
      return `Stiffness sets how the surface rings under each pulse's shock wave, which helps spall brittle scale.`;
    case 'tensileStrength':
      return `Strength bounds the stress the surface layer can take before thermal cycling opens cracks.`;
    case 'absorptivity':
      return m < 15
        ? `Most near-infrared light reflects off bare ${name.toLowerCase()}, so once the coating is gone the substrate is largely self-protecting.`
        : m >= 50
          ? `${name} absorbs the beam strongly itself, so there is little margin once the contaminant is removed.`
          : `Partial absorption: the bare surface takes up some energy, so stop once the contaminant is gone.`;
    case 'ablationThreshold':
      return `Above this fluence ${name.toLowerCase()} itself starts to ablate; the working window stays below it.`;
  }
}
