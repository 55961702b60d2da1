/**
 * Damaged records: one cell of each kind of table damaged behind the adapter's back; the read
 * that meets it is a StorageCorruptError naming the table, the row and the field, and says what
 * to do. Nothing is used or changed. (Random damage of every cell: test/security/stored-records.test.ts.)
 * The connector registry's rows too: record, `enabled`, and each column of the fleet state.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import { StorageCorruptError, type Change, type ItemStatus, type LogEntry, type SyncEvent } from '@shopsync/core';
import { toQueueEntries, connectorRecord } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { SqliteStorage } from '@shopsync/sqlite';
import { tempDir } from './helpers.js';

const tmp = tempDir('damaged');
after(() => tmp.cleanup());
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

let n = 0;
/** A database with one finished item (P1), two queued (P2, P3), an event, a log line, a hash and a target id; `sql` then damages it. */
async function damaged(sql: string): Promise<{ storage: SqliteStorage; path: string }> {
  const path = tmp.file(`db-${++n}.sqlite`);
  let s = SqliteStorage.open({ path });
  await s.enqueue(C, toQueueEntries([product('P1')]).entries, NOW);
  const lease = (await s.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }))!;
  await s.ack(C, lease.id, { items: [done('P1')], hashes: [{ key: 'product:P1', hash: 'h1' }], event, logs: [log], now: NOW });
  await s.setTargetIds(C, [{ key: 'product:P1', id: 'gid://shopify/Product/1' }]);
  await s.enqueue(C, toQueueEntries([product('P2'), product('P3')]).entries, NOW);
  await s.close();
  const raw = new Sqlite(path);
  raw.exec(sql);
  raw.close();
  s = SqliteStorage.open({ path });
  return { storage: s, path };
}

