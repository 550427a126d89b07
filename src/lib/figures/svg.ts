import { createHash } from 'node:crypto';

/** Escapes text for SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Numbers in path data and coordinates: short, no float noise. */
export function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export const FONT_STACK = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

/** A complete SVG document with an accessible name; `body` is already-escaped markup. */
export function svgDocument(options: { width: number; height: number; title: string; body: string }): string {
  const { width, height, title, body } = options;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="title" font-family="${escapeXml(FONT_STACK)}">`,
    `<title id="title">${escapeXml(title)}</title>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

export function svgResponse(svg: string): Response {
  return new Response(svg, { headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' } });
}

/** A deterministic random source seeded by text, so a figure is the same on every build. */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

/** Breaks text into lines of at most `maxChars` characters at spaces (a long word gets its own line). */
export function wrapText(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= maxChars) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/** Shortens text to `maxChars`, ending with an ellipsis when cut. */
export function shorten(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}

export interface Palette {
  /** Hue of the category's accent colour. */
  hue: number;
  accent: string;
  deep: string;
  surface: string;
}

const CATEGORY_HUES: Record<string, number> = {
  metal: 210,
  ceramic: 25,
  glass: 185,
  stone: 35,
  masonry: 15,
  wood: 30,
  plastic: 280,
  polymer: 280,
  composite: 150,
  semiconductor: 245,
  rare_earth: 330,
};

/** A colour scheme per category: known categories get a fitting hue, others one derived from the id. */
export function categoryPalette(category: string): Palette {
  const known = Object.entries(CATEGORY_HUES).find(([key]) => category.includes(key));
  const hue = known ? known[1] : createHash('sha256').update(category).digest().readUInt16LE(0) % 360;
  return {
    hue,
    accent: `hsl(${hue} 80% 68%)`,
    deep: `hsl(${hue} 45% 14%)`,
    surface: `hsl(${hue} 30% 22%)`,
  };
}
