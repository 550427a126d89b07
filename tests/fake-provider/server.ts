// A local OpenAI-compatible provider for tests, benchmarks and trying the tool without a key:
// chat completions with schema-satisfying answers, injectable faults, rate limits, prompt-cache
// accounting and the Files/Batch API. Listens on 127.0.0.1 only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { BatchApi } from './batches.ts';
import { handleChat } from './chat.ts';
import { readBody, requestId, sendError, sendJson } from './http.ts';
import { rateLimitHeaders } from './rate-limit.ts';
import { authorize, createState, DEFAULT_MODELS, echoTarget, forget, type ProviderState } from './state.ts';
import { resetStats } from './stats.ts';
import type { FakeProvider, FakeProviderOptions } from './types.ts';

export type { FakeProvider, FakeProviderOptions, FakeProviderStats, RespondContext, RespondHook } from './types.ts';

export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const state = createState(options);
  const batches = new BatchApi(state);
  const sockets = new Set<Socket>();
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    route(state, batches, req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendError(res, 500, { message: `Fake provider error: ${(error as Error)?.message ?? String(error)}`, type: 'server_error', code: null });
      } else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    stats: state.stats,
    get options() {
      return state.options;
    },
    reset(resetOptions) {
      resetStats(state.stats);
      if (resetOptions?.memory) forget(state);
    },
    setOptions(partial) {
      state.options = { ...state.options, ...partial };
    },
    close() {
      closing ??= (async () => {
        batches.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // Wait for every response to report 'close', so in-flight counters are settled on return.
        const responsesClosed = Promise.all([...open].map((res) => (res.closed ? undefined : new Promise((resolve) => res.once('close', resolve)))));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        await Promise.all([stopped, responsesClosed]);
      })();
      return closing;
    },
  };
}

async function route(state: ProviderState, batches: BatchApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('x-request-id', requestId());
  const limits = { requests: state.options.requestsPerMinute, tokens: state.options.tokensPerMinute };
  for (const [name, value] of Object.entries(rateLimitHeaders(Date.now(), limits, state.windows))) res.setHeader(name, value);
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : Buffer.alloc(0);

  if (path === '/v1/chat/completions' && method === 'POST') return handleChat(state, req, res, body.toString('utf8'));
  if (!authorize(state, req, res, false)) return;
  if (path === '/v1/models' && method === 'GET') {
    const ids = state.options.knownModels ?? DEFAULT_MODELS;
    return sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake-provider' })) });
  }
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (model && method === 'GET') {
    const id = decodeURIComponent(model[1]!);
    const known = state.options.knownModels ?? DEFAULT_MODELS;
    if (!known.includes(id) && (state.options.knownModels !== undefined || state.options.unknownModels?.includes(id))) {
      return sendError(res, 404, { message: `The model '${id}' does not exist`, type: 'invalid_request_error', code: 'model_not_found', param: 'model' }, { echo: echoTarget(state, req) });
    }
    return sendJson(res, 200, { id, object: 'model', created: 0, owned_by: 'fake-provider' });
  }
  if (await batches.handle(req, res, path, body)) return;
  sendError(res, 404, { message: `Unknown request URL: ${method} ${path}.`, type: 'invalid_request_error', code: 'unknown_url' }, { echo: echoTarget(state, req) });
}
