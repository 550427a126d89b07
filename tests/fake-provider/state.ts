// What the request handlers share: options, counters and the provider's memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PromptCache } from './completion.ts';
import { sendError } from './http.ts';
import { hashHex } from './random.ts';
import { SlidingWindow, WINDOW_MS } from './rate-limit.ts';
import { countFault, createStats } from './stats.ts';
import type { FakeProviderOptions, FakeProviderStats } from './types.ts';

export interface ProviderState {
  options: FakeProviderOptions;
  stats: FakeProviderStats;
  promptCache: PromptCache;
  /** How many times each exact request body was seen (by hash). */
  attempts: Map<string, number>;
  /** Hashes of request bodies answered validly, to count duplicate calls. */
  answered: Set<string>;
  windows: { requests: SlidingWindow; tokens: SlidingWindow };
}

export function createState(options: FakeProviderOptions): ProviderState {
  const length = () => state.options.rateLimitWindowMs ?? WINDOW_MS;
  const state: ProviderState = {
    options: { ...options },
    stats: createStats(),
    promptCache: new PromptCache(),
    attempts: new Map(),
    answered: new Set(),
    windows: { requests: new SlidingWindow(length), tokens: new SlidingWindow(length) },
  };
  return state;
}

export function forget(state: ProviderState): void {
  state.attempts.clear();
  state.answered.clear();
  state.promptCache.seen.clear();
  state.windows.requests.clear();
  state.windows.tokens.clear();
}

/** 1 the first time this body is seen, then 2, 3, ... */
export function nextAttempt(state: ProviderState, key: string): number {
  const hash = hashHex(key);
  const attempt = (state.attempts.get(hash) ?? 0) + 1;
  state.attempts.set(hash, attempt);
  return attempt;
}

/** Records a valid answer to this body; true when the body had been answered validly before. */
export function answeredBefore(state: ProviderState, key: string): boolean {
  const hash = hashHex(key);
  if (state.answered.has(hash)) return true;
  state.answered.add(hash);
  return false;
}

export function echoTarget(state: ProviderState, req: IncomingMessage): IncomingMessage | undefined {
  return state.options.echoRequestInErrors ? req : undefined;
}

/**
 * Records the Authorization header and applies `authFailure` and `apiKey`. Sends the error and
 * returns false when the request may not go on; `countFaults` is set for chat requests.
 */
export function authorize(state: ProviderState, req: IncomingMessage, res: ServerResponse, countFaults: boolean): boolean {
  const header = req.headers.authorization;
  if (header !== undefined) state.stats.authorizationHeaders.add(header);
  const { authFailure, apiKey } = state.options;
  const echo = echoTarget(state, req);
  if (authFailure === 403) {
    if (countFaults) countFault(state.stats, '403');
    sendError(res, 403, { message: 'You are not allowed to sample from this model.', type: 'invalid_request_error', code: 'permission_denied' }, { echo });
    return false;
  }
  if (authFailure === 401 || (apiKey !== undefined && header !== `Bearer ${apiKey}`)) {
    if (countFaults) countFault(state.stats, '401');
    const message = header === undefined ? "You didn't provide an API key." : 'Incorrect API key provided.';
    sendError(res, 401, { message, type: 'invalid_request_error', code: 'invalid_api_key' }, { echo });
    return false;
  }
  return true;
}

/** Whether the model is unknown under `knownModels` / `unknownModels`. */
export function unknownModel(state: ProviderState, model: string): boolean {
  const { knownModels, unknownModels } = state.options;
  if (unknownModels?.includes(model)) return true;
  return knownModels !== undefined && !knownModels.includes(model);
}

export const DEFAULT_MODELS = ['fake-chat', 'fake-chat-mini'];
