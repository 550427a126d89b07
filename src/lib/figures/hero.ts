import type { MaterialPage } from '../material-pages.ts';
import type { StoredQuantity } from '../quantities.ts';
import { categoryPalette, escapeXml, n, shorten, svgDocument, wrapText } from './svg.ts';

export const HERO_SIZE = { width: 1200, height: 630 };

/** Where each laser parameter is drawn on a log axis, in one base unit per parameter. */
const PARAMETER_AXES: Record<string, { base: string; min: number; max: number; factors: Record<string, number> }> = {
  wavelength: { base: 'nm', min: 150, max: 11000, factors: { nm: 1 } },
  fluence: { base: 'J/cm²', min: 0.01, max: 100, factors: { 'J/cm²': 1 } },
  pulseDuration: { base: 'ns', min: 1e-6, max: 1e5, factors: { fs: 1e-6, ps: 1e-3, ns: 1, 'µs': 1e3 } },
  power: { base: 'W', min: 0.1, max: 10000, factors: { W: 1 } },
  repetitionRate: { base: 'kHz', min: 1e-4, max: 1e5, factors: { Hz: 1e-3, kHz: 1, MHz: 1e3 } },
  spotSize: { base: 'µm', min: 1, max: 20000, factors: { 'µm': 1, mm: 1e3 } },
  scanSpeed: { base: 'mm/s', min: 1, max: 100000, factors: { 'mm/s': 1 } },
};

/** The parameters the banner draws, most decisive first. */
const SHOWN_PARAMETERS = ['fluence', 'wavelength', 'pulseDuration', 'power', 'scanSpeed'] as const;

/** The banner of a material page: name, category, key properties and the laser window as bars. */
export function heroSvg(page: MaterialPage): string {
  const fm = page.frontmatter.data;
  const palette = categoryPalette(fm.category);
  const { width, height } = HERO_SIZE;
  const parts: string[] = [];

  parts.push(
    '<defs>',
    `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${palette.hue} 45% 12%)"/><stop offset="1" stop-color="hsl(${palette.hue} 35% 24%)"/></linearGradient>`,
    '</defs>',
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    // A faint beam sweeping across the banner.
    `<path d="M 0 ${height} L ${width * 0.42} 0 L ${width * 0.5} 0 L ${width * 0.12} ${height} Z" fill="${palette.accent}" opacity="0.06"/>`,
  );

  // Left column: category, name, formula. Sizes are large because the banner is usually shown
  // at less than half its width.
  const eyebrow = shorten(`${fm.categoryLabel} · ${fm.subcategory}`.toUpperCase(), 40);
  parts.push(`<text x="64" y="104" fill="${palette.accent}" font-size="22" font-weight="700" letter-spacing="1"${squeeze(eyebrow, 22, 0.75)}>${escapeXml(eyebrow)}</text>`);
  const { lines, size } = fitName(fm.name);
  lines.forEach((line, i) => {
    parts.push(`<text x="60" y="${n(104 + size * 1.12 * (i + 1))}" fill="#ffffff" font-size="${size}" font-weight="800"${squeeze(line, size, 0.66)}>${escapeXml(line)}</text>`);
  });
  if (fm.formula) {
    const y = 104 + size * 1.12 * lines.length + 48;
    parts.push(`<text x="64" y="${n(y)}" fill="#d7dee8" font-size="32">${escapeXml(shorten(fm.formula, 28))}</text>`);
  }

  // Key properties as a 2 x 2 grid of cards.
  keyProperties(page).forEach((q, i) => {
    const x = 64 + (i % 2) * 276;
    const top = 398 + Math.floor(i / 2) * 112;
    const valueSize = Math.min(34, Math.floor(224 / (0.62 * q.display.length)));
    const label = q.label.replace(/ at \d+ nm$/, '');
    const labelSize = label.length > 17 ? 19 : 22;
    parts.push(
      `<rect x="${x}" y="${top}" width="260" height="100" rx="12" fill="#ffffff" fill-opacity="0.09" stroke="#ffffff" stroke-opacity="0.2"/>`,
      `<text x="${x + 18}" y="${top + 36}" fill="#c5cfdb" font-size="${labelSize}"${squeeze(label, labelSize, 0.58, 224)}>${escapeXml(label)}</text>`,
      `<text x="${x + 18}" y="${top + 80}" fill="#ffffff" font-size="${valueSize}" font-weight="700"${squeeze(q.display, valueSize, 0.64, 224)}>${escapeXml(q.display)}</text>`,
    );
  });

  // Right panel: the laser window of the parameters that decide a cleaning job.
  const panel = { x: 652, y: 48, w: 500, h: 534 };
  parts.push(
    `<rect x="${panel.x}" y="${panel.y}" width="${panel.w}" height="${panel.h}" rx="18" fill="#000000" fill-opacity="0.3" stroke="#ffffff" stroke-opacity="0.16"/>`,
    `<text x="${panel.x + 32}" y="${panel.y + 52}" fill="#ffffff" font-size="32" font-weight="800">Laser window</text>`,
    `<text x="${panel.x + 32}" y="${panel.y + 88}" fill="#c5cfdb" font-size="22">${escapeXml(shorten(fm.laser.laserType, 36))}</text>`,
  );
  const parameters = SHOWN_PARAMETERS.flatMap((id) => {
    const q = fm.laser.parameters[id];
    return q ? [[id, q] as const] : [];
  });
  const trackX = panel.x + 32;
  const trackW = panel.w - 64;
  parameters.forEach(([id, q], i) => {
    const top = panel.y + 120 + i * 76;
    parts.push(
      `<text x="${trackX}" y="${top + 26}" fill="#e6ebf1" font-size="24">${escapeXml(q.label)}</text>`,
      `<text x="${trackX + trackW}" y="${top + 26}" fill="#ffffff" font-size="24" font-weight="700" text-anchor="end">${escapeXml(shorten(q.display, 16))}</text>`,
      `<rect x="${trackX}" y="${top + 40}" width="${trackW}" height="16" rx="8" fill="#ffffff" fill-opacity="0.15"/>`,
    );
    const [from, to] = positions(id, q).map((p) => trackX + p * trackW);
    const barW = Math.max(to! - from!, 16);
    const barX = Math.min(from!, trackX + trackW - barW);
    parts.push(`<rect x="${n(barX)}" y="${top + 40}" width="${n(barW)}" height="16" rx="8" fill="${palette.accent}"/>`);
  });
  parts.push(
    `<text x="${panel.x + panel.w - 32}" y="${panel.y + panel.h - 22}" fill="#aab8c8" font-size="18" text-anchor="end">bars: log scale of usual values</text>`,
  );

  return svgDocument({
    width,
    height,
    title: `${fm.name} (${fm.categoryLabel}): key properties and laser cleaning window`,
    body: parts.join('\n'),
  });
}

