/**
 * Variants per product at the version's limit: from API 2025-10 a product has up to 2,048 and
 * productSet takes them all in one operation (its `variants` are not bound by the 250-item input
 * array rule); the ids the answer cannot hold within the cost limit are read page by page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, type Change, type ItemStatus, type SyncEngine } from '@shopsync/core';
import { MAX_INPUT_ARRAY, MAX_QUERY_COST } from '@shopsync/shopify/internal';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { engineFor, product, startSim, targetFor, variant } from './helpers.js';

const NEW = '2026-07';
const family = (ref: string, n: number, data: (i: number) => Record<string, unknown> = () => ({})): Change[] => [
  product(ref, { options: ['Size'] }),
  ...Array.from({ length: n }, (_, i) => variant(`${ref}-${i}`, ref, { optionValues: { Size: `S${i}` }, price: `${(i % 90) + 10}.00`, stock: i % 7, ...data(i) })),
];

/** Every item matching the query (queryItems pages by 1,000 at most). */
async function allItems(engine: SyncEngine, query: { ref: string; status?: 'error' }): Promise<ItemStatus[]> {
  const out: ItemStatus[] = [];
  for (;;) {
    const page = await engine.queryItems({ ...query, limit: 1_000, offset: out.length });
    out.push(...page.items);
    if (page.items.length === 0 || out.length >= page.total) return out;
  }
}

async function failures(engine: SyncEngine, ref: string): Promise<Map<string, string | undefined>> {
  return new Map((await allItems(engine, { ref, status: 'error' })).map((i) => [i.ref, i.errors[0]?.code]));
}

