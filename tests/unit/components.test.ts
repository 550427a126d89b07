import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../integration/config.ts';
import { builtinComponents, resolveComponents } from '../../integration/components/index.ts';
import { defineComponent } from '../../integration/components/define.ts';
import { openProject, type Project } from '../../integration/project.ts';
import { contentHash, renderFile } from '../../integration/store/format.ts';
import { parseContent } from '../../integration/store/store.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';
import { z } from 'zod';

let project: Project;
beforeAll(async () => {
  project = await openProject(REPO_ROOT, parseOptions({}), undefined);
});

describe('the ten components', () => {
  it('are defined once each, in priority order, with the kinds of the design', () => {
    expect(builtinComponents.map((c) => `${c.name}:${c.kind}`)).toEqual([
      'frontmatter:llm',
      'metatags:llm',
      'propertiestable:llm',
      'bullets:llm',
      'caption:llm',
      'text:llm',
      'table:static',
      'tags:llm',
      'jsonld:derived',
      'author:static',
    ]);
    const order = resolveComponents(builtinComponents).map((c) => c.name);
    for (const component of builtinComponents) {
      for (const dep of component.dependsOn) expect(order.indexOf(dep)).toBeLessThan(order.indexOf(component.name));
    }
  });

  it('every committed file parses and satisfies its component schema, for every material', async () => {
    let checked = 0;
    for (const material of project.catalog.materials) {
      for (const component of project.components) {
        const text = await readFile(project.store.pathOf(component, material.slug), 'utf8');
        const result = component.schema.safeParse(parseContent(component.format, text));
        if (!result.success) throw new Error(`${material.slug}/${component.name}: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`);
        checked++;
      }
    }
    expect(checked).toBe(project.catalog.materials.length * 10);
  });

  it("each llm component's offline draft satisfies the draft schema the model is held to", async () => {
    for (const material of project.catalog.materials) {
      for (const component of project.components.filter((c) => c.llm)) {
        const deps: Record<string, unknown> = {};
        for (const dep of component.dependsOn) {
          const depComponent = project.components.find((c) => c.name === dep)!;
          deps[dep] = parseContent(depComponent.format, await readFile(project.store.pathOf(depComponent, material.slug), 'utf8'));
        }
        const source = { material, category: project.catalog.categories.find((c) => c.id === material.category)!, author: project.catalog.authors.get(material.author)!, site: project.site };
        const draft = component.llm!.offline({ inputs: component.inputs(source), deps });
        const result = component.llm!.schema.safeParse(draft);
        if (!result.success) throw new Error(`${material.slug}/${component.name}: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`);
      }
    }
  });

  it('writes files whose content hash matches the recorded output hash, and sees any edit', () => {
    for (const format of ['yaml', 'json', 'md'] as const) {
      const data = format === 'md' ? { body: 'Some text.', wordCount: 2 } : { b: 1, a: [1, 2], '@x': 'y' };
      const { text, outputHash } = renderFile(format, data, {
        component: 'c', material: 'm', inputsHash: 'i', provider: 'offline', model: 'x', mode: 'offline', generatedAt: '2026-01-01T00:00:00.000Z',
      });
      expect(contentHash(text)).toBe(outputHash);
      expect(parseContent(format, text)).toEqual(data);
      expect(contentHash(text.replace(/\d(?![\s\S]*\d)/, '7'))).not.toBe(outputHash);
      expect(contentHash(text.replace(/\n/g, '\r\n'))).toBe(outputHash);
    }
  });

  it('rejects a definition whose dependencies are unknown or circular', () => {
    const make = (name: string, dependsOn: string[]) =>
      defineComponent({ name, kind: 'static', version: 1, dependsOn, format: 'yaml', schema: z.object({}), inputs: () => ({}), build: () => ({}) });
    expect(() => resolveComponents([make('a', ['b'])])).toThrow(/depends on "b", which is not defined/);
    expect(() => resolveComponents([make('a', ['b']), make('b', ['a'])])).toThrow(/cycle: a -> b -> a/);
  });
});
