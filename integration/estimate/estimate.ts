import type { Catalog } from '../catalog/load.ts';
import type { ComponentDefinition, SiteSettings } from '../components/define.ts';
import { formatDuration } from '../engine/progress.ts';
import type { Plan, PlanItem } from '../plan/plan.ts';
import type { RunReport } from '../report/run-report.ts';
import { costOf, priceFor, type Cost, type Price, type ResolvedPrice } from './prices.ts';
import { plannedPrompts, type DependencySource } from './prompts.ts';
import { chatPromptTokens, tokenizerFor, TOKENS_PER_MESSAGE, TOKENS_PER_REQUEST } from './tokens.ts';

export interface EstimateOptions {
  mode: 'live' | 'batch';
  provider: string;
  model: string;
  concurrency: number;
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  /** The `prices` option. */
  prices?: Readonly<Record<string, Price>> | undefined;
  /** The last run's report, for typical latencies per component. */
  lastRun?: RunReport | undefined;
  /** Set when a real run would not reach this provider (no key): said in the notes. */
  unavailable?: string | undefined;
}

export interface Estimate {
  dryRun: true;
  mode: 'live' | 'batch';
  provider: string;
  model: string;
  plan: {
    materials: number;
    components: number;
    /** Components to generate by their status now (missing, stale, failed, fresh when forced, edited when forced). */
    byStatus: Record<string, number>;
    byComponent: Record<string, number>;
    /** Hand-edited files this run leaves alone. */
    editedKept: number;
  };
  calls: number;
  /** Batch mode: one batch per stage, dependencies first. */
  stages?: Array<{ stage: number; requests: number; components: Record<string, number> }>;
  tokens: {
    prompt: number;
    /** Prompt tokens expected to be served from the provider's prompt cache (included in `prompt`). */
    cached: number;
    completion: number;
    total: number;
    tokenizer: string;
    /** False when the tokenizer is not the model's own: the counts are an estimate. */
    exact: boolean;
    /** For each component, how its completion tokens were estimated. */
    completionSource: Record<string, string>;
    /** Dependencies regenerated first, by what stood in for their content in the prompts. */
    dependencies: Record<DependencySource, number>;
  };
  cost:
    | (Cost & { price: { input: number; cachedInput: number; output: number }; source: string })
    | { usd: null; reason: string };
  time:
    | { mode: 'live'; ms: number; limitedBy: string; bounds: Record<string, number>; latencySource: Record<string, string> }
    | { mode: 'batch'; stages: number; windowHours: number; note: string };
  notes: string[];
}

/** Share of a component's maxTokens assumed for an answer when no answer of it was recorded yet. */
export const DEFAULT_COMPLETION_SHARE = 0.5;
/** Recorded answers needed before their median is trusted over the maxTokens share. */
const MIN_SAMPLES = 3;
/** Providers that cache a repeated prompt prefix automatically (1024-token minimum, 128-token steps). */
const PROMPT_CACHING: ReadonlySet<string> = new Set(['openai', 'deepseek', 'xai', 'gemini']);
const CACHE_MINIMUM = 1024;
const CACHE_STEP = 128;
/** Assumed latency when none was measured: a fixed overhead plus the answer written at about 65 tokens/s. */
const ASSUMED_OVERHEAD_MS = 800;
const ASSUMED_MS_PER_TOKEN = 15;

/**
 * Estimates a run without calling anything: the plan, calls, prompt tokens counted with a real
 * tokenizer over the prompts the run would send, expected completion tokens, cost from the
 * price table, and time at the configured limits (live) or the stages (Batch API).
 */
