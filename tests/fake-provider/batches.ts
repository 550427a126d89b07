// Files and Batch API in the OpenAI shape. A batch goes validating -> in_progress -> completed
// (or expired / cancelled) on timers; its lines are answered like chat completions.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerContent, completionBody, isProblem, parseChatRequest } from './completion.ts';
import { requestId, sendError, sendJson } from './http.ts';
import { hashHex, randomFrom } from './random.ts';
import { echoTarget, nextAttempt, unknownModel, type ProviderState } from './state.ts';
import { countAnswer } from './stats.ts';

const FILE_PURPOSES = ['assistants', 'assistants_output', 'batch', 'batch_output', 'fine-tune', 'fine-tune-results', 'vision', 'user_data', 'evals'];
const BATCH_ENDPOINT = '/v1/chat/completions';

interface StoredFile {
  meta: {
    id: string;
    object: 'file';
    bytes: number;
    created_at: number;
    filename: string;
    purpose: string;
    status: 'processed';
    expires_at: number | null;
    status_details: null;
  };
  content: Buffer;
}

interface InputLine {
  customId: string;
  body: unknown;
}

type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

interface BatchError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

interface BatchRecord {
  batch: {
    id: string;
    object: 'batch';
    endpoint: string;
    errors: { object: 'list'; data: BatchError[] } | null;
    input_file_id: string;
    completion_window: string;
    status: BatchStatus;
    output_file_id: string | null;
    error_file_id: string | null;
    created_at: number;
    in_progress_at: number | null;
    expires_at: number;
    finalizing_at: number | null;
    completed_at: number | null;
    failed_at: number | null;
    expired_at: number | null;
    cancelling_at: number | null;
    cancelled_at: number | null;
    request_counts: { total: number; completed: number; failed: number };
    metadata: Record<string, string> | null;
    model: string | null;
    usage: {
      input_tokens: number;
      input_tokens_details: { cached_tokens: number };
      output_tokens: number;
      output_tokens_details: { reasoning_tokens: number };
      total_tokens: number;
    };
  };
  lines: InputLine[];
  problems: BatchError[];
  inputHash: string;
  startedAt: number;
  timers: Set<ReturnType<typeof setTimeout>>;
}

