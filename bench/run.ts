// `npm run bench`: the batch engine's measured goals, side by side in one run.
// Writes bench/results/latest.json and bench/results/latest.md.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { planFor, providerForRun, runBatch } from '../integration/batch.ts';
import { parseOptions } from '../integration/config.ts';
import { openProject } from '../integration/project.ts';
import { startFakeProvider } from '../tests/fake-provider/server.ts';
import { copyProject, REPO_ROOT } from '../tests/helpers/project-copy.ts';
import { fullBatch, round, simulated, withoutFaults, type FullBatchResult } from './full-batch.ts';
import { measurePlanning, syntheticProject } from './planning.ts';
import { boundsFor } from './bound.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// Every time of the simulated provider is divided by SCALE (see README: why not 100 on this machine).
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const SIMULATED = simulated(SCALE);
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, scale: SCALE, simulated: SIMULATED };
const log = (line: string) => process.stderr.write(`${line}\n`);

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
/** Saves what has been measured so far, so a later section's failure loses nothing. */
async function save(): Promise<void> {
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
}

// a) Full batch, concurrency 1 (the old design) and 64, same simulated provider, same run. The
// concurrency-64 runs take seconds, so each is repeated and the median kept (all are recorded).
// Each repeat has its own seed: faults are drawn per request body, so under one seed the same
// requests fail in every repeat, and whether an unlucky request (say four faults in a row) falls
// in the run's last wave or early on decides a second at this scale. The seeds also take in
// the machine's noise (it is shared; one run can lose a second to a neighbour).
const SEEDS = [1, 2, 3, 4, 5];
async function median(label: string, run: (seed: number) => Promise<FullBatchResult>, seeds = SEEDS) {
  const runs = [];
  for (const seed of seeds) {
    runs.push({ ...(await run(seed)), seed });
    log(`   ${label}, seed ${seed}: ${runs.at(-1)!.wallMs} ms`);
  }
  const sorted = [...runs].sort((x, y) => x.wallMs - y.wallMs);
  return { ...sorted[Math.floor(runs.length / 2)]!, repeats: runs.map((r) => ({ seed: r.seed, wallMs: r.wallMs, efficiency: r.efficiency, requests: r.requests })) };
}
log('a) full batch at concurrency 1 ...');
const serial = await fullBatch(1, 1, SIMULATED);
log(`   ${serial.wallMs} ms`);
log('a) full batch at concurrency 64 ...');
const parallel = await median('concurrency 64', (seed) => fullBatch(64, seed, SIMULATED));
log('a) full batch at concurrency 64, no faults injected (for comparison) ...');
const clean = await median('no faults', (seed) => fullBatch(64, seed, withoutFaults(SIMULATED)), SEEDS.slice(0, 3));
results.fullBatch = {
  concurrency1: serial,
  concurrency64: parallel,
  concurrency64NoFaults: clean,
  speedup: round(serial.wallMs / parallel.wallMs, 1),
};
await save();

// a') The same at the issue's scale of 100 (33 ms latency), once each: there the engine's CPU
// per request, not the provider, sets the pace on this machine (see README).
if (SCALE !== 100) {
  const S100 = simulated(100);
  log('a) at time scale 100: concurrency 1 ...');
  const serial100 = await fullBatch(1, 1, S100);
  log('a) at time scale 100: concurrency 64 ...');
  const parallel100 = await fullBatch(64, 1, S100);
  results.fullBatchScale100 = { concurrency1: serial100, concurrency64: parallel100, speedup: round(serial100.wallMs / parallel100.wallMs, 1) };
  await save();
}

