import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSafeUrl } from '../../integration/markdown-safety.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';
import { browserSkipReason, launchChromium } from './helpers/browser.ts';
import { fixtureWithMissingComponents, type FixtureSite } from './helpers/fixture-site.ts';
import { serveDirectory, type StaticServer } from './helpers/static-server.ts';

// Generated text with these is refused before it is written (tests/reliability/hostile-output);
// here a person puts them into the files by hand, and the page must still run none of it.
const SCRIPT = '</script><script>window.__pwned=1</script>';
const BODY_ADDITION = [
  `A quoted tag: ${SCRIPT}`,
  '<img src="x" onerror="window.__pwned=2">',
  '[Open the safety sheet](javascript:window.__pwned=3)',
  '---',
  'title: pwned',
  '---',
].join('\n\n');

const skip = browserSkipReason();
let site: FixtureSite;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let slug: string;

beforeAll(async () => {
  site = await fixtureWithMissingComponents(REPO_ROOT, []);
  slug = site.slugs[0]!;
  const text = path.join(site.dir, 'content', 'components', 'text', `${slug}.md`);
  await writeFile(text, `${(await readFile(text, 'utf8')).trimEnd()}\n\n${BODY_ADDITION}\n`);
  const frontmatter = path.join(site.dir, 'content', 'components', 'frontmatter', `${slug}.yaml`);
  await writeFile(frontmatter, (await readFile(frontmatter, 'utf8')).replace(/^headline: .*$/m, `headline: ${JSON.stringify(`Hostile ${SCRIPT}`)}`));
  const build = await site.build();
  expect(build.ok, build.output.slice(-3000)).toBe(true);
  if (!skip) {
    server = await serveDirectory(path.join(site.dir, 'dist'));
    browser = await launchChromium();
  }
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.dispose();
});

describe('hand-edited content with script injection is shown as text', () => {
  it('treats only http(s), mailto and site paths as safe link targets', () => {
    for (const url of ['https://example.com/x', 'mailto:a@b.c', '/materials/', '#top', '../x', 'page.html']) expect(isSafeUrl(url), url).toBe(true);
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:x', 'java\tscript:x', 'vbscript:x', 'data:text/html,x']) expect(isSafeUrl(url), url).toBe(false);
  });

  it.skipIf(skip !== undefined)('runs nothing in the browser and shows the text as text', async () => {
    const page = await browser!.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const category = (await readFile(path.join(site.dir, 'content', 'components', 'frontmatter', `${slug}.yaml`), 'utf8')).match(/^category: (.*)$/m)![1]!;
    await page.goto(`${server!.origin}/materials/${category}/${slug}/`, { waitUntil: 'load' });
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('#article img[onerror], #article [onerror]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    const article = await page.locator('#article').innerText();
    expect(article).toContain(SCRIPT);
    expect(article).toContain('<img src="x" onerror="window.__pwned=2">');
    expect(article).toContain('Open the safety sheet (javascript:window.__pwned=3)');
    expect(await page.locator('body').innerText()).toContain(`Hostile ${SCRIPT}`);
    // The JSON-LD still parses, with the headline intact inside it.
    const ld = await page.locator('script[type="application/ld+json"]').textContent();
    expect(JSON.stringify(JSON.parse(ld!))).toContain('window.__pwned=1');
    await page.close();
  });
});
