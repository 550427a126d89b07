// The CPU the content review costs, and the verdicts it gives, over every committed component
// and a set of deliberately bad variants of each llm component.
//
//   npx node bench/checks.ts                         measure and print
//   npx node bench/checks.ts --record FILE           also save verdicts and times to FILE
//   npx node bench/checks.ts --compare FILE          also compare verdicts (and times) with FILE
//   npx node bench/checks.ts --rounds 7              rounds to take the median of (default 5)
//
// A change to the checks that makes them faster must leave every verdict as it was: record the
// verdicts before the change, compare after. Each round opens the project afresh, so the
// per-catalogue caches start cold as in a real run; the machine is shared, so the CPU times
// are medians and a ratio against a recording made at another time is only indicative.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { planFor } from '../integration/batch.ts';
import type { Material } from '../integration/catalog/load.ts';
import { checkComponent, createSimilarityIndex, findQuantities, proseOf, proseStrings } from '../integration/checks/index.ts';
import { createReview } from '../integration/checks/review.ts';
import { parseOptions } from '../integration/config.ts';
import type { PlanItem } from '../integration/plan/plan.ts';
import { openProject, type Project } from '../integration/project.ts';
import { parseContent } from '../integration/store/store.ts';
import { REPO_ROOT } from '../tests/helpers/project-copy.ts';

type Content = Record<string, unknown>;

interface Case {
  key: string;
  item: PlanItem;
  data: Content;
  related: Record<string, Content>;
}

/** What the review said about one case, and what the similarity index finds nearest. */
interface Verdict {
  problems: string[];
  checks: string[];
  nearest?: string;
}

interface Timing {
  setupMs: number;
  committedMs: number;
  variantsMs: number;
  committed: number;
  variants: number;
}

interface Recording {
  date: string;
  timing: Timing;
  verdicts: Record<string, Verdict>;
}

const { values: args } = parseArgs({ options: { record: { type: 'string' }, compare: { type: 'string' }, rounds: { type: 'string', default: '5' } } });

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Every committed component, by material slug, then component name. */
async function committedContent(project: Project): Promise<Map<string, Record<string, Content>>> {
  const out = new Map<string, Record<string, Content>>();
  for (const material of project.catalog.materials) {
    const files: Record<string, Content> = {};
    for (const component of project.components) {
      const file = await project.store.read(component, material.slug);
      if (file) files[component.name] = parseContent(component.format, file.text);
    }
    out.set(material.slug, files);
  }
  return out;
}

/** Sets the string at a JSON path such as "bullets[2].text" or "images.hero.alt". */
function setAt(data: Content, path: string, value: string): void {
  const keys = [...path.matchAll(/[^.[\]]+/g)].map(([k]) => (/^\d+$/.test(k) ? Number(k) : k));
  let node: any = data;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys[keys.length - 1]!] = value;
}

/** Every string of the content passed through `change`. */
function mapStrings(value: unknown, change: (text: string) => string): any {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, change));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]));
  return value;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Bad (and a few harmless) variants of one llm component of one material: each changes the
 * prose the way a careless or hostile answer would, so every check has work that ends in a
 * refusal as well as work that ends in acceptance.
 */
