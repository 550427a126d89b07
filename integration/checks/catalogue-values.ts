import type { Material } from '../catalog/load.ts';
import { LASER_PARAMETER_DEFINITIONS, LASER_PARAMETER_IDS, PROPERTY_DEFINITIONS, PROPERTY_IDS } from '../catalog/properties.ts';
import type { Quantity } from '../catalog/schema.ts';
import { formatQuantity } from '../components/format.ts';
import { findQuantities } from './quantities.ts';
import { unitDefinition, type Dimension } from './units.ts';

/** A quantity of the catalogue record, for messages: "density is 2.7 g/cm³". */
export interface RecordedQuantity {
  label: string;
  unit: string;
  dimension: Dimension | undefined;
  display: string;
}

/** Every number a material's catalogue record states, by unit. */
export interface CatalogueValues {
  /** Numbers by unit (as the catalogue writes it). */
  numbers: Map<string, number[]>;
  /** The record's properties and laser parameters, for pointing at what was probably meant. */
  quantities: RecordedQuantity[];
}

const cache = new WeakMap<Material, CatalogueValues>();

/**
 * The numbers a text about this material may state: each value, min and max of its properties
 * and laser parameters, plus every number-with-unit written in the record's own text
 * (description, applications, contaminants, standards, laser type) and in the labels of the
 * properties it has ("Absorptivity at 1064 nm"). The record's text is catalogue data too, so a
 * writer who repeats "30-40 % zinc" from the description has invented nothing.
 */
export function catalogueValues(material: Material): CatalogueValues {
  const cached = cache.get(material);
  if (cached) return cached;
  const numbers = new Map<string, number[]>();
  const add = (unit: string, value: number | undefined) => {
    if (value === undefined) return;
    const list = numbers.get(unit) ?? [];
    list.push(value);
    numbers.set(unit, list);
  };
  const quantities: RecordedQuantity[] = [];
  const record = (label: string, q: Quantity) => {
    add(q.unit, q.value);
    add(q.unit, q.min);
    add(q.unit, q.max);
    quantities.push({ label, unit: q.unit, dimension: unitDefinition(q.unit)?.dimension, display: formatQuantity(q) });
  };
  const texts: string[] = [material.description, material.subcategory, material.laser.laserType, ...material.contaminants];
  for (const id of PROPERTY_IDS) {
    const q = material.properties[id];
    if (!q) continue;
    record(PROPERTY_DEFINITIONS[id].label, q);
    texts.push(PROPERTY_DEFINITIONS[id].label);
  }
  for (const id of LASER_PARAMETER_IDS) {
    const q = material.laser[id];
    if (!q) continue;
    record(LASER_PARAMETER_DEFINITIONS[id].label, q);
    texts.push(LASER_PARAMETER_DEFINITIONS[id].label);
  }
  for (const a of material.applications) texts.push(a.industry, a.detail);
  for (const s of material.standards) texts.push(s.code, s.title);
  for (const text of texts) {
    for (const q of findQuantities(text)) for (const n of q.numbers) add(q.unit.unit, n);
  }
  const values = { numbers, quantities };
  cache.set(material, values);
  return values;
}

/**
 * Whether a written number stands for a recorded one: equal (2.70 for 2.7), or the recorded
 * value rounded to 3 or 4 significant digits as a display would show it (1830 or 1825 for
 * 1825). Rounding further is not accepted: "3 g/cm³" for 2.7 g/cm³ is a different claim.
 */
export function sameNumber(written: number, recorded: number): boolean {
  if (Math.abs(written - recorded) <= 1e-9 * Math.max(1, Math.abs(recorded))) return true;
  return written === Number(recorded.toPrecision(3)) || written === Number(recorded.toPrecision(4));
}
