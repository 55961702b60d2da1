/**
 * Schema versions: a database written at each earlier version (rows in that version's format,
 * written here with raw SQL as that version's code wrote them) is upgraded on open, keeping its
 * queue, leases, item statuses and mappings, with the current indexes in place.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite, { type Database } from 'better-sqlite3';
import {
  SCHEMA_VERSION,
  queueInto,
  storedKeys,
  storedView,
  toQueueEntries,
  type Change,
  type ItemStatus,
  type QueueEntry,
  type StoredItem,
} from '@shopsync/core';
import { DB_VERSION, SqliteStorage, migrate } from '@shopsync/sqlite';
import { tempDir } from './helpers.js';

const tmp = tempDir('migrations');
after(() => tmp.cleanup());
const C = 'store-1';
const OTHER = 'store-2';
const T0 = Date.UTC(2026, 0, 15, 12);

const entryOf = (change: Change, force = false) => toQueueEntries([change], { force }).entries[0]!;
const outcome = (entity: ItemStatus['entity'], ref: string, status: 'complete' | 'error', at: number): ItemStatus => ({
  v: SCHEMA_VERSION,
  entity,
  ref,
  op: 'upsert',
  status,
  errors: status === 'error' ? [{ code: 'INVALID', message: 'bad price' }] : [],
  syncEventId: 'evt_1',
  updatedAt: new Date(at).toISOString(),
  consecutiveFailures: status === 'error' ? 1 : 0,
});

/** A database at `version` holding, as versions 1 and 2 stored them, items in every state and a live lease. */
function writeOldDatabase(path: string, version: number): { items: Map<string, StoredItem>; lease: { id: string; entries: QueueEntry[] } } {
  const db = new Sqlite(path);
  migrate(db, version);
  const items = new Map<string, StoredItem>();
  let seq = 0;
  const put = (c: string, item: StoredItem) => {
    const keys = storedKeys(item);
    db.prepare('INSERT OR REPLACE INTO items (connector, key, entity, ref, pending, last_at, ob, os, outcome, u, st) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      c,
      item.key,
      item.entity,
      item.ref,
      item.pending ? JSON.stringify(item.pending) : null,
      item.lastAt ?? null,
      keys.order?.[0] ?? null,
      keys.order?.[1] ?? null,
      item.outcome ? JSON.stringify(item.outcome) : null,
      keys.updated,
      keys.status,
    );
    if (c === C) items.set(item.key, item);
  };
  const enqueue = (c: string, change: Change, at: number, row?: StoredItem, force = false) => queueInto(row, entryOf(change, force), undefined, ++seq, at).row;

  const p1 = enqueue(C, { entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }, T0);
  const p2 = { ...enqueue(C, { entity: 'product', op: 'upsert', ref: 'P2', data: { title: 'Two' } }, T0) };
  delete p2.pending;
  delete p2.lastAt;
  p2.outcome = outcome('product', 'P2', 'complete', T0 + 10);
  const p3 = enqueue(C, { entity: 'product', op: 'upsert', ref: 'P3', data: { title: 'Three, fixed' } }, T0 + 20, { key: 'product:P3', entity: 'product', ref: 'P3', outcome: outcome('product', 'P3', 'error', T0 + 5) });
  const c1 = enqueue(C, { entity: 'category', op: 'upsert', ref: 'C1', data: { title: 'Shoes' } }, T0 + 1, undefined, true);
  const v1 = enqueue(C, { entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P2', data: { price: '10.00' } }, T0 + 2);
  const v2Leased = enqueue(C, { entity: 'variant', op: 'upsert', ref: 'V2', parentRef: 'P2', data: { price: '11.00' } }, T0 + 2);
  // V2 took a newer change while leased: its row holds the newer one, the lease the older.
  const v2 = enqueue(C, { entity: 'variant', op: 'upsert', ref: 'V2', parentRef: 'P2', data: { price: '12.00' } }, T0 + 30, { ...v2Leased, pending: undefined });
  for (const item of [p1, p2, p3, c1, v1, v2]) put(C, item);
  put(OTHER, enqueue(OTHER, { entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'Other store' } }, T0));

  const lease = { id: 'lease_old', entries: [v1.pending!, v2Leased.pending!] };
  db.prepare('INSERT INTO leases (connector, id, expires_at, entries) VALUES (?, ?, ?, ?)').run(C, lease.id, T0 + 60_000, JSON.stringify(lease.entries));
  db.prepare('INSERT INTO meta (connector, seq, categories, products, variants) VALUES (?, ?, ?, ?, ?)').run(C, seq, 1, 2, 2);
  db.prepare('INSERT INTO meta (connector, seq, categories, products, variants) VALUES (?, ?, ?, ?, ?)').run(OTHER, seq, 0, 1, 0);
  db.prepare('INSERT INTO target_ids (connector, key, id) VALUES (?, ?, ?)').run(C, 'product:P2', 'gid://shopify/Product/2');
  db.prepare('INSERT INTO hashes (connector, key, hash) VALUES (?, ?, ?)').run(C, 'product:P2', 'h2');
  db.close();
  return { items, lease };
}

function indexesOf(db: Database, table: string): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").pluck().all(table) as string[]);
}

