import { structuredPatch } from 'diff';
import type { DiffLine, LastChange } from './protocol.ts';

interface Change {
  before: string | undefined;
  after: string;
  at: string;
  cause: string;
}

/**
 * The bytes each file had before the dev server last regenerated it, kept in memory (never
 * written anywhere) so the panel can show what the regeneration changed.
 */
export class ChangeHistory {
  readonly #changes = new Map<string, Change>();

  record(key: string, before: string | undefined, after: string, cause: string, at = new Date()): void {
    if (before === after) return;
    this.#changes.set(key, { before, after, at: at.toISOString(), cause });
  }

  has(key: string): boolean {
    return this.#changes.has(key);
  }

  lastChange(key: string, component: string): LastChange | undefined {
    const change = this.#changes.get(key);
    if (!change) return undefined;
    return {
      component,
      at: change.at,
      cause: change.cause,
      created: change.before === undefined,
      lines: lineDiff(change.before ?? '', change.after),
    };
  }
}

/** A unified line diff as rows the panel can colour: hunk headers, added, removed and context lines. */
export function lineDiff(before: string, after: string, context = 2): DiffLine[] {
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context });
  const lines: DiffLine[] = [];
  for (const hunk of patch.hunks) {
    lines.push({ kind: 'hunk', text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const kind = line[0] === '+' ? 'added' : line[0] === '-' ? 'removed' : 'context';
      lines.push({ kind, text: line.slice(1) });
    }
  }
  return lines;
}
