import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeVersion, startCacheWrite } from '../../integration/cache-file.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cache-file-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('codeVersion', () => {
  it('changes with any source beside the module, and is undefined for a module that is not among its sources', async () => {
    await mkdir(path.join(dir, 'code'));
    await writeFile(path.join(dir, 'code', 'cache.ts'), 'export const a = 1;\n');
    await writeFile(path.join(dir, 'code', 'helper.ts'), 'export const b = 1;\n');
    const module = pathToFileURL(path.join(dir, 'code', 'cache.ts')).href;
    const first = codeVersion('format 1', module, [], []);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(codeVersion('format 1', module, [], [])).toBe(first);
    expect(codeVersion('format 2', module, [], [])).not.toBe(first);
    await writeFile(path.join(dir, 'code', 'helper.ts'), 'export const b = 2;\n');
    expect(codeVersion('format 1', module, [], [])).not.toBe(first);
    // A bundled copy: the module is not a source in its folder, so nothing can vouch for the cache.
    expect(codeVersion('format 1', pathToFileURL(path.join(dir, 'code', 'bundle.mjs')).href, [], [])).toBeUndefined();
    expect(codeVersion('format 1', pathToFileURL(path.join(dir, 'nowhere', 'cache.ts')).href, [], [])).toBeUndefined();
  });
});

describe('startCacheWrite', () => {
  it('replaces the file in one rename, stamped with the file system time before the work', async () => {
    const file = path.join(dir, 'cache', 'state.txt');
    const before = BigInt(Date.now() - 1000) * 1_000_000n;
    const writer = (await startCacheWrite(file))!;
    expect(writer.startedNs).toBeGreaterThan(before);
    expect((await readdir(path.dirname(file))).some((name) => name.endsWith('.tmp'))).toBe(true);
    await writer.commit('new state');
    expect(await readFile(file, 'utf8')).toBe('new state');
    expect(await readdir(path.dirname(file))).toEqual(['state.txt']);
    const discarded = (await startCacheWrite(file))!;
    await discarded.discard();
    expect(await readdir(path.dirname(file))).toEqual(['state.txt']);
    expect(await readFile(file, 'utf8')).toBe('new state');
  });

  it('never throws: no folder to write in, or no way to rename into place', async () => {
    await writeFile(path.join(dir, 'blocked'), 'a file where the folder goes');
    expect(await startCacheWrite(path.join(dir, 'blocked', 'state.txt'))).toBeUndefined();
    const target = path.join(dir, 'cache', 'state.txt');
    await mkdir(target, { recursive: true });
    const writer = (await startCacheWrite(target))!;
    await expect(writer.commit('state')).resolves.toBeUndefined();
    expect((await stat(target)).isDirectory()).toBe(true);
    expect(await readdir(path.dirname(target))).toEqual(['state.txt']);
  });
});
