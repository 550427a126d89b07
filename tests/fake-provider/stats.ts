// The provider's live counters.
import type { FakeProviderStats } from './types.ts';

export function createStats(): FakeProviderStats {
  return {
    requests: 0,
    succeeded: 0,
    duplicateAnswers: 0,
    faults: {},
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    byComponent: {},
    byMaterial: {},
    inFlight: 0,
    maxInFlight: 0,
    batchesCreated: 0,
    filesUploaded: 0,
    batchLines: 0,
    batchLinesSucceeded: 0,
    batchLinesFailed: 0,
    authorizationHeaders: new Set(),
  };
}

/** Zeroes the counters in place, so that references to the object stay valid. `inFlight` is live state and is kept. */
export function resetStats(stats: FakeProviderStats): void {
  const inFlight = stats.inFlight;
  const fresh = createStats();
  for (const key of ['faults', 'byComponent', 'byMaterial'] as const) {
    for (const k of Object.keys(stats[key])) delete stats[key][k];
  }
  stats.authorizationHeaders.clear();
  const { faults: _f, byComponent: _c, byMaterial: _m, authorizationHeaders: _a, ...numbers } = fresh;
  Object.assign(stats, numbers);
  stats.inFlight = inFlight;
  stats.maxInFlight = inFlight;
}

export function countFault(stats: FakeProviderStats, fault: string): void {
  stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
}

export interface AnswerUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

/** Records one valid answer (chat completion or batch line). */
export function countAnswer(stats: FakeProviderStats, usage: AnswerUsage, component: string | undefined, material: string | undefined): void {
  stats.promptTokens += usage.prompt_tokens;
  stats.completionTokens += usage.completion_tokens;
  stats.cachedTokens += usage.prompt_tokens_details.cached_tokens;
  if (component !== undefined) stats.byComponent[component] = (stats.byComponent[component] ?? 0) + 1;
  if (material !== undefined) stats.byMaterial[material] = (stats.byMaterial[material] ?? 0) + 1;
}

/** One line: counts and token totals, never any key. */
export function summarizeStats(stats: FakeProviderStats): string {
  const faults = Object.entries(stats.faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `requests=${stats.requests}`,
    `succeeded=${stats.succeeded}`,
    `faults{${faults}}`,
    `promptTokens=${stats.promptTokens}`,
    `completionTokens=${stats.completionTokens}`,
    `cachedTokens=${stats.cachedTokens}`,
    `maxInFlight=${stats.maxInFlight}`,
    `batches=${stats.batchesCreated}`,
    `batchLines=${stats.batchLines}`,
    `files=${stats.filesUploaded}`,
  ].join(' ');
}
