import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog, defaultCatalogPaths, type Catalog } from '../../integration/catalog/load.ts';
import { lineDiff, ChangeHistory } from '../../integration/dev/history.ts';
import { changedMaterials } from '../../integration/dev/loop.ts';
import { catalogueErrorPayload } from '../../integration/dev/overlay.ts';
import { watchCatalogue } from '../../integration/dev/watch.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';

const catalogue = () => loadCatalog(defaultCatalogPaths(REPO_ROOT));

/** The catalogue with one material's record changed. */
function withEdit(catalog: Catalog, slug: string, edit: (material: Record<string, any>) => void): Catalog {
  const materials = catalog.materials.map((m) => {
    if (m.slug !== slug) return m;
    const copy = structuredClone(m) as Record<string, any>;
    edit(copy);
    return copy as typeof m;
  });
  return { ...catalog, materials };
}

describe('which materials a catalogue edit affects', () => {
  it('is only the edited material', async () => {
    const before = await catalogue();
    const first = before.materials[0]!;
    const after = withEdit(before, first.slug, (m) => (m.description = `${m.description} Edited.`));
    expect([...changedMaterials(before, after)]).toEqual([first.slug]);
    expect(changedMaterials(before, before).size).toBe(0);
  });

  it("is every material of an author whose record changed, and all of them when there was no good catalogue before", async () => {
    const before = await catalogue();
    const author = before.materials[0]!.author;
    const authors = new Map(before.authors);
    authors.set(author, { ...authors.get(author)!, name: 'Someone Else' });
    const after = { ...before, authors };
    const expected = before.materials.filter((m) => m.author === author).map((m) => m.slug);
    expect([...changedMaterials(before, after)].sort()).toEqual(expected.sort());
    expect(changedMaterials(undefined, before).size).toBe(before.materials.length);
  });
});

describe('the diff of a regeneration', () => {
  it('lists removed and added lines with a little context', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n') + '\n';
    const after = ['a', 'b', 'C', 'd', 'e', 'f', 'g'].join('\n') + '\n';
    expect(lineDiff(before, after, 1)).toEqual([
      { kind: 'hunk', text: '@@ -2,3 +2,3 @@' },
      { kind: 'context', text: 'b' },
      { kind: 'removed', text: 'c' },
      { kind: 'added', text: 'C' },
      { kind: 'context', text: 'd' },
      { kind: 'hunk', text: '@@ -6,1 +6,2 @@' },
      { kind: 'context', text: 'f' },
      { kind: 'added', text: 'g' },
    ]);
  });

  it('keeps only real changes, and marks a file that did not exist before', () => {
    const history = new ChangeHistory();
    history.record('x/tags', 'same\n', 'same\n', 'edit');
    expect(history.has('x/tags')).toBe(false);
    history.record('x/tags', undefined, 'new\n', 'edit');
    expect(history.lastChange('x/tags', 'tags')).toMatchObject({ created: true, cause: 'edit', lines: [{ kind: 'hunk' }, { kind: 'added', text: 'new' }] });
  });
});

describe('the browser overlay for a catalogue mistake', () => {
  it('names the file, material and field, points at the file, and shows catalogue text as text', () => {
    const error = new CatalogError({ file: 'content/materials/metal.yaml', material: 'Alu<script>', field: 'properties.density.value' }, 'expected number');
    const { err } = catalogueErrorPayload(error, '/site');
    expect(err.message).toBe('content/materials/metal.yaml, material "Alu&lt;script&gt;", field "properties.density.value": expected number');
    expect(err.loc).toEqual({ file: path.join('/site', 'content/materials/metal.yaml'), line: 1, column: 1 });
    expect(String(err.hint)).toContain('without a restart');
  });

  it('points at the line of a YAML syntax error', () => {
    const error = new CatalogError({ file: 'content/materials/metal.yaml' }, 'invalid YAML at line 12, column 3: bad indentation');
    expect(catalogueErrorPayload(error, '/site').err.loc).toEqual({ file: path.join('/site', 'content/materials/metal.yaml'), line: 12, column: 3 });
  });
});

describe('watching the catalogue', () => {
  function fakeWatcher() {
    const emitter = new EventEmitter() as EventEmitter & { added: string[]; add: (paths: string[]) => void };
    emitter.added = [];
    emitter.add = (paths) => void emitter.added.push(...paths);
    return emitter;
  }

  it('reacts to category and author files, once per burst, and to nothing else', async () => {
    const watcher = fakeWatcher();
    const files = { materialsDir: '/site/content/materials', authorsFile: '/site/content/authors.yaml' };
    const edits: string[][] = [];
    let settled!: () => void;
    const next = () => new Promise<void>((resolve) => (settled = resolve));
    const stop = watchCatalogue(watcher as never, files, (batch) => {
      edits.push(batch);
      settled();
    });
    expect(watcher.added).toEqual([files.materialsDir, files.authorsFile]);

    let edited = next();
    // Generated files, reports, the content store and nested folders are not the catalogue.
    watcher.emit('change', '/site/content/components/frontmatter/aluminum.yaml');
    watcher.emit('add', '/site/.batchgen/last-run.html');
    watcher.emit('change', '/site/.astro/data-store.json');
    watcher.emit('change', '/site/content/materials/drafts/metal.yaml');
    // An editor's save: several events for one file, plus the authors file.
    watcher.emit('unlink', '/site/content/materials/metal.yaml');
    watcher.emit('add', '/site/content/materials/metal.yaml');
    watcher.emit('change', '/site/content/authors.yaml');
    await edited;
    expect(edits).toEqual([['/site/content/authors.yaml', '/site/content/materials/metal.yaml']]);

    edited = next();
    watcher.emit('change', '/site/content/materials/wood.yaml');
    await edited;
    expect(edits[1]).toEqual(['/site/content/materials/wood.yaml']);

    stop();
    expect(watcher.listenerCount('change')).toBe(0);
  });
});
