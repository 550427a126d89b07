import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { defaultGroups } from '../../integration/engine/groups.ts';
import { openProject } from '../../integration/project.ts';
import { offlineProvider } from '../../integration/providers/offline.ts';
import { readProvenanceLine } from '../../integration/store/format.ts';
import { parseContent } from '../../integration/store/store.ts';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';

let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ seed: 9 }));
});
afterAll(() => close?.());

async function run(grouping: boolean, category: string) {
  provider.reset({ memory: true });
  const options = parseOptions({ provider: 'openai', concurrency: 8, grouping });
  const project = await openProject(root, options, 'https://laser-cleaning.example.com');
  const resolved = providerForRun(options, { OPENAI_API_KEY: 'sk-test-group', OPENAI_BASE_URL: provider.url });
  const materials = new Set(project.catalog.materials.filter((m) => m.category === category).map((m) => m.slug));
  const plan = await planFor(project, { force: true, materials }, resolved.provider);
  const { report } = await runBatch(project, plan, resolved.provider, { concurrency: 8, grouping });
  return { report, project, materials, stats: { ...provider.stats } };
}

describe('component grouping', () => {
  it('groups the short components that share dependencies; the article stays alone', async () => {
    const project = await openProject(root, parseOptions({}), undefined);
    const groups = defaultGroups(project.components);
    expect(groups.get('frontmatter')).toBe('group:frontmatter+propertiestable');
    expect(groups.get('tags')).toBe('group:metatags+bullets+caption+tags');
    expect(groups.has('text')).toBe(false);
  });

  it('writes every component as if asked separately, with fewer calls and fewer prompt tokens', async () => {
    const separate = await run(false, 'ceramic');
    const grouped = await run(true, 'ceramic');
    for (const r of [separate, grouped]) {
      expect(r.report.failed).toEqual([]);
      expect(r.report.written + r.report.unchanged).toBe(r.materials.size * 10);
    }
    // Per material: 7 llm calls separately; 3 grouped (frontmatter+propertiestable, the four short ones, text).
    expect(separate.stats.succeeded).toBe(separate.materials.size * 7);
    expect(grouped.stats.succeeded).toBe(grouped.materials.size * 3);
    expect(grouped.stats.promptTokens).toBeLessThan(separate.stats.promptTokens);
    expect(grouped.report.tokens.prompt).toBe(grouped.stats.promptTokens);
    for (const slug of grouped.materials) {
      for (const component of grouped.project.components) {
        const text = await readFile(grouped.project.store.pathOf(component, slug), 'utf8');
        expect(component.schema.safeParse(parseContent(component.format, text)).success, `${slug}/${component.name}`).toBe(true);
        const provenance = readProvenanceLine(text) as { provider: string; mode: string };
        if (component.llm) expect(provenance).toMatchObject({ provider: 'openai', mode: 'live' });
      }
    }
  });

  it("the offline writer fills a group from each member's own writer", async () => {
    const options = parseOptions({ grouping: true });
    const project = await openProject(root, options, undefined);
    const plan = await planFor(project, { force: true, materials: new Set(['alumina']) });
    const { report } = await runBatch(project, plan, offlineProvider(), { concurrency: 2, grouping: true });
    expect(report.failed).toEqual([]);
    expect(report.written + report.unchanged).toBe(10);
  });
});
