import { defineToolbarApp } from 'astro/toolbar';
import {
  CHANGED_EVENT,
  DEV_ENDPOINT,
  TOOLBAR_APP_ID,
  type ComponentRow,
  type LastChange,
  type MaterialStatus,
  type RegenerateRequest,
  type RegenerateResult,
} from './protocol.ts';

/**
 * The dev-toolbar panel of a material page: its ten components with status, provider, model,
 * tokens and when each was generated; buttons to regenerate one or all of them; the diff of a
 * component's last regeneration. Regenerating rewrites content, which reloads the page: the
 * panel keeps its state (open, which diff) in the tab's session so it comes back as it was.
 */

const STATE_KEY = `${TOOLBAR_APP_ID}:state`;

interface PanelState {
  open: boolean;
  diff?: string;
}

function readState(): PanelState {
  try {
    return { open: false, ...(JSON.parse(sessionStorage.getItem(STATE_KEY) ?? '{}') as Partial<PanelState>) };
  } catch {
    return { open: false };
  }
}

function saveState(state: PanelState): void {
  sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
}

const STYLE = `
  astro-dev-toolbar-window { max-height: min(80vh, 720px); overflow: auto; width: min(960px, 96vw); }
  header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; margin-bottom: 8px; }
  h1 { font-size: 18px; margin: 0; font-weight: 600; }
  h2 { font-size: 14px; margin: 16px 0 6px; font-weight: 600; }
  .file { color: #a3a8b8; font-size: 12px; font-family: ui-monospace, monospace; }
  header button { margin-left: auto; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #343841; vertical-align: middle; white-space: nowrap; }
  th { color: #a3a8b8; font-weight: 500; }
  td.reason { white-space: normal; color: #a3a8b8; font-size: 12px; max-width: 260px; }
  .status { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; border: 1px solid currentColor; }
  .status-fresh { color: #8fe3b4; }
  .status-stale { color: #f3d37a; }
  .status-edited { color: #9fb8ff; }
  .status-missing, .status-failed { color: #f7a6bd; }
  button { font: inherit; font-size: 12px; color: #fff; background: #2b2f38; border: 1px solid #4b5061; border-radius: 6px; padding: 3px 10px; cursor: pointer; }
  button:hover:not(:disabled) { background: #3a3f4b; }
  button:disabled { opacity: 0.45; cursor: default; }
  .message { margin: 8px 0; font-size: 13px; }
  .message.error, .catalogue-error { color: #f7a6bd; white-space: pre-wrap; }
  pre { background: #13151a; border: 1px solid #343841; border-radius: 6px; padding: 8px; font-size: 12px; overflow: auto; max-height: 40vh; margin: 0; }
  pre span { display: block; white-space: pre; }
  .added { color: #8fe3b4; background: rgba(60, 180, 110, 0.12); }
  .removed { color: #f7a6bd; background: rgba(220, 70, 110, 0.12); }
  .hunk { color: #9fb8ff; }
`;

type Attributes = Record<string, string | boolean | undefined>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children);
  return node;
}

function formatTime(iso: string | undefined): Node | string {
  if (!iso) return '—';
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const text = today ? date.toLocaleTimeString() : date.toLocaleString();
  return el('time', { datetime: iso, title: iso }, text);
}

function formatTokens(row: ComponentRow): string {
  if (!row.tokens) return '—';
  return String(row.tokens.prompt + row.tokens.completion);
}

