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
  // NDJSON is parsed line by line as it arrives (no copy of the whole body, no string of it); a JSON array needs it whole.
  const lines = ndjson ? new LineParser(limits.maxChanges) : undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (stream && typeof (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of stream) {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) throw new ApiProblem(413, `The body is larger than ${limits.maxBytes} bytes: send fewer changes per request.`);
      hash.update(chunk);
      if (lines) lines.push(chunk);
      else chunks.push(chunk);
    }
  }
  const raw = hash.digest('hex');
  const changes = lines ? lines.end() : parseArray(Buffer.concat(chunks).toString('utf8'), limits.maxChanges);
  return { changes, raw };
}

/** NDJSON, one change per line, parsed from the chunks as they come; a line split across chunks is joined first. */
class LineParser {
  readonly changes: unknown[] = [];
  readonly #problems: Array<{ field: string; message: string }> = [];
  readonly #max: number;
  /** The start of a line whose end has not come yet (kept as chunks: joined once, when its end comes). */
  #rest: Buffer[] = [];
  #line = 0;

  constructor(max: number) {
    this.#max = max;
  }

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl >= 0 && this.#rest.length > 0) {
      const line = Buffer.concat([...this.#rest, chunk.subarray(0, nl)]);
      this.#rest = [];
      this.#parse(line, 0, line.length);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl >= 0; nl = chunk.indexOf(10, start)) {
      this.#parse(chunk, start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) this.#rest.push(chunk.subarray(start));
  }

  end(): unknown[] {
    if (this.#rest.length > 0) {
      const last = Buffer.concat(this.#rest);
      this.#rest = [];
      this.#parse(last, 0, last.length);
    }
    const problems = this.#problems;
    if (problems.length) throw new ApiProblem(400, `Invalid NDJSON: ${problems.slice(0, 5).map((p) => `${p.field} (${p.message})`).join('; ')}`, { errors: problems });
    return this.changes;
  }

  #parse(buf: Buffer, start: number, end: number): void {
    this.#line++;
    const content = buf.toString('utf8', start, end).trim();
    if (!content) return;
    if (this.changes.length >= this.#max) throw tooMany(this.#max);
    try {
      this.changes.push(JSON.parse(content));
    } catch {
      this.changes.push(undefined);
      if (this.#problems.length < 100) this.#problems.push({ field: `body[${this.changes.length - 1}]`, message: `line ${this.#line}: expected one change as JSON` });
    }
  }
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
