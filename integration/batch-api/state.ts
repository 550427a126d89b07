import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A batch this project submitted, kept until a run has used its results. */
export interface SavedBatch {
  provider: string;
  model: string;
  stage: number;
  /** Saved before the batch is created, so a run killed in between can still find it. */
  inputFileId: string;
  batchId?: string;
  status?: string;
  customIds: string[];
  savedAt: string;
}

interface BatchStateFile {
  version: 1;
  batches: SavedBatch[];
}

/** Batch results are kept by providers for about a month; older entries can only fail to resume. */
const KEEP_MS = 30 * 24 * 3600 * 1000;

/**
 * `.batchgen/batch-state.json`: the batches submitted and not yet used. Written atomically
 * after every change (upload, creation, final status), so an interrupted run resumes polling
 * the same batches instead of paying for them twice.
 */
export class BatchState {
  readonly file: string;
  batches: SavedBatch[] = [];

  constructor(dir: string) {
    this.file = path.join(dir, 'batch-state.json');
  }

  async load(now = new Date()): Promise<this> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as BatchStateFile;
      this.batches = (parsed.batches ?? []).filter((b) => now.getTime() - Date.parse(b.savedAt) < KEEP_MS);
    } catch {
      // None yet, or unreadable (a person broke it): start afresh; at worst a batch is submitted again.
      this.batches = [];
    }
    return this;
  }

  async add(batch: SavedBatch): Promise<void> {
    this.batches.push(batch);
    await this.save();
  }

  async remove(batches: readonly SavedBatch[]): Promise<void> {
    this.batches = this.batches.filter((b) => !batches.includes(b));
    await this.save();
  }

  async save(): Promise<void> {
    if (this.batches.length === 0) {
      await rm(this.file, { force: true });
      return;
    }
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const state: BatchStateFile = { version: 1, batches: this.batches };
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}
