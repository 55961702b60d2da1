import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, type Change, type ConfigSnapshot, type ItemStatus, type PushResult, type SyncEngine, type TargetIdStore, type TargetItem } from '@shopsync/core';
import { itemKey, systemClock } from '@shopsync/core/internal';
import type { ShopifyTarget } from '@shopsync/shopify';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { engineFor, product, startSim, targetFor, variant } from './helpers.js';

/**
 * core's id store for one connector, in memory. `crashBeforeLastWrite` runs a push and loses its
 * last write: the push's state saved at its end, as when the process is killed after the store
 * applied its requests but before the target saved what it learned (the engine's ack is lost too,
 * so its items come back later: a replay).
 */
class IdStore implements TargetIdStore {
  readonly values = new Map<string, string>();
  #held: Array<ReadonlyArray<{ key: string; id: string | null }>> | undefined;

  async get(keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const k of keys) if (this.values.has(k)) out.set(k, this.values.get(k)!);
    return out;
  }

  async set(entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    if (this.#held) this.#held.push(entries);
    else this.#apply(entries);
  }

  async crashBeforeLastWrite(push: () => Promise<unknown>): Promise<void> {
    const held: Array<ReadonlyArray<{ key: string; id: string | null }>> = [];
    this.#held = held;
    try {
      await push();
    } finally {
      this.#held = undefined;
      for (const w of held.slice(0, -1)) this.#apply(w);
    }
  }

  #apply(entries: ReadonlyArray<{ key: string; id: string | null }>): void {
    for (const { key, id } of entries) {
      if (id === null) this.values.delete(key);
      else this.values.set(key, id);
    }
  }
}

const item = (change: Change): TargetItem => ({ key: itemKey(change.entity, change.ref), entity: change.entity, ref: change.ref, op: change.op, change, force: false });

function synced(result: PushResult): void {
  assert.deepEqual(result.generalErrors, []);
  assert.deepEqual(
    result.outcomes.filter((o) => o.status !== 'synced'),
    [],
    'every item synced',
  );
}

const byRef = async (engine: SyncEngine, ref: string): Promise<ItemStatus> => {
  const found = (await engine.queryItems({ ref })).items.find((i) => i.ref === ref);
  assert.ok(found, `item ${ref}`);
  return found;
};

