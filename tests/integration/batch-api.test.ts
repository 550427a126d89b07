import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseOptions } from '../../integration/config.ts';
import { costOf, priceFor } from '../../integration/estimate/prices.ts';
import { openProject, type Project } from '../../integration/project.ts';
import type { RunReport } from '../../integration/report/run-report.ts';
import { readProvenanceLine } from '../../integration/store/format.ts';
import { parseContent } from '../../integration/store/store.ts';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server.ts';
import { cleanEnv, runCli } from '../helpers/cli.ts';
import { copyProject, REPO_ROOT } from '../helpers/project-copy.ts';
import { until } from '../helpers/wait.ts';

const KEY = 'sk-test-batch-api';
const LLM = ['frontmatter', 'metatags', 'propertiestable', 'bullets', 'caption', 'text', 'tags'];
let provider: FakeProvider;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  provider = await startFakeProvider({ apiKey: KEY, seed: 7 });
});
afterAll(async () => {
  await provider?.close();
  for (const cleanup of cleanups) await cleanup();
});
afterEach(() => {
  provider.setOptions({ batchLineErrorRate: 0, batchExpire: false, batchCompletionDelayMs: 200 });
  provider.reset({ memory: true });
});

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });

async function copy(): Promise<string> {
  const { root, cleanup } = await copyProject();
  cleanups.push(cleanup);
  return root;
}

const batchgen = (root: string, args: string[]) => runCli(root, ['--provider', 'openai', ...args], env());

async function project(root: string): Promise<Project> {
  return openProject(root, parseOptions({ provider: 'openai' }), 'https://laser-cleaning.example.com');
}

async function lastRun(root: string): Promise<RunReport> {
  return JSON.parse(await readFile(path.join(root, '.batchgen', 'last-run.json'), 'utf8')) as RunReport;
}

interface Generated {
  text: string;
  content: string;
  provenance: Record<string, unknown> & { mode: string; provider: string; model: string; usage?: { promptTokens: number; completionTokens: number } };
}

/** Every component file of every material: validated against its schema, with its provenance apart. */
async function readAll(root: string): Promise<Map<string, Generated>> {
  const p = await project(root);
  const files = new Map<string, Generated>();
  for (const material of p.catalog.materials) {
    for (const component of p.components) {
      const text = await readFile(p.store.pathOf(component, material.slug), 'utf8');
      const parsed = component.schema.safeParse(parseContent(component.format, text));
      expect(parsed.success, `${material.slug}/${component.name} is valid`).toBe(true);
      const provenance = readProvenanceLine(text) as Generated['provenance'];
      const content = text.split('\n').filter((line) => !/^\s*"?_provenance"?: /.test(line)).join('\n');
      files.set(`${material.slug}/${component.name}`, { text, content, provenance });
    }
  }
  return files;
}