/** Asserts that `p` rejects with a StorageCorruptError about table/field (row matching `row`). */
async function refused(p: Promise<unknown>, table: string, row: RegExp, field: string | RegExp): Promise<StorageCorruptError> {
  const err = await p.then(
    (v) => assert.fail(`resolved: ${JSON.stringify(v)?.slice(0, 200)}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof StorageCorruptError, `not a StorageCorruptError: ${String(err)}`);
  assert.equal(err.code, 'storage_corrupt');
  assert.equal(err.backend, 'sqlite');
  assert.equal(err.table, table);
  assert.match(err.row ?? '', row);
  if (typeof field === 'string') assert.equal(err.field, field);
  else assert.match(err.field ?? '', field);
  assert.match(err.message, new RegExp(`table ${table}, .*field .*Restore the database from a backup, or correct or delete that row`));
  return err;
}

describe('SQLite damaged records', () => {
  it('a queued change that is not JSON: the lease is refused, nothing handed out', async () => {
    const { storage } = await damaged("UPDATE items SET pending = '{oops' WHERE key = 'product:P2'");
    const err = await refused(storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }), 'items', /connector "store-1", key "product:P2"/, 'pending');
    assert.ok(err.cause instanceof SyntaxError, 'the parser’s error is kept as the cause');
    assert.deepEqual(await storage.pendingCounts(C), { categories: 0, products: 2, variants: 0 });
    await storage.close();
  });

  it('a queued change of the wrong shape (an upsert without data, another item’s ref, bad columns) is refused', async () => {
    const cases: Array<[string, string]> = [
      [`pending = '{"entity":"product","op":"upsert","ref":"P2"}'`, 'pending.data'],
      [`pending = '{"entity":"product","op":"upsert","ref":"P9","data":{"title":"x"}}'`, 'pending.ref'],
      [`pending = '{"entity":"variant","op":"delete","ref":"P2"}'`, 'pending.entity'],
      [`pending = '{"entity":"product","op":"merge","ref":"P2"}'`, 'pending.op'],
      ['pending = 42', 'pending'],
      ['force = 7', 'force'],
      ['enqueued_at = 1e300', 'enqueued_at'],
      ["os = 'x'", 'os'],
      // The columns a lease finds the change by: its drain bucket, and (variant upserts only) its product.
      ['ob = 4', 'ob'],
      ["vp = 'P9'", 'vp'],
    ];
    for (const [set, field] of cases) {
      const { storage } = await damaged(`UPDATE items SET ${set} WHERE key = 'product:P2'`);
      await refused(storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }), 'items', /key "product:P2"/, field);
      await storage.close();
    }
  });

  it('a queued variant upsert filed under no product, or another: the lease that reads it is refused', async () => {
    for (const vp of ['NULL', "'P3'"]) {
      const { storage } = await damaged('');
      await storage.enqueue(C, toQueueEntries([{ entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P2', data: { price: '1.00' } }]).entries, NOW);
      const raw = new Sqlite(storage.path);
      raw.exec(`UPDATE items SET vp = ${vp} WHERE key = 'variant:V1'`);
      raw.close();
      await refused(storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }), 'items', /key "variant:V1"/, 'vp');
      assert.deepEqual(await storage.pendingCounts(C), { categories: 0, products: 2, variants: 1 });
      await storage.close();
    }
  });

  it('an outcome of the wrong shape: item reads are refused, naming the field', async () => {
    const { storage } = await damaged(`UPDATE items SET outcome = json_set(outcome, '$.status', 'in_progress') WHERE key = 'product:P1'`);
    await refused(storage.getItems(C, ['product:P1']), 'items', /key "product:P1"/, 'outcome.status');
    await refused(storage.queryItems(C, { offset: 0, limit: 50 }), 'items', /key "product:P1"/, 'outcome.status');
    await storage.close();
  });

  it('a row with neither change nor outcome is refused', async () => {
    const { storage } = await damaged("UPDATE items SET outcome = NULL WHERE key = 'product:P1'");
    await refused(storage.getItems(C, ['product:P1']), 'items', /key "product:P1"/, 'pending');
    await storage.close();
  });

  it('an event of the wrong shape, or of another row', async () => {
    let { storage } = await damaged(`UPDATE events SET body = '{"status":"in_progress"}'`);
    await refused(storage.listEvents(C, { offset: 0, limit: 20 }), 'events', /connector "store-1", id "evt-1"/, /^body\./);
    await refused(storage.getEvent(C, 'evt-1'), 'events', /id "evt-1"/, /^body\./);
    await storage.close();
    ({ storage } = await damaged(`UPDATE events SET body = json_set(body, '$.id', 'evt-2')`));
    await refused(storage.getEvent(C, 'evt-1'), 'events', /id "evt-1"/, 'body.id');
    await storage.close();
  });

  it('a log line of the wrong shape', async () => {
    const { storage } = await damaged(`UPDATE logs SET body = '{"v":1,"at":"yesterday","level":"error","message":5}'`);
    await refused(storage.readLogs(C, 'evt-1'), 'logs', /connector "store-1", seq 1/, /^body\./);
    await storage.close();
  });

  it('a hash or a target id that is not text, or empty', async () => {
    const { storage } = await damaged("UPDATE hashes SET hash = ''; UPDATE target_ids SET id = x'00ff'");
    await refused(storage.getHashes(C, ['product:P1']), 'hashes', /key "product:P1"/, 'hash');
    await refused(storage.getTargetIds(C, ['product:P1']), 'target_ids', /key "product:P1"/, 'id');
    await storage.close();
  });

  it('counts in meta: negative, not integers, or more than the queue holds', async () => {
    for (const set of ['products = -5', 'products = 1.5', "products = 'many'"]) {
      const { storage } = await damaged(`UPDATE meta SET ${set}`);
      await refused(storage.pendingCounts(C), 'meta', /^connector "store-1"$/, 'products');
      await storage.close();
    }
    // More than there is: the queue drains, then the lease that finds nothing (and no lease in flight) says so.
    const { storage } = await damaged('UPDATE meta SET products = 5');
    const lease = (await storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }))!;
    assert.deepEqual(lease.items.map((e) => e.key), ['product:P2', 'product:P3']);
    assert.equal(await storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }), null, 'while a lease is in flight, nothing leasable is no contradiction');
    await storage.ack(C, lease.id, { items: [done('P2'), done('P3')], now: NOW });
    await refused(storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }), 'meta', /^connector "store-1"$/, 'products');
    await storage.close();
  });

  it('fewer counted than finished: the ack is refused and rolled back', async () => {
    const { storage } = await damaged('UPDATE meta SET products = 1');
    const lease = (await storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }))!;
    await refused(storage.ack(C, lease.id, { items: [done('P2'), done('P3')], now: NOW }), 'meta', /^connector "store-1"$/, 'products');
    assert.equal((await storage.queryItems(C, { status: 'pending', offset: 0, limit: 50 })).total, 2, 'nothing was marked finished');
    await storage.close();
  });

  it('a lease row of the wrong shape', async () => {
    const { storage } = await damaged('');
    const lease = (await storage.lease(C, { limit: 10, leaseMs: 60_000, now: NOW }))!;
    const raw = new Sqlite(storage.path);
    raw.prepare("UPDATE leases SET keys = '[\"product:P2\", \"x\", 1]'").run();
    raw.close();
    await refused(storage.ack(C, lease.id, { items: [done('P2')], now: NOW }), 'leases', new RegExp(`id "${lease.id}"`), 'keys[1]');
    await storage.close();
  });

  /**
   * A registry of two connectors, then `sql`: store-1 (its two changes queued) claimed by w1;
   * store-2 (one change queued) claimed and released by w1, open, with a throttle state.
   */
  async function registry(sql: string): Promise<SqliteStorage> {
    const { storage } = await damaged('');
    await storage.createConnector(connectorRecord(C, {}, { schedule: { everyMs: 600_000 }, credentialsRef: 'vault:shops/1' }));
    await storage.createConnector(connectorRecord('store-2'));
    await storage.enqueue('store-2', toQueueEntries([product('Q1')]).entries, NOW);
    assert.equal((await storage.claimConnectors({ worker: 'w1', now: NOW, leaseMs: 60_000, limit: 2 })).length, 2);
    await storage.releaseConnector('store-2', 'w1', { now: NOW + 1, open: true, throttle: { at: AT, capacity: 2000, available: 1500, restoreRate: 100 } });
    const raw = new Sqlite(storage.path);
    raw.exec(sql);
    raw.close();
    return storage;
  }

  it('a registry row of the wrong shape: the read, claim, renewal, release or run request that meets it is refused, naming the field, and changes nothing', async () => {
    type Op = (s: SqliteStorage) => Promise<unknown>;
    const get: Op = (s) => s.getConnector('store-2');
    const list: Op = (s) => s.listConnectors({ offset: 0, limit: 10 });
    const claim: Op = (s) => s.claimConnectors({ worker: 'w2', now: NOW + 2, leaseMs: 60_000, limit: 10 });
    const view: Op = (s) => s.fleetView(NOW + 2);
    const cases: Array<[string, Op[], string, string]> = [
      // The record: JSON, as core's connectorRecordSchema accepts it, of the row's connector.
      ["record = '{oops'", [get, list, claim, view], 'registry', 'record'],
      ["record = json_set(record, '$.config.shopDomain', 'not a domain')", [get, list, claim], 'registry', 'record.config.shopDomain'],
      ["record = json_set(record, '$.config.id', 'store-9')", [get, claim], 'registry', 'record.config.id'],
      ["record = json_set(record, '$.credentialsRef', 'shpat_0123456789')", [get], 'registry', 'record.credentialsRef'],
      ["record = json_remove(record, '$.createdAt')", [get, view], 'registry', 'record.createdAt'],
      // The column a claim filters on must say what the record says.
      ['enabled = 0', [get, list], 'registry', 'enabled'],
      // The fleet state, column by column (core's fleetStateSchema).
      ['open = 7', [claim, view], 'registry', 'open'],
      ["throttle = 'x'", [claim], 'registry', 'throttle'],
      ['throttle = json_set(throttle, \'$.at\', \'yesterday\')', [claim], 'registry', 'throttle.at'],
      ['throttle = json_set(throttle, \'$.capacity\', -1)', [claim], 'registry', 'throttle.capacity'],
      ['last_claim_at = 1.5', [claim, (s) => s.renewConnectorClaim('store-2', 'w1', NOW, 60_000)], 'registry', 'last_claim_at'],
      ['last_release_at = -1', [view, (s) => s.releaseConnector('store-2', 'w1', { now: NOW, open: false })], 'registry', 'last_release_at'],
      ["next_run_at = 'soon'", [(s) => s.renewConnectorClaim('store-2', 'w1', NOW, 60_000), (s) => s.requestRun('store-2', NOW + 2)], 'registry', 'next_run_at'],
      ['run_requested_at = -5', [claim, view, (s) => s.requestRun('store-2', NOW + 2)], 'registry', 'run_requested_at'],
      // The pending counts a claim reads are checked as every read of meta checks them.
      ["UPDATE meta SET products = 1.5 WHERE connector = 'store-2'", [claim, view], 'meta', 'products'],
    ];
    for (const [set, ops, table, field] of cases) {
      const where = set.startsWith('UPDATE') ? set : `UPDATE registry SET ${set} WHERE connector = 'store-2'`;
      const storage = await registry(where);
      const rows = () => {
        const raw = new Sqlite(storage.path, { readonly: true });
        const all = raw.prepare('SELECT * FROM registry ORDER BY connector').all();
        raw.close();
        return all;
      };
      const before = rows();
      for (const op of ops) await refused(op(storage), table, /^connector "store-2"$/, field);
      assert.deepEqual(rows(), before, `${set}: nothing changed`);
      await storage.close();
    }
    // The connector that holds a claim: its renewal and release read its claim.
    for (const [set, field] of [
      ['claim_until = 1.5', 'claim_until'],
      ["claimed_by = ''", 'claimed_by'],
    ]) {
      const storage = await registry(`UPDATE registry SET ${set} WHERE connector = '${C}'`);
      await refused(storage.renewConnectorClaim(C, 'w1', NOW, 60_000), 'registry', /^connector "store-1"$/, field!);
      await refused(storage.releaseConnector(C, 'w1', { now: NOW, open: false }), 'registry', /^connector "store-1"$/, field!);
      await storage.close();
    }
  });
});
