import { hash } from 'node:crypto';
import { readFileSync, statSync, type BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { codeVersion, startCacheWrite, type CacheWriter } from '../cache-file.ts';
import type { ComponentDefinition } from '../components/define.ts';
import { sha256 } from '../plan/hash.ts';
import { EXTENSIONS, contentHash } from './format.ts';
import type { Provenance } from './provenance.ts';
import { describeFile, isAbsent, type ComponentStore, type StoredFile } from './store.ts';

// Planning needs, of every generated file, its content hash and its provenance: reading and
// hashing every file is most of its cost. This cache keeps both, keyed by what the file system
// says of the file (size, modification and change times in nanoseconds, inode and device), and
// a file whose stat differs in any of them is read again. Like git's index, it does not trust an
// entry for a file changed in the same clock tick as the scan that recorded it ("racily
// clean"): such a file could change again without its times moving, so it is read every time
// until it is older than a scan. A scan's start is the file system's own clock, read from the
// temporary file the new cache is written to (see cache-file.ts), which is taken to share a
// clock with the components: both live in the project.

const FORMAT = 'batchgen generated-files cache 1';
const FEW_FILES = 200;

/** A generated file as planning saw it: its hash and provenance. Its text is read when first asked for. */
export class PlannedFile implements StoredFile {
  readonly path: string;
  readonly provenance: Provenance | undefined;
  readonly contentHash: string;
  #text: string | undefined;

  constructor(path: string, contentHash: string, provenance: Provenance | undefined) {
    this.path = path;
    this.contentHash = contentHash;
    this.provenance = provenance;
  }

  /** The text planning judged; a file changed since then is refused rather than mixed with that judgement. */
  get text(): string {
    if (this.#text === undefined) {
      let text: string | undefined;
      try {
        text = readFileSync(this.path, 'utf8');
      } catch (error) {
        if (!isAbsent(error)) throw error;
      }
      if (text === undefined || contentHash(text) !== this.contentHash) {
        throw new Error(`${this.path} was ${text === undefined ? 'removed' : 'changed'} while this run was using it; run again`);
      }
      this.#text = text;
    }
    return this.#text;
  }
}

export interface FileRequest {
  component: Pick<ComponentDefinition, 'name' | 'format'>;
  slug: string;
}

interface Cache {
  /** Entries by path relative to the store: the stat key, content hash and provenance, tab-separated. */
  entries: Map<string, string>;
  /** File system time (ns) before the scan that recorded the entries; only files older than it are trusted. */
  scannedNs: bigint;
}

let version: string | undefined | null = null;

/** The store's sources, the hash function and zod (the provenance check) make the cache's version. */
function filesCodeVersion(): string | undefined {
  if (version === null) version = codeVersion(FORMAT, import.meta.url, ['../plan/'], ['zod']);
  return version;
}

/**
 * Reads the hash and provenance of many generated files, from the store's read cache where a
 * file has not changed since it was recorded, else from the file; then records what was read.
 * `complete`: these are all the files planning cares about, so entries for other files go.
 */
export async function readStoredFiles(
  store: ComponentStore,
  requests: readonly FileRequest[],
  options: { complete: boolean },
): Promise<Array<StoredFile | undefined>> {
  // A few files (one material's, say) are read sooner than a whole project's cache.
  const worthIt = options.complete || requests.length > FEW_FILES;
  const code = store.readCache === undefined || !worthIt ? undefined : filesCodeVersion();
  if (store.readCache === undefined || code === undefined) return requests.map((r) => readUncached(store.pathOf(r.component, r.slug)));

  const cached = await loadCache(store.readCache, code, store.dir);
  const writer = await startCacheWrite(store.readCache);
  // What the cache is to hold for each request (the entry that held, a new one, or none), and
  // whether that differs from what it holds now.
  const lines: Array<string | undefined> = [];
  let kept = 0;
  let differs = cached === undefined;
  let files: Array<StoredFile | undefined>;
  try {
    files = requests.map(({ component, slug }, i) => {
      const relative = relativePath(component, slug);
      const file = store.pathOf(component, slug);
      const previous = cached?.entries.get(relative);
      const stats = statOf(file);
      if (stats === undefined || !stats.isFile()) {
        if (previous !== undefined) differs = true;
        return stats === undefined ? undefined : readUncached(file);
      }
      const prefix = `${relative}\t${stats.size}\t${stats.mtimeNs}\t${stats.ctimeNs}\t${stats.ino}\t${stats.dev}\t`;
      if (previous !== undefined && previous.startsWith(prefix) && isTrusted(stats, cached!.scannedNs)) {
        const hit = fromEntry(file, previous, prefix.length);
        if (hit) {
          lines[i] = previous;
          kept++;
          return hit;
        }
      }
      differs = true;
      const text = readText(file);
      if (text === undefined) return undefined;
      const { provenance, contentHash } = describeFile(text);
      if (writer && isTrusted(stats, writer.startedNs) && !/[\t\n]/.test(relative)) {
        lines[i] = `${prefix}${contentHash}\t${provenance ? JSON.stringify(provenance) : ''}`;
      }
      return new PlannedFile(file, contentHash, provenance);
    });
  } catch (error) {
    await writer?.discard();
    throw error;
  }
  if (!writer) return files;
  // After a full scan the cache keeps only the files scanned: anything else it held is gone.
  if (!differs && !(options.complete && kept !== cached!.entries.size)) {
    await writer.discard();
    return files;
  }
  const entries = options.complete ? new Map<string, string>() : new Map(cached?.entries);
  requests.forEach(({ component, slug }, i) => {
    const relative = relativePath(component, slug);
    const line = lines[i];
    if (line === undefined) entries.delete(relative);
    else entries.set(relative, line);
  });
  await writer.commit(serialise(entries, code, store.dir, writer));
  return files;
}

function relativePath(component: FileRequest['component'], slug: string): string {
  return `${component.name}/${slug}.${EXTENSIONS[component.format]}`;
}

function readUncached(file: string): StoredFile | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const { provenance, contentHash } = describeFile(text);
  return new PlannedFile(file, contentHash, provenance);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (isAbsent(error)) return undefined;
    throw error;
  }
}

