import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ConnectionError, MemoryStorage, ValidationError, type ItemStatus, type SyncEngine, type SyncEvent } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { category, engineFor, OTHER_TOKEN, product, remove, startSim, targetFor, TOKEN, variant } from './helpers.js';

const total = (e: SyncEvent) =>
  e.iterations.reduce(
    (n, it) => ({ synced: n.synced + it.synced.categories + it.synced.products + it.synced.variants, failed: n.failed + it.failed.categories + it.failed.products + it.failed.variants }),
    { synced: 0, failed: 0 },
  );

const byRef = async (engine: SyncEngine, ref: string): Promise<ItemStatus> => {
  const found = (await engine.queryItems({ ref })).items.find((i) => i.ref === ref);
  assert.ok(found, `item ${ref}`);
  return found;
};

describe('Shopify target against the simulator', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    await sim.close();
  });
  // Each test uses its own references so that they share one store.

  it('creates collections, products with variants, stock; later updates them in place', async () => {
    const { engine } = engineFor(sim, targetFor(sim));
    await engine.enqueue([
      category('A-shoes', 'Shoes', { handle: 'a-shoes', description: '<p>All shoes</p>' }),
      product('A-1', { title: 'Trail runner', vendor: 'ACME', tags: ['run'], categoryRefs: ['A-shoes'], options: ['Size', 'Colour'] }),
      variant('A-1-42-red', 'A-1', { price: '89.00', compareAtPrice: '99.00', barcode: '123', optionValues: { Size: '42', Colour: 'Red' }, stock: 5, weightGrams: 300 }),
      variant('A-1-43-red', 'A-1', { price: '89.00', optionValues: { Size: '43', Colour: 'Red' }, stock: 7 }),
      product('A-2', { title: 'Socks' }),
    ]);
    const first = await engine.start();
    assert.equal(first.status, 'completed');
    assert.deepEqual(first.generalErrors, []);
    assert.deepEqual(first.iterations[0]!.synced, { categories: 1, products: 2, variants: 2 });

    const p = sim.product({ sku: 'A-1-42-red' })!;
    assert.equal(p.title, 'Trail runner');
    assert.equal(p.vendor, 'ACME');
    assert.deepEqual(p.options, [
      { name: 'Size', values: ['42', '43'] },
      { name: 'Colour', values: ['Red'] },
    ]);
    assert.deepEqual(
      p.variants.map((v) => [v.sku, v.price, v.compareAtPrice, v.options, v.tracked]),
      [
        ['A-1-42-red', '89.00', '99.00', { Size: '42', Colour: 'Red' }, true],
        ['A-1-43-red', '89.00', null, { Size: '43', Colour: 'Red' }, true],
      ],
    );
    assert.deepEqual(p.variants[0]!.weight, { value: 300, unit: 'GRAMS' });
    assert.deepEqual(p.collections, ['a-shoes']);
    assert.equal(sim.stock('A-1-42-red'), 5);
    assert.equal(sim.stock('A-1-43-red'), 7);
    assert.equal(sim.collection({ handle: 'a-shoes' })!.descriptionHtml, '<p>All shoes</p>');
    // A product without variants of its own: Shopify's default variant carries its SKU.
    const simple = sim.product({ sku: 'A-2' })!;
    assert.deepEqual(simple.variants.map((v) => [v.sku, v.options]), [['A-2', { Title: 'Default Title' }]]);
    assert.equal((await byRef(engine, 'A-1')).shopifyId, p.id);
    assert.equal((await byRef(engine, 'A-1-42-red')).shopifyId, p.variants[0]!.id);

    await engine.enqueue([
      product('A-1', { title: 'Trail runner 2', vendor: 'ACME', categoryRefs: ['A-shoes'], options: ['Size', 'Colour'] }),
      variant('A-1-43-red', 'A-1', { price: '79.00', optionValues: { Size: '43', Colour: 'Red' }, stock: 7 }),
      variant('A-2-blue', 'A-2', { price: '5.00', title: 'Blue', stock: 2 }),
    ]);
    const second = await engine.start();
    assert.equal(second.status, 'completed');
    const updated = sim.product({ id: p.id })!;
    assert.equal(updated.title, 'Trail runner 2');
    assert.deepEqual(updated.variants.map((v) => [v.id, v.price]), [
      [p.variants[0]!.id, '89.00'],
      [p.variants[1]!.id, '79.00'],
    ]);
    // The simple product got a variant of the host's: it replaces the default one.
    const s2 = sim.product({ id: simple.id })!;
    assert.deepEqual(s2.variants.map((v) => v.sku), ['A-2-blue']);
    assert.equal(sim.stock('A-2-blue'), 2);
    assert.equal(sim.snapshot().products.filter((x) => x.title.startsWith('Trail runner')).length, 1, 'updated, not created again');
  });

  it('sends the configured language, whatever languages the data has', async () => {
    const { engine } = engineFor(sim, targetFor(sim), { language: 'es', includeEmptyCategories: true });
    await engine.enqueue([
      category('B-cat', { en: 'Shoes', es: 'Zapatos' }, { handle: 'b-cat' }),
      product('B-1', { title: { en: 'Boot', es: 'Bota' }, description: { en: 'Warm', 'es-MX': 'Abrigada' } }),
      product('B-2', { title: { en: 'Only English' } }),
    ]);
    assert.equal((await engine.start()).status, 'completed');
    assert.equal(sim.collection({ handle: 'b-cat' })!.title, 'Zapatos');
    const boot = sim.product({ sku: 'B-1' })!;
    assert.equal(boot.title, 'Bota');
    assert.equal(boot.descriptionHtml, 'Abrigada', 'a regional text serves its base language');
    assert.equal(sim.product({ sku: 'B-2' })!.title, 'Only English', 'a missing translation falls back to what there is');
  });

  it('overwrite stock off: stock goes once, when the variant is created; on: every time', async () => {
    const off = engineFor(sim, targetFor(sim)).engine;
    await off.enqueue([product('C-1'), variant('C-1-a', 'C-1', { stock: 10 })]);
    await off.start();
    assert.equal(sim.stock('C-1-a'), 10);
    await off.enqueue([variant('C-1-a', 'C-1', { stock: 3 })]);
    const e = await off.start();
    assert.equal(e.iterations[0]!.synced.variants, 1);
    assert.equal(sim.stock('C-1-a'), 10, 'the store keeps its stock');
    // A new variant gets its stock even with overwrite off.
    await off.enqueue([variant('C-1-b', 'C-1', { stock: 4, price: '11.00' })]);
    await off.start();
    assert.equal(sim.stock('C-1-b'), 4);

    const { engine: on, storage } = engineFor(sim, targetFor(sim), { overwriteStock: true });
    await on.enqueue([product('C-2'), variant('C-2-a', 'C-2', { stock: 10 })]);
    await on.start();
    await on.enqueue([variant('C-2-a', 'C-2', { stock: 3 })]);
    await on.start();
    assert.equal(sim.stock('C-2-a'), 3);
    // A stock-only change sends no productSet: only the stock.
    sim.clearLog();
    await on.enqueue([variant('C-2-a', 'C-2', { stock: 1 })]);
    await on.start();
    assert.deepEqual(sim.requests.filter((r) => r.mutations > 0).flatMap((r) => r.fields), ['inventorySetQuantities']);
    assert.equal(sim.stock('C-2-a'), 1);
    assert.ok(storage);
  });

  it('disable deletions off: products archived, collections removed, variants deleted', async () => {
    const { engine } = engineFor(sim, targetFor(sim));
    await engine.enqueue([
      category('D-cat', 'D', { handle: 'd-cat' }),
      product('D-1', { categoryRefs: ['D-cat'] }),
      variant('D-1-a', 'D-1', { optionValues: { Size: 'S' } }),
      variant('D-1-b', 'D-1', { optionValues: { Size: 'M' } }),
      product('D-2'),
    ]);
    await engine.start();
    const id = sim.product({ sku: 'D-1-a' })!.id;
    await engine.enqueue([remove('variant', 'D-1-b', 'D-1'), remove('product', 'D-2'), remove('category', 'D-cat')]);
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.iterations.reduce((n, it) => n + it.synced.variants + it.synced.products + it.synced.categories, 0), 3);
    assert.deepEqual(sim.product({ id })!.variants.map((v) => v.sku), ['D-1-a']);
    assert.equal(sim.product({ sku: 'D-2' })!.status, 'ARCHIVED');
    assert.equal(sim.collection({ handle: 'd-cat' }), undefined);
    // Deleting the last variant leaves Shopify's default variant, with the product's SKU.
    await engine.enqueue([remove('variant', 'D-1-a')]);
    await engine.start();
    assert.deepEqual(sim.product({ id })!.variants.map((v) => v.sku), ['D-1']);
    // Sent again, an archived product is active again.
    await engine.enqueue([product('D-2', { title: 'Back' })]);
    await engine.start();
    assert.equal(sim.product({ sku: 'D-2' })!.status, 'ACTIVE');
  });

  it('disable deletions on: nothing is deleted and the items say why', async () => {
    const setup = engineFor(sim, targetFor(sim));
    await setup.engine.enqueue([category('E-cat', 'E', { handle: 'e-cat' }), product('E-1', { categoryRefs: ['E-cat'] }), variant('E-1-a', 'E-1', { optionValues: { Size: 'S' } }), variant('E-1-b', 'E-1', { optionValues: { Size: 'M' } })]);
    await setup.engine.start();
    await setup.engine.updateConfig({ disableDeletions: true });
    sim.clearLog();
    await setup.engine.enqueue([remove('variant', 'E-1-b', 'E-1'), remove('product', 'E-1'), remove('category', 'E-cat')]);
    const e = await setup.engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.iterations[0]!.skipped, { categories: 1, products: 1, variants: 1 });
    assert.equal(sim.requests.filter((r) => r.mutations > 0).length, 0, 'no mutation sent');
    for (const ref of ['E-1-b', 'E-1', 'E-cat']) assert.equal((await byRef(setup.engine, ref)).skipped, 'deletions_disabled');
    assert.equal(sim.product({ sku: 'E-1' }), undefined);
    assert.deepEqual(sim.product({ sku: 'E-1-a' })!.variants.map((v) => v.sku), ['E-1-a', 'E-1-b']);
    assert.ok(sim.collection({ handle: 'e-cat' }));
    // The kept variant stays in the list productSet sends: a later product update does not delete it.
    await setup.engine.enqueue([product('E-1', { title: 'Renamed', categoryRefs: ['E-cat'] })]);
    await setup.engine.start();
    assert.deepEqual(sim.product({ sku: 'E-1-a' })!.variants.map((v) => v.sku), ['E-1-a', 'E-1-b']);
  });

  it('include empty categories off: an empty category waits, and is created when a product needs it', async () => {
    const { engine } = engineFor(sim, targetFor(sim));
    await engine.enqueue([category('F-empty', 'Empty', { handle: 'f-empty' }), category('F-later', 'Later', { handle: 'f-later' })]);
    const e = await engine.start();
    assert.deepEqual(e.iterations[0]!.skipped, { categories: 2, products: 0, variants: 0 });
    assert.equal((await byRef(engine, 'F-empty')).skipped, 'empty_category');
    assert.equal(sim.collection({ handle: 'f-empty' }), undefined);
    await engine.enqueue([product('F-1', { categoryRefs: ['F-later', 'F-unknown'] })]);
    await engine.start();
    const later = sim.collection({ handle: 'f-later' });
    assert.ok(later, 'created for the product');
    assert.deepEqual(later.productIds, [sim.product({ sku: 'F-1' })!.id]);
    assert.equal(sim.collection({ handle: 'f-empty' }), undefined);
    // A category the product named before it existed: created with that product in it.
    await engine.enqueue([category('F-unknown', 'Unknown', { handle: 'f-unknown' })]);
    await engine.start();
    assert.deepEqual(sim.collection({ handle: 'f-unknown' })!.productIds, [sim.product({ sku: 'F-1' })!.id]);
    // Leaving a category removes the product from its collection.
    await engine.enqueue([product('F-1', { categoryRefs: ['F-unknown'] })]);
    await engine.start();
    assert.deepEqual(sim.collection({ handle: 'f-later' })!.productIds, []);
  });

  it('include empty categories on: every category is created', async () => {
    const { engine } = engineFor(sim, targetFor(sim), { includeEmptyCategories: true });
    await engine.enqueue([category('G-empty', 'Empty G', { handle: 'g-empty' })]);
    const e = await engine.start();
    assert.deepEqual(e.iterations[0]!.synced.categories, 1);
    assert.deepEqual(sim.collection({ handle: 'g-empty' })!.productIds, []);
  });

  it("maps Shopify's userErrors to item errors with code, field and message", async () => {
    sim.seedProduct({ title: 'Theirs', handle: 'h-taken', variants: [{ optionValues: [{ optionName: 'Title', name: 'Default Title' }], inventoryItem: { sku: 'H-TAKEN-SKU' } }], productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }] });
    // A variant whose product never comes fails at once (by default it waits for it a while).
    const { engine } = engineFor(sim, targetFor(sim, { productWaitMs: 0 }));
    // A simple product of the host's: its SKU is on its default variant.
    await engine.enqueue([product('H-x')]);
    await engine.start();
    await engine.enqueue([
      product('H-blank', { title: '' }),
      product('H-handle', { handle: 'h-taken' }),
      product('H-ok', { options: ['Size', 'Colour'] }),
      variant('H-ok-1', 'H-ok', { optionValues: { Size: 'S', Colour: 'Red' } }),
      variant('H-ok-missing', 'H-ok', { optionValues: { Size: 'M' } }),
      variant('H-x', 'H-ok', { optionValues: { Size: 'L', Colour: 'Red' } }),
      variant('H-orphan', 'H-nowhere'),
    ]);
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, [], 'item errors are not general errors');
    const blank = await byRef(engine, 'H-blank');
    assert.equal(blank.status, 'error');
    assert.deepEqual(blank.errors, [{ code: 'INVALID_PRODUCT', field: ['input', 'title'], message: "Title can't be blank" }]);
    const handle = await byRef(engine, 'H-handle');
    assert.deepEqual(handle.errors.map((x) => [x.code, x.field]), [['HANDLE_NOT_UNIQUE', ['input', 'handle']]]);
    assert.match(handle.errors[0]!.message, /h-taken/);
    const missing = await byRef(engine, 'H-ok-missing');
    assert.deepEqual(missing.errors.map((x) => [x.code, x.field]), [['INVALID_VARIANT', ['input', 'variants', '1', 'optionValues']]]);
    assert.match(missing.errors[0]!.message, /Colour/);
    const taken = (await engine.queryItems({ ref: 'H-x', entity: 'variant' })).items[0]!;
    assert.equal(taken.errors[0]!.code, 'DUPLICATED_VALUE');
    assert.deepEqual(taken.errors[0]!.field?.slice(0, 2), ['input', 'variants']);
    assert.equal((await byRef(engine, 'H-orphan')).errors[0]!.code, 'PRODUCT_NOT_FOUND');
    // The refused variants did not keep the rest of the product out.
    assert.equal((await byRef(engine, 'H-ok')).status, 'complete');
    assert.equal((await byRef(engine, 'H-ok-1')).status, 'complete');
    assert.deepEqual(sim.product({ sku: 'H-ok-1' })!.variants.map((v) => v.sku), ['H-ok-1']);
    assert.equal(sim.product({ handle: 'h-taken' })!.title, 'Theirs', "the other product's handle was not taken over");
    assert.equal(sim.product({ sku: 'H-x' })!.title, 'Product H-x', 'the SKU stays with the product that has it');
  });

  it('a product the store already had is taken over by SKU, not created again', async () => {
    const theirs = sim.seedProduct({
      title: 'Made in the admin',
      productOptions: [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }] }],
      variants: [
        { optionValues: [{ optionName: 'Size', name: 'S' }], inventoryItem: { sku: 'Z-1-s' } },
        { optionValues: [{ optionName: 'Size', name: 'M' }], inventoryItem: { sku: 'Z-other' } },
      ],
    });
    const { engine } = engineFor(sim, targetFor(sim));
    await engine.enqueue([product('Z-1', { title: 'From the ERP' }), variant('Z-1-s', 'Z-1', { optionValues: { Size: 'S' }, price: '3.00' })]);
    const e = await engine.start();
    assert.equal(e.iterations[0]!.synced.products, 1);
    const now = sim.product({ id: theirs.id })!;
    assert.equal(now.title, 'From the ERP');
    assert.deepEqual(now.variants.map((v) => [v.id, v.sku, v.price]), [
      [theirs.variants[0]!.id, 'Z-1-s', '3.00'],
      [theirs.variants[1]!.id, 'Z-other', '0.00'],
    ], 'its variant kept its id; the one the host does not know is kept too');
    assert.equal(sim.snapshot().products.filter((p) => p.title === 'From the ERP').length, 1);
  });

  it('too many variants is the product’s error, and every item of it says so', async () => {
    const small = await startSim({ maxVariantsPerProduct: 2 });
    try {
      const { engine } = engineFor(small, targetFor(small));
      await engine.enqueue([product('I-1'), variant('I-1-a', 'I-1', { title: 'a' }), variant('I-1-b', 'I-1', { title: 'b' }), variant('I-1-c', 'I-1', { title: 'c' })]);
      const e = await engine.start();
      assert.deepEqual(e.iterations.at(-1)!.failed, { categories: 0, products: 1, variants: 3 });
      for (const ref of ['I-1', 'I-1-a', 'I-1-b', 'I-1-c']) assert.deepEqual((await byRef(engine, ref)).errors.map((x) => [x.code, x.field]), [['VARIANTS_OVER_LIMIT', ['input', 'variants']]]);
      assert.equal(small.snapshot().products.length, 0, 'productSet applies all or nothing');
      // Within the limit, it goes through.
      await engine.enqueue([remove('variant', 'I-1-c', 'I-1'), product('I-1', { title: 'Again' })]);
      await engine.retryFailed();
      await engine.start();
      assert.deepEqual(small.product({ sku: 'I-1-a' })!.variants.map((v) => v.sku), ['I-1-a', 'I-1-b']);
    } finally {
      await small.close();
    }
  });

  it('no duplicate products after a crash that lost the mapping', async () => {
    const catalog = [category('J-cat', 'J', { handle: 'j-cat' }), product('J-1', { categoryRefs: ['J-cat'] }), variant('J-1-a', 'J-1', { stock: 6, optionValues: { Size: 'S' } }), variant('J-1-b', 'J-1', { stock: 2, optionValues: { Size: 'M' } }), product('J-2', { handle: 'j-two' }), product('J-3')];
    const first = engineFor(sim, targetFor(sim));
    await first.engine.enqueue(catalog);
    await first.engine.start();
    const before = sim.snapshot();
    // A new process with empty storage: every mapping is lost; the host sends everything again.
    const second = engineFor(sim, targetFor(sim));
    await second.engine.enqueue([...catalog, variant('J-1-a', 'J-1', { stock: 9, optionValues: { Size: 'S' } })]);
    const e = await second.engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.iterations.reduce((n, i) => n + i.failed.products + i.failed.variants + i.failed.categories, 0), 0);
    const afterwards = sim.snapshot();
    assert.equal(afterwards.products.length, before.products.length, 'no twin product');
    assert.equal(afterwards.collections.length, before.collections.length, 'no twin collection');
    assert.deepEqual(sim.product({ sku: 'J-1-a' })!.variants.map((v) => v.id), before.products.find((p) => p.variants.some((v) => v.sku === 'J-1-a'))!.variants.map((v) => v.id), 'the same variants, not new ones');
    assert.equal((await byRef(second.engine, 'J-2')).shopifyId, sim.product({ handle: 'j-two' })!.id);
    assert.equal(sim.stock('J-1-b'), 2);
  });

  it('a lost mapping does not delete variants the store has and the host did not send again', async () => {
    const first = engineFor(sim, targetFor(sim));
    await first.engine.enqueue([product('K-1'), variant('K-1-a', 'K-1', { optionValues: { Size: 'S' } }), variant('K-1-b', 'K-1', { optionValues: { Size: 'M' } })]);
    await first.engine.start();
    const second = engineFor(sim, targetFor(sim));
    await second.engine.enqueue([variant('K-1-c', 'K-1', { optionValues: { Size: 'L' } })]);
    await second.engine.start();
    assert.deepEqual(sim.product({ sku: 'K-1-a' })!.variants.map((v) => v.sku), ['K-1-c', 'K-1-a', 'K-1-b']);
  });

  it('a lost id store and new SKUs: the store’s unique reference refuses a twin, and the product is found by it', async () => {
    const first = engineFor(sim, targetFor(sim));
    await first.engine.enqueue([product('Z-1'), variant('Z-1-a', 'Z-1', { optionValues: { Size: 'S' } })]);
    await first.engine.start();
    const id = sim.product({ sku: 'Z-1-a' })!.id;
    const second = engineFor(sim, targetFor(sim));
    await second.engine.enqueue([product('Z-1', { title: 'Zed' }), variant('Z-1-x', 'Z-1', { optionValues: { Size: 'M' } })]);
    const e = await second.engine.start();
    assert.equal(e.status, 'completed');
    assert.equal(e.iterations.reduce((n, i) => n + i.failed.products + i.failed.variants, 0), 0);
    assert.equal(sim.snapshot().products.filter((p) => p.title === 'Zed' || p.title === 'Product Z-1').length, 1, 'no twin');
    assert.equal(sim.product({ sku: 'Z-1-x' })!.id, id);
    assert.deepEqual(sim.product({ sku: 'Z-1-x' })!.variants.map((v) => v.sku).sort(), ['Z-1-a', 'Z-1-x'], 'the store’s variant the host did not send again is kept');
  });

  it('what the merchant deleted in the store is made again when the host sends it', async () => {
    const { engine } = engineFor(sim, targetFor(sim));
    await engine.enqueue([category('AA-cat', 'AA', { handle: 'aa-cat' }), product('AA-1', { categoryRefs: ['AA-cat'] }), variant('AA-1-a', 'AA-1', { stock: 2, title: 'a' }), variant('AA-1-b', 'AA-1', { stock: 3, title: 'b' })]);
    await engine.start();
    const first = sim.product({ sku: 'AA-1-a' })!;
    // Deleted in the admin: a variant, then the whole product, then the collection.
    assert.ok(sim.removeVariant('AA-1-b'));
    await engine.enqueue([variant('AA-1-b', 'AA-1', { stock: 4, title: 'b', price: '12.00' })]);
    let e = await engine.start();
    assert.deepEqual(total(e), { failed: 0, synced: 1 });
    assert.deepEqual(sim.product({ id: first.id })!.variants.map((v) => v.sku), ['AA-1-a', 'AA-1-b']);
    assert.equal(sim.stock('AA-1-b'), 4, 'a variant made anew gets its stock');

    assert.ok(sim.removeProduct({ id: first.id }));
    assert.ok(sim.removeCollection({ handle: 'aa-cat' }));
    await engine.enqueue([product('AA-1', { title: 'Again', categoryRefs: ['AA-cat'] })]);
    e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.equal((await byRef(engine, 'AA-1')).status, 'complete');
    const again = sim.product({ sku: 'AA-1-a' })!;
    assert.notEqual(again.id, first.id);
    assert.equal(again.title, 'Again');
    assert.deepEqual(again.variants.map((v) => v.sku), ['AA-1-a', 'AA-1-b'], 'its variants from the kept data');
    assert.deepEqual(sim.collection({ handle: 'aa-cat' })?.productIds, [again.id], 'the collection made again from the kept category');
  });

  it('a variant moved to another product leaves the first one', async () => {
    const { engine } = engineFor(sim, targetFor(sim));
    await engine.enqueue([product('L-1'), product('L-2'), variant('L-v', 'L-1', { title: 'v' }), variant('L-w', 'L-1', { title: 'w' })]);
    await engine.start();
    await engine.enqueue([variant('L-v', 'L-2', { title: 'v' })]);
    const e = await engine.start();
    assert.equal(e.iterations[0]!.synced.variants, 1);
    assert.deepEqual(sim.product({ sku: 'L-w' })!.variants.map((v) => v.sku), ['L-w']);
    assert.deepEqual(sim.product({ sku: 'L-v' })!.variants.map((v) => v.sku), ['L-v']);
    assert.notEqual(sim.product({ sku: 'L-v' })!.id, sim.product({ sku: 'L-w' })!.id);
  });

  it('stock goes to the connector’s location: in the productSet that makes a variant, else stocking the item there first', async () => {
    const two = await startSim({ locations: [{ name: 'Main' }, { name: 'Warehouse' }] });
    try {
      const warehouse = two.snapshot().locations[1]!.id;
      const { engine } = engineFor(two, targetFor(two), { locationId: warehouse.split('/').pop()! });
      await engine.enqueue([product('M-1'), variant('M-1-a', 'M-1', { stock: 8 })]);
      const e = await engine.start();
      assert.equal(e.status, 'completed');
      assert.equal((await byRef(engine, 'M-1-a')).status, 'complete');
      assert.equal(two.stock('M-1-a', warehouse), 8);
      assert.equal(two.stock('M-1-a'), 0, 'the primary location is left alone');
      assert.deepEqual(two.requests.filter((r) => r.mutations > 0).flatMap((r) => r.fields), ['metafieldDefinitionCreate', 'productSet'], 'the new variant got its stock with it (after the custom ID definition, made once)');
      // A variant the merchant made, stocked at the primary location only: stocked at the connector's first.
      two.seedProduct({ title: 'Theirs', productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }], variants: [{ optionValues: [{ optionName: 'Title', name: 'Default Title' }], inventoryItem: { sku: 'M-2-a' } }] });
      two.clearLog();
      await engine.enqueue([product('M-2'), variant('M-2-a', 'M-2', { stock: 5 })]);
      assert.equal((await engine.start()).status, 'completed');
      assert.equal(two.stock('M-2-a', warehouse), 5);
      assert.deepEqual(
        two.requests.filter((r) => r.mutations > 0).flatMap((r) => r.fields),
        ['productSet', 'inventorySetQuantities', 'inventoryActivate'],
      );
      // An unknown location fails the connection with a message that says which.
      const bad = engineFor(two, targetFor(two), { locationId: '999999' });
      await bad.engine.enqueue([product('M-3')]);
      const failed = await bad.engine.start();
      assert.equal(failed.status, 'error');
      assert.match(failed.generalErrors[0]!.message, /gid:\/\/shopify\/Location\/999999/);
    } finally {
      await two.close();
    }
  });

  it('API version 2026-07: stock with changeFromQuantity and an idempotency key', async () => {
    const { engine } = engineFor(sim, targetFor(sim), { apiVersion: '2026-07' });
    await engine.enqueue([product('N-1'), variant('N-1-a', 'N-1', { stock: 4 })]);
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.equal(e.config.apiVersion.served, '2026-07');
    assert.equal((await byRef(engine, 'N-1-a')).status, 'complete');
    assert.equal(sim.stock('N-1-a'), 4);
  });

  it('validates its options, naming the field; the token appears nowhere', async () => {
    assert.throws(() => new ShopifyTarget({ accessToken: '' }), (e: unknown) => e instanceof ValidationError && /options\.accessToken/.test(e.message));
    assert.throws(() => new ShopifyTarget({ accessToken: TOKEN, maxInFlight: 0 }), /options\.maxInFlight/);
    assert.throws(() => new ShopifyTarget({ accessToken: TOKEN, endpoint: 'ftp://x' }), /options\.endpoint/);
    assert.throws(() => new ShopifyTarget({ accessToken: TOKEN, bogus: 1 } as never), /bogus/);
    const target = targetFor(sim);
    assert.ok(!inspect(target, { depth: 10, showHidden: true }).includes(TOKEN));
    assert.ok(!JSON.stringify(target).includes(TOKEN));
    const { engine } = engineFor(sim, target);
    await engine.enqueue([product('O-1', { title: '' })]);
    const e = await engine.start();
    const everything = JSON.stringify([e, await engine.queryItems({}), await engine.exportLogs(e.id, 'jsonl'), sim.requests]);
    assert.ok(!everything.includes(TOKEN));
    assert.ok(sim.requests.every((r) => /^(valid|invalid):[0-9a-f]{12}$|^missing$/.test(r.token)));
  });
});

