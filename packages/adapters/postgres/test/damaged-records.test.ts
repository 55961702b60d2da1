/**
 * Damaged records, as @shopsync/sqlite's test of the same name: a cell of each kind changed
 * behind the adapter's back; the read that meets it is a StorageCorruptError naming the table,
 * the row and the field, and saying what to do. Nothing is used or changed.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { StorageCorruptError, type Change, type ItemStatus, type LogEntry, type SyncEvent } from '@shopsync/core';
import { toQueueEntries, connectorRecord } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { PostgresStorage } from '@shopsync/postgres';
import { pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('damaged');
const C = 'store-1';
const NOW = Date.parse('2026-07-01T00:00:00.000Z');
const AT = new Date(NOW).toISOString();
const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });
const event: SyncEvent = {
  v: SCHEMA_VERSION,
  id: 'evt-1',
  connectorId: C,
  status: 'completed',
  trigger: 'manual',
  startedAt: AT,
  endedAt: AT,
  pending: { categories: 0, products: 0, variants: 0 },
  generalErrors: [],
  config: { shopDomain: 'demo.myshopify.com', apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false }, disableDeletions: false, overwriteStock: true, includeEmptyCategories: false, language: 'en' },
  iterations: [],
  logsAvailable: true,
  pausedAt: [],
  resumedAt: [],
};
const done = (ref: string): ItemStatus => ({ v: SCHEMA_VERSION, entity: 'product', ref, op: 'upsert', status: 'complete', errors: [], syncEventId: 'evt-1', updatedAt: AT, consecutiveFailures: 0 });
const log: LogEntry = { v: SCHEMA_VERSION, at: AT, level: 'info', eventId: 'evt-1', message: 'Iteration 1' };

/** A schema with one finished item (P1), two queued (P2, P3), an event, a log line, a hash and a target id; `sql` (with `$s` for the schema) then damages it. */
async function damaged(sql: string): Promise<PostgresStorage> {
  const schema = pg.schema();
  const s = await PostgresStorage.open({ pool: pg.pool, schema });
  await s.enqueue(C, toQueueEntries([product('P1')]).entries, NOW);
  const lease = (await s.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }))!;
  await s.ack(C, lease.id, { items: [done('P1')], hashes: [{ key: 'product:P1', hash: 'h1' }], event, logs: [log], now: NOW });
  await s.setTargetIds(C, [{ key: 'product:P1', id: 'gid://shopify/Product/1' }]);
  await s.enqueue(C, toQueueEntries([product('P2'), product('P3')]).entries, NOW);
  if (sql) await pg.pool.query(sql.replaceAll('$s', `"${schema}"`));
  return s;
}

