// The order in which the engine starts work: the longest chain of calls first, or, under a
// budget cap, material by material.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFor } from '../../integration/batch.ts';
import { builtinComponents } from '../../integration/components/index.ts';
import { parseOptions } from '../../integration/config.ts';
import { callsToEnd, runGeneration } from '../../integration/engine/run.ts';
import { offlineProvider } from '../../integration/providers/offline.ts';
import type { Provider } from '../../integration/providers/types.ts';
import { openProject, type Project } from '../../integration/project.ts';
import { copyProject } from '../helpers/project-copy.ts';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ root, cleanup } = await copyProject()));
afterAll(async () => cleanup());

/** The offline writer, recording the order in which drafts were asked for. */
function recording(): { provider: Provider; asked: string[] } {
  const offline = offlineProvider();
  const asked: string[] = [];
  return {
    asked,
    provider: { ...offline, mode: 'live', write: (request) => (asked.push(`${request.material}/${request.component.name}`), offline.write(request)) },
  };
}

async function run(project: Project, capped: boolean, concurrency = 1): Promise<string[]> {
  const plan = await planFor(project, { force: true, materials: new Set(['aluminum', 'copper', 'granite']) });
  const { provider, asked } = recording();
  const result = await runGeneration({
    catalog: project.catalog,
    plan,
    store: project.store,
    site: project.site,
    provider,
    concurrency,
    force: true,
    ...(capped ? { shouldStop: () => undefined } : {}),
  });
  const failed = result.results.filter((r) => r.outcome !== 'written' && r.outcome !== 'unchanged');
  expect(failed).toEqual([]);
  return asked;
}

describe('scheduling order', () => {
  it('ranks components by the calls on the longest chain to the end of a material', () => {
    const rank = Object.fromEntries(callsToEnd(builtinComponents));
    expect(rank).toEqual({ frontmatter: 2, propertiestable: 1, metatags: 1, bullets: 1, caption: 1, text: 1, tags: 1, author: 0, table: 0, jsonld: 0 });
  });

  it('without a cap, asks for every material\'s frontmatter before anything that ends a chain, then the longest answers first', async () => {
    const project = await openProject(root, parseOptions({}), undefined);
    const asked = await run(project, false);
    expect(asked).toHaveLength(21);
    expect(asked.slice(0, 3).map((a) => a.split('/')[1])).toEqual(['frontmatter', 'frontmatter', 'frontmatter']);
    // Then one component after another across materials (a shared prompt prefix stays warm),
    // the longest answers first (by max tokens), so a run's last calls are its shortest.
    const components = asked.slice(3).map((a) => a.split('/')[1]);
    expect(components.filter((c, i) => i === 0 || c !== components[i - 1])).toEqual(['text', 'propertiestable', 'bullets', 'caption', 'metatags', 'tags']);
  });

  it('starts in that order even when every ready item finds a free slot at once', async () => {
    // The queue orders only what waits; what finds a slot starts as it is added, so the engine adds in priority order.
    const project = await openProject(root, parseOptions({}), undefined);
    const asked = await run(project, false, 8);
    expect(asked.slice(0, 3).map((a) => a.split('/')[1])).toEqual(['frontmatter', 'frontmatter', 'frontmatter']);
  });

  it('under a budget cap, finishes one material before starting the next', async () => {
    const project = await openProject(root, parseOptions({}), undefined);
    const asked = await run(project, true);
    const materials = asked.map((a) => a.split('/')[0]);
    expect(materials).toEqual([...Array(7).fill('Aluminum'), ...Array(7).fill('Copper'), ...Array(7).fill('Granite')]);
  });
});
