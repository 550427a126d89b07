// POST /v1/chat/completions: auth, limits, faults, latency, then the answer (JSON or SSE).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerContent, completionBody, completionId, estimateTokens, isProblem, parseChatRequest, type ChatRequest, type Content, type Usage } from './completion.ts';
import { latencyFor, malformedBody, overlongContent, rollFault, truncateContent, violateSchema, type Fault } from './faults.ts';
import { sendError, sendJson, waitUnlessClosed, type ErrorSpec } from './http.ts';
import { rateLimitHeaders } from './rate-limit.ts';
import { answeredBefore, authorize, echoTarget, nextAttempt, unknownModel, type ProviderState } from './state.ts';
import { countAnswer, countFault } from './stats.ts';

export async function handleChat(state: ProviderState, req: IncomingMessage, res: ServerResponse, bodyText: string): Promise<void> {
  const { stats } = state;
  stats.requests++;
  stats.inFlight++;
  stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
  let open = true;
  res.once('close', () => {
    if (open) stats.inFlight--;
    open = false;
  });
  if (!authorize(state, req, res, true)) return;
  const options = state.options;
  const echo = echoTarget(state, req);
  const fail = (status: number, fault: string, spec: ErrorSpec, headers?: Record<string, string>) => {
    countFault(stats, fault);
    sendError(res, status, spec, { echo, headers });
  };

  let raw: unknown;
  try {
    raw = JSON.parse(bodyText);
  } catch {
    return fail(400, 'badRequest', { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error', code: null });
  }
  const request = parseChatRequest(raw);
  if (isProblem(request)) return fail(400, 'badRequest', { message: request.message, type: 'invalid_request_error', code: null, param: request.param });
  if (unknownModel(state, request.model)) {
    return fail(404, 'modelNotFound', {
      message: `The model \`${request.model}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      code: 'model_not_found',
    });
  }

  // Rate limits, over a sliding minute. The token check counts max_tokens, as providers do at admission.
  const now = Date.now();
  const rpm = options.requestsPerMinute;
  const tpm = options.tokensPerMinute;
  const promptTokens = estimateTokens(request.promptText);
  const limits = { requests: rpm, tokens: tpm };
  const limitWait = (window: 'requests' | 'tokens', limit: number | undefined, cost: number) =>
    limit !== undefined && limit > 0 ? state.windows[window].waitFor(now, limit, cost) : 0;
  const requestWait = limitWait('requests', rpm, 1);
  const tokenWait = requestWait > 0 ? 0 : limitWait('tokens', tpm, promptTokens + (request.maxTokens ?? 0));
  if (requestWait > 0 || tokenWait > 0) {
    const wait = Math.max(requestWait, tokenWait);
    const kind = requestWait > 0 ? 'requests' : 'tokens';
    return fail(
      429,
      requestWait > 0 ? 'rateLimitRequests' : 'rateLimitTokens',
      {
        message: `Rate limit reached for ${request.model} on ${kind} per min (RPM/TPM): Limit ${kind === 'requests' ? rpm : tpm}. Please try again in ${Math.ceil(wait)}ms.`,
        type: kind,
        code: 'rate_limit_exceeded',
      },
      { ...retryHeaders(wait), ...rateLimitHeaders(now, limits, state.windows) },
    );
  }
  state.windows.requests.add(now, 1);
  const tokenEntry = state.windows.tokens.add(now, promptTokens);
  for (const [name, value] of Object.entries(rateLimitHeaders(now, limits, state.windows))) res.setHeader(name, value);

  const attempt = nextAttempt(state, request.key);
  const { fault, random } = rollFault(options, request.key, attempt);
  if (fault !== '429' && !(await waitUnlessClosed(latencyFor(options, random), res))) return;

  switch (fault) {
    case '429': {
      const ms = options.retryAfterMs ?? 1000;
      return fail(429, '429', { message: 'Rate limit reached. Please slow down.', type: 'requests', code: 'rate_limit_exceeded' }, retryHeaders(ms));
    }
    case '5xx': {
      const status = random.pick([500, 502, 503]);
      const message =
        status === 500
          ? 'The server had an error while processing your request. Sorry about that!'
          : status === 502
            ? 'Bad gateway.'
            : 'The engine is currently overloaded, please try again later.';
      return fail(status, String(status), { message, type: 'server_error', code: null });
    }
    case '408':
      return fail(408, '408', { message: 'Request timed out.', type: 'timeout', code: 'request_timeout' });
    case 'hang': {
      countFault(stats, 'hang');
      if (await waitUnlessClosed(options.hangMs ?? 60_000, res)) res.socket?.destroy();
      return;
    }
    case 'arrayErrorBody': {
      countFault(stats, 'arrayErrorBody');
      const status = random.pick([429, 500, 503]);
      const statusName = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 500 ? 'INTERNAL' : 'UNAVAILABLE';
      const body = [{ error: { code: status, message: 'The service could not handle the request.', status: statusName } }];
      return sendJson(res, status, body, status === 429 ? retryHeaders(options.retryAfterMs ?? 1000) : {});
    }
    default:
  }

  let content: Content;
  try {
    content = await answerContent(request, options.seed ?? 0, attempt, options.respond);
  } catch (error) {
    return fail(500, 'hookError', { message: `The respond hook failed: ${(error as Error)?.message ?? String(error)}`, type: 'server_error', code: null });
  }
  if (!open) return;

  let text = content.content;
  let finishReason: 'stop' | 'length' = 'stop';
  if (fault === 'schemaViolation') text = violateSchema(content.json ?? tryParse(text), request.schema, random);
  else if (fault === 'truncation') {
    text = truncateContent(text);
    finishReason = 'length';
  } else if (fault === 'overlong') text = overlongContent(text, content.json, request.maxTokens, request.material, random);

  const usage = state.promptCache.usage(request, text);
  if (fault === 'truncation' && request.maxTokens !== undefined) {
    usage.completion_tokens = request.maxTokens;
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  }
  tokenEntry.cost += usage.completion_tokens;
  if (options.latencyPerToken && !(await waitUnlessClosed(usage.completion_tokens * options.latencyPerToken, res))) return;
  const id = completionId();
  const body = completionBody(request, text, usage, finishReason, id);

  if (fault === 'reset') {
    countFault(stats, 'reset');
    const full = request.stream ? sseText(request, text, usage, finishReason, id) : JSON.stringify(body);
    res.writeHead(200, {
      'content-type': request.stream ? 'text/event-stream' : 'application/json',
      ...(request.stream ? {} : { 'content-length': String(Buffer.byteLength(full)) }),
    });
    res.write(full.slice(0, Math.max(1, Math.floor(full.length / 2))), () => res.socket?.destroy());
    return;
  }
  if (fault === 'malformed') {
    countFault(stats, 'malformed');
    const bad = request.stream ? 'data: {"id": "chatcmpl-broken", "choices": [\n\n' : malformedBody(JSON.stringify(body), random);
    res.writeHead(200, { 'content-type': request.stream ? 'text/event-stream' : 'application/json', 'content-length': String(Buffer.byteLength(bad)) });
    res.end(bad);
    return;
  }
  if (fault) countFault(stats, fault);
  else {
    stats.succeeded++;
    if (answeredBefore(state, request.key)) stats.duplicateAnswers++;
    countAnswer(stats, usage, request.component, request.material);
  }
  if (request.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(sseText(request, text, usage, finishReason, id));
    return;
  }
  sendJson(res, 200, body);
}

function retryHeaders(ms: number): Record<string, string> {
  return { 'retry-after-ms': String(Math.ceil(ms)), 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The answer as server-sent events: a role chunk, content chunks, the finish chunk, optional usage, [DONE]. */
function sseText(request: ChatRequest, content: string, usage: Usage, finishReason: 'stop' | 'length', id: string): string {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, system_fingerprint: 'fp_fake_provider', choices, ...extra })}\n\n`;
  const parts = [chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }])];
  for (let i = 0; i < content.length; i += 64) {
    parts.push(chunk([{ index: 0, delta: { content: content.slice(i, i + 64) }, logprobs: null, finish_reason: null }]));
  }
  parts.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]));
  if (request.includeUsage) parts.push(chunk([], { usage }));
  parts.push('data: [DONE]\n\n');
  return parts.join('');
}
