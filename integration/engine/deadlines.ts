/**
 * Per-call deadlines that follow the provider, per component (an article always takes longer
 * than its tags):
 * - the deadline: a few times the slowest recent answers, between a floor and the configured
 *   timeout, so a hung call is given up in seconds rather than after the full timeout;
 * - the tail deadline: once slots are idle (the end of a run, or a pause in ready work), a call
 *   that has taken twice the usual slow answer is given up and retried at once, since waiting
 *   for a straggler would hold the whole run while nothing else competes for its slot.
 */
export function createDeadlines(options: { maxMs: number; minMs: number; factor?: number; samples?: number }) {
  const factor = options.factor ?? 4;
  const keep = options.samples ?? 200;
  const latencies = new Map<string, number[]>();
  const inFlight = new Set<{ component: string; started: number; abort: () => void }>();
  let spare: () => boolean = () => false;
  let timer: NodeJS.Timeout | undefined;

  const quantile = (component: string, q: number): number | undefined => {
    const seen = latencies.get(component);
    if (!seen || seen.length < 20) return undefined;
    const sorted = [...seen].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
  };

  const tailDeadline = (component: string): number => {
    const p95 = quantile(component, 0.95);
    return p95 === undefined ? Infinity : Math.max(options.minMs, 2 * p95);
  };

  const sweep = () => {
    if (!spare()) return;
    const now = performance.now();
    for (const call of inFlight) {
      if (now - call.started > tailDeadline(call.component)) {
        inFlight.delete(call);
        call.abort();
      }
    }
  };

  return {
    deadline(component: string): number {
      const p99 = quantile(component, 0.99);
      if (p99 === undefined) return options.maxMs;
      return Math.round(Math.min(options.maxMs, Math.max(options.minMs, p99 * factor)));
    },
    observe(component: string, ms: number): void {
      const seen = latencies.get(component) ?? [];
      seen.push(ms);
      if (seen.length > keep) seen.shift();
      latencies.set(component, seen);
    },
    /** Says where idle capacity can be seen (the call gate). */
    spareCapacity(check: () => boolean): void {
      spare = check;
    },
    /** Registers a call in flight; `abort` gives it up. Returns the function to call when it ends. */
    track(component: string, abort: () => void): () => void {
      const call = { component, started: performance.now(), abort };
      inFlight.add(call);
      if (!timer) {
        const p50 = quantile(component, 0.5);
        timer = setInterval(sweep, Math.max(5, Math.min(1000, (p50 ?? 100) / 4)));
        timer.unref();
      }
      return () => {
        inFlight.delete(call);
        if (inFlight.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}

export type Deadlines = ReturnType<typeof createDeadlines>;
