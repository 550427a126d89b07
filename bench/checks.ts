// The CPU the content review costs, and the verdicts it gives, over every committed component
// and a set of deliberately bad variants of each llm component.
//
//   npx node bench/checks.ts                    measure and print
//   npx node bench/checks.ts --baseline DIR     also measure the review of another tree, e.g. an
//                                               older commit (git archive <commit> | tar -x -C DIR,
//                                               node_modules linked), and compare its verdicts and
//                                               CPU time with this tree's
//   npx node bench/checks.ts --record FILE      save this tree's verdicts and times to FILE
//   npx node bench/checks.ts --compare FILE     compare them with a recording
//   --processes N --rounds R                    how much to measure (default 3 and 3)
//
// A change to the checks that makes them faster must leave every verdict as it was: record the
// verdicts before the change and compare after, or run the old tree side by side. Each tree is
// measured in fresh processes, taking turns: a process's first round is the cold one a batch
// sees (the review runs once per batch, before the JIT has warmed up), its later rounds are warm.
// Each round opens the project afresh, so per-catalogue caches always start empty. "Setup" is
// what createReview costs before the first answer; work it defers to the first answers (such as
// indexing the committed prose) shows in the committed components' time, so compare trees by
// the time with setup included. The machine is shared, so the times are the lowest measured,
// and a ratio is only as good as the turns were alike.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { Material } from '../integration/catalog/load.ts';
import { findQuantities, proseStrings } from '../integration/checks/index.ts';
import type { PlanItem } from '../integration/plan/plan.ts';
import type { Project } from '../integration/project.ts';
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

/** What one process measured: every round's times, and the verdicts (alike in every round). */
interface ProcessResult {
  rounds: Timing[];
  verdicts: Record<string, Verdict>;
}

/** The times of one tree: the cold first round of a process and the warm ones after it, each the lowest measured. */
interface Summary {
  cold: Timing;
  warm: Timing;
}

interface Recording extends Summary {
  date: string;
  verdicts: Record<string, Verdict>;
}

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    record: { type: 'string' },
    compare: { type: 'string' },
    processes: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    // Internal: one measuring process for one tree.
    code: { type: 'string' },
  },
});

/** The modules a round needs, from one source tree. */
interface Implementation {
  root: string;
  batch: typeof import('../integration/batch.ts');
  config: typeof import('../integration/config.ts');
  project: typeof import('../integration/project.ts');
  review: typeof import('../integration/checks/review.ts');
  checks: typeof import('../integration/checks/index.ts');
}

async function implementation(root: string): Promise<Implementation> {
  const load = (file: string) => import(pathToFileURL(path.join(root, file)).href);
  return {
    root,
    batch: await load('integration/batch.ts'),
    config: await load('integration/config.ts'),
    project: await load('integration/project.ts'),
    review: await load('integration/checks/review.ts'),
    checks: await load('integration/checks/index.ts'),
  };
}

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

/**
 * One round: a fresh project (empty caches), a fresh review, every case checked once. With
 * `judge`, also which check found what, and the nearest text by the similarity index alone
 * (three decimals), so that a changed score shows even where it does not cross the threshold.
 */
async function round(code: Implementation, judge: boolean): Promise<{ timing: Timing; verdicts: Record<string, Verdict> }> {
  // The content is always this repository's; only the code comes from the tree given.
  const project = await code.project.openProject(REPO_ROOT, code.config.parseOptions({}), undefined);
  const plan = await code.batch.planFor(project, { force: true });
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

  const started = cpuMs();
  const review = await code.review.createReview(project.catalog, plan, project.store, project.components);
  const setupMs = cpuMs() - started;

  const verdicts: Record<string, Verdict> = {};
  const run = (cases: Case[]) => {
    const started = cpuMs();
    for (const c of cases) verdicts[c.key] = { problems: review(c.item, c.data, c.related), checks: [] };
    return cpuMs() - started;
  };
  const committedMs = run(committedCases);
  // Made only now, so that collecting their garbage is not timed as the committed components'.
  const variantCases = casesOf(true);
  const variantsMs = run(variantCases);

  if (judge) {
    const { checkComponent, createSimilarityIndex, proseOf } = code.checks;
    const index = createSimilarityIndex();
    for (const c of committedCases) if (c.item.component.llm) index.add(c.item.component.name, c.item.material.slug, proseOf(c.item.component.name, c.data));
    for (const c of [...committedCases, ...variantCases]) {
      const context = { material: bySlug.get(c.item.material.slug)!, catalog: project.catalog, component: c.item.component.name, data: c.data, related: c.related };
      verdicts[c.key]!.checks = checkComponent(context).map((p) => `${p.check} ${p.field}`);
      if (!c.item.component.llm) continue;
      const nearest = index.nearest(c.item.component.name, c.item.material.slug, proseOf(c.item.component.name, c.data));
      verdicts[c.key]!.nearest = nearest ? `${nearest.slug} ${nearest.similarity.toFixed(3)}` : 'none';
    }
  }
  return { timing: { setupMs, committedMs, variantsMs, committed: committedCases.length, variants: variantCases.length }, verdicts };
}