// a'') The runs above share one process, so from the second on the engine's code is compiled.
// A user's run starts cold: the same concurrency-64 batch in a fresh process, once. At this
// time scale the first second of compiling weighs ten times what it does at the real one.
/** One full batch in a fresh process (bench/full-batch-once.ts). */
async function coldBatch(concurrency: number, scale: number, faults: boolean, seed = 1): Promise<FullBatchResult> {
  const script = fileURLToPath(new URL('./full-batch-once.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, String(concurrency), String(scale), faults ? 'faults' : 'clean', String(seed)], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}
log('a) concurrency 64 in a fresh process ...');
const cold = await coldBatch(64, SCALE, true);
log(`   ${cold.wallMs} ms`);
results.fullBatchCold = { concurrency64: cold };
await save();

// a''') At the real time scale (3.3 s mean latency, 3,000 requests/min, nothing divided),
// concurrency 64 once, in a fresh process as a user's run: the engine's CPU is then a thousandth
// of each call's time, so the wall time measures the scheduling and the faults alone.
// (Concurrency 1 would take about 45 minutes at this scale; the speedup is measured above.)
if (SCALE !== 1) {
  log('a) at the real time scale: concurrency 64, in a fresh process ...');
  const realTime = await median('real time scale', (seed) => coldBatch(64, 1, true, seed), SEEDS.slice(0, 3));
  results.fullBatchRealTime = { concurrency64: realTime };
  await save();
}

// e) What any client could reach against this provider: a model (bench/bound.ts), to read the
// measured efficiency against.
log('e) the model of an idealised client ...');
results.bound = boundsFor(parallel.llmCallsNeeded, 64);
await save();

// d) Grouping: the same full batch at concurrency 64 with the short components asked together.
log('d) full batch at concurrency 64, grouped ...');
const grouped = await fullBatch(64, 1, SIMULATED, true);
log(`   ${grouped.wallMs} ms`);
results.grouping = {
  separate: pickGrouping(parallel),
  grouped: pickGrouping(grouped),
  callsSaved: round(1 - grouped.requests / parallel.requests),
  promptTokensSaved: round(1 - grouped.promptTokens / parallel.promptTokens),
  completionTokensRatio: round(grouped.completionTokens / parallel.completionTokens),
  wallRatio: round(grouped.wallMs / parallel.wallMs),
};
await save();

// b) Planning with everything fresh: the real catalogue, then 10,000 synthetic materials.
log('b) planning the committed catalogue ...');
const real = await measurePlanning(REPO_ROOT);
log('b) generating 10,000 synthetic materials offline (setup, not measured) ...');
const synthetic = await syntheticProject(10_000);
let large;
try {
  log('b) planning 10,000 materials ...');
  large = await measurePlanning(synthetic.root);
} finally {
  await synthetic.cleanup();
}
results.planning = { catalogue: real, synthetic10000: large };

// c) One material changed: the calls a rerun makes.
log('c) one material changed ...');
results.oneChanged = await oneMaterialChanged();

await save();
await writeFile(path.join(out, 'latest.md'), markdown(results));
log(markdown(results));

function pickGrouping(r: Awaited<ReturnType<typeof fullBatch>>) {
  return { calls: r.requests, neededCalls: r.llmCallsNeeded, promptTokens: r.promptTokens, completionTokens: r.completionTokens, wallMs: r.wallMs, successRate: r.successRate };
}

async function oneMaterialChanged() {
  const provider = await startFakeProvider({ seed: 3 });
  const { root, cleanup } = await copyProject();
  try {
    const file = path.join(root, 'content', 'materials', 'metal.yaml');
    const doc = parse(await readFile(file, 'utf8'));
    doc.materials[0].properties.thermalConductivity.value += 1;
    await writeFile(file, stringify(doc));
    const options = parseOptions({ provider: 'openai', concurrency: 8 });
    const project = await openProject(root, options, 'https://laser-cleaning.example.com');
    const resolved = providerForRun(options, { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: provider.url });
    const plan = await planFor(project, {}, resolved.provider);
    const { report } = await runBatch(project, plan, resolved.provider, { concurrency: 8 });
    return {
      changed: `${doc.materials[0].name}: properties.thermalConductivity`,
      componentsRegenerated: report.written + report.unchanged,
      calls: provider.stats.requests,
      components: plan.todo.map((i) => i.component.name),
    };
  } finally {
    await provider.close();
    await cleanup();
  }
}

function markdown(r: any): string {
  const a = r.fullBatch;
  const row = (x: any, note = '') =>
    `| ${x.concurrency}${note} | ${x.wallMs} | ${x.idealMs} | **${x.efficiency}** | ${x.slotUtilisation} | ${x.usefulShare} | ${(x.successRate * 100).toFixed(1)}% | ${x.requests} | ${x.retries} | ${x.reasks} | ${x.duplicates} | ${x.lowestConcurrency} | ${x.cpuMsPerRequest} |`;
  const header = [
    '| concurrency | wall ms | ideal ms | efficiency | slot utilisation | useful share | success | requests | retries | answers re-asked | duplicate calls | lowest concurrency | engine CPU ms per request |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const s100 = r.fullBatchScale100;
  return [
    `# Benchmark (${r.date}, Node ${r.node}, ${r.cpus} CPUs)`,
    '',
    `Simulated provider, every time scaled down ${r.scale}x: latency ${r.simulated.latencyMs} ms mean, ${r.simulated.requestsPerMinute} requests/min, faults 5% 429 (retry-after ${r.simulated.retryAfterMs} ms), 2% 5xx, 1% hangs past the ${r.simulated.timeoutMs} ms deadline.`,
    'Ideal: every needed call at the mean latency with all slots busy and no fault (the request limit and the dependency chain allow more). Efficiency = ideal / wall = slot utilisation (share of wall x concurrency that calls were in flight) x useful share (share of that time spent on needed answers at the mean latency).',
    `Concurrency 64 rows: the median of ${a.concurrency64.repeats.length} runs, each with its own seed, so faults fall on other requests in each (walls ${a.concurrency64.repeats.map((x: any) => `${x.wallMs} (seed ${x.seed})`).join(', ')} ms with faults; ${a.concurrency64NoFaults.repeats.map((x: any) => `${x.wallMs} (seed ${x.seed})`).join(', ')} ms without). Concurrency 1 and the fresh process: seed 1.`,
    '',
    ...header,
    row(a.concurrency1),
    row(a.concurrency64),
    row(a.concurrency64NoFaults, ' (no faults injected)'),
    ...(r.fullBatchCold ? [row(r.fullBatchCold.concurrency64, ' (a fresh process)')] : []),
    '',
    `Speedup of concurrency 64 over 1: **${a.speedup}x**. The rows above share one process, so from the second run on the engine's code is compiled; "a fresh process" is one run as a user's starts, its first second spent compiling, which weighs ten times more at this scale than at the real one.`,
    '',
    ...(s100
      ? [
          `At the issue's time scale of 100 (latency ${3300 / s100.concurrency64.scale} ms): speedup **${s100.speedup}x**. There 64 calls of 33 ms ask for ${Math.round((64 / 33) * 1000)} requests per second; at concurrency 64 the engine spends ${s100.concurrency64.cpuMsPerRequest} ms of CPU per request and the simulated provider ${s100.concurrency64.providerCpuMsPerRequest} ms in its own process, ${((Math.round((64 / 33) * 1000) * (s100.concurrency64.cpuMsPerRequest + s100.concurrency64.providerCpuMsPerRequest)) / 1000).toFixed(1)} cores' worth at that rate on a ${r.cpus}-core machine, so there the wall time measures CPU, not the scheduling.`,
          '',
          ...header,
          row(s100.concurrency1),
          row(s100.concurrency64),
          '',
        ]
      : []),
    ...(r.fullBatchRealTime
      ? [
          `At the real time scale (nothing divided: 3300 ms mean latency, 3000 requests/min, the same faults), concurrency 64, each run in a fresh process, the median of ${r.fullBatchRealTime.concurrency64.repeats.length} seeds (walls ${r.fullBatchRealTime.concurrency64.repeats.map((x: any) => `${x.wallMs} (seed ${x.seed})`).join(', ')} ms); the engine's CPU is then about a thousandth of each call's time:`,
          '',
          ...header,
          row(r.fullBatchRealTime.concurrency64),
          '',
        ]
      : []),
    ...(r.bound
      ? [
          `What any client could reach here, from a model (\`bench/bound.ts\`, ${r.bound.withFaults[0].runs} simulated runs of ${r.bound.calls} calls on ${r.bound.concurrency} slots at the same fault rates): the modelled client spends no CPU, has every call ready from the start, retries a failed call at once ahead of other work, and pays nothing for a 429; it cannot see a fault coming, so a 5xx costs a full latency and a hang holds its slot until given up. Efficiency is against the same fault-free ideal as above.`,
          '',
          '| hang given up | after (mean latencies) | mean efficiency | 10th percentile | 90th percentile | share of runs reaching 0.9 |',
          '|---|---|---|---|---|---|',
          ...[...r.bound.withFaults, r.bound.noFaults].map((b: any) => `| ${b.policy} | ${b === r.bound.noFaults ? '-' : b.hangGivenUpAfterMeanLatencies} | **${b.meanEfficiency}** | ${b.p10Efficiency} | ${b.p90Efficiency} | ${(b.shareReaching90 * 100).toFixed(1)}% |`),
          '',
        ]
      : []),
    '| planning (all fresh) | components | load catalogue ms | plan ms | total ms | peak RSS MB | first run, no cache: total ms | peak RSS MB |',
    '|---|---|---|---|---|---|---|---|',
    ...[r.planning.catalogue, r.planning.synthetic10000].map((p: any) => `| ${p.materials} materials | ${p.components} | ${p.loadCatalogMs} | ${p.planMs} | **${p.totalMs}** | ${p.peakRssMb} | ${p.cold.totalMs} | ${p.cold.peakRssMb} |`),
    '',
    '| grouping | calls | prompt tokens | completion tokens | wall ms | success |',
    '|---|---|---|---|---|---|',
    ...(['separate', 'grouped'] as const).map((k) => { const g = r.grouping[k]; return `| ${k} | ${g.calls} | ${g.promptTokens} | ${g.completionTokens} | ${g.wallMs} | ${(g.successRate * 100).toFixed(1)}% |`; }),
    '',
    `One material changed (${r.oneChanged.changed}): ${r.oneChanged.calls} calls, ${r.oneChanged.componentsRegenerated} components regenerated (${r.oneChanged.components.join(', ')}).`,
    '',
  ].join('\n');
}
