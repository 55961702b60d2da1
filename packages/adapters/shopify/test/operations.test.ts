/**
 * What a sync sends, operation by operation, read from the simulator's request log: a new
 * product is one productSet carrying its variants, their stock and its collections; a stock-only
 * change is inventorySetQuantities alone; a price-only change is one productVariantsBulkUpdate per
 * product; an unchanged catalog sends no mutation. And categories are counted in the iteration
 * that makes their collection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Change, SyncEngine } from '@shopsync/core';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { category, engineFor, product, startSim, targetFor, variant } from './helpers.js';

/** Root fields of every request since the log was cleared, counted, queries and mutations apart. */
function sent(sim: ShopifySimulator): { queries: Record<string, number>; mutations: Record<string, number> } {
  const out = { queries: {} as Record<string, number>, mutations: {} as Record<string, number> };
  for (const r of sim.requests) {
    const into = r.mutations > 0 ? out.mutations : out.queries;
    for (const f of r.fields) into[f] = (into[f] ?? 0) + 1;
  }
  return out;
}

const CONNECT = { shop: 1, location: 1, metafieldDefinitions: 1, shopLocales: 1 };

function catalog(stock: (p: number, v: number) => number, price: (p: number, v: number) => string): Change[] {
  const out: Change[] = [category('OP-c1', 'Boots', { handle: 'op-boots' }), category('OP-c2', 'Socks', { handle: 'op-socks' })];
  for (let p = 0; p < 3; p++) {
    out.push(product(`OP-${p}`, { options: ['Size'], categoryRefs: p === 2 ? ['OP-c1', 'OP-c2'] : ['OP-c1'] }));
    for (let v = 0; v < 2; v++) out.push(variant(`OP-${p}-${v}`, `OP-${p}`, { optionValues: { Size: `S${v}` }, stock: stock(p, v), price: price(p, v) }));
  }
  return out;
}

describe('what a sync sends, from the request log', () => {
  let sim: ShopifySimulator;
  let engine: SyncEngine;
  before(async () => {
    sim = await startSim();
    engine = engineFor(sim, targetFor(sim), { apiVersion: '2026-07', overwriteStock: true }).engine;
  });
  after(async () => {
    await engine.dispose();
    await sim.close();
  });

  it('a fresh catalog: one productSet per product (variants, stock, collections), a collectionCreate per category, nothing else written', async () => {
    sim.clearLog();
    await engine.enqueue(catalog(() => 5, () => '20.00'));
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.iterations.map((it) => it.synced), [{ categories: 2, products: 3, variants: 6 }]);
    assert.deepEqual(sent(sim), {
      // The connection check; collections and products looked up before they are made (a
      // product by the SKUs of all three in one query: never sent, it needs no look-up by reference).
      queries: { ...CONNECT, collections: 2, productVariants: 1 },
      mutations: { metafieldDefinitionCreate: 1, collectionCreate: 2, productSet: 3 },
    });
    const boots = sim.collection({ handle: 'op-boots' })!;
    assert.equal(boots.productIds.length, 3);
    assert.equal(sim.collection({ handle: 'op-socks' })!.productIds.length, 1);
    assert.equal(sim.stock('OP-2-1'), 5);
    assert.deepEqual(sim.product({ sku: 'OP-2-1' })!.collections.sort(), ['op-boots', 'op-socks']);
  });

  it('a stock-only change of every variant: one inventorySetQuantities, nothing else', async () => {
    sim.clearLog();
    await engine.enqueue(catalog(() => 9, () => '20.00').filter((c) => c.entity === 'variant'));
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(sent(sim), { queries: CONNECT, mutations: { inventorySetQuantities: 1 } });
    assert.equal(sim.stock('OP-0-0'), 9);
    assert.equal(sim.stock('OP-2-1'), 9);
  });

  it('a price-only change: one productVariantsBulkUpdate per product, nothing else', async () => {
    sim.clearLog();
    await engine.enqueue(catalog(() => 9, (p, v) => `${21 + p}.${v}0`).filter((c) => c.entity === 'variant'));
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(sent(sim), { queries: CONNECT, mutations: { productVariantsBulkUpdate: 3 } });
    assert.deepEqual(sim.product({ sku: 'OP-2-0' })!.variants.map((v) => v.price), ['23.00', '23.10']);
  });

  it('a change of categories only: collection membership, no productSet', async () => {
    sim.clearLog();
    await engine.enqueue([product('OP-0', { options: ['Size'], categoryRefs: ['OP-c2'] })]);
    assert.equal((await engine.start()).status, 'completed');
    assert.deepEqual(sent(sim), { queries: CONNECT, mutations: { collectionAddProducts: 1, collectionRemoveProducts: 1 } });
    assert.deepEqual(sim.product({ sku: 'OP-0-0' })!.collections, ['op-socks']);
  });

  it('the unchanged catalog again: no mutation at all', async () => {
    sim.clearLog();
    await engine.enqueue(catalog(() => 9, (p, v) => `${21 + p}.${v}0`).map((c) => (c.entity === 'product' && c.ref === 'OP-0' ? product('OP-0', { options: ['Size'], categoryRefs: ['OP-c2'] }) : c)));
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.iterations.map((it) => it.skipped), [{ categories: 2, products: 3, variants: 6 }]);
    assert.deepEqual(sent(sim), { queries: CONNECT, mutations: {} });
  });
});

