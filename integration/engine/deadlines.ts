/**
 * Per-call deadlines that follow the provider, per component (an article always takes longer
 * than its tags):
 * - the deadline: 1.5 times the slowest recent answers (their 99th percentile), between a floor
 *   and the configured timeout, so a hung call is given up in about two and a half mean
 *   latencies rather than after the full timeout. For answers whose latency is log-normal with
 *   a wide spread (sigma 0.5 to 0.7), fewer than 2 calls in 1,000 that would have answered pass
 *   it and are asked again, and each hang costs a quarter less slot time than at twice the p99.
 *   Until a component has answered often enough, the run's answers of all components stand in,
 *   with twice the margin. When more than a few calls in a row pass their deadline, the answers
 *   have slowed down rather than hung, and the margin widens;
 * - a call's deadline follows the estimate while it is in flight: a call that went out before
 *   its component had answered often enough (with the wider borrowed margin) is given up as soon
 *   as the component's own deadline says it has hung, not after the margin it started with;
 * - the tail deadline: once slots are idle (the end of a run, or a pause in ready work), a call
 *   that has taken a quarter longer than the slowest 5% of answers is given up and retried at
 *   once: waiting for a straggler would hold the whole run, and with slots idle the retry takes
 *   no capacity from other work.
 */
export function createDeadlines(options: { maxMs: number; minMs: number; factor?: number; maxFactor?: number; tailFactor?: number; samples?: number }) {
  const keep = options.samples ?? 200;
  const maxFactor = options.maxFactor ?? 8;
  let factor = options.factor ?? 1.5;
  const latencies = new Map<string, number[]>();
  const pooled: number[] = [];
  /** Recent outcomes: true for a call that passed its deadline. */
  const outcomes: boolean[] = [];
  const inFlight = new Set<{ component: string; started: number; abort: (why: 'deadline' | 'straggler') => void }>();
  let spare: () => boolean = () => false;
  let timer: NodeJS.Timeout | undefined;
  const sorted = new Map<string, number[]>();
  let answers = 0;

  const quantile = (key: string, seen: number[] | undefined, q: number): number | undefined => {
    if (!seen || seen.length < 20) return undefined;
    let order = sorted.get(key);
    if (!order) {
      order = [...seen].sort((a, b) => a - b);
      sorted.set(key, order);
    }
    return order[Math.min(order.length - 1, Math.floor(order.length * q))]!;
  };
  const componentQuantile = (component: string, q: number) => quantile(component, latencies.get(component), q);

  const tailDeadline = (component: string): number => {
    const p95 = componentQuantile(component, 0.95);
    return p95 === undefined ? Infinity : Math.max(options.minMs, (options.tailFactor ?? 1.25) * p95);
  };

  const sweep = () => {
    const idle = spare();
    const now = performance.now();
    for (const call of inFlight) {
      const elapsed = now - call.started;
      const why = elapsed > deadline(call.component) ? 'deadline' : idle && elapsed > tailDeadline(call.component) ? 'straggler' : undefined;
      if (why) {
        inFlight.delete(call);
        call.abort(why);
      }
    }
  };

  const remember = (passed: boolean) => {
    outcomes.push(passed);
    if (outcomes.length > 100) outcomes.shift();
    // Hung calls are rare; many passing their deadline means the answers got slower.
    if (passed && outcomes.length >= 20 && outcomes.filter(Boolean).length / outcomes.length > 0.05 && factor < maxFactor) {
      factor = Math.min(maxFactor, factor * 1.5);
      outcomes.length = 0;
    }
  };

  const push = (list: number[], ms: number) => {
    list.push(ms);
    if (list.length > keep) list.shift();
  };

  function deadline(component: string): number {
    const p99 = componentQuantile(component, 0.99);
    const pooledP99 = p99 === undefined ? quantile('\u0000all', pooled, 0.99) : undefined;
    const limit = p99 !== undefined ? p99 * factor : pooledP99 !== undefined ? pooledP99 * factor * 2 : options.maxMs;
    return Math.round(Math.min(options.maxMs, Math.max(options.minMs, limit)));
  }

  return {
    deadline,
    observe(component: string, ms: number): void {
      const seen = latencies.get(component) ?? [];
      push(seen, ms);
      latencies.set(component, seen);
      push(pooled, ms);
      // Sorted again after every few answers, not each one: a quantile moves slowly.
      answers++;
      if (seen.length < 50 || answers % 10 === 0) sorted.delete(component);
      if (pooled.length < 50 || answers % 10 === 0) sorted.delete('\u0000all');
      remember(false);
    },
    /** A call that passed its deadline (not a straggler given up, not an aborted run). */
    passed(_component: string): void {
      remember(true);
    },
    /** The current margin over the 99th percentile (it widens when answers slow down). */
    get factor(): number {
      return factor;
    },
    /** Says where idle capacity can be seen (the call gate). */
    spareCapacity(check: () => boolean): void {
      spare = check;
    },
    /**
     * Registers a call in flight; `abort` gives it up, saying whether it passed its (current)
     * deadline or is a straggler given up at the tail. Returns the function to call when it ends.
     */
    track(component: string, abort: (why: 'deadline' | 'straggler') => void): () => void {
      const call = { component, started: performance.now(), abort };
      inFlight.add(call);
      if (!timer) {
        const p50 = componentQuantile(component, 0.5);
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
