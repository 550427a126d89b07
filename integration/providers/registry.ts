import type { ProviderId } from '../config.ts';

export type StructuredOutput = 'json_schema' | 'json_object';

/** What we know about each provider: where it is, which key it reads, what it supports. */
export interface ProviderProfile {
  id: ProviderId;
  label: string;
  /** Environment variables holding the key, first match wins. Empty: no key needed. */
  keyVariables: readonly string[];
  baseURLVariable?: string;
  baseURL?: string;
  defaultModel: string;
  structuredOutput: StructuredOutput;
}

export const PROVIDER_PROFILES: Record<ProviderId, ProviderProfile> = {
  openai: {
    id: 'openai',
    label: 'OpenAI',
    keyVariables: ['OPENAI_API_KEY'],
    baseURLVariable: 'OPENAI_BASE_URL',
    defaultModel: 'gpt-4o-mini',
    structuredOutput: 'json_schema',
  },
  deepseek: {
    id: 'deepseek',
    label: 'DeepSeek',
    keyVariables: ['DEEPSEEK_API_KEY'],
    baseURLVariable: 'DEEPSEEK_BASE_URL',
    baseURL: 'https://api.deepseek.com/v1',
    defaultModel: 'deepseek-chat',
    structuredOutput: 'json_object',
  },
  xai: {
    id: 'xai',
    label: 'xAI Grok',
    keyVariables: ['XAI_API_KEY', 'GROK_API_KEY'],
    baseURLVariable: 'XAI_BASE_URL',
    baseURL: 'https://api.x.ai/v1',
    defaultModel: 'grok-3-mini',
    structuredOutput: 'json_schema',
  },
  gemini: {
    id: 'gemini',
    label: 'Gemini (OpenAI-compatible endpoint)',
    keyVariables: ['GEMINI_API_KEY'],
    baseURLVariable: 'GEMINI_BASE_URL',
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    defaultModel: 'gemini-2.5-flash',
    structuredOutput: 'json_schema',
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama',
    keyVariables: [],
    baseURLVariable: 'OLLAMA_BASE_URL',
    baseURL: 'http://127.0.0.1:11434/v1',
    defaultModel: 'llama3.1',
    structuredOutput: 'json_schema',
  },
  compatible: {
    id: 'compatible',
    label: 'OpenAI-compatible server',
    keyVariables: ['BATCHGEN_API_KEY'],
    baseURLVariable: 'BATCHGEN_BASE_URL',
    defaultModel: 'default',
    structuredOutput: 'json_schema',
  },
  offline: {
    id: 'offline',
    label: 'Offline writer (no network)',
    keyVariables: [],
    defaultModel: 'offline-writer-1',
    structuredOutput: 'json_schema',
  },
};

/** Which of the provider's key variables is set, never its value. */
export function keyVariableSet(profile: ProviderProfile, env: NodeJS.ProcessEnv): string | undefined {
  return profile.keyVariables.find((name) => (env[name] ?? '').trim() !== '');
}