/** The name in as few lines as possible, in the largest size that fits the left column. */
function fitName(name: string): { lines: string[]; size: number } {
  // [font size, characters per line that fit the 560px column, lines that fit above the cards]
  for (const [size, maxChars, maxLines] of [
    [88, 10, 1],
    [70, 12, 2],
    [56, 15, 2],
    [46, 19, 3],
    [38, 23, 4],
  ] as const) {
    const lines = wrapText(name, maxChars);
    if (lines.length <= maxLines && lines.every((l) => l.length <= maxChars)) return { lines, size };
  }
  return { lines: wrapText(name, 23).slice(0, 4).map((l) => shorten(l, 23)), size: 38 };
}

function keyProperties(page: MaterialPage): StoredQuantity[] {
  const p = page.frontmatter.data.properties;
  const candidates = [
    p.density,
    p.meltingPoint ?? p.decompositionPoint,
    p.thermalConductivity,
    p.absorptivity ?? p.ablationThreshold ?? p.specificHeat,
    p.hardness,
  ];
  return candidates.filter((q): q is StoredQuantity => q !== undefined).slice(0, 4);
}

/**
 * Text width is only estimated (no font metrics at build time): when a line may be wider than
 * its column, `textLength` makes the renderer fit it exactly.
 */
function squeeze(text: string, size: number, widthPerEm: number, maxWidth = 560): string {
  return text.length * size * widthPerEm > maxWidth ? ` textLength="${maxWidth}" lengthAdjust="spacingAndGlyphs"` : '';
}

/** Start and end of a parameter's bar as fractions of the track. */
function positions(id: string, q: StoredQuantity): [number, number] {
  const axis = PARAMETER_AXES[id];
  const low = q.value ?? q.min!;
  const high = q.value ?? q.max!;
  if (!axis) return [0, 1];
  const factor = axis.factors[q.unit] ?? 1;
  const at = (v: number) => {
    const t = (Math.log10(v * factor) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min));
    return Math.min(1, Math.max(0, t));
  };
  return [at(low), at(high)];
}
