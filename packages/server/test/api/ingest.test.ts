/**
 * `POST /v1/connectors/{id}/changes` and `POST /v1/connectors/{id}/sync` through the service:
 * JSON arrays and NDJSON, a batch validated whole (one bad change refuses a thousand, naming it),
 * the 100,000-change limit, Idempotency-Key (a retry answers the same without queuing again,
 * another body under the same key is refused, concurrent retries do not queue twice), force
 * refreshes, and a run asked for with nothing pending.
 *
 * Most connectors here are made disabled: no worker takes their queue, so what a request queued
 * stays there to be read (a lease that is released at once shows each entry's change and seq).
 * Everything runs on SQLite and on PostgreSQL (a schema of its own; skipped with the reason when
 * the server is unreachable, failed under CI=true), where concurrent requests are separate
 * connections.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityCounts, QueueEntry } from '@shopsync/core';
import { unreachable } from '../../../adapters/postgres/test/helpers.js';
import { eventually, startHarness, type Answer, type Harness } from '../support/harness.js';

/** The service under test (one per database, made by its suite). */
let h: Harness;
let admin: string;
let ingest: string;

const product = (ref: string, title: unknown = `Product ${ref}`) => ({ entity: 'product', op: 'upsert', ref, data: { title } });
const ndjson = (changes: unknown[]) => changes.map((c) => JSON.stringify(c)).join('\n');
const counts = (categories: number, products: number, variants: number): EntityCounts => ({ categories, products, variants });

let made = 0;
/** A new disabled connector (no worker runs it: its queue stays as the requests leave it). */
async function quietConnector(): Promise<string> {
  const id = `quiet-${++made}`;
  const answer = await h.call('POST', '/v1/connectors', { key: admin, body: { config: { id, shopDomain: `${id}.myshopify.com`, apiVersion: '2026-01', enabled: false } } });
  assert.equal(answer.status, 201, answer.text);
  return id;
}

/** Posts changes (a JSON array unless `type` says otherwise). */
function post(id: string, body: unknown, options: { type?: string; query?: string; headers?: Record<string, string>; key?: string } = {}): Promise<Answer> {
  return h.call('POST', `/v1/connectors/${id}/changes${options.query ? `?${options.query}` : ''}`, { key: options.key ?? ingest, body, ...(options.type && { type: options.type }), ...(options.headers && { headers: options.headers }) });
}

const pending = (id: string) => h.server.services.storage.pendingCounts(id);

/** What a connector's queue holds, by key: read through a lease that is released at once. */
async function queued(id: string): Promise<Map<string, QueueEntry>> {
  const storage = h.server.services.storage;
  const lease = await storage.lease(id, { limit: 1_000, leaseMs: 60_000, now: Date.now() });
  if (!lease) return new Map();
  await storage.release(id, lease.id);
  return new Map(lease.items.map((e) => [e.key, e]));
}

/** Asserts a problem answer: status, media type, and (when given) the fields it names. */
function assertProblem(answer: Answer, status: number, fields?: string[]): void {
  assert.equal(answer.status, status, answer.text.slice(0, 500));
  assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(answer.body.status, status);
  if (fields) assert.deepEqual((answer.body.errors as Array<{ field: string }>).map((e) => e.field), fields, answer.text.slice(0, 500));
}