export function estimateRun(input: { catalog: Catalog; site: SiteSettings }, plan: Plan, options: EstimateOptions): Estimate {
  const notes: string[] = [];
  const offline = options.provider === 'offline';
  const tokenizer = tokenizerFor(options.provider, options.model);
  const prompts = offline ? [] : plannedPrompts(input.catalog, plan, input.site);

  const byStatus: Record<string, number> = {};
  const byComponent: Record<string, number> = {};
  for (const item of plan.todo) {
    byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
    byComponent[item.component.name] = (byComponent[item.component.name] ?? 0) + 1;
  }

  const dependencies: Record<DependencySource, number> = { 'current file': 0, 'offline draft': 0, unavailable: 0 };
  const completionSource: Record<string, string> = {};
  const perCall = new Map<string, number>();
  const systemTokens = new Map<string, number>();
  const callsByComponent = new Map<string, number>();
  let prompt = 0;
  let completion = 0;
  for (const p of prompts) {
    const name = p.item.component.name;
    prompt += chatPromptTokens(tokenizer, p.system, p.user);
    if (!systemTokens.has(name)) systemTokens.set(name, tokenizer.count(p.system) + TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST);
    if (!perCall.has(name)) {
      const expected = expectedCompletion(plan, p.item.component, options.provider, options.model);
      perCall.set(name, expected.tokens);
      completionSource[name] = expected.source;
    }
    completion += perCall.get(name)!;
    callsByComponent.set(name, (callsByComponent.get(name) ?? 0) + 1);
    for (const dep of p.estimatedDependencies) dependencies[dep.source]++;
  }
  // The shared system prompt of a component is cached after its first call, where the provider caches.
  let cached = 0;
  if (PROMPT_CACHING.has(options.provider)) {
    for (const [name, calls] of callsByComponent) {
      const system = systemTokens.get(name)!;
      if (system >= CACHE_MINIMUM) cached += (calls - 1) * Math.floor(system / CACHE_STEP) * CACHE_STEP;
    }
  }
  const calls = prompts.length;
  const usage = { promptTokens: prompt, cachedTokens: cached, completionTokens: completion };

  const price = priceFor(options.provider, options.model, options.prices);
  const cost: Estimate['cost'] = price
    ? { ...costOf(price, usage, options.mode), price: { input: price.input, cachedInput: price.cachedInput, output: price.output }, source: price.source }
    : { usd: null, reason: `no price known for ${options.provider}/${options.model}: add it to the \`prices\` option (USD per 1M input, cachedInput and output tokens)` };
  if (options.mode === 'batch' && price && price.batchDiscount === undefined) notes.push(`No Batch API discount is known for ${options.provider}: the cost is at live prices.`);

  if (!tokenizer.exact && !offline) notes.push(`Token counts use ${tokenizer.note}.`);
  if (dependencies['current file'] + dependencies['offline draft'] > 0) {
    notes.push(
      `Prompts of components whose dependencies are regenerated first use the dependencies' current files (${dependencies['current file']}) or, where there is none, the offline writer's drafts (${dependencies['offline draft']}) in place of the new content.`,
    );
  }
  notes.push('Calls and tokens count one answer per component: retries and re-asks after an invalid answer would add to them.');
  if (options.unavailable) notes.push(`${options.unavailable}: a run now would use the offline writer (no calls); this estimate is for ${options.provider} (${options.model}).`);

  const stages = options.mode === 'batch' ? batchStages(plan, prompts.map((p) => p.item)) : undefined;
  const time: Estimate['time'] =
    options.mode === 'batch'
      ? {
          mode: 'batch',
          stages: stages!.length,
          windowHours: 24,
          note: `${stages!.length} batch(es), one after another; each completes within the provider's 24-hour window, usually much sooner`,
        }
      : liveTime(plan, prompts.map((p) => p.item), perCall, options, prompt + completion);

  return {
    dryRun: true,
    mode: options.mode,
    provider: options.provider,
    model: options.model,
    plan: {
      materials: new Set(plan.todo.map((i) => i.material.slug)).size,
      components: plan.todo.length,
      byStatus,
      byComponent,
      editedKept: plan.items.filter((i) => i.status === 'edited' && !i.generate).length,
    },
    calls,
    ...(stages ? { stages } : {}),
    tokens: { prompt, cached, completion, total: prompt + completion, tokenizer: tokenizer.note, exact: tokenizer.exact, completionSource, dependencies },
    cost,
    time,
    notes,
  };
}

