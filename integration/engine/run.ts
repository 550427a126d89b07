import PQueue from 'p-queue';
import type { Catalog } from '../catalog/load.ts';
import type { ComponentDefinition, SiteSettings } from '../components/define.ts';
import type { Plan, PlanItem } from '../plan/plan.ts';
import type { Usage } from '../store/provenance.ts';
import { StoreWriteError, type ComponentStore } from '../store/store.ts';
import { FatalProviderError, DraftRejectedError, NotStartedError, type Provider } from '../providers/types.ts';
import { ContentRejectedError, ItemBlockedError, Workspace, type PreparedItem } from './workspace.ts';
import { groupDefinition } from './groups.ts';
import { systemPrompt, userPrompt } from '../components/prompt.ts';
import { BudgetSpentError } from './budget.ts';

export interface RunOptions {
  catalog: Catalog;
  plan: Plan;
  store: ComponentStore;
  site: SiteSettings;
  provider: Provider;
  concurrency: number;
  /**
   * Items in progress at once, when a call gate holds the calls in flight to `concurrency`
   * (default: `concurrency`). More items than calls keep the gate busy while some items wait out
   * a retry's backoff or write their file, neither of which holds a call slot.
   */
  itemSlots?: number;
  /** Calls in flight now, from the call gate, for progress events (default: items in progress). */
  callsInFlight?: () => number;
  /** Regenerate even when the inputs hash says the file is current. */
  force?: boolean;
  /** Stop scheduling new work when aborted; calls in flight finish. */
  signal?: AbortSignal;
  /** Abort the calls in flight too (a second Ctrl-C). */
  callSignal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  now?: () => Date;
  /** Checks on composed content before it is written (numbers, names, consistency). */
  review?: Workspace['review'];
  /** Components asked for together in one call per material, by component name -> group name. */
  groups?: ReadonlyMap<string, string>;
  /** Asked before each item starts: a reason to start nothing more (a budget cap reached). */
  shouldStop?: (spent: { calls: number; usage: Usage }) => string | undefined;
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
  /** When the item settled, in milliseconds since the run started. */
  finishedAtMs: number;
}

export type RunEvent =
  | { type: 'item'; result: ItemResult; done: number; total: number; inFlight: number }
  | { type: 'material-done'; material: string; materialsDone: number; materialsTotal: number };

