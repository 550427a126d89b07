import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import { usageCost } from '../../integration/estimate/prices.ts';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';
import { runCli } from '../helpers/cli.ts';

const KEY = 'sk-test-budget';
let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ apiKey: KEY, seed: 5, latencyMs: 15 }));
});
afterAll(() => close?.());

describe('budget caps', () => {
  it('with --max-calls 50, makes at most 50 plus the concurrency limit calls and lists the rest as not run', async () => {
    provider.reset({ memory: true });
    const run = await runCli(root, ['--all', '--force', '--provider', 'openai', '--concurrency', '8', '--max-calls', '50', '--json'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: provider.url,
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(provider.stats.requests).toBeGreaterThanOrEqual(50);
    expect(provider.stats.requests).toBeLessThanOrEqual(50 + 8);
    expect(report.calls).toBe(provider.stats.requests);
    expect(report.stopped).toMatch(/call budget of 50 was reached/);
    expect(report.notRun).toBeGreaterThan(0);
    expect(report.notRunItems).toHaveLength(report.notRun);
    expect(report.notRunItems[0]).toMatchObject({ reason: expect.stringMatching(/budget/) });
    expect(report.succeeded + report.failed + report.notRun).toBe(report.planned);
  });

  it('stops on a token cap', async () => {
    provider.reset({ memory: true });
    const options = parseOptions({ provider: 'openai', concurrency: 4, budget: { maxTokens: 20_000 } });
    const project = await openProject(root, options, 'https://laser-cleaning.example.com');
    const resolved = providerForRun(options, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
    const plan = await planFor(project, { force: true }, resolved.provider);
    const { report } = await runBatch(project, plan, resolved.provider, { concurrency: 4, gate: resolved.gate, budget: options.budget });
    expect(report.stopped).toMatch(/token budget of 20000 was reached/);
    const tokens = report.tokens.prompt + report.tokens.completion;
    expect(tokens).toBeGreaterThanOrEqual(20_000);
    // What was in flight when the cap was reached may finish: at most the concurrency's worth more.
    expect(report.calls).toBeLessThan(plan.todo.length);
  });

  it('stops on a cost cap, priced from the price table or the `prices` option', async () => {
    provider.reset({ memory: true });
    const options = parseOptions({
      provider: 'openai',
      model: 'house-model',
      concurrency: 4,
      budget: { maxCostUsd: 0.05 },
      prices: { 'openai/house-model': { input: 2, output: 8 } },
    });
    const costOf = usageCost('openai', 'house-model', options.prices)!;
    expect(costOf({ promptTokens: 1_000_000, completionTokens: 0, cachedTokens: 0 })).toBeCloseTo(2);
    const project = await openProject(root, options, 'https://laser-cleaning.example.com');
    const resolved = providerForRun(options, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
    const plan = await planFor(project, { force: true }, resolved.provider);
    const { report } = await runBatch(project, plan, resolved.provider, { concurrency: 4, gate: resolved.gate, budget: options.budget, costOf });
    expect(report.stopped).toMatch(/cost budget of \$0\.05 was reached/);
    const spent = costOf({ promptTokens: report.tokens.prompt, completionTokens: report.tokens.completion, cachedTokens: report.tokens.cached });
    expect(spent).toBeGreaterThanOrEqual(0.05);
    expect(report.notRun.length).toBeGreaterThan(0);
  });

  it('sends per-component maxTokens and temperature from componentSettings, which make nothing stale', async () => {
    provider.reset({ memory: true });
    let sent: { max_tokens?: unknown; temperature?: unknown } = {};
    provider.setOptions({ respond: ({ component, body }) => void (component === 'tags' && (sent = body as typeof sent)) });
    const options = parseOptions({ provider: 'openai', componentSettings: { tags: { maxTokens: 321, temperature: 0.1 } } });
    const project = await openProject(root, options, 'https://laser-cleaning.example.com');
    const unchanged = await openProject(root, parseOptions({ provider: 'openai' }), 'https://laser-cleaning.example.com');
    const resolved = providerForRun(options, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
    const plan = await planFor(project, { materials: new Set(['aluminum']) }, resolved.provider);
    expect(plan.todo).toEqual((await planFor(unchanged, { materials: new Set(['aluminum']) })).todo);
    const forced = await planFor(project, { force: true, materials: new Set(['aluminum']), only: new Set(['tags']) }, resolved.provider);
    await runBatch(project, forced, resolved.provider, { concurrency: 1 });
    provider.setOptions({ respond: undefined });
    expect(sent).toMatchObject({ max_tokens: 321, temperature: 0.1 });
    expect(() => parseOptions({ componentSettings: { table: { maxTokens: 100 } } })).not.toThrow();
    await expect(openProject(root, parseOptions({ componentSettings: { table: { maxTokens: 100 } } }), undefined)).rejects.toThrow(/table is not written by a model/);
  });

  it('sends service_tier "flex" when configured', async () => {
    provider.reset({ memory: true });
    let tier: unknown;
    provider.setOptions({ respond: ({ body }) => void (tier = (body as { service_tier?: unknown }).service_tier) });
    const options = parseOptions({ provider: 'openai', serviceTier: 'flex' });
    const project = await openProject(root, options, 'https://laser-cleaning.example.com');
    const resolved = providerForRun(options, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
    const plan = await planFor(project, { force: true, materials: new Set(['aluminum']), only: new Set(['tags']) }, resolved.provider);
    await runBatch(project, plan, resolved.provider, { concurrency: 1 });
    provider.setOptions({ respond: undefined });
    expect(tier).toBe('flex');
  });
});
