import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseOptions } from '../../integration/config.ts';
import { sha256 } from '../../integration/plan/hash.ts';
import { planGeneration, type Plan } from '../../integration/plan/plan.ts';
import { openProject, type Project } from '../../integration/project.ts';
import { ComponentStore, describeFile } from '../../integration/store/store.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';

// The read cache may only ever save time: every test compares a plan made with it against one
// made by reading every file, after changing files in the ways people and tools change them.

let root: string;
let project: Project;
const cacheFile = () => path.join(root, '.batchgen', 'cache', 'generated-files.txt');
const file = (relative: string) => path.join(root, 'content', 'components', relative);

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'read-cache-'));
  for (const entry of ['content/materials', 'content/authors.yaml', 'content/components']) {
    await cp(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  project = await openProject(root, parseOptions({}), undefined);
});
afterEach(async () => rm(root, { recursive: true, force: true }));

function plan(store: ComponentStore, materials?: ReadonlySet<string>): Promise<Plan> {
  return planGeneration({ catalog: project.catalog, components: project.components, store, site: project.site, ...(materials ? { materials } : {}) });
}

const cached = (materials?: ReadonlySet<string>) => plan(project.store, materials);
const uncached = () => plan(new ComponentStore(project.store.dir));

/** Everything a plan says, including each file's text (read on demand). */
function snapshot(p: Plan) {
  return p.items.map((i) => ({
    key: i.key,
    status: i.status,
    reason: i.reason,
    generate: i.generate,
    inputsHash: i.inputsHash,
    changedInputs: i.changedInputs,
    file: i.file && { path: i.file.path, contentHash: i.file.contentHash, provenance: i.file.provenance, text: i.file.text },
  }));
}

async function expectSamePlan(): Promise<Plan> {
  const withCache = await cached();
  expect(snapshot(withCache)).toStrictEqual(snapshot(await uncached()));
  return withCache;
}

interface CacheText {
  header: Record<string, unknown>;
  lines: string[];
}

async function readCache(): Promise<CacheText> {
  const text = await readFile(cacheFile(), 'utf8');
  const newline = text.indexOf('\n');
  return { header: JSON.parse(text.slice(0, newline)), lines: text.slice(newline + 1).split('\n') };
}

/** Rewrites the cache; its checksum follows the change unless told otherwise. */
async function writeCache({ header, lines }: CacheText, options: { fixChecksum: boolean }): Promise<void> {
  const body = lines.join('\n');
  if (options.fixChecksum) header.body = sha256(body);
  await writeFile(cacheFile(), `${JSON.stringify(header)}\n${body}`);
}

const entryOf = (cache: CacheText, relative: string) => cache.lines.findIndex((line) => line.startsWith(`${relative}\t`));

/**
 * A forged entry for a file as it is on disk now (its stat key) but with the hash and
 * provenance of `text`, in a cache whose scan began just after the file's last change: what a
 * cache that missed an edit would hold.
 */
async function forgeEntry(relative: string, text: string, change: (cache: CacheText) => void = () => {}, fixChecksum = true): Promise<bigint> {
  const stats = await stat(file(relative), { bigint: true });
  const { contentHash, provenance } = describeFile(text);
  const cache = await readCache();
  const line = [relative, stats.size, stats.mtimeNs, stats.ctimeNs, stats.ino, stats.dev, contentHash, JSON.stringify(provenance)].join('\t');
  const at = entryOf(cache, relative);
  if (at === -1) cache.lines.push(line);
  else cache.lines[at] = line;
  cache.header.scannedNs = String(stats.ctimeNs + 1n);
  change(cache);
  await writeCache(cache, { fixChecksum });
  return stats.ctimeNs;
}

/** Sets a file's times to a whole second, which they can be put back to exactly. */
async function pinTimes(relative: string): Promise<void> {
  await utimes(file(relative), 1_700_000_000, 1_700_000_000);
}

/** Changes one letter of a generated file's content in place, keeping its size, and puts its (pinned) times back. */
async function editKeepingSizeAndTimes(relative: string): Promise<void> {
  const before = await stat(file(relative), { bigint: true });
  const text = await readFile(file(relative), 'utf8');
  const at = text.indexOf('\n') + 1 + text.slice(text.indexOf('\n') + 1).search(/[a-z]/);
  const edited = `${text.slice(0, at)}${text[at]!.toUpperCase()}${text.slice(at + 1)}`;
  expect(edited.length).toBe(text.length);
  expect(edited).not.toBe(text);
  await writeFile(file(relative), edited);
  await utimes(file(relative), 1_700_000_000, 1_700_000_000);
  const after = await stat(file(relative), { bigint: true });
  expect([after.size, after.mtimeNs, after.ino]).toEqual([before.size, before.mtimeNs, before.ino]);
}

const ALUMINUM_TEXT = 'text/aluminum.md';

