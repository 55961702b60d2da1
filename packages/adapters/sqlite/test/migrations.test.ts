/**
 * Schema versions: a database written at each earlier version (rows in that version's format,
 * written here with raw SQL as that version's code wrote them) is upgraded on open, keeping its
 * queue, leases, item statuses and mappings, with the current indexes in place. A version 3
 * database is also written with version 3's own layout, to check that version 4 finds the
 * variants it already held (a lease takes a product with them). From version 5 on, connectors
 * registered after the upgrade are claimed for the changes their queues already held. A version 5
 * registry keeps its records and fleet state through version 6 (run requests).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite, { type Database } from 'better-sqlite3';
import { type Change, type ItemStatus, type QueueEntry, StorageCorruptError } from '@shopsync/core';
import { toQueueEntries, connectorRecord } from '@shopsync/core/testing';
import { SCHEMA_VERSION, queueInto, storedKeys, storedView, type StoredItem } from '@shopsync/core/internal';
import { SqliteStorage } from '@shopsync/sqlite';
import { DB_VERSION, migrate } from '../src/schema.js';
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

/**
 * A database at `version` holding, as versions 1 and 2 stored them, items in every state and a
 * live lease. Version 3 and later: those rows, upgraded by the migrations up to `version`.
 */
function writeOldDatabase(path: string, version: number): { items: Map<string, StoredItem>; lease: { id: string; entries: QueueEntry[] } } {
  const db = new Sqlite(path);
  migrate(db, Math.min(version, 2));
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
  migrate(db, version);
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
      assert.deepEqual((await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 40 }))?.items.map((e) => e.key), ['product:P1', 'product:P3', 'category:C1']);
      const counts = await s.ack(C, lease.id, { items: [outcome('variant', 'V1', 'complete', T0 + 50), outcome('variant', 'V2', 'complete', T0 + 50)], now: T0 + 50 });
      assert.deepEqual(counts, { categories: 1, products: 2, variants: 1 }, 'V2 keeps its newer change');
      const [v2] = await s.getItems(C, ['variant:V2']);
      assert.equal(v2?.status, 'pending');
      const next = await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 5_000 });
      assert.deepEqual(
        next?.items.map((e) => [e.key, e.seq, e.force, e.enqueuedAt, e.change]),
        [items.get('product:P1')!, items.get('product:P3')!, items.get('variant:V2')!, items.get('category:C1')!].map((i) => [i.key, i.pending!.seq, i.pending!.force, i.pending!.enqueuedAt, i.pending!.change]),
        'queue entries come back whole, in lease order (products, the variants of P2, categories)',
      );
      assert.deepEqual((await s.queryItems(OTHER, { offset: 0, limit: 10 })).items.map((i) => [i.ref, i.status]), [['P1', 'pending']]);

      // The registry (version 5) starts empty. Connectors registered now are claimed for what their
      // queues already hold: a claim reads the pending counts the upgrade kept.
      assert.deepEqual(await s.listConnectors({ offset: 0, limit: 10 }), { items: [], total: 0 });
      for (const id of [C, OTHER, 'store-3']) await s.createConnector(connectorRecord(id));
      assert.deepEqual((await s.claimConnectors({ worker: 'w1', now: T0 + 6_000, leaseMs: 60_000, limit: 10 })).map((c) => c.record.config.id), [C, OTHER], 'store-3 has nothing queued');
      assert.deepEqual(await s.pendingCounts(OTHER), { categories: 0, products: 1, variants: 0 });
      await s.close();

      const db = new Sqlite(path, { readonly: true });
      assert.deepEqual(indexesOf(db, 'items'), ['items_done', 'items_key', 'items_order', 'items_parent']);
      assert.deepEqual(db.prepare('SELECT key, vp FROM items WHERE vp IS NOT NULL').raw().all(), [['variant:V2', 'P2']], "only the pending variant upsert names its product (V1's finished)");
      assert.deepEqual(indexesOf(db, 'leases'), []);
      assert.deepEqual(indexesOf(db, 'registry'), ['registry_claim']);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
      assert.match(plan('SELECT id FROM items WHERE connector = 1 AND ob IS NOT NULL ORDER BY ob, os LIMIT 10'), /INDEX items_order/);
      assert.match(plan("SELECT key FROM items WHERE connector = 1 AND st <> 'pending' AND st = 'error' ORDER BY u DESC LIMIT 10"), /INDEX items_done \(connector=\? AND st=\?\)/);
      assert.match(plan("SELECT id FROM items WHERE connector = 1 AND vp = 'P2'"), /INDEX items_parent \(connector=\? AND vp=\?\)/);
      assert.match(plan('SELECT connector FROM registry WHERE enabled = 1 ORDER BY last_claim_at, connector'), /^SCAN registry USING (COVERING )?INDEX registry_claim$/);
      db.close();
    });
  }

  it('a migration that another connection finished meanwhile is not run again (workers opening one file at once)', () => {
    const path = tmp.file('raced.sqlite');
    const db = new Sqlite(path);
    migrate(db, DB_VERSION - 1);
    const other = new Sqlite(path);
    // This connection read the old version; before its transaction began, another one migrated.
    let stale = true;
    const racing = Object.create(db, {
      pragma: { value: (source: string, options?: { simple: boolean }) => (source === 'user_version' && stale ? ((stale = false), migrate(other), DB_VERSION - 1) : db.pragma(source, options)) },
    }) as Database;
    assert.doesNotThrow(() => migrate(racing));
    assert.equal(db.pragma('user_version', { simple: true }), DB_VERSION);
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    other.close();
    db.close();
  });

  it('upgrades a version 3 database: the variants it held are leased with their product, counts intact', async () => {
    const path = tmp.file('v3-groups.sqlite');
    const db = new Sqlite(path);
    migrate(db, 3);
    // As version 3's code wrote them: the change's JSON and parts, ids in the drain bucket's range.
    const SPAN = 2 ** 28;
    db.prepare("INSERT INTO connectors (id, name) VALUES (1, ?)").run(C);
    const insert = db.prepare("INSERT INTO items (id, connector, key, pending, force, enqueued_at, ob, os, outcome, u, st) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const rows: Array<[number, Change, number]> = [
      [0, { entity: 'category', op: 'upsert', ref: 'C1', data: { title: 'Shoes' } }, 1],
      [2, { entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P1', data: { price: '10.00' } }, 2],
      [1, { entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One', categoryRefs: ['C1'] } }, 3],
      [2, { entity: 'variant', op: 'upsert', ref: 'V2', parentRef: 'P1', data: { price: '11.00' } }, 4],
      [2, { entity: 'variant', op: 'upsert', ref: 'V3', parentRef: 'P1', data: { price: '12.00' } }, 5],
      [1, { entity: 'product', op: 'upsert', ref: 'P2', data: { title: 'Two' } }, 6],
      [2, { entity: 'variant', op: 'upsert', ref: 'V4', parentRef: 'P9', data: { price: '13.00' } }, 7],
      [3, { entity: 'variant', op: 'delete', ref: 'V5' }, 8],
    ];
    const ids = new Map<string, number>();
    for (const [bucket, change, seq] of rows) {
      const key = `${change.entity}:${change.ref}`;
      ids.set(key, bucket * SPAN + seq);
      insert.run(bucket * SPAN + seq, key, JSON.stringify(change), seq === 1 ? 1 : 0, T0, bucket, seq, null, T0 + seq, 'pending');
    }
    insert.run(1 * SPAN + 100, 'product:P0', null, null, null, null, null, JSON.stringify(outcome('product', 'P0', 'complete', T0)), T0, 'complete');
    // V3 is in flight: a version 3 lease lists [key, item id, seq].
    db.prepare("INSERT INTO leases (connector, id, expires_at, superseded, keys) VALUES (?, 'lease_v3', ?, '[]', ?)").run(C, T0 + 60_000, JSON.stringify(['variant:V3', ids.get('variant:V3'), 5]));
    db.prepare('INSERT INTO meta (connector, seq, categories, products, variants) VALUES (?, 8, 1, 2, 5)').run(C);
    db.close();

    const s = SqliteStorage.open({ path });
    assert.equal(s.version, DB_VERSION);
    assert.deepEqual(await s.pendingCounts(C), { categories: 1, products: 2, variants: 5 });
    const first = await s.lease(C, { limit: 4, leaseMs: 60_000, now: T0 + 10 });
    assert.deepEqual(
      first?.items.map((e) => [e.key, e.seq, e.force]),
      [
        ['category:C1', 1, true],
        ['product:P1', 3, false],
        ['variant:V1', 2, false],
        ['variant:V2', 4, false],
      ],
      'P1 with the category it names and its variants, one group; V3 is in flight',
    );
    assert.deepEqual(first?.items[2]?.change, rows[1]![1]);
    assert.deepEqual(await s.pendingCounts(C), { categories: 1, products: 2, variants: 5 }, 'leasing changes no count');
    assert.deepEqual(await s.ack(C, 'lease_v3', { items: [{ ...outcome('variant', 'V3', 'complete', T0 + 20), parentRef: 'P1' }], now: T0 + 20 }), { categories: 1, products: 2, variants: 4 });
    assert.deepEqual(
      await s.ack(C, first!.id, { items: first!.items.map((e) => outcome(e.entity, e.ref, 'complete', T0 + 30)), now: T0 + 30 }),
      { categories: 0, products: 1, variants: 2 },
    );
    const rest = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 40 });
    assert.deepEqual(rest?.items.map((e) => e.key), ['product:P2', 'variant:V4', 'variant:V5'], 'then P2, the variants of a product with no pending change, deletions');
    await s.close();

    const raw = new Sqlite(path, { readonly: true });
    assert.deepEqual(raw.prepare('SELECT key, vp FROM items WHERE vp IS NOT NULL ORDER BY key').raw().all(), [['variant:V4', 'P9']], 'only the pending variant upsert left names its product');
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();
  });

  it('upgrades a version 5 registry: records and fleet state kept, no run requested; a request then makes a held connector claimable', async () => {
    const path = tmp.file('v5-registry.sqlite');
    const db = new Sqlite(path);
    migrate(db, 5);
    const held = connectorRecord(C, { language: 'de' }, { schedule: { everyMs: 600_000 }, credentialsRef: 'vault:shops/1' });
    const off = connectorRecord(OTHER, { enabled: false });
    const throttle = { at: new Date(T0 + 5).toISOString(), capacity: 2000, available: 1500.5, restoreRate: 100 };
    // As version 5's code wrote them: store-1 ran and was released until its schedule's next turn; store-2 never ran.
    db.prepare('INSERT INTO registry (connector, record, enabled, open, last_claim_at, last_release_at, next_run_at, throttle) VALUES (?, ?, 1, 0, ?, ?, ?, ?)').run(C, JSON.stringify(held), T0, T0 + 10, T0 + 600_010, JSON.stringify(throttle));
    db.prepare('INSERT INTO registry (connector, record, enabled) VALUES (?, ?, 0)').run(OTHER, JSON.stringify(off));
    db.close();

    const s = SqliteStorage.open({ path });
    assert.equal(s.version, DB_VERSION);
    assert.deepEqual(await s.listConnectors({ offset: 0, limit: 10 }), { items: [held, off], total: 2 });
    assert.deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 20, leaseMs: 60_000, limit: 10 }), [], 'held until its next turn, and nothing requested');
    assert.deepEqual(await s.fleetView(T0 + 20), []);
    assert.equal(await s.requestRun(C, T0 + 30), true);
    assert.equal(await s.requestRun(OTHER, T0 + 30), true);
    assert.deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 40, leaseMs: 60_000, limit: 10 }), [{ record: held, claimUntil: T0 + 60_040, throttle, runRequestedAt: T0 + 30 }], 'the hold lifted; store-2 is disabled');
    await s.close();

    const raw = new Sqlite(path, { readonly: true });
    assert.deepEqual(raw.prepare('SELECT connector, last_claim_at, run_requested_at FROM registry ORDER BY connector').raw().all(), [
      [C, T0 + 40, T0 + 30],
      [OTHER, null, T0 + 30],
    ]);
    assert.deepEqual(indexesOf(raw, 'registry'), ['registry_claim']);
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();
  });

  it('upgrades a version 3 database holding a damaged queued variant: the lease that reads it refuses, naming the row', async () => {
    const path = tmp.file('v3-damaged.sqlite');
    const db = new Sqlite(path);
    migrate(db, 3);
    db.prepare("INSERT INTO connectors (id, name) VALUES (1, ?)").run(C);
    const insert = db.prepare("INSERT INTO items (connector, key, pending, force, enqueued_at, ob, os, u, st) VALUES (1, ?, ?, 0, ?, 2, ?, ?, 'pending')");
    insert.run('variant:V1', '{"entity":"variant","op":"upsert","ref":"V1","parentRef":', T0, 1, T0);
    insert.run('variant:V2', JSON.stringify({ entity: 'variant', op: 'upsert', ref: 'V2', parentRef: 7, data: { price: '1.00' } }), T0, 2, T0);
    db.prepare('INSERT INTO meta (connector, seq, categories, products, variants) VALUES (?, 2, 0, 0, 2)').run(C);
    db.close();

    const s = SqliteStorage.open({ path });
    assert.equal(s.version, DB_VERSION);
    await assert.rejects(s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 }), (err: unknown) => err instanceof StorageCorruptError && err.row === 'connector "store-1", key "variant:V1"' && err.field === 'pending');
    const raw = new Sqlite(path);
    raw.prepare("DELETE FROM items WHERE key = 'variant:V1'").run();
    raw.close();
    await assert.rejects(s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 }), (err: unknown) => err instanceof StorageCorruptError && err.row === 'connector "store-1", key "variant:V2"' && err.field === 'pending.parentRef');
    await s.close();
  });
});
