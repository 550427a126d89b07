import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import { AstroError } from 'astro/errors';
import { usageCost } from './estimate/prices.ts';
import { findOrphans, planFor, providerForRun, removeOrphans, runBatch, stateDir } from './batch.ts';
import { acquireLock, LockedError } from './store/lock.ts';
import { removeStaleTemporaryFiles } from './store/store.ts';
import { CatalogError } from './catalog/load.ts';
import { ConfigError, parseOptions, type BatchgenOptions, type ResolvedOptions } from './config.ts';
import { openProject } from './project.ts';
import { loadDotEnv } from './env.ts';
import { devToolbarApp, devViteConfig, startDevLoop } from './dev/index.ts';

export const INTEGRATION_NAME = 'astro-batchgen';

export type BatchgenIntegration = AstroIntegration & { batchgenOptions: ResolvedOptions };

/**
 * Before `astro build`, `astro dev` and `astro sync`, fills in missing and stale components
 * (or, with `onBuild: 'check'`, fails listing them), so the site always builds from complete,
 * current content.
 */
export default function batchgen(input: BatchgenOptions = {}): BatchgenIntegration {
  const options = parseOptions(input);
  let dev: { root: string; site: string | undefined } | undefined;
  return {
    name: INTEGRATION_NAME,
    batchgenOptions: options,
    hooks: {
      'astro:config:setup': async ({ command, config, logger, addWatchFile, addDevToolbarApp, updateConfig }) => {
        if (command === 'preview') return;
        const root = fileURLToPath(config.root);
        if (command === 'dev') {
          dev = { root, site: config.site };
          addDevToolbarApp(devToolbarApp);
          updateConfig({ vite: devViteConfig() });
        }
        // In dev the dev loop watches the catalogue: a watch file would restart the whole server on every edit.
        const watch = command === 'dev' ? () => {} : (file: string) => addWatchFile(path.join(root, file));
        try {
          await generateBeforeBuild(root, options, config.site, logger, watch);
        } catch (error) {
          if (error instanceof CatalogError) throw new AstroError(error.message, 'Fix the catalogue entry named above; nothing was generated.');
          if (error instanceof ConfigError) throw new AstroError(error.message, error.hint);
          if (error instanceof LockedError) throw new AstroError(error.message, 'Let the other run finish, then build again.');
          throw error;
        }
      },
      'astro:server:setup': ({ server, logger, toolbar, refreshContent }) => {
        if (dev) startDevLoop({ server, logger, toolbar, refreshContent, options, ...dev });
      },
    },
  };
}

async function generateBeforeBuild(
  root: string,
  options: ResolvedOptions,
  site: string | undefined,
  logger: AstroIntegrationLogger,
  watch: (file: string) => void,
): Promise<void> {
  const env = { ...loadDotEnv(root), ...process.env };
  const project = await openProject(root, options, site);
  for (const file of project.catalog.files) watch(file);
  const resolved = providerForRun(options, env);
  const plan = await planFor(project, {}, resolved.provider);
  const total = plan.items.length;
  const orphans = await findOrphans(project);
  if (plan.todo.length === 0 && orphans.length === 0) {
    logger.info(`all ${total} components of ${project.catalog.materials.length} materials are fresh: nothing to generate`);
    return;
  }
  const list = [
    ...plan.todo.map((i) => `${i.material.slug}/${i.component.name} (${i.status})`),
    ...orphans.map((o) => `${o.slug}/${o.component.name} (orphan: the material is no longer in the catalogue)`),
  ];
  if (options.onBuild === 'check') {
    throw new AstroError(
      `${list.length} component(s) are missing, stale or orphaned:\n  ${list.slice(0, 50).join('\n  ')}${list.length > 50 ? `\n  … and ${list.length - 50} more` : ''}`,
      'Run `npx batchgen --all`, review and commit the output, then build again (onBuild is "check").',
    );
  }
  if (resolved.fallbackReason && plan.todo.length > 0) logger.warn(`${resolved.fallbackReason}: the offline writer drafts the llm components`);
  const release = await acquireLock(stateDir(project));
  try {
    await removeStaleTemporaryFiles(project.store, project.components);
    const removed = await removeOrphans(project);
    if (removed.length > 0) logger.info(`removed ${removed.length} file(s) of materials no longer in the catalogue`);
    if (plan.todo.length === 0) return;
    logger.info(`generating ${plan.todo.length} of ${total} components with ${resolved.provider.id} (${resolved.provider.model})`);
    const costOf = usageCost(resolved.provider.id, resolved.provider.model, options.prices);
    const { report } = await runBatch(project, plan, resolved.provider, {
      concurrency: options.concurrency,
      gate: resolved.gate,
      removed,
      budget: options.budget,
      ...(costOf ? { costOf } : {}),
      grouping: options.grouping,
      log: (line) => logger.info(line),
    });
    logger.info(`wrote ${report.written}, unchanged ${report.unchanged}, failed ${report.failed.length}, ${report.calls} calls`);
    for (const advice of report.recommendations) logger.info(`recommendation: ${advice}`);
    if (report.fatal || report.failed.length > 0 || report.notRun.length > 0) {
      const failures = [...report.failed, ...report.notRun].map((f) => `${f.material}/${f.component}: ${f.reason}`);
      throw new AstroError(
        `${failures.length} component(s) could not be generated${report.fatal ? ` (${report.fatal})` : ''}:\n  ${failures.slice(0, 30).join('\n  ')}`,
        'See .batchgen/last-run.html; fix the cause and build again. Files already written are kept.',
      );
    }
  } finally {
    await release();
  }
}
