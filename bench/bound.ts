// What efficiency (fault-free ideal / wall) a client could reach at all against the simulated
// provider: a model, not a measurement, to read the measured efficiency against.
//
// The modelled client is better than any real one: it spends no time of its own, every needed
// call is ready from the start (no dependencies between components), a failed call is retried
// at once and ahead of all other work, and a 429 costs nothing. What it cannot do is see a
// fault coming: a 5xx arrives after a full answer's latency, as the simulated provider sends
// it, and a hung call holds its slot until the client gives it up. The client gives up a hang
// at `hangAfter` mean latencies: the slowest answer the provider can send (an oracle that knows
// the latency distribution's end), or a deadline policy's margin.
import { latencyFor } from '../tests/fake-provider/faults.ts';
import { randomFrom } from '../tests/fake-provider/random.ts';
import { simulated } from './full-batch.ts';

export interface BoundOptions {
  calls: number;
  concurrency: number;
  rate429: number;
  rate5xx: number;
  rateHang: number;
  /** Latency spread as a fraction of the mean (the fake's `latencyJitter`). */
  jitter: number;
  /** When the client gives up a hung call, in mean latencies. */
  hangAfter: number;
  runs: number;
}

export interface Bound {
  hangAfter: number;
  runs: number;
  meanEfficiency: number;
  p10Efficiency: number;
  p90Efficiency: number;
  /** Share of the simulated runs that reach the given efficiency. */
  shareAtLeast: (efficiency: number) => number;
}

/** One simulated run; returns its wall time in mean latencies. */
export function simulateRun(o: BoundOptions, seed: number): number {
  const stream = randomFrom('bound', seed);
  const random = () => stream.next();
  // The fake provider's own latency draw, in mean latencies (to the millisecond of a 1 s mean).
  const latency = () => latencyFor({ latencyMs: 1000, latencyJitter: o.jitter }, stream) / 1000;
  /** End times of the calls in flight, as a binary min-heap, each with whether it succeeded. */
  const ends: Array<[number, boolean]> = [];
  const push = (entry: [number, boolean]) => {
    ends.push(entry);
    for (let i = ends.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (ends[parent]![0] <= ends[i]![0]) break;
      [ends[parent], ends[i]] = [ends[i]!, ends[parent]!];
      i = parent;
    }
  };
  const pop = (): [number, boolean] => {
    const top = ends[0]!;
    const last = ends.pop()!;
    if (ends.length > 0) {
      ends[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < ends.length && ends[l]![0] < ends[m]![0]) m = l;
        if (r < ends.length && ends[r]![0] < ends[m]![0]) m = r;
        if (m === i) break;
        [ends[m], ends[i]] = [ends[i]!, ends[m]!];
        i = m;
      }
    }
    return top;
  };
  const start = (now: number) => {
    const u = random();
    if (u < o.rate429) return push([now, false]);
    if (u < o.rate429 + o.rate5xx) return push([now + latency(), false]);
    if (u < o.rate429 + o.rate5xx + o.rateHang) return push([now + o.hangAfter, false]);
    push([now + latency(), true]);
  };
  let waiting = o.calls;
  let now = 0;
  while (waiting > 0 && ends.length < o.concurrency) (waiting--, start(0));
  while (ends.length > 0) {
    const [end, ok] = pop();
    now = end;
    if (!ok) waiting++;
    while (waiting > 0 && ends.length < o.concurrency) (waiting--, start(now));
  }
  return now;
}

export function bound(o: BoundOptions): Bound {
  const ideal = o.calls / o.concurrency;
  const efficiencies = Array.from({ length: o.runs }, (_, seed) => ideal / simulateRun(o, seed + 1)).sort((a, b) => a - b);
  const at = (q: number) => Number(efficiencies[Math.min(efficiencies.length - 1, Math.floor(q * efficiencies.length))]!.toFixed(3));
  return {
    hangAfter: o.hangAfter,
    runs: o.runs,
    meanEfficiency: Number((efficiencies.reduce((a, b) => a + b, 0) / efficiencies.length).toFixed(3)),
    p10Efficiency: at(0.1),
    p90Efficiency: at(0.9),
    shareAtLeast: (e) => Number((efficiencies.filter((x) => x >= e).length / efficiencies.length).toFixed(3)),
  };
}

/**
 * The bound for the benchmark's simulated provider: a client that gives up a hang the moment no
 * answer could still come (the slowest latency the provider draws), and clients that give it up
 * at 1.5x (this engine's deadline) and 2x the 99th percentile of the latencies.
 */
export function boundsFor(calls: number, concurrency: number, runs = 2000) {
  const s = simulated(1);
  const jitter = 0.3;
  const slowest = 1 + 3 * jitter;
  const random = randomFrom('bound', 'latencies');
  const draws = Array.from({ length: 100_000 }, () => latencyFor({ latencyMs: 1000, latencyJitter: jitter }, random) / 1000).sort((a, b) => a - b);
  const p99 = draws[Math.floor(draws.length * 0.99)]!;
  const base = { calls, concurrency, rate429: s.rate429, rate5xx: s.rate5xx, rateHang: s.rateHang, jitter, runs };
  const describe = (policy: string, b: Bound) => ({
    policy,
    hangGivenUpAfterMeanLatencies: Number(b.hangAfter.toFixed(2)),
    runs: b.runs,
    meanEfficiency: b.meanEfficiency,
    p10Efficiency: b.p10Efficiency,
    p90Efficiency: b.p90Efficiency,
    shareReaching90: b.shareAtLeast(0.9),
  });
  return {
    calls,
    concurrency,
    withFaults: [
      describe('at the slowest answer the provider can send (an oracle)', bound({ ...base, hangAfter: slowest })),
      describe('at 1.5 x p99 (this engine)', bound({ ...base, hangAfter: 1.5 * p99 })),
      describe('at 2 x p99', bound({ ...base, hangAfter: 2 * p99 })),
    ],
    noFaults: describe('no faults injected', bound({ ...base, rate429: 0, rate5xx: 0, rateHang: 0, hangAfter: slowest })),
  };
}

if (import.meta.main) console.log(JSON.stringify(boundsFor(763, 64), null, 2));
