import type { ProviderId } from '../config.ts';
import type { Usage } from '../store/provenance.ts';

/** USD per 1M tokens. `cachedInput` is what a prompt token served from the provider's cache costs (the input price when absent). */
export interface Price {
  input: number;
  cachedInput?: number | undefined;
  output: number;
  /** Share taken off every price by the provider's Batch API (0.5 = half price). */
  batchDiscount?: number | undefined;
}

export interface ResolvedPrice extends Required<Omit<Price, 'batchDiscount'>> {
  batchDiscount: number | undefined;
  /** Where the price came from, for the estimate's wording. */
  source: string;
}

/**
 * List prices for text tokens, USD per 1M tokens, as each provider's public pricing page gave
 * them in 2025 (OpenAI: API pricing; DeepSeek: "Models & Pricing", standard hours; xAI: "Models
 * and Pricing"; Google: Gemini API pricing, paid tier, prompts up to 200k tokens). Prices
 * change: set the `prices` option to what your account pays; it wins over this table.
 */
export const PRICE_TABLE_AS_OF = '2025 list prices';
export const PRICE_TABLE: Readonly<Record<string, Price>> = {
  'openai/gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'openai/gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'openai/gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'openai/gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'openai/gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'openai/gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'openai/gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'openai/gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'openai/o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'deepseek/deepseek-chat': { input: 0.27, cachedInput: 0.07, output: 1.1 },
  'deepseek/deepseek-reasoner': { input: 0.55, cachedInput: 0.14, output: 2.19 },
  'xai/grok-3-mini': { input: 0.3, cachedInput: 0.075, output: 0.5 },
  'xai/grok-3': { input: 3, cachedInput: 0.75, output: 15 },
  'xai/grok-4': { input: 3, cachedInput: 0.75, output: 15 },
  'gemini/gemini-2.5-flash': { input: 0.3, cachedInput: 0.075, output: 2.5 },
  'gemini/gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gemini/gemini-2.5-pro': { input: 1.25, cachedInput: 0.31, output: 10 },
};

/** The Batch API's discount by provider: half price on input and output where it is offered. */
export const BATCH_DISCOUNT: Readonly<Partial<Record<ProviderId, number>>> = { openai: 0.5, gemini: 0.5, xai: 0.5 };

/** Providers that run on your own machine: nothing to pay per token. */
const LOCAL: ReadonlySet<string> = new Set(['ollama', 'offline']);

/**
 * The price for a provider and model: the `prices` option (by `provider/model`, then by model),
 * then the built-in table (also without a date suffix such as `-2024-07-18`). Undefined when
 * nothing is known: the estimate then says so instead of guessing.
 */
export function priceFor(provider: string, model: string, overrides: Readonly<Record<string, Price>> = {}): ResolvedPrice | undefined {
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  const discount = BATCH_DISCOUNT[provider as ProviderId];
  const resolve = (price: Price, source: string): ResolvedPrice => ({
    input: price.input,
    cachedInput: price.cachedInput ?? price.input,
    output: price.output,
    batchDiscount: price.batchDiscount ?? discount,
    source,
  });
  for (const key of [`${provider}/${model}`, model]) {
    const own = overrides[key];
    if (own) return resolve(own, `the \`prices\` option ("${key}")`);
  }
  for (const key of [`${provider}/${model}`, `${provider}/${undated}`]) {
    const listed = PRICE_TABLE[key];
    if (listed) return resolve(listed, `list price for ${key} (${PRICE_TABLE_AS_OF})`);
  }
  if (LOCAL.has(provider)) return resolve({ input: 0, output: 0 }, `${provider} runs locally: no charge per token`);
  return undefined;
}

export interface Cost {
  usd: number;
  /** The parts: uncached input, cached input, output (after the batch discount). */
  input: number;
  cachedInput: number;
  output: number;
  batchDiscount: number;
}

/** What a usage costs at a price, live or through the Batch API. */
export function costOf(price: ResolvedPrice, usage: Usage, mode: 'live' | 'batch'): Cost {
  const discount = mode === 'batch' ? (price.batchDiscount ?? 0) : 0;
  const factor = (1 - discount) / 1_000_000;
  const cached = Math.min(usage.cachedTokens, usage.promptTokens);
  const input = (usage.promptTokens - cached) * price.input * factor;
  const cachedInput = cached * price.cachedInput * factor;
  const output = usage.completionTokens * price.output * factor;
  return { usd: input + cachedInput + output, input, cachedInput, output, batchDiscount: discount };
}

/** The cost function of a run, for the cost cap; undefined when the price is unknown. */
export function usageCost(provider: string, model: string, overrides?: Readonly<Record<string, Price>>, mode: 'live' | 'batch' = 'live'): ((usage: Usage) => number) | undefined {
  const price = priceFor(provider, model, overrides);
  return price ? (usage) => costOf(price, usage, mode).usd : undefined;
}
