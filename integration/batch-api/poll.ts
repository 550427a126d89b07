import type OpenAI from 'openai';
import type { Batch } from 'openai/resources/batches';
import { formatDuration } from '../engine/progress.ts';

export const FINAL_STATUSES: ReadonlySet<Batch['status']> = new Set(['completed', 'failed', 'expired', 'cancelled']);

export interface PollOptions {
  /** First wait between polls; each wait grows by half up to `maxIntervalMs`. */
  intervalMs: number;
  maxIntervalMs: number;
  /** Stops polling (the batch keeps running at the provider); `pollBatch` then returns undefined. */
  signal?: AbortSignal;
  /** After every poll that changed the status or the counts. */
  onChange?: (batch: Batch) => void;
}

/** Polls a batch until it reaches a final status; undefined when stopped first. */
export async function pollBatch(client: OpenAI, batch: Batch, options: PollOptions): Promise<Batch | undefined> {
  let current = batch;
  let interval = options.intervalMs;
  let last = fingerprint(current);
  while (!FINAL_STATUSES.has(current.status)) {
    if (!(await wait(interval, options.signal))) return undefined;
    try {
      current = await client.batches.retrieve(current.id, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      if (options.signal?.aborted) return undefined;
      throw error;
    }
    const now = fingerprint(current);
    if (now !== last) options.onChange?.(current);
    last = now;
    interval = Math.min(options.maxIntervalMs, Math.ceil(interval * 1.5));
  }
  return current;
}

/** "stage 1 · batch_abc · in_progress · 120/218 done, 2 failed · 1m 05s" */
export function batchProgressLine(batch: Batch, stage: number, elapsedMs: number): string {
  const counts = batch.request_counts;
  const done = counts ? `${counts.completed + counts.failed}/${counts.total || '?'} done${counts.failed ? `, ${counts.failed} failed` : ''}` : 'counts not yet known';
  return [`stage ${stage}`, batch.id, batch.status, done, formatDuration(elapsedMs)].join(' · ');
}

function fingerprint(batch: Batch): string {
  const c = batch.request_counts;
  return `${batch.status}:${c?.completed ?? 0}:${c?.failed ?? 0}:${c?.total ?? 0}`;
}

/** Resolves true after `ms`, or false at once when the signal aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