const seconds = () => Math.floor(Date.now() / 1000);
const newId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export class BatchApi {
  readonly state: ProviderState;
  readonly files = new Map<string, StoredFile>();
  readonly batches = new Map<string, BatchRecord>();
  private closed = false;

  constructor(state: ProviderState) {
    this.state = state;
  }

  /** Handles /v1/files and /v1/batches routes; false when the path is not one of them. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean> {
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean); // ['v1', 'files', id?, 'content'?]
    const echo = echoTarget(this.state, req);
    const notFound = (what: string, id: string) =>
      sendError(res, 404, { message: `No such ${what}: '${id}'`, type: 'invalid_request_error', code: null, param: 'id' }, { echo });
    if (parts[1] === 'files') {
      const id = parts[2];
      if (method === 'POST' && !id) return (await this.upload(req, res, body), true);
      if (method === 'GET' && !id) return (sendJson(res, 200, list([...this.files.values()].map((f) => f.meta))), true);
      const file = id ? this.files.get(id) : undefined;
      if (!id || parts.length > 4 || (parts[3] !== undefined && parts[3] !== 'content')) return false;
      if (!file) return (notFound('file', id), true);
      if (method === 'GET' && parts[3] === 'content') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
        res.end(file.content);
        return true;
      }
      if (method === 'GET') return (sendJson(res, 200, file.meta), true);
      if (method === 'DELETE') {
        this.files.delete(id);
        return (sendJson(res, 200, { id, object: 'file', deleted: true }), true);
      }
      return false;
    }
    if (parts[1] === 'batches') {
      const id = parts[2];
      if (method === 'POST' && !id) return (this.create(req, res, body), true);
      if (method === 'GET' && !id) return (sendJson(res, 200, list([...this.batches.values()].map((b) => b.batch).reverse())), true);
      if (!id || parts.length > 4) return false;
      const record = this.batches.get(id);
      if (!record) return (notFound('batch', id), true);
      if (method === 'GET' && parts.length === 3) return (sendJson(res, 200, record.batch), true);
      if (method === 'POST' && parts[3] === 'cancel') return (this.cancel(req, res, record), true);
      return false;
    }
    return false;
  }

  close(): void {
    this.closed = true;
    for (const record of this.batches.values()) for (const timer of record.timers) clearTimeout(timer);
  }

  private async upload(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const echo = echoTarget(this.state, req);
    const bad = (message: string, param: string | null) => sendError(res, 400, { message, type: 'invalid_request_error', code: null, param }, { echo });
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('multipart/form-data')) return bad('Expected a multipart/form-data body with `file` and `purpose`.', null);
    let form: FormData;
    try {
      form = await new Request('http://fake-provider.local/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(body) }).formData();
    } catch {
      return bad('The multipart body could not be parsed.', null);
    }
    const file = form.get('file');
    const purpose = form.get('purpose');
    if (!(file instanceof Blob)) return bad("Missing required parameter: 'file'.", 'file');
    if (typeof purpose !== 'string' || !FILE_PURPOSES.includes(purpose)) return bad(`Invalid value for 'purpose': ${String(purpose)}.`, 'purpose');
    const content = Buffer.from(await file.arrayBuffer());
    const stored = this.store(content, (file as File).name || 'upload.jsonl', purpose);
    this.state.stats.filesUploaded++;
    sendJson(res, 200, stored.meta);
  }

  private store(content: Buffer, filename: string, purpose: string): StoredFile {
    const stored: StoredFile = {
      meta: { id: newId('file-'), object: 'file', bytes: content.length, created_at: seconds(), filename, purpose, status: 'processed', expires_at: null, status_details: null },
      content,
    };
    this.files.set(stored.meta.id, stored);
    return stored;
  }

  private create(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const echo = echoTarget(this.state, req);
    const bad = (status: number, message: string, param: string | null) => sendError(res, status, { message, type: 'invalid_request_error', code: null, param }, { echo });
    let params: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      params = JSON.parse(body.toString('utf8'));
    } catch {
      return bad(400, 'We could not parse the JSON body of your request.', null);
    }
    if (params.endpoint !== BATCH_ENDPOINT) return bad(400, `Invalid value for 'endpoint': this server batches only ${BATCH_ENDPOINT}.`, 'endpoint');
    if (params.completion_window !== '24h') return bad(400, "Invalid value for 'completion_window': only '24h' is supported.", 'completion_window');
    if (typeof params.input_file_id !== 'string') return bad(400, "Missing required parameter: 'input_file_id'.", 'input_file_id');
    const input = this.files.get(params.input_file_id);
    if (!input) return bad(404, `No such file: '${params.input_file_id}'`, 'input_file_id');
    if (input.meta.purpose !== 'batch') return bad(400, `File '${input.meta.id}' has purpose '${input.meta.purpose}'; a batch needs purpose 'batch'.`, 'input_file_id');

    const { lines, problems, model } = parseInput(input.content.toString('utf8'));
    const now = seconds();
    const record: BatchRecord = {
      batch: {
        id: newId('batch_'),
        object: 'batch',
        endpoint: BATCH_ENDPOINT,
        errors: null,
        input_file_id: input.meta.id,
        completion_window: '24h',
        status: 'validating',
        output_file_id: null,
        error_file_id: null,
        created_at: now,
        in_progress_at: null,
        expires_at: now + 24 * 3600,
        finalizing_at: null,
        completed_at: null,
        failed_at: null,
        expired_at: null,
        cancelling_at: null,
        cancelled_at: null,
        request_counts: { total: 0, completed: 0, failed: 0 },
        metadata: typeof params.metadata === 'object' && params.metadata !== null ? (params.metadata as Record<string, string>) : null,
        model,
        usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
      },
      lines,
      problems,
      inputHash: hashHex(input.content.toString('utf8')),
      startedAt: Date.now(),
      timers: new Set(),
    };
    this.batches.set(record.batch.id, record);
    this.state.stats.batchesCreated++;
    this.state.stats.batchLines += lines.length;
    const delay = Math.max(0, this.state.options.batchCompletionDelayMs ?? 200);
    this.schedule(record, delay / 4, () => {
      if (record.problems.length > 0) {
        Object.assign(record.batch, { status: 'failed', failed_at: seconds(), errors: { object: 'list', data: record.problems } });
        for (const timer of record.timers) clearTimeout(timer);
        return;
      }
      Object.assign(record.batch, { status: 'in_progress', in_progress_at: seconds() });
      record.batch.request_counts.total = record.lines.length;
    });
    this.schedule(record, delay, () => {
      if (record.batch.status === 'in_progress') void this.finish(record, this.state.options.batchExpire ? 'expired' : 'completed');
    });
    sendJson(res, 200, record.batch);
  }

  private cancel(req: IncomingMessage, res: ServerResponse, record: BatchRecord): void {
    const { status } = record.batch;
    if (status !== 'validating' && status !== 'in_progress') {
      return sendError(
        res,
        400,
        { message: `Cannot cancel a batch with status '${status}'.`, type: 'invalid_request_error', code: null, param: null },
        { echo: echoTarget(this.state, req) },
      );
    }
    for (const timer of record.timers) clearTimeout(timer);
    record.timers.clear();
    const delay = this.state.options.batchCompletionDelayMs ?? 200;
    const fraction = status === 'validating' ? 0 : Math.min(1, (Date.now() - record.startedAt) / Math.max(1, delay));
    Object.assign(record.batch, { status: 'cancelling', cancelling_at: seconds() });
    record.batch.request_counts.total = record.lines.length;
    this.schedule(record, Math.min(50, delay / 4), () => void this.finish(record, 'cancelled', fraction));
    sendJson(res, 200, record.batch);
  }

  private schedule(record: BatchRecord, ms: number, run: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      record.timers.delete(timer);
      if (!this.closed) run();
    }, ms);
    timer.unref();
    record.timers.add(timer);
  }

  /** Answers the lines (all, about half when expired, the share done so far when cancelled) and writes the files. */
  private async finish(record: BatchRecord, end: 'completed' | 'expired' | 'cancelled', fraction = 1): Promise<void> {
    const { batch } = record;
    if (end !== 'cancelled') Object.assign(batch, { status: 'finalizing', finalizing_at: seconds() });
    const seed = this.state.options.seed ?? 0;
    const order = randomFrom('batch-order', seed, record.inputHash).shuffle(record.lines);
    const done = end === 'completed' ? order.length : end === 'expired' ? Math.floor(order.length / 2) : Math.floor(order.length * fraction);
    const output: string[] = [];
    const errors: string[] = [];
    for (const [index, line] of order.entries()) {
      if (this.closed) return;
      if (index >= done) {
        const code = end === 'expired' ? 'batch_expired' : 'batch_cancelled';
        const message = end === 'expired' ? 'This request could not be executed before the completion window expired.' : 'This request was not executed because the batch was cancelled.';
        errors.push(JSON.stringify({ id: newId('batch_req_'), custom_id: line.customId, response: null, error: { code, message } }));
        continue;
      }
      const result = await this.answerLine(line, batch);
      (result.ok ? output : errors).push(JSON.stringify(result.line));
    }
    if (this.closed) return;
    batch.request_counts = { total: order.length, completed: output.length, failed: errors.length };
    this.state.stats.batchLinesSucceeded += output.length;
    this.state.stats.batchLinesFailed += errors.length;
    if (output.length > 0) batch.output_file_id = this.store(Buffer.from(output.map((l) => `${l}\n`).join('')), `${batch.id}_output.jsonl`, 'batch_output').meta.id;
    if (errors.length > 0) batch.error_file_id = this.store(Buffer.from(errors.map((l) => `${l}\n`).join('')), `${batch.id}_error.jsonl`, 'batch_output').meta.id;
    const at = seconds();
    if (end === 'completed') Object.assign(batch, { status: 'completed', completed_at: at });
    else if (end === 'expired') Object.assign(batch, { status: 'expired', expired_at: at });
    else Object.assign(batch, { status: 'cancelled', cancelled_at: at });
  }

  private async answerLine(line: InputLine, batch: BatchRecord['batch']): Promise<{ ok: boolean; line: unknown }> {
    const state = this.state;
    const id = newId('batch_req_');
    const failure = (status: number | null, code: string, message: string) => ({
      ok: false,
      line: {
        id,
        custom_id: line.customId,
        response: status === null ? null : { status_code: status, request_id: requestId(), body: { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code } } },
        error: { code, message },
      },
    });
    const request = parseChatRequest(line.body);
    if (isProblem(request)) return failure(400, 'invalid_request', request.message);
    if (unknownModel(state, request.model)) return failure(404, 'model_not_found', `The model \`${request.model}\` does not exist or you do not have access to it.`);
    const seed = state.options.seed ?? 0;
    const random = randomFrom('batch-line', seed, line.customId, request.key);
    if (random.chance(state.options.batchLineErrorRate ?? 0)) {
      const kind = random.int(0, 2);
      if (kind === 0) return failure(null, 'server_error', 'The server had an error while processing this request.');
      if (kind === 1) return failure(500, 'server_error', 'The server had an error while processing your request. Sorry about that!');
      return failure(429, 'rate_limit_exceeded', 'Enqueued token limit reached for this request.');
    }
    const attempt = nextAttempt(state, request.key);
    let content;
    try {
      content = await answerContent(request, seed, attempt, state.options.respond);
    } catch (error) {
      return failure(500, 'hook_error', `The respond hook failed: ${(error as Error)?.message ?? String(error)}`);
    }
    const usage = state.promptCache.usage(request, content.content);
    countAnswer(state.stats, usage, request.component, request.material);
    batch.usage.input_tokens += usage.prompt_tokens;
    batch.usage.input_tokens_details.cached_tokens += usage.prompt_tokens_details.cached_tokens;
    batch.usage.output_tokens += usage.completion_tokens;
    batch.usage.total_tokens += usage.total_tokens;
    return {
      ok: true,
      line: { id, custom_id: line.customId, response: { status_code: 200, request_id: requestId(), body: completionBody(request, content.content, usage, 'stop') }, error: null },
    };
  }
}

