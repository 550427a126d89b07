import type OpenAI from 'openai';
import type { Batch } from 'openai/resources/batches';
import { outcomeOf, parseResultLines, type LineOutcome } from './jsonl.ts';

/**
 * Downloads a finished batch's output and error files and joins them by custom_id (the files
 * keep no order). A request that appears in neither file gets the batch's own reason: it
 * expired, was cancelled, or the whole batch failed validation.
 */
export async function collectBatch(client: OpenAI, batch: Batch, customIds: readonly string[]): Promise<Map<string, LineOutcome>> {
  const outcomes = new Map<string, LineOutcome>();
  // Errors first, so an output line for the same id (never expected) wins.
  for (const fileId of [batch.error_file_id, batch.output_file_id]) {
    if (!fileId) continue;
    const text = await (await client.files.content(fileId)).text();
    for (const line of parseResultLines(text)) outcomes.set(line.custom_id, outcomeOf(line));
  }
  const missing = missingReason(batch);
  for (const id of customIds) if (!outcomes.has(id)) outcomes.set(id, { ok: false, reason: missing });
  return outcomes;
}

function missingReason(batch: Batch): string {
  const first = batch.errors?.data?.[0];
  switch (batch.status) {
    case 'failed':
      return `the batch failed${first ? `: ${first.message ?? first.code}${first.line ? ` (input line ${first.line})` : ''}` : ''}`;
    case 'expired':
      return 'the batch expired (24h window) before this request ran';
    case 'cancelled':
      return 'the batch was cancelled before this request ran';
    default:
      return `the batch ended ${batch.status} without an answer for this request`;
  }
}
