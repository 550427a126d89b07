import type { ResolvedOptions, ProviderId } from '../config.ts';
import { ConfigError } from '../config.ts';
import { offlineProvider } from './offline.ts';
import { openAiCompatibleProvider } from './openai-compatible.ts';
import { PROVIDER_PROFILES, keyVariableSet, type ProviderProfile } from './registry.ts';
import type { CallGate, Provider } from './types.ts';
import type { Deadlines } from '../engine/deadlines.ts';

export interface ResolvedProvider {
  provider: Provider;
  profile: ProviderProfile;
  /** The variable the key was read from (never the key). */
  keyVariable: string | undefined;
  /** Set when the configured provider had no key, so the offline writer stands in. */
  fallbackReason: string | undefined;
}

export function resolveProvider(
  options: Pick<ResolvedOptions, 'provider' | 'model' | 'baseURL' | 'timeoutMs' | 'maxAttempts' | 'maxReasks' | 'retryBaseMs' | 'serviceTier'>,
  env: NodeJS.ProcessEnv,
  overrides: { provider?: ProviderId; model?: string; strict?: boolean } = {},
  runtime: { gate?: CallGate; deadlines?: Deadlines } = {},
): ResolvedProvider {
  const id = overrides.provider ?? options.provider;
  const profile = PROVIDER_PROFILES[id];
  if (!profile) throw new ConfigError(`unknown provider "${id}"`, `Use one of ${Object.keys(PROVIDER_PROFILES).join(', ')}.`);
  if (id === 'offline') return { provider: offlineProvider(), profile, keyVariable: undefined, fallbackReason: undefined };

  const keyVariable = keyVariableSet(profile, env);
  const baseURL = (profile.baseURLVariable ? env[profile.baseURLVariable] : undefined) || options.baseURL || profile.baseURL;
  if (profile.keyVariables.length > 0 && !keyVariable) {
    const reason = `${profile.label} is configured but ${profile.keyVariables.join(' / ')} is not set`;
    if (overrides.strict) throw new ConfigError(reason, `Set ${profile.keyVariables[0]} in the environment or in .env.`);
    return { provider: offlineProvider(), profile: PROVIDER_PROFILES.offline, keyVariable: undefined, fallbackReason: reason };
  }
  if (!baseURL) {
    throw new ConfigError(
      `provider "${id}" needs a base URL`,
      `Set ${profile.baseURLVariable ?? 'BATCHGEN_BASE_URL'} or the \`baseURL\` option in astro.config.mjs.`,
    );
  }
  const provider = openAiCompatibleProvider({
    profile,
    apiKey: keyVariable ? env[keyVariable]!.trim() : 'no-key',
    baseURL,
    model: overrides.model ?? options.model ?? profile.defaultModel,
    callTimeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    maxReasks: options.maxReasks,
    backoffMs: options.retryBaseMs,
    ...(options.serviceTier ? { serviceTier: options.serviceTier } : {}),
    ...(runtime.gate ? { gate: runtime.gate } : {}),
    ...(runtime.deadlines
      ? {
          deadline: runtime.deadlines.deadline,
          observeLatency: runtime.deadlines.observe,
          deadlinePassed: runtime.deadlines.passed,
          trackCall: runtime.deadlines.track,
        }
      : {}),
  });
  return { provider, profile, keyVariable, fallbackReason: undefined };
}
