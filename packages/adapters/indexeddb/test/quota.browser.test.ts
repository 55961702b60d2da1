import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { executeServerCommand } from '@web/test-runner-commands';
import { StorageFullError, type Change } from '@shopsync/core';
import { toQueueEntries, seededRandom } from '@shopsync/core/testing';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';

describe('IndexedDB quota', () => {
  it('a write over the quota fails with StorageFullError and writes nothing', async () => {
    const name = uniqueDbName('quota');
    // A real quota, set on this origin through the DevTools protocol (before the database opens).
    await executeServerCommand('storage-quota', { quotaBytes: 2 * 1024 * 1024 });
    const storage = await IndexedDbStorage.open({ name });
    try {
      await storage.enqueue(C, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'small', data: { title: 'fits' } }]).entries, Date.now());
      // Random text: Chromium compresses what it stores, so repetitive data would fit.
      const random = seededRandom(2463534242);
      const noise = (n: number) => {
        let out = '';
        for (let i = 0; i < n; i++) out += String.fromCharCode(33 + Math.floor(random() * 90));
        return out;
      };
      const big: Change[] = Array.from({ length: 40 }, (_, i) => ({
        entity: 'product',
        op: 'upsert',
        ref: `BIG-${i}`,
        data: { title: 'x', description: noise(200_000) },
      }));
      await assert.rejects(storage.enqueue(C, toQueueEntries(big).entries, Date.now()), (err: unknown) => err instanceof StorageFullError && err.backend === 'indexeddb' && /no more storage space/.test(err.message));
      assert.deepEqual(await storage.pendingCounts(C), { categories: 0, products: 1, variants: 0 }, 'nothing of the failed batch');
      assert.equal((await storage.queryItems(C, { offset: 0, limit: 100 })).total, 1);
    } finally {
      await executeServerCommand('storage-quota', { quotaBytes: null });
      await storage.close();
      await dropDb(name);
    }
  });
});
