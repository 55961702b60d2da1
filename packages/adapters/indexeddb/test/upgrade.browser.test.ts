import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { toQueueEntries } from '@shopsync/core';
import { DB_VERSION, IndexedDbStorage, StorageBlockedError, StorageVersionChangedError, StorageVersionError } from '@shopsync/indexeddb';
import { MIGRATIONS, type ShopsyncDB } from '../src/schema.js';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);

describe('IndexedDB schema versions', () => {
  it('upgrades a database from every earlier version, keeping its data', async () => {
    for (let from = 1; from < DB_VERSION; from++) {
      const name = uniqueDbName(`upgrade-v${from}`);
      try {
        const old = await IndexedDbStorage.open({ name, version: from });
        assert.equal(old.version, from);
        await old.enqueue(C, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }]).entries, T0);
        await old.setTargetIds(C, [{ key: 'product:P1', id: 'gid://shopify/Product/1' }]);
        await old.close();

        const current = await IndexedDbStorage.open({ name });
        assert.equal(current.version, DB_VERSION);
        assert.deepEqual(await current.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
        assert.equal((await current.getTargetIds(C, ['product:P1'])).get('product:P1'), 'gid://shopify/Product/1');
        const pending = await current.queryItems(C, { status: 'pending', offset: 0, limit: 10 });
        assert.deepEqual(pending.items.map((i) => i.ref), ['P1'], 'the filter indexes cover rows written before they existed');
        await current.close();
      } finally {
        await dropDb(name);
      }
    }
  });

  it('a database from a newer shopsync is refused with a typed error and left untouched', async () => {
    const name = uniqueDbName('newer');
    try {
      const future = await openDB(name, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') });
      future.close();
      await assert.rejects(IndexedDbStorage.open({ name }), (err: unknown) => err instanceof StorageVersionError && /newer version/.test(err.message));
      const again = await openDB(name);
      assert.equal(again.version, DB_VERSION + 1);
      assert.ok(again.objectStoreNames.contains('future'));
      again.close();
    } finally {
      await dropDb(name);
    }
  });

  it('an upgrade blocked by another tab holding an older version is a typed error', async () => {
    const name = uniqueDbName('blocked');
    // "Another tab": an older build's connection at version 1, which ignores version-change requests.
    const other = await openDB<ShopsyncDB>(name, 1, { upgrade: (db, _old, _new, tx) => MIGRATIONS[0]!(db, tx) });
    try {
      await assert.rejects(IndexedDbStorage.open({ name }), (err: unknown) => err instanceof StorageBlockedError && /another tab/.test(err.message));
    } finally {
      other.close();
      // The blocked open completes once the other tab lets go, and closes itself at once.
      await new Promise((r) => setTimeout(r, 100));
      await dropDb(name);
    }
  });

  it('when another tab upgrades, this connection steps aside and says so', async () => {
    const name = uniqueDbName('versionchange');
    try {
      const mine = await IndexedDbStorage.open({ name });
      const newer = await openDB(name, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') });
      await assert.rejects(mine.pendingCounts(C), (err: unknown) => err instanceof StorageVersionChangedError && /Reload this page/.test(err.message));
      newer.close();
    } finally {
      await dropDb(name);
    }
  });
});
