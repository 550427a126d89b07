import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevToolbarAppEntry, HookParameters } from 'astro';
import type { ResolvedOptions } from '../config.ts';
import { devEndpoint } from './endpoint.ts';
import { createDevLoop } from './loop.ts';
import { createErrorOverlay } from './overlay.ts';
import { CHANGED_EVENT, DEV_ENDPOINT, TOOLBAR_APP_ID, type ChangedEvent } from './protocol.ts';
import { watchCatalogue } from './watch.ts';

/** The panel listing a material page's components (dev only: `astro build` never sees it). */
export const devToolbarApp: DevToolbarAppEntry = {
  id: TOOLBAR_APP_ID,
  name: 'Content components',
  icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round"><rect x="3" y="3" width="18" height="18" rx="2"/><path d="M7 8h10M7 12h10M7 16h6"/></svg>',
  entrypoint: fileURLToPath(new URL('./toolbar-app.ts', import.meta.url)),
};

/** Dev-server settings: run reports under `.batchgen/` are not pages, so writing them reloads nothing. */
export function devViteConfig() {
  return { server: { watch: { ignored: ['**/.batchgen/**'] } } };
}

export interface DevLoopSetup extends Pick<HookParameters<'astro:server:setup'>, 'server' | 'logger' | 'toolbar' | 'refreshContent'> {
  root: string;
  options: ResolvedOptions;
  site: string | undefined;
}

/**
 * `astro dev`: watches the catalogue through the dev server's own watcher (no restart per
 * edit), regenerates what an edit made stale, shows catalogue errors in the browser overlay,
 * and answers the toolbar panel.
 */
export function startDevLoop({ server, logger, toolbar, refreshContent, root, options, site }: DevLoopSetup): void {
  const contentDir = path.resolve(root, options.contentDir);
  const loop = createDevLoop({
    root,
    options,
    site,
    logger,
    overlay: createErrorOverlay(server, root),
    showContent: async () => {
      // A full sync reads the generated files itself, so what the pages show does not depend on
      // when the file watcher reports the writes (only a full sync also drops the loaders' old
      // watchers before they add new ones).
      await refreshContent?.({});
      reloadPages(server);
    },
    notify: (materials) => toolbar.send(CHANGED_EVENT, { materials } satisfies ChangedEvent),
  });
  server.middlewares.use(DEV_ENDPOINT, devEndpoint(loop, logger));
  const stop = watchCatalogue(
    server.watcher,
    { materialsDir: path.join(contentDir, 'materials'), authorsFile: path.join(contentDir, 'authors.yaml') },
    (files) => loop.catalogueEdited(files),
  );
  server.httpServer?.once('close', stop);
}

/**
 * Reloads the open pages from fresh modules: the server-side module runners drop every module
 * evaluated from the old content (data caches included), then the browsers reload.
 */
function reloadPages(server: DevLoopSetup['server']): void {
  for (const [name, environment] of Object.entries(server.environments)) {
    if (name !== 'client') environment.hot.send({ type: 'full-reload', path: '*' });
  }
  server.environments.client.hot.send({ type: 'full-reload', path: '*' });
}
