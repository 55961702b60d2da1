// The ingest body reader: NDJSON parsed line by line from the chunks as they arrive, whatever
// the chunks' boundaries (inside a line, inside a UTF-8 character, at CRLF), with the same
// changes and fingerprint as the whole body read at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import fc from 'fast-check';
import { readChanges } from '../../src/api/body/changes-body.js';
import { ApiProblem } from '../../src/api/problem.js';

const request = (type: string, chunks: Buffer[]) =>
  ({
    headers: { 'content-type': type },
    body: (async function* () {
      yield* chunks;
    })(),
  }) as unknown as FastifyRequest;

const limits = { maxChanges: 1_000, maxBytes: 1_000_000 };

function split(buf: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const c of at) {
    out.push(buf.subarray(start, c));
    start = c;
  }
  out.push(buf.subarray(start));
  return out;
}

describe('readChanges', () => {
  it('NDJSON cut anywhere gives the same changes and fingerprint as the body whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ ref: fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), title: fc.string({ maxLength: 30, unit: 'grapheme' }) }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        async (items, cuts, eol, trailing) => {
          const changes = items.map((i) => ({ entity: 'product', op: 'upsert', ref: i.ref, data: { title: i.title } }));
          const body = Buffer.from(changes.map((c) => JSON.stringify(c)).join(eol) + (trailing ? eol : ''), 'utf8');
          const read = await readChanges(request('application/x-ndjson', split(body, cuts)), limits);
          assert.deepEqual(read.changes, changes);
          assert.equal(read.raw, createHash('sha256').update(body).digest('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('names the bad lines (1-based) and their changes (0-based), blank lines skipped', async () => {
    const body = Buffer.from('{"a":1}\n\nnot json\n{"b":2}\n{broken\n');
    await assert.rejects(readChanges(request('application/x-ndjson', split(body, [3, 11, 19])), limits), (e: unknown) => {
      assert.ok(e instanceof ApiProblem);
      assert.deepEqual(e.errors, [
        { field: 'body[1]', message: 'line 3: expected one change as JSON' },
        { field: 'body[3]', message: 'line 5: expected one change as JSON' },
      ]);
      return true;
    });
  });

  it('refuses more changes than allowed, and bodies over the byte limit, as they come', async () => {
    const many = Buffer.from(Array.from({ length: 6 }, (_, i) => `{"i":${i}}`).join('\n'));
    await assert.rejects(readChanges(request('application/x-ndjson', [many]), { maxChanges: 5, maxBytes: 1_000 }), { status: 413 });
    await assert.rejects(readChanges(request('application/x-ndjson', [Buffer.alloc(600, 0x20), Buffer.alloc(600, 0x20)]), { maxChanges: 5, maxBytes: 1_000 }), { status: 413 });
    await assert.rejects(readChanges(request('text/csv', [many]), limits), { status: 415 });
  });
});
