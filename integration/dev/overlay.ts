import path from 'node:path';
import type { HookParameters } from 'astro';
import type { CatalogError } from '../catalog/load.ts';

type DevServer = HookParameters<'astro:server:setup'>['server'];
type ErrorPayload = { type: 'error'; err: { message: string; stack: string; [field: string]: unknown } };

/** The overlay renders the message as HTML: a catalogue value must show as text, never as markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The browser's error overlay for a catalogue mistake: which file, material and field, and what to do. */
export function catalogueErrorPayload(error: CatalogError, root: string): ErrorPayload {
  const at = /at line (\d+), column (\d+)/.exec(error.problem);
  return {
    type: 'error',
    err: {
      name: 'CatalogError',
      title: 'The catalogue has an error',
      message: escapeHtml(error.message),
      hint: escapeHtml(
        `Fix ${error.file}${error.material ? `, material "${error.material}"` : ''}${error.field ? `, field "${error.field}"` : ''} and save: the page updates without a restart. Until then the last good content is served.`,
      ),
      plugin: 'astro-batchgen',
      id: path.join(root, error.file),
      loc: { file: path.join(root, error.file), line: at ? Number(at[1]) : 1, column: at ? Number(at[2]) : 1 },
      stack: '',
    },
  };
}

/**
 * Shows the catalogue's current error in every open page, and in every page opened while it
 * lasts. Clearing it stops that; the next page reload drops the overlay.
 */
export function createErrorOverlay(server: DevServer, root: string) {
  const client = server.environments.client.hot;
  let current: ErrorPayload | undefined;
  client.on('vite:client:connect', (_data, socket) => {
    if (current) socket.send(current);
  });
  return {
    show(error: CatalogError): void {
      current = catalogueErrorPayload(error, root);
      client.send(current);
    },
    clear(): void {
      current = undefined;
    },
  };
}

export type ErrorOverlay = ReturnType<typeof createErrorOverlay>;
