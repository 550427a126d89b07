import type { ItemResult, RunResult } from '../engine/run.ts';
import type { GateStats } from '../engine/gate.ts';
import type { Plan } from '../plan/plan.ts';
import { recommend } from './recommendations.ts';

export interface Breakdown {
  planned: number;
  succeeded: number;
  failed: number;
  calls: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

/** Everything a run did, as saved under `.batchgen/` and shown by `batchgen --status`. */
export interface RunReport {
  startedAt: string;
  provider: string;
  model: string;
  mode: 'offline' | 'live' | 'batch';
  concurrency: { configured: number; lowest: number; final: number; timeline: Array<[number, number]> };
  rateLimited: number;
  planned: number;
  written: number;
  unchanged: number;
  failed: Array<{ material: string; component: string; reason: string }>;
  notRun: Array<{ material: string; component: string; reason: string }>;
  removed: string[];
  calls: number;
  tokens: { prompt: number; completion: number; cached: number };
  durationMs: number;
  aborted: boolean;
  fatal: string | undefined;
  /** Why the run stopped starting new work early (a budget cap), if it did. */
  stopped: string | undefined;
  byCategory: Record<string, Breakdown>;
  byComponent: Record<string, Breakdown>;
  /** Per item: component, category, outcome, time taken and when it settled (for the charts). */
  items: Array<Pick<ItemResult, 'material' | 'component' | 'category' | 'outcome' | 'calls' | 'durationMs' | 'finishedAtMs'>>;
  files: string[];
  recommendations: string[];
  /** With `--batch-api`: each batch the run submitted or resumed, by stage. */
  batches?: BatchSummary[];
  /** With `--batch-api --fallback-live`: components the batches did not deliver, finished live. */
  liveFallback?: { components: number; calls: number };
}

/** One Batch API batch as a run used it. */
export interface BatchSummary {
  id: string;
  stage: number;
  /** Requests in the batch, and how many of them this run used (a resumed batch may hold lines no longer needed). */
  lines: number;
  used: number;
  status: string;
  /** Submitted by an earlier, interrupted run and picked up again by this one. */
  resumed: boolean;
  succeeded: number;
  failed: number;
}

function emptyBreakdown(): Breakdown {
  return { planned: 0, succeeded: 0, failed: 0, calls: 0, promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
}

export function buildRunReport(input: {
  plan: Plan;
  run: RunResult;
  provider: { id: string; model: string; mode: RunReport['mode'] };
  gate: GateStats | undefined;
  configuredConcurrency: number;
  startedAt: Date;
  removed: string[];
  relative: (file: string) => string;
}): RunReport {
  const { run, gate } = input;
  const byCategory: Record<string, Breakdown> = {};
  const byComponent: Record<string, Breakdown> = {};
  for (const result of run.results) {
    for (const row of [(byCategory[result.category] ??= emptyBreakdown()), (byComponent[result.component] ??= emptyBreakdown())]) {
      row.planned++;
      if (result.outcome === 'written' || result.outcome === 'unchanged') row.succeeded++;
      else if (result.outcome === 'failed' || result.outcome === 'blocked') row.failed++;
      row.calls += result.calls;
      row.promptTokens += result.usage.promptTokens;
      row.completionTokens += result.usage.completionTokens;
      row.cachedTokens += result.usage.cachedTokens;
    }
  }
  const pick = (outcomes: string[]) =>
    run.results.filter((r) => outcomes.includes(r.outcome)).map((r) => ({ material: r.material, component: r.component, reason: r.reason ?? r.outcome }));
  const report: RunReport = {
    startedAt: input.startedAt.toISOString(),
    provider: input.provider.id,
    model: input.provider.model,
    mode: input.provider.mode,
    concurrency: {
      configured: input.configuredConcurrency,
      lowest: gate?.lowestConcurrency ?? input.configuredConcurrency,
      final: gate?.concurrency ?? input.configuredConcurrency,
      timeline: gate?.concurrencyTimeline ?? [],
    },
    rateLimited: gate?.rateLimited ?? 0,
    planned: input.plan.todo.length,
    written: run.results.filter((r) => r.outcome === 'written').length,
    unchanged: run.results.filter((r) => r.outcome === 'unchanged').length,
    failed: pick(['failed', 'blocked']),
    notRun: pick(['not-run']),
    removed: input.removed,
    calls: run.calls,
    tokens: { prompt: run.usage.promptTokens, completion: run.usage.completionTokens, cached: run.usage.cachedTokens },
    durationMs: Math.round(run.durationMs),
    aborted: run.aborted,
    fatal: run.fatal,
    stopped: run.stopped,
    byCategory,
    byComponent,
    items: run.results.map((r) => ({
      material: r.material,
      component: r.component,
      category: r.category,
      outcome: r.outcome,
      calls: r.calls,
      durationMs: Math.round(r.durationMs),
      finishedAtMs: r.finishedAtMs,
    })),
    files: run.results.filter((r) => r.outcome === 'written').map((r) => input.relative(r.file!)),
    recommendations: [],
  };
  report.recommendations = recommend(report);
  return report;
}
