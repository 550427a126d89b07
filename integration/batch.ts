import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planGeneration, type Plan } from './plan/plan.ts';
import { runGeneration, type ItemResult, type RunResult } from './engine/run.ts';
import { progressLine, progressTracker } from './engine/progress.ts';
import type { Project } from './project.ts';
import type { Provider } from './providers/types.ts';
import { resolveProvider, type ResolvedProvider } from './providers/index.ts';
import { createCallGate, type GateStats } from './engine/gate.ts';
import { createDeadlines } from './engine/deadlines.ts';
import type { ProviderId, ResolvedOptions } from './config.ts';

/**
 * The provider for one run, held to the run's limits: a call gate (concurrency, requests and
 * tokens per minute, adapted to 429s and rate-limit headers) and adaptive per-call deadlines.
 */
export function providerForRun(
  options: ResolvedOptions,
  env: NodeJS.ProcessEnv,
  overrides: { provider?: ProviderId; model?: string; strict?: boolean; concurrency?: number } = {},
): ResolvedProvider & { gate: GateStats } {
  const gate = createCallGate({
    concurrency: overrides.concurrency ?? options.concurrency,
    requestsPerMinute: options.requestsPerMinute,
    tokensPerMinute: options.tokensPerMinute,
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

export interface BatchReport {
  provider: string;
  model: string;
  planned: number;
  written: number;
  unchanged: number;
  failed: Array<Pick<ItemResult, 'material' | 'component' | 'reason'>>;
  notRun: number;
  calls: number;
  tokens: { prompt: number; completion: number; cached: number };
  durationMs: number;
  fatal: string | undefined;
  aborted: boolean;
  files: string[];
}

interface FailureState {
  failures: Record<string, { inputsHash: string | undefined; reason: string }>;
}

export function stateDir(project: Project): string {
  return path.join(project.root, '.batchgen');
}

/** Failures from earlier runs, kept so `--status` can say which components failed and why. */
export async function readFailures(project: Project): Promise<Map<string, { inputsHash: string | undefined; reason: string }>> {
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

/** Plans and generates; the one routine behind `astro build` and `batchgen`. */
export async function runBatch(
  project: Project,
  plan: Plan,
  provider: Provider,
  options: { concurrency: number; force?: boolean; signal?: AbortSignal; callSignal?: AbortSignal; log?: (line: string) => void },
): Promise<{ report: BatchReport; run: RunResult }> {
  const materials = new Set(plan.todo.map((i) => i.material.slug));
  const tracker = progressTracker(plan.todo.length, materials.size);
  const run = await runGeneration({
    catalog: project.catalog,
    plan,
    store: project.store,
    site: project.site,
    provider,
    concurrency: options.concurrency,
    force: options.force ?? false,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.callSignal ? { callSignal: options.callSignal } : {}),
    onEvent: (event) => {
      const snapshot = tracker.update(event);
      if (event.type === 'material-done' && (event.materialsDone % 10 === 0 || event.materialsDone === event.materialsTotal)) {
        options.log?.(progressLine(snapshot));
      }
    },
  });
  await recordFailures(project, plan, run);
  const report: BatchReport = {
    provider: provider.id,
    model: provider.model,
    planned: plan.todo.length,
    written: run.results.filter((r) => r.outcome === 'written').length,
    unchanged: run.results.filter((r) => r.outcome === 'unchanged').length,
    failed: run.results
      .filter((r) => r.outcome === 'failed' || r.outcome === 'blocked')
      .map((r) => ({ material: r.material, component: r.component, reason: r.reason })),
    notRun: run.results.filter((r) => r.outcome === 'not-run').length,
    calls: run.calls,
    tokens: { prompt: run.usage.promptTokens, completion: run.usage.completionTokens, cached: run.usage.cachedTokens },
    durationMs: Math.round(run.durationMs),
    fatal: run.fatal,
    aborted: run.aborted,
    files: run.results.filter((r) => r.outcome === 'written').map((r) => path.relative(project.root, r.file!).split(path.sep).join('/')),
  };
  await mkdir(stateDir(project), { recursive: true });
  await writeFile(path.join(stateDir(project), 'last-run.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { report, run };
}

async function recordFailures(project: Project, plan: Plan, run: RunResult): Promise<void> {
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
