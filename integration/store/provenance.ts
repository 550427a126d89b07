import { z } from 'zod';

export const usageSchema = z.strictObject({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  cachedTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

/** Recorded in every generated file: what it was made from, by whom, when. */
export const provenanceSchema = z.strictObject({
  component: z.string(),
  material: z.string(),
  /** Hash of everything the output was made from; a different value means the file is stale. */
  inputsHash: z.string(),
  /** Short hashes of each input (catalogue fields, dependencies, definition), to say which one changed. */
  inputs: z.record(z.string(), z.string()).optional(),
  /** Hash of the file's content as written; a different value means a person edited it. */
  outputHash: z.string(),
  provider: z.string(),
  model: z.string(),
  mode: z.enum(['offline', 'live', 'batch', 'static', 'accepted-edit']),
  generatedAt: z.string(),
  usage: usageSchema.optional(),
});
export type Provenance = z.infer<typeof provenanceSchema>;
