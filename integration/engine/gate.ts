import PQueue from 'p-queue';
import { FatalProviderError, NotStartedError, type CallGate } from '../providers/types.ts';
import { BudgetSpentError } from './budget.ts';

export interface GateOptions {
  /** The most calls in flight at once; the gate starts there and shrinks on 429s. */
  concurrency: number;
  requestsPerMinute?: number | undefined;
  tokensPerMinute?: number | undefined;
  /** Length of the rate-limit window; one minute unless a benchmark scales time down. */
  windowMs?: number;
  now?: () => number;
  /** Hard cap on calls: the budget's maximum plus the calls that may be in flight when it is reached. */
  maxCalls?: number | undefined;
}

export interface GateStats {
  /** Calls let through so far (retries included). */
  callsStarted: number;
  concurrency: number;
  /** Calls in flight now. */
  inFlight: number;
  /** Sum of every call's time in flight, in milliseconds: how busy the slots were. */
  busyMs: number;
  lowestConcurrency: number;
  rateLimited: number;
  pausedMs: number;
  /** [ms since start, concurrency] at each change. */
  concurrencyTimeline: Array<[number, number]>;
}

/**
 * Holds calls to the provider's limits: a sliding-window request limit and a bounded number of
 * calls in flight (both from p-queue), a token-per-minute budget where each call reserves its
 * estimate and is reconciled with its real use, and additive-increase / multiplicative-decrease
 * concurrency: halved on a 429 (with every call paused for the retry-after), grown by one after
 * each run of successes as long as the provider keeps answering.
 */
export function createCallGate(options: GateOptions): CallGate & { stats: GateStats; spare: () => boolean } {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const started = now();
  const max = Math.max(1, options.concurrency);
  const queue = new PQueue({
    concurrency: max,
    ...(options.requestsPerMinute ? { intervalCap: Math.max(1, Math.floor(options.requestsPerMinute * (windowMs / 60_000))), interval: windowMs, strict: true } : {}),
  });
  const stats: GateStats = { callsStarted: 0, concurrency: max, inFlight: 0, busyMs: 0, lowestConcurrency: max, rateLimited: 0, pausedMs: 0, concurrencyTimeline: [[0, max]] };
  let pausedUntil = 0;
  let refused: FatalProviderError | undefined;
  let successesSinceChange = 0;
  let lastDecrease = -Infinity;
  /** Outcomes of the most recent calls: true for a 429. */
  const recent: boolean[] = [];
  const remember = (was429: boolean) => {
    recent.push(was429);
    if (recent.length > 50) recent.shift();
  };
  const tokenLog: Array<{ at: number; tokens: number }> = [];
  const tokenBudget = options.tokensPerMinute ? options.tokensPerMinute * (windowMs / 60_000) : Infinity;

  const setConcurrency = (n: number) => {
    const next = Math.max(1, Math.min(max, Math.round(n)));
    if (next === stats.concurrency) return;
    stats.concurrency = next;
    stats.lowestConcurrency = Math.min(stats.lowestConcurrency, next);
    stats.concurrencyTimeline.push([now() - started, next]);
    queue.concurrency = next;
    successesSinceChange = 0;
  };

  const tokensInWindow = () => {
    const cutoff = now() - windowMs;
    while (tokenLog.length > 0 && tokenLog[0]!.at <= cutoff) tokenLog.shift();
    return tokenLog.reduce((sum, entry) => sum + entry.tokens, 0);
  };

  const wait = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal.aborted) return resolve();
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });

  return {
    stats,
    /** Whether a slot is free and no call waits for one. */
    spare: () => queue.size === 0 && queue.pending < queue.concurrency,
    run(tokens, call, signal, mayStart, holdAfter) {
      return new Promise<Awaited<ReturnType<typeof call>>>((resolve, reject) => {
        queue
          .add(async () => {
            // Inside the slot: a pause or a spent token budget holds this call, not the others' answers.
            for (;;) {
              const pause = pausedUntil - now();
              if (pause > 0) {
                stats.pausedMs += pause;
                await wait(pause, signal);
                continue;
              }
              if (tokenBudget !== Infinity && tokenLog.length > 0 && tokensInWindow() + tokens > tokenBudget) {
                await wait(Math.max(1, tokenLog[0]!.at + windowMs - now()), signal);
                continue;
              }
              break;
            }
            // After an answer no retry can fix (a refused key, an unknown model), nothing more goes out.
            if (refused) throw refused;
            if (mayStart && !mayStart()) throw new NotStartedError();
            if (options.maxCalls !== undefined && stats.callsStarted >= options.maxCalls) {
              throw new BudgetSpentError(`the call budget is spent (${options.maxCalls} calls including those in flight)`);
            }
            stats.callsStarted++;
            if (tokenBudget !== Infinity) tokenLog.push({ at: now(), tokens });
            stats.inFlight++;
            const callStarted = performance.now();
            let value: Awaited<ReturnType<typeof call>>;
            try {
              value = await call();
            } catch (error) {
              if (error instanceof FatalProviderError) refused ??= error;
              throw error;
            } finally {
              stats.inFlight--;
              stats.busyMs += performance.now() - callStarted;
            }
            resolve(value);
            // The caller may keep the slot until it has used the answer (written it to disk).
            const hold = holdAfter?.();
            if (hold) await hold;
          })
          .catch(reject);
      });
    },
    succeeded(reserved, used, headers) {
      if (tokenBudget !== Infinity && reserved !== used) {
        const entry = [...tokenLog].reverse().find((e) => e.tokens === reserved);
        if (entry) entry.tokens = used;
      }
      const remaining = Number(headers?.get('x-ratelimit-remaining-requests'));
      const reset = parseResetMs(headers?.get('x-ratelimit-reset-requests'));
      if (Number.isFinite(remaining) && remaining <= 0 && reset !== undefined) pausedUntil = Math.max(pausedUntil, now() + reset);
      remember(false);
      successesSinceChange++;
      if (successesSinceChange >= stats.concurrency && stats.concurrency < max) setConcurrency(stats.concurrency + Math.max(1, stats.concurrency * 0.1));
    },
    rateLimited(retryAfterMs, headers) {
      stats.rateLimited++;
      remember(true);
      // A 429 with the window spent (or one of many in a row) is congestion: every call waits
      // out the retry-after and fewer go out at once. An isolated 429 while the headers say
      // there is room is the provider's noise: only that call waits (its own backoff).
      const spent = ['x-ratelimit-remaining-requests', 'x-ratelimit-remaining-tokens'].some((h) => headers?.get(h) === '0');
      // Most of the last ten, or a fifth of a full window: a short run of random 429s is not congestion.
      const share = recent.filter(Boolean).length / Math.max(1, recent.length);
      const frequent = (recent.length >= 10 && share > 0.5) || (recent.length >= 50 && share > 0.2);
      if (!spent && !frequent) return;
      if (retryAfterMs) pausedUntil = Math.max(pausedUntil, now() + retryAfterMs);
      // Once per pause: the 429s of calls already in flight describe the same congestion.
      if (now() - lastDecrease > Math.max(retryAfterMs ?? 0, 50)) {
        lastDecrease = now();
        setConcurrency(stats.concurrency * 0.5);
      }
    },
    failed() {
      remember(false);
    },
  };
}

/** "1s", "6m0s", "250ms", "0.5" (seconds) -> milliseconds. */
export function parseResetMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  let total = 0;
  let matched = false;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    matched = true;
    total += Number(amount) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[unit!]!;
  }
  return matched ? total : undefined;
}
