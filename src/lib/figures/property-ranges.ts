import type { MaterialPage } from '../material-pages.ts';
import { COMPARED_METRICS, formatSpan, highest, lowest, spanOf, type Span } from '../quantities.ts';
import { categoryPalette, escapeXml, n, shorten, svgDocument } from './svg.ts';

const WIDTH = 1200;
const ROW = 112;
const TOP = 96;
const TRACK = { x: 64, w: 1072 };

/**
 * Where a material sits among its category and the whole catalogue, for the four compared
 * figures: the grey track spans every material, the coloured band its category, the dark
 * marker the material itself.
 */
export function propertyRangesSvg(page: MaterialPage, category: readonly MaterialPage[], all: readonly MaterialPage[]): string {
  const fm = page.frontmatter.data;
  const palette = categoryPalette(fm.category);
  const band = `hsl(${palette.hue} 70% 50%)`;
  const metrics = COMPARED_METRICS.filter((m) => m.read(page));
  const height = TOP + metrics.length * ROW + 64;
  const parts: string[] = [`<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`];
  parts.push(
    `<text x="${TRACK.x}" y="52" fill="#1f2933" font-size="28" font-weight="700">${escapeXml(shorten(`${fm.name} among ${fm.categoryLabel.toLowerCase()} and all materials`, 72))}</text>`,
  );

  metrics.forEach((metric, i) => {
    const q = metric.read(page)!;
    const everything = spanOf(metric, all)!;
    const group = spanOf(metric, category)!;
    const axis = padded(everything, metric.logScale);
    const x = (v: number) => TRACK.x + scale(v, axis, metric.logScale) * TRACK.w;
    const top = TOP + i * ROW;
    const label = `${metric.label}${metric.logScale ? ' (log scale)' : ''}`;
    const value = `${fm.name}: ${q.display}${q.note ? ` (${q.note})` : ''}`;
    parts.push(
      `<text x="${TRACK.x}" y="${top + 20}" fill="#1f2933" font-size="19" font-weight="600">${escapeXml(label)}</text>`,
      `<text x="${TRACK.x + TRACK.w}" y="${top + 20}" fill="#1f2933" font-size="18" text-anchor="end">${escapeXml(shorten(value, 60))}</text>`,
      `<rect x="${n(x(everything.min) - 4)}" y="${top + 38}" width="${n(x(everything.max) - x(everything.min) + 8)}" height="14" rx="7" fill="#d9dee4"/>`,
      `<rect x="${n(x(group.min) - 4)}" y="${top + 36}" width="${n(x(group.max) - x(group.min) + 8)}" height="18" rx="9" fill="${band}" opacity="0.45"/>`,
    );
    const from = x(lowest(q));
    const to = x(highest(q));
    parts.push(
      to - from < 4
        ? `<circle cx="${n(from)}" cy="${top + 45}" r="10" fill="#1f2933" stroke="#ffffff" stroke-width="3"/>`
        : `<rect x="${n(from - 6)}" y="${top + 35}" width="${n(to - from + 12)}" height="20" rx="10" fill="#1f2933" stroke="#ffffff" stroke-width="3"/>`,
      `<text x="${TRACK.x}" y="${top + 80}" fill="#52606d" font-size="17">${escapeXml(`all: ${formatSpan(everything)} ${metric.unit}`)}</text>`,
      `<text x="${TRACK.x + TRACK.w}" y="${top + 80}" fill="#52606d" font-size="17" text-anchor="end">${escapeXml(`${fm.categoryLabel.toLowerCase()}: ${formatSpan(group)} ${metric.unit}`)}</text>`,
    );
  });

  const legendY = height - 28;
  parts.push(
    `<rect x="${TRACK.x}" y="${legendY - 12}" width="36" height="14" rx="7" fill="#d9dee4"/>`,
    `<text x="${TRACK.x + 46}" y="${legendY}" fill="#3e4c59" font-size="17">${escapeXml(`All materials (${all.length})`)}</text>`,
    `<rect x="${TRACK.x + 240}" y="${legendY - 12}" width="36" height="14" rx="7" fill="${band}" opacity="0.45"/>`,
    `<text x="${TRACK.x + 286}" y="${legendY}" fill="#3e4c59" font-size="17">${escapeXml(shorten(`${fm.categoryLabel} (${category.length})`, 40))}</text>`,
    `<circle cx="${TRACK.x + 620}" cy="${legendY - 5}" r="8" fill="#1f2933"/>`,
    `<text x="${TRACK.x + 638}" y="${legendY}" fill="#3e4c59" font-size="17">${escapeXml(shorten(fm.name, 40))}</text>`,
  );

  return svgDocument({
    width: WIDTH,
    height,
    title: `${fm.name} compared with the ranges of ${fm.categoryLabel.toLowerCase()} and of all materials`,
    body: parts.join('\n'),
  });
}

/** The axis: the span of all materials, widened a little (or around a single value) so markers never sit on the edge. */
function padded(span: Span, log: boolean): Span {
  if (log) {
    const lo = Math.log10(span.min);
    const hi = Math.log10(span.max);
    const pad = hi - lo < 1e-9 ? 0.5 : (hi - lo) * 0.04;
    return { min: 10 ** (lo - pad), max: 10 ** (hi + pad) };
  }
  const pad = span.max - span.min < 1e-9 ? Math.max(Math.abs(span.min) * 0.5, 1) : (span.max - span.min) * 0.04;
  return { min: span.min - pad, max: span.max + pad };
}

function scale(v: number, axis: Span, log: boolean): number {
  const t = log
    ? (Math.log10(v) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min))
    : (v - axis.min) / (axis.max - axis.min);
  return Math.min(1, Math.max(0, t));
}
