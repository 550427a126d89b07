import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { PreparedItem } from '../engine/workspace.ts';

/** The only endpoint our batches call: each line is one chat completion, as the live path sends it. */
export const BATCH_ENDPOINT = '/v1/chat/completions';

/** One request line of a Batch API input file. */
export interface BatchRequestLine {
  custom_id: string;
  method: 'POST';
  url: typeof BATCH_ENDPOINT;
  body: Record<string, unknown>;
}

/** One line of a batch's output or error file. */
export interface BatchResultLine {
  custom_id: string;
  response: { status_code: number; body: unknown } | null;
  error: { code?: string | null; message?: string | null } | null;
}

/** What a batch delivered for one request: the completion, or why there is none. */
export type LineOutcome = { ok: true; completion: ChatCompletion } | { ok: false; reason: string };

/**
 * A line's id: material, component and a short inputs hash. The hash makes an answer to an old
 * question (the catalogue or a dependency changed since the batch was submitted) never match
 * the current one, so a resumed batch is only trusted for what is still asked.
 */
export function customIdOf(prepared: Pick<PreparedItem, 'item' | 'inputsHash'>): string {
  return `${prepared.item.material.slug}/${prepared.item.component.name}/${prepared.inputsHash.slice(0, 12)}`;
}

export function requestLine(customId: string, body: Record<string, unknown>): BatchRequestLine {
  return { custom_id: customId, method: 'POST', url: BATCH_ENDPOINT, body };
}

export function toJsonl(lines: readonly BatchRequestLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** Reads an output or error file. Lines that are not JSON or carry no custom_id are skipped: they cannot be joined to a request. */
export function parseResultLines(text: string): BatchResultLine[] {
  const lines: BatchResultLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    let parsed: Partial<BatchResultLine>;
    try {
      parsed = JSON.parse(raw) as Partial<BatchResultLine>;
    } catch {
      continue;
    }
    if (typeof parsed.custom_id !== 'string') continue;
    lines.push({ custom_id: parsed.custom_id, response: parsed.response ?? null, error: parsed.error ?? null });
  }
  return lines;
}

/** A result line as an outcome: a 200 with a completion body, or the provider's reason for the failure. */
export function outcomeOf(line: BatchResultLine): LineOutcome {
  const status = line.response?.status_code;
  if (line.error) {
    const code = line.error.code ?? 'error';
    return { ok: false, reason: `the batch request failed (${code}${status ? `, HTTP ${status}` : ''}): ${line.error.message ?? 'no message'}` };
  }
  if (!line.response) return { ok: false, reason: 'the batch returned no response for this request' };
  if (status !== 200) {
    const message = (line.response.body as { error?: { message?: string } } | null)?.error?.message;
    return { ok: false, reason: `the batch request failed (HTTP ${status}): ${message ?? 'no message'}` };
  }
  const body = line.response.body as ChatCompletion | null;
  if (!body || !Array.isArray(body.choices)) return { ok: false, reason: 'the batch response is not a chat completion' };
  return { ok: true, completion: body };
}
