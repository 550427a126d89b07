import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContent } from '../../integration/store/store.ts';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server.ts';
import { runCli } from '../helpers/cli.ts';
import { copyProject } from '../helpers/project-copy.ts';
import { buildSite } from '../e2e/helpers/build-site.ts';

const KEY = 'sk-test-hand-edits';
const EDITED = 'Hand-written: how our shop strips anodising and release agent from aluminium housings before welding, and the checks we make after.';
let provider: FakeProvider;
let root: string;
let cleanup: () => Promise<void>;
const prompts: Record<string, string> = {};

beforeAll(async () => {
  provider = await startFakeProvider({
    apiKey: KEY,
    seed: 31,
    respond: ({ component, material, body }) => {
      if (material === 'Aluminum' && component) {
        const messages = (body as { messages: Array<{ content: string }> }).messages;
        prompts[component] = messages[messages.length - 1]!.content;
      }
      return undefined;
    },
  });
  ({ root, cleanup } = await copyProject({ withSite: true }));
});
afterAll(async () => {
  await provider?.close();
  await cleanup?.();
});

const frontmatterFile = () => path.join(root, 'content', 'components', 'frontmatter', 'aluminum.yaml');
const status = async () => JSON.parse((await runCli(root, ['--status', '--material', 'aluminum', '--json'])).stdout) as {
  items: Array<{ component: string; status: string; changedInputs?: string[] }>;
};

describe('a hand edit is respected, and flows downstream', () => {
  let edited: string;

  it('is reported as edited; its dependents become stale because of it', async () => {
    const original = await readFile(frontmatterFile(), 'utf8');
    edited = original.replace(/^description: .*$/m, `description: "${EDITED}"`);
    expect(edited).not.toBe(original);
    await writeFile(frontmatterFile(), edited);
    const items = (await status()).items;
    const byName = Object.fromEntries(items.map((i) => [i.component, i]));
    expect(byName.frontmatter!.status).toBe('edited');
    for (const c of ['metatags', 'bullets', 'caption', 'text', 'tags', 'jsonld']) {
      expect(byName[c]!.status, c).toBe('stale');
    }
    expect(byName.metatags!.changedInputs).toEqual(['frontmatter (component)']);
    expect(byName.propertiestable!.status).toBe('fresh');
  });

  it('`batchgen --all` leaves it byte for byte and regenerates metatags and jsonld from the edited text', async () => {
    const run = await runCli(root, ['--all', '--provider', 'openai', '--json'], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.files).toEqual(
      expect.arrayContaining(['content/components/metatags/aluminum.yaml', 'content/components/jsonld/aluminum.json']),
    );
    expect(report.files.some((f: string) => f.includes('/frontmatter/'))).toBe(false);
    expect(await readFile(frontmatterFile(), 'utf8')).toBe(edited);
    // The model was given the edited description...
    expect(prompts.metatags).toContain(EDITED);
    // ...and the derived JSON-LD carries it.
    const jsonld = parseContent('json', await readFile(path.join(root, 'content', 'components', 'jsonld', 'aluminum.json'), 'utf8'));
    const article = (jsonld['@graph'] as Array<Record<string, unknown>>).find((n) => n['@type'] === 'TechArticle')!;
    expect(article.abstract).toBe(EDITED);
  });

  it('`npm run build` leaves it byte for byte and shows it on the page', async () => {
    const dist = await buildSite(root);
    expect(await readFile(frontmatterFile(), 'utf8')).toBe(edited);
    const html = await readFile(path.join(dist, 'materials', 'metal', 'aluminum', 'index.html'), 'utf8');
    expect(html).toContain(EDITED.replace(/'/g, '&#39;').slice(0, 60));
  }, 600_000);

  it('`--accept-edits` clears the edited status without changing the content', async () => {
    const before = parseContent('yaml', await readFile(frontmatterFile(), 'utf8'));
    const run = await runCli(root, ['--accept-edits', '--material', 'aluminum', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).accepted).toEqual(['aluminum/frontmatter']);
    expect(parseContent('yaml', await readFile(frontmatterFile(), 'utf8'))).toEqual(before);
    const items = (await status()).items;
    expect(items.find((i) => i.component === 'frontmatter')!.status).toBe('fresh');
    expect(items.every((i) => i.status === 'fresh')).toBe(true);
    // Fresh, so no run rewrites it.
    const again = await runCli(root, ['--all', '--upgrade', '--provider', 'openai', '--material', 'aluminum', '--component', 'frontmatter', '--json'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: provider.url,
    });
    expect(JSON.parse(again.stdout).calls).toBe(0);
  });
});
