// Public types of the fake OpenAI-compatible provider.

/** What a `respond` hook sees for one chat completion (or one batch line). */
export interface RespondContext {
  /** From the `Component: <name>` line of the user message, if any. */
  component: string | undefined;
  /** From the `Material: <name>` line of the user message, if any. */
  material: string | undefined;
  /** 1 for the first time this exact request body is seen, 2 for the first retry, ... */
  attempt: number;
  /** The parsed request body. */
  body: Record<string, unknown>;
  /** The JSON Schema the answer should satisfy (from `response_format` or the system prompt), if any. */
  schema: Record<string, unknown> | boolean | undefined;
}

/**
 * Dictates the answer: an object is sent as JSON content, a string verbatim, and undefined
 * falls back to the generated answer. May return a promise. A throw becomes a 500.
 */
export type RespondHook = (context: RespondContext) => unknown;

export interface FakeProviderOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** When set, requests whose `Authorization: Bearer <key>` differs get a 401. */
  apiKey?: string;
  /** Mean added latency per chat request, in ms (default 0). */
  latencyMs?: number;
  /** Spread of the latency as a fraction of the mean (default 0.3). */
  latencyJitter?: number;
  /**
   * Further latency per completion token, in ms (default 0), after `latencyMs`: a model's answer
   * takes longer the longer it is, so `latencyMs` is then the time to the first token.
   */
  latencyPerToken?: number;
  /** Seed for content, faults and latency (default 0). */
  seed?: number | string;
  /** Sliding one-minute request limit; over it -> 429 with retry-after headers. */
  requestsPerMinute?: number;
  /** Sliding one-minute token limit (prompt + completion); over it -> 429. */
  tokensPerMinute?: number;
  /** Length of the "minute" of both limits, in ms (default 60 000): tests scale time down with it. */
  rateLimitWindowMs?: number;
  /** Per-request fault probabilities, drawn in this order from one roll. */
  rate429?: number;
  /** 500, 502 or 503. */
  rate5xx?: number;
  rate408?: number;
  /** Never answers until the client aborts or `hangMs` passes (then the socket is closed). */
  rateHang?: number;
  /** Sends headers and part of the body, then destroys the socket. */
  rateReset?: number;
  /** 200 with a body that is not valid JSON. */
  rateMalformed?: number;
  /** Valid JSON content that violates the requested schema (a required key is missing). */
  rateSchemaViolation?: number;
  /** `finish_reason: "length"` with the content cut inside a string. */
  rateTruncation?: number;
  /** An error status whose JSON body is an array. */
  rateArrayErrorBody?: number;
  /** Content about a hundred times longer than `max_tokens` allows. */
  rateOverlong?: number;
  /** Every request fails with this status. */
  authFailure?: 401 | 403;
  /** These models answer 404 `model_not_found`. */
  unknownModels?: string[];
  /** When set, every other model answers 404 `model_not_found`; also the `/v1/models` list. */
  knownModels?: string[];
  /** Error bodies echo the request headers, Authorization included (to test that clients never log them). */
  echoRequestInErrors?: boolean;
  /** `retry-after-ms` of fault 429s (default 1000). */
  retryAfterMs?: number;
  /** How long a hung request is held before its socket is closed (default 60 000). */
  hangMs?: number;
  respond?: RespondHook;
  /** Time from batch creation to its final status (default 200 ms). */
  batchCompletionDelayMs?: number;
  /** Probability that a batch line ends in the error file. */
  batchLineErrorRate?: number;
  /** Batches end `expired`, with about half of their lines answered. */
  batchExpire?: boolean;
}

/** Fault counters, keyed by fault: '429', '500', '502', '503', '408', 'hang', 'reset', 'malformed',
 * 'schemaViolation', 'truncation', 'arrayErrorBody', 'overlong', '401', '403', 'modelNotFound',
 * 'rateLimitRequests', 'rateLimitTokens', 'badRequest', 'hookError'. */
export type FaultCounts = Record<string, number>;

export interface FakeProviderStats {
  /** HTTP requests to /v1/chat/completions. */
  requests: number;
  /** Chat requests answered 200 with a valid answer (no content fault). */
  succeeded: number;
  /** Valid answers to a request body that had already been answered validly once: calls a client made twice. */
  duplicateAnswers: number;
  faults: FaultCounts;
  /** Usage summed over valid answers: successful chat completions and successful batch lines. */
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Valid answers (chat and batch lines) by the `Component:` and `Material:` of the prompt. */
  byComponent: Record<string, number>;
  byMaterial: Record<string, number>;
  /** Chat requests currently being handled, and the peak. */
  inFlight: number;
  maxInFlight: number;
  batchesCreated: number;
  filesUploaded: number;
  /** Lines in the input files of created batches. */
  batchLines: number;
  /** Batch lines written to an output file with status 200, and those written to an error file. */
  batchLinesSucceeded: number;
  batchLinesFailed: number;
  /** Every distinct Authorization header value seen, on any endpoint. */
  authorizationHeaders: Set<string>;
}

export interface FakeProvider {
  /** Base URL, ending in `/v1`. */
  readonly url: string;
  readonly port: number;
  /** Live counters; `reset()` clears them in place. */
  readonly stats: FakeProviderStats;
  /** Clears the stats; with `{ memory: true }` also forgets retry counts, the prompt cache and rate-limit windows. */
  reset(options?: { memory?: boolean }): void;
  /** Changes options (faults, latency, limits, hook) from now on. */
  setOptions(options: Partial<FakeProviderOptions>): void;
  readonly options: Readonly<FakeProviderOptions>;
  /** Stops listening and destroys every open socket, hung ones included. */
  close(): Promise<void>;
}
