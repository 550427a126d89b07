import path from 'node:path';
import { parseArgs } from 'node:util';
import { planFor, providerForRun, removeOrphans, runBatch, readFailures, stateDir, type Selection } from './batch.ts';
import { liveLine } from './engine/progress.ts';
import type { RunReport } from './report/run-report.ts';
import { CatalogError } from './catalog/load.ts';
import { slugify } from './catalog/slug.ts';
import { ConfigError, PROVIDER_IDS, type ProviderId } from './config.ts';
import { loadDotEnv } from './env.ts';
import { loadProjectConfig } from './load-config.ts';
import { countByStatus, type Plan } from './plan/plan.ts';
import { openProject, type Project } from './project.ts';
import { resolveProvider } from './providers/index.ts';
import { keyVariableSet, PROVIDER_PROFILES } from './providers/registry.ts';
import { acquireLock, LockedError } from './store/lock.ts';
import { removeStaleTemporaryFiles } from './store/store.ts';
import { acceptEditedText } from './store/accept.ts';
import { usageCost } from './estimate/prices.ts';
import { batchTarget } from './batch-api/client.ts';
import { runBatchApi } from './batch-api/run.ts';
import { estimateRun, formatEstimate } from './estimate/estimate.ts';
import { readFile } from 'node:fs/promises';

const USAGE = `Usage:
  batchgen [--all | --material NAME... | --category CAT...] [--component C...]
           [--force] [--upgrade] [--dry-run] [--provider P] [--model M] [--concurrency N] [--json]
           [--max-calls N] [--max-tokens N] [--max-cost USD] [--group] [--batch-api [--fallback-live]]
  batchgen --status [--material NAME...] [--json]
  batchgen --accept-edits [--material NAME...] [--component C...] [--json]
  batchgen --config [--check-api] [--json]

Generates the content components of the catalogue's materials: only what is missing or stale,
unless --force. --dry-run estimates calls, tokens, cost and time without calling anything.
--batch-api sends the calls through the provider's Batch API (half price, done within 24 h; an
interrupted run resumes its batches); --fallback-live finishes live what the batches did not deliver.
Exit codes: 0 all done, 1 some components failed, 2 bad configuration or input.`;

export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether progress may be drawn live (a terminal). */
  isTTY?: boolean;
}

