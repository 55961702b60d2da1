/**
 * The lease's reads on SQLite (src/lease.ts, schema version 4): the `vp` column follows an item's
 * pending change through every write, and each read is an index search, never a scan or a sort.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Sqlite from 'better-sqlite3';
import { type Change, type ItemStatus } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { SqliteStorage } from '@shopsync/sqlite';
import { prepareLeaseReads } from '../src/lease.js';
import { tempDir } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);
const variant = (ref: string, parentRef: string): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '10.00' } });
const done = (entity: ItemStatus['entity'], ref: string, op: ItemStatus['op'] = 'upsert'): ItemStatus => ({
  v: SCHEMA_VERSION,
  entity,
  ref,
  op,
  status: 'complete',
  errors: [],
  updatedAt: new Date(T0).toISOString(),
  consecutiveFailures: 0,
});

describe('SQLite lease reads', () => {
  it('vp holds the product of the pending variant upsert, through coalescing, a delete, a lease in flight and its end', async () => {
    const tmp = tempDir('lease');
    try {
      const path = tmp.file('vp.sqlite');
      const s = SqliteStorage.open({ path });
      const raw = new Sqlite(path, { readonly: true });
      const vp = () => raw.prepare("SELECT vp FROM items WHERE key = 'variant:V1'").pluck().get();
      const put = (change: Change, at: number) => s.enqueue(C, toQueueEntries([change]).entries, at);

      await put(variant('V1', 'P1'), T0);
      assert.equal(vp(), 'P1');
      await put(variant('V1', 'P2'), T0 + 1);
      assert.equal(vp(), 'P2', 'coalesced into another product');
      const lease = (await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 }))!;
      assert.equal(vp(), 'P2', 'in flight, the row keeps its change and its place');
      await put({ entity: 'variant', op: 'delete', ref: 'V1' }, T0 + 3);
      assert.equal(vp(), null, 'a delete replaced the upsert (the lease keeps its copy)');
      await s.release(C, lease.id);
      assert.equal(vp(), null, 'the newer delete wins over the returned upsert');
      await put(variant('V1', 'P3'), T0 + 4);
      assert.equal(vp(), 'P3', 'an upsert replaced the delete');
      const again = (await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 5 }))!;
      assert.deepEqual(again.items.map((e) => e.key), ['variant:V1']);
      await s.ack(C, again.id, { items: [done('variant', 'V1')], now: T0 + 6 });
      assert.equal(vp(), null, 'finished: out of items_parent');
      assert.deepEqual(raw.prepare('SELECT count(*) FROM items WHERE vp IS NOT NULL').pluck().get(), 0);
      raw.close();
      await s.close();
    } finally {
      tmp.cleanup();
    }
  });

  it('each read is a search of its index, in index order (no scan, no sort)', async () => {
    const tmp = tempDir('lease-plan');
    try {
      const path = tmp.file('plan.sqlite');
      // The schema as the adapter makes it, asked through a connection of the test's own.
      await SqliteStorage.open({ path }).close();
      const raw = new Sqlite(path);
      const statements = prepareLeaseReads(raw);
      const args: Record<keyof typeof statements, unknown[]> = {
        bucketStart: [1, 1, 10],
        bucketAfter: [1, 1, 5, 10],
        variantsOf: [1, 'P1'],
        pendingIn: [1, 'category:C1', 0],
      };
      const expected: Record<keyof typeof statements, RegExp> = {
        bucketStart: /^SEARCH items USING INDEX items_order \(connector=\? AND ob=\?\)$/,
        bucketAfter: /^SEARCH items USING INDEX items_order \(connector=\? AND ob=\? AND os>\?\)$/,
        variantsOf: /^SEARCH items USING INDEX items_parent \(connector=\? AND vp=\?\)$/,
        pendingIn: /^SEARCH items USING INDEX items_key \(connector=\? AND key=\?\)$/,
      };
      for (const [name, stmt] of Object.entries(statements) as Array<[keyof typeof statements, (typeof statements)[keyof typeof statements]]>) {
        const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${stmt.source}`).all(...args[name]) as Array<{ detail: string }>).map((r) => r.detail);
        assert.equal(plan.length, 1, `${name}: ${plan.join('; ')}`);
        assert.match(plan[0]!, expected[name], name);
      }
      raw.close();
    } finally {
      tmp.cleanup();
    }
  });
});
