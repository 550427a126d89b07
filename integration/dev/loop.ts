import path from 'node:path';
import type { AstroIntegrationLogger } from 'astro';
import PQueue from 'p-queue';
import { planFor, providerForRun, runBatch, stateDir } from '../batch.ts';
import { CatalogError, type Catalog } from '../catalog/load.ts';
import { materialPath } from '../components/format.ts';
import type { ResolvedOptions } from '../config.ts';
import { progressLine } from '../engine/progress.ts';
import { loadDotEnv } from '../env.ts';
import { canonicalJson } from '../plan/hash.ts';
import { itemKey, type Plan, type PlanItem } from '../plan/plan.ts';
import { openProject, type Project } from '../project.ts';
import { acquireLock, LockedError } from '../store/lock.ts';
import { ChangeHistory } from './history.ts';
import type { ErrorOverlay } from './overlay.ts';
import type { ComponentRow, LastChange, MaterialStatus, RegenerateResult } from './protocol.ts';

export interface DevLoopOptions {
  root: string;
  options: ResolvedOptions;
  site: string | undefined;
  logger: AstroIntegrationLogger;
  overlay: ErrorOverlay;
  /**
   * Loads the content collections again (the catalogue's and the components') and reloads the
   * open pages, once everything a generation wrote is in: pages never render half of an update.
   */
  showContent: () => Promise<void>;
  /** Tells open pages which materials were regenerated. */
  notify: (materials: string[]) => void;
}

/** A request the dev loop cannot serve, with the HTTP status that says why. */
export class DevRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'DevRequestError';
    this.status = status;
  }
}

/** Live provider progress at most this often, so a long regeneration shows it is alive without flooding the terminal. */
const PROGRESS_EVERY_MS = 1000;

/**
 * The dev server's side of generation: regenerates what a catalogue edit made stale, answers
 * the toolbar panel, and keeps the last good catalogue while the current one has an error.
 * One generation at a time, under the project's write lock, like the build and the CLI.
 */
