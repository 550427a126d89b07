import type { RunReport } from './run-report.ts';

/** Advice drawn from what a run saw: limits, truncations, validation failures, offline drafts. */
export function recommend(report: RunReport): string[] {
  const advice: string[] = [];
  const live = report.mode === 'live';
  const callsMade = report.calls;
  if (live && callsMade >= 50 && report.rateLimited === 0 && report.concurrency.configured < 512) {
    advice.push(
      `No 429s in ${callsMade} calls at concurrency ${report.concurrency.configured}: the provider has room; try --concurrency ${report.concurrency.configured * 2}.`,
    );
  }
  if (live && report.rateLimited > 0) {
    advice.push(
      `The provider rate-limited ${report.rateLimited} call(s) and concurrency fell to ${report.concurrency.lowest}: set requestsPerMinute/tokensPerMinute to your account's limits, or start at --concurrency ${Math.max(1, report.concurrency.lowest)}.`,
    );
  }
  const reasonsByComponent = new Map<string, string[]>();
  for (const f of report.failed) reasonsByComponent.set(f.component, [...(reasonsByComponent.get(f.component) ?? []), f.reason]);
  for (const [component, reasons] of reasonsByComponent) {
    const truncated = reasons.filter((r) => /cut off|finish_reason "length"/.test(r)).length;
    const invalid = reasons.filter((r) => /schema violations|not valid JSON|was empty/.test(r)).length;
    const checks = reasons.length - truncated - invalid;
    if (truncated > 0) advice.push(`${truncated} ${component} answer(s) were cut off: raise ${component}'s maxTokens.`);
    if (invalid > 0) advice.push(`${invalid} ${component} answer(s) never matched the schema: review ${component}'s prompt, or use a model with JSON-schema output.`);
    if (checks > 0) advice.push(`${checks} ${component} answer(s) failed the content checks (numbers, names, near-copies): see the reasons above; the model may need the catalogue record more prominently.`);
  }
  // The error itself is shown once, beside the report ("Stopped: ..."); repeating it here would say it twice.
  if (report.fatal) advice.push('The run stopped at the error shown above: fix its cause and run again; everything written so far is kept.');
  if (report.stopped) advice.push(`Stopped early: ${report.stopped}. ${report.notRun.length} component(s) are left; raise the cap or run again to continue.`);
  if (report.notRun.length > 0 && !report.fatal && !report.stopped) advice.push(`${report.notRun.length} component(s) were not run (stopped early): run the same command again to finish them.`);
  if (report.mode === 'offline' && report.written > 0) {
    advice.push('These drafts were written by the offline writer: set a provider key and run `batchgen --all --upgrade` to have a model rewrite them.');
  }
  if (live && report.tokens.prompt > 10_000 && report.tokens.cached === 0) {
    advice.push('No prompt tokens were served from the provider cache: prompts share a fixed prefix per component, so check that the provider caches prompts for this model.');
  }
  return advice;
}
