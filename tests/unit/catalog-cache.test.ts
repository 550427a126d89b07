import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { CatalogError, defaultCatalogPaths, loadCatalog, type Catalog } from '../../integration/catalog/load.ts';
import { readYamlFast } from '../../integration/catalog/yaml.ts';
import { sha256 } from '../../integration/plan/hash.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';

let root: string;
let cacheDir: string;
const cacheFile = () => path.join(cacheDir, 'catalogue.json');

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'catalog-cache-'));
  await cp(path.join(REPO_ROOT, 'content', 'materials'), path.join(root, 'content', 'materials'), { recursive: true });
  await cp(path.join(REPO_ROOT, 'content', 'authors.yaml'), path.join(root, 'content', 'authors.yaml'));
  cacheDir = path.join(root, '.batchgen', 'cache');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const loadCached = () => loadCatalog(defaultCatalogPaths(root), { cacheDir });
const loadUncached = () => loadCatalog(defaultCatalogPaths(root));

/** Rewrites the cache's header and body, keeping its checksum right unless told otherwise. */
async function rewriteCache(edit: (header: Record<string, unknown>, body: string) => string, options: { fixChecksum: boolean }) {
  const text = await readFile(cacheFile(), 'utf8');
  const newline = text.indexOf('\n');
  const header = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
  const body = edit(header, text.slice(newline + 1));
  if (options.fixChecksum) header.body = sha256(body);
  await writeFile(cacheFile(), `${JSON.stringify(header)}\n${body}`);
}

async function errorOf(load: Promise<Catalog>): Promise<CatalogError> {
  const error = await load.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CatalogError);
  return error as CatalogError;
}

