import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project-copy.ts';
import { browserSkipReason, launchChromium } from './helpers/browser.ts';
import { fixtureWithMissingComponents, type FixtureSite } from './helpers/fixture-site.ts';
import { serveDirectory, type StaticServer } from './helpers/static-server.ts';

// Generated text with any of this is refused before it is written (tests/reliability/
// hostile-output). Here a person puts it into the files by hand: one-line fields must show it as
// text, and an article carrying raw HTML or a script link must not be published at all.
const SCRIPT = '</script><script>window.__pwned=1</script>';

const skip = browserSkipReason();
let site: FixtureSite;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let slug: string;
let category: string;

const file = (component: string, ext: string) => path.join(site.dir, 'content', 'components', component, `${slug}.${ext}`);

beforeAll(async () => {
  site = await fixtureWithMissingComponents(REPO_ROOT, []);
  slug = site.slugs[0]!;
  const frontmatter = await readFile(file('frontmatter', 'yaml'), 'utf8');
  category = /^category: (.*)$/m.exec(frontmatter)![1]!;
  await writeFile(
    file('frontmatter', 'yaml'),
    frontmatter.replace(/^headline: .*$/m, `headline: ${JSON.stringify(`Hostile ${SCRIPT}`)}`),
  );
  const jsonld = JSON.parse(await readFile(file('jsonld', 'json'), 'utf8')) as { '@graph': Array<Record<string, unknown>> };
  jsonld['@graph'].find((n) => n['@type'] === 'TechArticle')!.alternativeHeadline = `Hostile ${SCRIPT}`;
  await writeFile(file('jsonld', 'json'), JSON.stringify(jsonld, null, 2));
  const caption = await readFile(file('caption', 'yaml'), 'utf8');
  await writeFile(file('caption', 'yaml'), caption.replace(/^before: .*$/m, `before: ${JSON.stringify('Before: <img src=x onerror="window.__pwned=2">')}`));
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await site?.dispose();
});

describe('hand-edited content with script injection', () => {
  it('refuses to publish an article with raw HTML or a script link, naming the file', async () => {
    const text = file('text', 'md');
    const original = await readFile(text, 'utf8');
    await writeFile(text, `${original.trimEnd()}\n\n<img src="x" onerror="window.__pwned=3">\n\n[sheet](javascript:window.__pwned=4)\n`);
    const build = await site.build();
    expect(build.ok).toBe(false);
    expect(build.output).toMatch(/article\(s\) contain markup that is not published/);
    expect(build.output).toContain(`content/components/text/${slug}.md`);
    expect(build.output).toMatch(/raw HTML/);
    await writeFile(text, original);
  }, 600_000);

  it.skipIf(skip !== undefined)('shows one-line fields as text and runs nothing in the browser', async () => {
    const build = await site.build();
    expect(build.ok, build.output.slice(-3000)).toBe(true);
    server = await serveDirectory(path.join(site.dir, 'dist'));
    browser = await launchChromium();
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${server.origin}/materials/${category}/${slug}/`, { waitUntil: 'load' });
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.locator('[onerror]').count()).toBe(0);
    const body = await page.locator('body').innerText();
    expect(body).toContain(`Hostile ${SCRIPT}`);
    expect(body).toContain('<img src=x onerror="window.__pwned=2">');
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    // The JSON-LD still parses, with the hostile headline inside it as data, not as markup.
    const ld = await page.locator('script[type="application/ld+json"]').textContent();
    const article = (JSON.parse(ld!)['@graph'] as Array<Record<string, unknown>>).find((n) => n['@type'] === 'TechArticle')!;
    expect(article.alternativeHeadline).toBe(`Hostile ${SCRIPT}`);
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
    await page.close();
  }, 600_000);
});