export function createDevLoop(config: DevLoopOptions) {
  const { root, options, site, logger, overlay } = config;
  const queue = new PQueue({ concurrency: 1 });
  const history = new ChangeHistory();
  let lastGood: Project | undefined;
  let catalogueError: CatalogError | undefined;
  /** Materials changed by an edit whose generation could not run yet (the lock was held). */
  let unsettled = new Set<string>();
  /** Files edited since the queued pass was scheduled; one pass covers them all, as it reads the files when it starts. */
  const editedFiles = new Set<string>();
  let editQueued = false;
  let fallbackTold = false;

  const env = () => ({ ...loadDotEnv(root), ...process.env });
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');

  /** Loads the catalogue; on a mistake, reports it (terminal and browser) and keeps the last good one. */
  async function load(): Promise<Project | undefined> {
    try {
      const project = await openProject(root, options, site);
      if (catalogueError) logger.info('the catalogue is valid again');
      catalogueError = undefined;
      overlay.clear();
      return project;
    } catch (error) {
      if (!(error instanceof CatalogError)) throw error;
      if (catalogueError?.message !== error.message) {
        logger.error(`${error.message}\n  Fix it and save: generation resumes without a restart; until then the last good content is served.`);
      }
      catalogueError = error;
      overlay.show(error);
      return undefined;
    }
  }

  async function generate(project: Project, plan: Plan, cause: string): Promise<Pick<RegenerateResult, 'written' | 'failed'>> {
    const resolved = providerForRun(options, env());
    if (resolved.fallbackReason && !fallbackTold) {
      logger.warn(`${resolved.fallbackReason}: the offline writer drafts the llm components`);
      fallbackTold = true;
    }
    const release = await acquireLock(stateDir(project));
    try {
      const { provider } = resolved;
      const before = new Map(plan.todo.map((item) => [item.key, item.file?.text]));
      logger.info(`${cause}: regenerating ${describeItems(plan.todo)} with ${provider.id} (${provider.model})`);
      let lastProgress = 0;
      const { report, run } = await runBatch(project, plan, provider, {
        concurrency: options.concurrency,
        gate: resolved.gate,
        onProgress: (snapshot) => {
          if (provider.mode === 'offline') return;
          const now = performance.now();
          if (snapshot.materialsDone < snapshot.materialsTotal && now - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = now;
          logger.info(progressLine(snapshot));
        },
      });
      const failed: Array<{ component: string; reason: string }> = [];
      for (const result of run.results) {
        const item = plan.byKey.get(itemKey(result.material, result.component));
        if (!item) continue;
        if (result.outcome === 'written') {
          const after = await project.store.read(item.component, item.material.slug);
          if (after) history.record(item.key, before.get(item.key), after.text, cause);
        } else if (result.outcome !== 'unchanged') {
          const reason = result.reason ?? result.outcome;
          failed.push({ component: result.component, reason });
          logger.warn(`${item.key} was not regenerated: ${reason}`);
        }
      }
      const calls = report.calls > 0 ? `, ${report.calls} calls, ${report.tokens.prompt + report.tokens.completion} tokens` : '';
      logger.info(`wrote ${report.written}, unchanged ${report.unchanged}, failed ${failed.length}${calls}`);
      config.notify([...new Set(plan.todo.map((item) => item.material.slug))]);
      return { written: report.written, failed };
    } finally {
      await release();
    }
  }

  /** After an edit: reload the catalogue and regenerate the stale components of the materials it changed. */
  async function applyCatalogueEdit(files: string[]): Promise<void> {
    editQueued = false;
    const project = await load();
    if (!project) return;
    const changed = changedMaterials(lastGood?.catalog, project.catalog);
    const affected = new Set([...changed, ...unsettled]);
    lastGood = project;
    try {
      if (affected.size > 0) {
        const plan = await planFor(project, { materials: affected });
        const edited = plan.items.filter((item) => item.status === 'edited').map((item) => item.key);
        if (edited.length > 0) logger.info(`kept hand-edited: ${edited.join(', ')} (regenerate them from the toolbar panel or with --force)`);
        if (plan.todo.length > 0) await generate(project, plan, `${files.map(relative).join(', ')} changed`);
      }
      unsettled = new Set();
    } catch (error) {
      // Not generated: the next pass takes these materials up again, whatever it is about.
      unsettled = affected;
      if (!(error instanceof LockedError)) throw error;
      logger.error(`${error.message}; the edit is regenerated after the next save once that run has finished`);
    } finally {
      // Also when nothing was regenerated: the catalogue collection itself may have changed, and
      // after a fixed mistake the reload drops the error overlay.
      await config.showContent();
    }
  }

  function findMaterial(project: Project, pagePath: string) {
    const wanted = pagePath.endsWith('/') ? pagePath : `${pagePath}/`;
    return project.catalog.materials.find((m) => materialPath(m.category, m.slug) === wanted);
  }

  async function current(): Promise<Project> {
    await ready;
    if (!lastGood) throw new DevRequestError(409, catalogueError?.message ?? 'the catalogue could not be loaded');
    return lastGood;
  }

  const ready = load().then(
    (project) => {
      lastGood = project;
    },
    (error: unknown) => logger.error(`the catalogue could not be loaded: ${(error as Error).stack ?? String(error)}`),
  );

  return {
    /** Called by the watcher: coalesces edits made while a generation runs into one more pass. */
    catalogueEdited(files: string[]): void {
      for (const file of files) editedFiles.add(file);
      if (editQueued) return;
      editQueued = true;
      void queue
        .add(() => {
          const batch = [...editedFiles].sort();
          editedFiles.clear();
          return applyCatalogueEdit(batch);
        })
        .catch((error: unknown) => logger.error(`regenerating after the catalogue edit failed: ${(error as Error).stack ?? String(error)}`));
    },

    async status(pagePath: string): Promise<MaterialStatus> {
      const project = await current();
      const busy = queue.size + queue.pending > 0;
      const base = { busy, ...(catalogueError ? { catalogueError: catalogueError.message } : {}) };
      const material = findMaterial(project, pagePath);
      if (!material) return { ...base, components: [] };
      const plan = await planFor(project, { materials: new Set([material.slug]) });
      return {
        ...base,
        material: { name: material.name, slug: material.slug, category: material.category, file: material.file },
        components: plan.items.map((item) => componentRow(item, history.has(item.key))),
      };
    },

    /** Regenerates one component of the page's material, or all ten, hand edits included: the person asked for it. */
    regenerate(pagePath: string, component?: string): Promise<RegenerateResult> {
      return queue.add(async () => {
        const project = await current();
        if (catalogueError) throw new DevRequestError(409, `fix the catalogue first: ${catalogueError.message}`);
        const material = findMaterial(project, pagePath);
        if (!material) throw new DevRequestError(404, `${pagePath} is not the page of a catalogue material`);
        if (component !== undefined && !project.components.some((c) => c.name === component)) {
          throw new DevRequestError(400, `unknown component "${component}"`);
        }
        const plan = await planFor(project, {
          materials: new Set([material.slug]),
          ...(component ? { only: new Set([component]) } : {}),
          force: true,
        });
        let outcome: Pick<RegenerateResult, 'written' | 'failed'>;
        try {
          outcome = await generate(project, plan, `toolbar: regenerate ${material.slug}${component ? `/${component}` : ''}`);
        } catch (error) {
          if (error instanceof LockedError) throw new DevRequestError(409, error.message);
          throw error;
        }
        const busy = queue.size > 0;
        // The answer goes out first: showing the content reloads the page that asked.
        if (outcome.written > 0) void queue.add(() => config.showContent()).catch((error: unknown) => logger.error(String(error)));
        const after = await planFor(project, { materials: new Set([material.slug]) });
        return {
          busy,
          material: { name: material.name, slug: material.slug, category: material.category, file: material.file },
          components: after.items.map((item) => componentRow(item, history.has(item.key))),
          ...outcome,
        };
      });
    },

    async lastChange(pagePath: string, component: string): Promise<LastChange | undefined> {
      const project = await current();
      const material = findMaterial(project, pagePath);
      if (!material) throw new DevRequestError(404, `${pagePath} is not the page of a catalogue material`);
      return history.lastChange(itemKey(material.slug, component), component);
    },
  };
}

export type DevLoop = ReturnType<typeof createDevLoop>;

function componentRow(item: PlanItem, hasDiff: boolean): ComponentRow {
  const provenance = item.file?.provenance;
  return {
    name: item.component.name,
    kind: item.component.kind,
    status: item.status,
    reason: item.reason,
    hasDiff,
    ...(provenance
      ? {
          provider: provenance.provider,
          model: provenance.model,
          mode: provenance.mode,
          generatedAt: provenance.generatedAt,
          ...(provenance.usage ? { tokens: { prompt: provenance.usage.promptTokens, completion: provenance.usage.completionTokens } } : {}),
        }
      : {}),
  };
}

/** "8 components of aluminum" / "24 components of 3 materials" */
function describeItems(items: readonly PlanItem[]): string {
  const materials = [...new Set(items.map((item) => item.material.slug))];
  const count = `${items.length} component${items.length === 1 ? '' : 's'}`;
  return materials.length === 1 ? `${count} of ${materials[0]}` : `${count} of ${materials.length} materials`;
}

/**
 * Slugs of the materials whose record, category or author differs between two catalogues
 * (all of them when there is no previous one): the only materials an edit can make stale.
 */
export function changedMaterials(previous: Catalog | undefined, next: Catalog): Set<string> {
  const fingerprints = (catalog: Catalog) => {
    const categories = new Map(catalog.categories.map((c) => [c.id, { id: c.id, label: c.label, description: c.description }]));
    return new Map(
      catalog.materials.map((m) => [m.slug, canonicalJson({ material: m, category: categories.get(m.category), author: catalog.authors.get(m.author) })]),
    );
  };
  const after = fingerprints(next);
  if (!previous) return new Set(after.keys());
  const before = fingerprints(previous);
  return new Set([...after].filter(([slug, fingerprint]) => before.get(slug) !== fingerprint).map(([slug]) => slug));
}