/** Completion tokens expected for one answer of a component: the median of recorded answers, else a share of maxTokens. */
export function expectedCompletion(plan: Plan, component: ComponentDefinition, provider: string, model: string): { tokens: number; source: string } {
  const recorded = plan.items
    .filter((i) => i.component.name === component.name)
    .map((i) => i.file?.provenance)
    .filter((p) => (p?.mode === 'live' || p?.mode === 'batch') && (p.usage?.completionTokens ?? 0) > 0);
  const same = recorded.filter((p) => p!.provider === provider && p!.model === model);
  for (const [samples, whose] of [[same, `${provider} ${model}`], [recorded, 'any model']] as const) {
    if (samples.length >= MIN_SAMPLES) {
      return { tokens: median(samples.map((p) => p!.usage!.completionTokens)), source: `median of ${samples.length} recorded answers (${whose})` };
    }
  }
  const maxTokens = component.llm!.maxTokens;
  return { tokens: Math.round(maxTokens * DEFAULT_COMPLETION_SHARE), source: `${DEFAULT_COMPLETION_SHARE * 100}% of maxTokens ${maxTokens} (no recorded answers)` };
}

/** The Batch API's stages: an llm component goes one stage after the llm components it depends on. */
export function batchStages(plan: Plan, llmItems: readonly PlanItem[]): Array<{ stage: number; requests: number; components: Record<string, number> }> {
  const generating = new Set(plan.todo.map((i) => i.key));
  const memo = new Map<string, number>();
  const stageOf = (item: PlanItem): number => {
    let stage = memo.get(item.key);
    if (stage !== undefined) return stage;
    const deps = item.component.dependsOn.map((name) => plan.byKey.get(`${item.material.slug}/${name}`)!).filter((d) => generating.has(d.key));
    stage = Math.max(0, ...deps.map(stageOf)) + (item.component.llm ? 1 : 0);
    memo.set(item.key, stage);
    return stage;
  };
  const stages = new Map<number, Record<string, number>>();
  for (const item of llmItems) {
    const row = stages.get(stageOf(item)) ?? {};
    row[item.component.name] = (row[item.component.name] ?? 0) + 1;
    stages.set(stageOf(item), row);
  }
  return [...stages.keys()]
    .sort((a, b) => a - b)
    .map((stage, index) => ({ stage: index + 1, requests: Object.values(stages.get(stage)!).reduce((a, b) => a + b, 0), components: stages.get(stage)! }));
}

/**
 * Time for a live run: the largest of the work spread over the concurrency, the requests and
 * tokens per minute, and the longest chain of dependent calls of one material.
 */
function liveTime(plan: Plan, llmItems: readonly PlanItem[], perCall: ReadonlyMap<string, number>, options: EstimateOptions, tokens: number): Extract<Estimate['time'], { mode: 'live' }> {
  const latencySource: Record<string, string> = {};
  const latency = new Map<string, number>();
  for (const item of llmItems) {
    const name = item.component.name;
    if (latency.has(name)) continue;
    const measured = measuredLatency(options.lastRun, name, options.provider, options.model);
    if (measured) {
      latency.set(name, measured.ms);
      latencySource[name] = `median of ${measured.samples} calls in the last run`;
    } else {
      latency.set(name, ASSUMED_OVERHEAD_MS + ASSUMED_MS_PER_TOKEN * (perCall.get(name) ?? 0));
      latencySource[name] = `assumed ${ASSUMED_OVERHEAD_MS} ms + ${ASSUMED_MS_PER_TOKEN} ms per completion token`;
    }
  }
  const work = llmItems.reduce((sum, item) => sum + latency.get(item.component.name)!, 0);
  const generating = new Set(llmItems.map((i) => i.key));
  const done = new Map<string, number>();
  const finishOf = (item: PlanItem): number => {
    let at = done.get(item.key);
    if (at !== undefined) return at;
    const deps = item.component.dependsOn.map((name) => plan.byKey.get(`${item.material.slug}/${name}`)!);
    at = Math.max(0, ...deps.map(finishOf)) + (generating.has(item.key) ? latency.get(item.component.name)! : 0);
    done.set(item.key, at);
    return at;
  };
  const bounds: Record<string, number> = {
    concurrency: work / Math.max(1, options.concurrency),
    'dependency chain': Math.max(0, ...llmItems.map(finishOf)),
  };
  if (options.requestsPerMinute) bounds.requestsPerMinute = (llmItems.length / options.requestsPerMinute) * 60_000;
  if (options.tokensPerMinute) bounds.tokensPerMinute = (tokens / options.tokensPerMinute) * 60_000;
  const [limitedBy, ms] = Object.entries(bounds).reduce((a, b) => (b[1] > a[1] ? b : a));
  return { mode: 'live', ms: Math.round(ms), limitedBy, bounds: Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, Math.round(v)])), latencySource };
}

