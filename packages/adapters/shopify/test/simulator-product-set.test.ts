/**
 * The simulator's productSet as the target uses it to write a product in one mutation: with its
 * collections (a list that replaces membership), its variants' stock (inventoryQuantities), and
 * named by `identifier` (API 2026-01 on here), where `ProductSetInput.id` is deprecated.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim } from './helpers.js';
import { defaultVariant, errorCodes, payload, post, PRODUCT_SET, titleOption, type ProductSetPayload } from './sim-helpers.js';

const SET_WITH_IDENTIFIER = `mutation($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input) { product { id handle variants(first: 5) { nodes { id sku } } } userErrors { code field message } }
}`;

describe('simulator: productSet with collections', () => {
  let sim: ShopifySimulator;
  let shoes: string, sale: string, summer: string;
  before(async () => {
    sim = await startSim();
    [shoes, sale, summer] = ['Shoes', 'Sale', 'Summer'].map((title) => sim.seedCollection({ title }).id) as [string, string, string];
  });
  after(async () => {
    await sim.close();
  });

  const set = async (input: Record<string, unknown>) => payload<ProductSetPayload>(await post(sim, PRODUCT_SET, { input }), 'productSet');
  const lamp = (sku: string, extra: Record<string, unknown> = {}) => ({ title: `Lamp ${sku}`, productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku } }], ...extra });

  it('a new product joins the collections it names', async () => {
    const other = sim.seedProduct({ title: 'Already there', collections: [shoes] });
    const made = await set(lamp('COL-1', { collections: [shoes, sale, shoes] }));
    assert.deepEqual(made.userErrors, []);
    assert.deepEqual(sim.product({ sku: 'COL-1' })!.collections, ['shoes', 'sale']);
    assert.deepEqual(sim.collection({ id: shoes })!.productIds, [other.id, made.product!.id], 'appended, once');
  });

  it('an update replaces the membership: left out is removed, named is joined, omitted is unchanged', async () => {
    const id = (await set(lamp('COL-2', { collections: [shoes, sale] }))).product!.id;
    assert.deepEqual((await set({ id, collections: [sale, summer] })).userErrors, []);
    assert.deepEqual(sim.product({ id })!.collections, ['sale', 'summer']);
    assert.ok(!sim.collection({ id: shoes })!.productIds.includes(id));
    await set({ id, title: 'Renamed' });
    assert.deepEqual(sim.product({ id })!.collections, ['sale', 'summer'], 'no collections given: unchanged');
    await set({ id, collections: [] });
    assert.deepEqual(sim.product({ id })!.collections, [], 'an empty list leaves every collection');
  });

  it('an id that is not a collection is a userError, and nothing is applied', async () => {
    const id = (await set(lamp('COL-3', { collections: [shoes] }))).product!.id;
    const before = sim.snapshot();
    const bad = await set({ id, title: 'Changed', collections: [sale, 'gid://shopify/Collection/999999', id] });
    assert.equal(bad.product, null);
    assert.deepEqual(
      bad.userErrors.map((e) => [e.code, e.field]),
      [
        ['INVALID_INPUT', ['input', 'collections', '1']],
        ['INVALID_INPUT', ['input', 'collections', '2']],
      ],
    );
    assert.deepEqual(sim.snapshot(), before, 'title and membership unchanged');
    const created = await set(lamp('COL-4', { collections: ['gid://shopify/Collection/999999'] }));
    assert.deepEqual(created.userErrors.map((e) => e.code), ['INVALID_INPUT']);
    assert.equal(sim.product({ sku: 'COL-4' }), undefined, 'no product created');
  });
});

describe('simulator: productSet stocks new variants (inventoryQuantities)', () => {
  it('a new variant is stocked at the locations given, with the quantity; an existing one takes quantities where it is stocked', async () => {
    const sim = await startSim({ locations: [{ name: 'Main' }, { name: 'Shop floor' }] });
    try {
      const [main, floor] = sim.snapshot().locations.map((l) => l.id) as [string, string];
      const sizes = [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }] }];
      const variant = (size: string, quantities: Array<{ locationId: string; quantity: number }>, id?: string) => ({
        ...(id ? { id } : {}),
        optionValues: [{ optionName: 'Size', name: size }],
        inventoryItem: { sku: `STOCK-${size}` },
        inventoryQuantities: quantities.map((q) => ({ ...q, name: 'available' })),
      });
      const created = payload<ProductSetPayload>(
        await post(sim, PRODUCT_SET, { input: { title: 'Socks', productOptions: sizes, variants: [variant('S', [{ locationId: main, quantity: 5 }]), variant('M', [{ locationId: floor, quantity: 7 }])] } }),
        'productSet',
      );
      assert.deepEqual(created.userErrors, []);
      assert.equal(sim.stock('STOCK-S'), 5);
      assert.equal(sim.stock('STOCK-M', floor), 7);
      // New inventory is stocked at the primary location too (at 0 where no quantity says otherwise).
      assert.deepEqual(sim.product({ sku: 'STOCK-M' })!.variants[1]!.stock, { [main]: 0, [floor]: 7 });

      const [s, m] = created.product!.variants.nodes as [{ id: string; sku: string }, { id: string; sku: string }];
      const update = (vs: unknown[]) => post(sim, PRODUCT_SET, { input: { id: created.product!.id, productOptions: sizes, variants: vs } });
      const updated = payload<ProductSetPayload>(await update([variant('S', [{ locationId: main, quantity: 9 }], s.id), variant('M', [{ locationId: floor, quantity: 8 }], m.id)]), 'productSet');
      assert.deepEqual(updated.userErrors, []);
      assert.deepEqual([sim.stock('STOCK-S'), sim.stock('STOCK-M', floor)], [9, 8]);
      const notStocked = payload<ProductSetPayload>(await update([variant('S', [{ locationId: floor, quantity: 1 }], s.id), variant('M', [], m.id)]), 'productSet');
      assert.deepEqual(notStocked.userErrors.map((e) => [e.code, e.field]), [['INVALID_VARIANT', ['input', 'variants', '0', 'inventoryQuantities', '0', 'locationId']]]);
      assert.equal(sim.stock('STOCK-S', floor), undefined, 'nothing applied');
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: productSet(identifier:) upserts (2026-01 on)', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ versions: { supported: ['2025-01', '2026-01'] } });
  });
  after(async () => {
    await sim.close();
  });

  const upsert = async (identifier: Record<string, unknown> | undefined, input: Record<string, unknown>, version = '2026-01') => {
    const a = await post(sim, SET_WITH_IDENTIFIER, { identifier, input }, { version });
    return { answer: a, set: (a.body.data?.['productSet'] ?? null) as ProductSetPayload | null };
  };

  it('by id: updates that product; an unknown id is PRODUCT_DOES_NOT_EXIST', async () => {
    const seeded = sim.seedProduct({ title: 'By id' });
    const { set } = await upsert({ id: seeded.id }, { title: 'By id, renamed' });
    assert.deepEqual(set!.userErrors, []);
    assert.equal(set!.product!.id, seeded.id);
    assert.equal(sim.product({ id: seeded.id })!.title, 'By id, renamed');
    const count = sim.snapshot().products.length;
    const missing = await upsert({ id: 'gid://shopify/Product/999999' }, { title: 'Nobody' });
    assert.deepEqual(missing.set!.userErrors.map((e) => [e.code, e.field]), [['PRODUCT_DOES_NOT_EXIST', ['identifier', 'id']]]);
    assert.equal(sim.snapshot().products.length, count, 'nothing created');
  });

  it('by handle: creates the product with that handle, then updates it', async () => {
    const input = { title: 'Upserted lamp', productOptions: titleOption, variants: [{ ...defaultVariant, price: '12.00', inventoryItem: { sku: 'UPSERT-H' } }] };
    const first = await upsert({ handle: 'upserted-lamp-2' }, input);
    assert.deepEqual(first.set!.userErrors, []);
    assert.equal(first.set!.product!.handle, 'upserted-lamp-2');
    const second = await upsert({ handle: 'upserted-lamp-2' }, { ...input, title: 'Upserted lamp, again', variants: [{ ...input.variants[0], id: first.set!.product!.variants.nodes[0]!.id, price: '13.00' }] });
    assert.deepEqual(second.set!.userErrors, []);
    assert.equal(second.set!.product!.id, first.set!.product!.id, 'the same product');
    const p = sim.product({ handle: 'upserted-lamp-2' })!;
    assert.deepEqual([p.title, p.variants[0]!.price], ['Upserted lamp, again', '13.00']);
    const mismatch = await upsert({ handle: 'upserted-lamp-2' }, { handle: 'another-handle' });
    assert.deepEqual(mismatch.set!.userErrors.map((e) => [e.code, e.field]), [['INPUT_MISMATCH', ['input', 'handle']]]);
  });

  it('by custom ID: creates the product carrying it, then updates it; metafields given must carry it', async () => {
    const def = await post(sim, 'mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { userErrors { code } } }', {
      d: { namespace: '$app', key: 'erp_id', name: 'ERP id', ownerType: 'PRODUCT', type: 'single_line_text_field', capabilities: { uniqueValues: { enabled: true } } },
    });
    assert.deepEqual(payload<{ userErrors: unknown[] }>(def, 'metafieldDefinitionCreate').userErrors, []);
    const customId = { namespace: '$app', key: 'erp_id', value: 'ERP-77' };
    const first = await upsert({ customId }, { title: 'Custom', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'UPSERT-C' } }] });
    assert.deepEqual(first.set!.userErrors, []);
    assert.equal(sim.product({ sku: 'UPSERT-C' })!.metafields['app--1001.erp_id'], 'ERP-77');
    const again = await upsert({ customId }, { title: 'Custom, again', metafields: [{ namespace: '$app', key: 'erp_id', value: 'ERP-77' }] });
    assert.deepEqual(again.set!.userErrors, []);
    assert.equal(again.set!.product!.id, first.set!.product!.id);
    assert.equal(sim.product({ sku: 'UPSERT-C' })!.title, 'Custom, again');
    const found = await post(sim, 'query($v: String!) { productByIdentifier(identifier: { customId: { namespace: "$app", key: "erp_id", value: $v } }) { id } }', { v: 'ERP-77' }, { version: '2026-01' });
    assert.deepEqual(found.body.data, { productByIdentifier: { id: first.set!.product!.id } });
    const without = await upsert({ customId }, { title: 'Lost id', metafields: [{ namespace: '$app', key: 'erp_id', value: 'ERP-78' }] });
    assert.deepEqual(without.set!.userErrors.map((e) => [e.code, e.field]), [['METAFIELD_MISMATCH', ['input', 'metafields']]]);
    const noDefinition = await upsert({ customId: { key: 'nothing_here', value: 'x' } }, { title: 'x' });
    assert.deepEqual(noDefinition.set!.userErrors.map((e) => [e.code, e.field]), [['INVALID_INPUT', ['identifier', 'customId']]]);
  });

  it('an identifier and input.id together are refused (ID_NOT_ALLOWED); so is an identifier naming two things', async () => {
    const seeded = sim.seedProduct({ title: 'Both' });
    const both = await upsert({ id: seeded.id }, { id: seeded.id, title: 'Both, changed' });
    assert.deepEqual(both.set!.userErrors.map((e) => [e.code, e.field]), [['ID_NOT_ALLOWED', ['input', 'id']]]);
    assert.equal(sim.product({ id: seeded.id })!.title, 'Both');
    const two = await upsert({ id: seeded.id, handle: 'both' }, { title: 'x' });
    assert.deepEqual(errorCodes(two.answer), ['BAD_REQUEST']);
    assert.equal(two.set, null);
  });

  it('2025-01 has no identifier: the request is refused by validation and runs nothing', async () => {
    const count = sim.snapshot().products.length;
    const old = await upsert({ handle: 'too-early' }, { title: 'Too early' }, '2025-01');
    assert.ok(errorCodes(old.answer).length > 0);
    assert.ok(errorCodes(old.answer).every((c) => c === 'GRAPHQL_VALIDATION_FAILED'), errorCodes(old.answer).join());
    assert.match(JSON.stringify(old.answer.body.errors), /Unknown argument \\"identifier\\" on field \\"Mutation.productSet\\"/);
    assert.equal(sim.snapshot().products.length, count);
  });

  it('input.id still works on 2026-01, and the answer names ProductSetInput.id as deprecated (variables or literal)', async () => {
    const seeded = sim.seedProduct({ title: 'Old way' });
    const byVariable = await post(sim, PRODUCT_SET, { input: { id: seeded.id, title: 'Old way, updated' } }, { version: '2026-01' });
    assert.deepEqual(payload<ProductSetPayload>(byVariable, 'productSet').userErrors, []);
    assert.equal(sim.product({ id: seeded.id })!.title, 'Old way, updated');
    assert.equal(byVariable.headers.get('x-shopify-api-deprecated-reason'), 'ProductSetInput.id');
    const literal = await post(sim, `mutation { productSet(input: { id: ${JSON.stringify(seeded.id)}, title: "Literal" }) { userErrors { code } } }`, {}, { version: '2026-01' });
    assert.equal(literal.headers.get('x-shopify-api-deprecated-reason'), 'ProductSetInput.id');
    const byIdentifier = await upsert({ id: seeded.id }, { title: 'New way' });
    assert.equal(byIdentifier.answer.headers.get('x-shopify-api-deprecated-reason'), null);
    // Not deprecated in 2025-01, where there is no other way.
    const old = await post(sim, PRODUCT_SET, { input: { id: seeded.id, title: 'Old version' } }, { version: '2025-01' });
    assert.equal(old.headers.get('x-shopify-api-deprecated-reason'), null);
  });
});
