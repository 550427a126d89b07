// Provider faults, against the local fake provider over real HTTP. Runs go in process
// (parseOptions -> openProject -> providerForRun -> planFor -> runBatch) for speed; the cases
// whose promise is an exit code and one message (401/403, unknown model) go through the CLI.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions, type BatchgenOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';
import { runCli } from '../helpers/cli.ts';
import { fingerprint } from '../helpers/tree.ts';

const KEY = 'sk-test-provider-faults-0123456789';
const SEMICONDUCTORS = ['gallium-arsenide', 'silicon', 'silicon-carbide', 'silicon-germanium'];
let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ apiKey: KEY, seed: 9 }));
});
afterAll(() => close?.());
afterEach(() => {
  provider.setOptions({
    respond: undefined,
    requestsPerMinute: undefined,
    rateLimitWindowMs: undefined,
    latencyMs: 0,
    rateHang: 0,
    rateReset: 0,
    rateMalformed: 0,
    rateArrayErrorBody: 0,
    rateOverlong: 0,
    authFailure: undefined,
    unknownModels: undefined,
  });
  provider.reset({ memory: true });
});

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
const components = () => path.join(root, 'content', 'components');

/** Regenerates the llm components of the given materials through the live path, in process. */
async function generate(materials: string[], options: BatchgenOptions = {}, concurrency = 4) {
  const resolvedOptions = parseOptions({ provider: 'openai', retryBaseMs: 20, ...options });
  const project = await openProject(root, resolvedOptions, 'https://laser-cleaning.example.com');
  const resolved = providerForRun(resolvedOptions, env(), { concurrency });
  const llm = project.components.filter((c) => c.llm).map((c) => c.name);
  const plan = await planFor(project, { materials: new Set(materials), only: new Set(llm), force: true }, resolved.provider);
  const started = performance.now();
  const { report } = await runBatch(project, plan, resolved.provider, { concurrency, force: true, gate: resolved.gate });
  return { report, plan, seconds: (performance.now() - started) / 1000 };
}

const faults = (...names: string[]) => names.reduce((sum, name) => sum + (provider.stats.faults[name] ?? 0), 0);

function expectAllWritten(report: Awaited<ReturnType<typeof generate>>['report']) {
  expect(report.failed).toEqual([]);
  expect(report.notRun).toEqual([]);
  expect(report.written + report.unchanged).toBe(report.planned);
  // Every call the engine counted reached the provider, and every component got its answer.
  expect(report.calls).toBe(provider.stats.requests);
  expect(provider.stats.succeeded).toBe(report.planned);
}

