/**
 * The connector registry on IndexedDB beyond the conformance suite: records damaged on disk are
 * refused by name, and claims from two connections to one database (two tabs) never overlap.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDB } from 'idb';
import { StorageCorruptError, type ConnectorClaim } from '@shopsync/core';
import { toQueueEntries, connectorRecord } from '@shopsync/core/testing';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import type { ShopsyncDB } from '../src/schema.js';
import { dropDb, uniqueDbName } from './helpers.js';

const T0 = Date.UTC(2026, 0, 15, 12);
const MIN = 60_000;
const change = (ref: string) => toQueueEntries([{ entity: 'product', op: 'upsert', ref, data: { title: ref } }]).entries;
const ids = (claims: ConnectorClaim[]) => claims.map((c) => c.record.config.id);

/** Rejects with core's StorageCorruptError naming exactly this store (its `table`), key (its `row`) and field. */
async function refused(p: Promise<unknown>, store: string, key: string, field: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StorageCorruptError, `expected a StorageCorruptError, got ${String(err)}`);
    assert.deepEqual([err.backend, err.table, err.row, err.field], ['indexeddb', store, key, field]);
    assert.match(err.message, /damaged record.*changed nothing/);
    return true;
  });
}

describe('IndexedDB connector registry', () => {
  it('a damaged record is refused with a StorageCorruptError naming store, key and field; the claim that met it writes nothing', async () => {
    const name = uniqueDbName('registry-damaged');
    const s = await IndexedDbStorage.open({ name });
    // The "hand" that damages records: another connection to the same database (DevTools, another program).
    const raw = await openDB<ShopsyncDB>(name);
    try {
      for (const id of ['bad', 'good']) {
        await s.createConnector(connectorRecord(id));
        await s.enqueue(id, change('p'), T0);
      }
      const sound = (await raw.get('connectors', 'bad'))!;

      await raw.put('connectors', { ...sound, record: { ...sound.record, config: { ...sound.record.config, shopDomain: 42 } } } as never);
      await refused(s.getConnector('bad'), 'connectors', 'connector "bad"', 'record.config.shopDomain');
      await refused(s.listConnectors({ offset: 0, limit: 10 }), 'connectors', 'connector "bad"', 'record.config.shopDomain');
      await refused(s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 10 }), 'connectors', 'connector "bad"', 'record.config.shopDomain');
      assert.equal(await s.updateConnector(connectorRecord('bad')), true, 'an update replaces a damaged record (its fleet state is sound)');
      assert.equal((await s.getConnector('bad'))?.config.shopDomain, 'bad.myshopify.com');

      await raw.put('connectors', { ...sound, record: connectorRecord('elsewhere') });
      await refused(s.getConnector('bad'), 'connectors', 'connector "bad"', 'record.config.id');

      await raw.put('connectors', { ...sound, fleet: { ...sound.fleet, claimUntil: 'soon' } } as never);
      await refused(s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 10 }), 'connectors', 'connector "bad"', 'fleet.claimUntil');
      await refused(s.fleetView(T0), 'connectors', 'connector "bad"', 'fleet.claimUntil');
      await refused(s.renewConnectorClaim('bad', 'w1', T0, MIN), 'connectors', 'connector "bad"', 'fleet.claimUntil');
      assert.equal((await s.getConnector('bad'))?.config.id, 'bad', 'reading the record does not need its fleet state');

      await raw.put('connectors', { ...sound, fleet: { ...sound.fleet, runRequestedAt: -1 } });
      await refused(s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 10 }), 'connectors', 'connector "bad"', 'fleet.runRequestedAt');
      await refused(s.fleetView(T0), 'connectors', 'connector "bad"', 'fleet.runRequestedAt');
      await refused(s.requestRun('bad', T0), 'connectors', 'connector "bad"', 'fleet.runRequestedAt');

      await raw.put('connectors', sound);
      const meta = (await raw.get('meta', 'bad'))!;
      await raw.put('meta', { ...meta, products: -1 });
      await refused(s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 10 }), 'meta', 'connector "bad"', 'products');
      await raw.put('meta', meta);

      await raw.put('connectors', { ...sound, fleet: { open: 'yes' } } as never);
      assert.equal(await s.deleteConnector('bad'), true, 'a damaged connector can always be removed');
      const claims = await s.claimConnectors({ worker: 'w2', now: T0, leaseMs: MIN, limit: 10 });
      assert.deepEqual(ids(claims), ['good'], 'no refused claim took it before');
      assert.deepEqual(await s.fleetView(T0), [{ connectorId: 'good', state: 'running', worker: 'w2', since: T0 }]);
    } finally {
      raw.close();
      await s.close();
      await dropDb(name);
    }
  });

  it('two connections to one database (two tabs) claiming and renewing at once never both hold a connector', async () => {
    const name = uniqueDbName('registry-tabs');
    const a = await IndexedDbStorage.open({ name });
    const b = await IndexedDbStorage.open({ name });
    try {
      const all = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
      for (const id of all) {
        await a.createConnector(connectorRecord(id));
        await a.enqueue(id, change('p'), T0);
      }
      // Four workers, two per tab, each asking for 4 of 12, all started before any is answered.
      const first = await Promise.all([
        a.claimConnectors({ worker: 'a1', now: T0, leaseMs: MIN, limit: 4 }),
        b.claimConnectors({ worker: 'b1', now: T0, leaseMs: MIN, limit: 4 }),
        a.claimConnectors({ worker: 'a2', now: T0, leaseMs: MIN, limit: 4 }),
        b.claimConnectors({ worker: 'b2', now: T0, leaseMs: MIN, limit: 4 }),
      ]);
      const holder = new Map<string, string>();
      first.forEach((claims, i) => {
        for (const id of ids(claims)) {
          assert.equal(holder.get(id), undefined, `${id} claimed twice`);
          holder.set(id, ['a1', 'b1', 'a2', 'b2'][i]!);
        }
      });
      assert.deepEqual([...holder.keys()].sort(), all, 'every connector claimed, once');

      // The claims expired: each holder renews (tab a) while two new workers claim (tab b), all at once.
      const later = T0 + 2 * MIN;
      const [renewed, c1, c2] = await Promise.all([
        Promise.all(all.map((id) => a.renewConnectorClaim(id, holder.get(id)!, later, MIN))),
        b.claimConnectors({ worker: 'c1', now: later, leaseMs: MIN, limit: 12 }),
        b.claimConnectors({ worker: 'c2', now: later, leaseMs: MIN, limit: 12 }),
      ]);
      const taken = [...ids(c1), ...ids(c2)];
      assert.equal(new Set(taken).size, taken.length, 'no connector claimed by both new workers');
      const view = new Map((await b.fleetView(later)).map((e) => [e.connectorId, e.worker]));
      all.forEach((id, i) => {
        const claimedAgain = taken.includes(id);
        assert.notEqual(renewed[i], claimedAgain, `${id}: renewed by its holder or claimed by a new worker, exactly one`);
        assert.equal(view.get(id), renewed[i] ? holder.get(id) : ids(c1).includes(id) ? 'c1' : 'c2');
      });
    } finally {
      await a.close();
      await b.close();
      await dropDb(name);
    }
  });
});
