// Hostile model output, dictated through the fake provider's `respond` hook: what could run in a
// reader's browser or change a file's structure is refused before writing (by the draft schemas
// and the content checks); what is harmless text is written as text, and a built page shows it
// as text with nothing executed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { load } from 'js-yaml';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import { parseContent } from '../../integration/store/store.ts';
import { browserSkipReason, launchChromium } from '../e2e/helpers/browser.ts';
import { fixtureWithMissingComponents, type FixtureSite } from '../e2e/helpers/fixture-site.ts';
import { serveDirectory, type StaticServer } from '../e2e/helpers/static-server.ts';
import { startFakeProvider, type FakeProvider, type RespondHook } from '../fake-provider/server.ts';
import { copyProject } from '../helpers/project-copy.ts';

const KEY = 'sk-test-hostile-output';
const SLUG = 'silicon';
let provider: FakeProvider;
let root: string;
let cleanup: () => Promise<void>;
/** The fake's ordinary answers for Silicon, which pass every check: the base each case bends. */
let base: { body: string; bullets: Array<{ title: string; text: string }>; caption: { before: string; after: string; alt: string } };

const file = (component: string, ext: string) => path.join(root, 'content', 'components', component, `${SLUG}.${ext}`);

async function generate(components: string[], respond?: RespondHook) {
  provider.setOptions({ respond });
  const options = parseOptions({ provider: 'openai', retryBaseMs: 20 });
  const project = await openProject(root, options, 'https://laser-cleaning.example.com');
  const resolved = providerForRun(options, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url }, { concurrency: 4 });
  const plan = await planFor(project, { materials: new Set([SLUG]), only: new Set(components), force: true }, resolved.provider);
  const { report } = await runBatch(project, plan, resolved.provider, { concurrency: 4, force: true, gate: resolved.gate });
  return report;
}

beforeAll(async () => {
  provider = await startFakeProvider({ apiKey: KEY, seed: 3 });
  ({ root, cleanup } = await copyProject({ withSite: true }));
  const report = await generate(['frontmatter', 'metatags', 'propertiestable', 'bullets', 'caption', 'text', 'tags']);
  expect(report.failed).toEqual([]);
  const text = parseContent('md', await readFile(file('text', 'md'), 'utf8')) as { body: string };
  const bullets = parseContent('yaml', await readFile(file('bullets', 'yaml'), 'utf8')) as { bullets: typeof base.bullets };
  const caption = parseContent('yaml', await readFile(file('caption', 'yaml'), 'utf8')) as { before: string; after: string; image: { alt: string } };
  base = { body: text.body, bullets: bullets.bullets, caption: { before: caption.before, after: caption.after, alt: caption.image.alt } };
});
afterAll(async () => {
  await provider?.close();
  await cleanup?.();
});
afterEach(() => provider.reset({ memory: true }));

/** A hook that answers `component` with `draft` and leaves every other answer to the fake. */
const answer = (component: string, draft: () => unknown): RespondHook => (context) => (context.component === component ? draft() : undefined);

/** The base article with a paragraph added before its last section. */
function article(paragraph: string): { body: string } {
  const at = base.body.lastIndexOf('\n## ');
  return { body: at > 0 ? `${base.body.slice(0, at)}\n\n${paragraph}\n${base.body.slice(at)}` : `${base.body}\n\n${paragraph}` };
}

function bulletsWith(index: number, field: 'title' | 'text', value: string) {
  return { bullets: base.bullets.map((b, i) => (i === index ? { ...b, [field]: value } : b)) };
}

interface RefusedCase {
  what: string;
  component: 'text' | 'bullets' | 'caption';
  draft: () => unknown;
  reason: RegExp;
}

