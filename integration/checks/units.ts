// The units the numbers check recognises after a number in prose. Each entry names the unit as
// the catalogue writes it (so "g/cm3", "W/mK" and "J/cm2" are compared with "g/cm³", "W/(m·K)"
// and "J/cm²") and the kind of quantity it measures, which the messages use to point at the
// catalogue value a writer most likely meant. Entries whose pattern starts with another entry's
// pattern come first ("J/cm²" before "J", "mm/s" before "mm"), since the first match wins.

export type Dimension =
  | 'density'
  | 'temperature'
  | 'thermal conductivity'
  | 'specific heat'
  | 'thermal expansion'
  | 'hardness'
  | 'stress'
  | 'fraction'
  | 'fluence'
  | 'intensity'
  | 'length'
  | 'area'
  | 'time'
  | 'power'
  | 'frequency'
  | 'speed'
  | 'energy'
  | 'mass';

export interface UnitDefinition {
  /** The unit as the catalogue writes it. */
  unit: string;
  dimension: Dimension;
  /** Regular-expression source for every accepted spelling. */
  pattern: string;
}

const MICRO = '[µμu]';
const TIMES = '(?:\\s?[·⋅*×.]\\s?|\\s)?';
const PER = '\\s?\\/\\s?';
const INVERSE = '(?:⁻¹|\\^-1|\\^−1|-1|−1)';
const SQUARED = '(?:²|2|\\^2)';
const CUBED = '(?:³|3|\\^3)';
const DEGREE = '(?:°|º|˚)';
const KELVIN_OR_C = `(?:K|${DEGREE}\\s?C)`;
const metric = (symbol: string, words: string) => `(?:${symbol}|${words}(?:er|re)s?)`;