describe('connection errors', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ versions: { supported: ['2025-01', '2026-01'], deprecated: { '2025-01': 'API version 2025-01 ends soon; update the connector.' } } });
  });
  after(async () => {
    await sim.close();
  });

  it('connect reads the served version, fall-forward, and the deprecation reason', async () => {
    const target = targetFor(sim);
    const signal = new AbortController().signal;
    const old = await target.connect({ connectorId: 'x', signal, log: () => undefined, config: { id: 'x', shopDomain: sim.shopDomain, apiVersion: '2024-07', enabled: true, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en', locations: {}, publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false } });
    assert.equal(old.servedApiVersion, '2025-01', 'an unsupported version falls forward');
    assert.equal(old.deprecationReason, 'API version 2025-01 ends soon; update the connector.');
    assert.equal(old.shopName, 'Shopsync Simulator');
    const current = await target.connect({ connectorId: 'x', signal, log: () => undefined, config: { id: 'x', shopDomain: sim.shopDomain, apiVersion: '2026-01', enabled: true, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en', locations: {}, publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false } });
    assert.equal(current.servedApiVersion, '2026-01');
    assert.equal(current.deprecationReason, undefined);
  });

  it('a rejected token makes the event Error, with Shopify’s words and no token', async () => {
    const { engine } = engineFor(sim, targetFor(sim, { accessToken: OTHER_TOKEN }));
    await engine.enqueue([product('P-1')]);
    const e = await engine.start();
    assert.equal(e.status, 'error');
    assert.equal(e.iterations.length, 0);
    assert.equal(e.generalErrors[0]!.code, 'auth');
    assert.equal(e.generalErrors[0]!.httpStatus, 401);
    assert.match(e.generalErrors[0]!.message, /Invalid API key or access token/);
    assert.ok(!JSON.stringify(e).includes(OTHER_TOKEN));
    assert.deepEqual(e.pending, { categories: 0, products: 1, variants: 0 });
  });

  it('an unknown store is not_found; a refused connection is network', async () => {
    const unknown = engineFor(sim, targetFor(sim), { shopDomain: 'no-such-store.myshopify.com' });
    await unknown.engine.enqueue([product('Q-1')]);
    const e1 = await unknown.engine.start();
    assert.equal(e1.status, 'error');
    assert.equal(e1.generalErrors[0]!.code, 'not_found');
    assert.equal(e1.generalErrors[0]!.httpStatus, 404);

    const closed = await startSim();
    const url = closed.url;
    await closed.close();
    const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: url, retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } });
    const refused = engineFor(sim, target);
    await refused.engine.enqueue([product('Q-2')]);
    const e2 = await refused.engine.start();
    assert.equal(e2.status, 'error');
    assert.equal(e2.generalErrors[0]!.code, 'network');
    await assert.rejects(
      target.connect({ connectorId: 'x', signal: new AbortController().signal, log: () => undefined, config: { id: 'x', shopDomain: sim.shopDomain, apiVersion: '2025-01', enabled: true, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en', locations: {}, publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false } }),
      (err: unknown) => err instanceof ConnectionError && err.kind === 'network' && err.retryable,
    );
  });

  it('a token revoked mid-run: general error auth, the items stay queued, the next run sends them', async () => {
    const { engine } = engineFor(sim, targetFor(sim), {}, { maxFailedIterations: 2 });
    await engine.enqueue([product('R-1'), product('R-2')]);
    // The connect succeeds, then every request is refused.
    let connected = false;
    engine.on('statusChanged', ({ status }) => {
      if (status === 'in_progress' && !connected) {
        connected = true;
        sim.injectFault('unauthorized', { count: 2 });
      }
    });
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors.map((g) => g.code), ['auth', 'auth', 'exhausted']);
    assert.deepEqual(e.pending, { categories: 0, products: 2, variants: 0 });
    const next = await engine.start();
    assert.equal(next.iterations[0]!.synced.products, 2);
  });
});

describe('faults and retries', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    await sim.close();
  });

  for (const kind of ['http500', 'http503', 'reset', 'malformed', 'hang'] as const) {
    it(`recovers from ${kind}, before or after the store applied the request, without twins`, async () => {
      for (const afterExecute of [false, true]) {
        const prefix = `S-${kind}-${afterExecute}`;
        const target = targetFor(sim, { requestTimeoutMs: 300 });
        const { engine } = engineFor(sim, target);
        const catalog = [category(`${prefix}-c`, `${prefix} cat`, { handle: `${prefix.toLowerCase()}-c` }), product(`${prefix}-1`, { categoryRefs: [`${prefix}-c`] }), variant(`${prefix}-1-a`, `${prefix}-1`, { stock: 3 }), product(`${prefix}-2`)];
        await engine.enqueue(catalog);
        let armed = false;
        engine.on('statusChanged', ({ status }) => {
          if (status === 'in_progress' && !armed) {
            armed = true;
            sim.injectFault(kind, { count: 2, afterExecute });
          }
        });
        const before = sim.snapshot().products.length;
        const e = await engine.start();
        assert.equal(e.status, 'completed', `${kind} afterExecute=${afterExecute}`);
        assert.deepEqual(e.generalErrors, [], 'recovered within the retries');
        assert.deepEqual((await engine.queryItems({ status: 'complete' })).total, 4);
        assert.equal(sim.snapshot().products.length, before + 2, 'exactly the two products, no twin');
        assert.equal(sim.snapshot().collections.filter((c) => c.title === `${prefix} cat`).length, 1);
        assert.equal(sim.stock(`${prefix}-1-a`), 3);
        assert.equal(sim.requests.filter((r) => r.fault === kind).length >= 2, true);
      }
    });
  }

  it('a create whose answer was lost is looked up before it is sent again: no twin', async () => {
    for (const kind of ['reset', 'hang', 'http500', 'http503', 'malformed'] as const) {
      const prefix = `LA-${kind}`;
      const { engine } = engineFor(sim, targetFor(sim, { requestTimeoutMs: 300 }));
      // The store makes the product and the collection, and the answers never arrive.
      sim.injectFault(kind, { afterExecute: true, field: 'productSet' });
      sim.injectFault(kind, { afterExecute: true, field: 'collectionCreate' });
      sim.clearLog();
      await engine.enqueue([category(`${prefix}-c`, `${prefix} collection`), product(`${prefix}-1`, { categoryRefs: [`${prefix}-c`] }), variant(`${prefix}-1-a`, `${prefix}-1`, { stock: 5 })]);
      const e = await engine.start();
      assert.equal(e.status, 'completed', kind);
      assert.deepEqual(e.generalErrors, [], kind);
      assert.equal((await engine.queryItems({ status: 'complete' })).total, 3, kind);
      assert.equal(sim.snapshot().products.filter((p) => p.title === `Product ${prefix}-1`).length, 1, `${kind}: one product`);
      assert.equal(sim.snapshot().collections.filter((c) => c.title === `${prefix} collection`).length, 1, `${kind}: one collection`);
      assert.equal(sim.stock(`${prefix}-1-a`), 5);
      const log = [...sim.requests].sort((x, y) => x.seq - y.seq); // in order of arrival
      const lost = log.findIndex((r) => r.fault === kind && r.fields.includes('productSet'));
      assert.ok(lost >= 0 && log.some((r) => r.fault === kind && r.fields.includes('collectionCreate')), `${kind}: both creates were hit`);
      const next = log.slice(lost + 1).find((r) => r.fields.includes('productSet') || r.fields.includes('productByIdentifier'));
      assert.ok(next?.fields.includes('productByIdentifier'), `${kind}: looked up before sending again`);
    }
  });

  it('without custom IDs (a clashing definition), a lost create is found again by SKU', async () => {
    const other = await startSim();
    try {
      // Someone made the reference key a plain metafield definition: no unique values, no custom IDs.
      await fetch(other.graphqlUrl('2025-01'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': TOKEN },
        body: JSON.stringify({ query: 'mutation { metafieldDefinitionCreate(definition: { namespace: "$app", key: "shopsync_ref", name: "x", ownerType: PRODUCT, type: "single_line_text_field" }) { userErrors { message } } }' }),
      });
      const { engine } = engineFor(other, targetFor(other, { requestTimeoutMs: 300 }));
      other.injectFault('reset', { afterExecute: true, field: 'productSet' });
      await engine.enqueue([product('LB-1'), product('LB-2', { handle: 'lb-two' })]);
      const e = await engine.start();
      assert.deepEqual(e.generalErrors, []);
      assert.equal(other.snapshot().products.length, 2, 'no twin');
      assert.deepEqual(other.product({ sku: 'LB-1' })!.metafields, {}, 'no custom ID was set');
      assert.ok(other.requests.some((r) => r.fault === 'reset'));
    } finally {
      await other.close();
    }
  });

  it('failures beyond the retries are a general error; the items stay queued and go later', async () => {
    const { engine } = engineFor(sim, targetFor(sim, { retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } }), {}, { maxFailedIterations: 1 });
    await engine.enqueue([product('T-1'), product('T-2')]);
    let armed = false;
    engine.on('statusChanged', ({ status }) => {
      if (status === 'in_progress' && !armed) {
        armed = true;
        sim.injectFault('http503', { count: 2 });
      }
    });
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.equal(e.generalErrors[0]!.code, 'server_error');
    assert.equal(e.generalErrors[0]!.httpStatus, 503);
    assert.match(e.generalErrors[0]!.message, /Gave up after 2 attempts/);
    assert.deepEqual(e.pending, { categories: 0, products: 2, variants: 0 });
    const next = await engine.start();
    assert.equal(next.iterations[0]!.synced.products, 2);
  });

  it('a price update whose every attempt fails leaves the variant queued and its old price in the state: the next run sends it', async () => {
    const own = await startSim();
    try {
      const { engine } = engineFor(own, targetFor(own, { retry: { maxAttempts: 2, baseMs: 1, maxMs: 2 } }), {}, { maxFailedIterations: 1 });
      await engine.enqueue([product('PR-1', { options: ['Size'] }), variant('PR-1-S', 'PR-1', { price: '10.00', optionValues: { Size: 'S' } })]);
      assert.equal((await engine.start()).status, 'completed');
      own.injectFault('http503', { count: 1_000, field: 'productVariantsBulkUpdate' });
      await engine.enqueue([variant('PR-1-S', 'PR-1', { price: '12.50', optionValues: { Size: 'S' } })]);
      const e = await engine.start();
      assert.equal(e.generalErrors[0]?.code, 'server_error');
      assert.deepEqual(e.pending, { categories: 0, products: 0, variants: 1 }, 'still queued');
      own.clearFaults();
      const next = await engine.start();
      assert.deepEqual(next.generalErrors, []);
      assert.equal(own.product({ sku: 'PR-1-S' })!.variants[0]!.price, '12.50', 'the store has the new price');
    } finally {
      await own.close();
    }
  });

  it('a create whose every attempt fails is a general error, not an item error: the items stay queued and go later', async () => {
    for (const field of ['productSet', 'collectionCreate']) {
      const own = await startSim();
      try {
        const { engine } = engineFor(own, targetFor(own), {}, { maxFailedIterations: 1 });
        await engine.enqueue([category('CF-c', 'CF', { handle: 'cf' }), product('CF-1', { categoryRefs: ['CF-c'] }), variant('CF-1-a', 'CF-1', { stock: 2 })]);
        // A create is not repeated blindly (its answer may be lost after it was applied): each
        // round looks it up, then sends it again. Every round's create fails here.
        own.injectFault('http500', { count: 1_000, field });
        const e = await engine.start();
        assert.equal(e.status, 'completed', field);
        assert.equal(e.generalErrors[0]!.code, 'server_error', field);
        assert.equal(e.generalErrors[0]!.httpStatus, 500, field);
        assert.match(e.generalErrors[0]!.message, /Gave up after 4 attempts/, field);
        assert.equal((await engine.queryItems({ status: 'error' })).total, 0, `${field}: no item error`);
        const waiting = field === 'productSet' ? { categories: 0, products: 1, variants: 1 } : { categories: 1, products: 0, variants: 0 };
        assert.deepEqual(e.pending, waiting, `${field}: still queued`);
        own.clearFaults();
        const next = await engine.start();
        assert.deepEqual(next.generalErrors, [], field);
        assert.equal((await engine.queryItems({ status: 'complete' })).total, 3, field);
        assert.deepEqual(own.collection({ handle: 'cf' })?.productIds, [own.product({ sku: 'CF-1-a' })!.id], field);
        assert.equal(own.stock('CF-1-a'), 2, field);
      } finally {
        await own.close();
      }
    }
  });

  it('a collection membership whose answer was lost is unknown, not assumed: the next push sends what the host wants', async () => {
    // The store applies the change and every answer is lost; before the product goes again the
    // host changes its mind. Both directions: joining a collection, and leaving one.
    for (const [field, first, second] of [
      ['collectionAddProducts', ['ML-a'], ['ML-a', 'ML-b']],
      ['collectionRemoveProducts', ['ML-a', 'ML-b'], ['ML-a']],
    ] as const) {
      const own = await startSim();
      try {
        const { engine } = engineFor(own, targetFor(own), { includeEmptyCategories: true }, { maxFailedIterations: 1 });
        const moves = (refs: readonly string[], title = 'Moved') => product('ML-1', { title, handle: 'ml-1', categoryRefs: [...refs] });
        await engine.enqueue([category('ML-a', 'A', { handle: 'ml-a' }), category('ML-b', 'B', { handle: 'ml-b' }), moves(first, 'First')]);
        await engine.start();
        own.injectFault('reset', { count: 1_000, afterExecute: true, field });
        await engine.enqueue([moves(second)]);
        const lost = await engine.start();
        assert.equal(lost.generalErrors[0]!.code, 'network', field);
        assert.deepEqual(lost.pending, { categories: 0, products: 1, variants: 0 }, `${field}: the product goes again`);
        own.clearFaults();
        await engine.enqueue([moves(first, 'Back')]);
        const back = await engine.start();
        assert.deepEqual(back.generalErrors, [], field);
        assert.deepEqual(own.product({ handle: 'ml-1' })!.collections.sort(), first.map((c) => c.toLowerCase()), `${field}: the collections the host wants, exactly`);
      } finally {
        await own.close();
      }
    }
  });

  it('a product waiting for its collection: a join whose answer was lost is unknown too, and the category goes again', async () => {
    const own = await startSim();
    try {
      own.seedCollection({ title: 'Waited', handle: 'ml-w' });
      const { engine } = engineFor(own, targetFor(own), {}, { maxFailedIterations: 1 });
      // The category cannot be looked up at first: the product is synced and waits for it; then
      // the category is found and the product joins it, and every answer to that join is lost.
      own.injectFault('http503', { count: 4, field: 'collections' });
      own.injectFault('reset', { count: 1_000, afterExecute: true, field: 'collectionAddProducts' });
      await engine.enqueue([category('ML-w', 'Waited', { handle: 'ml-w' }), product('ML-2', { handle: 'ml-2', categoryRefs: ['ML-w'] })]);
      const lost = await engine.start();
      assert.deepEqual(lost.pending, { categories: 1, products: 0, variants: 0 }, 'the category goes again');
      own.clearFaults();
      // The host takes the product out of the category before that.
      await engine.enqueue([product('ML-2', { handle: 'ml-2', categoryRefs: [] })]);
      const next = await engine.start();
      assert.deepEqual(next.generalErrors, []);
      assert.deepEqual(next.pending, { categories: 0, products: 0, variants: 0 });
      assert.deepEqual(own.collection({ handle: 'ml-w' })!.productIds, [], 'not in the collection it left');
    } finally {
      await own.close();
    }
  });

  it('an AbortSignal stops a push under way; its items stay queued', async () => {
    const slow = await startSim({ latency: { baseMs: 300, perMutationMs: 0, jitterMs: 0 } });
    try {
      const { engine } = engineFor(slow, targetFor(slow, { requestTimeoutMs: 5_000 }));
      await engine.enqueue([product('U-1'), product('U-2')]);
      const stop = new AbortController();
      engine.on('statusChanged', ({ status }) => {
        if (status === 'in_progress') setTimeout(() => stop.abort(), 50);
      });
      const e = await engine.start({ signal: stop.signal });
      assert.equal(e.status, 'completed');
      assert.equal(e.generalErrors.at(-1)!.code, 'stopped');
      assert.equal(e.iterations.length, 0);
      assert.deepEqual(e.pending, { categories: 0, products: 2, variants: 0 });
    } finally {
      await slow.close();
    }
  });
});

