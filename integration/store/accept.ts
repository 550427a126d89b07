import { contentHash, readProvenanceLine } from './format.ts';
import { canonicalJson } from '../plan/hash.ts';
import type { FileFormat } from '../components/define.ts';
import type { Provenance } from './provenance.ts';

/**
 * A hand-edited file's text with its provenance rewritten so that its current content is the
 * accepted output: the content itself is not changed by a single byte. A file that has no
 * provenance line (written from scratch by a person) gets one.
 */
export function acceptEditedText(
  format: FileFormat,
  text: string,
  fallback: Omit<Provenance, 'outputHash'>,
  now: Date,
  currentInputsHash: string | undefined,
): string {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const old = readProvenanceLine(normalised) as Provenance | undefined;
  const base: Omit<Provenance, 'outputHash'> = old ? { ...old } : fallback;
  const placeholder = '@@PROVENANCE@@';
  let shape: string;
  if (old) {
    shape = normalised.replace(/^(?:_provenance: |  "_provenance": )\{.*\}/m, placeholder);
  } else if (format === 'yaml') {
    shape = `${placeholder}\n${normalised}`;
  } else if (format === 'md') {
    shape = normalised.startsWith('---\n') ? normalised.replace(/^---\n/, `---\n${placeholder}\n`) : `---\n${placeholder}\n---\n\n${normalised}`;
  } else {
    shape = normalised.replace(/^\{\n?/, `{\n${placeholder},\n`);
  }
  const provenance: Provenance = {
    ...base,
    // Accepted as the output for the inputs as they are now, so it is not regenerated over.
    inputsHash: currentInputsHash ?? base.inputsHash,
    mode: 'accepted-edit',
    generatedAt: now.toISOString(),
    outputHash: '',
  };
  // The hash covers the text with the provenance line replaced by the placeholder: compute it
  // on the final shape, then put the line in.
  const withLine = (p: Provenance) => shape.replace(placeholder, format === 'json' ? `  "_provenance": ${canonicalJson(p)}` : `_provenance: ${canonicalJson(p)}`);
  provenance.outputHash = contentHash(withLine(provenance));
  return withLine(provenance);
}