function statOf(file: string): BigIntStats | undefined {
  try {
    return statSync(file, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    if (isAbsent(error)) return undefined;
    throw error;
  }
}

/** Changed before the scan began: a later change moves its times. */
function isTrusted(stats: BigIntStats, scannedNs: bigint): boolean {
  return stats.ctimeNs < scannedNs && stats.mtimeNs < scannedNs;
}

/** The file from a cache entry whose stat key matched; undefined when the rest of the entry is damaged. */
function fromEntry(file: string, entry: string, at: number): PlannedFile | undefined {
  if (entry.charCodeAt(at + 64) !== 9) return undefined;
  const hash = entry.slice(at, at + 64);
  const rest = entry.slice(at + 65);
  let provenance: Provenance | undefined;
  if (rest !== '') {
    try {
      provenance = JSON.parse(rest) as Provenance;
    } catch {
      return undefined;
    }
  }
  return new PlannedFile(file, hash, provenance);
}

async function loadCache(file: string, code: string, dir: string): Promise<Cache | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    const newline = bytes.indexOf(10);
    if (newline < 0) return undefined;
    const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Record<string, unknown>;
    const body = bytes.subarray(newline + 1);
    if (header.format !== FORMAT || header.code !== code || header.dir !== dir || typeof header.scannedNs !== 'string') return undefined;
    if (header.body !== hash('sha256', body, 'hex')) return undefined;
    const entries = new Map<string, string>();
    for (const line of body.toString('utf8').split('\n')) {
      if (line !== '') entries.set(line.slice(0, line.indexOf('\t')), line);
    }
    return { entries, scannedNs: BigInt(header.scannedNs) };
  } catch {
    return undefined;
  }
}

function serialise(entries: Map<string, string>, code: string, dir: string, writer: CacheWriter): string {
  const body = [...entries.values()].join('\n');
  const header = { format: FORMAT, code, dir, scannedNs: String(writer.startedNs), body: sha256(body) };
  return `${JSON.stringify(header)}\n${body}`;
}
