import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Every file under `dir` (relative path, `/`-separated), sorted; a missing folder has none. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string) => {
    let entries;
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * Each file under `dir` with the hash of its bytes and its modification time: two fingerprints
 * are equal only if no file was added, removed, rewritten or touched.
 */
export async function fingerprint(dir: string): Promise<Map<string, string>> {
  const files = await listTree(dir);
  const prints = new Map<string, string>();
  // A few dozen files at a time: much faster than one by one, well under the open-file limit.
  for (let i = 0; i < files.length; i += 64) {
    const batch = files.slice(i, i + 64);
    const results = await Promise.all(
      batch.map(async (file) => {
        const full = path.join(dir, file);
        const [bytes, info] = await Promise.all([readFile(full), stat(full)]);
        return `${createHash('sha256').update(bytes).digest('hex')} ${info.mtimeMs}`;
      }),
    );
    batch.forEach((file, j) => prints.set(file, results[j]!));
  }
  return prints;
}
