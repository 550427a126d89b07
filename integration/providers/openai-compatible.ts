import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { draftJsonSchema } from '../components/prompt.ts';
import type { Usage } from '../store/provenance.ts';
import type { ProviderProfile } from './registry.ts';
import { DraftRejectedError, FatalProviderError, NotStartedError, type CallGate, type DraftRequest, type DraftResult, type Provider } from './types.ts';

export interface OpenAiCompatibleOptions {
  profile: ProviderProfile;
  apiKey: string;
  baseURL: string;
  model: string;
  /** Re-asks after an invalid answer before the component is recorded as failed. */
  maxReasks?: number;
  /** Attempts for transient failures (429, 5xx, timeouts, dropped connections). */
  maxAttempts?: number;
  /** Deadline for one call, headers and body. */
  callTimeoutMs?: number;
  /** Base of the exponential backoff. */
  backoffMs?: number;
  /** The engine's limits for this provider (concurrency, requests and tokens per minute). */
  gate?: CallGate;
  /** Per-call deadline for a component, adapted to the latencies seen so far. */
  deadline?: (component: string) => number;
  /** Reports each answered call's latency, for the adaptive deadline. */
  observeLatency?: (component: string, ms: number) => void;
  /** Reports a call given up at its deadline, so the deadline can widen when answers slow down. */
  deadlinePassed?: (component: string) => void;
  /** OpenAI's service tier (e.g. "flex": cheaper, slower), sent when set. */
  serviceTier?: 'auto' | 'default' | 'flex' | undefined;
  /** Registers a call in flight, so it can be given up when its deadline tightens or as a straggler at the tail; returns the untrack function. */
  trackCall?: (component: string, abort: (why: 'deadline' | 'straggler') => void) => () => void;
}

/** A failure worth retrying, with how long the provider asked us to wait. */
class TransientError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly headers: Headers | undefined;
  constructor(message: string, retryAfterMs?: number, status?: number, headers?: Headers) {
    super(message);
    this.retryAfterMs = retryAfterMs;
    this.status = status;
    this.headers = headers;
  }
}

/**
 * Any OpenAI-compatible chat completions endpoint through the official client. Asks for the
 * component's JSON schema (or a JSON object where the provider has no schema mode), validates
 * the answer with the component's zod schema, re-asks with the errors a bounded number of
 * times, and never accepts a truncated answer.
 */