export const UNITS: readonly UnitDefinition[] = [
  {
    unit: 'W/(m·K)',
    dimension: 'thermal conductivity',
    pattern: `W${PER}\\(?m${TIMES}${KELVIN_OR_C}\\)?|W${PER}m${PER}K|W${TIMES}m${INVERSE}${TIMES}K${INVERSE}`,
  },
  {
    unit: 'kJ/(kg·K)',
    dimension: 'specific heat',
    pattern: `kJ${PER}\\(?kg${TIMES}${KELVIN_OR_C}\\)?|kJ${PER}kg${PER}K|kJ${TIMES}kg${INVERSE}${TIMES}K${INVERSE}`,
  },
  {
    unit: 'J/(kg·K)',
    dimension: 'specific heat',
    pattern: `J${PER}\\(?kg${TIMES}${KELVIN_OR_C}\\)?|J${PER}kg${PER}K|J${TIMES}kg${INVERSE}${TIMES}K${INVERSE}`,
  },
  {
    unit: 'µm/(m·K)',
    dimension: 'thermal expansion',
    pattern: `${MICRO}m${PER}\\(?m${TIMES}${KELVIN_OR_C}\\)?|ppm${PER}${KELVIN_OR_C}|[×x]\\s?10(?:⁻⁶|\\^-6|\\^−6)${PER}K|[×x]\\s?10(?:⁻⁶|\\^-6|\\^−6)\\s?K${INVERSE}`,
  },
  { unit: 'g/cm³', dimension: 'density', pattern: `g${PER}cm${CUBED}|g${TIMES}cm⁻³|g${PER}cc` },
  { unit: 'kg/m³', dimension: 'density', pattern: `kg${PER}m${CUBED}|kg${TIMES}m⁻³` },
  { unit: 'mJ/cm²', dimension: 'fluence', pattern: `mJ${PER}cm${SQUARED}|mJ${TIMES}cm⁻²` },
  { unit: 'J/cm²', dimension: 'fluence', pattern: `J${PER}cm${SQUARED}|J${TIMES}cm⁻²` },
  { unit: 'GW/cm²', dimension: 'intensity', pattern: `GW${PER}cm${SQUARED}` },
  { unit: 'MW/cm²', dimension: 'intensity', pattern: `MW${PER}cm${SQUARED}` },
  { unit: 'kW/cm²', dimension: 'intensity', pattern: `kW${PER}cm${SQUARED}` },
  { unit: 'W/cm²', dimension: 'intensity', pattern: `W${PER}cm${SQUARED}` },
  { unit: 'mm/s', dimension: 'speed', pattern: `mm${PER}s|mm${PER}sec|mm\\s?s${INVERSE}` },
  { unit: 'mm/min', dimension: 'speed', pattern: `mm${PER}min` },
  { unit: 'cm/s', dimension: 'speed', pattern: `cm${PER}s` },
  { unit: 'm/min', dimension: 'speed', pattern: `m${PER}min` },
  { unit: 'm/s', dimension: 'speed', pattern: `m${PER}s|m\\s?s${INVERSE}` },
  { unit: '°C', dimension: 'temperature', pattern: `${DEGREE}\\s?C|℃|degrees?\\s(?:C|Celsius|centigrade)` },
  { unit: '°F', dimension: 'temperature', pattern: `${DEGREE}\\s?F|℉|degrees?\\s(?:F|Fahrenheit)` },
  { unit: 'K', dimension: 'temperature', pattern: 'K|kelvins?' },
  { unit: 'HV', dimension: 'hardness', pattern: 'HV\\d*' },
  { unit: 'HB', dimension: 'hardness', pattern: 'HBW?|HBS' },
  { unit: 'HRC', dimension: 'hardness', pattern: 'HR[A-C]' },
  { unit: 'Mohs', dimension: 'hardness', pattern: 'Mohs' },
  { unit: 'Shore A', dimension: 'hardness', pattern: 'Shore\\s?A' },
  { unit: 'Shore D', dimension: 'hardness', pattern: 'Shore\\s?D' },
  // In this catalogue a force only ever appears as Janka hardness.
  { unit: 'N (Janka)', dimension: 'hardness', pattern: 'N\\s?\\(Janka\\)|N' },
  { unit: 'GPa', dimension: 'stress', pattern: 'GPa' },
  { unit: 'MPa', dimension: 'stress', pattern: 'MPa|N\\/mm²|N\\/mm2' },
  { unit: 'kPa', dimension: 'stress', pattern: 'kPa' },
  { unit: 'Pa', dimension: 'stress', pattern: 'Pa' },
  { unit: 'ksi', dimension: 'stress', pattern: 'ksi' },
  { unit: 'psi', dimension: 'stress', pattern: 'psi' },
  { unit: '%', dimension: 'fraction', pattern: '%|percent|per\\scent' },
  { unit: 'nm', dimension: 'length', pattern: metric('nm', 'nanomet') },
  { unit: 'µm', dimension: 'length', pattern: `${metric(`${MICRO}m`, 'micromet')}|microns?` },
  { unit: 'mm²', dimension: 'area', pattern: `mm${SQUARED}` },
  { unit: 'cm²', dimension: 'area', pattern: `cm${SQUARED}` },
  { unit: 'm²', dimension: 'area', pattern: `m${SQUARED}` },
  { unit: 'mm', dimension: 'length', pattern: metric('mm', 'millimet') },
  { unit: 'cm', dimension: 'length', pattern: metric('cm', 'centimet') },
  { unit: 'm', dimension: 'length', pattern: metric('m', 'met') },
  { unit: 'fs', dimension: 'time', pattern: 'fs|femtoseconds?' },
  { unit: 'ps', dimension: 'time', pattern: 'ps|picoseconds?' },
  { unit: 'ns', dimension: 'time', pattern: 'ns|nanoseconds?' },
  { unit: 'µs', dimension: 'time', pattern: `${MICRO}s|microseconds?` },
  { unit: 'ms', dimension: 'time', pattern: 'ms|milliseconds?' },
  // A bare "s" needs a space before it, so that decades such as "1960s" are not read as seconds.
  { unit: 's', dimension: 'time', pattern: '(?<=\\s)s|seconds?' },
  { unit: 'MHz', dimension: 'frequency', pattern: 'MHz' },
  { unit: 'kHz', dimension: 'frequency', pattern: 'kHz' },
  { unit: 'GHz', dimension: 'frequency', pattern: 'GHz' },
  { unit: 'Hz', dimension: 'frequency', pattern: 'Hz|hertz' },
  { unit: 'kW', dimension: 'power', pattern: 'kW|kilowatts?' },
  { unit: 'MW', dimension: 'power', pattern: 'MW|megawatts?' },
  { unit: 'mW', dimension: 'power', pattern: 'mW|milliwatts?' },
  { unit: 'W', dimension: 'power', pattern: 'W|watts?' },
  { unit: 'µJ', dimension: 'energy', pattern: `${MICRO}J|microjoules?` },
  { unit: 'mJ', dimension: 'energy', pattern: 'mJ|millijoules?' },
  { unit: 'kJ', dimension: 'energy', pattern: 'kJ|kilojoules?' },
  { unit: 'J', dimension: 'energy', pattern: 'J|joules?' },
  { unit: 'mg', dimension: 'mass', pattern: 'mg' },
  { unit: 'kg', dimension: 'mass', pattern: 'kg' },
  { unit: 'g', dimension: 'mass', pattern: 'g' },
];

const BY_UNIT = new Map(UNITS.map((u) => [u.unit, u]));

/** The definition of a unit as the catalogue writes it, if the checks know it. */
export function unitDefinition(unit: string): UnitDefinition | undefined {
  return BY_UNIT.get(unit);
}

/** Named groups `u0`, `u1`, ... one per entry of UNITS, in order. */
export const UNIT_PATTERN = UNITS.map((u, i) => `(?<u${i}>${u.pattern})`).join('|');

const GROUPS = UNITS.map((_, i) => `u${i}`);

/** The unit (as the catalogue writes it) whose group matched. */
export function matchedUnit(groups: Record<string, string | undefined>): UnitDefinition | undefined {
  for (let i = 0; i < UNITS.length; i++) if (groups[GROUPS[i]!] !== undefined) return UNITS[i];
  return undefined;
}