export async function main(argv: string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY }, env = process.env): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        all: { type: 'boolean' },
        material: { type: 'string', multiple: true },
        category: { type: 'string', multiple: true },
        component: { type: 'string', multiple: true },
        force: { type: 'boolean' },
        upgrade: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        provider: { type: 'string' },
        model: { type: 'string' },
        concurrency: { type: 'string' },
        'max-calls': { type: 'string' },
        group: { type: 'boolean' },
        'max-tokens': { type: 'string' },
        'max-cost': { type: 'string' },
        json: { type: 'boolean' },
        status: { type: 'boolean' },
        config: { type: 'boolean' },
        root: { type: 'string' },
        'check-api': { type: 'boolean' },
        'accept-edits': { type: 'boolean' },
        'batch-api': { type: 'boolean' },
        'fallback-live': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    io.err(`batchgen: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.badInput;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return EXIT.ok;
  }
  const root = path.resolve(args.root ?? process.cwd());
  const fullEnv = { ...loadDotEnv(root), ...env };
  const print = (human: string, json: unknown) => io.out(args.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);

  try {
    const loaded = await loadProjectConfig(root);
    const site = loaded.site;
    const options = { ...loaded.options, budget: { ...loaded.options.budget } };
    for (const [flag, key] of [['max-calls', 'maxCalls'], ['max-tokens', 'maxTokens'], ['max-cost', 'maxCostUsd']] as const) {
      const raw = args[flag];
      if (raw === undefined) continue;
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0 || (key !== 'maxCostUsd' && !Number.isInteger(value))) {
        throw new ConfigError(`--${flag} must be a positive ${key === 'maxCostUsd' ? 'number' : 'whole number'}, not "${raw}"`);
      }
      options.budget[key] = value;
    }
    if (args.provider !== undefined && !PROVIDER_IDS.includes(args.provider as ProviderId)) {
      throw new ConfigError(`unknown provider "${args.provider}"`, `Use one of ${PROVIDER_IDS.join(', ')}.`);
    }
    const concurrency = args.concurrency === undefined ? options.concurrency : Number(args.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError(`--concurrency must be a whole number of at least 1, not "${args.concurrency}"`);

    if (args.config) return await showConfig(root, options, site, fullEnv, args, print);

    const project = await openProject(root, options, site);
    const selection = select(project, args);

    if (args.status) return await showStatus(project, selection, print);
    if (args['accept-edits']) return await acceptEdits(project, selection, print);

    if (!args.all && !args.material && !args.category && !args.component) {
      io.err(`batchgen: say what to generate: --all, --material, --category or --component\n\n${USAGE}\n`);
      return EXIT.badInput;
    }
    const resolved = providerForRun(options, fullEnv, {
      ...(args.provider ? { provider: args.provider as ProviderId } : {}),
      ...(args.model ? { model: args.model } : {}),
      strict: args.provider !== undefined && args.provider !== 'offline' && !args['dry-run'],
      concurrency,
    });
    const plan = await planFor(project, { ...selection, force: args.force ?? false, upgrade: args.upgrade ?? false }, resolved.provider);

    if (args['fallback-live'] && !args['batch-api']) throw new ConfigError('--fallback-live goes with --batch-api', 'A live run already retries and re-asks on its own.');
    if (args['dry-run']) return await showDryRun(project, plan, args, { ...options, concurrency }, fullEnv, print);
    const batchApi = args['batch-api'] ? batchTarget(options, fullEnv, { ...(args.provider ? { provider: args.provider as ProviderId } : {}), ...(args.model ? { model: args.model } : {}) }) : undefined;

    if (resolved.fallbackReason && !args.json) io.err(`batchgen: ${resolved.fallbackReason}; the offline writer drafts the llm components\n`);
    const wholeCatalogue = !selection.materials && !selection.only;
    if (plan.todo.length === 0 && !wholeCatalogue) {
      print(`Nothing to generate: all ${plan.items.length} selected components are fresh or edited.`, runJson(undefined, resolved.provider));
      return EXIT.ok;
    }

    const release = await acquireLock(stateDir(project));
    const stopScheduling = new AbortController();
    const abortCalls = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts === 1) {
        io.err(
          batchApi
            ? '\nbatchgen: stopping: submitted batches keep running at the provider; run the same command again to resume them\n'
            : '\nbatchgen: stopping: no new calls; waiting for the calls in flight (Ctrl-C again to abort them)\n',
        );
        stopScheduling.abort();
      } else {
        abortCalls.abort();
      }
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    try {
      const costOf = usageCost(resolved.provider.id, resolved.provider.model, options.prices);
      if (options.budget.maxCostUsd !== undefined && !costOf && resolved.provider.mode === 'live') {
        throw new ConfigError(
          `--max-cost needs a price for ${resolved.provider.id}/${resolved.provider.model}, and the price table has none`,
          'Add it under `prices` in astro.config.mjs.',
        );
      }
      await removeStaleTemporaryFiles(project.store, project.components);
      const removed = wholeCatalogue ? await removeOrphans(project) : [];
      if (removed.length > 0 && !args.json) io.err(`batchgen: removed ${removed.length} file(s) of materials no longer in the catalogue\n`);
      if (plan.todo.length === 0) {
        print(`Nothing to generate: all ${plan.items.length} components are fresh or edited.${removed.length ? ` Removed ${removed.length} orphaned file(s).` : ''}`, runJson(undefined, resolved.provider, removed));
        return EXIT.ok;
      }
      if (!args.json) io.err(`batchgen: generating ${plan.todo.length} components with ${resolved.provider.id} (${resolved.provider.model}), ${batchApi ? 'through the Batch API' : `concurrency ${concurrency}`}\n`);
      const live = !args.json && io.isTTY === true;
      let lastDraw = 0;
      const log = (line: string) => {
        if (args.json) return;
        io.err(live ? `\r\u001b[2K${line}\n` : `${line}\n`);
      };
      const { report } = batchApi
        ? await runBatchApi(project, plan, batchApi, {
            force: args.force ?? false,
            fallbackLive: args['fallback-live'] ?? false,
            signal: stopScheduling.signal,
            removed,
            log,
            live: { provider: resolved.provider, concurrency, gate: resolved.gate, callSignal: abortCalls.signal },
          })
        : await runBatch(project, plan, resolved.provider, {
            concurrency,
            force: args.force ?? false,
            signal: stopScheduling.signal,
            callSignal: abortCalls.signal,
            gate: resolved.gate,
            removed,
            budget: options.budget,
            ...(costOf ? { costOf } : {}),
            grouping: args.group ?? options.grouping,
            onProgress: (snapshot) => {
              if (!live || performance.now() - lastDraw < 100) return;
              lastDraw = performance.now();
              io.err(`\r\u001b[2K${liveLine(snapshot)}`);
            },
            log,
          });
      if (live) io.err('\r\u001b[2K');
      print(summary(report, path.join(stateDir(project), 'last-run.html')), runJson(report, resolved.provider, removed));
      if (report.fatal) return EXIT.badInput;
      if (report.aborted || report.failed.length > 0 || report.notRun.length > 0) return EXIT.failed;
      return EXIT.ok;
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      await release();
    }
  } catch (error) {
    if (error instanceof CatalogError || error instanceof ConfigError || error instanceof LockedError) {
      const hint = error instanceof ConfigError && error.hint ? `\n${error.hint}` : '';
      if (args.json) io.out(`${JSON.stringify({ error: error.message }, null, 2)}\n`);
      io.err(`batchgen: ${error.message}${hint}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}

function select(project: Project, args: { material?: string[]; category?: string[]; component?: string[] }): Selection {
  const selection: Selection = {};
  if (args.material || args.category) {
    const slugs = new Set<string>();
    for (const wanted of args.material ?? []) {
      const slug = slugify(wanted);
      const match = project.catalog.materials.find((m) => m.slug === slug || m.name === wanted);
      if (!match) throw new ConfigError(`--material "${wanted}": no such material in the catalogue`, 'Use a material name or its slug, as `batchgen --status` lists them.');
      slugs.add(match.slug);
    }
    for (const wanted of args.category ?? []) {
      const category = project.catalog.categories.find((c) => c.id === wanted || c.label.toLowerCase() === wanted.toLowerCase());
      if (!category) throw new ConfigError(`--category "${wanted}": no such category`, `Categories: ${project.catalog.categories.map((c) => c.id).join(', ')}.`);
      for (const m of category.materials) slugs.add(m.slug);
    }
    selection.materials = slugs;
  }
  if (args.component) {
    for (const name of args.component) {
      if (!project.components.some((c) => c.name === name)) {
        throw new ConfigError(`--component "${name}": no such component`, `Components: ${project.components.map((c) => c.name).join(', ')}.`);
      }
    }
    selection.only = new Set(args.component);
  }
  return selection;
}

function runJson(report: RunReport | undefined, provider: { id: string; model: string }, removed: string[] = []) {
  if (!report) {
    return { provider: provider.id, model: provider.model, planned: 0, calls: 0, succeeded: 0, written: 0, unchanged: 0, failed: 0, notRun: 0, failures: [], tokens: { prompt: 0, completion: 0, cached: 0 }, durationMs: 0, removed, files: [] };
  }
  return {
    provider: report.provider,
    model: report.model,
    planned: report.planned,
    calls: report.calls,
    succeeded: report.written + report.unchanged,
    written: report.written,
    unchanged: report.unchanged,
    failed: report.failed.length,
    notRun: report.notRun.length,
    failures: report.failed,
    tokens: report.tokens,
    durationMs: report.durationMs,
    aborted: report.aborted,
    ...(report.fatal ? { fatal: report.fatal } : {}),
    ...(report.stopped ? { stopped: report.stopped, notRunItems: report.notRun } : {}),
    byCategory: report.byCategory,
    recommendations: report.recommendations,
    removed: report.removed,
    ...(report.batches ? { batches: report.batches } : {}),
    ...(report.liveFallback ? { liveFallback: report.liveFallback } : {}),
    files: report.files,
  };
}

function summary(report: RunReport, htmlReport: string): string {
  const lines = [
    `Generated with ${report.provider} (${report.model}) in ${(report.durationMs / 1000).toFixed(1)}s: ${report.written} written, ${report.unchanged} unchanged, ${report.failed.length} failed, ${report.notRun.length} not run.`,
    `Calls: ${report.calls}; tokens: ${report.tokens.prompt} prompt (${report.tokens.cached} cached), ${report.tokens.completion} completion.`,
  ];
  const categories = Object.entries(report.byCategory).sort(([a], [b]) => a.localeCompare(b));
  if (categories.length > 1) {
    lines.push(`By category: ${categories.map(([c, r]) => `${c} ${r.succeeded}/${r.planned}`).join(', ')}`);
  }
  for (const b of report.batches ?? []) lines.push(`Batch ${b.id} (stage ${b.stage}${b.resumed ? ', resumed' : ''}): ${b.status}, ${b.succeeded} answered, ${b.failed} failed of ${b.used} used`);
  if (report.liveFallback) lines.push(`Finished live: ${report.liveFallback.components} component(s), ${report.liveFallback.calls} call(s).`);
  if (report.fatal) lines.push(`Stopped: ${report.fatal}`);
  if (report.stopped) lines.push(`Stopped early: ${report.stopped}; ${report.notRun.length} component(s) not run.`);
  for (const f of report.failed.slice(0, 50)) lines.push(`  failed ${f.material}/${f.component}: ${f.reason}`);
  if (report.failed.length > 50) lines.push(`  … and ${report.failed.length - 50} more (see the report)`);
  for (const r of report.recommendations) lines.push(`Recommendation: ${r}`);
  lines.push(`Report: ${htmlReport}`);
  return lines.join('\n');
}

async function showStatus(project: Project, selection: Selection, print: (h: string, j: unknown) => void): Promise<number> {
  const plan = await planFor(project, { ...(selection.materials ? { materials: selection.materials } : {}) });
  const counts = countByStatus(plan);
  let lastRun: Record<string, unknown> | undefined;
  try {
    const r = JSON.parse(await readFile(path.join(stateDir(project), 'last-run.json'), 'utf8')) as RunReport;
    lastRun = {
      startedAt: r.startedAt,
      provider: r.provider,
      model: r.model,
      planned: r.planned,
      written: r.written,
      failed: r.failed.length,
      notRun: r.notRun.length,
      calls: r.calls,
      tokens: r.tokens,
      durationMs: r.durationMs,
      recommendations: r.recommendations,
      report: path.join(stateDir(project), 'last-run.html'),
    };
  } catch {
    lastRun = undefined;
  }
  const materials = new Set(plan.items.map((i) => i.material.slug));
  const categories = new Set(plan.items.map((i) => i.material.category));
  const detail = selection.materials && selection.materials.size <= 5 ? statusDetail(plan) : undefined;
  const json = {
    materials: materials.size,
    categories: categories.size,
    components: counts,
    ...(detail ? { items: detail } : {}),
    ...(lastRun ? { lastRun } : {}),
  };
  const header = `${materials.size} materials in ${categories.size} categories`;
  const rows = Object.entries(counts).map(
    ([name, c]) => `  ${name.padEnd(16)} fresh ${String(c.fresh).padStart(4)}  stale ${String(c.stale).padStart(4)}  missing ${String(c.missing).padStart(4)}  edited ${String(c.edited).padStart(4)}  failed ${String(c.failed).padStart(4)}`,
  );
  const detailRows =
    detail?.map(
      (d) =>
        `  ${d.material}/${d.component}: ${d.status} (${d.reason})${d.provider ? ` · ${d.provider} ${d.model}` : ''}${d.tokens ? ` · ${d.tokens.promptTokens + d.tokens.completionTokens} tokens` : ''}${d.changedInputs?.length ? ` · changed: ${d.changedInputs.join(', ')}` : ''}`,
    ) ?? [];
  const last = lastRun
    ? [`Last run ${lastRun.startedAt}: ${lastRun.provider} (${lastRun.model}), ${lastRun.written} written, ${lastRun.failed} failed, ${lastRun.calls} calls; report ${lastRun.report}`]
    : [];
  print([header, ...rows, ...detailRows, ...last].join('\n'), json);
  return EXIT.ok;
}

/** Records hand-edited files' current bytes as their accepted output, so they count as fresh. */
async function acceptEdits(project: Project, selection: Selection, print: (h: string, j: unknown) => void): Promise<number> {
  const plan = await planFor(project, { ...(selection.materials ? { materials: selection.materials } : {}) });
  const release = await acquireLock(stateDir(project));
  const accepted: string[] = [];
  try {
    for (const item of plan.items) {
      if (item.status !== 'edited' || (selection.only && !selection.only.has(item.component.name))) continue;
      const fallback = {
        component: item.component.name,
        material: item.material.slug,
        inputsHash: item.inputsHash ?? 'unknown',
        provider: 'person',
        model: 'none',
        mode: 'accepted-edit' as const,
        generatedAt: new Date().toISOString(),
      };
      const text = acceptEditedText(item.component.format, item.file!.text, fallback, new Date(), item.inputsHash);
      await project.store.write(item.component, item.material.slug, text, item.file!.text);
      accepted.push(`${item.material.slug}/${item.component.name}`);
    }
  } finally {
    await release();
  }
  print(accepted.length ? `Accepted ${accepted.length} edited file(s):\n  ${accepted.join('\n  ')}` : 'No edited files to accept.', { accepted });
  return EXIT.ok;
}

function statusDetail(plan: Plan) {
  return plan.items.map((i) => ({
    material: i.material.slug,
    component: i.component.name,
    status: i.status,
    reason: i.reason,
    provider: i.file?.provenance?.provider,
    model: i.file?.provenance?.model,
    generatedAt: i.file?.provenance?.generatedAt,
    tokens: i.file?.provenance?.usage,
    changedInputs: i.changedInputs,
  }));
}

/** Estimates the run for the configured provider and model (even without its key), calling nothing. */
async function showDryRun(
  project: Project,
  plan: Plan,
  args: { provider?: string; model?: string; 'batch-api'?: boolean },
  options: Project['options'],
  env: NodeJS.ProcessEnv,
  print: (h: string, j: unknown) => void,
): Promise<number> {
  const provider = (args.provider ?? options.provider) as ProviderId;
  const profile = PROVIDER_PROFILES[provider];
  const keyMissing = profile.keyVariables.length > 0 && !keyVariableSet(profile, env);
  const lastRun = await readFile(path.join(stateDir(project), 'last-run.json'), 'utf8').then((t) => JSON.parse(t) as RunReport, () => undefined);
  const estimate = estimateRun(project, plan, {
    mode: args['batch-api'] ? 'batch' : 'live',
    provider,
    model: args.model ?? options.model ?? profile.defaultModel,
    concurrency: options.concurrency,
    requestsPerMinute: options.requestsPerMinute,
    tokensPerMinute: options.tokensPerMinute,
    prices: options.prices,
    lastRun,
    unavailable: keyMissing ? `${profile.keyVariables.join(' / ')} is not set` : undefined,
  });
  print(formatEstimate(estimate), estimate);
  return EXIT.ok;
}

async function showConfig(
  root: string,
  options: Awaited<ReturnType<typeof loadProjectConfig>>['options'],
  site: string | undefined,
  env: NodeJS.ProcessEnv,
  args: { provider?: string; model?: string; 'check-api'?: boolean },
  print: (h: string, j: unknown) => void,
): Promise<number> {
  const problems: string[] = [];
  let catalog: { materials: number; categories: number; authors: number } | undefined;
  let components: string[] = [];
  try {
    const project = await openProject(root, options, site);
    catalog = { materials: project.catalog.materials.length, categories: project.catalog.categories.length, authors: project.catalog.authors.size };
    components = project.components.map((c) => `${c.name} (${c.kind})`);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const providerId = (args.provider ?? options.provider) as ProviderId;
  const profile = PROVIDER_PROFILES[providerId];
  const keyVariable = keyVariableSet(profile, env);
  const keyNeeded = profile.keyVariables.length > 0;
  const resolved = resolveProvider(options, env, { provider: providerId, ...(args.model ? { model: args.model } : {}) });
  const failures = await readFailures({ root });
  let api: { ok: boolean; model?: string; latencyMs?: number; error?: string } | undefined;
  if (args['check-api']) {
    if (!resolved.provider.ping) {
      api = { ok: false, error: `no API to check: the effective writer is ${resolved.provider.id}` };
    } else {
      try {
        api = { ok: true, ...(await resolved.provider.ping()) };
      } catch (error) {
        api = { ok: false, error: (error as Error).message };
      }
    }
    if (!api.ok) problems.push(`API check: ${api.error}`);
  }
  const json = {
    root,
    site: site ?? null,
    catalog: catalog ?? null,
    components,
    provider: providerId,
    model: options.model ?? profile.defaultModel,
    keyVariables: profile.keyVariables,
    keySet: keyNeeded ? keyVariable !== undefined : null,
    keyVariable: keyVariable ?? null,
    effectiveProvider: resolved.provider.id,
    concurrency: options.concurrency,
    onBuild: options.onBuild,
    recordedFailures: failures.size,
    ...(api ? { api } : {}),
    problems,
  };
  const lines = [
    `Project: ${root}`,
    catalog ? `Catalogue: ${catalog.materials} materials in ${catalog.categories} categories, ${catalog.authors} authors` : 'Catalogue: does not load',
    `Components: ${components.join(', ')}`,
    `Provider: ${profile.label} (${providerId}), model ${options.model ?? profile.defaultModel}`,
    resolved.provider.id !== providerId ? `Effective writer: ${resolved.provider.id} (${resolved.provider.model})` : `Effective writer: ${providerId}`,
    keyNeeded
      ? keyVariable
        ? `Key: ${keyVariable} is set`
        : `Key: not set (${profile.keyVariables.join(' or ')}); the offline writer will be used`
      : 'Key: none needed',
    `Concurrency: ${options.concurrency}; on build: ${options.onBuild}`,
    ...(api?.ok ? [`API check: ${api.model} answered in ${api.latencyMs} ms`] : []),
    ...problems.map((p) => `Problem: ${p}`),
  ];
  print(lines.join('\n'), json);
  return problems.length > 0 ? EXIT.badInput : EXIT.ok;
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
