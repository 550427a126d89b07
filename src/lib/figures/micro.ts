import type { MaterialPage } from '../material-pages.ts';
import { escapeXml, n, seededRandom, shorten, svgDocument } from './svg.ts';

export const MICRO_SIZE = { width: 1200, height: 600 };

type Texture = 'rolled' | 'fibre' | 'grain' | 'glassy' | 'woven' | 'smooth' | 'wafer';

interface Look {
  texture: Texture;
  base: string;
  line: string;
}

/** How a bare surface is drawn, by subcategory first, then category; others get a neutral grain. */
function lookFor(category: string, subcategory: string): Look {
  if (/elastomer|rubber/i.test(subcategory)) return { texture: 'smooth', base: '#4a4f57', line: '#6b727c' };
  if (/metal|alloy/.test(category)) return { texture: 'rolled', base: '#c9d1da', line: '#9aa6b4' };
  if (/wood/.test(category)) return { texture: 'fibre', base: '#d9b889', line: '#a9804e' };
  if (/stone|masonry|concrete|mineral/.test(category)) return { texture: 'grain', base: '#d8cfc0', line: '#a89a86' };
  if (/glass/.test(category)) return { texture: 'glassy', base: '#cfe6ea', line: '#ffffff' };
  if (/composite/.test(category)) return { texture: 'woven', base: '#5d6670', line: '#3a4149' };
  if (/plastic|polymer|rubber/.test(category)) return { texture: 'smooth', base: '#dfe3f0', line: '#b8bfd6' };
  if (/semiconductor|wafer/.test(category)) return { texture: 'wafer', base: '#5a6488', line: '#7f8ab3' };
  if (/ceramic/.test(category)) return { texture: 'grain', base: '#eee8df', line: '#c4b8a6' };
  return { texture: 'grain', base: '#d6d6d6', line: '#a8a8a8' };
}

const PANEL = { w: 540, h: 420, top: 104 };
const LEFT_X = 48;
const RIGHT_X = 612;

/** A stylised before/after view of the surface: contamination on the left, bare substrate on the right. */
export function microSvg(page: MaterialPage): string {
  const fm = page.frontmatter.data;
  const caption = page.caption.data;
  const look = lookFor(fm.category, fm.subcategory);
  const { width, height } = MICRO_SIZE;
  const surface = textureMarkup(look, seededRandom(`${fm.slug}/texture`));
  const dirt = contaminationMarkup(seededRandom(`${fm.slug}/contamination`));
  const settings = caption.settings
    .filter((s) => s.parameter === 'wavelength' || s.parameter === 'fluence' || s.parameter === 'pulseDuration')
    .map((s) => s.display)
    .join(' · ');

  const panel = (x: number, label: string, content: string) =>
    [
      `<g transform="translate(${x} ${PANEL.top})">`,
      `<g clip-path="url(#panel)">`,
      `<rect width="${PANEL.w}" height="${PANEL.h}" fill="${look.base}"/>`,
      content,
      '</g>',
      `<rect width="${PANEL.w}" height="${PANEL.h}" rx="12" fill="none" stroke="#1f2933" stroke-width="2"/>`,
      `<rect x="16" y="16" width="${label.length * 13 + 28}" height="36" rx="18" fill="#1f2933" fill-opacity="0.85"/>`,
      `<text x="30" y="40" fill="#ffffff" font-size="18" font-weight="700">${escapeXml(label)}</text>`,
      '</g>',
    ].join('\n');

  const body = [
    `<defs><clipPath id="panel"><rect width="${PANEL.w}" height="${PANEL.h}" rx="12"/></clipPath></defs>`,
    `<rect width="${width}" height="${height}" fill="#f7f8fa"/>`,
    `<text x="${LEFT_X}" y="60" fill="#1f2933" font-size="28" font-weight="700">${escapeXml(shorten(`${fm.name}: surface before and after laser cleaning`, 70))}</text>`,
    panel(LEFT_X, 'Before', `${surface}\n${dirt}`),
    panel(RIGHT_X, 'After', surface),
    `<text x="${LEFT_X}" y="${PANEL.top + PANEL.h + 44}" fill="#3e4c59" font-size="18">${escapeXml(shorten(`${caption.laserType} · ${settings}`, 96))}</text>`,
    `<text x="${width - 48}" y="${PANEL.top + PANEL.h + 44}" fill="#616e7c" font-size="16" text-anchor="end">Schematic drawn from the catalogue record</text>`,
  ].join('\n');

  return svgDocument({ width, height, title: `${fm.name}: schematic of the surface before and after laser cleaning`, body });
}