describe('the read cache of generated files', () => {
  it('plans exactly as reading every file does, on the first run and from the cache after it', async () => {
    await expectSamePlan();
    const cache = await readCache();
    expect(cache.lines).toHaveLength(1090);
    const warm = await expectSamePlan();
    expect(warm.items.every((i) => i.status === 'fresh')).toBe(true);
    // A plan with nothing changed leaves the cache as it was.
    expect(await readCache()).toStrictEqual(cache);
  });

  it('is what the second plan reads (an entry changed in the cache shows in the plan)', async () => {
    await cached();
    const cache = await readCache();
    const at = entryOf(cache, ALUMINUM_TEXT);
    cache.lines[at] = cache.lines[at]!.replace(/"generatedAt":"[^"]+"/, '"generatedAt":"from the cache"');
    await writeCache(cache, { fixChecksum: true });
    expect((await cached()).byKey.get('aluminum/text')!.reason).toBe('generated from the cache by offline');
  });

  it('sees a file edited in place with the same size and modification time', async () => {
    await pinTimes(ALUMINUM_TEXT);
    // Pinning the times changed the file just now: the first scan may leave it out, the next records it.
    await cached();
    await cached();
    expect(entryOf(await readCache(), ALUMINUM_TEXT)).not.toBe(-1);
    await editKeepingSizeAndTimes(ALUMINUM_TEXT);
    const after = await expectSamePlan();
    expect(after.byKey.get('aluminum/text')!.status).toBe('edited');
  });

  it('reads a touched file again and keeps it fresh', async () => {
    await cached();
    const entryBefore = (await readCache()).lines.find((line) => line.startsWith(`${ALUMINUM_TEXT}\t`));
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(file(ALUMINUM_TEXT), minuteAgo, minuteAgo);
    expect((await expectSamePlan()).byKey.get('aluminum/text')!.status).toBe('fresh');
    // The old entry is gone; a file changed this recently is recorded by a later scan.
    expect((await readCache()).lines).not.toContain(entryBefore);
    await cached();
    const cache = await readCache();
    const mtimeNs = (await stat(file(ALUMINUM_TEXT), { bigint: true })).mtimeNs;
    expect(cache.lines[entryOf(cache, ALUMINUM_TEXT)]!.split('\t')[2]).toBe(String(mtimeNs));
  });

  it('sees a file replaced by another one (renamed over it), and a removed one', async () => {
    await cached();
    const text = await readFile(file(ALUMINUM_TEXT), 'utf8');
    await writeFile(`${file(ALUMINUM_TEXT)}.new`, text.replace('laser', 'LASER'));
    await rename(`${file(ALUMINUM_TEXT)}.new`, file(ALUMINUM_TEXT));
    await rm(file('tags/aluminum.yaml'));
    const after = await expectSamePlan();
    expect(after.byKey.get('aluminum/text')!.status).toBe('edited');
    expect(after.byKey.get('aluminum/tags')!.status).toBe('missing');
  });

  it('does not trust an entry for a file changed in the same clock tick as the scan that recorded it', async () => {
    await pinTimes(ALUMINUM_TEXT);
    await cached();
    const before = await readFile(file(ALUMINUM_TEXT), 'utf8');
    await editKeepingSizeAndTimes(ALUMINUM_TEXT);
    // What a scan at the very moment of the edit could have recorded: today's stat key, the
    // content from before the edit. Racily clean: it must be read again.
    const changedNs = (await stat(file(ALUMINUM_TEXT), { bigint: true })).ctimeNs;
    await forgeEntry(ALUMINUM_TEXT, before, (cache) => (cache.header.scannedNs = String(changedNs)));
    expect((await expectSamePlan()).byKey.get('aluminum/text')!.status).toBe('edited');
    // Control: the same entry from a scan that began a tick later is trusted, edit or not. That
    // is the case the rule leaves alone, because a scan begun later would have read the edit.
    await forgeEntry(ALUMINUM_TEXT, before);
    expect((await cached()).byKey.get('aluminum/text')!.status).toBe('fresh');
  });

  it('records no entry for a file changed after the scan began', async () => {
    const later = new Date(Date.now() + 3_600_000);
    await utimes(file(ALUMINUM_TEXT), later, later);
    await expectSamePlan();
    const cache = await readCache();
    expect(entryOf(cache, ALUMINUM_TEXT)).toBe(-1);
    expect(cache.lines).toHaveLength(1089);
  });

  it('ignores a damaged cache, a cache made by other code or for another folder, and a missing one', async () => {
    await pinTimes(ALUMINUM_TEXT);
    await cached();
    const before = await readFile(file(ALUMINUM_TEXT), 'utf8');
    await editKeepingSizeAndTimes(ALUMINUM_TEXT);
    const edited = async () => expect((await expectSamePlan()).byKey.get('aluminum/text')!.status).toBe('edited');
    // A cache that missed the edit, damaged or not the plan's own: refused whole.
    await forgeEntry(ALUMINUM_TEXT, before, () => {}, false);
    await edited();
    await forgeEntry(ALUMINUM_TEXT, before, (cache) => (cache.header.code = sha256('other code')));
    await edited();
    await forgeEntry(ALUMINUM_TEXT, before, (cache) => (cache.header.dir = path.join(root, 'elsewhere')));
    await edited();
    await forgeEntry(ALUMINUM_TEXT, before, (cache) => (cache.header.format = 'batchgen generated-files cache 0'));
    await edited();
    // Control: well formed and the plan's own, the forged entry is believed, so the checks
    // above are what refused it.
    await forgeEntry(ALUMINUM_TEXT, before);
    const lie = await readFile(cacheFile(), 'utf8');
    expect((await cached()).byKey.get('aluminum/text')!.status).toBe('fresh');
    // The same forged cache cut short, emptied, garbled, or with one character changed in
    // another entry: the checksum refuses it whole, the forged entry with it.
    const at = lie.indexOf(`${ALUMINUM_TEXT}\t`);
    expect(lie.endsWith('}')).toBe(true);
    expect(lie.lastIndexOf('\n')).toBeGreaterThan(at);
    for (const broken of [lie.slice(0, at + 200), '', 'garbage', `{}\n${lie}`, lie.replace(/\t/g, ' '), `${lie.slice(0, -1)}]`]) {
      await writeFile(cacheFile(), broken);
      await edited();
    }
    await rm(cacheFile());
    await mkdir(cacheFile());
    await edited();
    await rm(cacheFile(), { recursive: true });
    await edited();
    expect((await readCache()).lines).toHaveLength(1090);
  });

  it('never fails a plan when the cache cannot be written, and leaves no temporary file', async () => {
    await rm(path.join(root, '.batchgen'), { recursive: true, force: true });
    await mkdir(path.join(root, '.batchgen'));
    await writeFile(path.join(root, '.batchgen', 'cache'), 'a file where the cache folder goes');
    await expectSamePlan();
    await rm(path.join(root, '.batchgen', 'cache'));
    await mkdir(cacheFile(), { recursive: true });
    await expectSamePlan();
    expect(await readdir(path.dirname(cacheFile()))).toEqual(['generated-files.txt']);
    expect(await readdir(cacheFile())).toEqual([]);
    await rm(cacheFile(), { recursive: true });
    await expectSamePlan();
    expect(await readdir(path.dirname(cacheFile()))).toEqual(['generated-files.txt']);
  });

  it('clears temporary files that killed runs left an hour ago, not younger ones', async () => {
    await cached();
    const dir = path.dirname(cacheFile());
    const old = path.join(dir, 'generated-files.txt.1.abandoned.tmp');
    const young = path.join(dir, 'generated-files.txt.2.writing.tmp');
    await writeFile(old, 'half');
    await writeFile(young, 'half');
    const hoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(old, hoursAgo, hoursAgo);
    await rm(file('tags/aluminum.yaml'));
    await cached();
    expect((await readdir(dir)).sort()).toEqual(['catalogue.json', 'generated-files.txt', 'generated-files.txt.2.writing.tmp']);
  });

  it('keeps the entries of other materials when planning some, and forgets files no full plan reads', async () => {
    await cached();
    const metals = new Set(project.catalog.materials.filter((m) => m.category === 'metal').map((m) => m.slug));
    await rm(file('tags/aluminum.yaml'));
    const some = await cached(metals);
    expect(some.items.length).toBeGreaterThan(200);
    expect(some.byKey.get('aluminum/tags')!.status).toBe('missing');
    expect((await readCache()).lines).toHaveLength(1089);
    // One material's ten files are read directly, the cache left as it is.
    const before = await readFile(cacheFile(), 'utf8');
    await rm(file('tags/zinc.yaml'));
    expect((await cached(new Set(['zinc']))).byKey.get('zinc/tags')!.status).toBe('missing');
    expect(await readFile(cacheFile(), 'utf8')).toBe(before);
    const cache = await readCache();
    cache.lines.push(cache.lines[0]!.replace(/^[^\t]+/, 'frontmatter/no-such-material.yaml'));
    await writeCache(cache, { fixChecksum: true });
    await expectSamePlan();
    expect((await readCache()).lines).toHaveLength(1088);
  });

  it('reads a file\'s text when asked for, and refuses one changed since planning', async () => {
    await pinTimes('tags/aluminum.yaml');
    await cached();
    const p = await cached();
    const item = p.byKey.get('aluminum/text')!;
    const other = p.byKey.get('aluminum/tags')!;
    expect(item.file!.text).toBe(await readFile(file(ALUMINUM_TEXT), 'utf8'));
    await editKeepingSizeAndTimes('tags/aluminum.yaml');
    expect(() => other.file!.text).toThrow(/changed while this run was using it; run again/);
    await rm(file('caption/aluminum.yaml'));
    expect(() => p.byKey.get('aluminum/caption')!.file!.text).toThrow(/removed while this run was using it/);
  });
});
