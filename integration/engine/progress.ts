import type { RunEvent } from './run.ts';

export interface ProgressSnapshot {
  materialsDone: number;
  materialsTotal: number;
  done: number;
  total: number;
  succeeded: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  elapsedMs: number;
  inFlight: number;
  concurrency: number | undefined;
}

/** Follows a run's events and turns them into the figures a progress line shows. */
export function progressTracker(total: number, materialsTotal: number) {
  const started = performance.now();
  const snapshot: ProgressSnapshot = {
    materialsDone: 0,
    materialsTotal,
    done: 0,
    total,
    succeeded: 0,
    failed: 0,
    promptTokens: 0,
    completionTokens: 0,
    elapsedMs: 0,
    inFlight: 0,
    concurrency: undefined as number | undefined,
  };
  return {
    snapshot,
    update(event: RunEvent, concurrency?: number): ProgressSnapshot {
      snapshot.elapsedMs = performance.now() - started;
      snapshot.concurrency = concurrency;
      if (event.type === 'item') {
        snapshot.done = event.done;
        snapshot.inFlight = event.inFlight;
        if (event.result.outcome === 'written' || event.result.outcome === 'unchanged') snapshot.succeeded++;
        else snapshot.failed++;
        snapshot.promptTokens += event.result.usage.promptTokens;
        snapshot.completionTokens += event.result.usage.completionTokens;
      } else {
        snapshot.materialsDone = event.materialsDone;
      }
      return snapshot;
    },
  };
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** "40/109 materials · 436/1090 components · 100.0% ok · 52k tokens (1.2k/s) · ETA 1m 05s" */
export function progressLine(p: ProgressSnapshot): string {
  const settled = p.succeeded + p.failed;
  const rate = settled === 0 ? 100 : (p.succeeded / settled) * 100;
  const tokens = p.promptTokens + p.completionTokens;
  const perSecond = p.elapsedMs > 0 ? tokens / (p.elapsedMs / 1000) : 0;
  const eta = p.done === 0 ? Number.NaN : (p.elapsedMs / p.done) * (p.total - p.done);
  return [
    `${p.materialsDone}/${p.materialsTotal} materials`,
    `${p.done}/${p.total} components`,
    `${rate.toFixed(1)}% ok`,
    `${compact(tokens)} tokens (${compact(perSecond)}/s)`,
    `ETA ${p.done === p.total ? '0s' : formatDuration(eta)}`,
  ].join(' · ');
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** The live line on a terminal: the progress line plus calls in flight and current concurrency. */
export function liveLine(p: ProgressSnapshot): string {
  const width = 20;
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const extra = `${p.inFlight} in flight${p.concurrency !== undefined ? ` · concurrency ${p.concurrency}` : ''}`;
  return `${bar} ${progressLine(p)} · ${extra}`;
}
