/**
 * A lease reads the first page of a bucket cut to about what the connector's last lease looked
 * at (src/lease-reads.ts). Whether its plan stops inside that page or goes past it, a lease
 * takes what whole pages give, as core's plan on MemoryStorage takes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, type Change, type StorageAdapter } from '@shopsync/core';
import { seededRandom, toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);
const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: ref } });
const variant = (ref: string, parentRef: string): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '1.00' } });

/** Leases with each limit in turn, acknowledging each lease; the keys of each. */
async function drain(s: StorageAdapter, limits: readonly number[]): Promise<string[][]> {
  const leases: string[][] = [];
  for (const [i, limit] of limits.entries()) {
    const now = T0 + 10 + i;
    const lease = await s.lease(C, { limit, leaseMs: 60_000, now });
    if (!lease) break;
    leases.push(lease.items.map((e) => e.key));
    const items = lease.items.map((e) => ({ v: SCHEMA_VERSION, entity: e.entity, ref: e.ref, op: e.change.op, status: 'complete' as const, errors: [], updatedAt: new Date(now).toISOString(), consecutiveFailures: 0 }));
    await s.ack(C, lease.id, { items, now });
  }
  return leases;
}

/** The same changes and leases on IndexedDB and on core's MemoryStorage. */
async function bothDrain(changes: Change[], limits: readonly number[]): Promise<{ idb: string[][]; memory: string[][] }> {
  const name = uniqueDbName('lease-reads');
  const s = await IndexedDbStorage.open({ name });
  const memory = new MemoryStorage();
  try {
    for (const storage of [s, memory]) await storage.enqueue(C, toQueueEntries(changes).entries, T0);
    return { idb: await drain(s, limits), memory: await drain(memory, limits) };
  } finally {
    await s.close();
    await dropDb(name);
  }
}

describe('IndexedDB: lease pages cut to what the last lease looked at', () => {
  it('a plan that goes past a page cut short runs again on whole pages: the lease is the same', async () => {
    // The first lease looks at one product; the second has room for 40 products without variants, then variants of a product not queued.
    const changes = [product('P0'), variant('V0a', 'P0'), variant('V0b', 'P0'), ...Array.from({ length: 40 }, (_, i) => product(`Q${i}`)), variant('W1', 'X'), variant('W2', 'X')];
    const { idb, memory } = await bothDrain(changes, [3, 100, 100]);
    assert.deepEqual(idb, memory);
    assert.deepEqual(idb[1], [...Array.from({ length: 40 }, (_, i) => `product:Q${i}`), 'variant:W1', 'variant:W2']);
  });

  it('a plan that stops inside a page cut short keeps its answer', async () => {
    const changes = Array.from({ length: 30 }, (_, i) => [product(`P${i}`), variant(`V${i}a`, `P${i}`), variant(`V${i}b`, `P${i}`)]).flat();
    const { idb, memory } = await bothDrain(changes, [30, 30, 9, 31, 100]);
    assert.deepEqual(idb, memory);
    assert.deepEqual(idb.map((l) => l.length), [30, 30, 9, 21]);
  });

  it('leases of any size after any other, over groups of any size, take what whole pages give', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const random = seededRandom(seed);
      const pick = (n: number) => Math.floor(random() * n);
      // Products with 0 to 8 variants (a quarter of them not queued themselves), categories they name, deletions.
      const changes: Change[] = [];
      for (let i = 0; i < 80; i++) {
        const categoryRefs = pick(5) === 0 ? [`C${pick(4)}`] : [];
        if (pick(4) !== 0) changes.push({ entity: 'product', op: 'upsert', ref: `P${i}`, data: { title: `P${i}`, categoryRefs } });
        for (let v = pick(9); v > 0; v--) changes.push(variant(`V${i}-${v}`, `P${i}`));
        if (pick(8) === 0) changes.push({ entity: 'category', op: 'upsert', ref: `C${pick(4)}`, data: { title: 'C' } });
        if (pick(10) === 0) changes.push({ entity: 'product', op: 'delete', ref: `D${i}` });
      }
      const limits = Array.from({ length: 60 }, () => 1 + pick(pick(3) === 0 ? 120 : 30));
      const { idb, memory } = await bothDrain(changes, limits);
      assert.deepEqual(idb, memory, `seed ${seed}`);
      assert.equal(idb.flat().length, new Set(toQueueEntries(changes).entries.map((e) => e.key)).size, `seed ${seed}: every item leased once`);
    }
  });
});