function variants(project: Project, committed: Map<string, Record<string, Content>>, index: number, component: string, data: Content): [string, Content][] {
  const materials = project.catalog.materials;
  const material = materials[index]!;
  const pick = (step: number) => materials[(index + step) % materials.length]!;
  const prose = proseStrings(component, data);
  if (prose.length === 0) return [];
  const longest = prose.reduce((a, b) => (b.text.length > a.text.length ? b : a));
  const out: [string, Content][] = [];
  const variant = (name: string, edit: (copy: Content) => void) => {
    const copy = structuredClone(data);
    edit(copy);
    out.push([name, copy]);
  };

  variant('number', (copy) => {
    const field = prose.find((p) => findQuantities(p.text).length > 0);
    if (!field) return setAt(copy, longest.path, `${longest.text} Its density is 9.87 g/cm³.`);
    const q = findQuantities(field.text)[0]!;
    const changed = q.text.replace(/\d+(?:\.\d+)?/, (n) => String(Number(n) * 3 + 1));
    setAt(copy, field.path, field.text.slice(0, q.index) + changed + field.text.slice(q.index + q.text.length));
  });
  variant('other-name', (copy) => {
    const other = pick(37).name;
    setAt(copy, prose[0]!.path, `${prose[0]!.text} Unlike ${other}.`);
    if (longest !== prose[0]) setAt(copy, longest.path, `${longest.text} ${other} differs; ${other} is not this.`);
  });
  variant('names-mixed', (copy) => {
    const [a, b, c] = [pick(5).name, pick(11).name, pick(23).name];
    const sentence = ` Next to ${a.toLowerCase()}, ${b.replace(/\s+/g, '-')} and ${c}, ${material.name.toLowerCase()} behaves like ${c.toUpperCase()}.`;
    setAt(copy, longest.path, longest.text + sentence);
  });
  variant('placeholder', (copy) => {
    const last = prose[prose.length - 1]!;
    setAt(copy, last.path, `${last.text} TODO: add {material} details here.`);
  });
  variant('invisible', (copy) => {
    const first = prose[0]!;
    const middle = Math.floor(first.text.length / 2);
    setAt(copy, first.path, `${first.text.slice(0, middle)}\u200B${first.text.slice(middle)}\u202E`);
  });
  variant('markup', (copy) => {
    const body = prose.find((p) => p.path === 'body');
    if (body) setAt(copy, 'body', `${body.text}\n\n<script>alert(1)</script> See [more](javascript:alert(1)).\n`);
    else setAt(copy, prose[0]!.path, `${prose[0]!.text} <b>bold</b> javascript:alert(1)`);
  });
  variant('author', (copy) => {
    const other = [...project.catalog.authors.values()].find((a) => a.id !== material.author);
    if (other) setAt(copy, longest.path, `${longest.text} Reviewed by ${other.name.replace(/\s*\(.*\)$/, '')}.`);
  });
  variant('catalogue-wording', (copy) => {
    const application = material.applications[0];
    setAt(copy, longest.path, `${longest.text} ${material.description} ${application ? `${application.industry}: ${application.detail}.` : ''} ${material.subcategory}.`);
  });

  // Another material's text with its name swapped for this one's: whole, and with half its sentences.
  const source = pick(1);
  const theirs = committed.get(source.slug)?.[component];
  if (theirs) {
    const swap = (text: string) => text.replace(new RegExp(escape(source.name), 'gi'), material.name);
    const copied = mapStrings(theirs, swap) as Content;
    out.push(['near-copy', copied]);
    const halved = structuredClone(copied);
    const theirProse = proseStrings(component, halved);
    if (theirProse.length > 0) {
      const long = theirProse.reduce((a, b) => (b.text.length > a.text.length ? b : a));
      setAt(halved, long.path, long.text.split(/(?<=[.!?])\s+/).filter((_, i) => i % 2 === 0).join(' '));
      out.push(['half-copy', halved]);
    }
  }
  return out;
}