describe('cost and throttling', () => {
  it('THROTTLED is waited out as the bucket says, without a retry storm', async () => {
    // Refilling the drained bucket takes 0.8 s: longer than a busy machine may take to send the first request.
    const sim = await startSim({ bucketSize: 400, restoreRate: 500 });
    try {
      const target = targetFor(sim, { maxInFlight: 4 });
      const { engine } = engineFor(sim, target, {}, { batchSize: 200 });
      await engine.enqueue(Array.from({ length: 60 }, (_, i) => product(`V-${i}`)));
      // Another app of the store empties the bucket after we connected: our picture of it is wrong.
      engine.on('statusChanged', ({ status }) => {
        if (status === 'in_progress') sim.setBucket(TOKEN, 0);
      });
      const e = await engine.start();
      assert.equal(e.status, 'completed');
      assert.deepEqual(e.generalErrors, []);
      assert.equal((await engine.queryItems({ status: 'complete' })).total, 60);
      const throttled = sim.throttledCount;
      assert.ok(throttled >= 1, 'the drained bucket was met');
      assert.ok(throttled <= 4, `at most one THROTTLED per request in flight, got ${throttled}`);
      assert.equal(target.stats.throttled, throttled);
      // Requests the pacer let through fit the bucket: none asked for more than it holds.
      assert.ok(sim.requests.every((r) => (r.requestedCost ?? 0) <= 400));
    } finally {
      await sim.close();
    }
  });

  it('with an accurate picture of the bucket, nothing is THROTTLED even when it is small', async () => {
    const sim = await startSim({ bucketSize: 150, restoreRate: 3_000 });
    try {
      const { engine } = engineFor(sim, targetFor(sim, { maxInFlight: 8 }), {}, { batchSize: 500 });
      await engine.enqueue(Array.from({ length: 150 }, (_, i) => product(`W-${i}`)));
      const e = await engine.start();
      assert.equal(e.status, 'completed');
      assert.equal(sim.throttledCount, 0);
      assert.ok(sim.requests.filter((r) => r.mutations > 1).length > 0, 'several mutations per request');
      assert.ok(sim.requests.every((r) => (r.requestedCost ?? 0) <= 150));
    } finally {
      await sim.close();
    }
  });

  it('MAX_COST_EXCEEDED splits the request and lowers the limit for the next ones', async () => {
    const sim = await startSim({ maxQueryCost: 100, bucketSize: 5_000, restoreRate: 5_000 });
    try {
      const { engine } = engineFor(sim, targetFor(sim), {}, { batchSize: 40 });
      await engine.enqueue(Array.from({ length: 80 }, (_, i) => product(`X-${i}`)));
      const e = await engine.start();
      assert.equal(e.status, 'completed');
      assert.equal((await engine.queryItems({ status: 'complete' })).total, 80);
      const tooCostly = sim.requests.filter((r) => r.errorCodes.includes('MAX_COST_EXCEEDED')).length;
      assert.ok(tooCostly >= 1 && tooCostly <= 2, `learned once, got ${tooCostly}`);
      assert.ok(sim.requests.filter((r) => r.mutations > 0).every((r) => r.errorCodes.includes('MAX_COST_EXCEEDED') || (r.requestedCost ?? 0) <= 100));
    } finally {
      await sim.close();
    }
  });
});

describe('storage', () => {
  it('keeps its state in the connector’s id store, under keys of its own', async () => {
    const sim = await startSim();
    try {
      const storage = new MemoryStorage();
      const { engine } = engineFor(sim, targetFor(sim), {}, { storage });
      await engine.enqueue([product('Y-1'), variant('Y-1-a', 'Y-1', { stock: 1 })]);
      await engine.start();
      const ids = await storage.getTargetIds('store', ['product:Y-1', 'variant:Y-1-a', 'shopify:product:Y-1', 'shopify:variant:Y-1-a']);
      assert.equal(ids.get('product:Y-1'), sim.product({ sku: 'Y-1-a' })!.id);
      assert.deepEqual(JSON.parse(ids.get('shopify:product:Y-1')!).variants, ['Y-1-a']);
      assert.equal(JSON.parse(ids.get('shopify:variant:Y-1-a')!).stockInitialized, true);
    } finally {
      await sim.close();
    }
  });
});
