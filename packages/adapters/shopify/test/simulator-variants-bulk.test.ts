/**
 * The simulator's productVariantsBulkUpdate: prices and barcodes of some of one product's variants
 * in one mutation, with Shopify's userErrors, all-or-nothing unless `allowPartialUpdates`, and the
 * cost Shopify's rule gives it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { adminSchema, requestedCost } from '@shopsync/shopify/internal';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim } from './helpers.js';
import { errorCodes, payload, post } from './sim-helpers.js';

const BULK = `mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!, $partial: Boolean) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants, allowPartialUpdates: $partial) {
    product { id }
    productVariants { id price compareAtPrice barcode }
    userErrors { code field message }
  }
}`;

interface BulkPayload {
  product: { id: string } | null;
  productVariants: Array<{ id: string; price: string; compareAtPrice: string | null; barcode: string | null }> | null;
  userErrors: Array<{ code: string; field: string[]; message: string }>;
}

describe('simulator: productVariantsBulkUpdate', () => {
  let sim: ShopifySimulator;
  let productId: string;
  let s: string, m: string, l: string, foreign: string;
  before(async () => {
    sim = await startSim({ versions: { supported: ['2025-01', '2026-01', '2026-04'] } });
    const sizes = ['S', 'M', 'L'];
    const shirt = sim.seedProduct({
      title: 'Shirt',
      productOptions: [{ name: 'Size', values: sizes.map((name) => ({ name })) }],
      variants: sizes.map((name) => ({ optionValues: [{ optionName: 'Size', name }], price: '10.00', barcode: `BAR-${name}`, inventoryItem: { sku: `BULK-${name}` } })),
    });
    productId = shirt.id;
    [s, m, l] = shirt.variants.map((v) => v.id) as [string, string, string];
    foreign = sim.seedProduct({ title: 'Other' }).variants[0]!.id;
  });
  after(async () => {
    await sim.close();
  });

  const bulk = async (variants: unknown[], partial?: boolean, id = productId, version = '2025-01') => {
    const variables = { productId: id, variants, ...(partial === undefined ? {} : { partial }) };
    const answer = await post(sim, BULK, variables, { version });
    return {
      answer,
      variables,
      get result() {
        return payload<BulkPayload>(answer, 'productVariantsBulkUpdate');
      },
    };
  };
  const prices = () => sim.product({ id: productId })!.variants.map((v) => [v.price, v.compareAtPrice, v.barcode]);

  it('updates the variants named, leaves the others, and costs a mutation plus its selection (every schema gate)', async () => {
    for (const [i, version] of ['2025-01', '2026-01', '2026-04'].entries()) {
      const price = `1${i}.50`;
      const { answer, variables, result } = await bulk([{ id: s, price, compareAtPrice: '20.00' }, { id: m, barcode: null }], undefined, productId, version);
      assert.deepEqual(result.userErrors, []);
      assert.equal(result.product!.id, productId);
      assert.deepEqual(result.productVariants, [
        { id: s, price, compareAtPrice: '20.00', barcode: 'BAR-S' },
        { id: m, price: '10.00', compareAtPrice: null, barcode: null },
      ]);
      assert.deepEqual(prices(), [
        [price, '20.00', 'BAR-S'],
        ['10.00', null, null],
        ['10.00', null, 'BAR-L'],
      ]);
      // 10 for the mutation, 1 for product, 1 for the productVariants objects, 1 for userErrors.
      const cost = answer.body.extensions!.cost!;
      assert.equal(cost.requestedQueryCost, requestedCost(adminSchema(version), parse(BULK), variables, undefined, version));
      assert.equal(cost.requestedQueryCost, 13);
      assert.equal(cost.actualQueryCost, 12, 'the empty userErrors list costs nothing once answered');
    }
  });

  it('an unknown product is PRODUCT_DOES_NOT_EXIST', async () => {
    const { result } = await bulk([{ id: s, price: '1.00' }], false, 'gid://shopify/Product/999999');
    assert.deepEqual(result, { product: null, productVariants: null, userErrors: [{ code: 'PRODUCT_DOES_NOT_EXIST', field: ['productId'], message: 'Product does not exist' }] });
  });

  const mixed = () => [
    { id: s, price: '5.00' },
    { price: '6.00' },
    { id: foreign, price: '7.00' },
    { id: l, price: '-1.00' },
    { id: m, price: 'cheap' },
    { id: m, compareAtPrice: '-3' },
    { id: 'gid://shopify/ProductVariant/999999', price: '8.00' },
  ];
  const expectedErrors = [
    ['PRODUCT_VARIANT_ID_MISSING', ['variants', '1', 'id']],
    ['PRODUCT_VARIANT_DOES_NOT_EXIST', ['variants', '2', 'id']],
    ['GREATER_THAN_OR_EQUAL_TO', ['variants', '3', 'price']],
    ['INVALID_INPUT', ['variants', '4', 'price']],
    ['GREATER_THAN_OR_EQUAL_TO', ['variants', '5', 'compareAtPrice']],
    ['PRODUCT_VARIANT_DOES_NOT_EXIST', ['variants', '6', 'id']],
  ];

  it('without allowPartialUpdates, any invalid variant means nothing is applied', async () => {
    const before = prices();
    for (const partial of [undefined, false]) {
      const { result } = await bulk(mixed(), partial);
      assert.deepEqual(
        result.userErrors.map((e) => [e.code, e.field]),
        expectedErrors,
      );
      assert.equal(result.product, null);
      assert.equal(result.productVariants, null);
      assert.deepEqual(prices(), before);
    }
  });

  it('with allowPartialUpdates, the valid variants are applied and the invalid ones reported', async () => {
    const { result } = await bulk(mixed(), true);
    assert.deepEqual(
      result.userErrors.map((e) => [e.code, e.field]),
      expectedErrors,
    );
    assert.equal(result.product!.id, productId);
    assert.deepEqual(result.productVariants!.map((v) => [v.id, v.price]), [[s, '5.00']]);
    assert.equal(sim.product({ id: productId })!.variants[0]!.price, '5.00');
    assert.equal(sim.product({ sku: 'BULK-L' })!.variants[2]!.price, '10.00');
    const other = sim.snapshot().products.find((p) => p.variants.some((v) => v.id === foreign))!;
    assert.equal(other.variants[0]!.price, '0.00', "another product's variant untouched");
  });

  it('more than 250 variants in one request are refused as any input array is', async () => {
    const before = prices();
    const { answer } = await bulk(Array.from({ length: 251 }, () => ({ id: s, price: '1.00' })), true);
    assert.deepEqual(errorCodes(answer), ['MAX_INPUT_SIZE_EXCEEDED']);
    assert.deepEqual(prices(), before);
    const ok = await bulk(Array.from({ length: 250 }, () => ({ id: s, price: '2.00' })), true);
    assert.deepEqual(ok.result.userErrors, []);
  });
});