async function call<T>(input: string, init?: RequestInit): Promise<T> {
  const response = await fetch(input, init);
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

export default defineToolbarApp({
  init(canvas, app, server) {
    const windowElement = document.createElement('astro-dev-toolbar-window');
    const style = el('style', {}, STYLE);
    canvas.append(style, windowElement);

    let state = readState();
    let status: MaterialStatus | undefined;
    let working = false;
    let message: { text: string; error: boolean } | undefined;
    let diff: LastChange | undefined;

    const pagePath = () => location.pathname;

    function render(): void {
      windowElement.replaceChildren();
      if (!status) {
        windowElement.append(el('p', { class: 'message' }, message?.text ?? 'Loading…'));
        return;
      }
      const { material } = status;
      if (!material) {
        windowElement.append(
          el('header', {}, el('h1', {}, 'Content components')),
          el('p', { class: 'message' }, 'This is not the page of a catalogue material: open one to see its components.'),
        );
        if (status.catalogueError) windowElement.append(el('p', { class: 'catalogue-error', 'data-catalogue-error': true }, status.catalogueError));
        return;
      }
      const disabled = working || status.busy || Boolean(status.catalogueError);
      const regenerateAll = el('button', { 'data-action': 'regenerate-material', disabled }, working ? 'Regenerating…' : 'Regenerate all');
      regenerateAll.addEventListener('click', () => void regenerate(undefined));
      windowElement.append(el('header', {}, el('h1', {}, material.name), el('span', { class: 'file' }, material.file), regenerateAll));
      if (status.catalogueError) {
        windowElement.append(
          el('p', { class: 'catalogue-error', 'data-catalogue-error': true }, `The catalogue has an error; this is the last good content.\n${status.catalogueError}`),
        );
      }
      if (status.busy && !working) windowElement.append(el('p', { class: 'message' }, 'The dev server is regenerating…'));
      if (message) windowElement.append(el('p', { class: `message${message.error ? ' error' : ''}`, 'data-message': true }, message.text));

      const body = el('tbody');
      for (const row of status.components) body.append(componentRow(row, disabled));
      windowElement.append(
        el(
          'table',
          { 'data-components': true },
          el('thead', {}, el('tr', {}, ...['Component', 'Status', 'Provider', 'Model', 'Tokens', 'Generated', 'Why', ''].map((h) => el('th', {}, h)))),
          body,
        ),
      );
      if (diff) windowElement.append(diffSection(diff));
    }

    function componentRow(row: ComponentRow, disabled: boolean): HTMLTableRowElement {
      const regenerateButton = el('button', { 'data-action': 'regenerate', disabled, title: `Regenerate ${row.name}` }, 'Regenerate');
      regenerateButton.addEventListener('click', () => void regenerate(row.name));
      const diffButton = el(
        'button',
        { 'data-action': 'diff', disabled: !row.hasDiff, title: row.hasDiff ? `Show what the last regeneration of ${row.name} changed` : 'Not regenerated since the dev server started' },
        'Diff',
      );
      diffButton.addEventListener('click', () => void showDiff(row.name));
      const tokensTitle = row.tokens ? `prompt ${row.tokens.prompt}, completion ${row.tokens.completion}` : undefined;
      return el(
        'tr',
        { 'data-component': row.name, 'data-status': row.status },
        el('td', {}, row.name),
        el('td', { 'data-field': 'status' }, el('span', { class: `status status-${row.status}` }, row.status)),
        el('td', { 'data-field': 'provider' }, row.provider ?? '—'),
        el('td', { 'data-field': 'model' }, row.model ?? '—'),
        el('td', { 'data-field': 'tokens', title: tokensTitle }, formatTokens(row)),
        el('td', { 'data-field': 'generated' }, formatTime(row.generatedAt)),
        el('td', { class: 'reason' }, row.status === 'fresh' ? '' : row.reason),
        el('td', {}, regenerateButton, ' ', diffButton),
      );
    }

    function diffSection(change: LastChange): HTMLElement {
      const close = el('button', { 'data-action': 'close-diff' }, 'Close');
      close.addEventListener('click', () => {
        diff = undefined;
        state = { ...state, diff: undefined };
        saveState(state);
        render();
      });
      const lines = change.lines.map((line) =>
        el('span', { class: line.kind }, `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '-' : line.kind === 'hunk' ? '' : ' '}${line.text}`),
      );
      return el(
        'section',
        { 'data-diff': change.component },
        el('h2', {}, `Last change to ${change.component} (${change.cause}, ${new Date(change.at).toLocaleTimeString()}) `, close),
        el('pre', {}, ...(lines.length > 0 ? lines : ['(no difference)'])),
      );
    }

    async function refresh(): Promise<void> {
      try {
        status = await call<MaterialStatus>(`${DEV_ENDPOINT}/material?path=${encodeURIComponent(pagePath())}`);
        if (state.diff && status.components.some((c) => c.name === state.diff && c.hasDiff)) {
          diff = await call<LastChange>(`${DEV_ENDPOINT}/diff?path=${encodeURIComponent(pagePath())}&component=${encodeURIComponent(state.diff)}`);
        }
      } catch (error) {
        message = { text: `Could not reach the dev server: ${(error as Error).message}`, error: true };
      }
      render();
    }

    async function regenerate(component: string | undefined): Promise<void> {
      const rows = status?.components.filter((c) => (component === undefined || c.name === component) && c.status === 'edited') ?? [];
      if (rows.length > 0 && !confirm(`${rows.map((c) => c.name).join(', ')} ${rows.length === 1 ? 'was' : 'were'} edited by hand: regenerating overwrites the edit. Continue?`)) return;
      working = true;
      message = undefined;
      render();
      try {
        const request: RegenerateRequest = { path: pagePath(), ...(component ? { component } : {}) };
        const result = await call<RegenerateResult>(`${DEV_ENDPOINT}/regenerate`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request),
        });
        status = result;
        const failures = result.failed.map((f) => `${f.component}: ${f.reason}`);
        message = failures.length
          ? { text: `Failed:\n${failures.join('\n')}`, error: true }
          : { text: `Regenerated ${component ?? 'all components'}: ${result.written} file(s) rewritten.`, error: false };
      } catch (error) {
        message = { text: (error as Error).message, error: true };
      } finally {
        working = false;
      }
      render();
    }

    async function showDiff(component: string): Promise<void> {
      state = { ...state, diff: component };
      saveState(state);
      try {
        diff = await call<LastChange>(`${DEV_ENDPOINT}/diff?path=${encodeURIComponent(pagePath())}&component=${encodeURIComponent(component)}`);
      } catch (error) {
        message = { text: (error as Error).message, error: true };
      }
      render();
    }

    app.onToggled(({ state: open }) => {
      state = { ...state, open };
      saveState(state);
      if (open) void refresh();
    });
    server.on(CHANGED_EVENT, () => {
      if (state.open && !working) void refresh();
    });
    render();
    // Reopen after the reload a regeneration causes (or when moving to another page).
    if (state.open) queueMicrotask(() => app.toggleState({ state: true }));
  },
});
