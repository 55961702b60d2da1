import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { StorageBlockedError, StorageClosedError, StorageVersionError, type Change, type ItemStatus } from '@shopsync/core';
import { toQueueEntries, connectorRecord } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { DB_VERSION, MIGRATIONS, type ShopsyncDB } from '../src/schema.js';
import { dropDb, uniqueDbName } from './helpers.js';

const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);

const variant = (ref: string, parentRef: string): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '10.00' } });
const complete = (entity: Change['entity'], ref: string): ItemStatus => ({
  v: SCHEMA_VERSION,
  entity,
  ref,
  op: 'upsert',
  status: 'complete',
  errors: [],
  updatedAt: new Date(T0).toISOString(),
  consecutiveFailures: 0,
});

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

  it('from version 2: the variants queued before are found by product (version 3), and a product leases with them as one group', async () => {
    const name = uniqueDbName('upgrade-v2-v3');
    try {
      const old = await IndexedDbStorage.open({ name, version: 2 });
      await old.enqueue(
        C,
        toQueueEntries([
          variant('V0', 'P1'),
          variant('W1', 'P2'),
          variant('V1', 'P1'),
          variant('W2', 'P2'),
          { entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } },
          variant('V2', 'P1'),
        ]).entries,
        T0,
      );
      await old.close();
      // V0 in flight, leased as version 2 leased: the lease row holds the change it handed out (version 5 converts it).
      const raw = await openDB<ShopsyncDB>(name, 2);
      const v0 = (await raw.get('items', [C, 'variant:V0']))!.pending!;
      await raw.put('leases', { c: C, id: 'lease-v2', expiresAt: T0 + 60_000, entries: [v0] } as never);
      raw.close();

      const current = await IndexedDbStorage.open({ name });
      assert.equal(current.version, DB_VERSION);
      assert.deepEqual(await current.pendingCounts(C), { categories: 0, products: 1, variants: 5 });
      const lease = await current.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 1 });
      assert.ok(lease);
      assert.deepEqual(
        lease.items.map((e) => e.key),
        ['product:P1', 'variant:V1', 'variant:V2', 'variant:W1', 'variant:W2'],
        'P1 with its variants queued before the upgrade (not V0, in flight), then the variants of P2 (no pending change) together',
      );
      assert.deepEqual(await current.pendingCounts(C), { categories: 0, products: 1, variants: 5 }, 'leasing changes no count');
      await current.ack(C, lease.id, { items: lease.items.map((e) => complete(e.entity, e.ref)), now: T0 + 2 });
      assert.deepEqual(await current.pendingCounts(C), { categories: 0, products: 0, variants: 1 });
      assert.equal(await current.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 3 }), null, 'V0 is still in its version 2 lease');
      await current.ack(C, 'lease-v2', { items: [complete('variant', 'V0')], now: T0 + 4 });
      assert.deepEqual(await current.pendingCounts(C), { categories: 0, products: 0, variants: 0 });
      await current.close();

      const reopened = await openDB<ShopsyncDB>(name);
      assert.deepEqual(await reopened.getAllFromIndex('items', 'byParent', IDBKeyRange.bound([C, ''], [C, '\uffff'])), [], 'finished items leave the index');
      reopened.close();
    } finally {
      await dropDb(name);
    }
  });

  it('version 3 to 4: the registry starts empty, and a connector created over a queue kept from before is claimed for it', async () => {
    const name = uniqueDbName('upgrade-v3-v4');
    try {
      const old = await IndexedDbStorage.open({ name, version: 3 });
      await old.enqueue(C, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }]).entries, T0);
      await old.close();

      const current = await IndexedDbStorage.open({ name, version: 4 });
      assert.deepEqual(await current.listConnectors({ offset: 0, limit: 10 }), { items: [], total: 0 });
      assert.equal(await current.createConnector(connectorRecord(C)), true);
      const claims = await current.claimConnectors({ worker: 'w1', now: T0 + 1, leaseMs: 60_000, limit: 10 });
      assert.deepEqual(claims.map((c) => c.record.config.id), [C], 'its pending count, kept in meta since version 1, says it has work');
      assert.deepEqual(await current.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
      await current.close();
    } finally {
      await dropDb(name);
    }
  });

  it('a database from a newer shopsync is refused with a typed error and left untouched', async () => {
    const name = uniqueDbName('newer');
    try {
      const future = await openDB(name, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') });
      future.close();
      await assert.rejects(
        IndexedDbStorage.open({ name }),
        (err: unknown) => err instanceof StorageVersionError && err.backend === 'indexeddb' && err.found === DB_VERSION + 1 && err.expected === DB_VERSION && /newer version/.test(err.message),
      );
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
      await assert.rejects(IndexedDbStorage.open({ name }), (err: unknown) => err instanceof StorageBlockedError && err.expected === DB_VERSION && /another tab/.test(err.message));
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
      await assert.rejects(mine.pendingCounts(C), (err: unknown) => err instanceof StorageClosedError && err.reason === 'superseded' && /Reload this page/.test(err.message));
      newer.close();
    } finally {
      await dropDb(name);
    }
  });
});
