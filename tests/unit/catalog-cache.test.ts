import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dump } from 'js-yaml';
import { parse, parseDocument, stringify } from 'yaml';
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

  it('leaves to the yaml library the lines js-yaml accepts and it refuses or reads otherwise', () => {
    for (const source of [
      // A flow collection or a quoted scalar continued on a line not indented past its key.
      'properties:\n  density: { value: 2.7\n, unit: g/cm³ }\n',
      'a:\n  b: "text\n  more"\n',
      "- name: 'text\n  more'\n",
      // Read differently: blank lines, an escaped line break, tabs.
      'a: "text\n\n  more"\n',
      'a: "text \\\n  more"\n',
      'a: text\n\t\n  more\n',
      'a:\tb\n',
      // A quoted scalar over lines where a key could be.
      '"a\n b": 1\n',
    ]) {
      expect(readYamlFast(source), JSON.stringify(source)).toBeUndefined();
    }
    // Indented past its key, a quoted value over lines is read as `yaml` reads it.
    for (const source of ['a:\n  b: "text\n   more"\n', "- name: 'it''s\n    more'\n", 'a: "x\r\n  y"\r\n']) {
      expect(readYamlFast(source), JSON.stringify(source)).toStrictEqual(parse(source));
    }
  });

  it('agrees with the yaml library on generated documents and on small edits of the catalogue (seeded)', async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const pieces = ['word', 'W/(m·K)', ': ', ' #', '"', "'", '\\', '\n', '\n\n', '  ', '- ', '[', '}', ',', '%', '@', '|', '>', '?', '&', '*', '!', 'é', '0', '1.5', 'true', '~', '---', '\t', 'x'.repeat(30), '\r'];
    const text = () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => pick(pieces)).join('');
    const agree = (source: string) => {
      const fast = readYamlFast(source);
      if (fast === undefined) return 0;
      const doc = parseDocument(source, { uniqueKeys: true });
      expect(doc.errors.length + doc.warnings.length, JSON.stringify(source)).toBe(0);
      expect(fast, JSON.stringify(source)).toStrictEqual(doc.toJS());
      return 1;
    };
    let answered = 0;
    for (let n = 0; n < 1500; n++) {
      const data = { materials: [{ name: text(), description: text(), list: [text(), text()], nested: { a: text(), b: random() * 100 } }] };
      answered += agree(
        random() < 0.6
          ? stringify(data, { lineWidth: pick([0, 20, 40, 80]), minContentWidth: pick([0, 10, 20]), defaultStringType: pick(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const) })
          : dump(data, { lineWidth: pick([-1, 20, 40, 80]), quotingType: pick(['"', "'"] as const), forceQuotes: random() < 0.3 }),
      );
    }
    const lines = (await readFile(path.join(REPO_ROOT, 'content', 'materials', 'metal.yaml'), 'utf8')).split('\n');
    const edits = ['', ' ', '\n', '\n  ', ',', '{', '}', '[', ']', ':', '- ', '#', '"', "'", '\t', '|'];
    for (let n = 0; n < 1500; n++) {
      const start = Math.floor(random() * (lines.length - 30));
      let source = lines.slice(start, start + 30).join('\n');
      const at = Math.floor(random() * source.length);
      source = `${source.slice(0, at)}${pick(edits)}${source.slice(at + Math.floor(random() * 2))}`;
      answered += agree(source);
    }
    expect(answered).toBeGreaterThan(500);
  });
});