describe('the catalogue cache', () => {
  it('gives exactly the catalogue a full read gives, and is used on the next load', async () => {
    const full = await loadUncached();
    const first = await loadCached();
    expect(await readdir(cacheDir)).toEqual(['catalogue.json']);
    const second = await loadCached();
    expect(first).toStrictEqual(full);
    expect(second).toStrictEqual(full);
    // Each material is one object, shared by its category and the flat list.
    expect(second.categories.flatMap((c) => c.materials).every((m, i) => m === second.materials[i])).toBe(true);
    // The second load came from the cache: a record changed there (checksum kept right) shows.
    await rewriteCache((_, body) => body.replace('"name":"Aluminum"', '"name":"Aluminium"'), { fixChecksum: true });
    expect((await loadCached()).materials.some((m) => m.name === 'Aluminium')).toBe(true);
  });

  it('reads a catalogue file again when its bytes change, even with the same size', async () => {
    await loadCached();
    const file = path.join(root, 'content', 'materials', 'metal.yaml');
    const text = await readFile(file, 'utf8');
    const changed = text.replace('name: Aluminum', 'name: Aluminun');
    expect(changed.length).toBe(text.length);
    await writeFile(file, changed);
    const catalog = await loadCached();
    expect(catalog.materials.some((m) => m.name === 'Aluminun')).toBe(true);
    expect(catalog).toStrictEqual(await loadUncached());
  });

  it('never caches a mistake: the same error with or without a cache, every time', async () => {
    await loadCached();
    const file = path.join(root, 'content', 'materials', 'metal.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('thermalConductivity: { value: 237,', 'thermalConductivity: { value: -5,'));
    const uncached = await errorOf(loadUncached());
    const cached = await errorOf(loadCached());
    expect(uncached.field).toBe('properties.thermalConductivity.value');
    expect(cached.message).toBe(uncached.message);
    expect((await errorOf(loadCached())).message).toBe(uncached.message);
    await writeFile(file, good);
    expect(await loadCached()).toStrictEqual(await loadUncached());
  });

  it('still refuses a category file named .yml when the .yaml files are as cached', async () => {
    await loadCached();
    await writeFile(path.join(root, 'content', 'materials', 'extra.yml'), 'category: extra\n');
    expect((await errorOf(loadCached())).problem).toMatch(/category files end in \.yaml/);
  });

  it('ignores a damaged cache, a cache of other files or other code, and a missing one', async () => {
    const full = await loadUncached();
    await loadCached();
    // Damaged: a record changed without the checksum following.
    await rewriteCache((_, body) => body.replace('"name":"Aluminum"', '"name":"Aluminium"'), { fixChecksum: false });
    expect(await loadCached()).toStrictEqual(full);
    // Written for other files or by other code: its key differs.
    await rewriteCache((header, body) => {
      header.key = sha256('another catalogue');
      return body.replace('"name":"Aluminum"', '"name":"Aluminium"');
    }, { fixChecksum: true });
    expect(await loadCached()).toStrictEqual(full);
    // Truncated, empty, not JSON, a folder in its place, gone.
    const text = await readFile(cacheFile(), 'utf8');
    for (const broken of [text.slice(0, text.length / 2), '', 'not a cache\n{}', '{}\n{}']) {
      await writeFile(cacheFile(), broken);
      expect(await loadCached()).toStrictEqual(full);
    }
    await rm(cacheFile());
    await mkdir(cacheFile());
    expect(await loadCached()).toStrictEqual(full);
    await rm(cacheDir, { recursive: true });
    expect(await loadCached()).toStrictEqual(full);
    expect(await readdir(cacheDir)).toEqual(['catalogue.json']);
  });

  it('a cache that cannot be written costs only time', async () => {
    await mkdir(path.dirname(cacheDir), { recursive: true });
    await writeFile(cacheDir, 'a file where the cache folder goes');
    expect(await loadCached()).toStrictEqual(await loadUncached());
  });
});

describe('the fast YAML reader', () => {
  it('reads every committed catalogue file as the yaml library does', async () => {
    const files = [
      path.join(REPO_ROOT, 'content', 'authors.yaml'),
      ...(await readdir(path.join(REPO_ROOT, 'content', 'materials'))).map((name) => path.join(REPO_ROOT, 'content', 'materials', name)),
    ];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const fast = readYamlFast(text);
      expect(fast, file).not.toBeUndefined();
      expect(fast, file).toStrictEqual(parse(text));
    }
  });

  it('resolves plain scalars as the YAML 1.2 core schema of the yaml library, or leaves them to it', () => {
    const scalars = [
      '1_000', '0o17', '017', '0x1F', '0X1F', '+12', '-0', '.5', '5.', '1e3', '1E-3', '.inf', '-.Inf', '.NaN', '~', 'null', 'Null', 'nULL',
      'true', 'True', 'tRUE', 'yes', 'no', 'on', 'off', 'y', '2001-12-14', '12:30:00', '190:20:30', '0b101', '1,000', '', "'quoted'",
      '"dq\\tx"', '1.50', 'Infinity', 'NaN', '123456789012345678901234567890', '0o8', '-0x1', '|\n  block\n  text\n', '>-\n  folded\n\n  more\n',
      'plain\n  continued', 'a # comment', 'a#b', '[1, 2]', '{a: 1}',
    ];
    let answered = 0;
    for (const scalar of scalars) {
      for (const source of [`key: ${scalar}\n`, `- ${scalar}\n`, `k: [${scalar}]\n`, `${scalar}: v\n`]) {
        const doc = parseDocument(source, { uniqueKeys: true });
        const fast = readYamlFast(source);
        if (fast === undefined) continue;
        answered++;
        expect(doc.errors.length + doc.warnings.length, source).toBe(0);
        expect(fast, source).toStrictEqual(doc.toJS());
      }
    }
    expect(answered).toBeGreaterThan(150);
  });

  it('leaves anchors, aliases, tags, directives and unusual keys to the yaml library', () => {
    for (const source of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: ! 1\n',
      '%YAML 1.1\n---\na: yes\n',
      '? a\n: 1\n',
      '~: 1\n',
      'null: 1\n',
      ': 1\n',
      '[a]: 1\n',
      '{a: 1}: 2\n',
      'a: [b, c\n',
    ]) {
      expect(readYamlFast(source), source).toBeUndefined();
    }
    expect(readYamlFast('')).toBeNull();
  });
});