describe('categories are counted in the iteration that makes their collection', () => {
  it('batches of 5, empty categories not included: each category goes with its first product; the one no product names is skipped at the end; an unchanged re-sync sends nothing', async () => {
    const sim = await startSim();
    const { engine } = engineFor(sim, targetFor(sim), { includeEmptyCategories: false }, { batchSize: 5 });
    try {
      // Three categories first; their products arrive later in the queue, the third category's never.
      const changes: Change[] = [category('K-a', 'A'), category('K-b', 'B'), category('K-c', 'C')];
      for (let i = 0; i < 10; i++) changes.push(product(`K-${i}`, { categoryRefs: [i < 7 ? 'K-a' : 'K-b'] }));
      await engine.enqueue(changes);
      const e = await engine.start();
      assert.equal(e.status, 'completed');
      // [categories synced, products synced, categories skipped] per iteration: K-a with K-0..K-3,
      // K-b with K-7 (after K-4..K-6), and K-c, which no product names, alone at the end.
      assert.deepEqual(
        e.iterations.map((it) => [it.synced.categories, it.synced.products, it.skipped.categories]),
        [
          [1, 4, 0],
          [1, 4, 0],
          [0, 2, 1],
        ],
      );
      const total = e.iterations.reduce((n, it) => ({ synced: n.synced + it.synced.categories, skipped: n.skipped + it.skipped.categories }), { synced: 0, skipped: 0 });
      assert.deepEqual(total, { synced: 2, skipped: 1 });
      for (const ref of ['K-a', 'K-b']) {
        const [item] = (await engine.queryItems({ ref, entity: 'category' })).items;
        assert.equal(item?.status, 'complete');
        assert.equal(item?.skipped, undefined);
        assert.equal(item?.shopifyId, sim.snapshot().collections.find((c) => c.title === ref.slice(2).toUpperCase())?.id);
      }
      const [c] = (await engine.queryItems({ ref: 'K-c', entity: 'category' })).items;
      assert.equal(c?.skipped, 'empty_category');
      assert.equal(sim.snapshot().collections.length, 2);
      // Each category is counted in the iteration whose push made it: the one whose products joined it.
      for (const it of e.iterations) if (it.synced.categories > 0) assert.ok(it.synced.products > 0, 'a category counted with the products that made it');

      // The same catalog again: nothing changed, nothing is written.
      sim.clearLog();
      await engine.enqueue(changes.filter((x) => x.ref !== 'K-c'));
      const again = await engine.start();
      assert.equal(again.status, 'completed');
      assert.equal(sim.requests.filter((r) => r.mutations > 0).length, 0, 'no mutation');

      // A product that names the empty category later: its collection is made then, and counted.
      await engine.enqueue([product('K-late', { categoryRefs: ['K-c'] })]);
      const late = await engine.start();
      assert.deepEqual(late.iterations.map((it) => it.synced), [{ categories: 1, products: 1, variants: 0 }]);
      const [made] = (await engine.queryItems({ ref: 'K-c', entity: 'category' })).items;
      assert.equal(made?.status, 'complete');
      assert.equal(made?.shopifyId, sim.collection({ id: made!.shopifyId! })?.id);
      assert.deepEqual(sim.product({ sku: 'K-late' })!.collections.length, 1);
    } finally {
      await engine.dispose();
      await sim.close();
    }
  });
});

describe('a change that was not written is sent again', () => {
  it('a stock change whose write failed beyond the retries goes again with the next run, though nothing else of the variant changed', async () => {
    const sim = await startSim();
    const { engine } = engineFor(sim, targetFor(sim, { retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } }), { overwriteStock: true }, { maxFailedIterations: 1 });
    try {
      await engine.enqueue([product('SS-1', { options: ['Size'] }), variant('SS-1-a', 'SS-1', { optionValues: { Size: 'S' }, stock: 5 })]);
      assert.equal((await engine.start()).status, 'completed');
      sim.injectFault('http503', { count: 1_000, field: 'inventorySetQuantities' });
      await engine.enqueue([variant('SS-1-a', 'SS-1', { optionValues: { Size: 'S' }, stock: 2 })]);
      const failed = await engine.start();
      assert.deepEqual(failed.pending, { categories: 0, products: 0, variants: 1 }, 'the variant stays queued');
      assert.equal(sim.stock('SS-1-a'), 5);
      sim.clearFaults();
      sim.clearLog();
      const next = await engine.start();
      assert.equal(next.status, 'completed');
      assert.equal(sim.stock('SS-1-a'), 2);
      assert.deepEqual(sim.requests.filter((r) => r.mutations > 0).flatMap((r) => r.fields), ['inventorySetQuantities']);
    } finally {
      await engine.dispose();
      await sim.close();
    }
  });

  it('a creation applied but unanswered, then the product moved to another category: it leaves the collection its creation joined', async () => {
    const sim = await startSim();
    const { engine } = engineFor(sim, targetFor(sim, { retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } }), {}, { maxFailedIterations: 1 });
    try {
      await engine.enqueue([category('MV-a', 'A', { handle: 'mv-a' }), category('MV-b', 'B', { handle: 'mv-b' }), product('MV-1', { categoryRefs: ['MV-a'] }), product('MV-2', { categoryRefs: ['MV-b'] })]);
      sim.injectFault('http500', { count: 1_000, field: 'productSet', afterExecute: true });
      const lost = await engine.start();
      assert.deepEqual(lost.pending, { categories: 0, products: 2, variants: 0 }, 'the products stay queued, their creation unconfirmed');
      assert.deepEqual(sim.product({ sku: 'MV-1' })!.collections, ['mv-a'], 'the store applied the creation, with its collection');
      sim.clearFaults();
      await engine.enqueue([product('MV-1', { categoryRefs: ['MV-b'] })]);
      assert.equal((await engine.start()).status, 'completed');
      assert.deepEqual(sim.product({ sku: 'MV-1' })!.collections, ['mv-b']);
      assert.equal(sim.snapshot().products.length, 2, 'no twin');
    } finally {
      await engine.dispose();
      await sim.close();
    }
  });
});
