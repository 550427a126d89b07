import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { planFor } from '../integration/batch.ts';
import { runGeneration } from '../integration/engine/run.ts';
import { parseOptions } from '../integration/config.ts';
import { openProject } from '../integration/project.ts';
import { offlineProvider } from '../integration/providers/offline.ts';
import { REPO_ROOT } from '../tests/helpers/project-copy.ts';

export interface PlanningRun {
  materials: number;
  components: number;
  fresh: number;
  /** Opening the project: reading and checking the catalogue. */
  loadCatalogMs: number;
  planMs: number;
  /** Opening plus planning: what a `batchgen --status` waits for, module loading aside. */
  totalMs: number;
  peakRssMb: number;
}

/** The second plan of a project (what a user's second `batchgen --status` sees), and the first. */
export interface PlanningResult extends PlanningRun {
  /** The first plan, with no planning cache under `.batchgen/cache` yet. */
  cold: PlanningRun;
}

/**
 * Plans a project in fresh processes, so that time and peak memory are the planning's own:
 * once without the planning caches (which that run then writes), once with them.
 */
export async function measurePlanning(root: string): Promise<PlanningResult> {
  await rm(path.join(root, '.batchgen', 'cache'), { recursive: true, force: true });
  const cold = planOnce(root);
  const warm = planOnce(root);
  return { ...warm, cold };
}

function planOnce(root: string): PlanningRun {
  const script = fileURLToPath(new URL('./plan-once.ts', import.meta.url));
  const out = execFileSync(process.execPath, [script, root], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as PlanningRun;
}

/**
 * A synthetic catalogue of `count` materials (the real records cycled, renamed) with every
 * component generated offline, so that planning finds everything fresh.
 */
export async function syntheticProject(count: number): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), `batchgen-synthetic-${count}-`));
  await mkdir(path.join(root, 'content', 'materials'), { recursive: true });
  await cp(path.join(REPO_ROOT, 'content', 'authors.yaml'), path.join(root, 'content', 'authors.yaml'));
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const real = await openProject(REPO_ROOT, parseOptions({}), undefined);
  const categories = real.catalog.categories;
  const perCategory = new Map<string, unknown[]>();
  for (let i = 0; i < count; i++) {
    const source = real.catalog.materials[i % real.catalog.materials.length]!;
    const raw = parse(await readFile(path.join(REPO_ROOT, source.file), 'utf8')).materials.find((m: { name: string }) => m.name === source.name);
    const list = perCategory.get(source.category) ?? [];
    list.push({ ...raw, name: `${source.name} Variant ${i}` });
    perCategory.set(source.category, list);
  }
  for (const category of categories) {
    await writeFile(
      path.join(root, 'content', 'materials', `${category.id}.yaml`),
      stringify({ category: category.id, label: category.label, description: category.description, materials: perCategory.get(category.id) ?? [] }),
    );
  }
  const project = await openProject(root, parseOptions({}), undefined);
  const plan = await planFor(project, {});
  // Setup only: the engine without the content review (the synthetic variants are near-copies
  // of each other by construction, which the review would rightly refuse).
  const run = await runGeneration({ catalog: project.catalog, plan, store: project.store, site: project.site, provider: offlineProvider(), concurrency: 64 });
  const failed = run.results.filter((r) => r.outcome !== 'written');
  if (failed.length > 0) throw new Error(`synthetic generation failed: ${JSON.stringify(failed.slice(0, 3))}`);
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}
