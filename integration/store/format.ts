import { dump } from 'js-yaml';
import type { FileFormat } from '../components/define.ts';
import { canonicalJson, sha256, sortKeys } from '../plan/hash.ts';
import type { Provenance } from './provenance.ts';

/**
 * A generated file is its content plus one provenance line. The provenance line is the only
 * line that starts with `_provenance: ` (YAML, Markdown front matter) or `  "_provenance": `
 * (JSON); the content hash covers every other byte, so an edit anywhere else is detected
 * without parsing the file.
 */
const PROVENANCE_LINE = /^(?:_provenance: |  "_provenance": )(\{.*\})/m;

export const EXTENSIONS: Record<FileFormat, string> = { yaml: 'yaml', json: 'json', md: 'md' };

/**
 * YAML written by the same library that reads it back (and that Astro's content collections
 * use): keys sorted, no line folding, no anchors, double quotes where quoting is needed.
 */
function yaml(value: unknown): string {
  return dump(sortKeys(value), { lineWidth: -1, sortKeys: true, noRefs: true, quotingType: '"' });
}

/** The file's bytes with `@@PROVENANCE@@` standing where the provenance line goes. */
function template(format: FileFormat, data: Record<string, unknown>): string {
  switch (format) {
    case 'yaml':
      return `@@PROVENANCE@@\n${yaml(data)}`;
    case 'json': {
      const body = JSON.stringify(sortKeys(data), null, 2);
      const inner = body === '{}' ? '' : `,\n${body.slice(2, -2)}`;
      return `{\n@@PROVENANCE@@${inner}\n}\n`;
    }
    case 'md': {
      const { body, ...rest } = data as { body: string };
      const front = Object.keys(rest).length ? yaml(rest) : '';
      return `---\n@@PROVENANCE@@\n${front}---\n\n${body.trim()}\n`;
    }
  }
}

function provenanceLine(format: FileFormat, provenance: Provenance): string {
  return format === 'json' ? `  "_provenance": ${canonicalJson(provenance)}` : `_provenance: ${canonicalJson(provenance)}`;
}

/** Hash of a file's content without its provenance line: what `outputHash` records. */
export function contentHash(text: string): string {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  return sha256(normalised.replace(PROVENANCE_LINE, '@@PROVENANCE@@'));
}

/** Serialises content with its provenance; fills in `outputHash`. */
export function renderFile(format: FileFormat, data: Record<string, unknown>, provenance: Omit<Provenance, 'outputHash'>): { text: string; outputHash: string } {
  const shape = template(format, data);
  const outputHash = sha256(shape);
  const text = shape.replace('@@PROVENANCE@@', provenanceLine(format, { ...provenance, outputHash } as Provenance));
  return { text, outputHash };
}

/** The raw provenance JSON of a file, or undefined when it has none. */
export function readProvenanceLine(text: string): unknown {
  const match = PROVENANCE_LINE.exec(text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'));
  if (!match) return undefined;
  try {
    return JSON.parse(match[1]!);
  } catch {
    return undefined;
  }
}