/** Asserts that `p` rejects with a StorageCorruptError about table/field (row matching `row`). */
async function refused(p: Promise<unknown>, table: string, row: RegExp, field: string | RegExp): Promise<StorageCorruptError> {
  const err = await p.then(
    (v) => assert.fail(`resolved: ${JSON.stringify(v)?.slice(0, 200)}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof StorageCorruptError, `not a StorageCorruptError: ${String(err)}`);
  assert.equal(err.code, 'storage_corrupt');
  assert.equal(err.backend, 'postgres');
  assert.equal(err.table, table);
  assert.match(err.row ?? '', row);
  if (typeof field === 'string') assert.equal(err.field, field);
  else assert.match(err.field ?? '', field);
  assert.match(err.message, new RegExp(`table ${table}, .*field .*Restore the database from a backup, or correct or delete that row`));
  return err;
}

const lease = (s: PostgresStorage) => s.lease(C, { limit: 10, leaseMs: 60_000, now: NOW });

pgDescribe('PostgreSQL damaged records', () => {
  it('a queued change that is not JSON: the lease is refused, nothing handed out', async () => {
    const s = await damaged("UPDATE $s.items SET pending = '{oops' WHERE key = 'product:P2'");
    const err = await refused(lease(s), 'items', /connector "store-1", key "product:P2"/, 'pending');
    assert.ok(err.cause instanceof SyntaxError, 'the parser’s error is kept as the cause');
    assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 2, variants: 0 });
    assert.equal((await pg.pool.query(`SELECT count(*)::int AS n FROM "${s.schema}".leases`)).rows[0].n, 0, 'no lease made');
    await s.close();
  });

  it('a queued change of the wrong shape, or filed in the wrong place, is refused', async () => {
    const cases: Array<[string, string]> = [
      [`pending = '{"entity":"product","op":"upsert","ref":"P2"}'`, 'pending.data'],
      [`pending = '{"entity":"product","op":"upsert","ref":"P9","data":{"title":"x"}}'`, 'pending.ref'],
      [`pending = '{"entity":"variant","op":"delete","ref":"P2"}'`, 'pending.entity'],
      [`pending = '{"entity":"product","op":"merge","ref":"P2"}'`, 'pending.op'],
      ["pending = '42'", 'pending'],
      ['force = NULL', 'force'],
      ['enqueued_at = 9000000000000000000', 'enqueued_at'],
      ['ob = 4', 'ob'],
      ["vp = 'P9'", 'vp'],
    ];
    for (const [set, field] of cases) {
      const s = await damaged(`UPDATE $s.items SET ${set} WHERE key = 'product:P2'`);
      await refused(lease(s), 'items', /key "product:P2"/, field);
      await s.close();
    }
  });

  it('a queued variant upsert filed under no product, or another: the lease that reads it is refused', async () => {
    for (const vp of ['NULL', "'P3'"]) {
      const s = await damaged('');
      await s.enqueue(C, toQueueEntries([{ entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P2', data: { price: '1.00' } }]).entries, NOW);
      await pg.pool.query(`UPDATE "${s.schema}".items SET vp = ${vp} WHERE key = 'variant:V1'`);
      await refused(lease(s), 'items', /key "variant:V1"/, 'vp');
      assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 2, variants: 1 });
      await s.close();
    }
  });

  it('an outcome of the wrong shape, or a row with neither change nor outcome: item reads are refused', async () => {
    let s = await damaged(`UPDATE $s.items SET outcome = replace(outcome, '"complete"', '"in_progress"') WHERE key = 'product:P1'`);
    await refused(s.getItems(C, ['product:P1']), 'items', /key "product:P1"/, 'outcome.status');
    await refused(s.queryItems(C, { offset: 0, limit: 50 }), 'items', /key "product:P1"/, 'outcome.status');
    await s.close();
    s = await damaged("UPDATE $s.items SET outcome = NULL WHERE key = 'product:P1'");
    await refused(s.getItems(C, ['product:P1']), 'items', /key "product:P1"/, 'pending');
    await s.close();
  });

  it('an event, a log line, a hash or a target id of the wrong shape', async () => {
    let s = await damaged(`UPDATE $s.events SET body = '{"status":"in_progress"}'`);
    await refused(s.listEvents(C, { offset: 0, limit: 20 }), 'events', /connector "store-1", id "evt-1"/, /^body\./);
    await refused(s.getEvent(C, 'evt-1'), 'events', /id "evt-1"/, /^body\./);
    await s.close();
    s = await damaged(`UPDATE $s.events SET body = replace(body, '"id":"evt-1"', '"id":"evt-2"')`);
    await refused(s.getEvent(C, 'evt-1'), 'events', /id "evt-1"/, 'body.id');
    await s.close();
    s = await damaged(`UPDATE $s.logs SET body = '{"v":1,"at":"yesterday","level":"error","message":5}'`);
    await refused(s.readLogs(C, 'evt-1'), 'logs', /connector "store-1", seq \d+/, /^body\./);
    await s.close();
    s = await damaged("UPDATE $s.hashes SET hash = ''; UPDATE $s.target_ids SET id = ''");
    await refused(s.getHashes(C, ['product:P1']), 'hashes', /key "product:P1"/, 'hash');
    await refused(s.getTargetIds(C, ['product:P1']), 'target_ids', /key "product:P1"/, 'id');
    await s.close();
  });

  it('counts in meta: negative, or more than the queue holds', async () => {
    let s = await damaged('UPDATE $s.meta SET products = -5');
    await refused(s.pendingCounts(C), 'meta', /^connector "store-1"$/, 'products');
    await s.close();
    // More than there is: the queue drains, then the lease that finds nothing (and no lease in flight) says so.
    s = await damaged('UPDATE $s.meta SET products = 5');
    const l = (await lease(s))!;
    assert.deepEqual(l.items.map((e) => e.key), ['product:P2', 'product:P3']);
    assert.equal(await lease(s), null, 'while a lease is in flight, nothing leasable is no contradiction');
    await s.ack(C, l.id, { items: [done('P2'), done('P3')], now: NOW });
    await refused(lease(s), 'meta', /^connector "store-1"$/, 'products');
    await s.close();
  });

  it('fewer counted than finished: the ack is refused and rolled back', async () => {
    const s = await damaged('UPDATE $s.meta SET products = 1');
    const l = (await lease(s))!;
    await refused(s.ack(C, l.id, { items: [done('P2'), done('P3')], now: NOW }), 'meta', /^connector "store-1"$/, 'products');
    assert.equal((await s.queryItems(C, { status: 'pending', offset: 0, limit: 50 })).total, 2, 'nothing was marked finished');
    await s.close();
  });

  it('a lease row whose record of what it handed out is damaged: the ack is refused, naming the field', async () => {
    for (const [set, table, row, field] of [
      // The row no longer holds the change the lease says it handed out.
      ["seqs = array_replace(seqs, seqs[1], 99)", 'items', /key "product:P2"/, 'pending'],
      ["superseded = '{oops'", 'leases', /id "lease/, 'superseded'],
      ["superseded = '[{\"v\":1}]'", 'leases', /id "lease/, /^superseded\[0\]/],
      ["keys = keys || 'product:P9'::text", 'leases', /id "lease/, 'ids'],
      ["ids = array_replace(ids, ids[1], -ids[1])", 'leases', /id "lease/, 'ids[0]'],
      ["ids = array_replace(ids, ids[1], ids[1] + 1000)", 'leases', /id "lease/, 'ids'],
    ] as const) {
      const s = await damaged('');
      const l = (await lease(s))!;
      await pg.pool.query(`UPDATE "${s.schema}".leases SET ${set} WHERE id = $1`, [l.id]);
      await refused(s.ack(C, l.id, { items: [done('P2')], now: NOW }), table, row, field);
      await s.close();
    }
  });

  it('a run request of the wrong shape: the claim and the fleet view that meet it are refused, naming the column, and nothing is claimed', async () => {
    for (const value of ['-5', '9007199254740993']) {
      const s = await damaged('');
      await s.createConnector(connectorRecord('store-2'));
      assert.equal(await s.requestRun('store-2', NOW), true);
      await pg.pool.query(`UPDATE "${s.schema}".connector SET run_requested_at = ${value} WHERE id = 'store-2'`);
      const claim = () => s.claimConnectors({ worker: 'w1', now: NOW + 1, leaseMs: 60_000, limit: 10 });
      await refused(claim(), 'connector', /^connector "store-2"$/, 'run_requested_at');
      await refused(s.fleetView(NOW + 1), 'connector', /^connector "store-2"$/, 'run_requested_at');
      const { rows } = await pg.pool.query(`SELECT claimed_by FROM "${s.schema}".connector WHERE id = 'store-2'`);
      assert.deepEqual(rows, [{ claimed_by: null }], `${value}: the refused claim was rolled back`);
      await pg.pool.query(`UPDATE "${s.schema}".connector SET run_requested_at = ${NOW} WHERE id = 'store-2'`);
      assert.deepEqual((await claim()).map((c) => c.runRequestedAt), [NOW], 'claimed once mended');
      await s.close();
    }
  });
});
