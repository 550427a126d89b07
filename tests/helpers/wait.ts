/** Resolves once `condition` holds, checking on every turn of the event loop's timers; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 60_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
