import { z } from 'zod';
import type { ComponentDefinition } from './components/define.ts';

export const PROVIDER_IDS = ['openai', 'deepseek', 'xai', 'gemini', 'ollama', 'compatible', 'offline'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** The one configuration shared by `astro build` and the `batchgen` CLI (set in astro.config.mjs). */
export const optionsSchema = z.strictObject({
  /** Which provider writes llm components. Without its key, the offline writer is used. */
  provider: z.enum(PROVIDER_IDS).default('offline'),
  model: z.string().min(1).optional(),
  /** For `ollama` and `compatible` (vLLM, llama.cpp server, ...), or to point a provider elsewhere. */
  baseURL: z.url().optional(),
  /** Calls in flight at once (the most; fewer while the provider answers 429). */
  concurrency: z.number().int().min(1).max(1024).default(8),
  /** The provider's limits for your account, if you know them. */
  requestsPerMinute: z.number().positive().optional(),
  tokensPerMinute: z.number().positive().optional(),
  /** Deadline for one call in milliseconds; shortened automatically once typical latencies are known. */
  timeoutMs: z.number().int().positive().default(45_000),
  /** Attempts per call for transient failures (429, 5xx, timeouts, dropped connections). */
  maxAttempts: z.number().int().min(1).max(20).default(6),
  /** Base of the exponential backoff between attempts, in milliseconds (a retry-after from the provider wins). */
  retryBaseMs: z.number().int().positive().default(500),
  /** Caps per run: once one is reached nothing new starts, calls in flight finish, and the report lists what is left. */
  budget: z
    .strictObject({
      maxCalls: z.number().int().positive().optional(),
      maxTokens: z.number().int().positive().optional(),
      maxCostUsd: z.number().positive().optional(),
    })
    .default({}),
  /** Ask for the short llm components that share dependencies in one call per material (fewer calls and prompt tokens). */
  grouping: z.boolean().default(false),
  /** OpenAI's service tier; "flex" is cheaper and slower. */
  serviceTier: z.enum(['auto', 'default', 'flex']).optional(),
  /**
   * What your account pays, USD per 1M tokens, by "provider/model" or model (e.g.
   * `{ 'openai/gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 } }`); wins over
   * the built-in price table for `--dry-run` and cost figures. `batchDiscount` 0.5 = half price.
   */
  prices: z
    .record(
      z.string(),
      z.strictObject({
        input: z.number().nonnegative(),
        cachedInput: z.number().nonnegative().optional(),
        output: z.number().nonnegative(),
        batchDiscount: z.number().min(0).max(1).optional(),
      }),
    )
    .optional(),
  /** Re-asks after an answer that fails validation, before the component is recorded as failed. */
  maxReasks: z.number().int().min(0).max(5).default(2),
  /** What `astro build` does about missing or stale components: generate them, or fail with the list. */
  onBuild: z.enum(['generate', 'check']).default('generate'),
  /** Site name, shown once in every page title. */
  brand: z.string().min(1).default('Laser Cleaning Guide'),
  /** Folder (relative to the project root) holding `materials/`, `authors.yaml` and `components/`. */
  contentDir: z.string().min(1).default('content'),
  /** Per-component answer budget and temperature for the configured provider, e.g. `{ text: { maxTokens: 3000 } }`. */
  componentSettings: z
    .record(
      z.string(),
      z.strictObject({ maxTokens: z.number().int().min(16).max(128_000).optional(), temperature: z.number().min(0).max(2).optional() }),
    )
    .default({}),
  /** Your own components, added after the built-in ten. */
  components: z.array(z.custom<ComponentDefinition>((c) => typeof c === 'object' && c !== null && 'name' in c)).default([]),
});

export type BatchgenOptions = z.input<typeof optionsSchema>;
export type ResolvedOptions = z.output<typeof optionsSchema>;

/** A mistake in the configuration: the CLI exits 2, the build stops with this message. */
export class ConfigError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'ConfigError';
    this.hint = hint;
  }
}

export function parseOptions(input: unknown): ResolvedOptions {
  const result = optionsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || '(options)';
    throw new ConfigError(`astro-batchgen option "${field}": ${issue.message}`, 'Check the batchgen({...}) call in astro.config.mjs.');
  }
  return result.data;
}