function textureMarkup(look: Look, random: () => number): string {
  const out: string[] = [];
  const { w, h } = PANEL;
  switch (look.texture) {
    case 'rolled':
      for (let y = 6; y < h; y += 7 + random() * 6) {
        out.push(`<path d="M 0 ${n(y)} L ${w} ${n(y + (random() - 0.5) * 4)}" stroke="${look.line}" stroke-width="${n(0.6 + random() * 1.4)}" opacity="${n(0.4 + random() * 0.5)}"/>`);
      }
      break;
    case 'fibre':
      for (let y = 0; y < h + 20; y += 9 + random() * 8) {
        const a = (random() - 0.5) * 18;
        const b = (random() - 0.5) * 18;
        out.push(`<path d="M -10 ${n(y)} C ${n(w * 0.3)} ${n(y + a)}, ${n(w * 0.7)} ${n(y + b)}, ${w + 10} ${n(y + (random() - 0.5) * 6)}" stroke="${look.line}" stroke-width="${n(1 + random() * 2.5)}" fill="none" opacity="0.7"/>`);
      }
      break;
    case 'grain':
      for (let i = 0; i < 260; i++) {
        out.push(`<circle cx="${n(random() * w)}" cy="${n(random() * h)}" r="${n(2 + random() * 12)}" fill="${look.line}" opacity="${n(0.15 + random() * 0.45)}"/>`);
      }
      break;
    case 'glassy':
      for (let i = 0; i < 14; i++) {
        const x = random() * w;
        out.push(`<path d="M ${n(x)} 0 L ${n(x + 120 + random() * 160)} ${h}" stroke="${look.line}" stroke-width="${n(4 + random() * 18)}" opacity="${n(0.15 + random() * 0.3)}"/>`);
      }
      break;
    case 'woven': {
      const size = 36;
      for (let y = 0; y < h; y += size) {
        for (let x = 0; x < w; x += size) {
          const across = ((x + y) / size) % 2 === 0;
          const shade = across ? look.line : '#7a848f';
          out.push(
            across
              ? `<rect x="${x + 2}" y="${y + 6}" width="${size - 4}" height="${size - 12}" rx="6" fill="${shade}"/>`
              : `<rect x="${x + 6}" y="${y + 2}" width="${size - 12}" height="${size - 4}" rx="6" fill="${shade}"/>`,
          );
        }
      }
      break;
    }
    case 'smooth':
      for (let i = 0; i < 120; i++) {
        out.push(`<circle cx="${n(random() * w)}" cy="${n(random() * h)}" r="${n(1 + random() * 2)}" fill="${look.line}" opacity="0.6"/>`);
      }
      break;
    case 'wafer':
      for (let x = 0; x < w; x += 30) out.push(`<path d="M ${x} 0 L ${x} ${h}" stroke="${look.line}" stroke-width="1" opacity="0.5"/>`);
      for (let y = 0; y < h; y += 30) out.push(`<path d="M 0 ${y} L ${w} ${y}" stroke="${look.line}" stroke-width="1" opacity="0.5"/>`);
      break;
  }
  return out.join('\n');
}

/** Irregular blobs of contamination covering most of the panel. */
function contaminationMarkup(random: () => number): string {
  const out: string[] = [];
  const colours = ['#5b4636', '#7a5a3a', '#3f3a36', '#8c6d46'];
  for (let i = 0; i < 34; i++) {
    const cx = random() * PANEL.w;
    const cy = random() * PANEL.h;
    const radius = 30 + random() * 80;
    const points = 9;
    const corners = Array.from({ length: points }, (_, k) => {
      const angle = (k / points) * Math.PI * 2;
      const r = radius * (0.6 + random() * 0.5);
      return [cx + Math.cos(angle) * r, cy + Math.sin(angle) * r] as const;
    });
    // A smooth closed outline through the midpoints of the corners.
    const mid = (a: readonly [number, number], b: readonly [number, number]) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2] as const;
    const start = mid(corners[points - 1]!, corners[0]!);
    let d = `M ${n(start[0])} ${n(start[1])}`;
    for (let k = 0; k < points; k++) {
      const next = mid(corners[k]!, corners[(k + 1) % points]!);
      d += ` Q ${n(corners[k]![0])} ${n(corners[k]![1])} ${n(next[0])} ${n(next[1])}`;
    }
    out.push(`<path d="${d} Z" fill="${colours[i % colours.length]}" opacity="${n(0.55 + random() * 0.35)}"/>`);
  }
  for (let i = 0; i < 140; i++) {
    out.push(`<circle cx="${n(random() * PANEL.w)}" cy="${n(random() * PANEL.h)}" r="${n(1 + random() * 4)}" fill="#2f2720" opacity="0.6"/>`);
  }
  return out.join('\n');
}
