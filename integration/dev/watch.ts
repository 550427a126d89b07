import path from 'node:path';
import type { HookParameters } from 'astro';

type Watcher = HookParameters<'astro:server:setup'>['server']['watcher'];

export interface CatalogueFiles {
  /** Folder of the `<category>.yaml` files (only its top level is the catalogue). */
  materialsDir: string;
  authorsFile: string;
}

/** Editors save in bursts (write, rename, touch): one generation per burst. */
const SETTLE_MS = 80;

/**
 * Calls `onEdit` once per burst of edits to the catalogue (category files and the authors
 * file), with the files touched. It listens to the dev server's own file watcher and reacts
 * to nothing else: generated components, reports and the content store are never catalogue
 * files, so writing them can never start another generation.
 */
export function watchCatalogue(watcher: Watcher, files: CatalogueFiles, onEdit: (files: string[]) => void): () => void {
  const materialsDir = path.resolve(files.materialsDir);
  const authorsFile = path.resolve(files.authorsFile);
  const isCatalogue = (file: string) => file === authorsFile || (path.dirname(file) === materialsDir && file.endsWith('.yaml'));

  const touched = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = [...touched].sort();
    touched.clear();
    onEdit(batch);
  };
  const onEvent = (file: string) => {
    const absolute = path.resolve(file);
    if (!isCatalogue(absolute)) return;
    touched.add(absolute);
    clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
  };

  watcher.add([materialsDir, authorsFile]);
  const events = ['add', 'change', 'unlink'] as const;
  for (const event of events) watcher.on(event, onEvent);
  return () => {
    clearTimeout(timer);
    for (const event of events) watcher.off(event, onEvent);
  };
}