describe('any order, any replay: the store ends with the host’s catalog', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    await sim.close();
  });

  function pusher(target: ShopifyTarget, ids: TargetIdStore): (changes: Change[]) => Promise<PushResult> {
    const config: ConfigSnapshot = {
      shopDomain: sim.shopDomain,
      apiVersion: { requested: '2025-01', status: 'supported', endsSoon: false },
      disableDeletions: false,
      overwriteStock: false,
      includeEmptyCategories: false,
      language: 'en',
    };
    return (changes) => target.push(changes.map(item), { connectorId: 'replay', config, ids, signal: new AbortController().signal, log: () => undefined });
  }

  const variantsOf = (sku: string) => sim.product({ sku })!.variants.map((v) => [v.sku, v.id]);

  it('a product sent again after a variant was attached keeps it, though the state of that push was lost', async () => {
    const ids = new IdStore();
    const push = pusher(targetFor(sim), ids);
    const p = product('RA-1', { options: ['Size'] });
    const s = variant('RA-1-s', 'RA-1', { optionValues: { Size: 'S' }, stock: 2 });
    const m = variant('RA-1-m', 'RA-1', { optionValues: { Size: 'M' }, stock: 3 });
    synced(await push([p, s]));
    // The store attaches M; the process dies before the push saves its state.
    await ids.crashBeforeLastWrite(() => push([m]));
    const attached = variantsOf('RA-1-s');
    assert.deepEqual(attached.map(([sku]) => sku), ['RA-1-s', 'RA-1-m']);

    // The product's upsert comes again (its lease expired): it must not take M away.
    synced(await push([p]));
    assert.deepEqual(variantsOf('RA-1-s'), attached, 'the same variants, none deleted or made anew');
    // Then M's own replay: it is the host's again, in place.
    synced(await push([m]));
    assert.deepEqual(variantsOf('RA-1-s'), attached);
    assert.equal(sim.stock('RA-1-m'), 3);
    const state = JSON.parse(ids.values.get('shopify:product:RA-1')!) as { variants: string[]; foreign: unknown[]; unconfirmed?: boolean };
    assert.deepEqual([state.variants, state.foreign, state.unconfirmed], [['RA-1-s', 'RA-1-m'], [], undefined], 'the state is whole again');
  });

  it('a simple product sent again after variants replaced its default one, in a push whose state was lost', async () => {
    const ids = new IdStore();
    const push = pusher(targetFor(sim), ids);
    synced(await push([product('RB-1')]));
    assert.deepEqual(variantsOf('RB-1').map(([sku]) => sku), ['RB-1']);
    await ids.crashBeforeLastWrite(() => push([variant('RB-1-a', 'RB-1', { title: 'a' }), variant('RB-1-b', 'RB-1', { title: 'b' })]));
    const attached = variantsOf('RB-1-a');
    assert.deepEqual(attached.map(([sku]) => sku), ['RB-1-a', 'RB-1-b']);

    // The state still names the default variant, which the store no longer has.
    synced(await push([product('RB-1', { title: 'Renamed' })]));
    assert.equal(sim.product({ sku: 'RB-1-a' })!.title, 'Renamed');
    assert.deepEqual(variantsOf('RB-1-a'), attached);
    synced(await push([variant('RB-1-a', 'RB-1', { title: 'a' }), variant('RB-1-b', 'RB-1', { title: 'b', price: '11.00' })]));
    assert.deepEqual(variantsOf('RB-1-a'), attached);
    assert.equal(sim.product({ sku: 'RB-1-b' })!.variants[1]!.price, '11.00');
  });

  it('a product whose creation was applied but not saved is found, and its variants are attached to it', async () => {
    const ids = new IdStore();
    const push = pusher(targetFor(sim), ids);
    await ids.crashBeforeLastWrite(() => push([product('RC-1', { options: ['Size'] })]));
    synced(await push([variant('RC-1-s', 'RC-1', { optionValues: { Size: 'S' } })]));
    synced(await push([product('RC-1', { options: ['Size'] })]));
    assert.deepEqual(variantsOf('RC-1-s').map(([sku]) => sku), ['RC-1-s']);
    assert.equal(sim.snapshot().products.filter((x) => x.handle.startsWith('product-rc-1')).length, 1, 'no twin');
  });

  it('variants that arrive before their product wait for it, queued, and end on it', async () => {
    const { engine } = engineFor(sim, targetFor(sim));
    // The product is held elsewhere (by a process that died with its lease): its variants go first.
    await engine.enqueue([variant('RD-1-s', 'RD-1', { optionValues: { Size: 'S' }, stock: 4 }), variant('RD-1-m', 'RD-1', { optionValues: { Size: 'M' }, stock: 5 })]);
    await engine.start();
    for (const ref of ['RD-1-s', 'RD-1-m']) assert.equal((await byRef(engine, ref)).status, 'pending', `${ref} waits, not failed`);
    assert.equal(sim.product({ sku: 'RD-1-s' }), undefined);

    await engine.enqueue([product('RD-1', { options: ['Size'] })]);
    const later = await engine.start();
    assert.equal(later.status, 'completed');
    for (const ref of ['RD-1', 'RD-1-s', 'RD-1-m']) assert.equal((await byRef(engine, ref)).status, 'complete');
    assert.deepEqual(variantsOf('RD-1-s').map(([sku]) => sku), ['RD-1-s', 'RD-1-m']);
    assert.equal(sim.stock('RD-1-s'), 4);
    assert.equal(sim.stock('RD-1-m'), 5);
  });

  it('a product leased by a runner that died: its variants go on, wait for it, and all end complete', async () => {
    let now = Date.now();
    const clock = { now: () => now, setTimer: systemClock.setTimer };
    const storage = new MemoryStorage();
    const { engine } = engineFor(sim, targetFor(sim), {}, { storage, clock, batchSize: 5, leaseMs: 5_000 });
    await engine.enqueue([product('RF-1', { options: ['Size'] }), variant('RF-1-s', 'RF-1', { optionValues: { Size: 'S' }, stock: 1 }), variant('RF-1-m', 'RF-1', { optionValues: { Size: 'M' }, stock: 2 })]);
    const dead = await storage.lease('store', { limit: 1, leaseMs: 5_000, now });
    assert.deepEqual(dead!.items.map((i) => i.ref), ['RF-1']);
    // (Had they failed, the run would wait for the leased product: the signal ends it.)
    await engine.start({ signal: AbortSignal.timeout(5_000) });
    assert.deepEqual(await storage.pendingCounts('store'), { categories: 0, products: 1, variants: 2 }, 'nothing failed: all still queued');
    assert.equal(sim.product({ sku: 'RF-1-s' }), undefined);

    now += 6_000; // the dead runner's lease expires: the product comes back
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    for (const ref of ['RF-1', 'RF-1-s', 'RF-1-m']) assert.equal((await byRef(engine, ref)).status, 'complete');
    assert.deepEqual(variantsOf('RF-1-s').map(([sku]) => sku), ['RF-1-s', 'RF-1-m']);
    assert.equal(sim.stock('RF-1-m'), 2);
  });

  it('they wait only so long, and not at all for a product the store refused', async () => {
    let offset = 0;
    const clock = { now: () => Date.now() + offset, setTimer: systemClock.setTimer };
    const { engine } = engineFor(sim, targetFor(sim, { clock, productWaitMs: 60_000 }));
    await engine.enqueue([variant('RE-1-a', 'RE-nowhere')]);
    await engine.start();
    assert.equal((await byRef(engine, 'RE-1-a')).status, 'pending');
    offset = 61_000;
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    const orphan = await byRef(engine, 'RE-1-a');
    assert.equal(orphan.status, 'error');
    assert.equal(orphan.errors[0]!.code, 'PRODUCT_NOT_FOUND');

    await engine.enqueue([product('RE-2', { title: '' })]);
    await engine.start();
    assert.equal((await byRef(engine, 'RE-2')).status, 'error');
    await engine.enqueue([variant('RE-2-a', 'RE-2')]);
    await engine.start();
    const refused = await byRef(engine, 'RE-2-a');
    assert.equal(refused.status, 'error', 'failed at once');
    assert.equal(refused.errors[0]!.code, 'PRODUCT_NOT_FOUND');
    assert.match(refused.errors[0]!.message, /refused/);
    // Once the host fixes the product, both go.
    await engine.enqueue([product('RE-2', { title: 'Fixed' })]);
    await engine.retryFailed();
    const fixed = await engine.start();
    assert.equal(fixed.status, 'completed');
    assert.equal((await byRef(engine, 'RE-2-a')).status, 'complete');
    assert.deepEqual(variantsOf('RE-2-a').map(([sku]) => sku), ['RE-2-a']);
  });
});
