import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectBatch } from '../../integration/batch-api/collect.ts';
import { customIdOf, outcomeOf, parseResultLines, requestLine, toJsonl } from '../../integration/batch-api/jsonl.ts';
import { chunkLines } from '../../integration/batch-api/run.ts';
import { BatchState } from '../../integration/batch-api/state.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const completion = (content: string) => ({ id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });

describe('Batch API lines', () => {
  it('name each request by material, component and a short inputs hash', () => {
    const prepared = { item: { material: { slug: 'aluminum' }, component: { name: 'frontmatter' } }, inputsHash: 'abcdef0123456789abcdef' } as never;
    expect(customIdOf(prepared)).toBe('aluminum/frontmatter/abcdef012345');
    const jsonl = toJsonl([requestLine('a/b/c', { model: 'm' })]);
    expect(JSON.parse(jsonl)).toEqual({ custom_id: 'a/b/c', method: 'POST', url: '/v1/chat/completions', body: { model: 'm' } });
    expect(jsonl.endsWith('\n')).toBe(true);
  });

  it('read output and error lines into an outcome per custom_id, with the provider\'s reason', () => {
    const text = [
      JSON.stringify({ custom_id: 'x', response: { status_code: 200, body: completion('{}') }, error: null }),
      'not json',
      JSON.stringify({ custom_id: 'y', response: { status_code: 500, body: { error: { message: 'boom' } } }, error: null }),
      JSON.stringify({ custom_id: 'z', response: null, error: { code: 'batch_expired', message: 'too late' } }),
      '',
    ].join('\n');
    const lines = parseResultLines(text);
    expect(lines.map((l) => l.custom_id)).toEqual(['x', 'y', 'z']);
    expect(outcomeOf(lines[0]!)).toMatchObject({ ok: true });
    expect(outcomeOf(lines[1]!)).toEqual({ ok: false, reason: 'the batch request failed (HTTP 500): boom' });
    expect(outcomeOf(lines[2]!)).toEqual({ ok: false, reason: 'the batch request failed (batch_expired): too late' });
  });

  it('split a stage into input files only beyond the per-batch limits', () => {
    const lines = Array.from({ length: 7 }, (_, i) => ({ line: requestLine(`id-${i}`, { n: i }) }));
    expect(chunkLines(lines).map((c) => c.length)).toEqual([7]);
    expect(chunkLines(lines, 3).map((c) => c.length)).toEqual([3, 3, 1]);
    const size = Buffer.byteLength(JSON.stringify(lines[0]!.line)) + 1;
    expect(chunkLines(lines, 100, size * 2).map((c) => c.length)).toEqual([2, 2, 2, 1]);
  });
});

describe('collecting a finished batch', () => {
  it('joins output and error files by custom_id whatever their order, and gives unanswered requests the batch\'s reason', async () => {
    const files: Record<string, string> = {
      out: [JSON.stringify({ custom_id: 'b', response: { status_code: 200, body: completion('{"b":1}') }, error: null }), JSON.stringify({ custom_id: 'a', response: { status_code: 200, body: completion('{"a":1}') }, error: null })].join('\n'),
      err: JSON.stringify({ custom_id: 'c', response: { status_code: 429, body: { error: { message: 'slow down' } } }, error: { code: 'rate_limit_exceeded', message: 'slow down' } }),
    };
    const client = { files: { content: async (id: string) => new Response(files[id]) } } as never;
    const outcomes = await collectBatch(client, { id: 'batch_1', status: 'expired', output_file_id: 'out', error_file_id: 'err' } as never, ['a', 'b', 'c', 'd']);
    expect(outcomes.get('a')).toMatchObject({ ok: true, completion: { choices: [{ message: { content: '{"a":1}' } }] } });
    expect(outcomes.get('b')).toMatchObject({ ok: true, completion: { choices: [{ message: { content: '{"b":1}' } }] } });
    expect(outcomes.get('c')).toEqual({ ok: false, reason: 'the batch request failed (rate_limit_exceeded, HTTP 429): slow down' });
    expect(outcomes.get('d')).toEqual({ ok: false, reason: 'the batch expired (24h window) before this request ran' });
  });
});

describe('the saved batch state', () => {
  it('is written atomically after each change, forgets entries older than a month, and disappears when empty', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'batchgen-state-'));
    dirs.push(dir);
    const state = await new BatchState(dir).load();
    const entry = { provider: 'openai', model: 'm', stage: 1, inputFileId: 'file-1', customIds: ['a'], savedAt: new Date().toISOString() };
    const old = { ...entry, inputFileId: 'file-0', savedAt: new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString() };
    await state.add(old);
    await state.add(entry);
    expect(await readdir(dir)).toEqual(['batch-state.json']);
    expect(JSON.parse(await readFile(state.file, 'utf8')).batches).toHaveLength(2);
    const again = await new BatchState(dir).load();
    expect(again.batches.map((b) => b.inputFileId)).toEqual(['file-1']);
    await again.remove(again.batches);
    expect(await readdir(dir)).toEqual([]);
  });
});
