import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { modelToEncodingMap } from 'gpt-tokenizer/mapping';
import { chatEnabledModels } from 'gpt-tokenizer/modelsChatEnabled.gen';

export interface Tokenizer {
  encoding: 'o200k_base' | 'cl100k_base';
  /** Whether this is the model's own tokenizer; otherwise the counts are an estimate. */
  exact: boolean;
  /** How the counts were made, in words. */
  note: string;
  count(text: string): number;
}

/**
 * Tokens a chat request adds around its messages (role markers and the reply's start), as
 * OpenAI's chat format counts them: about 3 per message and 3 per request.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_REQUEST = 3;

/**
 * The tokenizer for a model: an OpenAI model gpt-tokenizer knows is counted with its own
 * encoding (o200k_base unless listed otherwise); an unknown OpenAI model with o200k_base, the
 * encoding of current models; any other provider's model with o200k_base as an estimate, since
 * its own tokenizer is not available here.
 */
export function tokenizerFor(provider: string, model: string): Tokenizer {
  const name = (chatEnabledModels as readonly string[]).includes(model) ? model : model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  const known = (chatEnabledModels as readonly string[]).includes(name);
  const encoding = (modelToEncodingMap as Record<string, string>)[name] === 'cl100k_base' ? 'cl100k_base' : 'o200k_base';
  const count = encoding === 'cl100k_base' ? (text: string) => countCl100k(text) : (text: string) => countO200k(text);
  if (provider === 'openai' && known) return { encoding, exact: true, note: `${encoding}, ${model}'s own tokenizer`, count };
  if (provider === 'openai') return { encoding, exact: false, note: `${encoding}, the encoding of current OpenAI models (gpt-tokenizer does not list ${model}): an estimate`, count };
  return { encoding, exact: false, note: `${encoding}, an OpenAI tokenizer: an estimate, since ${provider} (${model}) counts with its own`, count };
}

/** Prompt tokens of one chat request with a system and a user message. */
export function chatPromptTokens(tokenizer: Tokenizer, system: string, user: string): number {
  return tokenizer.count(system) + tokenizer.count(user) + 2 * TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST;
}
