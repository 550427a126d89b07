import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planGeneration, type Plan } from './plan/plan.ts';
import { runGeneration, type ItemResult, type RunResult } from './engine/run.ts';
import { progressLine, progressTracker, type ProgressSnapshot } from './engine/progress.ts';
import { buildRunReport, type RunReport } from './report/run-report.ts';
import { renderRunReportHtml } from './report/html.ts';
import type { Project } from './project.ts';
import type { Provider } from './providers/types.ts';
import { resolveProvider, type ResolvedProvider } from './providers/index.ts';
import { createCallGate, type GateStats } from './engine/gate.ts';
import { budgetStop, capped, type Budget } from './engine/budget.ts';
import { defaultGroups } from './engine/groups.ts';
import type { Usage } from './store/provenance.ts';
import { createDeadlines } from './engine/deadlines.ts';
import type { ProviderId, ResolvedOptions } from './config.ts';
import { createReview } from './checks/review.ts';

/**
 * The provider for one run, held to the run's limits: a call gate (concurrency, requests and
 * tokens per minute, adapted to 429s and rate-limit headers) and adaptive per-call deadlines.
 */
export function providerForRun(
  options: ResolvedOptions,
  env: NodeJS.ProcessEnv,
  overrides: { provider?: ProviderId; model?: string; strict?: boolean; concurrency?: number } = {},
): ResolvedProvider & { gate: GateStats } {
  const concurrency = overrides.concurrency ?? options.concurrency;
  const gate = createCallGate({
    concurrency,
    requestsPerMinute: options.requestsPerMinute,
    tokensPerMinute: options.tokensPerMinute,
    // The budget stops new work at maxCalls; the gate's hard cap leaves room for the calls in flight.
    maxCalls: options.budget.maxCalls === undefined ? undefined : options.budget.maxCalls + concurrency,
  });
  const deadlines = createDeadlines({ maxMs: options.timeoutMs, minMs: Math.ceil(options.timeoutMs / 20) });
  deadlines.spareCapacity(gate.spare);
  const { concurrency: _, ...providerOverrides } = overrides;
  return { ...resolveProvider(options, env, providerOverrides, { gate, deadlines }), gate: gate.stats };
}

export interface Selection {
  materials?: ReadonlySet<string>;
  only?: ReadonlySet<string>;
  force?: boolean;
  upgrade?: boolean;
}


interface FailureState {
  failures: Record<string, { inputsHash: string | undefined; reason: string }>;
}

export function stateDir(project: Pick<Project, 'root'>): string {
  return path.join(project.root, '.batchgen');
}

/** Failures from earlier runs, kept so `--status` can say which components failed and why. */
export async function readFailures(project: Pick<Project, 'root'>): Promise<Map<string, { inputsHash: string | undefined; reason: string }>> {
  try {
    const state = JSON.parse(await readFile(path.join(stateDir(project), 'failures.json'), 'utf8')) as FailureState;
    return new Map(Object.entries(state.failures));
  } catch {
    return new Map();
  }
}

export async function planFor(project: Project, selection: Selection, provider?: Provider): Promise<Plan> {
  return planGeneration({
    catalog: project.catalog,
    components: project.components,
    store: project.store,
    site: project.site,
    ...(selection.materials ? { materials: selection.materials } : {}),
    ...(selection.only ? { only: selection.only } : {}),
    force: selection.force ?? false,
    ...(selection.upgrade && provider ? { upgrade: { provider: provider.id, model: provider.model } } : {}),
    failures: await readFailures(project),
  });
}

export interface BatchOptions {
  concurrency: number;
  force?: boolean;
  signal?: AbortSignal;
  callSignal?: AbortSignal;
  /** Progress lines (every 10 materials) for logs and CI. */
  log?: (line: string) => void;
  /** Every event, for a live display. */
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** The run's call gate, whose concurrency and 429s the report shows. */
  gate?: GateStats;
  /** Orphaned files already removed by this run, for the report. */
  removed?: string[];
  /** Caps on calls, tokens and cost for this run. */
  budget?: Budget;
  /** The cost of a usage, for the cost cap. */
  costOf?: (usage: Usage) => number;
  /** Ask for the short components that share dependencies in one call per material. */
  grouping?: boolean;
}

