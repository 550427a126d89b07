// One chat completion, independent of transport: parses the request, writes the content
// (hook, schema answer or plain sentence) and counts tokens. Shared by the HTTP endpoint
// and the Batch API.
import { randomBytes } from 'node:crypto';
import { proseSubject, sentence } from './prose.ts';
import { hashHex, randomFrom } from './random.ts';
import { answerForSchema, findFencedSchema, type JsonSchema } from './schema-answer.ts';
import type { RespondHook } from './types.ts';

export interface ChatRequest {
  body: Record<string, unknown>;
  model: string;
  systemText: string;
  /** Every message's text, joined: what prompt tokens are counted from. */
  promptText: string;
  component: string | undefined;
  material: string | undefined;
  schema: JsonSchema | undefined;
  mode: 'json_schema' | 'json_object' | 'text';
  maxTokens: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  /** The body without transport-only fields: identifies "the same request". */
  key: string;
}

export interface RequestProblem {
  message: string;
  param: string | null;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
  prompt_cache_hit_tokens: number;
  prompt_cache_miss_tokens: number;
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join('\n');
  }
  return '';
}

function line(text: string, label: string): string | undefined {
  const match = new RegExp(`^[ \\t]*${label}:[ \\t]*(.+?)[ \\t]*$`, 'mi').exec(text);
  return match?.[1];
}

export function parseChatRequest(raw: unknown): ChatRequest | RequestProblem {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { message: 'The request body must be a JSON object.', param: null };
  const body = raw as Record<string, unknown>;
  if (typeof body.model !== 'string' || body.model === '') return { message: 'you must provide a model parameter', param: 'model' };
  if (!Array.isArray(body.messages) || body.messages.length === 0) return { message: "'messages' must be a non-empty array.", param: 'messages' };
  const messages = body.messages as unknown[];
  for (const [index, m] of messages.entries()) {
    if (typeof m !== 'object' || m === null || typeof (m as { role?: unknown }).role !== 'string') {
      return { message: `Invalid value for 'messages[${index}]': each message needs a role.`, param: `messages[${index}]` };
    }
  }
  const typed = messages as Array<{ role: string; content?: unknown }>;
  const systemText = typed
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => messageText(m.content))
    .join('\n');
  const userText = typed
    .filter((m) => m.role === 'user')
    .map((m) => messageText(m.content))
    .join('\n');
  const promptText = typed.map((m) => messageText(m.content)).join('\n');
  const format = body.response_format as { type?: unknown; json_schema?: { schema?: unknown } } | undefined;
  let mode: ChatRequest['mode'] = 'text';
  let schema: JsonSchema | undefined;
  if (format?.type === 'json_schema') {
    mode = 'json_schema';
    const s = format.json_schema?.schema;
    schema = typeof s === 'object' && s !== null ? (s as JsonSchema) : typeof s === 'boolean' ? s : undefined;
  } else if (format?.type === 'json_object') {
    mode = 'json_object';
    schema = findFencedSchema(systemText) ?? findFencedSchema(promptText);
  }
  const maxTokens = [body.max_completion_tokens, body.max_tokens].find((v): v is number => typeof v === 'number' && v > 0);
  const { stream, stream_options, ...rest } = body;
  return {
    body,
    model: body.model,
    systemText,
    promptText,
    component: line(userText, 'Component') ?? line(promptText, 'Component'),
    material: line(userText, 'Material') ?? line(promptText, 'Material'),
    schema,
    mode,
    maxTokens,
    stream: stream === true,
    includeUsage: (stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
    key: JSON.stringify(rest),
  };
}

export function isProblem(value: ChatRequest | RequestProblem): value is RequestProblem {
  return 'message' in value && !('key' in value);
}

export interface Content {
  content: string;
  /** The JSON value, when the content is JSON. */
  json: unknown;
}

/** The answer's content: from the hook if it returns one, else generated from the schema or as a sentence. */
export async function answerContent(request: ChatRequest, seed: number | string, attempt: number, respond: RespondHook | undefined): Promise<Content> {
  if (respond) {
    const dictated = await respond({
      component: request.component,
      material: request.material,
      attempt,
      body: request.body,
      schema: request.schema as Record<string, unknown> | boolean | undefined,
    });
    if (typeof dictated === 'string') return { content: dictated, json: undefined };
    if (dictated !== undefined) return { content: JSON.stringify(dictated), json: dictated };
  }
  const random = randomFrom('content', seed, request.key);
  const subject = proseSubject(request.material);
  if (request.schema !== undefined) {
    const json = answerForSchema(request.schema, random, subject);
    return { content: JSON.stringify(json), json };
  }
  if (request.mode !== 'text') {
    const json = { answer: sentence(random, subject) };
    return { content: JSON.stringify(json), json };
  }
  return { content: sentence(random, subject), json: undefined };
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Simulated prompt caching: a system prompt seen before is cached in 128-token blocks once it reaches 1024 tokens. */
export class PromptCache {
  readonly seen = new Set<string>();

  usage(request: ChatRequest, completion: string): Usage {
    const promptTokens = estimateTokens(request.promptText);
    const systemTokens = estimateTokens(request.systemText);
    const key = hashHex(request.systemText);
    const cached = request.systemText !== '' && this.seen.has(key) && systemTokens >= 1024 ? Math.min(promptTokens, Math.floor(systemTokens / 128) * 128) : 0;
    if (request.systemText !== '') this.seen.add(key);
    const completionTokens = estimateTokens(completion);
    return {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: 0 },
      prompt_cache_hit_tokens: cached,
      prompt_cache_miss_tokens: promptTokens - cached,
    };
  }
}

export function completionId(): string {
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

export function completionBody(request: ChatRequest, content: string, usage: Usage, finishReason: 'stop' | 'length', id = completionId()) {
  return {
    id,
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content, refusal: null },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage,
    system_fingerprint: 'fp_fake_provider',
  };
}