/** One round: a fresh project (cold caches), a fresh review, every case checked once. */
async function round(): Promise<{ timing: Timing; verdicts: Record<string, Verdict> }> {
  const project = await openProject(REPO_ROOT, parseOptions({}), undefined);
  const plan = await planFor(project, { force: true });
  const committed = await committedContent(project);
  const bySlug = new Map<string, Material>(project.catalog.materials.map((m) => [m.slug, m]));
  const casesOf = (withVariants: boolean): Case[] => {
    const cases: Case[] = [];
    project.catalog.materials.forEach((material, index) => {
      const files = committed.get(material.slug)!;
      for (const component of project.components) {
        const data = files[component.name];
        const item = plan.byKey.get(`${material.slug}/${component.name}`);
        if (!data || !item) continue;
        const { [component.name]: _own, ...related } = files;
        if (!withVariants) cases.push({ key: `${material.slug}/${component.name}`, item, data, related });
        else if (component.llm) {
          for (const [name, changed] of variants(project, committed, index, component.name, data)) {
            cases.push({ key: `${material.slug}/${component.name}/${name}`, item, data: changed, related });
          }
        }
      }
    });
    return cases;
  };
  const committedCases = casesOf(false);
  const variantCases = casesOf(true);

  let started = cpuMs();
  const review = await createReview(project.catalog, plan, project.store, project.components);
  const setupMs = cpuMs() - started;

  const verdicts: Record<string, Verdict> = {};
  const run = (cases: Case[]) => {
    const started = cpuMs();
    for (const c of cases) verdicts[c.key] = { problems: review(c.item, c.data, c.related), checks: [] };
    return cpuMs() - started;
  };
  const committedMs = run(committedCases);
  const variantsMs = run(variantCases);

  // Outside the timing: which check found what, and the nearest text by the similarity index
  // alone (three decimals), so a change in a score shows even where it does not cross the threshold.
  const index = createSimilarityIndex();
  for (const c of committedCases) if (c.item.component.llm) index.add(c.item.component.name, c.item.material.slug, proseOf(c.item.component.name, c.data));
  for (const c of [...committedCases, ...variantCases]) {
    const context = { material: bySlug.get(c.item.material.slug)!, catalog: project.catalog, component: c.item.component.name, data: c.data, related: c.related };
    verdicts[c.key]!.checks = checkComponent(context).map((p) => `${p.check} ${p.field}`);
    if (!c.item.component.llm) continue;
    const nearest = index.nearest(c.item.component.name, c.item.material.slug, proseOf(c.item.component.name, c.data));
    verdicts[c.key]!.nearest = nearest ? `${nearest.slug} ${nearest.similarity.toFixed(3)}` : 'none';
  }
  return { timing: { setupMs, committedMs, variantsMs, committed: committedCases.length, variants: variantCases.length }, verdicts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const rounds = Number(args.rounds);
const results: { timing: Timing; verdicts: Record<string, Verdict> }[] = [];
for (let i = 0; i < rounds; i++) results.push(await round());
const first = JSON.stringify(results[0]!.verdicts);
if (results.some((r) => JSON.stringify(r.verdicts) !== first)) throw new Error('the verdicts differ between rounds of the same code');

const timing: Timing = {
  setupMs: median(results.map((r) => r.timing.setupMs)),
  committedMs: median(results.map((r) => r.timing.committedMs)),
  variantsMs: median(results.map((r) => r.timing.variantsMs)),
  committed: results[0]!.timing.committed,
  variants: results[0]!.timing.variants,
};
const verdicts = results[0]!.verdicts;
const refused = (prefix: (key: string) => boolean) => Object.entries(verdicts).filter(([k, v]) => prefix(k) && v.problems.length > 0).length;
const isVariant = (key: string) => key.split('/').length === 3;

const perComponent = (t: Timing) => ((t.setupMs + t.committedMs + t.variantsMs) / (t.committed + t.variants)) * 1000;
const describe = (t: Timing) =>
  [
    `  review setup (createReview):  ${t.setupMs.toFixed(0)} ms`,
    `  ${t.committed} committed components: ${t.committedMs.toFixed(0)} ms, ${((t.committedMs / t.committed) * 1000).toFixed(0)} µs each`,
    `  ${t.variants} bad variants:         ${t.variantsMs.toFixed(0)} ms, ${((t.variantsMs / t.variants) * 1000).toFixed(0)} µs each`,
    `  all, setup included:          ${(t.setupMs + t.committedMs + t.variantsMs).toFixed(0)} ms, ${perComponent(t).toFixed(0)} µs per checked component`,
  ].join('\n');

console.log(`CPU time, median of ${rounds} rounds (a shared machine: expect a few per cent of noise)`);
console.log(describe(timing));
console.log(`verdicts: ${refused((k) => !isVariant(k))} of ${timing.committed} committed components refused, ${refused(isVariant)} of ${timing.variants} variants refused`);
const byVariant = new Map<string, [number, number]>();
for (const [key, v] of Object.entries(verdicts)) {
  if (!isVariant(key)) continue;
  const name = key.split('/')[2]!;
  const [r, n] = byVariant.get(name) ?? [0, 0];
  byVariant.set(name, [r + (v.problems.length > 0 ? 1 : 0), n + 1]);
}
console.log(`  refused by variant: ${[...byVariant].map(([name, [r, n]]) => `${name} ${r}/${n}`).join(', ')}`);

if (args.record) {
  const recording: Recording = { date: new Date().toISOString(), timing, verdicts };
  await writeFile(args.record, `${JSON.stringify(recording, null, 1)}\n`);
  console.log(`recorded ${Object.keys(verdicts).length} verdicts to ${args.record}`);
}

if (args.compare) {
  const before = JSON.parse(await readFile(args.compare, 'utf8')) as Recording;
  const keys = new Set([...Object.keys(before.verdicts), ...Object.keys(verdicts)]);
  const different = [...keys].filter((k) => JSON.stringify(before.verdicts[k]) !== JSON.stringify(verdicts[k]));
  console.log(`\ncompared ${keys.size} verdicts with ${args.compare} (recorded ${before.date}): ${different.length} differ`);
  for (const key of different.slice(0, 20)) {
    console.log(`  ${key}\n    before: ${JSON.stringify(before.verdicts[key])}\n    now:    ${JSON.stringify(verdicts[key])}`);
  }
  console.log(`recorded CPU time:\n${describe(before.timing)}`);
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
  console.log(
    `less CPU than recorded: setup ${ratio(before.timing.setupMs, timing.setupMs)}, per committed component ${ratio(before.timing.committedMs / before.timing.committed, timing.committedMs / timing.committed)}, per variant ${ratio(before.timing.variantsMs / before.timing.variants, timing.variantsMs / timing.variants)}, per checked component with setup ${ratio(perComponent(before.timing), perComponent(timing))}`,
  );
  if (different.length > 0) process.exitCode = 1;
}
