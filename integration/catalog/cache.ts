import { createHash, hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { codeVersion, startCacheWrite } from '../cache-file.ts';
import { sha256 } from '../plan/hash.ts';
import type { Catalog, Category } from './load.ts';
import type { Author } from './schema.ts';

// The catalogue as last loaded, parsed and checked, keyed by the bytes of every catalogue file
// and by the code that read them. Reading YAML and checking every record is most of the cost of
// opening a project; hashing the same files is a small part of it.

const FORMAT = 'batchgen catalogue cache 1';

let version: string | undefined | null = null;

/** This folder's sources and the libraries that parse and check a catalogue. */
function catalogCodeVersion(): string | undefined {
  if (version === null) version = codeVersion(FORMAT, import.meta.url, [], ['zod', 'yaml', 'js-yaml']);
  return version;
}

/** The cache key of a catalogue: its files (names and bytes, in order) and the code version. */
export function catalogKey(files: ReadonlyArray<{ file: string; bytes: Buffer }>): string | undefined {
  const code = catalogCodeVersion();
  if (code === undefined) return undefined;
  const digest = createHash('sha256').update(code);
  // Lengths first, so that no two different lists of files can run together into the same bytes.
  for (const { file, bytes } of files) digest.update(`\n${file.length}:${file}${bytes.length}:`).update(bytes);
  return digest.digest('hex');
}

interface Stored {
  authors: Author[];
  categories: Category[];
}

/** The cached catalogue for this key, or undefined when there is none (or it is damaged or for other files). */
export async function readCachedCatalog(file: string, key: string): Promise<Omit<Catalog, 'files'> | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as { key?: unknown; body?: unknown };
    if (header.key !== key) return undefined;
    const body = bytes.subarray(newline + 1);
    if (header.body !== hash('sha256', body, 'hex')) return undefined;
    const stored = JSON.parse(body.toString('utf8')) as Stored;
    if (!Array.isArray(stored.authors) || !Array.isArray(stored.categories)) return undefined;
    const materials = stored.categories.flatMap((category) => category.materials);
    return {
      categories: stored.categories,
      materials,
      authors: new Map(stored.authors.map((author) => [author.id, author])),
    };
  } catch {
    return undefined;
  }
}

/** Caches a catalogue that loaded without a problem. Never throws: the next load is just slower. */
export async function writeCachedCatalog(file: string, key: string, catalog: Catalog): Promise<void> {
  // JSON has no negative zero; a catalogue holding one is read in full each time rather than changed.
  let negativeZero = false;
  const body = JSON.stringify({ authors: [...catalog.authors.values()], categories: catalog.categories } satisfies Stored, (_, value: unknown) => {
    if (Object.is(value, -0)) negativeZero = true;
    return value;
  });
  if (negativeZero) return;
  const writer = await startCacheWrite(file);
  await writer?.commit(`${JSON.stringify({ format: FORMAT, key, body: sha256(body) })}\n${body}`);
}
