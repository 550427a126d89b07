import OpenAI, { APIError } from 'openai';
import { ConfigError, type ProviderId, type ResolvedOptions } from '../config.ts';
import { keyVariableSet, PROVIDER_PROFILES, type ProviderProfile } from '../providers/registry.ts';

/** Where batches go: the provider's OpenAI-compatible Files and Batches endpoints, through the official client. */
export interface BatchTarget {
  client: OpenAI;
  profile: ProviderProfile;
  model: string;
}

/**
 * Providers whose OpenAI-compatible endpoint offers `/v1/files` and `/v1/batches`. A compatible
 * server (vLLM, a proxy) may or may not: a 404 on the first batch call says so clearly.
 */
export const BATCH_API_PROVIDERS: readonly ProviderId[] = ['openai', 'gemini', 'xai', 'compatible'];

/** Resolves the provider, key and base URL for `--batch-api`; a missing key is a configuration error, never an offline fallback. */
export function batchTarget(
  options: Pick<ResolvedOptions, 'provider' | 'model' | 'baseURL' | 'timeoutMs' | 'maxAttempts'>,
  env: NodeJS.ProcessEnv,
  overrides: { provider?: ProviderId; model?: string } = {},
): BatchTarget {
  const id = overrides.provider ?? options.provider;
  const profile = PROVIDER_PROFILES[id];
  if (!BATCH_API_PROVIDERS.includes(id)) {
    throw new ConfigError(
      `--batch-api: ${profile.label} has no OpenAI-compatible Batch API`,
      `Use --provider ${BATCH_API_PROVIDERS.join(', ')}, or run without --batch-api.`,
    );
  }
  const keyVariable = keyVariableSet(profile, env);
  if (profile.keyVariables.length > 0 && !keyVariable) {
    throw new ConfigError(`--batch-api needs ${profile.keyVariables.join(' or ')}`, `Set ${profile.keyVariables[0]} in the environment or in .env.`);
  }
  const baseURL = (profile.baseURLVariable ? env[profile.baseURLVariable] : undefined) || options.baseURL || profile.baseURL;
  if (!baseURL) throw new ConfigError(`provider "${id}" needs a base URL`, `Set ${profile.baseURLVariable ?? 'BATCHGEN_BASE_URL'} or the \`baseURL\` option.`);
  // The few management calls (upload, create, poll, download) use the client's own retries,
  // which back off and honour retry-after.
  const client = new OpenAI({
    apiKey: keyVariable ? env[keyVariable]!.trim() : 'no-key',
    baseURL,
    maxRetries: Math.max(0, options.maxAttempts - 1),
    timeout: options.timeoutMs,
  });
  return { client, profile, model: overrides.model ?? options.model ?? profile.defaultModel };
}

/** A Batch API failure no retry or later poll can fix: the run stops with this message. */
export function fatalBatchError(error: unknown): string | undefined {
  if (!(error instanceof APIError)) return undefined;
  if (error.status === 401 || error.status === 403) {
    return `the provider refused the API key (HTTP ${error.status}): check the key variable and its permissions`;
  }
  if (error.status === 404) return 'the provider answered 404 to a Batch API call: this base URL offers no /v1/files or /v1/batches (run without --batch-api)';
  return undefined;
}
