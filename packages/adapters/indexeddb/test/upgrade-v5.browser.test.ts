/**
 * Version 4 to 5 (issue #20: fewer writes per item): a database as version 4 wrote it (by hand
 * here: this code writes version 5's shapes only) opens with its queue, its item statuses and
 * its lease in flight intact; the lease takes version 5's shape, and a row takes it when next
 * written.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import type { Change, ItemStatus, QueueEntry } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { MIGRATIONS, type ShopsyncDB } from '../src/schema.js';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);
const iso = (t: number) => new Date(t).toISOString();

/** A queue entry as core makes it, with its place (`seq`) and arrival. */
function entry(change: Change, seq: number, at: number): QueueEntry {
  const [e] = toQueueEntries([change]).entries;
  return { v: SCHEMA_VERSION, ...e!, seq, enqueuedAt: iso(at) };
}

const complete = (entity: Change['entity'], ref: string, at: number): ItemStatus => ({
  v: SCHEMA_VERSION,
  entity,
  ref,
  op: 'upsert',
  status: 'complete',
  errors: [],
  updatedAt: iso(at),
  consecutiveFailures: 0,
});

const p1 = entry({ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }, 1, T0);
const v1Leased = entry({ entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P1', data: { price: '10.00' } }, 2, T0);
const p2 = entry({ entity: 'product', op: 'upsert', ref: 'P2', data: { title: 'Two' } }, 3, T0);
const v1Newer = entry({ entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P1', data: { price: '12.00' } }, 5, T0 + 10);

/** Writes, as version 4 did: P1 and V1 in a lease, V1's row holding a newer change; P2 queued; V2 synced. */
async function writeVersion4(name: string): Promise<void> {
  const db = await openDB<ShopsyncDB>(name, 4, {
    upgrade: (d, _old, _new, tx) => {
      for (let v = 0; v < 4; v++) void MIGRATIONS[v]!(d, tx);
    },
  });
  // Version 4's rows: `st`/`u`/`en` on every row (the status and entity indexes), `ob`/`os` while queued.
  const queued = (e: QueueEntry, lastAt: number) => ({ c: C, key: e.key, entity: e.entity, ref: e.ref, pending: e, lastAt, ob: e.entity === 'product' ? 1 : 2, os: e.seq, st: 'pending', u: lastAt, en: e.entity });
  const rows = [
    queued(p1, T0),
    queued(v1Newer, T0 + 10),
    queued(p2, T0),
    { c: C, key: 'variant:V2', entity: 'variant', ref: 'V2', outcome: complete('variant', 'V2', T0 - 1000), st: 'complete', u: T0 - 1000, en: 'variant' },
  ];
  const tx = db.transaction(['items', 'leases', 'meta'], 'readwrite');
  for (const row of rows) void tx.objectStore('items').put(row as never);
  // Version 4's lease: a copy of every change handed out, and the keys that got a newer one.
  void tx.objectStore('leases').put({ c: C, id: 'lease-v4', expiresAt: T0 + 60_000, entries: [p1, v1Leased], superseded: ['variant:V1'] } as never);
  void tx.objectStore('meta').put({ c: C, seq: 5, categories: 0, products: 2, variants: 1 });
  await tx.done;
  db.close();
}

describe('IndexedDB schema version 5', () => {
  it('opens a version 4 database: the entity index goes, the lease in flight takes the new shape and still ends right, the rows read as before', async () => {
    const name = uniqueDbName('upgrade-v4-v5');
    try {
      await writeVersion4(name);
      const s = await IndexedDbStorage.open({ name });
      assert.equal(s.version, 5);

      const raw = await openDB<ShopsyncDB>(name);
      assert.deepEqual([...raw.transaction('items').store.indexNames].sort(), ['byOrder', 'byParent', 'byStatus'], 'the entity index is gone');
      assert.deepEqual(await raw.get('leases', [C, 'lease-v4']), { c: C, id: 'lease-v4', expiresAt: T0 + 60_000, keys: ['product:P1', 'variant:V1'], seqs: [1, 2], superseded: [v1Leased] });
      raw.close();

      const refs = async (query: Parameters<IndexedDbStorage['queryItems']>[1]) => (await s.queryItems(C, query)).items.map((i) => i.ref).sort();
      assert.deepEqual(await refs({ status: 'pending', offset: 0, limit: 10 }), ['P1', 'P2', 'V1']);
      assert.deepEqual(await refs({ status: 'complete', offset: 0, limit: 10 }), ['V2']);
      assert.deepEqual(await refs({ entity: 'variant', offset: 0, limit: 10 }), ['V1', 'V2']);

      assert.deepEqual((await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 20 }))?.items.map((e) => e.key), ['product:P2'], 'P1 and V1 are still in flight');
      await s.ack(C, 'lease-v4', { items: [complete('product', 'P1', T0 + 30), complete('variant', 'V1', T0 + 30)], now: T0 + 30 });
      assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 1 }, 'P1 done; V1 waits with its newer change; P2 in flight');
      const reopened = await openDB<ShopsyncDB>(name);
      const p1Row = await reopened.get('items', [C, 'product:P1']);
      reopened.close();
      assert.deepEqual([p1Row?.st, p1Row?.en, p1Row?.ob, p1Row?.pending], ['complete', undefined, undefined, undefined], 'a row written again takes the new shape');
      const again = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 40 });
      assert.deepEqual(
        again?.items.map((e) => [e.key, e.seq, e.change]),
        [['variant:V1', 5, v1Newer.change]],
        'the newer change of V1, once',
      );
      await s.close();
    } finally {
      await dropDb(name);
    }
  });

  it('an expired version 4 lease returns its items, meeting the newer change', async () => {
    const name = uniqueDbName('upgrade-v4-v5-expired');
    try {
      await writeVersion4(name);
      const s = await IndexedDbStorage.open({ name });
      const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 60_001 });
      assert.deepEqual(
        lease?.items.map((e) => [e.key, e.seq]),
        [
          ['product:P1', 1],
          ['variant:V1', 2],
          ['product:P2', 3],
        ],
        'P1 with V1 (its newer change, at the older place), then P2',
      );
      assert.deepEqual(lease?.items[1]?.change, v1Newer.change, 'the newer change wins');
      assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 2, variants: 1 });
      await s.close();
    } finally {
      await dropDb(name);
    }
  });
});