export function openAiCompatibleProvider(options: OpenAiCompatibleOptions): Provider {
  const maxReasks = options.maxReasks ?? 2;
  const maxAttempts = options.maxAttempts ?? 6;
  const callTimeoutMs = options.callTimeoutMs ?? 45_000;
  const backoffMs = options.backoffMs ?? 500;
  // Our own retry layer handles retries, so the client's is off; its timeout is a backstop.
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: callTimeoutMs });

  async function call(request: DraftRequest, messages: ChatCompletionMessageParam[], maxTokens: number) {
    const timeout = Math.min(callTimeoutMs, options.deadline?.(request.component.name) ?? callTimeoutMs);
    // One controller per call, aborted by whichever comes first: the deadline, the run's own
    // abort (a second Ctrl-C), or the straggler rule. (Cheaper than combining three signals.)
    const controller = new AbortController();
    let why: 'deadline' | 'straggler' | undefined;
    const timer = setTimeout(() => {
      why ??= 'deadline';
      controller.abort();
    }, timeout);
    const onRunAbort = () => controller.abort();
    if (request.signal.aborted) controller.abort();
    else request.signal.addEventListener('abort', onRunAbort, { once: true });
    const started = performance.now();
    const untrack = options.trackCall?.(request.component.name, (reason) => {
      why ??= reason;
      controller.abort();
    });
    try {
      const { data, response } = await client.chat.completions
        .create(
          {
            ...chatCompletionParams(options.profile, options.model, request.component, messages, maxTokens),
            ...(options.serviceTier ? { service_tier: options.serviceTier } : {}),
          },
          { signal: controller.signal, timeout },
        )
        .withResponse();
      options.observeLatency?.(request.component.name, performance.now() - started);
      return { data, headers: response.headers };
    } catch (error) {
      if ((why === 'deadline' || error instanceof APIConnectionTimeoutError) && !request.signal.aborted) {
        options.deadlinePassed?.(request.component.name);
      }
      throw classify(error, request.signal, why === 'straggler');
    } finally {
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onRunAbort);
      untrack?.();
    }
  }

  /** One HTTP call through the gate, which holds it to the provider's limits and learns from the answer. */
  async function gated(request: DraftRequest, messages: ChatCompletionMessageParam[], maxTokens: number, first: boolean, hold: Hold) {
    const reserved = Math.ceil(messages.reduce((n, m) => n + String(m.content ?? '').length, 0) / 4) + maxTokens;
    const run = () => call(request, messages, maxTokens);
    // A draft not yet begun does not start once the run is stopping; one already begun finishes.
    const mayStart = first && request.stop ? () => !request.stop!.aborted : undefined;
    const gate = options.gate;
    if (!gate) {
      if (mayStart && !mayStart()) throw new NotStartedError();
      return (await run()).data;
    }
    try {
      const { data, headers } = await gate.run(reserved, run, request.signal, mayStart, () => hold.promise);
      gate.succeeded(reserved, (data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0), headers);
      return data;
    } catch (error) {
      if (error instanceof TransientError && error.status === 429) gate.rateLimited(error.retryAfterMs, error.headers);
      else if (!(error instanceof NotStartedError)) gate.failed();
      throw error;
    }
  }

  return {
    id: options.profile.id,
    model: options.model,
    mode: 'live',
    async ping() {
      const started = performance.now();
      try {
        const response = await client.chat.completions.create(
          { model: options.model, messages: [{ role: 'user', content: 'Reply with the single word OK.' }], max_tokens: 5 },
          { signal: AbortSignal.timeout(callTimeoutMs) },
        );
        return { model: response.model || options.model, latencyMs: Math.round(performance.now() - started) };
      } catch (error) {
        const classified = classify(error, new AbortController().signal);
        throw classified instanceof FatalProviderError ? classified : new Error(`the check call failed: ${classified.message}`);
      }
    },
    async write(request: DraftRequest): Promise<DraftResult> {
      const llm = request.component.llm!;
      const usage: Usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ];
      let maxTokens = llm.maxTokens;
      let calls = 0;
      let lastProblem = '';
      for (let ask = 0; ask <= maxReasks; ask++) {
        let response: OpenAI.Chat.Completions.ChatCompletion | undefined;
        // The answer keeps its call slot until it is refused here or, accepted, written by the caller.
        const hold = createHold();
        for (let attempt = 1; ; attempt++) {
          calls++;
          try {
            response = await gated(request, messages, maxTokens, calls === 1, hold);
            break;
          } catch (error) {
            if (!(error instanceof TransientError) || attempt >= maxAttempts || request.signal.aborted) {
              if (error instanceof FatalProviderError || error instanceof NotStartedError || (error instanceof Error && error.name === 'BudgetSpentError')) throw error;
              throw new DraftRejectedError(error instanceof Error ? error.message : String(error), calls, usage);
            }
            if (error.retryAfterMs !== 0) await sleep(retryDelay(attempt, backoffMs, error.retryAfterMs), request.signal);
          }
        }
        addResponseUsage(usage, response);
        const choice = response.choices?.[0];
        const content = choice?.message?.content ?? '';
        const size = answerSizeProblem(choice?.finish_reason, content, response.usage?.completion_tokens ?? 0, maxTokens);
        if (size) hold.release();
        if (size === 'truncated') {
          lastProblem = `the answer was cut off at ${maxTokens} tokens (finish_reason "length")`;
          maxTokens = Math.ceil(maxTokens * 1.5);
          continue;
        }
        if (size) {
          // Refused unread and not sent back with the re-ask, where it would be paid for again as prompt tokens.
          lastProblem = size;
          messages.push({ role: 'user', content: `Your answer was ${content.length} characters long, far over the limit. Answer again, within ${maxTokens} tokens, with one JSON object that satisfies the schema.` });
          continue;
        }
        let problem: ReturnType<typeof validateAnswer>;
        try {
          problem = validateAnswer(content, request);
        } catch (error) {
          hold.release();
          throw error;
        }
        if (problem.ok) return { draft: problem.draft, usage, model: response.model || options.model, calls, release: hold.release };
        hold.release();
        lastProblem = problem.reason;
        messages.push({ role: 'assistant', content }, {
          role: 'user',
          content: `That answer cannot be used: ${problem.reason}. Answer again with one JSON object that satisfies the schema.`,
        });
      }
      throw new DraftRejectedError(`rejected after ${maxReasks + 1} answers: ${lastProblem}`, calls, usage);
    },
  };
}

/**
 * The chat completion request for one component, shared by live calls and Batch API lines so
 * both ask exactly the same question.
 */
