import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { HtmlValidate, type ConfigData } from 'html-validate';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { serializeJsonLd } from '../../src/lib/json-ld.ts';
import { escapeXml } from '../../src/lib/figures/svg.ts';
import { browserSkipReason, launchChromium } from './helpers/browser.ts';
import { buildSite } from './helpers/build-site.ts';
import {
  elementText,
  htmlPages,
  idsIn,
  jsonLdScripts,
  metaContent,
  readPage,
  referencesIn,
  urlPathOf,
} from './helpers/dist-files.ts';
import { fixtureWithMissingComponents } from './helpers/fixture-site.ts';
import { serveDirectory, type StaticServer } from './helpers/static-server.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SCREENSHOTS = path.join(ROOT, 'tests', '.artifacts', 'screenshots');
const SITE = 'https://laser-cleaning.example.com';
const COMPONENTS = ['frontmatter', 'metatags', 'propertiestable', 'bullets', 'caption', 'text', 'table', 'tags', 'jsonld', 'author'];

let dist: string;
let server: StaticServer | undefined;
let pages: string[];
let materialPages: string[];

beforeAll(async () => {
  dist = await buildSite(ROOT);
  server = await serveDirectory(dist);
  pages = await htmlPages(dist);
  materialPages = pages.filter((file) => /^materials\/[^/]+\/[^/]+\/index\.html$/.test(file));
}, 600_000);

afterAll(async () => {
  await server?.close();
});

/** The catalogue as the site must render it: category files and the materials they list. */
async function readCatalogue(): Promise<{ categories: string[]; materials: number }> {
  const files = (await fg('*.yaml', { cwd: path.join(ROOT, 'content', 'materials') })).sort();
  let materials = 0;
  for (const file of files) {
    const doc = parse(await readFile(path.join(ROOT, 'content', 'materials', file), 'utf8')) as { materials?: unknown[] };
    materials += doc.materials?.length ?? 0;
  }
  return { categories: files.map((f) => path.basename(f, '.yaml')), materials };
}

async function readComponent(component: string, slug: string): Promise<Record<string, any>> {
  return parse(await readFile(path.join(ROOT, 'content', 'components', component, `${slug}.yaml`), 'utf8'));
}

/** The material page to look at closely: Aluminum when the catalogue has it, else the first one. */
function sampleMaterial(): { file: string; url: string; category: string; slug: string } {
  const file = materialPages.find((f) => f.endsWith('/aluminum/index.html')) ?? materialPages[0]!;
  const [, category, slug] = file.split('/');
  return { file, url: urlPathOf(file), category: category!, slug: slug! };
}

