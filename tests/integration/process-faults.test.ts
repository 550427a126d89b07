import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import { readProvenanceLine } from '../../integration/store/format.ts';
import { parseContent } from '../../integration/store/store.ts';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server.ts';
import { cleanEnv } from '../helpers/cli.ts';
import { copyProject, REPO_ROOT } from '../helpers/project-copy.ts';
import { until } from '../helpers/wait.ts';

const KEY = 'sk-test-process-faults';
const CONCURRENCY = 8;
let provider: FakeProvider;
let root: string;
let cleanup: () => Promise<void>;

/** Requests that re-ask after an answer the content checks refused (they carry the refused answer). */
let reasks = 0;
beforeAll(async () => {
  provider = await startFakeProvider({
    apiKey: KEY,
    seed: 11,
    latencyMs: 40,
    respond: ({ body }) => {
      if ((body as { messages: unknown[] }).messages.length > 2) reasks++;
      return undefined;
    },
  });
});
afterAll(async () => provider?.close());
beforeEach(async () => {
  ({ root, cleanup } = await copyProject());
  // Everything missing: a run has 763 calls to make.
  await rm(path.join(root, 'content', 'components'), { recursive: true, force: true });
  provider.reset({ memory: true });
  reasks = 0;
});
afterEach(async () => cleanup?.());

function start(args: string[] = []): { child: ChildProcess; output: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'integration', 'bin', 'batchgen.js'), '--root', root, '--all', '--provider', 'openai', '--concurrency', String(CONCURRENCY), ...args],
    { cwd: root, env: cleanEnv({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url }), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const output = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, output };
}

/**
 * Every component file parses, validates and has its provenance. Right after a SIGKILL a
 * temporary file may remain (the kill can land between writing it and renaming it: it is never
 * read as a component, and the next run removes it); otherwise none may be left.
 */
async function assertStoreIntact(options: { afterKill?: boolean } = {}): Promise<{ files: number; live: number; temporary: number }> {
  const project = await openProject(root, parseOptions({}), undefined);
  let files = 0;
  let live = 0;
  let temporary = 0;
  for (const component of project.components) {
    const dir = path.join(project.store.dir, component.name);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (name.endsWith('.tmp')) {
        expect(options.afterKill, `${component.name}/${name} is a leftover temporary file`).toBe(true);
        temporary++;
        continue;
      }
      const text = await readFile(path.join(dir, name), 'utf8');
      const parsed = component.schema.safeParse(parseContent(component.format, text));
      expect(parsed.success, `${component.name}/${name}`).toBe(true);
      const provenance = readProvenanceLine(text) as { provider: string } | undefined;
      expect(provenance).toBeDefined();
      if (provenance!.provider === 'openai') live++;
      files++;
    }
  }
  return { files, live, temporary };
}

describe('a run survives being killed or interrupted', () => {
  it('after SIGKILL midway, a rerun does only what is left; calls lost are at most those in flight', async () => {
    const first = start();
    await until(() => provider.stats.succeeded >= 200, 60_000, '200 answers');
    first.child.kill('SIGKILL');
    const killed = await first.output;
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = provider.stats.succeeded;
    const intact = await assertStoreIntact({ afterKill: true });
    expect(intact.temporary).toBeLessThanOrEqual(CONCURRENCY);
    // Answers not written are those in flight when killed, and those refused by the checks and asked again.
    expect(afterKill - reasks - intact.live).toBeLessThanOrEqual(CONCURRENCY);

    const second = start(['--json']);
    const done = await second.output;
    expect(done.code).toBe(0);
    const report = JSON.parse(done.stdout);
    expect(report.failed).toBe(0);
    const final = await assertStoreIntact();
    expect(final.files).toBe(1090);
    expect(final.live).toBe(763);
    expect(final.temporary).toBe(0);
    // Total successful calls across both runs = calls needed + at most the calls in flight when
    // killed; answers the content checks refused are counted apart (each led to a re-ask).
    expect(provider.stats.succeeded - reasks).toBeGreaterThanOrEqual(763);
    expect(provider.stats.succeeded - reasks).toBeLessThanOrEqual(763 + CONCURRENCY);
  });

  it('on SIGINT, calls in flight finish and are written, the summary prints, and the exit code is non-zero', async () => {
    const run = start(['--json']);
    await until(() => provider.stats.succeeded >= 100, 60_000, '100 answers');
    run.child.kill('SIGINT');
    const result = await run.output;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stopping: no new calls/);
    const report = JSON.parse(result.stdout);
    expect(report.aborted).toBe(true);
    expect(report.notRun).toBeGreaterThan(0);
    // Nothing in flight was dropped: no call was left unanswered, none failed, and every
    // component the run finished is on disk.
    expect(provider.stats.inFlight).toBe(0);
    expect(report.failed).toBe(0);
    const intact = await assertStoreIntact();
    expect(intact.temporary).toBe(0);
    expect(intact.live).toBe(report.files.filter((f: string) => !/\/(table|jsonld|author)\//.test(f)).length);
    expect(intact.live).toBeLessThan(763);
  });

  it('two runs at once: one refuses with a clear message, the other completes, nothing is corrupted', async () => {
    const a = start(['--json']);
    await until(() => provider.stats.requests >= 1, 30_000, 'the first run to start calling');
    const b = start(['--json']);
    const [ra, rb] = await Promise.all([a.output, b.output]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(2);
    expect(rb.stderr).toMatch(/another batchgen run \(process \d+\) is writing this project's components/);
    const intact = await assertStoreIntact();
    expect(intact.files).toBe(1090);
    expect(intact.live).toBe(763);
    expect(provider.stats.succeeded).toBeGreaterThanOrEqual(763);
    expect(provider.stats.succeeded).toBeLessThan(763 * 1.05);
  });

  it('recovers a stale lock left by a killed run', async () => {
    const first = start();
    await until(() => provider.stats.succeeded >= 20, 60_000, '20 answers');
    first.child.kill('SIGKILL');
    await first.output;
    const lock = await readFile(path.join(root, '.batchgen', 'run.lock'), 'utf8');
    expect(Number(lock)).toBe(first.child.pid);
    const second = start(['--json']);
    expect((await second.output).code).toBe(0);
    expect((await assertStoreIntact()).files).toBe(1090);
  });
});
