/**
 * The fleet on PostgreSQL: claims from several storages (each its own pool, as separate
 * processes would have) never hand one connector to two workers at once, and two FleetRunners
 * on one schema drive a set of stores to the end, each store by one runner at a time.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorRegistry, FleetRunner, type Change, type SlotEnded } from '@shopsync/core';
import { toQueueEntries, FakeTarget, connectorRecord } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { PG_URL, pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('fleet');
const products = (n: number, prefix: string): Change[] => Array.from({ length: n }, (_, i) => ({ entity: 'product', op: 'upsert', ref: `${prefix}-${i + 1}`, data: { title: `${prefix} ${i + 1}` } }));

pgDescribe('the fleet on PostgreSQL', () => {
  it('four storages claiming at once, with renewals and releases between: a connector is never held by two live claims', { timeout: 60_000 }, async () => {
    const schema = pg.schema();
    const storages = await Promise.all(Array.from({ length: 4 }, () => PostgresStorage.open({ url: PG_URL, schema, max: 2 })));
    try {
      const s0 = storages[0]!;
      for (let i = 0; i < 40; i++) {
        const id = `store-${String(i).padStart(2, '0')}`;
        await s0.createConnector(connectorRecord(id));
        await s0.enqueue(id, toQueueEntries(products(1, id)).entries, 0);
      }
      const T0 = Date.now();
      /** Live claims: connector -> [worker, until]. */
      const live = new Map<string, [string, number]>();
      let doubles = 0;
      let claimed = 0;
      for (let round = 0; round < 15; round++) {
        const now = T0 + round * 1_000;
        const got = await Promise.all(storages.map((s, w) => s.claimConnectors({ worker: `w${w}`, now, leaseMs: 2_500, limit: 4 }).then((cs) => cs.map((c) => [`w${w}`, c] as const))));
        for (const [worker, c] of got.flat()) {
          const held = live.get(c.record.config.id);
          if (held && held[1] > now && held[0] !== worker) doubles++;
          live.set(c.record.config.id, [worker, c.claimUntil]);
          claimed++;
        }
        // Each worker renews half of what it holds and releases the rest (some with the run still open).
        await Promise.all(
          [...live].map(async ([id, [worker, until]], i) => {
            if (until <= now) return;
            const s = storages[Number(worker.slice(1))]!;
            if (i % 2 === 0) {
              if (await s.renewConnectorClaim(id, worker, now, 2_500)) live.set(id, [worker, now + 2_500]);
            } else {
              await s.releaseConnector(id, worker, { now, open: i % 4 === 1 });
              live.delete(id);
            }
          }),
        );
      }
      assert.equal(doubles, 0);
      assert.ok(claimed > 40, `claims happened (${claimed})`);
    } finally {
      for (const s of storages) await s.close();
    }
  });

  it('two runners on one schema drive 20 stores to the end, each store by one runner at a time, its work in one event', { timeout: 120_000 }, async () => {
    const schema = pg.schema();
    const a = await PostgresStorage.open({ url: PG_URL, schema, max: 4 });
    const b = await PostgresStorage.open({ url: PG_URL, schema, max: 4 });
    const registry = new ConnectorRegistry(a);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `shop-${String(i).padStart(2, '0')}`;
      ids.push(id);
      await registry.create({ config: { id, shopDomain: `${id}.myshopify.com`, apiVersion: '2026-01' } });
      await a.enqueue(id, toQueueEntries(products(i === 0 ? 60 : 3, id)).entries, Date.now());
    }
    // The big store's 30 iterations take at least 1.5 s of pushes alone: more than its 1 s slice, however fast the machine.
    const target = new FakeTarget({ latencyMs: 50 });
    const holders = new Map<string, string>();
    let overlaps = 0;
    const ended: SlotEnded[] = [];
    const runners = [a, b].map((storage, i) => new FleetRunner({ storage, worker: `runner-${i}`, targetFor: () => target, concurrency: 3, sliceMs: 1_000, claimMs: 5_000, pollMs: 50, engine: { batchSize: 2 } }));
    for (const r of runners) {
      r.on('claimed', (e) => {
        if (holders.has(e.connectorId)) overlaps++;
        holders.set(e.connectorId, e.worker);
      });
      r.on('released', (e) => {
        holders.delete(e.connectorId);
        ended.push(e);
      });
      r.start();
    }
    try {
      const deadline = Date.now() + 90_000;
      while (!ids.every((id) => ended.some((e) => e.connectorId === id && e.outcome === 'completed')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await Promise.all(runners.map((r) => r.stop()));
    }
    assert.equal(overlaps, 0);
    assert.deepEqual(ids.filter((id) => !ended.some((e) => e.connectorId === id && e.outcome === 'completed')), [], 'every store completed');
    assert.ok(ended.some((e) => e.connectorId === 'shop-00' && e.outcome === 'yielded'), 'the big store yielded its slot at least once');
    assert.equal(new Set(ended.map((e) => e.worker)).size, 2, 'both runners worked');
    for (const id of ids) {
      const events = await a.listEvents(id, { offset: 0, limit: 5 });
      assert.equal(events.total, 1, `${id}: one event`);
      assert.deepEqual(await a.pendingCounts(id), { categories: 0, products: 0, variants: 0 });
    }
    assert.equal(target.store.size, 60 + 19 * 3);
    assert.deepEqual(await a.fleetView(Date.now()), [], 'nothing running or waiting');
    await a.close();
    await b.close();
  });
});
