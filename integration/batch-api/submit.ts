import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { BATCH_ENDPOINT } from './jsonl.ts';

/** Uploads a JSONL input file for the Batch API and returns its file id. */
export async function uploadBatchInput(client: OpenAI, jsonl: string, filename: string, signal?: AbortSignal): Promise<string> {
  const file = await toFile(Buffer.from(jsonl, 'utf8'), filename, { type: 'application/jsonl' });
  // An input file can be many megabytes: allow it longer than one chat call.
  const uploaded = await client.files.create({ file, purpose: 'batch' }, { timeout: 10 * 60_000, ...(signal ? { signal } : {}) });
  return uploaded.id;
}

export async function createBatch(client: OpenAI, inputFileId: string, metadata: Record<string, string>): Promise<Batch> {
  return client.batches.create({ input_file_id: inputFileId, endpoint: BATCH_ENDPOINT, completion_window: '24h', metadata });
}

/**
 * The batch created from an input file, for a run killed between creating a batch and saving
 * its id. Batches are listed newest first, so the search stops at ones older than the upload.
 */
export async function findBatchByInputFile(client: OpenAI, inputFileId: string, uploadedAt: Date): Promise<Batch | undefined> {
  const since = Math.floor(uploadedAt.getTime() / 1000) - 600;
  for await (const batch of client.batches.list({ limit: 100 })) {
    if (batch.input_file_id === inputFileId) return batch;
    if (batch.created_at < since) return undefined;
  }
  return undefined;
}