export function chatCompletionParams(
  profile: Pick<ProviderProfile, 'structuredOutput'>,
  model: string,
  component: DraftRequest['component'],
  messages: ChatCompletionMessageParam[],
  maxTokens: number,
) {
  const responseFormat =
    profile.structuredOutput === 'json_schema'
      ? { type: 'json_schema' as const, json_schema: { name: component.name, schema: draftJsonSchema(component), strict: false } }
      : { type: 'json_object' as const };
  return { model, messages, max_tokens: maxTokens, temperature: component.llm!.temperature, response_format: responseFormat };
}

/**
 * Whether an answer's size makes it unusable: 'truncated' when the provider cut it off at the
 * budget (finish_reason "length"), a reason when it is far longer than asked (a provider that
 * ignores max_tokens), undefined when its size is fine. One rule for the live and batch paths.
 */
export function answerSizeProblem(finishReason: string | null | undefined, content: string, completionTokens: number, maxTokens: number): 'truncated' | string | undefined {
  if (finishReason === 'length') return 'truncated';
  if (completionTokens > maxTokens * 2 || content.length > maxTokens * 8) {
    return `the answer was ${content.length} characters (${completionTokens} tokens), far over the ${maxTokens} tokens asked for`;
  }
  return undefined;
}

/** Checks an answer: JSON, then the component's draft schema, then the caller's review. */
export function validateAnswer(content: string, request: Pick<DraftRequest, 'component' | 'review'>): { ok: true; draft: unknown } | { ok: false; reason: string } {
  if (content.trim() === '') return { ok: false, reason: 'the answer was empty' };
  let json: unknown;
  try {
    json = JSON.parse(stripFence(content));
  } catch {
    return { ok: false, reason: 'the answer is not valid JSON' };
  }
  const parsed = request.component.llm!.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `schema violations: ${issues.join('; ')}` };
  }
  const rejected = request.review?.(parsed.data);
  if (rejected) return { ok: false, reason: rejected };
  return { ok: true, draft: parsed.data };
}

function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n```\s*$/.exec(text);
  return fenced ? fenced[1]! : text;
}

function addResponseUsage(usage: Usage, response: OpenAI.Chat.Completions.ChatCompletion): void {
  const u = response.usage as (OpenAI.CompletionUsage & { prompt_cache_hit_tokens?: number }) | undefined;
  if (!u) return;
  usage.promptTokens += u.prompt_tokens ?? 0;
  usage.completionTokens += u.completion_tokens ?? 0;
  usage.cachedTokens += u.prompt_tokens_details?.cached_tokens ?? u.prompt_cache_hit_tokens ?? 0;
}

interface Hold {
  promise: Promise<void>;
  release: () => void;
}

function createHold(): Hold {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

/** Sorts a client error into fatal (stop the run), transient (retry) or a plain failure. */
function classify(error: unknown, runSignal: AbortSignal, straggler = false): Error {
  if (error instanceof APIUserAbortError || (error instanceof Error && error.name === 'AbortError')) {
    if (runSignal.aborted) return new Error('the run was aborted');
    return straggler ? new TransientError('a straggler was given up while slots were idle', 0) : new TransientError('the call passed its deadline');
  }
  if (error instanceof APIConnectionTimeoutError) return new TransientError('the call timed out');
  if (error instanceof APIConnectionError) return new TransientError('the connection failed');
  if (error instanceof APIError) {
    const status = error.status;
    if (status === 401 || status === 403) {
      return new FatalProviderError(`the provider refused the API key (HTTP ${status}): check the key variable and its permissions`);
    }
    if (status === 404) return new FatalProviderError('the provider does not know this model or endpoint (HTTP 404): check `model` and the base URL');
    if (status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500)) {
      return new TransientError(`HTTP ${status}`, retryAfter(error.headers), status, error.headers);
    }
    return new Error(`HTTP ${status ?? '?'} from the provider`);
  }
  if (error instanceof SyntaxError) return new TransientError('the response body was not valid JSON');
  return new TransientError(error instanceof Error ? error.message : String(error));
}

/** Milliseconds the provider asked us to wait, from `retry-after-ms` or `retry-after`. */
export function retryAfter(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with full jitter, never shorter than what the provider asked for. */
export function retryDelay(attempt: number, baseMs: number, retryAfterMs: number | undefined): number {
  const exponential = Math.min(30_000, baseMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + Math.random() * (exponential / 2);
  return Math.max(retryAfterMs ?? 0, jittered);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
