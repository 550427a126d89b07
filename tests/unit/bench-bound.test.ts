import { describe, expect, it } from 'vitest';
import { bound, simulateRun } from '../../bench/bound.ts';

const base = { calls: 640, concurrency: 64, rate429: 0, rate5xx: 0, rateHang: 0, jitter: 0, hangAfter: 2, runs: 50 };

describe("the benchmark's model of an idealised client", () => {
  it('reaches the ideal exactly when every call takes the mean latency and nothing fails', () => {
    expect(simulateRun(base, 1)).toBe(10);
    expect(bound(base).meanEfficiency).toBe(1);
  });

  it('pays a full latency for each 5xx: with half the calls failing, twice the calls and a tail of repeats', () => {
    const b = bound({ ...base, rate5xx: 0.5, runs: 200 });
    // Twice the attempts alone would give 0.5; the last calls failing again and again lengthen the end.
    expect(b.meanEfficiency).toBeLessThan(0.5);
    expect(b.meanEfficiency).toBeGreaterThan(0.35);
  });

  it('loses more the later it gives up a hung call, and nothing for a 429', () => {
    const early = bound({ ...base, rateHang: 0.05, hangAfter: 1.5, runs: 200 });
    const late = bound({ ...base, rateHang: 0.05, hangAfter: 4, runs: 200 });
    expect(late.meanEfficiency).toBeLessThan(early.meanEfficiency);
    expect(bound({ ...base, rate429: 0.3 }).meanEfficiency).toBe(1);
  });

  it('loses the last wave to the spread of latencies even with no fault', () => {
    const spread = bound({ ...base, jitter: 0.3, runs: 200 });
    expect(spread.meanEfficiency).toBeLessThan(1);
    expect(spread.meanEfficiency).toBeGreaterThan(0.85);
  });
});