describe('variants per product at the version’s limit', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ plan: 'plus', recordQueries: true });
  });
  after(async () => {
    await sim.close();
  });

  it('2,048 variants (API 2025-10 on): one productSet, every request within the cost limit, every id mapped', async () => {
    const { engine } = engineFor(sim, targetFor(sim), { apiVersion: NEW, overwriteStock: true }, { batchSize: 5_000 });
    sim.clearLog();
    await engine.enqueue(family('BIG', 2_048));
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.deepEqual(event.generalErrors, []);
    assert.equal((await failures(engine, 'BIG')).size, 0, 'no item failed');

    const sets = sim.requests.filter((r) => r.fields.includes('productSet'));
    assert.equal(sets.length, 1, 'one productSet');
    assert.deepEqual(sets[0]!.fields, ['productSet']);
    assert.ok(sim.requests.every((r) => (r.requestedCost ?? 0) <= MAX_QUERY_COST), `no request over ${MAX_QUERY_COST}: ${Math.max(...sim.requests.map((r) => r.requestedCost ?? 0))}`);
    assert.ok(!sim.requests.some((r) => r.errorCodes.length > 0), `no errors: ${sim.requests.flatMap((r) => r.errorCodes)}`);
    // The answer holds the first 250 ids; the other 1,798 are read in pages of at most 250.
    const pages = sim.requests.filter((r) => r.query?.includes('after:'));
    assert.ok(pages.length >= Math.ceil((2_048 - MAX_INPUT_ARRAY) / MAX_INPUT_ARRAY), `pages read: ${pages.length}`);

    const stored = sim.product({ sku: 'BIG-0' })!;
    assert.equal(stored.variants.length, 2_048);
    const bySku = new Map(stored.variants.map((v) => [v.sku, v]));
    const items = (await allItems(engine, { ref: 'BIG-' })).filter((i) => i.entity === 'variant');
    assert.equal(items.length, 2_048);
    for (const i of items) {
      assert.equal(i.status, 'complete', i.ref);
      assert.equal(i.shopifyId, bySku.get(i.ref)?.id, `${i.ref} mapped to its variant`);
    }
    for (const n of [0, 249, 250, 1_000, 2_047]) {
      assert.equal(bySku.get(`BIG-${n}`)?.price, `${(n % 90) + 10}.00`);
      assert.equal(sim.stock(`BIG-${n}`), n % 7, `stock of BIG-${n}`);
    }

    // Again, one variant's price and stock changed: no productSet of 2,048 variants, but the
    // cheapest mutation for each.
    sim.clearLog();
    await engine.enqueue([variant('BIG-2047', 'BIG', { optionValues: { Size: 'S2047' }, price: '99.99', stock: 6 })]);
    const again = await engine.start();
    assert.equal(again.status, 'completed');
    const now = sim.product({ sku: 'BIG-0' })!;
    assert.deepEqual(now.variants.map((v) => v.id), stored.variants.map((v) => v.id), 'same variants, same ids');
    assert.equal(now.variants.at(-1)!.price, '99.99');
    assert.equal(sim.stock('BIG-2047'), 6);
    assert.deepEqual(sim.requests.filter((r) => r.mutations > 0).flatMap((r) => r.fields).sort(), ['inventorySetQuantities', 'productVariantsBulkUpdate']);

    // A new option value on one variant changes the list: the whole list goes with its ids, none is made anew.
    sim.clearLog();
    await engine.enqueue([variant('BIG-2047', 'BIG', { optionValues: { Size: 'XL' }, price: '99.99', stock: 6 })]);
    assert.equal((await engine.start()).status, 'completed');
    assert.deepEqual(sim.product({ sku: 'BIG-0' })!.variants.map((v) => v.id), stored.variants.map((v) => v.id), 'same variants, same ids');
    assert.equal(sim.requests.filter((r) => r.fields.includes('productSet')).length, 1);
  });

  it('2,049 variants: the product and each variant fail with VARIANTS_OVER_LIMIT, and nothing is sent for it', async () => {
    const { engine } = engineFor(sim, targetFor(sim), { apiVersion: NEW }, { batchSize: 5_000 });
    sim.clearLog();
    await engine.enqueue(family('HUGE', 2_049));
    await engine.start();
    const failed = await failures(engine, 'HUGE');
    assert.equal(failed.size, 2_050, 'the product and each of its variants');
    assert.ok([...failed.values()].every((c) => c === 'VARIANTS_OVER_LIMIT'));
    assert.ok(!sim.requests.some((r) => r.fields.includes('productSet')), 'no productSet');
    assert.equal(sim.product({ sku: 'HUGE-0' }), undefined);
  });

  it('a lost mapping: the store’s variants are read page by page, none is deleted by mistake', async () => {
    const first = engineFor(sim, targetFor(sim), { apiVersion: NEW }, { batchSize: 5_000 });
    await first.engine.enqueue(family('LOST', 600));
    await first.engine.start();
    const before = sim.product({ sku: 'LOST-0' })!;
    assert.equal(before.variants.length, 600);
    // A new store of state (the mapping is gone); the host sends the product and one variant only.
    const second = engineFor(sim, targetFor(sim), { apiVersion: NEW }, { storage: new MemoryStorage() });
    await second.engine.enqueue([product('LOST', { options: ['Size'], title: 'Renamed' }), variant('LOST-5', 'LOST', { optionValues: { Size: 'S5' }, price: '55.00' })]);
    const event = await second.engine.start();
    assert.equal(event.status, 'completed');
    assert.equal((await failures(second.engine, 'LOST')).size, 0);
    const after = sim.product({ sku: 'LOST-0' })!;
    assert.equal(after.title, 'Renamed');
    assert.deepEqual(after.variants.map((v) => v.id).sort(), before.variants.map((v) => v.id).sort(), 'all 600 kept, same ids (the host’s first)');
    assert.equal(after.variants.find((v) => v.sku === 'LOST-5')!.price, '55.00');
  });

  it('before API 2025-10 the limit stands: the store takes 100, refuses 101; the connector sends no more than 250', async () => {
    const old = await startSim({ now: new Date('2025-08-15T00:00:00Z'), versions: { supported: ['2025-07'] } });
    try {
      const { engine } = engineFor(old, targetFor(old), { apiVersion: '2025-07' }, { batchSize: 1_000 });
      await engine.enqueue([...family('OLD-100', 100), ...family('OLD-101', 101), ...family('OLD-251', 251)]);
      await engine.start();
      assert.equal(old.product({ sku: 'OLD-100-0' })?.variants.length, 100);
      assert.equal((await failures(engine, 'OLD-100')).size, 0);
      for (const [ref, n] of [['OLD-101', 101], ['OLD-251', 251]] as const) {
        const failed = await failures(engine, ref);
        assert.equal(failed.size, n + 1, `${ref}: the product and each of its variants`);
        assert.ok([...failed.values()].every((c) => c === 'VARIANTS_OVER_LIMIT'), ref);
        assert.equal(old.product({ sku: `${ref}-0` }), undefined);
      }
      const sets = old.requests.filter((r) => r.fields.includes('productSet'));
      assert.equal(sets.flatMap((r) => r.fields).filter((f) => f === 'productSet').length, 2, 'OLD-100 and OLD-101 sent, OLD-251 not');
      assert.ok(!old.requests.some((r) => r.errorCodes.includes('MAX_INPUT_SIZE_EXCEEDED')));
    } finally {
      await old.close();
    }
  });
});
