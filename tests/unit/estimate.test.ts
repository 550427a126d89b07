import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFor } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { batchStages, estimateRun, expectedCompletion, formatEstimate, type EstimateOptions } from '../../integration/estimate/estimate.ts';
import { costOf, priceFor, usageCost } from '../../integration/estimate/prices.ts';
import { plannedPrompts } from '../../integration/estimate/prompts.ts';
import { chatPromptTokens, tokenizerFor } from '../../integration/estimate/tokens.ts';
import type { Plan } from '../../integration/plan/plan.ts';
import { openProject, type Project } from '../../integration/project.ts';
import { ComponentStore } from '../../integration/store/store.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';

const base: EstimateOptions = { mode: 'live', provider: 'openai', model: 'gpt-4o-mini', concurrency: 16 };
let project: Project;
/** The committed project, everything forced: every dependency has a current file. */
let forced: Plan;
/** The same catalogue over an empty store: every file is missing. */
let empty: Plan;
let emptyDir: string;

beforeAll(async () => {
  project = await openProject(REPO_ROOT, parseOptions({ provider: 'openai' }), undefined);
  forced = await planFor(project, { force: true });
  emptyDir = await mkdtemp(path.join(tmpdir(), 'batchgen-estimate-'));
  empty = await planFor({ ...project, root: emptyDir, store: new ComponentStore(emptyDir) }, {});
});
afterAll(async () => rm(emptyDir, { recursive: true, force: true }));

describe('prices', () => {
  it('looks a model up in the table, also with a date suffix, and knows the Batch API discount', () => {
    expect(priceFor('openai', 'gpt-4o-mini')).toMatchObject({ input: 0.15, cachedInput: 0.075, output: 0.6, batchDiscount: 0.5 });
    expect(priceFor('openai', 'gpt-4o-mini-2024-07-18')).toMatchObject({ input: 0.15, output: 0.6 });
    expect(priceFor('deepseek', 'deepseek-chat')).toMatchObject({ input: 0.27, cachedInput: 0.07, output: 1.1, batchDiscount: undefined });
    expect(priceFor('ollama', 'llama3.1')).toMatchObject({ input: 0, output: 0 });
    expect(priceFor('compatible', 'my-model')).toBeUndefined();
  });

  it('lets the `prices` option win, by provider/model first, then by model; cachedInput defaults to input', () => {
    const prices = { 'openai/gpt-4o-mini': { input: 1, output: 2 }, 'my-model': { input: 3, output: 4, batchDiscount: 0.25 } };
    expect(priceFor('openai', 'gpt-4o-mini', prices)).toMatchObject({ input: 1, cachedInput: 1, output: 2, batchDiscount: 0.5 });
    expect(priceFor('compatible', 'my-model', prices)).toMatchObject({ input: 3, output: 4, batchDiscount: 0.25, source: expect.stringMatching(/prices/) });
  });

  it('prices uncached input, cached input and output apart, and halves them all in batch mode', () => {
    const price = priceFor('openai', 'gpt-4o-mini')!;
    const usage = { promptTokens: 2_000_000, cachedTokens: 1_000_000, completionTokens: 1_000_000 };
    expect(costOf(price, usage, 'live').usd).toBeCloseTo(0.15 + 0.075 + 0.6, 10);
    expect(costOf(price, usage, 'batch')).toMatchObject({ batchDiscount: 0.5 });
    expect(costOf(price, usage, 'batch').usd).toBeCloseTo((0.15 + 0.075 + 0.6) / 2, 10);
    expect(usageCost('openai', 'gpt-4o-mini')!(usage)).toBeCloseTo(0.825, 10);
    expect(usageCost('compatible', 'unknown')).toBeUndefined();
  });
});

describe('tokenizer', () => {
  it("uses an OpenAI model's own encoding and says when a count is only an estimate", () => {
    expect(tokenizerFor('openai', 'gpt-4o-mini')).toMatchObject({ encoding: 'o200k_base', exact: true });
    expect(tokenizerFor('openai', 'gpt-4')).toMatchObject({ encoding: 'cl100k_base', exact: true });
    expect(tokenizerFor('openai', 'gpt-99-preview')).toMatchObject({ encoding: 'o200k_base', exact: false });
    const other = tokenizerFor('deepseek', 'deepseek-chat');
    expect(other.exact).toBe(false);
    expect(other.note).toMatch(/estimate/);
    expect(tokenizerFor('openai', 'gpt-4o').count('hello world')).toBe(2);
    // Two messages' framing plus the reply's start.
    expect(chatPromptTokens(tokenizerFor('openai', 'gpt-4o'), 'hello world', 'hello world')).toBe(2 + 2 + 9);
  });
});

describe('the prompts a run would send', () => {
  it('are the components\' own prompts; a regenerated dependency reads its current file, a missing one the offline draft', () => {
    const withFiles = plannedPrompts(project.catalog, forced, project.site);
    expect(withFiles).toHaveLength(763);
    const metatags = withFiles.find((p) => p.item.key === 'aluminum/metatags')!;
    expect(metatags.user).toMatch(/^Component: metatags\nMaterial: Aluminum\n/);
    expect(metatags.system).toContain('Output JSON schema');
    expect(metatags.estimatedDependencies).toEqual([{ component: 'frontmatter', source: 'current file' }]);
    const fromDrafts = plannedPrompts(project.catalog, empty, project.site);
    expect(fromDrafts.find((p) => p.item.key === 'aluminum/metatags')!.estimatedDependencies).toEqual([{ component: 'frontmatter', source: 'offline draft' }]);
    expect(fromDrafts.find((p) => p.item.key === 'aluminum/frontmatter')!.estimatedDependencies).toEqual([]);
  });
});

