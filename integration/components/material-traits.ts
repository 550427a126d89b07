import type { PropertyId } from '../catalog/properties.ts';
import type { Quantity } from '../catalog/schema.ts';
import { formatQuantity, midpoint } from './format.ts';

/**
 * Plain-language traits read off a material's catalogue record. The offline writer builds its
 * sentences from these, so what it says follows from the data rather than from a template.
 */
export interface MaterialTraits {
  reflective: boolean;
  absorbing: boolean;
  conductive: boolean;
  insulating: boolean;
  heatSensitive: boolean;
  refractory: boolean;
  brittle: boolean;
  porous: boolean;
  soft: boolean;
  dense: boolean;
  light: boolean;
  /** e.g. "a melting point of 660 °C" or "decomposition from 200–300 °C". */
  thermalLimit: string;
  /** The fluence window as written, e.g. "0.5–3 J/cm²". */
  fluence: string;
}

const BRITTLE = new Set(['glass', 'ceramic', 'stone', 'semiconductor', 'masonry']);
const POROUS = new Set(['stone', 'masonry', 'wood']);

export function materialTraits(
  category: string,
  p: Partial<Record<PropertyId, Quantity>>,
  fluence: Quantity,
): MaterialTraits {
  const absorptivity = p.absorptivity ? midpoint(p.absorptivity) : undefined;
  const conductivity = p.thermalConductivity ? midpoint(p.thermalConductivity) : 10;
  const limit = p.meltingPoint ?? p.decompositionPoint;
  const limitC = limit ? midpoint(limit) : Infinity;
  const density = p.density ? midpoint(p.density) : 3;
  const hardness = p.hardness;
  const soft =
    hardness !== undefined &&
    ((hardness.unit === 'Mohs' && midpoint(hardness) < 3.5) ||
      hardness.unit === 'Shore A' ||
      (hardness.unit === 'HB' && midpoint(hardness) < 40) ||
      (hardness.unit === 'HV' && midpoint(hardness) < 50));
  return {
    reflective: absorptivity !== undefined && absorptivity < 15,
    absorbing: absorptivity !== undefined && absorptivity >= 50,
    conductive: conductivity >= 100,
    insulating: conductivity < 2,
    heatSensitive: limitC < 450,
    refractory: limitC >= 2000,
    brittle: BRITTLE.has(category),
    porous: POROUS.has(category),
    soft,
    dense: density >= 8,
    light: density < 2,
    thermalLimit: p.meltingPoint
      ? `a melting point of ${formatQuantity(p.meltingPoint)}`
      : `decomposition from ${formatQuantity(p.decompositionPoint!)}`,
    fluence: formatQuantity(fluence),
  };
}
