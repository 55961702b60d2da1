/**
 * An enqueue reads the rows of its batch by key ranges (src/item-rows.ts): whatever the other
 * rows inside those ranges, it finds exactly the rows that exist, so coalescing is as if each
 * key were read alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import type { Change } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { readItemRows } from '../src/item-rows.js';
import type { ShopsyncDB } from '../src/schema.js';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);
const pad = (i: number) => String(i).padStart(3, '0');
const product = (ref: string, title = ref): Change => ({ entity: 'product', op: 'upsert', ref, data: { title } });

describe('IndexedDB: the rows of a batch, read by key ranges', () => {
  it('finds exactly the rows that exist: few keys, neighbours, keys among many other rows (the capped read), other connectors', async () => {
    const name = uniqueDbName('item-rows');
    const s = await IndexedDbStorage.open({ name });
    const db = await openDB<ShopsyncDB>(name);
    try {
      // 200 products K000…K199, variants W000…W009, and the same products under another connector.
      const stored = [...Array.from({ length: 200 }, (_, i) => product(`K${pad(i)}`)), ...Array.from({ length: 10 }, (_, i): Change => ({ entity: 'variant', op: 'upsert', ref: `W${pad(i)}`, parentRef: 'K000', data: { price: '1.00' } }))];
      await s.enqueue(C, toQueueEntries(stored).entries, T0);
      await s.enqueue('other', toQueueEntries(stored.slice(0, 200)).entries, T0);
      const storedKeys = new Set(toQueueEntries(stored).entries.map((e) => e.key));

      const cases: Array<[string, string[]]> = [
        ['fewer keys than a range read is worth', ['product:K005', 'product:nope', 'variant:W001']],
        ['neighbours, some new', Array.from({ length: 30 }, (_, i) => `product:K${pad(150 + i * 2)}`).concat(['product:K2', 'product:K999'])],
        ['one in ten among stored rows: the capped read, then one read a key', Array.from({ length: 20 }, (_, i) => `product:K${pad(i * 10)}`).concat(['product:K0995', 'product:K1995'])],
        ['two entities, a ref with a colon', ['variant:W000', 'variant:W009', 'variant:W:x', 'variant:W005', 'product:K000', 'product:K199', 'product:K:0', 'product:K100', 'category:K000']],
      ];
      for (const [what, keys] of cases) {
        const tx = db.transaction('items');
        const found = await readItemRows(tx.store, C, keys);
        const expected = keys.filter((k) => storedKeys.has(k)).sort();
        assert.deepEqual([...found.keys()].sort(), expected, what);
        for (const [key, row] of found) assert.deepEqual([row.c, row.key], [C, key], `${what}: ${key} is its own row`);
      }
    } finally {
      db.close();
      await s.close();
      await dropDb(name);
    }
  });

  it('a batch whose keys are spread among many stored rows coalesces each one into its row', async () => {
    const name = uniqueDbName('item-rows-coalesce');
    const s = await IndexedDbStorage.open({ name });
    try {
      await s.enqueue(C, toQueueEntries(Array.from({ length: 300 }, (_, i) => product(`K${pad(i)}`))).entries, T0);
      // Every tenth product changes again, with a few new ones: their range holds 300 rows for 34 keys.
      const changed = Array.from({ length: 30 }, (_, i) => product(`K${pad(i * 10)}`, `changed ${i * 10}`));
      const counts = await s.enqueue(C, toQueueEntries([...changed, product('K0001'), product('K1'), product('K2999'), product('K3')]).entries, T0 + 1);
      assert.deepEqual(counts, { categories: 0, products: 304, variants: 0 }, 'the 30 coalesced, the 4 new counted');
      const lease = await s.lease(C, { limit: 400, leaseMs: 60_000, now: T0 + 2 });
      assert.equal(lease?.items.length, 304);
      const byRef = new Map(lease!.items.map((e) => [e.ref, e]));
      for (let i = 0; i < 300; i += 10) {
        const e = byRef.get(`K${pad(i)}`)!;
        assert.equal(e.change.entity === 'product' && e.change.op === 'upsert' && e.change.data.title, `changed ${i}`, `K${pad(i)}: the last upsert wins`);
        assert.equal(e.seq, i + 1, `K${pad(i)} keeps its place`);
      }
    } finally {
      await s.close();
      await dropDb(name);
    }
  });
});