function list<T extends { id: string }>(data: T[]) {
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false };
}

/** Reads the JSONL input: one `{ custom_id, method, url, body }` per line. Problems fail the batch at validation. */
function parseInput(text: string): { lines: InputLine[]; problems: BatchError[]; model: string | null } {
  const lines: InputLine[] = [];
  const problems: BatchError[] = [];
  const ids = new Set<string>();
  let model: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const lineNo = index + 1;
    const problem = (code: string, message: string, param: string | null = null) => problems.push({ code, message, param, line: lineNo });
    let parsed: { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
    try {
      parsed = JSON.parse(raw);
    } catch {
      return problem('invalid_json_line', 'This line is not parseable as valid JSON.');
    }
    if (typeof parsed.custom_id !== 'string' || parsed.custom_id === '') return problem('missing_required_parameter', 'Each line needs a custom_id.', 'custom_id');
    if (ids.has(parsed.custom_id)) return problem('duplicate_custom_id', `The custom_id '${parsed.custom_id}' is used more than once.`, 'custom_id');
    if (parsed.method !== 'POST') return problem('invalid_method', "Each line's method must be POST.", 'method');
    if (parsed.url !== BATCH_ENDPOINT) return problem('invalid_url', `Each line's url must be ${BATCH_ENDPOINT}.`, 'url');
    if (typeof parsed.body !== 'object' || parsed.body === null) return problem('invalid_body', 'Each line needs a JSON object body.', 'body');
    ids.add(parsed.custom_id);
    const lineModel = (parsed.body as { model?: unknown }).model;
    if (model === null && typeof lineModel === 'string') model = lineModel;
    lines.push({ customId: parsed.custom_id, body: parsed.body });
  });
  if (lines.length === 0 && problems.length === 0) problems.push({ code: 'empty_file', message: 'The input file has no requests.', param: null, line: null });
  return { lines, problems, model };
}
