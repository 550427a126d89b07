// Small helpers that keep the checks' messages uniform.

/** "Aluminum's", "Ceramic Matrix Composites CMCs'". */
export function possessive(name: string): string {
  return /s$/.test(name) ? `${name}'` : `${name}'s`;
}

/** Where in a field a match sits: the field itself, or "body (line 12)" for multi-line text. */
export function where(path: string, text: string, index: number): string {
  if (!text.includes('\n')) return path;
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return `${path} (line ${line})`;
}

/** A short quote of the text around a match, for messages. */
export function excerpt(text: string, index: number, length: number, radius = 30): string {
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + length + radius);
  // Invisible control characters are left out of quotes: a message must read as it displays.
  const cut = text.slice(start, end).replace(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g, '').replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${cut}${end < text.length ? '…' : ''}`;
}

/** "density", "Young's modulus", "absorptivity at 1064 nm". */
export function lowerLabel(label: string): string {
  return /^[A-Z][a-z]+(?:\s|$)/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
