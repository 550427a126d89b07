// Small HTTP helpers: request bodies, JSON replies and OpenAI-style error bodies.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export function requestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

export async function readBody(req: IncomingMessage, limit = 512 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export interface ErrorSpec {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

/** An OpenAI-style error body; with `echo`, the request line and every header (Authorization too) are repeated in it. */
export function errorBody(spec: ErrorSpec, echo?: IncomingMessage): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { message: spec.message, type: spec.type, param: spec.param ?? null, code: spec.code };
  if (echo) {
    const headers = { ...echo.headers };
    error.message = `${spec.message} Request: ${echo.method} ${echo.url} with headers ${JSON.stringify(headers)}`;
    error.request = { method: echo.method, url: echo.url, headers };
  }
  return { error };
}

export function sendError(res: ServerResponse, status: number, spec: ErrorSpec, options: { echo?: IncomingMessage; headers?: Record<string, string> } = {}): void {
  sendJson(res, status, errorBody(spec, options.echo), options.headers);
}

/** Resolves true after `ms`, or false as soon as the response closes (the client went away or the server is stopping). */
export function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(true);
    }, ms);
    res.once('close', onClose);
  });
}