describe('the built site', () => {
  it('has one page per catalogue material and one per category', async () => {
    const catalogue = await readCatalogue();
    expect(catalogue.materials).toBeGreaterThan(0);
    expect(materialPages).toHaveLength(catalogue.materials);
    const categoryPages = pages.filter((file) => /^materials\/[^/]+\/index\.html$/.test(file));
    expect(categoryPages.map((f) => f.split('/')[1]).sort()).toEqual(catalogue.categories);
    expect(pages).toContain('index.html');
    expect(pages).toContain('materials/index.html');
  });

  it('has a sitemap index, a robots.txt pointing to it and a 404 page', async () => {
    const sitemapIndex = await readFile(path.join(dist, 'sitemap-index.xml'), 'utf8');
    expect(sitemapIndex).toContain(`<loc>${SITE}/sitemap-0.xml</loc>`);
    const sitemap = await readFile(path.join(dist, 'sitemap-0.xml'), 'utf8');
    expect(sitemap).toContain(`<loc>${SITE}/materials/${sampleMaterial().category}/${sampleMaterial().slug}/</loc>`);
    const robots = await readFile(path.join(dist, 'robots.txt'), 'utf8');
    expect(robots).toMatch(/^User-agent: \*$/m);
    expect(robots).toContain(`Sitemap: ${SITE}/sitemap-index.xml`);
    const notFound = await readFile(path.join(dist, '404.html'), 'utf8');
    expect(elementText(notFound, 'h1')).toBe('Page not found');
    expect(metaContent(notFound, 'robots')).toBe('noindex, follow');
  });

  it('gives every material page one h1, its generated title, description, canonical and social cards', async () => {
    const problems: string[] = [];
    for (const file of materialPages) {
      const slug = file.split('/')[2]!;
      const html = await readPage(dist, file);
      const meta = await readComponent('metatags', slug);
      const frontmatter = await readComponent('frontmatter', slug);
      const brand = meta.openGraph.siteName as string;
      const title = elementText(html, 'title') ?? '';
      const expectations: [string, unknown, unknown][] = [
        ['h1 count', (html.match(/<h1[\s>]/g) ?? []).length, 1],
        ['h1', elementText(html, 'h1'), frontmatter.title],
        ['title', title, meta.documentTitle],
        ['brand in title', title.split(brand).length - 1, 1],
        ['description', metaContent(html, 'description'), meta.description],
        ['canonical', /<link rel="canonical" href="([^"]+)"/.exec(html)?.[1], meta.canonical],
        ['og:title', metaContent(html, 'og:title'), meta.openGraph.title],
        ['og:type', metaContent(html, 'og:type'), 'article'],
        ['og:url', metaContent(html, 'og:url'), meta.canonical],
        ['og:image', metaContent(html, 'og:image'), meta.openGraph.image],
        ['og:image:alt', metaContent(html, 'og:image:alt'), meta.openGraph.imageAlt],
        ['twitter:card', metaContent(html, 'twitter:card'), meta.twitter.card],
        ['twitter:image', metaContent(html, 'twitter:image'), meta.twitter.image],
        ['twitter:image:alt', metaContent(html, 'twitter:image:alt'), meta.twitter.imageAlt],
        ['robots', metaContent(html, 'robots'), 'index, follow'],
        ['<time> elements', (html.match(/<time datetime="[^"]+"/g) ?? []).length >= 2, true],
      ];
      for (const component of COMPONENTS) {
        expectations.push([`data-component="${component}"`, html.split(`data-component="${component}"`).length - 1, 1]);
      }
      for (const [what, actual, expected] of expectations) {
        if (actual !== expected) problems.push(`${file}: ${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('serialises JSON-LD so that generated text can never end the script element', async () => {
    const hostile = { headline: '</script><script>alert(1)</script> <!-- & \u2028\u2029 -->' };
    const json = serializeJsonLd(hostile);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(hostile);

    const problems: string[] = [];
    for (const file of pages) {
      for (const script of jsonLdScripts(await readPage(dist, file))) {
        if (/[<>&\u2028\u2029]/.test(script)) problems.push(`${file}: unescaped character in JSON-LD`);
        try {
          JSON.parse(script);
        } catch (error) {
          problems.push(`${file}: JSON-LD does not parse (${(error as Error).message})`);
        }
      }
    }
    expect(problems).toEqual([]);
    const material = await readPage(dist, sampleMaterial().file);
    expect(jsonLdScripts(material)).toHaveLength(1);
  });

  it('marks every tag page noindex, follow and no material page', async () => {
    const tagPages = pages.filter((file) => file.startsWith('tags/'));
    expect(tagPages.length).toBeGreaterThan(0);
    for (const file of tagPages) expect(metaContent(await readPage(dist, file), 'robots'), file).toBe('noindex, follow');
    for (const file of materialPages) expect(metaContent(await readPage(dist, file), 'robots'), file).not.toMatch(/noindex/);
  });

  it('draws the three figures of every material as SVG files, with escaped text', async () => {
    expect(escapeXml(`<Fe & "Co"> 'x'`)).toBe('&#60;Fe &#38; &#34;Co&#34;&#62; &#39;x&#39;');
    const missing: string[] = [];
    for (const file of materialPages) {
      const slug = file.split('/')[2]!;
      for (const figure of ['hero', 'micro', 'properties']) {
        const svgFile = path.join(dist, 'images', 'materials', slug, `${figure}.svg`);
        if (!existsSync(svgFile)) {
          missing.push(`${slug}/${figure}.svg`);
          continue;
        }
        const svg = await readFile(svgFile, 'utf8');
        // Every & in an SVG must start a character reference, or the file is not XML.
        if (!svg.startsWith('<?xml') || !/<title id="title">[^<]+<\/title>/.test(svg) || /&(?!#?\w+;)/.test(svg)) {
          missing.push(`${slug}/${figure}.svg is malformed`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('links only to pages, files and fragments that exist', async () => {
    const files = new Set(await fg('**/*', { cwd: dist, onlyFiles: true }));
    const idsByFile = new Map<string, Set<string>>();
    const idsOf = async (file: string) => {
      let ids = idsByFile.get(file);
      if (!ids) {
        ids = idsIn(await readPage(dist, file));
        idsByFile.set(file, ids);
      }
      return ids;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const file of pages) {
      const base = new URL(urlPathOf(file), SITE);
      for (const { attribute, value } of referencesIn(await readPage(dist, file))) {
        const target = new URL(value, base);
        // The site's own absolute URLs (canonical, og:url) must point at built pages too.
        if (target.origin !== SITE || !/^https?:$/.test(target.protocol)) continue;
        checked++;
        const pathname = decodeURIComponent(target.pathname);
        const targetFile = pathname.endsWith('/') ? `${pathname.slice(1)}index.html` : pathname.slice(1);
        if (!files.has(targetFile)) {
          broken.push(`${file}: ${attribute}="${value}" -> ${targetFile} does not exist`);
        } else if (target.hash && targetFile.endsWith('.html') && !(await idsOf(targetFile)).has(decodeURIComponent(target.hash.slice(1)))) {
          broken.push(`${file}: ${attribute}="${value}" -> no element with id ${target.hash}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(pages.length);
    expect(broken).toEqual([]);
  });

  it('passes html-validate (recommended) with 0 errors on every built page', async () => {
    const brand = ((await readComponent('metatags', sampleMaterial().slug)).openGraph as { siteName: string }).siteName;
    const config: ConfigData = {
      extends: ['html-validate:recommended'],
      // No rule is relaxed for the site's own markup.
    };
    // Material pages use the generated metatags.documentTitle verbatim: a title of at most 60
    // characters (the frontmatter schema) plus " | " and the brand, which can pass 70.
    const materialPageRules: ConfigData = { rules: { 'long-title': ['error', { maxlength: 60 + ' | '.length + brand.length }] } };
    const validator = new HtmlValidate(config);
    const errors: string[] = [];
    for (const file of pages) {
      const markup = await readPage(dist, file);
      const report = materialPages.includes(file)
        ? await validator.validateString(markup, file, { ...config, ...materialPageRules })
        : await validator.validateString(markup, file);
      for (const result of report.results) {
        for (const message of result.messages) {
          if (message.severity === 2) errors.push(`${file}:${message.line}:${message.column} ${message.ruleId}: ${message.message}`);
        }
      }
    }
    expect(errors).toEqual([]);
  });
});

describe('a catalogue with missing components', () => {
  it('fails the build with one error naming every missing <slug>/<component>', async () => {
    const fixture = await fixtureWithMissingComponents(ROOT, ['text', 'tags']);
    try {
      expect(fixture.removed.length).toBeGreaterThan(0);
      const { ok, output } = await fixture.build();
      expect(ok).toBe(false);
      expect(output).toContain(`${fixture.removed.length} content component(s) are missing`);
      for (const missing of fixture.removed) expect(output).toContain(`  ${missing}\n`);
      expect(existsSync(path.join(fixture.dir, 'dist', 'materials'))).toBe(false);
    } finally {
      await fixture.dispose();
    }
  }, 300_000);
});

const skipReason = browserSkipReason();
if (skipReason) console.warn(`Skipping the browser checks: ${skipReason}`);

describe.skipIf(Boolean(skipReason))('the site in a browser', () => {
  let browser: Browser;
  let context: BrowserContext;

  interface Visit {
    page: Page;
    response: Response | null;
    /** Console errors, uncaught exceptions and failed requests seen while the page loaded. */
    errors: string[];
  }

  /** Opens a page with every image loaded (lazy ones too), recording what went wrong. */
  async function visit(urlPath: string): Promise<Visit> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`exception: ${error.message}`));
    page.on('requestfailed', (request) => {
      // Aborted means cancelled by a navigation or by closing the page (the tab icon is fetched
      // late), not broken; a missing file shows up as an HTTP error below.
      const reason = request.failure()?.errorText ?? 'unknown';
      if (reason !== 'net::ERR_ABORTED') errors.push(`request failed (${reason}): ${request.url()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    const response = await page.goto(`${server!.origin}${urlPath}`, { waitUntil: 'load' });
    await loadAllImages(page);
    return { page, response, errors };
  }

  async function loadAllImages(page: Page): Promise<void> {
    await page.evaluate(() =>
      Promise.all(
        [...document.images].map((image) => {
          image.loading = 'eager';
          return image.decode().catch(() => undefined);
        }),
      ),
    );
  }

  async function axeViolations(page: Page): Promise<string[]> {
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
      const result = await axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
    });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
  }

  function firstTagPath(): string {
    return urlPathOf(pages.find((file) => file.startsWith('tags/'))!);
  }

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('walks from the home page to the index, a category and a material by clicking links', async () => {
    const sample = sampleMaterial();
    const { page, errors } = await visit('/');
    await page.getByRole('link', { name: /^Browse all \d+ materials?$/ }).click();
    await page.waitForURL(/\/materials\/$/);
    expect(await page.locator('h1').textContent()).toBe('Materials');

    await page.locator(`section#category-${sample.category} h2 a`).click();
    await page.waitForURL(new RegExp(`/materials/${sample.category}/$`));
    expect(await page.locator('table.comparison tbody tr').count()).toBeGreaterThan(0);

    await page.locator(`table.comparison tbody th a[href="${sample.url}"]`).click();
    await page.waitForURL(new RegExp(`${sample.url}$`));
    expect(await page.locator('h1').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows all ten components on a material page, each in its own section', async () => {
    const { page, errors } = await visit(sampleMaterial().url);
    for (const component of COMPONENTS) {
      const section = page.locator(`[data-component="${component}"]`);
      expect(await section.count(), component).toBe(1);
      expect(await section.isVisible(), component).toBe(true);
    }
    for (const id of ['overview', 'key-points', 'properties', 'micrograph', 'article', 'technical-data', 'tags', 'author', 'page-details']) {
      expect(await page.locator(`#${id} :is(h1, h2)`).first().isVisible(), id).toBe(true);
    }

    // Tables: a caption, a header row of column headers, and data rows.
    const tables = page.locator('#properties table, #technical-data table');
    expect(await tables.count()).toBe(4);
    for (const table of await tables.all()) {
      expect((await table.locator('caption').textContent())?.trim()).toBeTruthy();
      expect(await table.locator('thead th[scope="col"]').count()).toBeGreaterThanOrEqual(2);
      expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    }

    // The before/after figure: its image with alt text and a caption with the laser settings.
    const figure = page.locator('#micrograph figure');
    expect(await figure.locator('img').getAttribute('alt')).toMatch(/\S{3,}/);
    expect(await figure.locator('figcaption').textContent()).toMatch(/Before[\s\S]*After[\s\S]*Laser settings/);
    expect(await figure.locator('figcaption li').count()).toBeGreaterThan(0);

    expect(await page.locator('#key-points li').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#article .prose h2').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#tags a[href^="/tags/"]').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('#author .author-card').textContent()).toMatch(/sample profile/i);
    expect(await page.locator('#overview time[datetime]').count()).toBe(2);

    // Every image loaded and has alt text; decorative ones say so with an empty alt.
    const images = await page.locator('img').evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((img) => ({ src: img.getAttribute('src'), alt: img.getAttribute('alt'), width: img.naturalWidth })),
    );
    for (const image of images) {
      expect(image.width, `${image.src} did not load`).toBeGreaterThan(0);
      expect(image.alt, `${image.src} has no alt attribute`).not.toBeNull();
      if (image.src?.startsWith('/images/')) expect(image.alt!.length, `${image.src} needs meaningful alt text`).toBeGreaterThan(15);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('publishes JSON-LD with a dated TechArticle, a BreadcrumbList matching the visible trail and its Person', async () => {
    const { page } = await visit(sampleMaterial().url);
    const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(scripts).toHaveLength(1);
    const graph = (JSON.parse(scripts[0]!) as { '@graph': Record<string, any>[] })['@graph'];
    const byType = (type: string) => graph.find((node) => node['@type'] === type)!;

    const article = byType('TechArticle');
    const person = byType('Person');
    const breadcrumbs = byType('BreadcrumbList');
    expect(article.headline).toBe(await page.locator('h1').textContent());
    expect(article.author['@id']).toBe(person['@id']);
    expect(person.name).toBeTruthy();
    expect(Date.parse(article.datePublished)).not.toBeNaN();
    expect(Date.parse(article.dateModified)).toBeGreaterThanOrEqual(Date.parse(article.datePublished));
    expect(await page.locator('#overview time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime')))).toEqual([
      article.datePublished,
      article.dateModified,
    ]);

    const trail = await page
      .locator('nav[aria-label="Breadcrumb"] a')
      .evaluateAll((links) => links.map((a) => ({ name: a.textContent!.trim(), path: a.getAttribute('href') })));
    expect(trail).toEqual(
      (breadcrumbs.itemListElement as { name: string; item: string }[]).map((item) => ({ name: item.name, path: new URL(item.item).pathname })),
    );
    await page.close();
  });

  it('sorts the category comparison table by a column', async () => {
    const { page, errors } = await visit(`/materials/${sampleMaterial().category}/`);
    const header = page.locator('table.comparison thead th', { hasText: 'Density' });
    const densities = () =>
      page.locator('table.comparison tbody tr').evaluateAll((rows) =>
        rows.map((row) => Number((row as HTMLTableRowElement).cells[2]!.dataset.value)),
      );
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await densities();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const descending = await densities();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('logs no console errors and loads every resource on each kind of page', async () => {
    const paths = ['/', '/materials/', `/materials/${sampleMaterial().category}/`, sampleMaterial().url, firstTagPath(), '/authors/'];
    const problems: string[] = [];
    for (const urlPath of paths) {
      const { page, response, errors } = await visit(urlPath);
      if (response?.status() !== 200) problems.push(`${urlPath}: HTTP ${response?.status()}`);
      problems.push(...errors.map((e) => `${urlPath}: ${e}`));
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('answers unknown paths with the 404 page and status 404', async () => {
    const { page, response, errors } = await visit('/materials/no-such-material/');
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found');
    // The only failure allowed is the document's own 404.
    expect(errors.filter((e) => !/404/.test(e))).toEqual([]);
    await page.close();
  });

  it('has no serious or critical accessibility violations', async () => {
    const paths = ['/', '/materials/', `/materials/${sampleMaterial().category}/`, sampleMaterial().url, firstTagPath(), '/authors/', '/404.html'];
    const problems: string[] = [];
    for (const urlPath of paths) {
      const { page } = await visit(urlPath);
      problems.push(...(await axeViolations(page)).map((v) => `${urlPath}: ${v}`));
      await page.close();
    }
    expect(problems).toEqual([]);
  });

  it('saves screenshots of a material page and a category page', async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    for (const [name, urlPath] of [
      ['material', sampleMaterial().url],
      ['category', `/materials/${sampleMaterial().category}/`],
    ] as const) {
      const { page } = await visit(urlPath);
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      await page.close();
    }
  });
});
