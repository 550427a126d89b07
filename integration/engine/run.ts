import PQueue from 'p-queue';
import type { Catalog } from '../catalog/load.ts';
import type { ComponentDefinition, SiteSettings } from '../components/define.ts';
import { systemPrompt, userPrompt } from '../components/prompt.ts';
import { inputsHash, sourceRecord, type Plan, type PlanItem } from '../plan/plan.ts';
import { renderFile } from '../store/format.ts';
import type { Provenance, Usage } from '../store/provenance.ts';
import { parseContent, type ComponentStore } from '../store/store.ts';
import { FatalProviderError, DraftRejectedError, type Provider } from '../providers/types.ts';

export interface RunOptions {
  catalog: Catalog;
  plan: Plan;
  store: ComponentStore;
  site: SiteSettings;
  provider: Provider;
  concurrency: number;
  /** Regenerate even when the inputs hash says the file is current. */
  force?: boolean;
  /** Stop scheduling new work when aborted; calls in flight finish. */
  signal?: AbortSignal;
  /** Abort the calls in flight too (a second Ctrl-C). */
  callSignal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  now?: () => Date;
}

export type Outcome = 'written' | 'unchanged' | 'failed' | 'blocked' | 'not-run';

export interface ItemResult {
  material: string;
  category: string;
  component: string;
  outcome: Outcome;
  reason?: string;
  file?: string;
  calls: number;
  usage: Usage;
  durationMs: number;
}

export type RunEvent =
  | { type: 'item'; result: ItemResult; done: number; total: number }
  | { type: 'material-done'; material: string; materialsDone: number; materialsTotal: number };

export interface RunResult {
  results: ItemResult[];
  calls: number;
  usage: Usage;
  durationMs: number;
  aborted: boolean;
  fatal: string | undefined;
}

interface Current {
  text: string;
  contentHash: string;
  data?: Record<string, unknown>;
}

const ZERO: Usage = { promptTokens: 0, completionTokens: 0, cachedTokens: 0 };

/**
 * Generates the plan's items. An item starts as soon as the items it depends on are written,
 * across materials, so the queue never idles while work is ready. Each output is validated and
 * written atomically the moment it is ready, so a killed run loses at most the calls in flight.
 */