describe('batchgen --batch-api against the fake provider', () => {
  it('a full --force run writes every llm component, valid, as the live path would, with exactly one batch per stage', async () => {
    const liveRoot = await copy();
    const batchRoot = await copy();
    const live = await batchgen(liveRoot, ['--all', '--force', '--concurrency', '32', '--json']);
    expect(live.code, live.stderr).toBe(0);
    const liveCalls = new Map((await lastRun(liveRoot)).items.map((i) => [`${i.material}/${i.component}`, i.calls]));
    provider.reset({ memory: true });

    // --fallback-live: a first answer the checks refuse is re-asked live, as the live path re-asks it.
    const run = await batchgen(batchRoot, ['--all', '--force', '--batch-api', '--fallback-live', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.failed).toBe(0);
    expect(report.succeeded).toBe(1090);

    // Stage 1: the llm components with no llm dependency; stage 2: everything that needs frontmatter.
    expect(provider.stats.batchesCreated).toBe(2);
    expect(provider.stats.filesUploaded).toBe(2);
    expect(provider.stats.batchLines).toBe(763);
    expect(report.batches.map((b: { stage: number; lines: number; resumed: boolean }) => [b.stage, b.lines, b.resumed])).toEqual([
      [1, 218, false],
      [2, 545, false],
    ]);
    const wentLive = report.liveFallback?.components ?? 0;
    expect(wentLive).toBeLessThan(30);
    expect(report.calls).toBe(provider.stats.batchLinesSucceeded + provider.stats.requests);
    expect(report.tokens.prompt).toBe(provider.stats.promptTokens);
    expect(report.tokens.completion).toBe(provider.stats.completionTokens);

    const batchFiles = await readAll(batchRoot);
    const liveFiles = await readAll(liveRoot);
    let compared = 0;
    const modes = { batch: 0, live: 0 };
    for (const [key, file] of batchFiles) {
      const [slug, component] = key.split('/') as [string, string];
      if (!LLM.includes(component)) continue;
      expect(file.provenance).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
      expect(['batch', 'live']).toContain(file.provenance.mode);
      modes[file.provenance.mode as 'batch' | 'live']++;
      if (file.provenance.mode !== 'batch') continue;
      // Same request, same answer: identical files but for the mode, the time and the cache
      // counts, wherever the live run took its first answer too (it re-asked a few, and a
      // near-copy check depends on which material was written first).
      const upstream = component === 'frontmatter' || component === 'propertiestable' ? [] : [`${slug}/frontmatter`];
      if ([key, ...upstream].some((k) => liveCalls.get(k) !== 1 || batchFiles.get(k)!.provenance.mode !== 'batch')) continue;
      const twin = liveFiles.get(key)!;
      expect(twin.provenance.mode).toBe('live');
      expect(file.content, key).toBe(twin.content);
      const strip = ({ mode: _m, generatedAt: _g, usage, ...rest }: Generated['provenance']) => ({ ...rest, usage: { promptTokens: usage?.promptTokens, completionTokens: usage?.completionTokens } });
      expect(strip(file.provenance), key).toEqual(strip(twin.provenance));
      expect(Object.keys(file.provenance).sort()).toEqual(Object.keys(twin.provenance).sort());
      compared++;
    }
    // Only what the live fallback finished (llm components and their derived jsonld) is live.
    expect(modes.batch + modes.live).toBe(763);
    expect(modes.live).toBeLessThanOrEqual(wentLive);
    expect(compared).toBeGreaterThan(763 * 0.95);
    // Nothing is stale afterwards, and nothing is left to resume.
    provider.reset();
    const again = await batchgen(batchRoot, ['--all', '--batch-api', '--json']);
    expect(JSON.parse(again.stdout).calls).toBe(0);
    expect(provider.stats.batchesCreated).toBe(0);
    await expect(readFile(path.join(batchRoot, '.batchgen', 'batch-state.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('a run killed after submitting resumes polling the same batch: no second batch for that stage', async () => {
    const root = await copy();
    provider.setOptions({ batchCompletionDelayMs: 3000 });
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'integration', 'bin', 'batchgen.js'), '--root', root, '--all', '--force', '--provider', 'openai', '--batch-api'],
      { cwd: root, env: cleanEnv(env()), stdio: 'ignore' },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    await until(() => provider.stats.batchesCreated === 1, 60_000, 'the first batch');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The input file was recorded before the batch was created; the batch id may or may not have made it.
    const saved = JSON.parse(await readFile(path.join(root, '.batchgen', 'batch-state.json'), 'utf8'));
    expect(saved.batches).toHaveLength(1);
    expect(saved.batches[0]).toMatchObject({ stage: 1, provider: 'openai', model: 'gpt-4o-mini', inputFileId: expect.stringMatching(/^file-/) });
    expect(saved.batches[0].customIds).toHaveLength(218);

    provider.setOptions({ batchCompletionDelayMs: 200 });
    const rerun = await batchgen(root, ['--all', '--force', '--batch-api', '--fallback-live', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout);
    expect(report.failed).toBe(0);
    expect(report.notRun).toBe(0);
    // One batch for stage 1 (created before the kill, resumed) and one for stage 2: no third.
    expect(provider.stats.batchesCreated).toBe(2);
    expect(provider.stats.filesUploaded).toBe(2);
    expect(report.batches).toHaveLength(2);
    expect(report.batches[0]).toMatchObject({ stage: 1, resumed: true, status: 'completed', used: 218 });
    expect(report.batches[1]).toMatchObject({ stage: 2, resumed: false, used: 545 });
    if (saved.batches[0].batchId) expect(report.batches[0].id).toBe(saved.batches[0].batchId);
    await expect(readFile(path.join(root, '.batchgen', 'batch-state.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    const files = await readAll(root);
    const batchMode = [...files.values()].filter((f) => f.provenance.mode === 'batch').length;
    expect(batchMode).toBeLessThanOrEqual(763);
    expect(batchMode).toBeGreaterThanOrEqual(763 - (report.liveFallback?.components ?? 0));
  });

  it('Ctrl-C while waiting stops polling, keeps the batch and says how to resume; the rerun picks it up', async () => {
    const root = await copy();
    provider.setOptions({ batchCompletionDelayMs: 3000 });
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'integration', 'bin', 'batchgen.js'), '--root', root, '--category', 'metal', '--force', '--provider', 'openai', '--batch-api'],
      { cwd: root, env: cleanEnv(env()), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until(() => /submitted batch/.test(stderr), 60_000, 'the first batch');
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/submitted batches keep running at the provider; run the same command again to resume them/);
    // The static components were written; every llm component and jsonld waits for the batch.
    expect(stdout).toMatch(/68 unchanged, 0 failed, 272 not run/);
    const stopped = await lastRun(root);
    expect(stopped.notRun[0]!.reason).toMatch(/stopped while batch batch_\w+ was running; run the same command again to resume it/);
    const saved = JSON.parse(await readFile(path.join(root, '.batchgen', 'batch-state.json'), 'utf8'));
    expect(saved.batches).toEqual([expect.objectContaining({ stage: 1, batchId: expect.stringMatching(/^batch_/), customIds: expect.any(Array) })]);

    const rerun = await batchgen(root, ['--category', 'metal', '--force', '--batch-api', '--fallback-live', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(provider.stats.batchesCreated).toBe(2);
    expect(JSON.parse(rerun.stdout).batches[0]).toMatchObject({ id: saved.batches[0].batchId, resumed: true });
  });

  it('per-line errors: without --fallback-live they are reported by material and component; with it every component completes', async () => {
    const root = await copy();
    provider.setOptions({ batchLineErrorRate: 0.1 });
    const failing = await batchgen(root, ['--all', '--force', '--batch-api']);
    expect(failing.code).toBe(1);
    const report = await lastRun(root);
    const lineErrors = report.failed.filter((f) => /the batch request failed/.test(f.reason));
    expect(provider.stats.batchLinesFailed).toBeGreaterThan(20);
    expect(lineErrors).toHaveLength(provider.stats.batchLinesFailed);
    for (const f of lineErrors) {
      expect(f.material).toMatch(/^[a-z0-9-]+$/);
      expect(LLM).toContain(f.component);
    }
    // The summary names them too (the first 50; the report holds all).
    for (const f of report.failed.slice(0, 50)) expect(failing.stdout).toContain(`failed ${f.material}/${f.component}: ${f.reason}`);
    expect(failing.stdout).toMatch(/failed [a-z0-9-]+\/[a-z]+: the batch request failed \((server_error|rate_limit_exceeded)/);
    // A frontmatter line that failed blocks that material's dependents, by name.
    const frontmatter = lineErrors.find((f) => f.component === 'frontmatter');
    if (frontmatter) {
      expect(report.failed).toContainEqual({ material: frontmatter.material, component: 'metatags', reason: 'frontmatter was not generated' });
    }

    provider.reset({ memory: true });
    const finishing = await batchgen(root, ['--all', '--force', '--batch-api', '--fallback-live', '--json']);
    expect(finishing.code, finishing.stderr).toBe(0);
    const done = JSON.parse(finishing.stdout);
    expect(done.failed).toBe(0);
    expect(done.succeeded).toBe(1090);
    expect(provider.stats.batchLinesFailed).toBeGreaterThan(20);
    expect(done.liveFallback.components).toBeGreaterThanOrEqual(provider.stats.batchLinesFailed);
    expect(provider.stats.requests).toBeGreaterThanOrEqual(provider.stats.batchLinesFailed);
    const files = await readAll(root);
    for (const [key, file] of files) if (LLM.includes(key.split('/')[1]!)) expect(['batch', 'live'], key).toContain(file.provenance.mode);
  });

  it('an expired batch: its unanswered requests are reported, or finished live with --fallback-live', async () => {
    const root = await copy();
    provider.setOptions({ batchExpire: true });
    const failing = await batchgen(root, ['--category', 'metal', '--force', '--batch-api', '--json']);
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.stdout);
    expect(report.batches.every((b: { status: string }) => b.status === 'expired')).toBe(true);
    expect(report.failures.filter((f: { reason: string }) => /expired/.test(f.reason)).length).toBeGreaterThan(0);

    provider.reset({ memory: true });
    const finishing = await batchgen(root, ['--category', 'metal', '--force', '--batch-api', '--fallback-live', '--json']);
    expect(finishing.code, finishing.stderr).toBe(0);
    const done = JSON.parse(finishing.stdout);
    expect(done.failed).toBe(0);
    expect(done.batches.every((b: { status: string }) => b.status === 'expired')).toBe(true);
    expect(done.liveFallback.components).toBeGreaterThan(0);
  });

  it("--dry-run's token estimate is within 15% of what the fake provider then counts, and its cost follows the price table", async () => {
    const root = await copy();
    // First a run, so the estimate has recorded completions to go by (as a real project would).
    expect((await batchgen(root, ['--all', '--force', '--batch-api', '--fallback-live'])).code).toBe(0);
    provider.reset({ memory: true });

    const dry = await batchgen(root, ['--all', '--force', '--batch-api', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const estimate = JSON.parse(dry.stdout);
    expect(provider.stats.batchesCreated + provider.stats.requests + provider.stats.filesUploaded).toBe(0);
    expect(estimate).toMatchObject({ dryRun: true, mode: 'batch', calls: 763, stages: [{ requests: 218 }, { requests: 545 }] });
    expect(estimate.tokens.exact).toBe(true);

    const run = await batchgen(root, ['--all', '--force', '--batch-api', '--fallback-live', '--json']);
    expect(run.code, run.stderr).toBe(0);
    // The fake counts tokens as ceil(characters / 4), not with a tokenizer. The estimate counts
    // with o200k_base; over these prompts (English prose, catalogue data, an indented JSON
    // schema) the two differ by under 1% in total (up to 4% for one component), so the bound
    // below is stated on what the fake counts: it covers the tokenizer difference, the
    // completions predicted from the recorded median, and the few re-asks the fake's answers
    // cause, which the estimate does not count.
    const within = (estimated: number, counted: number) => Math.abs(estimated - counted) / counted;
    expect(within(estimate.tokens.prompt, provider.stats.promptTokens)).toBeLessThan(0.15);
    expect(within(estimate.tokens.completion, provider.stats.completionTokens)).toBeLessThan(0.15);
    expect(within(estimate.tokens.total, provider.stats.promptTokens + provider.stats.completionTokens)).toBeLessThan(0.15);

    // The cost is the table's gpt-4o-mini price at the Batch API's half price.
    const price = priceFor('openai', 'gpt-4o-mini')!;
    expect(price).toMatchObject({ input: 0.15, cachedInput: 0.075, output: 0.6, batchDiscount: 0.5 });
    const usage = { promptTokens: estimate.tokens.prompt, cachedTokens: estimate.tokens.cached, completionTokens: estimate.tokens.completion };
    const expected = ((usage.promptTokens - usage.cachedTokens) * 0.15 + usage.cachedTokens * 0.075 + usage.completionTokens * 0.6) / 1e6 / 2;
    expect(estimate.cost.usd).toBeCloseTo(expected, 10);
    expect(estimate.cost.usd).toBeCloseTo(costOf(price, usage, 'batch').usd, 10);
    const liveEstimate = JSON.parse((await batchgen(root, ['--all', '--force', '--dry-run', '--json'])).stdout);
    expect(liveEstimate.cost.usd).toBeCloseTo(expected * 2, 10);
  });

  it('--dry-run on an empty project estimates prompts from offline drafts, says so, and takes the `prices` option', async () => {
    const root = await copy();
    await rm(path.join(root, 'content', 'components'), { recursive: true, force: true });
    const config = await readFile(path.join(root, 'astro.config.mjs'), 'utf8');
    await writeFile(
      path.join(root, 'astro.config.mjs'),
      config.replace("provider: 'openai',", "provider: 'openai', prices: { 'openai/gpt-4o-mini': { input: 1, cachedInput: 0.5, output: 4 } },"),
    );
    const dry = await batchgen(root, ['--all', '--batch-api', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/offline writer's drafts \(545\)/);
    expect(dry.stdout).toMatch(/50% of maxTokens/);
    expect(dry.stdout).toMatch(/the `prices` option/);
    const estimate = JSON.parse((await batchgen(root, ['--all', '--batch-api', '--dry-run', '--json'])).stdout);
    expect(estimate.tokens.dependencies).toEqual({ 'current file': 0, 'offline draft': 545, unavailable: 0 });
    expect(estimate.cost.price).toEqual({ input: 1, cachedInput: 0.5, output: 4 });
    expect(estimate.cost.usd).toBeCloseTo(((estimate.tokens.prompt - estimate.tokens.cached) * 1 + estimate.tokens.cached * 0.5 + estimate.tokens.completion * 4) / 1e6 / 2, 10);

    // The prompts are the run's own but for the dependencies' content: the prompt tokens hold
    // within 15% of the fake's count even with offline drafts standing in for frontmatter.
    const run = await batchgen(root, ['--all', '--batch-api', '--fallback-live', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(Math.abs(estimate.tokens.prompt - provider.stats.promptTokens) / provider.stats.promptTokens).toBeLessThan(0.15);
  });
});