describe('estimateRun', () => {
  it('counts calls, stages and tokens over the whole plan', () => {
    const live = estimateRun(project, forced, base);
    expect(live.calls).toBe(763);
    expect(live.plan.components).toBe(1090);
    expect(live.tokens.exact).toBe(true);
    expect(live.tokens.dependencies['current file']).toBe(545);
    expect(live.tokens.prompt).toBeGreaterThan(763 * 200);
    const batch = estimateRun(project, forced, { ...base, mode: 'batch' });
    expect(batch.stages).toEqual([
      { stage: 1, requests: 218, components: { frontmatter: 109, propertiestable: 109 } },
      { stage: 2, requests: 545, components: { metatags: 109, bullets: 109, caption: 109, text: 109, tags: 109 } },
    ]);
    expect(batch.tokens.prompt).toBe(live.tokens.prompt);
    expect(batch.cost.usd).toBeCloseTo((live.cost.usd as number) / 2, 10);
    expect(batch.time).toMatchObject({ mode: 'batch', stages: 2, windowHours: 24 });
  });

  it('takes completions from recorded answers when there are enough, else from a share of maxTokens, and says which', () => {
    const frontmatter = project.components.find((c) => c.name === 'frontmatter')!;
    expect(expectedCompletion(empty, frontmatter, 'openai', 'gpt-4o-mini')).toEqual({ tokens: 450, source: '50% of maxTokens 900 (no recorded answers)' });
    const recorded = (tokens: number, model = 'gpt-4o-mini') => ({
      ...empty.byKey.get('aluminum/frontmatter')!,
      file: { path: '', text: '', contentHash: '', provenance: { component: 'frontmatter', material: 'x', inputsHash: '', outputHash: '', provider: 'openai', model, mode: 'live' as const, generatedAt: '', usage: { promptTokens: 1, completionTokens: tokens, cachedTokens: 0 } } },
    });
    const plan = { ...empty, items: [recorded(100), recorded(300), recorded(200), recorded(9000, 'gpt-4o')] };
    expect(expectedCompletion(plan, frontmatter, 'openai', 'gpt-4o-mini')).toEqual({ tokens: 200, source: 'median of 3 recorded answers (openai gpt-4o-mini)' });
    expect(expectedCompletion(plan, frontmatter, 'openai', 'gpt-5')).toEqual({ tokens: 250, source: 'median of 4 recorded answers (any model)' });
  });

  it('is limited by whichever is slowest: concurrency, requests or tokens per minute, or the dependency chain', () => {
    expect(estimateRun(project, forced, base).time).toMatchObject({ mode: 'live', limitedBy: 'concurrency' });
    const rpm = estimateRun(project, forced, { ...base, requestsPerMinute: 60 }).time;
    expect(rpm).toMatchObject({ limitedBy: 'requestsPerMinute', ms: 763_000 });
    const tpm = estimateRun(project, forced, { ...base, tokensPerMinute: 10_000 });
    expect(tpm.time).toMatchObject({ limitedBy: 'tokensPerMinute', ms: Math.round((tpm.tokens.total / 10_000) * 60_000) });
    const wide = estimateRun(project, forced, { ...base, concurrency: 100_000 }).time;
    expect(wide).toMatchObject({ limitedBy: 'dependency chain' });
  });

  it('uses the last live run\'s latencies for the same model when it has them', () => {
    const lastRun = { mode: 'live', provider: 'openai', model: 'gpt-4o-mini', items: Array.from({ length: 5 }, () => ({ component: 'tags', calls: 1, outcome: 'written', durationMs: 1234 })) };
    const time = estimateRun(project, forced, { ...base, lastRun: lastRun as never }).time;
    expect(time.mode === 'live' && time.latencySource.tags).toBe('median of 5 calls in the last run');
    expect(time.mode === 'live' && time.latencySource.text).toMatch(/^assumed/);
  });

  it('says what it could not know: an unknown price, a foreign tokenizer, a missing key', () => {
    const estimate = estimateRun(project, empty, { ...base, provider: 'compatible', model: 'local-model', mode: 'batch', unavailable: 'BATCHGEN_API_KEY is not set' });
    expect(estimate.cost).toMatchObject({ usd: null, reason: expect.stringMatching(/`prices` option/) });
    const text = formatEstimate(estimate);
    expect(text).toMatch(/Dry run, nothing was called: Batch API run with compatible \(local-model\)/);
    expect(text).toMatch(/Cost: unknown/);
    expect(text).toMatch(/an estimate, since compatible \(local-model\) counts with its own/);
    expect(text).toMatch(/offline writer's drafts \(545\)/);
    expect(text).toMatch(/BATCHGEN_API_KEY is not set/);
    expect(formatEstimate(estimateRun(project, forced, { ...base, mode: 'batch' }))).toMatch(/Batch API 50% off/);
  });

  it('puts each llm component one stage after the llm components it depends on', () => {
    const only = { ...forced, todo: forced.todo.filter((i) => i.component.name !== 'frontmatter') };
    expect(batchStages(only, only.todo.filter((i) => i.component.llm)).map((s) => s.requests)).toEqual([654]);
  });
});
