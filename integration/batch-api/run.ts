import path from 'node:path';
import PQueue from 'p-queue';
import type { Batch } from 'openai/resources/batches';
import { planFor, recordFailures, runBatch, saveRunReport, stateDir } from '../batch.ts';
import { createReview } from '../checks/review.ts';
import { addUsage, type ItemResult, type Outcome, type RunResult } from '../engine/run.ts';
import { ContentRejectedError, ItemBlockedError, Workspace, type PreparedItem } from '../engine/workspace.ts';
import type { GateStats } from '../engine/gate.ts';
import type { ProgressSnapshot } from '../engine/progress.ts';
import type { Plan, PlanItem } from '../plan/plan.ts';
import type { Project } from '../project.ts';
import { answerSizeProblem, chatCompletionParams, validateAnswer } from '../providers/openai-compatible.ts';
import type { Provider } from '../providers/types.ts';
import { buildRunReport, type BatchSummary, type RunReport } from '../report/run-report.ts';
import type { Usage } from '../store/provenance.ts';
import { fatalBatchError, type BatchTarget } from './client.ts';
import { collectBatch } from './collect.ts';
import { customIdOf, requestLine, toJsonl, type BatchRequestLine, type LineOutcome } from './jsonl.ts';
import { batchProgressLine, pollBatch } from './poll.ts';
import { BatchState, type SavedBatch } from './state.ts';
import { createBatch, findBatchByInputFile, uploadBatchInput } from './submit.ts';

export interface BatchApiOptions {
  force?: boolean;
  /** Finish live, through the normal engine, whatever the batches did not deliver. */
  fallbackLive?: boolean;
  /** Stops waiting: no new batch is submitted, polling ends, and the batches keep running at the provider for the next run to resume. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  removed?: string[];
  /** First wait between polls (default 1 s), growing by half each poll up to `maxPollIntervalMs` (default 60 s). */
  pollIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** The live provider and its limits, for `fallbackLive`. */
  live?: { provider: Provider; concurrency: number; gate?: GateStats; callSignal?: AbortSignal; onProgress?: (snapshot: ProgressSnapshot) => void };
  now?: () => Date;
}

interface StageLine {
  prepared: PreparedItem;
  customId: string;
  line: BatchRequestLine;
}

const ZERO: Usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
const NOT_GENERATED: ReadonlySet<Outcome> = new Set(['failed', 'blocked', 'not-run']);
const FINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'expired', 'cancelled']);
/** Files written at once while a stage's answers are committed. */
const WRITE_CONCURRENCY = 16;

/**
 * Generates a plan's llm components through the provider's Batch API, in stages: each stage is
 * one batch holding every llm component whose dependencies are written (frontmatter and the
 * properties table first, then their dependents), and static or derived components are
 * composed locally as soon as their dependencies exist. Every answer is validated, checked and
 * written exactly as the live path does it (same request, same workspace), with `mode: 'batch'`
 * in its provenance. Submitted batches are saved so an interrupted run resumes them.
 */
