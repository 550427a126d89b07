import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server.ts';
import { runCli } from '../helpers/cli.ts';
import { copyProject } from '../helpers/project-copy.ts';
import { browserSkipReason, launchChromium } from './helpers/browser.ts';

const skip = browserSkipReason();
let provider: FakeProvider;
let root: string;
let cleanup: () => Promise<void>;
let browser: Browser | undefined;

beforeAll(async () => {
  provider = await startFakeProvider({ seed: 4, latencyMs: 5 });
  ({ root, cleanup } = await copyProject());
  // Some answers are refused, so the report has failures and recommendations to show.
  provider.setOptions({ respond: ({ component, material }) => (component === 'tags' && material === 'Alumina' ? { tags: ['Not Valid!'] } : undefined) });
  const run = await runCli(root, ['--category', 'ceramic', '--category', 'glass', '--force', '--provider', 'openai', '--json'], {
    OPENAI_API_KEY: 'sk-test-report',
    OPENAI_BASE_URL: provider.url,
  });
  expect(run.code).toBe(1);
  if (!skip) browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await cleanup?.();
});

describe('the run report', () => {
  it('is saved as JSON with per-category figures, failures and recommendations', async () => {
    const report = JSON.parse(await readFile(path.join(root, '.batchgen', 'last-run.json'), 'utf8'));
    expect(Object.keys(report.byCategory).sort()).toEqual(['ceramic', 'glass']);
    expect(report.byCategory.ceramic.planned).toBe(50);
    expect(report.failed).toEqual(
      expect.arrayContaining([expect.objectContaining({ material: 'alumina', component: 'tags', reason: expect.stringMatching(/schema violations/) })]),
    );
    expect(report.recommendations.join('\n')).toMatch(/tags answer\(s\) never matched the schema/);
    const status = JSON.parse((await runCli(root, ['--status', '--json'])).stdout);
    expect(status.lastRun).toMatchObject({ provider: 'openai', failed: report.failed.length, calls: report.calls });
  });

  it.skipIf(skip !== undefined)('opens in a browser with its three charts drawn', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path.join(root, '.batchgen', 'last-run.html')).href);
    await expect(page.locator('h1').textContent()).resolves.toBe('batchgen run report');
    expect(await page.locator('#chart-success-by-category .bar rect').count()).toBe(2);
    const heights = await page.locator('#chart-success-by-category .bar rect').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
    expect(heights.every((h) => h > 0)).toBe(true);
    expect(await page.locator('#chart-latency .bar rect').count()).toBe(10);
    const points = await page.locator('#chart-throughput polyline').getAttribute('points');
    expect(points!.trim().split(/\s+/).length).toBeGreaterThanOrEqual(2);
    for (const id of ['chart-success-by-category', 'chart-latency', 'chart-throughput']) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(50);
    }
    await expect(page.getByRole('cell', { name: /schema violations/ }).first().isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
