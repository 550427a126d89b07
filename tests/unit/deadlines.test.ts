import { describe, expect, it } from 'vitest';
import { createDeadlines } from '../../integration/engine/deadlines.ts';
import { createCallGate } from '../../integration/engine/gate.ts';
import { FatalProviderError, NotStartedError } from '../../integration/providers/types.ts';

const answered = (n: number, ms: (i: number) => number) => Array.from({ length: n }, (_, i) => ms(i));

describe('adaptive deadlines', () => {
  it('uses the configured timeout until a component has answered 20 times, then 1.5 times its 99th percentile', () => {
    const d = createDeadlines({ maxMs: 45_000, minMs: 100 });
    expect(d.deadline('text')).toBe(45_000);
    for (const ms of answered(19, (i) => 1000 + i * 10)) d.observe('text', ms);
    expect(d.deadline('text')).toBe(45_000);
    d.observe('text', 1500);
    // 20 answers, the slowest 1500 ms: 1.5 x 1500.
    expect(d.deadline('text')).toBe(2250);
  });

  it('a component not yet seen borrows the run-wide 99th percentile with twice the margin', () => {
    const d = createDeadlines({ maxMs: 45_000, minMs: 100 });
    for (const ms of answered(30, () => 800)) d.observe('tags', ms);
    expect(d.deadline('tags')).toBe(1200);
    expect(d.deadline('text')).toBe(2400);
  });

  it('stays between the floor and the timeout', () => {
    const d = createDeadlines({ maxMs: 2000, minMs: 500 });
    for (const ms of answered(30, () => 10)) d.observe('tags', ms);
    expect(d.deadline('tags')).toBe(500);
    for (const ms of answered(200, () => 5000)) d.observe('text', ms);
    expect(d.deadline('text')).toBe(2000);
  });

  it('widens the margin when more than 5% of recent calls pass their deadline (answers slowed down), never past the maximum', () => {
    const d = createDeadlines({ maxMs: 100_000, minMs: 10, factor: 2, maxFactor: 4 });
    for (const ms of answered(40, () => 1000)) d.observe('text', ms);
    expect(d.factor).toBe(2);
    d.passed('text');
    expect(d.factor).toBe(2); // one in 41: a hang, not a slowdown
    d.passed('text');
    d.passed('text');
    expect(d.factor).toBe(3);
    expect(d.deadline('text')).toBe(3000);
    for (let i = 0; i < 30; i++) d.passed('text');
    expect(d.factor).toBe(4);
  });

  it("gives up a call in flight once its component's own deadline says it has hung, not after the wider margin it started with", async () => {
    const d = createDeadlines({ maxMs: 45_000, minMs: 10 });
    for (const ms of answered(30, () => 100)) d.observe('tags', ms);
    // No caption has answered yet: it borrows the run-wide 99th percentile with twice the margin.
    expect(d.deadline('caption')).toBe(300);
    let why: string | undefined;
    const untrack = d.track('caption', (reason) => (why = reason));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(why).toBeUndefined();
    // Captions now answer in 50 ms: their own deadline is 75 ms, which the call has long passed.
    for (const ms of answered(20, () => 50)) d.observe('caption', ms);
    expect(d.deadline('caption')).toBe(75);
    for (let waited = 0; why === undefined && waited < 2000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(why).toBe('deadline');
    untrack();
  });

  it('gives up a straggler only while slots are idle', async () => {
    // A wide margin keeps the deadline (10 x p99 = 400 ms) out of the way of the tail rule (1.25 x p95 = 50 ms).
    const d = createDeadlines({ maxMs: 45_000, minMs: 10, factor: 10 });
    for (const ms of answered(30, () => 40)) d.observe('tags', ms);
    let idle = false;
    d.spareCapacity(() => idle);
    let why: string | undefined;
    const untrack = d.track('tags', (reason) => (why = reason));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(why).toBeUndefined(); // a straggler, but every slot is busy
    idle = true;
    for (let waited = 0; why === undefined && waited < 2000; waited += 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(why).toBe('straggler');
    untrack();
  });
});

describe('call gate', () => {
  const noHeaders = undefined;
  const headers = (remaining: string) => new Headers({ 'x-ratelimit-remaining-requests': remaining });

  it('does not halve its concurrency for a few random 429s while the headers show room', () => {
    const gate = createCallGate({ concurrency: 64, windowMs: 1000 });
    for (let i = 0; i < 7; i++) gate.succeeded(0, 0, headers('100'));
    for (let i = 0; i < 3; i++) gate.rateLimited(10, headers('100'));
    expect(gate.stats.concurrency).toBe(64);
  });

  it('halves it when most recent calls are 429s, or when the window is spent', () => {
    const storm = createCallGate({ concurrency: 64, windowMs: 1000 });
    for (let i = 0; i < 10; i++) storm.rateLimited(10, noHeaders);
    expect(storm.stats.concurrency).toBe(32);
    const spent = createCallGate({ concurrency: 64, windowMs: 1000 });
    spent.rateLimited(10, headers('0'));
    expect(spent.stats.concurrency).toBe(32);
  });

  it('starts no call when the caller says the run is stopping, and none after a fatal answer', async () => {
    const gate = createCallGate({ concurrency: 2 });
    const signal = new AbortController().signal;
    await expect(gate.run(0, async () => 'x', signal, () => false)).rejects.toBeInstanceOf(NotStartedError);
    expect(gate.stats.callsStarted).toBe(0);
    await expect(gate.run(0, async () => Promise.reject(new FatalProviderError('refused')), signal)).rejects.toThrow('refused');
    let called = false;
    await expect(gate.run(0, async () => (called = true), signal)).rejects.toThrow('refused');
    expect(called).toBe(false);
    expect(gate.stats.inFlight).toBe(0);
  });

  it('keeps a slot taken after a call while the caller holds it, and starts the next call once released', async () => {
    const gate = createCallGate({ concurrency: 1 });
    const signal = new AbortController().signal;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    expect(await gate.run(0, async () => 'first', signal, undefined, () => held)).toBe('first');
    let secondStarted = false;
    const second = gate.run(0, async () => (secondStarted = true), signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(secondStarted).toBe(false);
    release();
    await second;
    expect(secondStarted).toBe(true);
  });
});
