// Secrets: with a recognisable key configured, no file, log line, report or error message holds
// it, not even when the provider's error bodies echo the request, Authorization header included.
// Extends the key check of tests/integration/live-generation.test.ts with the HTML run report,
// the failure reasons of the run report and failures.json, the CLI's stderr, 401/404 answers
// that echo the request, the key read from `.env`, and --config / --status / --dry-run.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { listTree } from '../helpers/tree.ts';

const KEY = 'sk-proj-CANARY-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c1e';
/** Any recognisable part of the key, as a log or a truncated message might keep it. */
const FRAGMENTS = [KEY, KEY.slice(0, 24), KEY.slice(-24), 'CANARY-7f3a9c'];
let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;
const outputs: CliResult[] = [];

beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ apiKey: KEY, seed: 13, echoRequestInErrors: true, retryAfterMs: 5 }));
  // Quick retries, so components that keep failing fail fast.
  const config = path.join(root, 'astro.config.mjs');
  await writeFile(config, (await readFile(config, 'utf8')).replace("concurrency: 16,", 'concurrency: 16, maxAttempts: 2, retryBaseMs: 10,'));
});
afterAll(() => close?.());
afterEach(() => {
  provider.setOptions({ respond: undefined, authFailure: undefined, unknownModels: undefined, rate5xx: 0, rate429: 0 });
  provider.reset({ memory: true });
});

const env = (extra: Record<string, string> = {}) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url, ...extra });

async function cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult> {
  const result = await runCli(root, args, extraEnv ?? env());
  outputs.push(result);
  return result;
}

function expectNoKey(text: string, where: string): void {
  for (const fragment of FRAGMENTS) expect(text.includes(fragment), `${where} holds "${fragment}"`).toBe(false);
}

describe('the API key never leaves the environment', () => {
  it('the fake really echoes the key in its error bodies (so the checks below can catch a leak)', async () => {
    provider.setOptions({ authFailure: 401 });
    const response = await fetch(`${provider.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-chat', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain(KEY);
  });

  it('components that fail with 5xx answers echoing the key: the reasons in the summary, stderr, run reports (JSON and HTML) and failures.json hold no key', async () => {
    // tags always fails (500 with the request echoed); the rest meets 429s and 5xx on the way.
    provider.setOptions({
      rate5xx: 0.2,
      rate429: 0.1,
      respond: ({ component }) => {
        if (component === 'tags') throw new Error('tags are broken today');
        return undefined;
      },
    });
    const run = await cli(['--category', 'semiconductor', '--force', '--provider', 'openai']);
    expect(run.code).toBe(1);
    expect(provider.stats.faults.hookError).toBeGreaterThanOrEqual(4);
    // The failure path was taken: the reasons are there, without the echoed body.
    expect(run.stdout).toMatch(/^ {2}failed [a-z-]+\/tags: HTTP 500$/m);
    const html = await readFile(path.join(root, '.batchgen', 'last-run.html'), 'utf8');
    expect(html).toContain('HTTP 500');
    const json = JSON.parse(await readFile(path.join(root, '.batchgen', 'last-run.json'), 'utf8')) as { failed: Array<{ reason: string }> };
    expect(json.failed.filter((f) => f.reason === 'HTTP 500').length).toBeGreaterThan(0);
    const failures = await readFile(path.join(root, '.batchgen', 'failures.json'), 'utf8');
    expect(failures).toContain('HTTP 500');
    for (const [where, text] of [['stdout', run.stdout], ['stderr', run.stderr], ['last-run.html', html], ['failures.json', failures]] as const) expectNoKey(text, where);
  });

  it('a 401 whose body echoes the key: one message, no key', async () => {
    provider.setOptions({ authFailure: 401 });
    const run = await cli(['--category', 'ceramic', '--force', '--provider', 'openai', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).fatal).toMatch(/refused the API key \(HTTP 401\)/);
    expectNoKey(run.stdout + run.stderr, '401 output');
  });

  it('a 404 for an unknown model whose body echoes the key: one message, no key', async () => {
    provider.setOptions({ unknownModels: ['gpt-missing'] });
    const run = await cli(['--material', 'Alumina', '--force', '--provider', 'openai', '--model', 'gpt-missing']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Stopped: the provider does not know this model/);
    expectNoKey(run.stdout + run.stderr, '404 output');
  });

  it('--config, --status and --dry-run say which variable holds the key, never the key', async () => {
    const config = await cli(['--config']);
    expect(config.stdout).toMatch(/Key: OPENAI_API_KEY is set/);
    const configJson = await cli(['--config', '--json']);
    const status = await cli(['--status']);
    const dryRun = await cli(['--all', '--dry-run', '--provider', 'openai', '--json']);
    for (const run of [config, configJson, status, dryRun]) expectNoKey(run.stdout + run.stderr, 'config/status/dry-run output');
  });

  it('a key read from .env is treated the same', async () => {
    await writeFile(path.join(root, '.env'), `OPENAI_API_KEY=${KEY}\n`);
    const run = await cli(['--material', 'Zirconia', '--force', '--provider', 'openai'], { OPENAI_BASE_URL: provider.url });
    expect(run.code).toBe(0);
    // The key reached the provider (from .env), and nowhere else.
    expect(provider.stats.authorizationHeaders).toEqual(new Set([`Bearer ${KEY}`]));
    expectNoKey(run.stdout + run.stderr, '.env run output');
  });

  it('no file of the project holds the key (content, .batchgen reports of every run, failures), apart from .env itself', async () => {
    expect(outputs.length).toBeGreaterThanOrEqual(8);
    const files = (await listTree(root)).filter((f) => f !== '.env' && f !== 'node_modules');
    expect(files.some((f) => f.startsWith('.batchgen/runs/') && f.endsWith('.json'))).toBe(true);
    expect(existsSync(path.join(root, '.batchgen', 'last-run.html'))).toBe(true);
    expect(files.filter((f) => f.startsWith('content/components/')).length).toBeGreaterThan(1000);
    for (const file of files) expectNoKey(await readFile(path.join(root, file), 'utf8'), file);
  });
});
