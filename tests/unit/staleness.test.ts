import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { planFor } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import { copyProject } from '../helpers/project-copy.ts';
import { runCli } from '../helpers/cli.ts';

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ root, cleanup } = await copyProject());
});
afterAll(async () => cleanup?.());

const open = () => openProject(root, parseOptions({}), 'https://laser-cleaning.example.com');

async function editCatalog(edit: (materials: any[]) => void): Promise<void> {
  const file = path.join(root, 'content', 'materials', 'metal.yaml');
  const doc = parse(await readFile(file, 'utf8'));
  edit(doc.materials);
  await writeFile(file, stringify(doc));
}

describe('planning by inputs hash', () => {
  it('finds every committed component fresh', async () => {
    const plan = await planFor(await open(), {});
    expect(plan.todo).toEqual([]);
    expect(plan.items.every((i) => i.status === 'fresh')).toBe(true);
  });

  it('makes only the components that read a changed property stale, and only for that material', async () => {
    await editCatalog((materials) => {
      materials[0].properties.thermalConductivity.value += 1;
    });
    const plan = await planFor(await open(), {});
    const stale = plan.todo.map((i) => i.key).sort();
    // frontmatter merges the properties; propertiestable and table show them; everything
    // downstream of frontmatter follows. author reads only the author profile.
    expect(stale).toEqual(
      ['bullets', 'caption', 'frontmatter', 'jsonld', 'metatags', 'propertiestable', 'table', 'tags', 'text'].map((c) => `aluminum/${c}`).sort(),
    );
    expect(plan.byKey.get('aluminum/author')!.status).toBe('fresh');
  });

  it('regenerates them, keeps every other file byte for byte, then plans nothing', async () => {
    const project = await open();
    const before = new Map<string, string>();
    for (const material of project.catalog.materials) {
      for (const component of project.components) {
        before.set(`${material.slug}/${component.name}`, await readFile(project.store.pathOf(component, material.slug), 'utf8'));
      }
    }
    const run = await runCli(root, ['--all', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.failed).toBe(0);
    expect(report.files.every((f: string) => f.endsWith('/aluminum.yaml') || f.endsWith('/aluminum.md') || f.endsWith('/aluminum.json'))).toBe(true);
    const changed: string[] = [];
    for (const material of project.catalog.materials) {
      for (const component of project.components) {
        const now = await readFile(project.store.pathOf(component, material.slug), 'utf8');
        if (now !== before.get(`${material.slug}/${component.name}`)) changed.push(`${material.slug}/${component.name}`);
      }
    }
    expect(changed.every((key) => key.startsWith('aluminum/'))).toBe(true);
    expect(changed).toContain('aluminum/propertiestable');
    expect(changed).toContain('aluminum/table');
    expect((await planFor(await open(), {})).todo).toEqual([]);
  });

  it('reports a hand-edited file as edited and never plans to overwrite it without force', async () => {
    const project = await open();
    const file = project.store.pathOf(project.components.find((c) => c.name === 'tags')!, 'aluminum');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^  - (.*)$/m, '  - hand written tag'));
    const plan = await planFor(project, {});
    expect(plan.byKey.get('aluminum/tags')!.status).toBe('edited');
    expect(plan.byKey.get('aluminum/tags')!.generate).toBe(false);
    expect((await planFor(project, { force: true })).byKey.get('aluminum/tags')!.generate).toBe(true);
  });

  it('reports a deleted file as missing', async () => {
    const project = await open();
    const bullets = project.components.find((c) => c.name === 'bullets')!;
    await project.store.remove(bullets, 'aluminum');
    const plan = await planFor(project, {});
    expect(plan.byKey.get('aluminum/bullets')!.status).toBe('missing');
    expect(plan.todo.map((i) => i.key)).toEqual(['aluminum/bullets']);
  });
});