export async function runBatchApi(project: Project, plan: Plan, target: BatchTarget, options: BatchApiOptions = {}): Promise<{ report: RunReport; run: RunResult }> {
  const startedAt = new Date();
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const force = options.force ?? false;
  const log = options.log ?? (() => undefined);
  const workspace = new Workspace({ catalog: project.catalog, plan, store: project.store, site: project.site, now });
  workspace.review = await createReview(project.catalog, plan, project.store, project.components);
  const state = await new BatchState(stateDir(project)).load(now());
  const used: SavedBatch[] = [];
  const batches: BatchSummary[] = [];

  const results = new Map<string, ItemResult>();
  const pending = new Set(plan.todo.map((i) => i.key));
  /** Items left for the live fallback, with why the batch did not deliver them and what they cost so far. */
  const deferred = new Map<string, { reason: string; calls: number; usage: Usage }>();
  let calls = 0;
  const usage: Usage = { ...ZERO };
  let fatal: string | undefined;
  let stoppedDuring: string | undefined;

  const finish = (item: PlanItem, result: Pick<ItemResult, 'outcome' | 'calls' | 'usage'> & Partial<ItemResult>) => {
    results.set(item.key, {
      material: item.material.slug,
      category: item.material.category,
      component: item.component.name,
      durationMs: 0,
      ...result,
      finishedAtMs: Math.round(performance.now() - started),
    });
    pending.delete(item.key);
  };
  /** A component the batch could not deliver: left for the live fallback, or failed. */
  const miss = (item: PlanItem, reason: string, itemCalls: number, itemUsage: Usage, durationMs = 0) => {
    if (options.fallbackLive) {
      deferred.set(item.key, { reason, calls: itemCalls, usage: itemUsage });
      pending.delete(item.key);
    } else {
      finish(item, { outcome: 'failed', reason, calls: itemCalls, usage: itemUsage, durationMs });
    }
  };

  const composeLocally = async (item: PlanItem) => {
    let prepared: PreparedItem;
    try {
      prepared = workspace.prepare(item, force);
    } catch (error) {
      if (!(error instanceof ItemBlockedError)) throw error;
      return finish(item, { outcome: 'blocked', reason: error.message, calls: 0, usage: ZERO });
    }
    if (prepared.upToDate) return finish(item, { outcome: 'unchanged', calls: 0, usage: ZERO });
    let data: Record<string, unknown>;
    try {
      data = workspace.compose(prepared, undefined);
    } catch (error) {
      if (!(error instanceof ContentRejectedError)) throw error;
      return finish(item, { outcome: 'failed', reason: error.message, calls: 0, usage: ZERO });
    }
    const { written, file } = await workspace.commit(prepared, data, { provider: 'batchgen', model: 'none', mode: 'static', usage: undefined });
    finish(item, { outcome: written ? 'written' : 'unchanged', file, calls: 0, usage: ZERO });
  };

  /** Settles every pending item that needs no call: static and derived ones, and those whose dependencies failed or went live. */
  const settleWithoutCalls = async () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const item of plan.todo) {
        if (!pending.has(item.key)) continue;
        const deps = workspace.depsOf(item);
        if (deps.some((d) => pending.has(d.key))) continue;
        const live = deps.find((d) => deferred.has(d.key));
        const failed = deps.find((d) => NOT_GENERATED.has(results.get(d.key)?.outcome as Outcome));
        if (live) deferred.set(item.key, { reason: `waits for ${live.component.name}, finished live`, calls: 0, usage: ZERO });
        else if (failed) finish(item, { outcome: 'blocked', reason: `${failed.component.name} was not generated`, calls: 0, usage: ZERO });
        else if (!item.component.llm) await composeLocally(item);
        else continue;
        pending.delete(item.key);
        changed = true;
      }
    }
  };

  /** The stage's request lines: the same body the live path would send for each component. */
  const stageLines = (ready: readonly PlanItem[]): StageLine[] => {
    const lines: StageLine[] = [];
    for (const item of ready) {
      let prepared: PreparedItem;
      try {
        prepared = workspace.prepare(item, force);
      } catch (error) {
        if (!(error instanceof ItemBlockedError)) throw error;
        finish(item, { outcome: 'blocked', reason: error.message, calls: 0, usage: ZERO });
        continue;
      }
      if (prepared.upToDate) {
        finish(item, { outcome: 'unchanged', calls: 0, usage: ZERO });
        continue;
      }
      const messages = [
        { role: 'system' as const, content: prepared.system! },
        { role: 'user' as const, content: prepared.user! },
      ];
      const body = chatCompletionParams(target.profile, target.model, item.component, messages, item.component.llm!.maxTokens);
      const customId = customIdOf(prepared);
      lines.push({ prepared, customId, line: requestLine(customId, body) });
    }
    return lines;
  };

  /** Finds a saved batch at the provider: by id, or by its input file when the run was killed before the id was saved. */
  const locate = async (saved: SavedBatch): Promise<Batch | undefined> => {
    try {
      if (saved.batchId) return await target.client.batches.retrieve(saved.batchId);
      const found = await findBatchByInputFile(target.client, saved.inputFileId, new Date(saved.savedAt));
      if (found) {
        saved.batchId = found.id;
        await state.save();
      }
      return found;
    } catch (error) {
      const message = fatalBatchError(error);
      // A 404 for one saved batch means that batch is gone, not that the provider has no Batch API.
      if (message && !/404/.test(message)) throw error;
      return undefined;
    }
  };

  /**
   * One stage: resume the saved batches that hold any of its requests, submit one batch for the
   * rest, wait for them all, and return each request's outcome by custom_id. Undefined when the
   * run was stopped while waiting.
   */
  const runStage = async (stage: number, lines: readonly StageLine[]): Promise<Map<string, LineOutcome> | undefined> => {
    const wanted = new Set(lines.map((l) => l.customId));
    const running: Array<{ saved: SavedBatch; batch: Batch; resumed: boolean }> = [];
    const covered = new Set<string>();
    for (const saved of state.batches) {
      if (!saved.customIds.some((id) => wanted.has(id))) continue;
      if (saved.provider !== target.profile.id || saved.model !== target.model) {
        log(`stage ${stage}: not resuming batch ${saved.batchId ?? saved.inputFileId}: it was made with ${saved.provider} (${saved.model})`);
        continue;
      }
      const batch = await locate(saved);
      if (!batch) {
        await state.remove([saved]);
        continue;
      }
      const mine = saved.customIds.filter((id) => wanted.has(id) && !covered.has(id));
      for (const id of mine) covered.add(id);
      running.push({ saved, batch, resumed: true });
      log(`stage ${stage}: resuming batch ${batch.id} (${batch.status}) from an earlier run for ${mine.length} of ${wanted.size} requests`);
    }
    const rest = lines.filter((l) => !covered.has(l.customId));
    // One batch per stage, unless the stage is larger than one batch may be.
    for (const chunk of chunkLines(rest)) {
      if (options.signal?.aborted) return undefined;
      const name = `batchgen-stage-${stage}${rest.length > chunk.length ? `-${running.length + 1}` : ''}.jsonl`;
      const inputFileId = await uploadBatchInput(target.client, toJsonl(chunk.map((l) => l.line)), name, options.signal);
      const saved: SavedBatch = {
        provider: target.profile.id,
        model: target.model,
        stage,
        inputFileId,
        customIds: chunk.map((l) => l.customId),
        savedAt: now().toISOString(),
      };
      await state.add(saved);
      const batch = await createBatch(target.client, inputFileId, { batchgen_stage: String(stage), batchgen_components: summarize(chunk).slice(0, 500) });
      saved.batchId = batch.id;
      saved.status = batch.status;
      await state.save();
      running.push({ saved, batch, resumed: false });
      log(`stage ${stage}: submitted batch ${batch.id} with ${chunk.length} requests (${summarize(chunk)})`);
    }
    const stageStarted = performance.now();
    const finals = await Promise.all(
      running.map(({ batch }) =>
        pollBatch(target.client, batch, {
          intervalMs: options.pollIntervalMs ?? 1000,
          maxIntervalMs: options.maxPollIntervalMs ?? 60_000,
          ...(options.signal ? { signal: options.signal } : {}),
          onChange: (b) => log(batchProgressLine(b, stage, performance.now() - stageStarted)),
        }),
      ),
    );
    if (finals.some((b) => b === undefined)) {
      stoppedDuring = running.map((r) => r.batch.id).join(', ');
      return undefined;
    }
    const outcomes = new Map<string, LineOutcome>();
    for (const [index, { saved, resumed }] of running.entries()) {
      const batch = finals[index]!;
      saved.status = batch.status;
      const got = await collectBatch(target.client, batch, saved.customIds);
      const mine = saved.customIds.filter((id) => wanted.has(id) && !outcomes.has(id));
      for (const id of mine) outcomes.set(id, got.get(id)!);
      used.push(saved);
      batches.push({
        id: batch.id,
        stage,
        lines: saved.customIds.length,
        used: mine.length,
        status: batch.status,
        resumed,
        succeeded: mine.filter((id) => got.get(id)!.ok).length,
        failed: mine.filter((id) => !got.get(id)!.ok).length,
      });
      if (batch.status !== 'completed') log(`stage ${stage}: batch ${batch.id} ended ${batch.status}`);
    }
    await state.save();
    return outcomes;
  };

  /** Validates, checks and writes one answer exactly as the live path does; anything else is a miss. */
  const accept = async ({ prepared, customId }: StageLine, outcome: LineOutcome, durationMs: number) => {
    const item = prepared.item;
    if (!outcome.ok) return miss(item, outcome.reason, 0, ZERO, durationMs);
    const completion = outcome.completion;
    const itemUsage = usageOf(completion);
    calls++;
    addUsage(usage, itemUsage);
    const maxTokens = item.component.llm!.maxTokens;
    const choice = completion.choices[0];
    const content = choice?.message?.content ?? '';
    const completionTokens = completion.usage?.completion_tokens ?? 0;
    const reviewer = workspace.reviewer(prepared);
    let composed: Record<string, unknown> | undefined;
    let problem: string | undefined;
    const size = answerSizeProblem(choice?.finish_reason, content, completionTokens, maxTokens);
    if (size === 'truncated') problem = `the answer was cut off at ${maxTokens} tokens (finish_reason "length")`;
    else if (size) problem = size;
    else {
      const checked = validateAnswer(content, { component: item.component, review: reviewer.review });
      if (!checked.ok) problem = checked.reason;
      else composed = reviewer.accepted() ?? workspace.compose(prepared, checked.draft);
    }
    if (problem || !composed) return miss(item, `${problem} (batch request ${customId})`, 1, itemUsage, durationMs);
    const meta = { provider: target.profile.id, model: completion.model || target.model, mode: 'batch' as const, usage: itemUsage };
    const { written, file } = await workspace.commit(prepared, composed, meta);
    finish(item, { outcome: written ? 'written' : 'unchanged', file, calls: 1, usage: itemUsage, durationMs });
  };

  let stage = 0;
  try {
    for (;;) {
      await settleWithoutCalls();
      const ready = plan.todo.filter((i) => pending.has(i.key) && i.component.llm && !workspace.depsOf(i).some((d) => pending.has(d.key)));
      if (ready.length === 0 || options.signal?.aborted) break;
      stage++;
      const lines = stageLines(ready);
      if (lines.length === 0) continue;
      const stageStarted = performance.now();
      let outcomes: Map<string, LineOutcome> | undefined;
      try {
        outcomes = await runStage(stage, lines);
      } catch (error) {
        if (options.signal?.aborted) break;
        fatal = fatalBatchError(error);
        if (fatal) break;
        // The stage could not be submitted or collected: its components are missed, not the run.
        const reason = `the Batch API call failed: ${error instanceof Error ? error.message : String(error)}`;
        log(`stage ${stage}: ${reason}`);
        outcomes = new Map(lines.map((l) => [l.customId, { ok: false, reason }]));
      }
      if (!outcomes) break;
      const durationMs = performance.now() - stageStarted;
      const writes = new PQueue({ concurrency: WRITE_CONCURRENCY });
      await writes.addAll(lines.map((line) => () => accept(line, outcomes.get(line.customId)!, durationMs)));
      const delivered = lines.filter((l) => ['written', 'unchanged'].includes(results.get(l.prepared.item.key)?.outcome ?? '')).length;
      log(`stage ${stage}: ${delivered} of ${lines.length} components written or unchanged${lines.length > delivered ? `, ${lines.length - delivered} ${options.fallbackLive ? 'left for the live fallback' : 'failed'}` : ''}`);
    }
  } finally {
    // Batches whose results were collected are done with; a stopped run keeps the others, and
    // the next run resumes them.
    if (!stoppedDuring && !options.signal?.aborted) await state.remove([...used, ...state.batches.filter((b) => FINAL.has(b.status ?? ''))]);
  }

  let liveFallback: RunReport['liveFallback'];
  if (deferred.size > 0 && options.fallbackLive && options.live && !fatal && !options.signal?.aborted) {
    // Re-plan from disk: the batch stages wrote the dependencies these components will read.
    const materials = new Set([...deferred.keys()].map((key) => plan.byKey.get(key)!.material.slug));
    const fresh = await planFor(project, { materials });
    const todo = fresh.items.filter((i) => deferred.has(i.key));
    log(`finishing ${todo.length} component(s) live (${reasonsSummary(deferred)})`);
    const { run: live } = await runBatch(project, { ...fresh, todo }, options.live.provider, {
      concurrency: options.live.concurrency,
      force,
      log,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.live.callSignal ? { callSignal: options.live.callSignal } : {}),
      ...(options.live.gate ? { gate: options.live.gate } : {}),
      ...(options.live.onProgress ? { onProgress: options.live.onProgress } : {}),
    });
    for (const result of live.results) {
      const key = `${result.material}/${result.component}`;
      const before = deferred.get(key)!;
      const total = { ...before.usage };
      addUsage(total, result.usage);
      results.set(key, { ...result, calls: result.calls + before.calls, usage: total, finishedAtMs: Math.round(performance.now() - started) });
      deferred.delete(key);
    }
    calls += live.calls;
    addUsage(usage, live.usage);
    fatal ??= live.fatal;
    liveFallback = { components: todo.length, calls: live.calls };
  }
  // Left over: the run stopped, hit a fatal error, or could not go live.
  const leftReason = fatal ?? (stoppedDuring ? `the run was stopped while batch ${stoppedDuring} was running; run the same command again to resume it` : 'the run was stopped');
  for (const item of plan.todo) {
    if (pending.has(item.key)) finish(item, { outcome: 'not-run', reason: leftReason, calls: 0, usage: ZERO });
    const left = deferred.get(item.key);
    if (left) finish(item, { outcome: options.live ? 'not-run' : 'failed', reason: left.reason, calls: left.calls, usage: left.usage });
  }

  const run: RunResult = {
    results: plan.todo.map((i) => results.get(i.key)!),
    calls,
    usage,
    durationMs: performance.now() - started,
    aborted: options.signal?.aborted ?? false,
    fatal,
    stopped: undefined,
  };
  await recordFailures(project, plan, run);
  const report = buildRunReport({
    plan,
    run,
    provider: { id: target.profile.id, model: target.model, mode: 'batch' },
    gate: options.live?.gate,
    configuredConcurrency: options.live?.concurrency ?? 1,
    startedAt,
    removed: options.removed ?? [],
    relative: (file) => path.relative(project.root, file).split(path.sep).join('/'),
  });
  report.batches = batches;
  if (liveFallback) report.liveFallback = liveFallback;
  await saveRunReport(project, report);
  return { report, run };
}