function measuredLatency(report: RunReport | undefined, component: string, provider: string, model: string): { ms: number; samples: number } | undefined {
  if (!report || report.mode !== 'live' || report.provider !== provider || report.model !== model) return undefined;
  const samples = report.items.filter((i) => i.component === component && i.calls === 1 && (i.outcome === 'written' || i.outcome === 'unchanged')).map((i) => i.durationMs);
  return samples.length >= MIN_SAMPLES ? { ms: median(samples), samples: samples.length } : undefined;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The estimate for a person: what would be generated, and what it would take. */
export function formatEstimate(e: Estimate): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const statuses = Object.entries(e.plan.byStatus).map(([s, c]) => `${c} ${s}`).join(', ');
  const lines = [
    `Dry run, nothing was called: ${e.mode === 'batch' ? 'Batch API' : 'live'} run with ${e.provider} (${e.model}).`,
    `Plan: ${e.plan.components} component(s) of ${e.plan.materials} material(s) to generate${statuses ? ` (${statuses})` : ''}; ${e.plan.editedKept} hand-edited file(s) kept.`,
  ];
  if (e.plan.components > 0) lines.push(`  by component: ${Object.entries(e.plan.byComponent).map(([c, k]) => `${c} ${k}`).join(', ')}`);
  lines.push(`Calls: ${n(e.calls)}${e.stages ? ` in ${e.stages.length} stage(s): ${e.stages.map((s) => `${s.stage}) ${n(s.requests)}`).join(', ')}` : ''}.`);
  if (e.calls > 0) {
    lines.push(`Prompt tokens: ${n(e.tokens.prompt)}${e.tokens.cached ? ` (${n(e.tokens.cached)} expected from the prompt cache)` : ''}; tokenizer ${e.tokens.tokenizer}.`);
    lines.push(`Completion tokens: ${n(e.tokens.completion)}, from ${describeSources(e.tokens.completionSource)}.`);
  }
  if (e.cost.usd === null) lines.push(`Cost: unknown, ${e.cost.reason}.`);
  else {
    const p = e.cost.price;
    const discount = e.cost.batchDiscount ? `, Batch API ${Math.round(e.cost.batchDiscount * 100)}% off` : '';
    lines.push(`Cost: $${e.cost.usd.toFixed(e.cost.usd < 1 ? 4 : 2)} at $${p.input} input / $${p.cachedInput} cached / $${p.output} output per 1M tokens${discount} (${e.cost.source}).`);
  }
  if (e.time.mode === 'live') {
    lines.push(`Time: about ${formatDuration(e.time.ms)}, limited by ${e.time.limitedBy} (latency: ${describeSources(e.time.latencySource)}).`);
  } else {
    lines.push(`Time: ${e.time.note}.`);
  }
  for (const note of e.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}

/** "text: median of 109 recorded answers; bullets, tags: 50% of maxTokens" grouped by source. */
function describeSources(sources: Record<string, string>): string {
  const bySource = new Map<string, string[]>();
  for (const [component, source] of Object.entries(sources)) bySource.set(source, [...(bySource.get(source) ?? []), component]);
  return [...bySource].map(([source, components]) => `${components.join(', ')}: ${source}`).join('; ') || 'nothing to estimate';
}

export type { ResolvedPrice };