/** The measuring process: rounds of one tree; prints a ProcessResult as JSON. */
async function measureHere(root: string, rounds: number): Promise<void> {
  const code = await implementation(root);
  const result: ProcessResult = { rounds: [], verdicts: {} };
  for (let i = 0; i < rounds; i++) {
    const { timing, verdicts } = await round(code, i === 0 || i === rounds - 1);
    result.rounds.push(timing);
    if (i === 0) result.verdicts = verdicts;
    else if (i === rounds - 1 && JSON.stringify(verdicts) !== JSON.stringify(result.verdicts)) throw new Error(`${root}: the verdicts differ between rounds`);
  }
  process.stdout.write(JSON.stringify(result));
}

const run = promisify(execFile);

/** Measures the trees in fresh processes, taking turns; checks each tree's processes judge alike. */
async function measure(roots: string[], processes: number, rounds: number): Promise<{ summary: Summary; verdicts: Record<string, Verdict> }[]> {
  const script = fileURLToPath(import.meta.url);
  const results = roots.map(() => [] as ProcessResult[]);
  for (let p = 0; p < processes; p++) {
    for (const [n, root] of roots.entries()) {
      const { stdout } = await run(process.execPath, [script, '--code', root, '--rounds', String(rounds)], { maxBuffer: 1 << 28 });
      const result = JSON.parse(stdout) as ProcessResult;
      const times = result.rounds.map((t) => `${t.setupMs.toFixed(0)}+${t.committedMs.toFixed(0)}+${t.variantsMs.toFixed(0)}`).join(', ');
      process.stderr.write(`${root}, process ${p + 1}: setup+committed+variants ms by round: ${times}\n`);
      results[n]!.push(result);
    }
  }
  return results.map((list, n) => {
    const first = JSON.stringify(list[0]!.verdicts);
    if (list.some((r) => JSON.stringify(r.verdicts) !== first)) throw new Error(`${roots[n]}: the verdicts differ between processes`);
    return { summary: { cold: lowestTiming(list.map((r) => r.rounds[0]!)), warm: lowestTiming(list.flatMap((r) => r.rounds.slice(1))) }, verdicts: list[0]!.verdicts };
  });
}

// Other work on the machine only ever adds to a measured time, so the lowest is the closest to
// the review's own cost.
function lowestTiming(list: Timing[]): Timing {
  if (list.length === 0) return { setupMs: NaN, committedMs: NaN, variantsMs: NaN, committed: 0, variants: 0 };
  const of = (key: 'setupMs' | 'committedMs' | 'variantsMs') => Math.min(...list.map((t) => t[key]));
  return { setupMs: of('setupMs'), committedMs: of('committedMs'), variantsMs: of('variantsMs'), committed: list[0]!.committed, variants: list[0]!.variants };
}

const µs = (ms: number, count: number) => `${((ms / count) * 1000).toFixed(0)} µs`;
const perComponent = (t: Timing) => (t.setupMs + t.committedMs + t.variantsMs) / (t.committed + t.variants);
const describe = (s: Summary) =>
  (['cold', 'warm'] as const)
    .map((which) => {
      const t = s[which];
      return [
        `  ${which === 'cold' ? 'cold (first round of a process, as in a batch)' : 'warm (later rounds)'}:`,
        `    review setup (createReview): ${t.setupMs.toFixed(0)} ms`,
        `    ${t.committed} committed components: ${t.committedMs.toFixed(0)} ms, ${µs(t.committedMs, t.committed)} each`,
        `    ${t.variants} bad variants: ${t.variantsMs.toFixed(0)} ms, ${µs(t.variantsMs, t.variants)} each`,
        `    all, setup included: ${(t.setupMs + t.committedMs + t.variantsMs).toFixed(0)} ms, ${µs(perComponent(t), 1)} per checked component`,
      ].join('\n');
    })
    .join('\n');
