// Caches under `.batchgen/cache/` that spare planning work it has done before. A cache only
// ever saves time: one that is missing, unreadable, damaged or written by other code is
// ignored, and one that cannot be written is skipped without failing anything.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from './plan/hash.ts';

/**
 * A version of the code a cache depends on: the bytes of the TypeScript sources in the folder of
 * `module` (the cache's own module, by its import.meta.url) and in the other given folders (so
 * any edit to them, or an upgrade of the plugin, retires old caches), the versions of the given
 * packages, Node's Unicode tables and the cache's own format. Undefined when the sources cannot
 * be read or `module` is not among them (a bundled copy, say): then nothing is cached.
 */
export function codeVersion(format: string, module: string, otherFolders: readonly string[], packages: readonly string[]): string | undefined {
  try {
    const folders = [new URL('.', module), ...otherFolders.map((folder) => new URL(folder, module))];
    const sources = folders.flatMap((folder) =>
      readdirSync(folder)
        .filter((name) => name.endsWith('.ts'))
        .sort()
        .map((name) => new URL(name, folder)),
    );
    if (!sources.some((source) => source.href === new URL(module).href)) return undefined;
    const require = createRequire(module);
    const parts = [
      format,
      process.versions.unicode ?? process.version,
      ...packages.map((name) => `${name}@${(require(`${name}/package.json`) as { version: string }).version}`),
      ...sources.map((source) => `${path.basename(fileURLToPath(source))}:${sha256(readFileSync(source, 'utf8'))}`),
    ];
    return sha256(parts.join('\n'));
  } catch {
    return undefined;
  }
}

/**
 * A cache file being replaced: a temporary file beside it, made when the work it records begins
 * (its time stamp is the file system's clock at that moment), renamed over the cache when done.
 */
export interface CacheWriter {
  /** The file system's time, in nanoseconds, just before the recorded work began. */
  readonly startedNs: bigint;
  /** Replaces the cache with `text`; never throws. */
  commit(text: string): Promise<void>;
  /** Removes the temporary file; never throws. */
  discard(): Promise<void>;
}

/** Starts replacing a cache file, or undefined when its folder cannot be written. */
export async function startCacheWrite(file: string): Promise<CacheWriter | undefined> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  let opened: FileHandle | undefined;
  let startedNs: bigint;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    opened = await open(temporary, 'wx');
    startedNs = (await opened.stat({ bigint: true })).mtimeNs;
  } catch {
    if (opened) {
      await opened.close().catch(() => undefined);
      await rm(temporary, { force: true }).catch(() => undefined);
    }
    return undefined;
  }
  const handle = opened;
  let settled = false;
  return {
    startedNs,
    async discard() {
      if (settled) return;
      settled = true;
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true }).catch(() => undefined);
    },
    async commit(text) {
      if (settled) return;
      settled = true;
      try {
        try {
          await handle.writeFile(text, 'utf8');
        } finally {
          await handle.close();
        }
        await rename(temporary, file);
      } catch {
        await rm(temporary, { force: true }).catch(() => undefined);
        return;
      }
      await removeAbandoned(path.dirname(file));
    },
  };
}

const ABANDONED_AFTER_MS = 60 * 60 * 1000;

/** Temporary files of runs killed while writing a cache (an hour old: no run still writes them). */
async function removeAbandoned(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.endsWith('.tmp')) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > ABANDONED_AFTER_MS) await rm(file, { force: true }).catch(() => undefined);
  }
}
