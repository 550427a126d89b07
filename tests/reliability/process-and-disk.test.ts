// Disk faults while a run writes: a folder that cannot be written and a full disk. The store
// writes each file to a temporary file, flushes it and renames it into place; these tests make
// that fail at each step and check the run stops with one clear message, the old file is
// unchanged and no temporary or partial file is left.
//
// The tests run as root, where `chmod 0555` does not stop a write, and a read-only mount needs
// privileges a test should not have. So:
// - "a path that is not a folder" is real: the component folder is replaced by a file, and the
//   kernel itself refuses (ENOTDIR), through the real CLI;
// - "a read-only folder" and "a full disk" are simulated in process: `node:fs/promises` is
//   wrapped so that, for the chosen component folder, creating the temporary file fails with
//   EROFS (what a read-only mount answers) or writing it stops half-way with ENOSPC (what a full
//   disk answers, after part of the bytes are on disk). The store's own code runs unchanged.
//
// SIGINT, SIGKILL, two runs at once and a stale lock are covered by
// tests/integration/process-faults.test.ts (see README.md here).
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import { parseContent } from '../../integration/store/store.ts';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';
import { runCli } from '../helpers/cli.ts';
import { fingerprint, listTree } from '../helpers/tree.ts';

/** The fault the wrapped file system plays, for temporary files whose path matches. */
const disk = vi.hoisted(() => ({
  fault: undefined as undefined | { kind: 'read-only' | 'full'; path: RegExp },
  /** Bytes of the temporary file on disk at the moment the full disk was reported. */
  partialBytes: 0,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const failure = (code: string, syscall: string, file: string) =>
    Object.assign(new Error(`${code}: simulated, ${syscall} '${file}'`), { code, syscall, path: file });
  const open: typeof actual.open = async (file, flags, mode) => {
    const fault = disk.fault;
    const hit = fault !== undefined && String(file).endsWith('.tmp') && fault.path.test(String(file));
    if (hit && fault.kind === 'read-only') throw failure('EROFS', 'open', String(file));
    const handle = await actual.open(file, flags, mode);
    if (!hit || fault.kind !== 'full') return handle;
    // A full disk: the first half of the bytes lands, then the write fails.
    return new Proxy(handle, {
      get(target, property) {
        if (property === 'writeFile') {
          return async (data: string) => {
            await target.writeFile(data.slice(0, Math.floor(data.length / 2)));
            disk.partialBytes = (await actual.stat(String(file))).size;
            throw failure('ENOSPC', 'write', String(file));
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  return { ...actual, open, default: { ...actual, open } };
});

const KEY = 'sk-test-disk-faults';
let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ apiKey: KEY, seed: 5 }));
});
afterAll(() => close?.());
afterEach(() => {
  disk.fault = undefined;
  disk.partialBytes = 0;
  provider.reset({ memory: true });
});

const env = () => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
const componentsDir = () => path.join(root, 'content', 'components');

async function generate(slugs: string[], concurrency = 4) {
  const options = parseOptions({ provider: 'openai', retryBaseMs: 20 });
  const project = await openProject(root, options, 'https://laser-cleaning.example.com');
  const resolved = providerForRun(options, env(), { concurrency });
  const llm = project.components.filter((c) => c.llm).map((c) => c.name);
  const plan = await planFor(project, { materials: new Set(slugs), only: new Set(llm), force: true }, resolved.provider);
  const { report } = await runBatch(project, plan, resolved.provider, { concurrency, force: true, gate: resolved.gate });
  return { report, project };
}

/** No temporary file anywhere under content/components, and every file there parses and validates. */
async function expectStoreIntact(): Promise<void> {
  const project = await openProject(root, parseOptions({}), undefined);
  const files = await listTree(componentsDir());
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  for (const component of project.components) {
    for (const file of files.filter((f) => f.startsWith(`${component.name}/`))) {
      const text = await readFile(path.join(componentsDir(), file), 'utf8');
      expect(component.schema.safeParse(parseContent(component.format, text)).success, file).toBe(true);
    }
  }
}

describe('disk faults while writing', () => {
  it('a read-only component folder (EROFS): the run stops at the first write with one clear message; nothing half-written', async () => {
    disk.fault = { kind: 'read-only', path: /\/content\/components\/text\// };
    const textFiles = ['silicon', 'gallium-arsenide'].map((slug) => path.join(componentsDir(), 'text', `${slug}.md`));
    const before = await Promise.all(textFiles.map((f) => readFile(f, 'utf8')));
    const { report } = await generate(['silicon', 'gallium-arsenide']);

    expect(report.fatal).toMatch(
      /^cannot write \/.*\/content\/components\/text\/(silicon|gallium-arsenide)\.md: the file system is read-only \(EROFS\); the file is unchanged: fix the folder or free space, then run again to write what is left$/,
    );
    // Said once: the items not yet done are "not run" with that reason, not 700 copies of the error.
    expect(report.failed.filter((f) => /EROFS/.test(f.reason))).toEqual([]);
    expect(report.notRun.length).toBeGreaterThan(0);
    expect(report.recommendations).toContain('The run stopped at the error shown above: fix its cause and run again; everything written so far is kept.');
    expect(await Promise.all(textFiles.map((f) => readFile(f, 'utf8')))).toEqual(before);
    await expectStoreIntact();
  });

  it('a full disk (ENOSPC half-way through a file): the partial temporary file is removed, the old file kept, the run stops', async () => {
    disk.fault = { kind: 'full', path: /\/content\/components\/caption\// };
    const file = path.join(componentsDir(), 'caption', 'silicon-carbide.yaml');
    const before = await readFile(file, 'utf8');
    const { report } = await generate(['silicon-carbide']);

    // Part of the new file had reached the disk before the failure...
    expect(disk.partialBytes).toBeGreaterThan(0);
    expect(report.fatal).toMatch(/^cannot write \/.*\/content\/components\/caption\/silicon-carbide\.yaml: the disk is full \(ENOSPC\); the file is unchanged/);
    // ...and none of it is left: the old file is intact and no temporary file remains.
    expect(await readFile(file, 'utf8')).toBe(before);
    await expectStoreIntact();
    // The item whose write failed is left for the next run, with the reason.
    expect(report.notRun.find((i) => i.component === 'caption')?.reason).toBe(report.fatal);
  });

  it('a component folder that is a file (a real ENOTDIR, through the CLI): exit 2, one clear message, nothing else touched', async () => {
    const tagsDir = path.join(componentsDir(), 'tags');
    await rename(tagsDir, `${tagsDir}.kept`);
    await writeFile(tagsDir, 'not a folder\n');
    try {
      const before = await fingerprint(componentsDir());
      const run = await runCli(root, ['--material', 'Silicon', '--component', 'tags', '--force', '--provider', 'openai'], env());
      expect(run.code, run.stdout + run.stderr).toBe(2);
      const stopped = run.stdout.split('\n').filter((l) => l.startsWith('Stopped: '));
      expect(stopped).toHaveLength(1);
      expect(stopped[0]).toMatch(/^Stopped: cannot write \/.*\/content\/components\/tags\/silicon\.yaml: part of the path is a file, not a folder \((ENOTDIR|EEXIST)\)/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(await fingerprint(componentsDir())).toEqual(before);
    } finally {
      await rm(tagsDir);
      await rename(`${tagsDir}.kept`, tagsDir);
    }
  });

  it('temporary files a killed run left behind are removed by the next run, and never taken for components', async () => {
    const leftover = path.join(componentsDir(), 'bullets', '.silicon.yaml.0123456789ab.tmp');
    await writeFile(leftover, 'bullets:\n  - title: half a fi');
    const run = await runCli(root, ['--all', '--provider', 'openai', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    await expect(stat(leftover)).rejects.toMatchObject({ code: 'ENOENT' });
    // Not mistaken for the file of a material no longer in the catalogue.
    expect(JSON.parse(run.stdout).removed).toEqual([]);
    await expectStoreIntact();
  });
});
