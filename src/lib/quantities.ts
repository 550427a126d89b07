import type { MaterialPage } from './material-pages.ts';

/** A stored quantity as the components hold it: a value or a min–max range, with its display text. */
export interface StoredQuantity {
  label: string;
  value?: number | undefined;
  min?: number | undefined;
  max?: number | undefined;
  unit: string;
  display: string;
}

export function lowest(q: StoredQuantity): number {
  return q.value ?? q.min!;
}

export function highest(q: StoredQuantity): number {
  return q.value ?? q.max!;
}

export function middle(q: StoredQuantity): number {
  return q.value ?? (q.min! + q.max!) / 2;
}

/** The four figures the category comparison and the range chart show for every material. */
export interface ComparedMetric {
  id: 'density' | 'thermalLimit' | 'thermalConductivity' | 'fluence';
  label: string;
  /** For narrow table headers. */
  shortLabel?: string;
  unit: string;
  /** Spans several orders of magnitude across the catalogue: drawn on a log scale. */
  logScale: boolean;
  read: (page: MaterialPage) => (StoredQuantity & { note?: string }) | undefined;
}

export const COMPARED_METRICS: readonly ComparedMetric[] = [
  {
    id: 'density',
    label: 'Density',
    unit: 'g/cm³',
    logScale: false,
    read: (page) => page.frontmatter.data.properties.density,
  },
  {
    id: 'thermalLimit',
    label: 'Melting or decomposition point',
    shortLabel: 'Melting / decomposition',
    unit: '°C',
    logScale: false,
    read: (page) => {
      const { meltingPoint, decompositionPoint } = page.frontmatter.data.properties;
      if (meltingPoint) return meltingPoint;
      if (decompositionPoint) return { ...decompositionPoint, note: 'decomposes' };
      return undefined;
    },
  },
  {
    id: 'thermalConductivity',
    label: 'Thermal conductivity',
    unit: 'W/(m·K)',
    logScale: true,
    read: (page) => page.frontmatter.data.properties.thermalConductivity,
  },
  {
    id: 'fluence',
    label: 'Fluence window',
    unit: 'J/cm²',
    logScale: true,
    read: (page) => page.frontmatter.data.laser.parameters.fluence,
  },
];

export interface Span {
  min: number;
  max: number;
}

/** The smallest and largest value of a metric over some materials, or undefined if none has it. */
export function spanOf(metric: ComparedMetric, pages: readonly MaterialPage[]): Span | undefined {
  let span: Span | undefined;
  for (const page of pages) {
    const q = metric.read(page);
    if (!q) continue;
    span = span
      ? { min: Math.min(span.min, lowest(q)), max: Math.max(span.max, highest(q)) }
      : { min: lowest(q), max: highest(q) };
  }
  return span;
}

/** "1.7–19.3" or "2.7" when the span is a single value. */
export function formatSpan(span: Span): string {
  const f = (n: number) => String(Number(n.toPrecision(4)));
  return span.min === span.max ? f(span.min) : `${f(span.min)}–${f(span.max)}`;
}
