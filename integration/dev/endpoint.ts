import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AstroIntegrationLogger } from 'astro';
import { DevRequestError, type DevLoop } from './loop.ts';
import type { RegenerateRequest } from './protocol.ts';

const MAX_BODY_BYTES = 16 * 1024;

/**
 * The dev server's answers to the toolbar panel, mounted at `DEV_ENDPOINT` as a dev-server
 * middleware (so it never exists in a build):
 * - `GET  material?path=/materials/<category>/<slug>/`: the material's ten components and their status
 * - `POST regenerate` `{ path, component? }`: regenerates one component, or the whole material
 * - `GET  diff?path=…&component=…`: the line diff of the component's last regeneration
 */
export function devEndpoint(loop: DevLoop, logger: AstroIntegrationLogger) {
  return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const route = `${request.method} ${url.pathname}`;
    if (!ROUTES.has(route)) return next();
    answer(loop, route, url, request).then(
      (body) => send(response, 200, body),
      (error: unknown) => {
        if (error instanceof DevRequestError) return send(response, error.status, { error: error.message });
        logger.error(`${route}: ${(error as Error).stack ?? String(error)}`);
        send(response, 500, { error: (error as Error).message ?? String(error) });
      },
    );
  };
}

const ROUTES = new Set(['GET /material', 'GET /diff', 'POST /regenerate']);

async function answer(loop: DevLoop, route: string, url: URL, request: IncomingMessage): Promise<unknown> {
  switch (route) {
    case 'GET /material':
      return loop.status(required(url, 'path'));
    case 'GET /diff': {
      const change = await loop.lastChange(required(url, 'path'), required(url, 'component'));
      if (!change) throw new DevRequestError(404, 'not regenerated since the dev server started: no earlier version to compare with');
      return change;
    }
    default: {
      const { path, component } = ((await readJson(request)) ?? {}) as Partial<RegenerateRequest>;
      if (typeof path !== 'string' || (component !== undefined && typeof component !== 'string')) {
        throw new DevRequestError(400, 'expected { "path": string, "component"?: string }');
      }
      return loop.regenerate(path, component);
    }
  }
}

function required(url: URL, name: string): string {
  const value = url.searchParams.get(name);
  if (!value) throw new DevRequestError(400, `the "${name}" parameter is required`);
  return value;
}

/** JSON bodies only: a page on another site cannot send one without the browser asking this server first. */
async function readJson(request: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) throw new DevRequestError(415, 'send application/json');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new DevRequestError(413, 'request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new DevRequestError(400, 'the body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}