for (const database of ['sqlite', 'postgres'] as const) {
  describe(database === 'sqlite' ? 'on SQLite' : 'on PostgreSQL', { skip: database === 'postgres' ? (unreachable ?? false) : false }, () => {
    before(async () => {
      h = await startHarness({ database });
      admin = await h.key(['admin']);
      ingest = await h.key(['ingest']);
    });
    after(() => h?.close());

    describe('POST …/changes: JSON and NDJSON', () => {
      it('a JSON array is queued whole: 202 with accepted, ignoredDeletions and the pending counts', async () => {
        const id = await quietConnector();
        const answer = await post(id, [
          { entity: 'category', op: 'upsert', ref: 'tents', data: { title: 'Tents' } },
          { ...product('TENT'), data: { title: 'Tent', categoryRefs: ['tents'] } },
          { entity: 'variant', op: 'upsert', ref: 'TENT-2P', parentRef: 'TENT', data: { price: '199.00' } },
        ]);
        assert.equal(answer.status, 202, answer.text);
        assert.deepEqual(answer.body, { accepted: 3, ignoredDeletions: 0, pending: counts(1, 1, 1) });
        assert.deepEqual(await pending(id), counts(1, 1, 1));
        assert.deepEqual([...(await queued(id)).keys()].sort(), ['category:tents', 'product:TENT', 'variant:TENT-2P']);
      });

      it('NDJSON: one change per line, blank lines and CRLF allowed, under each NDJSON media type', async () => {
        const id = await quietConnector();
        const body = `${JSON.stringify(product('A'))}\r\n\r\n${JSON.stringify(product('B'))}\n   \n${JSON.stringify(product('C'))}\n`;
        const answer = await post(id, body, { type: 'application/x-ndjson' });
        assert.equal(answer.status, 202, answer.text);
        assert.deepEqual(answer.body, { accepted: 3, ignoredDeletions: 0, pending: counts(0, 3, 0) });
        for (const [type, ref] of [
          ['application/jsonl', 'D'],
          ['application/ndjson; charset=utf-8', 'E'],
        ] as const) {
          const more = await post(id, JSON.stringify(product(ref)), { type });
          assert.equal(more.status, 202, `${type}: ${more.text}`);
        }
        assert.deepEqual(await pending(id), counts(0, 5, 0));
      });

      it('a line that is not JSON is named by its index and line; nothing is queued', async () => {
        const id = await quietConnector();
        const answer = await post(id, `${JSON.stringify(product('A'))}\n\n{"entity": "product",\n${JSON.stringify(product('B'))}`, { type: 'application/x-ndjson' });
        assertProblem(answer, 400, ['body[1]']);
        assert.match(answer.body.errors[0].message, /line 3/);
        assert.deepEqual(await pending(id), counts(0, 0, 0));
      });

      it('a JSON body that is not an array, or not JSON, is a 400 naming the body', async () => {
        const id = await quietConnector();
        assertProblem(await post(id, product('A')), 400, ['body']);
        assertProblem(await post(id, '[{"entity":'), 400, ['body']);
        assert.deepEqual(await pending(id), counts(0, 0, 0));
      });

      it('text/plain is refused with 415, and nothing is queued', async () => {
        const id = await quietConnector();
        const answer = await post(id, ndjson([product('A')]), { type: 'text/plain' });
        assertProblem(answer, 415);
        assert.match(answer.body.detail, /application\/json.*application\/x-ndjson/);
        assert.deepEqual(await pending(id), counts(0, 0, 0));
      });

      it('an unknown connector is a 404, whatever the body', async () => {
        const answer = await post('no-such-connector', [product('A')]);
        assertProblem(answer, 404);
        assert.match(answer.body.detail, /no-such-connector/);
        assertProblem(await post('no-such-connector', 'not json', { type: 'text/plain' }), 404);
      });
    });

    describe('POST …/changes: validated whole', () => {
      for (const format of ['JSON', 'NDJSON'] as const) {
        it(`${format}: one invalid change among 1,000 refuses all with a 400 naming body[k]…; the queue is as it was`, async () => {
          const id = await quietConnector();
          const first = await post(id, [product('KEEP')]);
          assert.equal(first.status, 202, first.text);
          const before = await queued(id);

          const batch: unknown[] = Array.from({ length: 1_000 }, (_, i) => product(`P-${i}`));
          batch[637] = product('P-637', 42);
          batch[901] = { entity: 'variant', op: 'upsert', ref: 'V-901', parentRef: 'P-900', data: { price: 'cheap' } };
          const answer = format === 'JSON' ? await post(id, batch) : await post(id, ndjson(batch), { type: 'application/x-ndjson' });
          assertProblem(answer, 400);
          const fields = (answer.body.errors as Array<{ field: string }>).map((e) => e.field);
          assert.ok(fields.includes('body[637].data.title'), fields.join(', '));
          assert.ok(fields.includes('body[901].data.price'), fields.join(', '));
          assert.ok(fields.every((f) => /^body\[(637|901)\]/.test(f)), fields.join(', '));
          assert.match(answer.body.detail, /body\[637\]\.data\.title/);

          assert.deepEqual(await pending(id), counts(0, 1, 0));
          assert.deepEqual(await queued(id), before);
        });
      }

      it('100,000 changes in NDJSON are accepted; 100,001 are refused with 413 and nothing is queued', { timeout: 60_000 }, async () => {
        const id = await quietConnector();
        const lines = Array.from({ length: 100_000 }, (_, i) => JSON.stringify(product(`P-${i}`)));
        const over = await post(id, `${lines.join('\n')}\n${JSON.stringify(product('ONE-TOO-MANY'))}`, { type: 'application/x-ndjson' });
        assertProblem(over, 413, ['body']);
        assert.match(over.body.detail, /100,000/);
        assert.deepEqual(await pending(id), counts(0, 0, 0));

        const answer = await post(id, lines.join('\n'), { type: 'application/x-ndjson' });
        assert.equal(answer.status, 202, answer.text.slice(0, 500));
        assert.deepEqual(answer.body, { accepted: 100_000, ignoredDeletions: 0, pending: counts(0, 100_000, 0) });
        assert.deepEqual(await pending(id), counts(0, 100_000, 0));
      });

      it('100,001 changes as a JSON array are refused with 413 too', { timeout: 30_000 }, async () => {
        const id = await quietConnector();
        const answer = await post(id, Array.from({ length: 100_001 }, (_, i) => ({ entity: 'product', op: 'delete', ref: `P-${i}` })));
        assertProblem(answer, 413, ['body']);
        assert.deepEqual(await pending(id), counts(0, 0, 0));
      });
    });

    describe('POST …/changes: Idempotency-Key', () => {
      it('the same key and body twice: the same answer, the second marked Idempotent-Replayed, and nothing queued again', async () => {
        const id = await quietConnector();
        const batch = [product('TENT', 'one'), product('STOVE')];
        const headers = { 'idempotency-key': 'order-import-0001' };
        const first = await post(id, batch, { headers });
        assert.equal(first.status, 202, first.text);
        assert.equal(first.headers.get('idempotent-replayed'), null);
        assert.deepEqual(first.body, { accepted: 2, ignoredDeletions: 0, pending: counts(0, 2, 0) });

        // A later change of the same item, without a key: a second enqueue of the first batch would bring "one" back.
        const later = await post(id, [product('TENT', 'two')]);
        assert.equal(later.status, 202, later.text);
        const before = await queued(id);
        assert.deepEqual(before.get('product:TENT')?.change, product('TENT', 'two'));

        const again = await post(id, batch, { headers });
        assert.equal(again.status, 202, again.text);
        assert.equal(again.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(again.body, first.body, 'the stored answer, counts as they were then');
        assert.deepEqual(await queued(id), before, 'no entry changed: same change, same seq');
        assert.deepEqual(await pending(id), counts(0, 2, 0));
      });

      it('the same key with another body is refused with 422 (and with the same body under force=true too)', async () => {
        const id = await quietConnector();
        const headers = { 'idempotency-key': 'batch-7' };
        assert.equal((await post(id, [product('A')], { headers })).status, 202);
        const before = await queued(id);

        const other = await post(id, [product('A', 'Another title')], { headers });
        assertProblem(other, 422);
        assert.equal(other.body.type, 'https://shopsync.dev/problems/idempotency-key-reused');
        const forced = await post(id, [product('A')], { headers, query: 'force=true' });
        assertProblem(forced, 422);
        // The same changes as NDJSON are other bytes: another request.
        assertProblem(await post(id, ndjson([product('A')]), { headers, type: 'application/x-ndjson' }), 422);
        assert.deepEqual(await queued(id), before);
        // Keys are per connector: the same key elsewhere is a new request.
        const elsewhere = await quietConnector();
        assert.equal((await post(elsewhere, [product('B')], { headers })).status, 202);
      });

      it('a refused batch leaves its key free: the corrected batch under the same key is queued', async () => {
        const id = await quietConnector();
        const headers = { 'idempotency-key': 'retry-after-fix' };
        assertProblem(await post(id, [product('A', 7)], { headers }), 400, ['body[0].data.title']);
        // Sent again as it was: refused again (not a stored answer, not "in use").
        assertProblem(await post(id, [product('A', 7)], { headers }), 400, ['body[0].data.title']);
        const fixed = await post(id, [product('A')], { headers });
        assert.equal(fixed.status, 202, fixed.text);
        assert.equal(fixed.headers.get('idempotent-replayed'), null);
        assert.deepEqual(await pending(id), counts(0, 1, 0));
      });

      it('an Idempotency-Key that is not printable ASCII is a 400 naming the header', async () => {
        const id = await quietConnector();
        assertProblem(await post(id, [product('A')], { headers: { 'idempotency-key': 'two words' } }), 400, ['header.idempotency-key']);
        assertProblem(await post(id, [product('A')], { headers: { 'idempotency-key': 'k'.repeat(256) } }), 400, ['header.idempotency-key']);
        assert.deepEqual(await pending(id), counts(0, 0, 0));
      });

      it('concurrent requests with the same key: one is queued (202), the others get 409 or the replay; queued once', async () => {
        const id = await quietConnector();
        const batch = Array.from({ length: 5_000 }, (_, i) => product(`P-${i}`));
        const headers = { 'idempotency-key': 'concurrent-1' };
        const answers = await Promise.all(Array.from({ length: 4 }, () => post(id, batch, { headers })));
        const fresh = answers.filter((a) => a.status === 202 && a.headers.get('idempotent-replayed') === null);
        assert.equal(fresh.length, 1, answers.map((a) => `${a.status} ${a.headers.get('idempotent-replayed')}`).join(', '));
        for (const a of answers.filter((x) => x !== fresh[0])) {
          if (a.status === 409) {
            assertProblem(a, 409);
            assert.equal(a.body.type, 'https://shopsync.dev/problems/idempotency-key-in-use');
            assert.equal(a.headers.get('retry-after'), '1');
          } else {
            assert.equal(a.status, 202, a.text.slice(0, 300));
            assert.equal(a.headers.get('idempotent-replayed'), 'true');
            assert.deepEqual(a.body, fresh[0]!.body);
          }
        }
        assert.deepEqual(fresh[0]!.body, { accepted: 5_000, ignoredDeletions: 0, pending: counts(0, 5_000, 0) });
        assert.deepEqual(await pending(id), counts(0, 5_000, 0));
        // Once the first has finished, a retry is the replay.
        const late = await post(id, batch, { headers });
        assert.equal(late.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(late.body, fresh[0]!.body);
      });
    });

    describe('POST …/changes?force=true', () => {
      it('passes force: upserts are queued forced, deletions dropped and counted as ignoredDeletions', async () => {
        const id = await quietConnector();
        const answer = await post(
          id,
          [product('A'), { entity: 'product', op: 'delete', ref: 'OLD' }, { entity: 'variant', op: 'delete', ref: 'OLD-1', parentRef: 'OLD' }, product('B')],
          { query: 'force=true' },
        );
        assert.equal(answer.status, 202, answer.text);
        assert.deepEqual(answer.body, { accepted: 2, ignoredDeletions: 2, pending: counts(0, 2, 0) });
        const entries = await queued(id);
        assert.deepEqual([...entries.keys()].sort(), ['product:A', 'product:B']);
        assert.ok([...entries.values()].every((e) => e.force), 'queued as a force refresh');

        const plain = await quietConnector();
        assert.equal((await post(plain, [product('A')], { query: 'force=false' })).status, 202);
        assert.deepEqual([...(await queued(plain)).values()].map((e) => e.force), [false]);
      });

      it('force must be true or false; other query parameters are refused', async () => {
        const id = await quietConnector();
        assertProblem(await post(id, [product('A')], { query: 'force=yes' }), 400, ['query.force']);
        assertProblem(await post(id, [product('A')], { query: 'dryRun=true' }), 400);
        assert.deepEqual(await pending(id), counts(0, 0, 0));
      });
    });

    describe('POST …/sync', () => {
      it('with nothing pending: a new event with trigger "manual" appears and completes', { timeout: 30_000 }, async () => {
        await h.connector('manual-run');
        const asked = await h.call('POST', '/v1/connectors/manual-run/sync', { key: ingest, body: {} });
        assert.equal(asked.status, 202, asked.text);
        assert.equal(asked.body.requested, true);
        assert.deepEqual(asked.body.pending, counts(0, 0, 0));
        assert.ok(Math.abs(Date.parse(asked.body.requestedAt as string) - Date.now()) < 10_000);

        const event = await eventually(async () => {
          const events = await h.call('GET', '/v1/connectors/manual-run/sync/events', { key: admin });
          return (events.body?.items as Array<{ id: string; trigger: string; status: string }> | undefined)?.find((e) => e.trigger === 'manual' && e.status === 'completed');
        }, 20_000, 'a manual run to complete');
        assert.ok(event.id);
        // One run for one request: the connector is not run again and again.
        await new Promise((r) => setTimeout(r, 500));
        const events = await h.call('GET', '/v1/connectors/manual-run/sync/events', { key: admin });
        assert.equal(events.body.total, 1, events.text.slice(0, 500));
      });

      it('without a body too; a disabled connector is a 409, an unknown one a 404, a body with fields a 400', async () => {
        await h.connector('bodiless-run');
        const asked = await h.call('POST', '/v1/connectors/bodiless-run/sync', { key: ingest });
        assert.equal(asked.status, 202, asked.text);

        const quiet = await quietConnector();
        const disabled = await h.call('POST', `/v1/connectors/${quiet}/sync`, { key: ingest, body: {} });
        assertProblem(disabled, 409);
        assert.equal(disabled.body.type, 'https://shopsync.dev/problems/connector-disabled');
        assertProblem(await h.call('POST', '/v1/connectors/no-such-connector/sync', { key: ingest, body: {} }), 404);
        assertProblem(await h.call('POST', `/v1/connectors/${quiet}/sync`, { key: ingest, body: { force: true } }), 400);
      });
    });
  });
}
