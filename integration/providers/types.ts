import type { ComponentDefinition, ComponentContext } from '../components/define.ts';
import type { Usage } from '../store/provenance.ts';

/** One llm component to write for one material. */
export interface DraftRequest {
  component: ComponentDefinition;
  context: ComponentContext<unknown>;
  material: string;
  /** Byte-identical for every material of a component, so providers can cache it. */
  system: string;
  /** The material-specific part. */
  user: string;
  signal: AbortSignal;
  /** Once aborted, the draft's first call does not start (the run is stopping); later calls of a draft already begun do. */
  stop?: AbortSignal | undefined;
  /** Checks a schema-valid draft as it would be written; returns the reason to reject it, if any. */
  review?: (draft: unknown) => string | undefined;
}

export interface DraftResult {
  /** Already validated against the component's draft schema. */
  draft: unknown;
  usage: Usage;
  model: string;
  /** Calls made for this draft, retries and re-asks included. */
  calls: number;
  /**
   * Frees the call slot the accepted answer still holds. The caller calls it once the draft is
   * written or given up, so that a run killed at any moment loses at most one answer per slot.
   */
  release?: () => void;
}

export interface Provider {
  /** `offline`, `openai`, `deepseek`, ... */
  id: string;
  model: string;
  mode: 'offline' | 'live';
  write(request: DraftRequest): Promise<DraftResult>;
  /** One minimal real call, to check the key, the model and the endpoint. */
  ping?(): Promise<{ model: string; latencyMs: number }>;
}

/** A failure that no retry can fix (bad key, unknown model): the run stops at once. */
export class FatalProviderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalProviderError';
  }
}

/** The model's answer could not be used for this component; the component is recorded as failed. */
export class DraftRejectedError extends Error {
  readonly calls: number;
  readonly usage: Usage;
  constructor(message: string, calls: number, usage: Usage) {
    super(message);
    this.name = 'DraftRejectedError';
    this.calls = calls;
    this.usage = usage;
  }
}

/** A draft whose first call had not started when the run began stopping: left for the next run. */
export class NotStartedError extends Error {
  constructor() {
    super('the run was stopped before this call started');
    this.name = 'NotStartedError';
  }
}

/**
 * What a provider asks before each HTTP call and tells after it: the engine's view of the
 * provider's limits (concurrency, requests and tokens per minute), adapted from what the
 * provider answers.
 */
export interface CallGate {
  /**
   * Runs one call when the limits allow it; `tokens` is the call's reservation (prompt estimate
   * + max tokens). `mayStart`, asked when a slot is free, can refuse to start the call;
   * `holdAfter`, asked when it succeeded, can keep the slot taken until a promise settles.
   */
  run<T>(tokens: number, call: () => Promise<T>, signal: AbortSignal, mayStart?: () => boolean, holdAfter?: () => Promise<void> | undefined): Promise<T>;
  /** After a successful answer: the real token use and the rate-limit headers, if any. */
  succeeded(reservedTokens: number, usedTokens: number, headers: Headers | undefined): void;
  /** After a 429, with how long the provider asked to wait and its rate-limit headers. */
  rateLimited(retryAfterMs: number | undefined, headers: Headers | undefined): void;
  /** After a call that failed for another reason (5xx, timeout): counts toward the recent error rate. */
  failed(): void;
}