function usageOf(completion: { usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null }): Usage {
  const u = completion.usage as (typeof completion.usage & { prompt_cache_hit_tokens?: number }) | null | undefined;
  return {
    promptTokens: u?.prompt_tokens ?? 0,
    completionTokens: u?.completion_tokens ?? 0,
    cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? u?.prompt_cache_hit_tokens ?? 0,
  };
}

/** The OpenAI Batch API's limits on one input file, kept under with some room. */
const MAX_LINES_PER_BATCH = 50_000;
const MAX_BYTES_PER_BATCH = 190 * 1024 * 1024;

/** Splits a stage's lines into input files within the Batch API's limits (usually just one). */
export function chunkLines<T extends { line: BatchRequestLine }>(lines: readonly T[], maxLines = MAX_LINES_PER_BATCH, maxBytes = MAX_BYTES_PER_BATCH): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(JSON.stringify(line.line)) + 1;
    if (current.length > 0 && (current.length >= maxLines || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** "109 frontmatter, 109 propertiestable" */
function summarize(lines: readonly StageLine[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l.prepared.item.component.name, (counts.get(l.prepared.item.component.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${n} ${name}`).join(', ');
}

/** "2 requests the batch did not answer, 3 answers refused, 4 components waiting on those" */
function reasonsSummary(deferred: ReadonlyMap<string, { reason: string }>): string {
  const kinds = { unanswered: 0, refused: 0, waiting: 0 };
  for (const { reason } of deferred.values()) {
    if (reason.startsWith('waits for ')) kinds.waiting++;
    else if (reason.startsWith('the batch') || reason.startsWith('the Batch API')) kinds.unanswered++;
    else kinds.refused++;
  }
  return [
    kinds.unanswered && `${kinds.unanswered} request(s) the batch did not answer`,
    kinds.refused && `${kinds.refused} answer(s) refused`,
    kinds.waiting && `${kinds.waiting} component(s) waiting on those`,
  ]
    .filter(Boolean)
    .join(', ');
}