describe('SQLite schema versions', () => {
  for (let from = 1; from < DB_VERSION; from++) {
    it(`upgrades a version ${from} database, keeping its queue, lease, statuses and mappings`, async () => {
      const path = tmp.file(`v${from}.sqlite`);
      const { items, lease } = writeOldDatabase(path, from);

      const s = SqliteStorage.open({ path });
      assert.equal(s.version, DB_VERSION);
      const keys = [...items.keys()];
      assert.deepEqual(await s.getItems(C, keys), keys.map((k) => storedView(items.get(k)!)), 'every item reads as it did');
      assert.deepEqual(await s.pendingCounts(C), { categories: 1, products: 2, variants: 2 });
      assert.equal((await s.getTargetIds(C, ['product:P2'])).get('product:P2'), 'gid://shopify/Product/2');
      assert.equal((await s.getHashes(C, ['product:P2'])).get('product:P2'), 'h2');
      const tab = async (q: object) => (await s.queryItems(C, { offset: 0, limit: 10, ...q })).items.map((i) => i.ref);
      assert.deepEqual(await tab({ status: 'pending' }), ['V2', 'P3', 'V1', 'C1', 'P1'], 'newest first');
      assert.deepEqual(await tab({ status: 'complete' }), ['P2']);
      assert.deepEqual(await tab({ entity: 'variant' }), ['V2', 'V1']);
      assert.deepEqual(await tab({}), ['V2', 'P3', 'P2', 'V1', 'C1', 'P1']);

      // The lease written before the upgrade is still held: its items wait, and its ack counts.
      assert.deepEqual((await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 40 }))?.items.map((e) => e.key), ['category:C1', 'product:P1', 'product:P3']);
      const counts = await s.ack(C, lease.id, { items: [outcome('variant', 'V1', 'complete', T0 + 50), outcome('variant', 'V2', 'complete', T0 + 50)], now: T0 + 50 });
      assert.deepEqual(counts, { categories: 1, products: 2, variants: 1 }, 'V2 keeps its newer change');
      const [v2] = await s.getItems(C, ['variant:V2']);
      assert.equal(v2?.status, 'pending');
      const next = await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 5_000 });
      assert.deepEqual(
        next?.items.map((e) => [e.key, e.seq, e.force, e.enqueuedAt, e.change]),
        [items.get('category:C1')!, items.get('product:P1')!, items.get('product:P3')!, items.get('variant:V2')!].map((i) => [i.key, i.pending!.seq, i.pending!.force, i.pending!.enqueuedAt, i.pending!.change]),
        'queue entries come back whole, in drain order',
      );
      assert.deepEqual((await s.queryItems(OTHER, { offset: 0, limit: 10 })).items.map((i) => [i.ref, i.status]), [['P1', 'pending']]);
      await s.close();

      const db = new Sqlite(path, { readonly: true });
      assert.deepEqual(indexesOf(db, 'items'), ['items_done', 'items_key', 'items_order']);
      assert.deepEqual(indexesOf(db, 'leases'), []);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      assert.match(plan('SELECT id FROM items WHERE connector = 1 AND ob IS NOT NULL ORDER BY ob, os LIMIT 10'), /INDEX items_order/);
      assert.match(plan("SELECT key FROM items WHERE connector = 1 AND st <> 'pending' AND st = 'error' ORDER BY u DESC LIMIT 10"), /INDEX items_done \(connector=\? AND st=\?\)/);
      db.close();
    });
  }
});
