import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { openProject, type Project } from '../../integration/project.ts';
import { parseContent } from '../../integration/store/store.ts';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';
import { runCli } from '../helpers/cli.ts';

const KEY = 'sk-test-RECOGNISABLE-KEY-0123456789abcdef';
let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ apiKey: KEY, seed: 7 }));
});
afterAll(() => close?.());
afterEach(() => {
  provider.setOptions({ respond: undefined, rateSchemaViolation: 0, rateTruncation: 0, authFailure: undefined, echoRequestInErrors: false, rate429: 0, rate5xx: 0 });
  provider.reset({ memory: true });
});

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });

async function project(): Promise<Project> {
  return openProject(root, parseOptions({ provider: 'openai' }), 'https://laser-cleaning.example.com');
}

/** Runs one material's components through the live path, in process, against the fake. */
async function generateOne(slug: string, components: string[], extra: Record<string, unknown> = {}) {
  const p = await project();
  const options = parseOptions({ provider: 'openai', maxAttempts: 3, ...extra });
  const resolved = providerForRun(options, env(), { concurrency: 4 });
  const plan = await planFor(p, { materials: new Set([slug]), only: new Set(components), force: true }, resolved.provider);
  const before = new Map<string, string>();
  for (const item of plan.todo) before.set(item.key, await readFile(p.store.pathOf(item.component, slug), 'utf8'));
  const { report } = await runBatch(p, plan, resolved.provider, { concurrency: 4 });
  const after = new Map<string, string>();
  for (const item of plan.todo) after.set(item.key, await readFile(p.store.pathOf(item.component, slug), 'utf8'));
  return { report, before, after, project: p };
}