const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
const speedup = (before: Summary, now: Summary) =>
  (['cold', 'warm'] as const)
    .map((which) => {
      const [b, n] = [before[which], now[which]];
      return `  ${which}: setup ${ratio(b.setupMs, n.setupMs)}, per committed component ${ratio(b.committedMs / b.committed, n.committedMs / n.committed)}, per variant ${ratio(b.variantsMs / b.variants, n.variantsMs / n.variants)}, per checked component with setup ${ratio(perComponent(b), perComponent(n))}`;
    })
    .join('\n');

/** Prints the verdicts that differ; returns how many were compared and how many differ. */
function compareVerdicts(before: Record<string, Verdict>, now: Record<string, Verdict>): { compared: number; different: number } {
  const keys = new Set([...Object.keys(before), ...Object.keys(now)]);
  const different = [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(now[k]));
  for (const key of different.slice(0, 20)) console.log(`  ${key}\n    before: ${JSON.stringify(before[key])}\n    now:    ${JSON.stringify(now[key])}`);
  return { compared: keys.size, different: different.length };
}

if (args.code) {
  await measureHere(args.code, Number(args.rounds));
} else {
  const roots = [REPO_ROOT, ...(args.baseline ? [path.resolve(args.baseline)] : [])];
  const [current, baseline] = await measure(roots, Number(args.processes), Number(args.rounds));
  const { summary, verdicts } = current!;
  const refused = (which: (key: string) => boolean) => Object.entries(verdicts).filter(([k, v]) => which(k) && v.problems.length > 0).length;
  const isVariant = (key: string) => key.split('/').length === 3;

  console.log(`CPU time, the lowest of ${args.processes} processes of ${args.rounds} rounds${baseline ? ', taking turns with the baseline' : ''} (a shared machine: expect noise)`);
  console.log(describe(summary));
  const committedCount = Object.keys(verdicts).filter((k) => !isVariant(k)).length;
  const variantCount = Object.keys(verdicts).length - committedCount;
  console.log(`verdicts: ${refused((k) => !isVariant(k))} of ${committedCount} committed components refused, ${refused(isVariant)} of ${variantCount} variants refused`);
  const byVariant = new Map<string, [number, number]>();
  for (const [key, v] of Object.entries(verdicts)) {
    if (!isVariant(key)) continue;
    const name = key.split('/')[2]!;
    const [r, n] = byVariant.get(name) ?? [0, 0];
    byVariant.set(name, [r + (v.problems.length > 0 ? 1 : 0), n + 1]);
  }
  console.log(`  refused by variant: ${[...byVariant].map(([name, [r, n]]) => `${name} ${r}/${n}`).join(', ')}`);

  if (baseline) {
    console.log(`\nbaseline ${args.baseline}, measured in turns with this tree:\n${describe(baseline.summary)}`);
    const { compared, different } = compareVerdicts(baseline.verdicts, verdicts);
    console.log(`compared ${compared} verdicts with the baseline's: ${different} differ`);
    console.log(`less CPU than the baseline:\n${speedup(baseline.summary, summary)}`);
    if (different > 0) process.exitCode = 1;
  }

  if (args.record) {
    const recording: Recording = { date: new Date().toISOString(), ...summary, verdicts };
    await writeFile(args.record, `${JSON.stringify(recording, null, 1)}\n`);
    console.log(`recorded ${Object.keys(verdicts).length} verdicts to ${args.record}`);
  }

  if (args.compare) {
    const before = JSON.parse(await readFile(args.compare, 'utf8')) as Recording;
    const { compared, different } = compareVerdicts(before.verdicts, verdicts);
    console.log(`\ncompared ${compared} verdicts with ${args.compare} (recorded ${before.date}): ${different} differ`);
    if (before.cold) console.log(`recorded then:\n${describe(before)}\nless CPU than recorded (at another time: only indicative):\n${speedup(before, summary)}`);
    if (different > 0) process.exitCode = 1;
  }
}
