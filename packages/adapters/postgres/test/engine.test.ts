/**
 * Core's engine on PostgreSQL: two engines, each on a storage with a pool of its own (as two
 * processes would be), drain one connector's queue at once with core's FakeTarget. Every item is
 * pushed once, by one of them; item errors, events, logs and counts land where the contract says.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { SyncEngine, type Change } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { PG_URL, pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('engine');
const connector = { id: 'shared-store', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };

function catalog(): Change[] {
  const out: Change[] = [{ entity: 'category', op: 'upsert', ref: 'CAT', data: { title: 'Category' } }];
  for (let p = 0; p < 30; p++) {
    out.push({ entity: 'product', op: 'upsert', ref: `P${p}`, data: { title: `Product ${p}`, categoryRefs: ['CAT'] } });
    for (const s of ['S', 'M']) out.push({ entity: 'variant', op: 'upsert', ref: `P${p}-${s}`, parentRef: `P${p}`, data: { price: '10.00' } });
  }
  return out;
}

pgDescribe('SyncEngine on PostgreSQL', () => {
  it('two engines on separate pools drain one queue together: each item pushed once, errors and history recorded', { timeout: 60_000 }, async () => {
    const schema = pg.schema();
    const storages = await Promise.all([0, 1].map(() => PostgresStorage.open({ url: PG_URL, max: 2, schema })));
    const outcomes = (item: { key: string }) => (item.key === 'product:P3' ? { errors: [{ code: 'INVALID', message: 'Title is too long' }] } : ('synced' as const));
    const targets = [new FakeTarget({ latencyMs: 5, outcomes }), new FakeTarget({ latencyMs: 5, outcomes })];
    const engines = storages.map((storage, i) => new SyncEngine({ connector, target: targets[i]!, storage, batchSize: 7, retryBackoff: { baseMs: 0, maxMs: 0 } }));
    try {
      await engines[0]!.enqueue(catalog());
      const events = await Promise.all(engines.map((e) => e.start()));
      assert.deepEqual(events.map((e) => e.status), ['completed', 'completed']);

      const pushed = targets.flatMap((t) => t.pushes.flat().map((item) => item.key)).sort();
      assert.deepEqual(pushed, catalog().map((c) => `${c.entity}:${c.ref}`).sort(), 'every item pushed once, by one engine');
      assert.ok(targets.every((t) => t.pushes.length > 0), 'both engines did part of the work');

      const storage = storages[0]!;
      assert.deepEqual(await storage.pendingCounts(connector.id), { categories: 0, products: 0, variants: 0 });
      assert.deepEqual((await storage.queryItems(connector.id, { status: 'error', offset: 0, limit: 10 })).items.map((i) => i.ref), ['P3']);
      assert.equal((await storage.queryItems(connector.id, { status: 'complete', offset: 0, limit: 1 })).total, catalog().length - 1);
      const listed = await storage.listEvents(connector.id, { offset: 0, limit: 10 });
      assert.deepEqual(listed.items.map((e) => e.id).sort(), events.map((e) => e.id).sort());
      for (const e of events) assert.ok((await storage.readLogs(connector.id, e.id)).length > 0, `logs of ${e.id}`);
    } finally {
      for (const e of engines) await e.dispose();
      for (const s of storages) await s.close();
    }
  });
});