describe('live generation through the openai client against the local fake provider', () => {
  it('makes all 763 llm components over HTTP; every file validates; the report matches the server', async () => {
    const run = await runCli(root, ['--all', '--force', '--provider', 'openai', '--json', '--concurrency', '32'], env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.failed).toBe(0);
    // 763 components need 763 answers; a few more when an answer is refused by the content
    // checks and asked again (the fake's prose is generic), and the report counts those too.
    expect(provider.stats.succeeded).toBeGreaterThanOrEqual(763);
    expect(provider.stats.succeeded).toBeLessThan(763 * 1.05);
    expect(report.calls).toBe(provider.stats.requests);
    // No request was made twice: every valid answer is to a body not answered before.
    expect(provider.stats.duplicateAnswers).toBe(0);
    expect(report.tokens.prompt).toBe(provider.stats.promptTokens);
    expect(report.tokens.completion).toBe(provider.stats.completionTokens);
    expect(report.tokens.cached).toBe(provider.stats.cachedTokens);
    expect(report.succeeded).toBe(1090);
    for (const component of ['frontmatter', 'metatags', 'propertiestable', 'bullets', 'caption', 'text', 'tags']) {
      expect(provider.stats.byComponent[component]).toBeGreaterThanOrEqual(109);
    }
    const p = await project();
    for (const material of p.catalog.materials) {
      for (const component of p.components) {
        const text = await readFile(p.store.pathOf(component, material.slug), 'utf8');
        const parsed = component.schema.safeParse(parseContent(component.format, text));
        expect(parsed.success, `${material.slug}/${component.name}`).toBe(true);
        if (component.llm) expect(text).toContain('"provider":"openai"');
      }
    }
    // Nothing is stale afterwards: a second run makes no call.
    provider.reset();
    const again = await runCli(root, ['--all', '--provider', 'openai', '--json'], env());
    expect(JSON.parse(again.stdout).calls).toBe(0);
    expect(provider.stats.requests).toBe(0);
  });

  it('re-asks after a schema-violating answer and writes the corrected one', async () => {
    let asked = 0;
    let reask = '';
    provider.setOptions({
      respond: ({ component, body }) => {
        if (component !== 'tags') return undefined;
        const messages = (body as { messages: Array<{ content: string }> }).messages;
        if (asked++ === 0) return { tags: ['Not Lowercase!'] };
        reask = messages[messages.length - 1]!.content;
        return undefined;
      },
    });
    const { report, after } = await generateOne('aluminum', ['tags']);
    expect(report.failed).toEqual([]);
    expect(provider.stats.requests).toBe(2);
    expect(reask).toMatch(/schema violations: tags\.0: must be lowercase words/);
    expect(after.get('aluminum/tags')).not.toContain('Not Lowercase!');
  });

  it('records a component that stays invalid as failed, with the reason, and writes nothing', async () => {
    provider.setOptions({ respond: ({ component }) => (component === 'tags' ? { tags: 'not-a-list' } : undefined) });
    const { report, before, after } = await generateOne('aluminum', ['tags']);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.reason).toMatch(/rejected after 3 answers: schema violations: tags/);
    expect(provider.stats.requests).toBe(3);
    expect(after.get('aluminum/tags')).toBe(before.get('aluminum/tags'));
  });

  it('never writes a truncated answer', async () => {
    provider.setOptions({ rateTruncation: 1 });
    const { report, before, after } = await generateOne('aluminum', ['bullets']);
    expect(report.failed[0]!.reason).toMatch(/cut off .*finish_reason "length"/);
    expect(after.get('aluminum/bullets')).toBe(before.get('aluminum/bullets'));
  });

  it('stops at once on a 401 with one clear message', async () => {
    provider.setOptions({ authFailure: 401 });
    const run = await runCli(root, ['--all', '--force', '--provider', 'openai', '--concurrency', '4'], env());
    expect(run.code).toBe(2);
    expect(provider.stats.requests).toBeLessThanOrEqual(4);
    const messages = run.stdout.split('\n').filter((l) => /refused the API key/.test(l));
    expect(messages).toHaveLength(1);
    expect(run.stdout + run.stderr).not.toMatch(/failed \w+\/\w+:.*refused/);
  });

  it('works end to end through the json_object path (DeepSeek style), validating the answers itself', async () => {
    const p = await project();
    const options = parseOptions({ provider: 'deepseek' });
    const resolved = providerForRun(options, { DEEPSEEK_API_KEY: KEY, DEEPSEEK_BASE_URL: provider.url }, { concurrency: 4 });
    const plan = await planFor(p, { materials: new Set(['aluminum']), force: true }, resolved.provider);
    const seen: string[] = [];
    provider.setOptions({ respond: ({ body }) => void seen.push(JSON.stringify((body as { response_format?: unknown }).response_format)) });
    const { report } = await runBatch(p, plan, resolved.provider, { concurrency: 4 });
    expect(report.failed).toEqual([]);
    expect(report.provider).toBe('deepseek');
    expect(seen.length).toBe(7);
    expect(new Set(seen)).toEqual(new Set(['{"type":"json_object"}']));
  });

  it('leaks the key into no file, log line, report or error message', async () => {
    provider.setOptions({ echoRequestInErrors: true, rate5xx: 0.2, rate429: 0.1, retryAfterMs: 5 });
    const ok = await runCli(root, ['--category', 'ceramic', '--force', '--provider', 'openai', '--json'], env());
    provider.setOptions({ authFailure: 401 });
    const refused = await runCli(root, ['--category', 'glass', '--force', '--provider', 'openai'], env());
    expect(refused.code).toBe(2);
    const outputs = [ok.stdout, ok.stderr, refused.stdout, refused.stderr].join('\n');
    expect(outputs).not.toContain(KEY);
    expect(outputs).not.toContain(KEY.slice(8, 30));
    for (const file of await listFiles(root)) {
      const text = await readFile(file, 'utf8');
      expect(text.includes(KEY) || text.includes(KEY.slice(8, 30)), file).toBe(false);
    }
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out;
}

describe('batchgen --config --check-api', () => {
  it('makes one real call and reports the model and latency', async () => {
    provider.reset({ memory: true });
    const run = await runCli(root, ['--config', '--check-api', '--provider', 'openai', '--json'], env());
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.api).toMatchObject({ ok: true, model: expect.any(String), latencyMs: expect.any(Number) });
    expect(report.keySet).toBe(true);
    expect(report.keyVariable).toBe('OPENAI_API_KEY');
    expect(run.stdout).not.toContain(KEY);
    expect(provider.stats.requests).toBe(1);
  });

  it('says clearly when the key is refused, and exits 2', async () => {
    const run = await runCli(root, ['--config', '--check-api', '--provider', 'openai'], { OPENAI_API_KEY: 'sk-test-wrong-key', OPENAI_BASE_URL: provider.url });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/API check: the provider refused the API key \(HTTP 401\)/);
    expect(run.stdout + run.stderr).not.toContain('sk-test-wrong-key');
  });
});