export interface RunResult {
  results: ItemResult[];
  calls: number;
  usage: Usage;
  durationMs: number;
  aborted: boolean;
  fatal: string | undefined;
  /** Why scheduling stopped early (a budget cap), if it did. */
  stopped: string | undefined;
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
  const queue = new PQueue({ concurrency: Math.max(1, options.itemSlots ?? options.concurrency) });
  // Work without a call (static and derived components) has a queue of its own: it holds no item
  // slot, and each item first waits for the event loop's next turn, so it is done while the calls
  // already sent are out, not before they go (it is a few milliseconds of CPU each).
  const localQueue = new PQueue({ concurrency: 2 });
  const results: ItemResult[] = [];
  const pending = new Set(plan.todo.map((i) => i.key));
  const settled = new Map<string, Outcome>();
  const workspace = new Workspace({ catalog: options.catalog, plan, store, site: options.site, ...(options.now ? { now: options.now } : {}) });
  workspace.review = options.review;
  const remainingByMaterial = new Map<string, number>();
  for (const item of plan.todo) remainingByMaterial.set(item.material.slug, (remainingByMaterial.get(item.material.slug) ?? 0) + 1);
  const materialsTotal = remainingByMaterial.size;
  let materialsDone = 0;
  let fatal: string | undefined;
  let stopped: string | undefined;
  // Aborted when the run stops starting work (Ctrl-C, a fatal answer, a budget cap): an item
  // waiting for a call slot then never starts its first call.
  const stopping = new AbortController();
  const stop = () => stopping.abort();
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });
  let calls = 0;
  const usage: Usage = { ...ZERO };

  const depsOf = (item: PlanItem) => workspace.depsOf(item);

  const finish = (item: PlanItem, result: Omit<ItemResult, 'material' | 'category' | 'component' | 'finishedAtMs'>) => {
    const full: ItemResult = {
      material: item.material.slug,
      category: item.material.category,
      component: item.component.name,
      ...result,
      finishedAtMs: Math.round(performance.now() - started),
    };
    results.push(full);
    settled.set(item.key, result.outcome);
    pending.delete(item.key);
    options.onEvent?.({ type: 'item', result: full, done: results.length, total: plan.todo.length, inFlight: options.callsInFlight?.() ?? queue.pending });
    const left = remainingByMaterial.get(item.material.slug)! - 1;
    remainingByMaterial.set(item.material.slug, left);
    if (left === 0) {
      materialsDone++;
      options.onEvent?.({ type: 'material-done', material: item.material.slug, materialsDone, materialsTotal });
    }
  };

  /** Prepares an item, or settles it at once when it is blocked or already up to date. */
  const prepareOrSettle = (item: PlanItem): PreparedItem | undefined => {
    let prepared: PreparedItem;
    try {
      prepared = workspace.prepare(item, options.force ?? false);
    } catch (error) {
      if (!(error instanceof ItemBlockedError)) throw error;
      finish(item, { outcome: 'blocked', reason: error.message, calls: 0, usage: ZERO, durationMs: 0 });
      return undefined;
    }
    if (prepared.upToDate) {
      finish(item, { outcome: 'unchanged', calls: 0, usage: ZERO, durationMs: 0 });
      return undefined;
    }
    return prepared;
  };

  const generate = async (item: PlanItem): Promise<void> => {
    const t0 = performance.now();
    const component = item.component;
    const prepared = prepareOrSettle(item);
    if (!prepared) return;
    if (!component.llm) {
      let data: Record<string, unknown>;
      try {
        data = workspace.compose(prepared, undefined);
      } catch (error) {
        if (error instanceof ContentRejectedError) throw new DraftRejectedError(error.message, 0, ZERO);
        throw error;
      }
      const { written, file } = await workspace.commit(prepared, data, { provider: 'batchgen', model: 'none', mode: 'static', usage: undefined });
      return settle(item, t0, written, file, 0, ZERO);
    }
    const reviewer = workspace.reviewer(prepared);
    const result = await provider.write({
      component,
      context: prepared.context,
      material: item.material.name,
      system: prepared.system!,
      user: prepared.user!,
      signal: options.callSignal ?? new AbortController().signal,
      stop: stopping.signal,
      // Checked inside the provider's validation loop, so a rejected draft is re-asked.
      review: reviewer.review,
    });
    try {
      const data = reviewer.accepted() ?? workspace.compose(prepared, result.draft);
      const { written, file } = await workspace.commit(prepared, data, { provider: provider.id, model: result.model, mode: provider.mode, usage: result.usage });
      settle(item, t0, written, file, result.calls, result.usage);
    } finally {
      // The answer's call slot is free once it is on disk (or given up).
      result.release?.();
    }
  };

  const settle = (item: PlanItem, t0: number, written: boolean, file: string, itemCalls: number, itemUsage: Usage) => {
    finish(item, { outcome: written ? 'written' : 'unchanged', file, calls: itemCalls, usage: itemUsage, durationMs: performance.now() - t0 });
    calls += itemCalls;
    addUsage(usage, itemUsage);
  };

  /** Several components of one material in one call; each is still checked and written on its own. */
  const generateGroup = async (members: PlanItem[]): Promise<void> => {
    const t0 = performance.now();
    const ready: Array<{ item: PlanItem; prepared: PreparedItem }> = [];
    for (const item of members) {
      const prepared = prepareOrSettle(item);
      if (prepared) ready.push({ item, prepared });
    }
    if (ready.length === 0) return;
    const group = groupDefinition(ready.map((r) => r.item.component));
    const context = { inputs: Object.fromEntries(ready.map((r) => [r.item.component.name, r.prepared.context])), deps: {} };
    const composed = new Map<string, Record<string, unknown>>();
    let result;
    try {
      result = await provider.write({
        component: group,
        context,
        material: ready[0]!.item.material.name,
        system: systemPrompt(group),
        user: userPrompt(group, ready[0]!.item.material.name, context),
        signal: options.callSignal ?? new AbortController().signal,
        stop: stopping.signal,
        review: (draft) => {
          const problems: string[] = [];
          for (const { item, prepared } of ready) {
            try {
              composed.set(item.key, workspace.compose(prepared, (draft as Record<string, unknown>)[item.component.name]));
            } catch (error) {
              if (!(error instanceof ContentRejectedError)) throw error;
              problems.push(`${item.component.name}: ${error.message}`);
            }
          }
          return problems.length ? problems.join('; ') : undefined;
        },
      });
    } catch (error) {
      if (!(error instanceof DraftRejectedError)) throw error;
      ready.forEach(({ item }, i) =>
        finish(item, { outcome: 'failed', reason: error.message, calls: i === 0 ? error.calls : 0, usage: i === 0 ? error.usage : ZERO, durationMs: 0 }),
      );
      calls += error.calls;
      addUsage(usage, error.usage);
      return;
    }
    const shares = splitUsage(result.usage, ready.length);
    try {
      for (const [i, { item, prepared }] of ready.entries()) {
        const data = composed.get(item.key) ?? workspace.compose(prepared, (result.draft as Record<string, unknown>)[item.component.name]);
        const { written, file } = await workspace.commit(prepared, data, { provider: provider.id, model: result.model, mode: provider.mode, usage: shares[i]! });
        finish(item, { outcome: written ? 'written' : 'unchanged', file, calls: i === 0 ? result.calls : 0, usage: shares[i]!, durationMs: performance.now() - t0 });
      }
    } finally {
      result.release?.();
    }
    calls += result.calls;
    addUsage(usage, result.usage);
  };

  const order = new Map<string, number>();
  const dependents = new Map<string, PlanItem[]>();
  for (const item of plan.todo) {
    if (!order.has(item.component.name)) order.set(item.component.name, order.size);
    for (const dep of depsOf(item)) {
      if (pending.has(dep.key)) dependents.set(dep.key, [...(dependents.get(dep.key) ?? []), item]);
    }
  }
  const rank = callsToEnd(plan.items.map((i) => i.component));
  const materialIndex = new Map<string, number>();
  for (const item of plan.todo) if (!materialIndex.has(item.material.slug)) materialIndex.set(item.material.slug, materialIndex.size);
  const materialCount = materialIndex.size;
  const scheduled = new Set<string>();

  // Without a cap, the longest chain of calls first: a component that others wait for goes
  // out before those that end a chain, so the run does not finish on a late chain of calls,
  // and work without a call (static, derived) fills the gaps instead of holding up the first
  // calls. Among equally long chains, the longest answers (by max tokens) first, so the last
  // calls of a run are its shortest: a model's latency grows with the answer's length, and
  // the run ends when its slowest last call does. Under a budget cap, material by material,
  // so the calls the cap allows leave whole materials behind. Either way one component after
  // another, so its shared prompt prefix stays cached.
  const priorityOf = (item: PlanItem): number => {
    const componentOrder = order.get(item.component.name)!;
    return options.shouldStop
      ? (materialCount - materialIndex.get(item.material.slug)!) * 100 + componentOrder
      : rank.get(item.component.name)! * 1e9 + Math.min(item.component.llm?.maxTokens ?? 0, 9_999_999) * 100 + (componentOrder % 100);
  };

  const schedule = (candidates: readonly PlanItem[]) => {
    const candidatesOf = new Map<string, PlanItem[]>();
    if (options.groups) {
      for (const c of candidates) candidatesOf.set(c.material.slug, [...(candidatesOf.get(c.material.slug) ?? []), c]);
    }
    // The queue orders what waits by priority, but starts at once whatever finds a free slot, in
    // the order it is added: added in priority order, a run's first free slots go to its first
    // calls, not to composing static components (measured: the first call went out 170 ms later).
    const ordered = candidates.length > 1 ? [...candidates].sort((a, b) => priorityOf(b) - priorityOf(a)) : candidates;
    for (const item of ordered) {
      if (scheduled.has(item.key) || depsOf(item).some((d) => pending.has(d.key))) continue;
      scheduled.add(item.key);
      const failedDep = depsOf(item).find((d) => ['failed', 'blocked', 'not-run'].includes(settled.get(d.key) ?? ''));
      if (failedDep) {
        finish(item, { outcome: 'blocked', reason: `${failedDep.component.name} was not generated`, calls: 0, usage: ZERO, durationMs: 0 });
        schedule(dependents.get(item.key) ?? []);
        continue;
      }
      const priority = priorityOf(item);
      const groupName = options.groups?.get(item.component.name);
      const mates = groupName
        ? (candidatesOf.get(item.material.slug) ?? []).filter(
            (other) =>
              other !== item &&
              other.material.slug === item.material.slug &&
              options.groups!.get(other.component.name) === groupName &&
              !scheduled.has(other.key) &&
              !depsOf(other).some((d) => pending.has(d.key)),
          )
        : [];
      for (const mate of mates) scheduled.add(mate.key);
      const members = [item, ...mates];
      const local = !item.component.llm && members.length === 1;
      void (local ? localQueue : queue)
        .add(
          async () => {
            if (local) await new Promise((resolve) => setImmediate(resolve));
            if (options.signal?.aborted || fatal || stopped) return;
            stopped = options.shouldStop?.({ calls, usage });
            if (stopped) return stop();
            try {
              if (members.length > 1) await generateGroup(members);
              else await generate(item);
            } catch (error) {
              if (error instanceof BudgetSpentError) {
                stopped ??= error.message;
                return stop();
              }
              // Stopped while waiting for a call slot: never started, so left for the next run.
              if (error instanceof NotStartedError) return;
              if (error instanceof FatalProviderError || error instanceof StoreWriteError) {
                // Said once for the whole run, not once per component.
                fatal ??= error.message;
                return stop();
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
            schedule(members.flatMap((m) => dependents.get(m.key) ?? []));
          },
          { priority },
        )
        .catch(() => undefined);
    }
  };
  schedule(plan.todo);
  // Each queue's work adds to the other's: done when both are empty at once.
  while (queue.size + queue.pending + localQueue.size + localQueue.pending > 0) await Promise.all([queue.onIdle(), localQueue.onIdle()]);
  options.signal?.removeEventListener('abort', stop);
  // Whatever is still pending was never started: the run was stopped or hit a fatal error.
  for (const item of plan.todo) {
    if (pending.has(item.key)) finish(item, { outcome: 'not-run', reason: fatal ?? stopped ?? 'the run was stopped', calls: 0, usage: ZERO, durationMs: 0 });
  }
  return { results, calls, usage, durationMs: performance.now() - started, aborted: options.signal?.aborted ?? false, fatal, stopped };
}

/**
 * For each component, the most calls on a chain from it to the end of a material's work: 2 for
 * a component whose dependents call a model, 1 for a model call nothing waits for, 0 for work
 * without a call that nothing with a call waits for.
 */
export function callsToEnd(components: readonly ComponentDefinition[]): Map<string, number> {
  const byName = new Map(components.map((c) => [c.name, c]));
  const dependents = new Map<string, string[]>();
  for (const c of byName.values()) for (const d of c.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), c.name]);
  const rank = new Map<string, number>();
  const of = (name: string): number => {
    const known = rank.get(name);
    if (known !== undefined) return known;
    const own = byName.get(name)?.llm ? 1 : 0;
    const value = own + Math.max(0, ...(dependents.get(name) ?? []).map(of));
    rank.set(name, value);
    return value;
  };
  for (const name of byName.keys()) of(name);
  return rank;
}

/** A usage divided as evenly as whole tokens allow, the remainder to the first share. */
export function splitUsage(total: Usage, parts: number): Usage[] {
  const share = (n: number, i: number) => Math.floor(n / parts) + (i === 0 ? n % parts : 0);
  return Array.from({ length: parts }, (_, i) => ({
    promptTokens: share(total.promptTokens, i),
    completionTokens: share(total.completionTokens, i),
    cachedTokens: share(total.cachedTokens, i),
  }));
}

export function addUsage(total: Usage, add: Usage): void {
  total.promptTokens += add.promptTokens;
  total.completionTokens += add.completionTokens;
  total.cachedTokens += add.cachedTokens;
}

export type { ComponentDefinition };
