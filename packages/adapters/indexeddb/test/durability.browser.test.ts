import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SyncEngine, type Change } from '@shopsync/core';
import { toQueueEntries, FakeTarget } from '@shopsync/core/testing';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);
const connector = { id: C, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const products = (n: number): Change[] => Array.from({ length: n }, (_, i) => ({ entity: 'product', op: 'upsert', ref: `P${i}`, data: { title: `Product ${i}` } }));

describe('IndexedDB durability', () => {
  it('a database closed mid-sync (a reload) reopens and finishes: nothing lost, leased items back after expiry, counts exact', async () => {
    const name = uniqueDbName('durability');
    try {
      let s = await IndexedDbStorage.open({ name });
      await s.enqueue(C, toQueueEntries(products(30)).entries, T0);
      const first = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
      assert.ok(first);
      await s.ack(C, first.id, {
        items: first.items.map((e) => ({ v: 1, entity: e.entity, ref: e.ref, op: 'upsert', status: 'complete', errors: [], updatedAt: new Date(T0).toISOString(), consecutiveFailures: 0 })),
        now: T0 + 1,
      });
      const inFlight = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 });
      assert.ok(inFlight);
      await s.close();

      // "Reload": a new connection, as a new page would open.
      s = await IndexedDbStorage.open({ name });
      assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 20, variants: 0 });
      const beforeExpiry = await s.lease(C, { limit: 100, leaseMs: 60_000, now: T0 + 3 });
      assert.ok(beforeExpiry);
      assert.equal(beforeExpiry.items.length, 10, 'the 10 never leased');
      await s.release(C, beforeExpiry.id);
      const afterExpiry = await s.lease(C, { limit: 100, leaseMs: 60_000, now: T0 + 2 + 60_000 });
      assert.ok(afterExpiry);
      assert.deepEqual(
        afterExpiry.items.map((e) => e.ref),
        Array.from({ length: 20 }, (_, i) => `P${i + 10}`),
        'the expired lease’s items came back, in their place',
      );
      await s.close();
    } finally {
      await dropDb(name);
    }
  });

  it('the core engine drains a queue in the browser on this adapter, and its history survives a reopen', async () => {
    const name = uniqueDbName('engine');
    try {
      const storage = await IndexedDbStorage.open({ name });
      const target = new FakeTarget({ outcomes: { 'product:P3': { errors: [{ code: 'INVALID', message: 'Title is invalid' }] } } });
      const engine = new SyncEngine({ connector, target, storage, batchSize: 4 });
      await engine.enqueue([{ entity: 'category', op: 'upsert', ref: 'C1', data: { title: 'Shoes' } }, ...products(9)]);
      const event = await engine.start();
      assert.equal(event.status, 'completed');
      assert.equal(event.iterations.length, 3);
      assert.deepEqual(event.pending, { categories: 0, products: 0, variants: 0 });
      await engine.dispose();
      await storage.close();

      const reopened = await IndexedDbStorage.open({ name });
      assert.equal((await reopened.getEvent(C, event.id))?.status, 'completed');
      assert.equal((await reopened.queryItems(C, { status: 'error', offset: 0, limit: 10 })).items[0]?.ref, 'P3');
      assert.ok((await reopened.readLogs(C, event.id)).some((l) => l.ref === 'P3'));
      assert.equal((await reopened.getTargetIds(C, ['product:P0'])).size, 1);
      await reopened.close();
    } finally {
      await dropDb(name);
    }
  });

  it('an engine over a reopened database resumes the event a closed page left In Progress', async () => {
    const name = uniqueDbName('resume');
    try {
      const storage = await IndexedDbStorage.open({ name });
      const target = new FakeTarget();
      const engine = new SyncEngine({ connector, target, storage, batchSize: 5, leaseMs: 1_000 });
      await engine.enqueue(products(15));
      let stopPage!: () => void;
      const pageGone = new Promise<void>((r) => (stopPage = r));
      target.onPush = async (_items, n) => {
        if (n === 2) {
          // The page goes away in the middle of the second iteration: nothing more of it runs.
          stopPage();
          await new Promise(() => undefined);
        }
      };
      void engine.start();
      await pageGone;
      await storage.close();

      const storage2 = await IndexedDbStorage.open({ name });
      const target2 = new FakeTarget();
      const engine2 = new SyncEngine({ connector, target: target2, storage: storage2, batchSize: 5, leaseMs: 1_000 });
      const before = await engine2.latestEvent();
      assert.equal(before?.status, 'in_progress');
      await new Promise((r) => setTimeout(r, 1_100)); // the dead page's lease expires
      const resumed = await engine2.start();
      assert.equal(resumed.id, before?.id, 'the same event, resumed');
      assert.equal(resumed.status, 'completed');
      assert.equal(resumed.iterations.reduce((n, it) => n + it.synced.products, 0), 15, 'every product counted once');
      assert.equal(new Set(target2.pushedItems.map((i) => i.key)).size, 10);
      await engine2.dispose();
      await storage2.close();
    } finally {
      await dropDb(name);
    }
  });
});
