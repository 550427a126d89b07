/**
 * What the dev-toolbar panel and the dev server say to each other. Shared by both sides, so it
 * imports nothing; none of it reaches a built site.
 */

/** Where the dev server answers the panel (a dev-server middleware, absent from builds). */
export const DEV_ENDPOINT = '/__batchgen';

export const TOOLBAR_APP_ID = 'batchgen-components';

/** Sent to the browser after the dev server regenerated something. */
export const CHANGED_EVENT = 'batchgen:changed';

export interface ChangedEvent {
  /** Slugs of the materials whose components were (re)written. */
  materials: string[];
}

export interface ComponentRow {
  name: string;
  kind: string;
  status: 'fresh' | 'stale' | 'missing' | 'edited' | 'failed';
  /** Why it has that status, in words. */
  reason: string;
  provider?: string;
  model?: string;
  mode?: string;
  tokens?: { prompt: number; completion: number };
  generatedAt?: string;
  /** Whether the dev server kept the bytes this file had before its last regeneration. */
  hasDiff: boolean;
}

export interface MaterialStatus {
  /** Undefined when the page is not a material page. */
  material?: { name: string; slug: string; category: string; file: string };
  components: ComponentRow[];
  /** The catalogue's current error, while the last good catalogue is being served. */
  catalogueError?: string;
  /** Whether a generation is running or queued. */
  busy: boolean;
}

export interface RegenerateResult extends MaterialStatus {
  written: number;
  failed: Array<{ component: string; reason: string }>;
}

export interface DiffLine {
  kind: 'hunk' | 'added' | 'removed' | 'context';
  text: string;
}

export interface LastChange {
  component: string;
  /** When the dev server rewrote the file. */
  at: string;
  /** What made it rewrite the file: a catalogue edit or a request from the panel. */
  cause: string;
  /** True when there was no file before. */
  created: boolean;
  lines: DiffLine[];
}

export interface RegenerateRequest {
  /** The page's path, e.g. `/materials/metal/aluminum/`. */
  path: string;
  /** One component; the whole material when absent. */
  component?: string;
}
