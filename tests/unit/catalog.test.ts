import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CatalogError, defaultCatalogPaths, loadCatalog } from '../../integration/catalog/load.ts';
import { slugify } from '../../integration/catalog/slug.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';

// The reference list sits in shared/ beside the repository (CI lays it there too).
const reference = JSON.parse(await readFile(path.join(REPO_ROOT, '..', 'shared', 'reference', 'materials-109.json'), 'utf8')) as Record<string, Array<{ name: string; formula?: string }>>;

describe('the committed catalogue', () => {
  it('holds the 109 reference materials in their 8 categories, each with a unique slug', async () => {
    const catalog = await loadCatalog(defaultCatalogPaths(REPO_ROOT));
    expect(catalog.categories.map((c) => c.id).sort()).toEqual(Object.keys(reference).sort());
    for (const [category, names] of Object.entries(reference)) {
      const loaded = catalog.categories.find((c) => c.id === category)!;
      expect(loaded.materials.map((m) => m.name)).toEqual(names.map((n) => n.name));
      for (const ref of names) {
        if (ref.formula) expect(loaded.materials.find((m) => m.name === ref.name)!.formula).toBe(ref.formula);
      }
    }
    expect(catalog.materials).toHaveLength(109);
    expect(new Set(catalog.materials.map((m) => m.slug)).size).toBe(109);
    expect(catalog.authors.size).toBeGreaterThanOrEqual(4);
    for (const author of catalog.authors.values()) expect(author.sampleProfile).toBe(true);
  });

  it('slugs are kebab-case of the name', () => {
    expect(slugify('Glass Fiber Reinforced Polymers GFRP')).toBe('glass-fiber-reinforced-polymers-gfrp');
    expect(slugify('Kevlar-Reinforced Polymer')).toBe('kevlar-reinforced-polymer');
    expect(slugify('MDF')).toBe('mdf');
  });
});

/** A minimal valid catalogue in a temp folder, which each test then breaks in one way. */
async function fixture(mutate: (doc: { metal: any; authors: any }) => void, raw?: { file: string; text: string }) {
  const root = await mkdtemp(path.join(tmpdir(), 'catalog-'));
  dirs.push(root);
  await mkdir(path.join(root, 'content', 'materials'), { recursive: true });
  const metal = parse(await readFile(path.join(REPO_ROOT, 'content', 'materials', 'metal.yaml'), 'utf8'));
  metal.materials = metal.materials.slice(0, 2);
  const authors = parse(await readFile(path.join(REPO_ROOT, 'content', 'authors.yaml'), 'utf8'));
  const doc = { metal, authors };
  mutate(doc);
  await writeFile(path.join(root, 'content', 'materials', 'metal.yaml'), stringify(doc.metal));
  await writeFile(path.join(root, 'content', 'authors.yaml'), stringify(doc.authors));
  if (raw) await writeFile(path.join(root, raw.file), raw.text);
  return root;
}
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function errorOf(root: string): Promise<CatalogError> {
  try {
    await loadCatalog(defaultCatalogPaths(root));
  } catch (error) {
    if (error instanceof CatalogError) return error;
    throw error;
  }
  throw new Error('the catalogue loaded, but an error was expected');
}

describe('catalogue errors name the file, the material and the field', () => {
  it('rejects a density of 0', async () => {
    const error = await errorOf(await fixture((d) => (d.metal.materials[0].properties.density = { value: 0, unit: 'g/cm³' })));
    expect(error.file).toBe('content/materials/metal.yaml');
    expect(error.material).toBe('Aluminum');
    expect(error.field).toBe('properties.density.value');
    expect(error.message).toMatch(/content\/materials\/metal\.yaml, material "Aluminum", field "properties\.density\.value": must lie between/);
  });

  it('rejects a melting point below absolute zero', async () => {
    const error = await errorOf(await fixture((d) => (d.metal.materials[1].properties.meltingPoint = { value: -300, unit: '°C' })));
    expect(error.material).toBe(d1Name());
    expect(error.field).toBe('properties.meltingPoint.value');
  });

  it('rejects an unknown unit and lists the allowed ones', async () => {
    const error = await errorOf(await fixture((d) => (d.metal.materials[0].properties.thermalConductivity.unit = 'BTU')));
    expect(error.field).toBe('properties.thermalConductivity.unit');
    expect(error.problem).toContain('unknown unit "BTU"');
  });

  it('rejects a missing required field', async () => {
    const error = await errorOf(await fixture((d) => delete d.metal.materials[0].laser));
    expect(error.field).toBe('laser');
    expect(error.problem).toBe('is required');
  });

  it('rejects a wrong type', async () => {
    const error = await errorOf(await fixture((d) => (d.metal.materials[0].contaminants = 'rust')));
    expect(error.field).toBe('contaminants');
  });

  it('rejects an unknown author id, naming the ones that exist', async () => {
    const error = await errorOf(await fixture((d) => (d.metal.materials[0].author = 'nobody')));
    expect(error.field).toBe('author');
    expect(error.problem).toMatch(/unknown author id "nobody"/);
  });

  it('rejects duplicate names and names that collide as slugs or by Unicode normalisation', async () => {
    let error = await errorOf(await fixture((d) => (d.metal.materials[1].name = d.metal.materials[0].name)));
    expect(error.problem).toMatch(/duplicate material name/);
    error = await errorOf(await fixture((d) => (d.metal.materials[1].name = 'ALUMINUM')));
    expect(error.problem).toMatch(/slug "aluminum" is already used by "Aluminum"/);
    error = await errorOf(await fixture((d) => {
      d.metal.materials[0].name = 'Caf\u00e9 Metal';
      d.metal.materials[1].name = 'Cafe\u0301 Metal';
    }));
    expect(error.field).toBe('name');
  });

  it('rejects names that try to escape the output folder', async () => {
    for (const name of ['../../x', '/etc/passwd', 'a\u0000b']) {
      const error = await errorOf(await fixture((d) => (d.metal.materials[0].name = name)));
      expect(error.field).toBe('name');
    }
  });

  it('rejects invalid YAML with its line', async () => {
    const root = await fixture(() => {}, { file: 'content/materials/metal.yaml', text: 'category: metal\nmaterials:\n  - name: [unclosed\n' });
    const error = await errorOf(root);
    expect(error.file).toBe('content/materials/metal.yaml');
    expect(error.problem).toMatch(/invalid YAML at line \d+/);
  });

  it('rejects a category file that declares another category', async () => {
    const error = await errorOf(await fixture((d) => (d.metal.category = 'metals')));
    expect(error.field).toBe('category');
    expect(error.problem).toMatch(/unknown category "metals"/);
  });

  it('reads files with a byte-order mark and CRLF line endings', async () => {
    const root = await fixture(() => {});
    const file = path.join(root, 'content', 'materials', 'metal.yaml');
    await writeFile(file, `\uFEFF${(await readFile(file, 'utf8')).replace(/\n/g, '\r\n')}`);
    const catalog = await loadCatalog(defaultCatalogPaths(root));
    expect(catalog.materials.map((m) => m.slug)).toEqual(['aluminum', slugify(d1Name())]);
  });
});

function d1Name(): string {
  return reference.metal![1]!.name;
}