const REFUSED: RefusedCase[] = [
  {
    what: 'script injection in the Markdown article',
    component: 'text',
    draft: () => article('Never paste </script><script>window.__pwned=1</script> into a report.'),
    reason: /body \(line \d+\): contains raw HTML, `<\/script>`/,
  },
  {
    what: 'script injection in a one-line field',
    component: 'bullets',
    draft: () => bulletsWith(0, 'text', 'Keep the lens clean </script><script>window.__pwned=1</script> at all times.'),
    reason: /schema violations: bullets\.0\.text: must be one line of plain text/,
  },
  {
    what: 'an HTML event handler in the article',
    component: 'text',
    draft: () => article('The surface looks like this: <img src=x onerror="window.__pwned=1"> after cleaning.'),
    reason: /contains raw HTML, `<img src=x onerror=/,
  },
  {
    what: 'a raw HTML block with an event handler',
    component: 'text',
    draft: () => article('<div onmouseover="window.__pwned=1">Hover to see the result.</div>'),
    reason: /contains raw HTML, `<div onmouseover=/,
  },
  {
    what: 'a Markdown javascript: link',
    component: 'text',
    draft: () => article('See [the safety datasheet](javascript:window.__pwned=1) before starting.'),
    reason: /contains a Markdown link or image, `\[the safety datasheet\]\(`.*contains a script URL, `javascript:`/,
  },
  {
    what: 'a Markdown image with a javascript: source',
    component: 'text',
    draft: () => article('![cleaned wafer](javascript:window.__pwned=1)'),
    reason: /contains a Markdown link or image/,
  },
  {
    what: 'a javascript: autolink',
    component: 'text',
    draft: () => article('Details: <javascript:window.__pwned=1>.'),
    reason: /contains raw HTML, `<javascript:/,
  },
  {
    what: 'a javascript: link through a reference definition',
    component: 'text',
    draft: () => article('Read the [datasheet] first.\n\n[datasheet]: javascript:window.__pwned=1'),
    reason: /contains a Markdown link definition, `\[datasheet\]:`/,
  },
  {
    what: 'a second level-1 heading smuggled in as an underlined line',
    component: 'text',
    draft: () => article('Silicon cleaning guide\n======================'),
    reason: /contains a level-1 heading/,
  },
  {
    what: 'a javascript: URL in a one-line field (figure alt text)',
    component: 'caption',
    draft: () => ({ ...base.caption, alt: 'Micrograph of silicon, javascript:window.__pwned=true' }),
    reason: /image\.alt: contains a script URL, `javascript:`/,
  },
  {
    what: 'zero-width characters',
    component: 'text',
    draft: () => article('Clean\u200B the\u200B wafer in one pass.'),
    reason: /body \(line \d+\): contains the invisible control character U\+200B \(zero width space\) 2 times/,
  },
  {
    what: 'a text-direction override',
    component: 'bullets',
    draft: () => bulletsWith(1, 'text', 'Check the surface \u202Eelif eht ni\u202C before the next pass is started.'),
    reason: /bullets\[1\]\.text: contains the invisible control character U\+202E \(right-to-left override\)/,
  },
  {
    what: '1 MB of text in the article',
    component: 'text',
    draft: () => ({ body: 'Silicon is cleaned with care. '.repeat(35_000) }),
    reason: /the answer was \d{7} characters \(\d+ tokens\), far over the 2400 tokens asked for/,
  },
  {
    what: '1 MB of text in a short field',
    component: 'bullets',
    draft: () => bulletsWith(2, 'text', 'x'.repeat(1_048_576)),
    reason: /the answer was \d{7} characters \(\d+ tokens\), far over the 700 tokens asked for/,
  },
];

describe('hostile model output is refused before anything is written', () => {
  for (const c of REFUSED) {
    it(c.what, async () => {
      const target = file(c.component, c.component === 'text' ? 'md' : 'yaml');
      const before = await readFile(target, 'utf8');
      const report = await generate([c.component], answer(c.component, c.draft));
      expect(report.written).toBe(0);
      expect(report.failed).toHaveLength(1);
      expect(report.failed[0]!.reason).toMatch(/^rejected after 3 answers: /);
      expect(report.failed[0]!.reason).toMatch(c.reason);
      expect(await readFile(target, 'utf8')).toBe(before);
    });
  }
});

// Harmless once written as data: YAML tags and front-matter lines are stored as quoted text, a
// quote cannot leave an HTML attribute, and character references render as the characters.
const NEUTRAL = {
  yamlTag: "Kept as text: !!js/function 'function () { window.__pwned = true }' is never run.",
  frontMatter: '--- layout: pwned --- is how a smuggled front matter block would look.',
  alt: 'Silicon micrograph" onerror="window.__pwned=true;alert(document.domain)" data-x="',
  article: [
    'Logs may quote &lt;/script&gt;&lt;script&gt;window.__pwned=true&lt;/script&gt; as plain text.',
    '---\ntitle: pwned\nlayout: evil\n---',
    "A note such as !!js/function 'function () { window.__pwned = true }' stays a note.",
  ].join('\n\n'),
};
// (The Markdown renderer curls straight quotes, so the quoted part is checked without them.)
const ARTICLE_SHOWS = ['</script><script>window.__pwned=true</script>', '!!js/function', 'function () { window.__pwned = true }', 'title: pwned'];

describe('hostile text that is harmless is written as text, and a built page shows it as text', () => {
  let site: FixtureSite | undefined;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await site?.dispose();
  });

  it('writes YAML tags, front-matter lines, attribute quotes and character references as plain data', async () => {
    const report = await generate(['bullets', 'caption', 'text'], (context) => {
      if (context.component === 'text') return article(NEUTRAL.article);
      if (context.component === 'bullets') return { bullets: base.bullets.map((b, i) => (i === 0 ? { ...b, text: NEUTRAL.yamlTag } : i === 1 ? { ...b, text: NEUTRAL.frontMatter } : b)) };
      if (context.component === 'caption') return { ...base.caption, alt: NEUTRAL.alt };
      return undefined;
    });
    expect(report.failed).toEqual([]);
    expect(report.written).toBe(3);

    // Read back with both YAML readers (the generator's and the site's): the strings, unchanged, and no tag resolved.
    const bulletsText = await readFile(file('bullets', 'yaml'), 'utf8');
    expect((parseContent('yaml', bulletsText) as { bullets: Array<{ text: string }> }).bullets.slice(0, 2).map((b) => b.text)).toEqual([NEUTRAL.yamlTag, NEUTRAL.frontMatter]);
    expect((load(bulletsText) as { bullets: Array<{ text: string }> }).bullets[0]!.text).toBe(NEUTRAL.yamlTag);
    const captionData = parseContent('yaml', await readFile(file('caption', 'yaml'), 'utf8')) as { image: { alt: string } };
    expect(captionData.image.alt).toBe(NEUTRAL.alt);
    // The Markdown file keeps one front matter block, its own; the article's "---" lines stay in the body.
    const textFile = await readFile(file('text', 'md'), 'utf8');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(textFile)![1]!;
    expect(Object.keys(load(front) as object).sort()).toEqual(['_provenance', 'wordCount']);
    expect((parseContent('md', textFile) as { body: string }).body).toBe(article(NEUTRAL.article).body.trim());
  });

  it('the built page shows it as text and runs none of it', async (context) => {
    const skip = browserSkipReason();
    if (skip) context.skip(skip);
    site = await fixtureWithMissingComponents(root, []);
    const build = await site.build();
    expect(build.ok, build.output.slice(-3000)).toBe(true);
    server = await serveDirectory(path.join(site.dir, 'dist'));
    browser = await launchChromium();
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.origin}/materials/semiconductor/${SLUG}/`, { waitUntil: 'load' });

    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('[onerror], [onload], [onmouseover], [onclick], [onfocus]').count()).toBe(0);
    expect(await page.locator('script:not([type="application/ld+json"])').evaluateAll((scripts) => scripts.filter((s) => s.textContent?.includes('__pwned')).length)).toBe(0);

    const articleText = await page.locator('#article').innerText();
    for (const shown of ARTICLE_SHOWS) expect(articleText).toContain(shown);
    const keyPoints = await page.locator('#key-points').innerText();
    expect(keyPoints).toContain(NEUTRAL.yamlTag);
    expect(keyPoints).toContain(NEUTRAL.frontMatter);
    expect(await page.locator('#micrograph img').getAttribute('alt')).toBe(NEUTRAL.alt);
  });
});
