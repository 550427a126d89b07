// Sliding one-minute windows for requests and tokens (shorter when a test scales time down),
// and the x-ratelimit-* headers.

export const WINDOW_MS = 60_000;

/** Costs spent in the last minute; capacity returns as each entry leaves the window. */
export class SlidingWindow {
  private entries: Array<{ at: number; cost: number }> = [];
  /** The window's length in ms, read on every use so it can be changed while running. */
  private readonly length: () => number;

  constructor(length: () => number = () => WINDOW_MS) {
    this.length = length;
  }

  private prune(now: number): void {
    while (this.entries.length > 0 && this.entries[0]!.at + this.length() <= now) this.entries.shift();
  }

  used(now: number): number {
    this.prune(now);
    return this.entries.reduce((sum, e) => sum + e.cost, 0);
  }

  /** 0 when `cost` fits under `limit` now, else the ms until it does. A cost above the limit fits an empty window. */
  waitFor(now: number, limit: number, cost: number): number {
    this.prune(now);
    let used = this.used(now);
    if (used + cost <= limit || this.entries.length === 0) return 0;
    for (const entry of this.entries) {
      used -= entry.cost;
      if (used + cost <= limit || used === 0) return Math.max(1, entry.at + this.length() - now);
    }
    return this.length();
  }

  /** Records a cost; the returned entry may be raised later (completion tokens are known after the answer). */
  add(now: number, cost: number): { at: number; cost: number } {
    const entry = { at: now, cost };
    this.entries.push(entry);
    return entry;
  }

  /** Ms until the oldest entry leaves the window (when remaining capacity next grows); 0 if empty. */
  nextRelease(now: number): number {
    this.prune(now);
    return this.entries.length === 0 ? 0 : Math.max(0, this.entries[0]!.at + this.length() - now);
  }

  clear(): void {
    this.entries = [];
  }
}

/** Durations as the provider writes them: "250ms", "1.5s", "2m3s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Number(((ms - minutes * 60_000) / 1000).toFixed(3))}s`;
}

export function rateLimitHeaders(
  now: number,
  limits: { requests?: number; tokens?: number },
  windows: { requests: SlidingWindow; tokens: SlidingWindow },
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (limits.requests !== undefined && limits.requests > 0) {
    headers['x-ratelimit-limit-requests'] = String(limits.requests);
    headers['x-ratelimit-remaining-requests'] = String(Math.max(0, limits.requests - windows.requests.used(now)));
    headers['x-ratelimit-reset-requests'] = formatDuration(windows.requests.nextRelease(now));
  }
  if (limits.tokens !== undefined && limits.tokens > 0) {
    headers['x-ratelimit-limit-tokens'] = String(limits.tokens);
    headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, limits.tokens - windows.tokens.used(now)));
    headers['x-ratelimit-reset-tokens'] = formatDuration(windows.tokens.nextRelease(now));
  }
  return headers;
}
