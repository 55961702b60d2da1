/**
 * Reads the body of `POST …/changes`: a JSON array, or NDJSON (one change per line), streamed in
 * with a byte limit and a change limit, and hashed as it comes (the Idempotency-Key fingerprint).
 * Syntax errors name where they are (`body[41]`, line 42); the changes themselves are validated
 * by core's queue, whole, before anything is queued.
 */
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiProblem } from '../problem.js';

/** The body's changes (not validated yet), and its bytes' SHA-256 for the idempotency fingerprint. */
export interface ChangesBody {
  changes: unknown[];
  raw: string;
}

const NDJSON = /^application\/(x-ndjson|jsonl|x-jsonlines|ndjson)\b/i;
const JSON_TYPE = /^application\/(json|[a-z.+-]+\+json)\b/i;

/** Reads and parses the body (module comment). */
export async function readChanges(request: FastifyRequest, limits: { maxChanges: number; maxBytes: number }): Promise<ChangesBody> {
  const type = String(request.headers['content-type'] ?? '');
  const ndjson = NDJSON.test(type);
  if (!ndjson && !JSON_TYPE.test(type)) throw new ApiProblem(415, 'Send changes as application/json (an array) or application/x-ndjson (one change per line).');
  const stream = request.body as AsyncIterable<Buffer> | undefined;
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (stream && typeof (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of stream) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) throw new ApiProblem(413, `The body is larger than ${limits.maxBytes} bytes: send fewer changes per request.`);
      hash.update(chunk);
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const raw = hash.digest('hex');
  const changes = ndjson ? parseLines(text, limits.maxChanges) : parseArray(text, limits.maxChanges);
  return { changes, raw };
}

function tooMany(max: number): ApiProblem {
  return new ApiProblem(413, `More than ${max.toLocaleString('en')} changes in one request: split them.`, { errors: [{ field: 'body', message: `expected at most ${max.toLocaleString('en')} changes` }] });
}

function parseArray(text: string, max: number): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiProblem(400, `The body is not JSON: ${(err as Error).message}`, { errors: [{ field: 'body', message: 'expected a JSON array of changes' }] });
  }
  if (!Array.isArray(value)) throw new ApiProblem(400, 'Expected a JSON array of changes.', { errors: [{ field: 'body', message: 'expected a JSON array of changes' }] });
  if (value.length > max) throw tooMany(max);
  return value;
}

function parseLines(text: string, max: number): unknown[] {
  const changes: unknown[] = [];
  const problems: Array<{ field: string; message: string }> = [];
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const content = text.slice(start, end).trim();
    line++;
    if (content) {
      if (changes.length >= max) throw tooMany(max);
      try {
        changes.push(JSON.parse(content));
      } catch {
        changes.push(undefined);
        if (problems.length < 100) problems.push({ field: `body[${changes.length - 1}]`, message: `line ${line}: expected one change as JSON` });
      }
    }
    start = end + 1;
  }
  if (problems.length) throw new ApiProblem(400, `Invalid NDJSON: ${problems.slice(0, 5).map((p) => `${p.field} (${p.message})`).join('; ')}`, { errors: problems });
  return changes;
}
