// The physical properties a catalogue record may carry. Each one fixes its label, the units
// it may be written in and the range a real material can have, so that a typo such as a
// density of 0 or a melting point below absolute zero is caught when the catalogue loads.

export interface PropertyDefinition {
  label: string;
  units: readonly string[];
  /** Inclusive bounds for any value, in any of the allowed units. */
  min: number;
  max: number;
  /** Why the property matters for laser cleaning; used by the tables and the offline writer. */
  relevance: string;
}

export const PROPERTY_DEFINITIONS = {
  density: {
    label: 'Density',
    units: ['g/cm³'],
    min: 0.05,
    max: 25,
    relevance: 'sets how much mass, and so heat capacity, sits under each square centimetre of the beam',
  },
  meltingPoint: {
    label: 'Melting point',
    units: ['°C'],
    min: -100,
    max: 4000,
    relevance: 'is the temperature the substrate must stay below while the contaminant is removed',
  },
  decompositionPoint: {
    label: 'Decomposition point',
    units: ['°C'],
    min: 50,
    max: 3500,
    relevance: 'is where the substrate starts to char or break down, the ceiling for any heating',
  },
  thermalConductivity: {
    label: 'Thermal conductivity',
    units: ['W/(m·K)'],
    min: 0.01,
    max: 3000,
    relevance: 'decides how fast pulse heat spreads away from the surface into the bulk',
  },
  specificHeat: {
    label: 'Specific heat',
    units: ['J/(kg·K)'],
    min: 50,
    max: 5000,
    relevance: 'sets how much energy a gram absorbs before its temperature climbs',
  },
  thermalExpansion: {
    label: 'Thermal expansion',
    units: ['µm/(m·K)'],
    min: 0,
    max: 300,
    relevance: 'drives the thermal stress that can crack or craze the surface under rapid heating',
  },
  hardness: {
    label: 'Hardness',
    units: ['HV', 'HB', 'Mohs', 'Shore A', 'Shore D', 'N (Janka)'],
    min: 0,
    max: 30000,
    relevance: 'indicates how well the surface resists the mechanical shock of the ablation plume',
  },
  youngsModulus: {
    label: "Young's modulus",
    units: ['GPa'],
    min: 0.0001,
    max: 1200,
    relevance: 'governs how the surface flexes under the shock wave of each pulse',
  },
  tensileStrength: {
    label: 'Tensile strength',
    units: ['MPa'],
    min: 0.1,
    max: 5000,
    relevance: 'bounds the stress the surface layer tolerates before it tears',
  },
  absorptivity: {
    label: 'Absorptivity at 1064 nm',
    units: ['%'],
    min: 0,
    max: 100,
    relevance: 'is the share of near-infrared light the bare substrate takes up rather than reflects',
  },
  ablationThreshold: {
    label: 'Ablation threshold',
    units: ['J/cm²'],
    min: 0.001,
    max: 100,
    relevance: 'is the fluence above which the substrate itself starts to be removed',
  },
} as const satisfies Record<string, PropertyDefinition>;

export type PropertyId = keyof typeof PROPERTY_DEFINITIONS;
export const PROPERTY_IDS = Object.keys(PROPERTY_DEFINITIONS) as PropertyId[];

export const LASER_PARAMETER_DEFINITIONS = {
  wavelength: { label: 'Wavelength', units: ['nm'], min: 150, max: 11000 },
  fluence: { label: 'Fluence', units: ['J/cm²'], min: 0.01, max: 100 },
  pulseDuration: { label: 'Pulse duration', units: ['fs', 'ps', 'ns', 'µs'], min: 0.001, max: 100000 },
  power: { label: 'Average power', units: ['W'], min: 0.1, max: 10000 },
  repetitionRate: { label: 'Repetition rate', units: ['Hz', 'kHz', 'MHz'], min: 0.1, max: 100000 },
  spotSize: { label: 'Spot size', units: ['µm', 'mm'], min: 1, max: 20000 },
  scanSpeed: { label: 'Scan speed', units: ['mm/s'], min: 1, max: 100000 },
} as const;

export type LaserParameterId = keyof typeof LASER_PARAMETER_DEFINITIONS;
export const LASER_PARAMETER_IDS = Object.keys(LASER_PARAMETER_DEFINITIONS) as LaserParameterId[];
