import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { planFor, providerForRun, runBatch } from '../../integration/batch.ts';
import { parseOptions } from '../../integration/config.ts';
import { openProject } from '../../integration/project.ts';
import { parseContent } from '../../integration/store/store.ts';
import { startFakeProvider, type FakeProvider, type RespondHook } from '../fake-provider/server.ts';
import { runCli } from '../helpers/cli.ts';
import { copyProject } from '../helpers/project-copy.ts';

const KEY = 'sk-test-review';
let provider: FakeProvider;
let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  provider = await startFakeProvider({ apiKey: KEY, seed: 21 });
  ({ root, cleanup } = await copyProject());
});
afterAll(async () => {
  await provider?.close();
  await cleanup?.();
});
afterEach(() => provider.setOptions({ respond: undefined }));

async function committed(component: string, slug: string): Promise<Record<string, unknown>> {
  const project = await openProject(root, parseOptions({}), undefined);
  const definition = project.components.find((c) => c.name === component)!;
  return parseContent(definition.format, await readFile(project.store.pathOf(definition, slug), 'utf8'));
}

/** Asks the fake for one component of Aluminum with a dictated answer; returns the failure reason and whether the file changed. */
async function answerWith(component: string, respond: RespondHook) {
  provider.setOptions({ respond: (ctx) => (ctx.component === component ? respond(ctx) : undefined) });
  const options = parseOptions({ provider: 'openai', maxReasks: 1 });
  const project = await openProject(root, options, 'https://laser-cleaning.example.com');
  const definition = project.components.find((c) => c.name === component)!;
  const file = project.store.pathOf(definition, 'aluminum');
  const before = await readFile(file, 'utf8');
  const resolved = providerForRun(options, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: provider.url });
  const plan = await planFor(project, { force: true, materials: new Set(['aluminum']), only: new Set([component]) }, resolved.provider);
  const { report } = await runBatch(project, plan, resolved.provider, { concurrency: 1 });
  return { reason: report.failed[0]?.reason ?? '', failed: report.failed.length, unchanged: (await readFile(file, 'utf8')) === before };
}

describe('checks before writing: hostile or careless answers are never written', () => {
  it('rejects an invented number', async () => {
    const bullets = (await committed('bullets', 'aluminum')).bullets as Array<{ title: string; text: string }>;
    const r = await answerWith('bullets', () => ({ bullets: bullets.map((b, i) => (i === 0 ? { ...b, text: 'Aluminum has a density of 7.9 g/cm³, so it soaks up heat.' } : b)) }));
    expect(r.failed).toBe(1);
    expect(r.reason).toMatch(/7\.9 g\/cm³.*not in Aluminum's catalogue record.*2\.7 g\/cm³/);
    expect(r.unchanged).toBe(true);
  });

  it("rejects another material's name as the subject", async () => {
    const r = await answerWith('caption', () => ({
      before: 'Before: the Copper surface is covered in a thick, dark oxide layer that hides its finish.',
      after: 'After: bright, bare Copper with its rolled finish intact and no remelted beads along the track.',
      alt: 'Micrograph of copper before and after laser cleaning, oxide on the left',
    }));
    expect(r.failed).toBe(1);
    expect(r.reason).toMatch(/Copper/);
    expect(r.unchanged).toBe(true);
  });

  it('rejects a wrong author', async () => {
    const body = String((await committed('text', 'aluminum')).body);
    const r = await answerWith('text', () => ({ body: `${body}\n\nWritten by the Heritage Conservation Cleaning Group (sample profile).` }));
    expect(r.failed).toBe(1);
    expect(r.reason).toMatch(/Heritage Conservation Cleaning Group/);
    expect(r.unchanged).toBe(true);
  });

  it('rejects a placeholder remnant', async () => {
    const caption = await committed('caption', 'aluminum');
    const r = await answerWith('caption', () => ({ before: String(caption.before), after: 'TODO: describe the cleaned {material} surface here.', alt: String((caption.image as { alt: string }).alt) }));
    expect(r.failed).toBe(1);
    expect(r.reason).toMatch(/TODO|\{material\}/);
    expect(r.unchanged).toBe(true);
  });

  it("rejects a near-copy of another material's text", async () => {
    const copper = await committed('metatags', 'copper');
    const copied = String(copper.description).replace(/copper/gi, 'aluminum');
    const r = await answerWith('metatags', () => ({ metaDescription: copied.slice(0, 160).padEnd(120, ' and more'), keywords: copper.keywords }));
    expect(r.failed).toBe(1);
    expect(r.reason).toMatch(/near-copy of the metatags of "Copper"/);
    expect(r.unchanged).toBe(true);
  });
});

describe('dependency-aware staleness', () => {
  beforeAll(async () => {
    // A fresh copy: the answers above must not leave anything stale here.
    await cleanup();
    ({ root, cleanup } = await copyProject());
  });

  it("changing one author profile regenerates exactly that author's materials' author, text and jsonld", async () => {
    const file = path.join(root, 'content', 'authors.yaml');
    const doc = parse(await readFile(file, 'utf8'));
    const author = doc.authors.find((a: { id: string }) => a.id === 'safety-compliance');
    // A new name and voice: the author card, the article (written in that voice, signed with
    // that name) and the JSON-LD Person change; nothing else reads the profile.
    author.name = 'Plant Safety Review Team (sample profile)';
    author.voice = `${author.voice} Always names the hazard before the remedy.`;
    await writeFile(file, stringify(doc));
    const project = await openProject(root, parseOptions({}), undefined);
    const plan = await planFor(project, {});
    const theirs = project.catalog.materials.filter((m) => m.author === 'safety-compliance').map((m) => m.slug);
    expect(theirs.length).toBeGreaterThan(0);
    const expected = theirs.flatMap((slug) => ['author', 'text', 'jsonld'].map((c) => `${slug}/${c}`)).sort();
    expect(plan.todo.map((i) => i.key).sort()).toEqual(expected);
    expect(plan.byKey.get(`${theirs[0]}/text`)!.changedInputs).toEqual(['author']);
    const run = await runCli(root, ['--all', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: string) => f.replace(/^content\/components\/([^/]+)\/([^.]+)\..*$/, '$2/$1')).sort()).toEqual(expected);
  });

  it('removes the files of a material taken out of the catalogue and reports them', async () => {
    await cleanup();
    ({ root, cleanup } = await copyProject());
    const file = path.join(root, 'content', 'materials', 'ceramic.yaml');
    const doc = parse(await readFile(file, 'utf8'));
    doc.materials = doc.materials.filter((m: { name: string }) => m.name !== 'Zirconia');
    await writeFile(file, stringify(doc));
    const run = await runCli(root, ['--all', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.removed).toHaveLength(10);
    expect(report.removed).toContain('content/components/frontmatter/zirconia.yaml');
    const status = JSON.parse((await runCli(root, ['--status', '--json'])).stdout);
    expect(status.materials).toBe(108);
    await expect(readFile(path.join(root, 'content', 'components', 'text', 'zirconia.md'))).rejects.toThrow(/ENOENT/);
  });
});
