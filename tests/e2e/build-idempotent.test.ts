import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';
import { cleanEnv } from '../helpers/cli.ts';

const run = promisify(execFile);

async function gitStatus(): Promise<string> {
  return (await run('git', ['status', '--porcelain'], { cwd: REPO_ROOT })).stdout;
}

describe('the committed content is complete and current', () => {
  it('`npm run build` generates nothing, writes no tracked file, and says so', async () => {
    const before = await gitStatus();
    const { stdout, stderr } = await run('npm', ['run', 'build'], { cwd: REPO_ROOT, env: cleanEnv(), timeout: 540_000, maxBuffer: 64 << 20 });
    const log = `${stdout}\n${stderr}`;
    expect(log).toMatch(/all 1090 components of 109 materials are fresh: nothing to generate/);
    expect(log).not.toMatch(/generating \d+ of/);
    expect(await gitStatus()).toBe(before);
  }, 600_000);

  it('`batchgen --status --json` reports 109 materials, 8 categories and 109 fresh of each component', async () => {
    const result = await runCli(REPO_ROOT, ['--status', '--json']);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.materials).toBe(109);
    expect(status.categories).toBe(8);
    expect(Object.keys(status.components).sort()).toEqual(
      ['author', 'bullets', 'caption', 'frontmatter', 'jsonld', 'metatags', 'propertiestable', 'table', 'tags', 'text'],
    );
    for (const [name, counts] of Object.entries(status.components)) {
      expect(counts, name).toEqual({ fresh: 109, stale: 0, missing: 0, edited: 0, failed: 0 });
    }
  });
});