describe('provider faults', () => {
  it('a 429 storm from real rate limiting: every call succeeds after backing off; concurrency shrinks, then grows', async () => {
    // 10 requests per 250 ms window (40/s), far below what 8 calls in flight ask for.
    provider.setOptions({ requestsPerMinute: 10, rateLimitWindowMs: 250, latencyMs: 15 });
    const { report } = await generate([...SEMICONDUCTORS, 'alumina', 'zirconia'], {}, 8);
    expectAllWritten(report);
    expect(faults('rateLimitRequests')).toBeGreaterThan(5);
    expect(report.rateLimited).toBe(faults('rateLimitRequests'));
    const { configured, lowest, timeline } = report.concurrency;
    expect(configured).toBe(8);
    expect(lowest).toBeLessThan(configured);
    // The gate came back up after its lowest point.
    const low = timeline.findIndex(([, n]) => n === lowest);
    expect(timeline.slice(low + 1).some(([, n]) => n > lowest), JSON.stringify(timeline)).toBe(true);
  });

  it('a burst of 5xx answers: retried with backoff, every component written', async () => {
    let burst = 12;
    provider.setOptions({
      respond: () => {
        if (burst-- > 0) throw new Error('upstream overloaded');
        return undefined;
      },
    });
    const { report } = await generate(SEMICONDUCTORS.slice(0, 2));
    expect(faults('hookError')).toBe(12);
    expect(report.calls).toBe(provider.stats.requests);
    expect(report.failed).toEqual([]);
    expect(report.written + report.unchanged).toBe(report.planned);
  });

  it('hangs past the deadline are given up at the deadline and retried', async () => {
    provider.setOptions({ rateHang: 0.3 });
    const { report, seconds } = await generate(SEMICONDUCTORS.slice(0, 2), { timeoutMs: 400 });
    expect(faults('hang')).toBeGreaterThan(0);
    expectAllWritten(report);
    // Each hang cost its 400 ms deadline, not the fake's 60 s.
    expect(seconds).toBeLessThan(10);
  });

  it('a provider that always hangs: the component fails with the reason, within attempts x deadline, and nothing is written', async () => {
    provider.setOptions({ rateHang: 1 });
    const before = await fingerprint(components());
    const { report, seconds } = await generate(['silicon'], { timeoutMs: 300, maxAttempts: 2 });
    expect(report.failed.find((f) => f.component === 'frontmatter')?.reason).toBe('the call passed its deadline');
    expect(report.written).toBe(0);
    expect(seconds).toBeLessThan(5);
    expect(await fingerprint(components())).toEqual(before);
  });

  it('connections reset mid-body are retried; every component written', async () => {
    provider.setOptions({ rateReset: 0.3 });
    const { report } = await generate(SEMICONDUCTORS.slice(0, 2));
    expect(faults('reset')).toBeGreaterThan(0);
    expectAllWritten(report);
  });

  it('malformed JSON bodies are retried; every component written', async () => {
    provider.setOptions({ rateMalformed: 0.3 });
    const { report } = await generate(SEMICONDUCTORS.slice(0, 2));
    expect(faults('malformed')).toBeGreaterThan(0);
    expectAllWritten(report);
  });

  it('error bodies shaped as arrays are classified by status and retried; every component written', async () => {
    provider.setOptions({ rateArrayErrorBody: 0.3, retryAfterMs: 20 });
    const { report } = await generate(SEMICONDUCTORS.slice(0, 2));
    expect(faults('arrayErrorBody')).toBeGreaterThan(0);
    expectAllWritten(report);
  });

  it('resets, malformed bodies and array error bodies that never stop: failed with a reason, nothing written, no crash', async () => {
    const before = await fingerprint(components());
    for (const [fault, reason] of [
      ['rateReset', /^the connection failed$|terminated|socket/],
      ['rateMalformed', /^the response body was not valid JSON$/],
      ['rateArrayErrorBody', /^HTTP (429|500|503)$/],
    ] as const) {
      provider.setOptions({ rateReset: 0, rateMalformed: 0, rateArrayErrorBody: 0, retryAfterMs: 20, [fault]: 1 });
      const { report } = await generate(['silicon'], { maxAttempts: 2 });
      expect(report.written, fault).toBe(0);
      const frontmatter = report.failed.find((f) => f.component === 'frontmatter');
      expect(frontmatter?.reason, fault).toMatch(reason);
      // The components that need frontmatter are blocked, not called.
      expect(report.failed.filter((f) => f.reason === 'frontmatter was not generated'), fault).toHaveLength(5);
    }
    expect(await fingerprint(components())).toEqual(before);
  });

  it('an answer 100x longer than asked is refused unread, not sent back with the re-ask, and never written', async () => {
    const sizes: number[] = [];
    provider.setOptions({ rateOverlong: 1, respond: ({ body }) => void sizes.push(JSON.stringify(body).length) });
    const before = await fingerprint(components());
    const { report } = await generate(['silicon']);
    // frontmatter and propertiestable (which needs only the catalogue) are asked; the rest wait for frontmatter.
    for (const component of ['frontmatter', 'propertiestable']) {
      expect(report.failed.find((f) => f.component === component)?.reason).toMatch(
        /^rejected after 3 answers: the answer was \d+ characters \(\d+ tokens\), far over the 900 tokens asked for$/,
      );
    }
    expect(report.failed.filter((f) => f.reason === 'frontmatter was not generated')).toHaveLength(5);
    expect(faults('overlong')).toBe(6);
    expect(report.written).toBe(0);
    expect(await fingerprint(components())).toEqual(before);
    // Each re-ask carries a short note, not the answer of some 360 kB it refused.
    expect(sizes).toHaveLength(6);
    expect(Math.max(...sizes)).toBeLessThan(20_000);
  });

  it('after one overlong answer, the re-ask gets a normal one and that is written', async () => {
    let first = true;
    provider.setOptions({
      respond: ({ component }) => {
        if (component !== 'tags' || !first) return undefined;
        first = false;
        return { tags: Array.from({ length: 8 }, (_, i) => `tag ${'a'.repeat(30)} ${i}`).concat('x'.repeat(200_000)) };
      },
    });
    const { report } = await generate(['silicon']);
    expect(report.failed).toEqual([]);
    expect(report.byComponent.tags!.calls).toBe(2);
  });
});

describe('fatal provider answers stop the run at once with one message (CLI)', () => {
  const cli = (extra: string[] = []) => runCli(root, ['--category', 'semiconductor', '--force', '--provider', 'openai', '--concurrency', '4', ...extra], env());

  it('403: exit 2, one message, at most the calls in flight, nothing written', async () => {
    provider.setOptions({ authFailure: 403 });
    const before = await fingerprint(components());
    const run = await cli();
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(provider.stats.requests).toBeLessThanOrEqual(4);
    const said = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /refused the API key \(HTTP 403\)/.test(l));
    expect(said).toEqual(['Stopped: the provider refused the API key (HTTP 403): check the key variable and its permissions']);
    expect(run.stdout).not.toMatch(/^ {2}failed /m);
    expect(await fingerprint(components())).toEqual(before);
  });

  it('unknown model (404): exit 2, one message, at most the calls in flight, nothing written', async () => {
    provider.setOptions({ unknownModels: ['gpt-nonexistent'] });
    const before = await fingerprint(components());
    const run = await cli(['--model', 'gpt-nonexistent']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(provider.stats.requests).toBeLessThanOrEqual(4);
    expect(faults('modelNotFound')).toBe(provider.stats.requests);
    const said = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /does not know this model/.test(l));
    expect(said).toHaveLength(1);
    expect(run.stdout).not.toMatch(/^ {2}failed /m);
    expect(await fingerprint(components())).toEqual(before);
  });
});
