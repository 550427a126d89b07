import { planFor, providerForRun, runBatch } from '../integration/batch.ts';
import { parseOptions } from '../integration/config.ts';
import { openProject } from '../integration/project.ts';
import { defaultGroups } from '../integration/engine/groups.ts';
import { startRemoteFake } from './remote-fake.ts';
import { copyProject, REPO_ROOT } from '../tests/helpers/project-copy.ts';
import path from 'node:path';

/** Where the benchmark's project copies go (git-ignored). */
export const BENCH_WORK = path.join(REPO_ROOT, 'bench', '.work');

/** The simulated provider of the benchmark: the old system's figures with every time divided by `scale`. */
export function simulated(scale: number) {
  return {
    scale,
    latencyMs: 3300 / scale,
    requestsPerMinute: 3000 * scale,
    rate429: 0.05,
    rate5xx: 0.02,
    rateHang: 0.01,
    retryAfterMs: 1000 / scale,
    timeoutMs: 45_000 / scale,
    retryBaseMs: Math.max(1, Math.round(500 / scale)),
  };
}
export type Simulated = ReturnType<typeof simulated>;

/** The same simulated provider with no fault injected. */
export function withoutFaults(s: Simulated): Simulated {
  return { ...s, rate429: 0, rate5xx: 0, rateHang: 0 };
}

export interface FullBatchResult {
  grouping: boolean;
  promptTokens: number;
  completionTokens: number;
  scale: number;
  concurrency: number;
  engineCpuMs: number;
  wallMs: number;
  idealMs: number;
  efficiency: number;
  componentsNeeded: number;
  llmCallsNeeded: number;
  succeeded: number;
  successRate: number;
  requests: number;
  /** Failed HTTP attempts (429, 5xx, hangs given up) that were tried again. */
  retries: number;
  /** Answers beyond one per llm component: refused by validation or the content checks and asked again. */
  reasks: number;
  /** Valid answers to a request the engine had already had answered: calls made twice. */
  duplicates: number;
  /** Engine CPU per request. */
  cpuMsPerRequest: number;
  /** CPU the simulated provider's process spent per request (its own core's worth of work on this machine). */
  providerCpuMsPerRequest: number;

  faults: Record<string, number>;
  lowestConcurrency: number;
  maxInFlight: number;
  /** Share of the run's slot time (wall x concurrency) that calls were in flight. */
  slotUtilisation: number;
  /** Share of the calls' time in flight spent on answers that were used (needed calls at the mean latency). */
  usefulShare: number;
}

/**
 * One full `--force` batch of the whole catalogue against the simulated provider. The ideal
 * time is what the configured concurrency and rate limit allow with no fault at all: every
 * needed call at the mean latency, all slots always busy, and no faster than the request limit
 * or the longest dependency chain (frontmatter, then its dependents).
 */
export async function fullBatch(concurrency: number, seed: number, SIMULATED: Simulated, grouping = false): Promise<FullBatchResult> {
  const provider = await startRemoteFake({
    seed,
    latencyMs: SIMULATED.latencyMs,
    latencyJitter: 0.3,
    requestsPerMinute: SIMULATED.requestsPerMinute,
    rate429: SIMULATED.rate429,
    rate5xx: SIMULATED.rate5xx,
    rateHang: SIMULATED.rateHang,
    retryAfterMs: SIMULATED.retryAfterMs,
    hangMs: SIMULATED.timeoutMs * 4,
  });
  // The copy lives beside the repo, on the disk a user's project is on: this machine's /tmp
  // costs about six times the system time per atomic write (README, Benchmark).
  const { root, cleanup } = await copyProject({ under: BENCH_WORK });
  try {
    const options = parseOptions({
      provider: 'openai',
      concurrency,
      requestsPerMinute: SIMULATED.requestsPerMinute,
      timeoutMs: SIMULATED.timeoutMs,
      retryBaseMs: SIMULATED.retryBaseMs,
      maxAttempts: 10,
      grouping,
    });
    const project = await openProject(root, options, 'https://laser-cleaning.example.com');
    const resolved = providerForRun(options, { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: provider.url }, { concurrency });
    const plan = await planFor(project, { force: true }, resolved.provider);
    const llmComponents = plan.todo.filter((i) => i.component.llm).length;
    // Grouped, a material needs one call per group (and one per ungrouped llm component).
    const llmCalls = grouping
      ? new Set(plan.todo.filter((i) => i.component.llm).map((i) => `${i.material.slug}/${defaultGroups(project.components).get(i.component.name) ?? i.component.name}`)).size
      : llmComponents;
    const providerCpuBefore = (await provider.stats()).cpuMs;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const { report } = await runBatch(project, plan, resolved.provider, { concurrency, gate: resolved.gate, grouping });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const rps = SIMULATED.requestsPerMinute / 60_000;
    const idealMs = Math.max((llmCalls * SIMULATED.latencyMs) / concurrency, llmCalls / rps, 2 * SIMULATED.latencyMs);
    const stats = await provider.stats();
    const succeededComponents = report.written + report.unchanged;
    return {
      grouping,
      promptTokens: stats.promptTokens,
      completionTokens: stats.completionTokens,
      scale: SIMULATED.scale,
      concurrency,
      engineCpuMs: Math.round((used.user + used.system) / 1000),
      wallMs: Math.round(wallMs),
      idealMs: Math.round(idealMs),
      efficiency: round(idealMs / wallMs),
      componentsNeeded: plan.todo.length,
      llmCallsNeeded: llmCalls,
      succeeded: succeededComponents,
      successRate: round(succeededComponents / plan.todo.length),
      requests: stats.requests,
      retries: stats.requests - stats.succeeded,
      reasks: stats.succeeded - llmCalls,
      duplicates: stats.duplicateAnswers,
      cpuMsPerRequest: round((used.user + used.system) / 1000 / stats.requests, 2),
      providerCpuMsPerRequest: round((stats.cpuMs - providerCpuBefore) / stats.requests, 2),

      faults: { ...stats.faults },
      lowestConcurrency: resolved.gate.lowestConcurrency,
      slotUtilisation: round(resolved.gate.busyMs / (wallMs * concurrency)),
      usefulShare: round((llmCalls * SIMULATED.latencyMs) / resolved.gate.busyMs),
      maxInFlight: stats.maxInFlight,
    };
  } finally {
    await provider.close();
    await cleanup();
  }
}

export function round(n: number, digits = 3): number {
  return Number(n.toFixed(digits));
}