export async function runGeneration(options: RunOptions): Promise<RunResult> {
  const { plan, store, provider } = options;
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const results: ItemResult[] = [];
  const pending = new Set(plan.todo.map((i) => i.key));
  const settled = new Map<string, Outcome>();
  const current = new Map<string, Current>();
  const remainingByMaterial = new Map<string, number>();
  for (const item of plan.todo) remainingByMaterial.set(item.material.slug, (remainingByMaterial.get(item.material.slug) ?? 0) + 1);
  const materialsTotal = remainingByMaterial.size;
  let materialsDone = 0;
  let fatal: string | undefined;
  let calls = 0;
  const usage: Usage = { ...ZERO };

  const depsOf = (item: PlanItem) =>
    item.component.dependsOn.map((name) => plan.byKey.get(`${item.material.slug}/${name}`)!);

  const contentOf = async (item: PlanItem): Promise<Current | undefined> => {
    let entry = current.get(item.key);
    if (!entry && item.file) entry = { text: item.file.text, contentHash: item.file.contentHash };
    if (!entry) return undefined;
    entry.data ??= parseContent(item.component.format, entry.text);
    current.set(item.key, entry);
    return entry;
  };

  const finish = (item: PlanItem, result: Omit<ItemResult, 'material' | 'category' | 'component'>) => {
    const full: ItemResult = { material: item.material.slug, category: item.material.category, component: item.component.name, ...result };
    results.push(full);
    settled.set(item.key, result.outcome);
    pending.delete(item.key);
    options.onEvent?.({ type: 'item', result: full, done: results.length, total: plan.todo.length });
    const left = remainingByMaterial.get(item.material.slug)! - 1;
    remainingByMaterial.set(item.material.slug, left);
    if (left === 0) {
      materialsDone++;
      options.onEvent?.({ type: 'material-done', material: item.material.slug, materialsDone, materialsTotal });
    }
  };

  const generate = async (item: PlanItem): Promise<void> => {
    const t0 = performance.now();
    const component = item.component;
    const source = sourceRecord(options.catalog, item.material, options.site);
    const deps: Record<string, unknown> = {};
    const depHashes: Record<string, string> = {};
    for (const dep of depsOf(item)) {
      const content = await contentOf(dep);
      if (!content) {
        finish(item, { outcome: 'blocked', reason: `${dep.component.name} is missing`, calls: 0, usage: ZERO, durationMs: 0 });
        return;
      }
      deps[dep.component.name] = content.data;
      depHashes[dep.component.name] = content.contentHash;
    }
    const inputs = component.inputs(source);
    const hash = inputsHash(component, inputs, depHashes);
    const old = item.file?.provenance;
    const wasUpToDate = old !== undefined && old.inputsHash === hash && item.file!.contentHash === old.outputHash;
    if (wasUpToDate && item.status !== 'fresh' && !options.force) {
      // Only an upstream component was regenerated, and to the same content: nothing to do.
      finish(item, { outcome: 'unchanged', calls: 0, usage: ZERO, durationMs: performance.now() - t0 });
      return;
    }
    const context = { inputs, deps };
    let draft: unknown;
    let itemUsage = ZERO;
    let itemCalls = 0;
    let model = 'none';
    let mode: Provenance['mode'] = 'static';
    if (component.llm) {
      const result = await provider.write({
        component,
        context,
        material: item.material.name,
        system: systemPrompt(component),
        user: userPrompt(component, item.material.name, context),
        signal: options.callSignal ?? new AbortController().signal,
      });
      draft = result.draft;
      itemUsage = result.usage;
      itemCalls = result.calls;
      model = result.model;
      mode = provider.mode;
    }
    const data = component.schema.safeParse(component.build(context, draft as never));
    if (!data.success) {
      throw new DraftRejectedError(`the composed ${component.name} does not match its schema: ${data.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, itemCalls, itemUsage);
    }
    const provenance: Omit<Provenance, 'outputHash'> = {
      component: component.name,
      material: item.material.slug,
      inputsHash: hash,
      provider: component.llm ? provider.id : 'batchgen',
      model,
      mode,
      generatedAt: now().toISOString(),
      ...(component.llm ? { usage: itemUsage } : {}),
    };
    let { text, outputHash } = renderFile(component.format, data.data as Record<string, unknown>, provenance);
    const sameAsBefore =
      old !== undefined && old.outputHash === outputHash && old.inputsHash === hash && old.provider === provenance.provider && old.model === model;
    if (sameAsBefore) text = item.file!.text; // keep the old bytes, including when they were made
    const written = sameAsBefore ? false : await store.write(component, item.material.slug, text, item.file?.text);
    current.set(item.key, { text, contentHash: outputHash, data: data.data as Record<string, unknown> });
    finish(item, {
      outcome: written ? 'written' : 'unchanged',
      file: store.pathOf(component, item.material.slug),
      calls: itemCalls,
      usage: itemUsage,
      durationMs: performance.now() - t0,
    });
    calls += itemCalls;
    addUsage(usage, itemUsage);
  };

  const order = new Map<string, number>();
  const dependents = new Map<string, PlanItem[]>();
  for (const item of plan.todo) {
    if (!order.has(item.component.name)) order.set(item.component.name, order.size);
    for (const dep of depsOf(item)) {
      if (pending.has(dep.key)) dependents.set(dep.key, [...(dependents.get(dep.key) ?? []), item]);
    }
  }
  const scheduled = new Set<string>();

  const schedule = (candidates: readonly PlanItem[]) => {
    for (const item of candidates) {
      if (scheduled.has(item.key) || depsOf(item).some((d) => pending.has(d.key))) continue;
      scheduled.add(item.key);
      const failedDep = depsOf(item).find((d) => ['failed', 'blocked', 'not-run'].includes(settled.get(d.key) ?? ''));
      if (failedDep) {
        finish(item, { outcome: 'blocked', reason: `${failedDep.component.name} was not generated`, calls: 0, usage: ZERO, durationMs: 0 });
        schedule(dependents.get(item.key) ?? []);
        continue;
      }
      // Later components first: a material's dependents run as soon as they can, so materials
      // complete steadily and a stopped run leaves whole materials behind.
      const priority = order.get(item.component.name)!;
      void queue
        .add(
          async () => {
            if (options.signal?.aborted || fatal) return;
            try {
              await generate(item);
            } catch (error) {
              if (error instanceof FatalProviderError) {
                // Said once for the whole run, not once per component.
                fatal ??= error.message;
                return;
              }
              const rejected = error instanceof DraftRejectedError ? error : undefined;
              if (rejected) {
                calls += rejected.calls;
                addUsage(usage, rejected.usage);
              }
              finish(item, {
                outcome: 'failed',
                reason: error instanceof Error ? error.message : String(error),
                calls: rejected?.calls ?? 0,
                usage: rejected?.usage ?? ZERO,
                durationMs: 0,
              });
            }
            schedule(dependents.get(item.key) ?? []);
          },
          { priority },
        )
        .catch(() => undefined);
    }
  };
  schedule(plan.todo);
  await queue.onIdle();
  // Whatever is still pending was never started: the run was stopped or hit a fatal error.
  for (const item of plan.todo) {
    if (pending.has(item.key)) finish(item, { outcome: 'not-run', reason: fatal ?? 'the run was stopped', calls: 0, usage: ZERO, durationMs: 0 });
  }
  return { results, calls, usage, durationMs: performance.now() - started, aborted: options.signal?.aborted ?? false, fatal };
}

export function addUsage(total: Usage, add: Usage): void {
  total.promptTokens += add.promptTokens;
  total.completionTokens += add.completionTokens;
  total.cachedTokens += add.cachedTokens;
}

export type { ComponentDefinition };
