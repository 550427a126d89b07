import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveLine, progressLine, type ProgressSnapshot } from '../../integration/engine/progress.ts';
import type { FakeProvider } from '../fake-provider/server.ts';
import { startProviderAndProject } from '../helpers/live-project.ts';
import { runCli } from '../helpers/cli.ts';

let provider: FakeProvider;
let root: string;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ provider, root, close } = await startProviderAndProject({ seed: 2 }));
});
afterAll(() => close?.());

describe('progress', () => {
  it('prints a line every 10 materials in CI, with success rate, ETA, tokens and tokens/s, then a summary by category', async () => {
    const run = await runCli(root, ['--all', '--force', '--provider', 'openai'], { OPENAI_API_KEY: 'sk-test-progress', OPENAI_BASE_URL: provider.url });
    expect(run.code).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => /materials · /.test(l));
    expect(lines.map((l) => Number(/^(\d+)\/109 materials/.exec(l)![1]))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 109]);
    for (const line of lines) {
      expect(line).toMatch(/^\d+\/109 materials · \d+\/1090 components · \d+\.\d% ok · [\d.]+k? tokens \([\d.]+k?\/s\) · ETA \S+/);
    }
    expect(run.stdout).toMatch(/By category: ceramic 50\/50, composite 130\/130/);
    expect(run.stdout).toMatch(/Report: .*last-run\.html/);
  });

  it('draws a live line on a terminal with calls in flight and the current concurrency', () => {
    const snapshot: ProgressSnapshot = {
      materialsDone: 12, materialsTotal: 109, done: 130, total: 1090, succeeded: 129, failed: 1,
      promptTokens: 90_000, completionTokens: 30_000, elapsedMs: 10_000, inFlight: 16, concurrency: 12,
    };
    expect(progressLine(snapshot)).toBe('12/109 materials · 130/1090 components · 99.2% ok · 120.0k tokens (12.0k/s) · ETA 1m 14s');
    expect(liveLine(snapshot)).toBe(`[##..................] ${progressLine(snapshot)} · 16 in flight · concurrency 12`);
  });
});