/** Generates a plan's items and writes the run report; the one routine behind `astro build` and `batchgen`. */
export async function runBatch(project: Project, plan: Plan, provider: Provider, options: BatchOptions): Promise<{ report: RunReport; run: RunResult }> {
  const startedAt = new Date();
  const materials = new Set(plan.todo.map((i) => i.material.slug));
  const tracker = progressTracker(plan.todo.length, materials.size);
  const run = await runGeneration({
    catalog: project.catalog,
    plan,
    store: project.store,
    site: project.site,
    provider,
    concurrency: options.concurrency,
    // The gate holds calls to the concurrency; twice as many items keep it fed (see itemSlots).
    ...(options.gate ? { itemSlots: options.concurrency * 2, callsInFlight: () => options.gate!.inFlight } : {}),
    force: options.force ?? false,
    review: await createReview(project.catalog, plan, project.store, project.components),
    ...(options.grouping ? { groups: defaultGroups(project.components) } : {}),
    ...(capped(options.budget) ? { shouldStop: budgetStop(options.budget, options.gate, options.costOf) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.callSignal ? { callSignal: options.callSignal } : {}),
    onEvent: (event) => {
      const snapshot = tracker.update(event, options.gate?.concurrency);
      options.onProgress?.(snapshot);
      if (event.type === 'material-done' && (event.materialsDone % 10 === 0 || event.materialsDone === event.materialsTotal)) {
        options.log?.(progressLine(snapshot));
      }
    },
  });
  await recordFailures(project, plan, run);
  const report = buildRunReport({
    plan,
    run,
    provider,
    gate: options.gate,
    configuredConcurrency: options.concurrency,
    startedAt,
    removed: options.removed ?? [],
    relative: (file) => path.relative(project.root, file).split(path.sep).join('/'),
  });
  await saveRunReport(project, report);
  return { report, run };
}

/** Saves the report as JSON (kept per run) and as an HTML page with charts, under `.batchgen/`. */
export async function saveRunReport(project: Project, report: RunReport): Promise<{ json: string; html: string }> {
  const runs = path.join(stateDir(project), 'runs');
  await mkdir(runs, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const text = `${JSON.stringify(report, null, 2)}\n`;
  await writeFile(path.join(runs, `${stamp}.json`), text);
  const json = path.join(stateDir(project), 'last-run.json');
  const html = path.join(stateDir(project), 'last-run.html');
  await writeFile(json, text);
  await writeFile(html, renderRunReportHtml(report));
  return { json, html };
}

/** Generated files of materials that are no longer in the catalogue. */
export async function findOrphans(project: Project): Promise<Array<{ component: Project['components'][number]; slug: string }>> {
  const slugs = new Set(project.catalog.materials.map((m) => m.slug));
  const orphans: Array<{ component: Project['components'][number]; slug: string }> = [];
  for (const component of project.components) {
    for (const slug of await project.store.slugs(component)) if (!slugs.has(slug)) orphans.push({ component, slug });
  }
  return orphans;
}

/**
 * Removes the generated files of materials that are no longer in the catalogue, so no stale
 * page survives. Returns the files removed, relative to the project root.
 */
export async function removeOrphans(project: Project): Promise<string[]> {
  const removed: string[] = [];
  for (const { component, slug } of await findOrphans(project)) {
    const file = project.store.pathOf(component, slug);
    await project.store.remove(component, slug);
    removed.push(path.relative(project.root, file).split(path.sep).join('/'));
  }
  return removed.sort();
}

/** Keeps each failed component's reason for `--status`; clears it once the component is written. */
export async function recordFailures(project: Project, plan: Plan, run: RunResult): Promise<void> {
  const failures = await readFailures(project);
  for (const result of run.results) {
    const key = `${result.material}/${result.component}`;
    if (result.outcome === 'failed') failures.set(key, { inputsHash: plan.byKey.get(key)?.inputsHash, reason: result.reason ?? 'failed' });
    else if (result.outcome === 'written' || result.outcome === 'unchanged') failures.delete(key);
  }
  await mkdir(stateDir(project), { recursive: true });
  const state: FailureState = { failures: Object.fromEntries([...failures].sort(([a], [b]) => a.localeCompare(b))) };
  await writeFile(path.join(stateDir(project), 'failures.json'), `${JSON.stringify(state, null, 2)}\n`);
}
