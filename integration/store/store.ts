import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, readdir } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import type { ComponentDefinition, FileFormat } from '../components/define.ts';
import { EXTENSIONS, contentHash, readProvenanceLine } from './format.ts';
import { provenanceSchema, type Provenance } from './provenance.ts';

export interface StoredFile {
  path: string;
  text: string;
  /** Undefined when the file has no readable provenance line (made or rewritten by hand). */
  provenance: Provenance | undefined;
  contentHash: string;
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'there is no permission to write there',
  EPERM: 'there is no permission to write there',
  ENOTDIR: 'part of the path is a file, not a folder',
  EISDIR: 'a folder stands where the file goes',
};

/**
 * A component file that could not be written (full disk, read-only folder, no permission). Every
 * later write would fail the same way, so a run stops at the first one instead of paying for
 * answers it cannot keep. The old file, if any, is unchanged and no temporary file is left.
 */
export class StoreWriteError extends Error {
  readonly file: string;
  readonly code: string | undefined;
  constructor(file: string, cause: NodeJS.ErrnoException) {
    // mkdir answers EEXIST when a file stands where the folder goes.
    const code = cause.code === 'EEXIST' && cause.syscall === 'mkdir' ? 'ENOTDIR' : cause.code;
    const problem = (code && WRITE_PROBLEMS[code]) ?? cause.message;
    super(`cannot write ${file}: ${problem}${cause.code ? ` (${cause.code})` : ''}; the file is unchanged: fix the folder or free space, then run again to write what is left`, { cause });
    this.name = 'StoreWriteError';
    this.file = file;
    this.code = cause.code;
  }
}

/** No such file: nothing there (ENOENT), or a file standing where a folder of the path should be (ENOTDIR). */
export function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export interface StoreOptions {
  /**
   * File recording each generated file's hash and provenance by its size, times and inode, so
   * that planning reads again only the files that changed (see read-cache.ts). None: every
   * file is read.
   */
  readCache?: string;
}

export class ComponentStore {
  readonly dir: string;
  readonly readCache: string | undefined;
  readonly #madeDirs = new Set<string>();

  constructor(dir: string, options: StoreOptions = {}) {
    this.dir = dir;
    this.readCache = options.readCache;
  }

  pathOf(component: Pick<ComponentDefinition, 'name' | 'format'>, slug: string): string {
    return path.join(this.dir, component.name, `${slug}.${EXTENSIONS[component.format]}`);
  }

  async read(component: Pick<ComponentDefinition, 'name' | 'format'>, slug: string): Promise<StoredFile | undefined> {
    const file = this.pathOf(component, slug);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw error;
    }
    return { path: file, text, ...describeFile(text) };
  }

  /**
   * Writes atomically: the bytes go to a temporary file in the same folder, are flushed, and
   * replace the old file in one rename, so a reader (or a crash) sees the old file or the new
   * one, never half of either. Returns false when the file already holds exactly these bytes.
   */
  async write(component: Pick<ComponentDefinition, 'name' | 'format'>, slug: string, text: string, previous?: string): Promise<boolean> {
    const file = this.pathOf(component, slug);
    if (previous !== undefined) {
      if (previous === text) return false;
    } else {
      try {
        if ((await readFile(file, 'utf8')) === text) return false;
      } catch (error) {
        if (!isAbsent(error)) throw error;
      }
    }
    const dir = path.dirname(file);
    const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      if (!this.#madeDirs.has(dir)) {
        await mkdir(dir, { recursive: true });
        this.#madeDirs.add(dir);
      }
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      // Whatever part of the temporary file was written goes; the old file was never touched.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw new StoreWriteError(file, error as NodeJS.ErrnoException);
    }
    return true;
  }

  async remove(component: Pick<ComponentDefinition, 'name' | 'format'>, slug: string): Promise<void> {
    await rm(this.pathOf(component, slug), { force: true });
  }

  /** Slugs that have a file for this component. */
  async slugs(component: Pick<ComponentDefinition, 'name' | 'format'>): Promise<string[]> {
    const ext = `.${EXTENSIONS[component.format]}`;
    try {
      return (await readdir(path.join(this.dir, component.name)))
        .filter((name) => name.endsWith(ext) && !name.startsWith('.'))
        .map((name) => name.slice(0, -ext.length));
    } catch (error) {
      if (isAbsent(error)) return [];
      throw error;
    }
  }
}

/** What a generated file's text says of it: its provenance (if readable) and the hash of its content. */
export function describeFile(text: string): Pick<StoredFile, 'provenance' | 'contentHash'> {
  const parsed = provenanceSchema.safeParse(readProvenanceLine(text));
  return { provenance: parsed.success ? parsed.data : undefined, contentHash: contentHash(text) };
}

const parsed = new Map<string, Record<string, unknown>>();

/**
 * The content of a generated file, without its provenance. Read with the same YAML reader the
 * site's content collections use, and remembered by text, since a run reads the same current
 * files for dependencies, cross-component checks and the near-duplicate index. Callers treat
 * the result as read-only.
 */
export function parseContent(format: FileFormat, text: string): Record<string, unknown> {
  const key = `${format}\u0000${text}`;
  let data = parsed.get(key);
  if (!data) {
    data = parseUncached(format, text);
    if (parsed.size >= 20_000) parsed.clear();
    parsed.set(key, data);
  }
  return data;
}

function parseUncached(format: FileFormat, text: string): Record<string, unknown> {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  switch (format) {
    case 'yaml': {
      const { _provenance, ...data } = (load(source) ?? {}) as Record<string, unknown>;
      return data;
    }
    case 'json': {
      const { _provenance, ...data } = JSON.parse(source) as Record<string, unknown>;
      return data;
    }
    case 'md': {
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source);
      if (!match) throw new Error('has no front matter block');
      const { _provenance, ...front } = (load(match[1]!) ?? {}) as Record<string, unknown>;
      return { ...front, body: match[2]!.trim() };
    }
  }
}

/** Removes temporary files a killed run left behind (never a real component file). */
export async function removeStaleTemporaryFiles(store: ComponentStore, components: readonly Pick<ComponentDefinition, 'name'>[]): Promise<number> {
  let removed = 0;
  for (const component of components) {
    let names: string[];
    try {
      names = await readdir(path.join(store.dir, component.name));
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        await rm(path.join(store.dir, component.name, name), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
