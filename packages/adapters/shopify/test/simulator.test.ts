import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { MemoryStorage, ValidationError } from '@shopsync/core';
import { PLAN_PRESETS, ShopifySimulator } from '@shopsync/shopify/simulator';
import { calendarPolicy } from '../src/simulator/versions.js';
import { category, engineFor, product, startSim, targetFor, TOKEN, variant } from './helpers.js';
import { defaultVariant, post, PRODUCT_SET, SHOP, titleOption } from './sim-helpers.js';

describe('simulator: the HTTP contract', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ versions: { supported: ['2025-01', '2025-04', '2026-07'], deprecated: { '2025-01': 'Version 2025-01 ends soon.' } } });
  });
  after(async () => {
    await sim.close();
  });

  it('listens on 127.0.0.1 at a free port', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(sim.url, 'http://127.0.0.1:0');
  });

  it('answers a wrong or missing token with 401 and Shopify’s body; the log keeps a hash, never the token', async () => {
    for (const token of ['shpat_wrongwrongwrongwrongwrongwrong00', null]) {
      const r = await post(sim, SHOP, {}, { token });
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const ok = await post(sim, SHOP);
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body.data, { shop: { name: 'Shopsync Simulator', myshopifyDomain: 'shopsync-simulator.myshopify.com' } });
    const log = JSON.stringify(sim.requests);
    assert.ok(!log.includes(TOKEN) && !log.includes('wrongwrong'));
    assert.deepEqual(sim.requests.slice(-3).map((r) => r.token.split(':')[0]), ['invalid', 'missing', 'valid']);
  });

  it('404 for another store or path; 405 for other methods', async () => {
    assert.equal((await post(sim, SHOP, {}, { host: 'elsewhere.myshopify.com' })).status, 404);
    assert.equal((await post(sim, SHOP, {}, { host: sim.shopDomain })).status, 200);
    assert.equal((await fetch(`${sim.url}/admin/api/2025-01/products.json`)).status, 404);
    assert.equal((await fetch(sim.graphqlUrl('2025-01'))).status, 405);
    assert.equal((await post(sim, SHOP, {}, { version: 'latest' })).status, 404);
  });

  it('names the serving version on every answer; old versions fall forward; deprecated ones say so', async () => {
    const old = await post(sim, SHOP, {}, { version: '2024-04' });
    assert.equal(old.headers.get('x-shopify-api-version'), '2025-01');
    assert.equal(old.headers.get('x-shopify-api-deprecated-reason'), 'Version 2025-01 ends soon.');
    const newer = await post(sim, SHOP, {}, { version: '2027-04' });
    assert.equal(newer.headers.get('x-shopify-api-version'), '2026-07');
    const current = await post(sim, SHOP, {}, { version: '2026-07' });
    assert.equal(current.headers.get('x-shopify-api-deprecated-reason'), null);
    assert.equal((await post(sim, SHOP, {}, { version: '2026-07', token: 'nope' })).headers.get('x-shopify-api-version'), '2026-07');
    // Deprecated fields: a URL before 2025-04, the fields used from then on.
    const deprecated = 'query { location { id isPrimary } }';
    assert.equal((await post(sim, deprecated, {}, { version: '2025-01' })).headers.get('x-shopify-api-deprecated-reason'), 'https://shopify.dev/api/usage/versioning#deprecation-practices; Version 2025-01 ends soon.');
    assert.equal((await post(sim, deprecated, {}, { version: '2025-04' })).headers.get('x-shopify-api-deprecated-reason'), 'Location.isPrimary');
  });

  it('serves Shopify’s version calendar by default', () => {
    const p = calendarPolicy(new Date('2026-11-29T12:00:00Z'));
    assert.deepEqual(p.supported, ['2026-01', '2026-04', '2026-07', '2026-10', '2027-01', 'unstable']);
    assert.deepEqual(Object.keys(p.deprecated), ['2026-01'], 'support for 2026-01 ends within 90 days');
  });

  it('reports requested and actual cost, and charges the bucket', async () => {
    const r = await post(sim, 'query { products(first: 10) { nodes { id title } } }');
    const cost = r.body.extensions!.cost!;
    assert.equal(cost.requestedQueryCost, 12, '2 + 10 × 1');
    assert.equal(cost.actualQueryCost, 2 + (r.body.data!['products'] as { nodes: unknown[] }).nodes.length);
    assert.equal(cost.throttleStatus.maximumAvailable, PLAN_PRESETS.standard.bucketSize);
    assert.equal(cost.throttleStatus.restoreRate, PLAN_PRESETS.standard.restoreRate);
    // With a bucket that barely refills, the charge shows exactly: requested taken, the rest refunded.
    const slow = await startSim({ bucketSize: 100, restoreRate: 0.001 });
    try {
      for (let i = 0; i < 3; i++) slow.seedProduct({ title: `Lamp ${i}` });
      const a = (await post(slow, 'query { products(first: 10) { nodes { id } } }')).body.extensions!.cost!;
      assert.deepEqual([a.requestedQueryCost, a.actualQueryCost, a.throttleStatus.currentlyAvailable], [12, 5, 95]);
      const b = (await post(slow, 'query { products(first: 10) { nodes { id } } }')).body.extensions!.cost!;
      assert.equal(b.throttleStatus.currentlyAvailable, 90);
    } finally {
      await slow.close();
    }
  });

  it('MAX_COST_EXCEEDED over the single-query limit, as HTTP 200, nothing charged', async () => {
    const r = await post(sim, 'query { products(first: 250) { nodes { id variants(first: 10) { nodes { id } } } } }');
    assert.equal(r.status, 200);
    const errors = r.body.errors as Array<{ extensions: { code: string; cost: number; maxCost: number } }>;
    assert.equal(errors[0]!.extensions.code, 'MAX_COST_EXCEEDED');
    assert.equal(errors[0]!.extensions.maxCost, 1_000);
    assert.equal(errors[0]!.extensions.cost, 2 + 250 * 13);
    assert.equal(r.body.extensions!.cost!.actualQueryCost, null);
  });

  it('input arrays over 250 are refused', async () => {
    const r = await post(sim, 'mutation($id: ID!, $p: [ID!]!) { collectionAddProducts(id: $id, productIds: $p) { userErrors { message } } }', { id: 'gid://shopify/Collection/1', p: Array.from({ length: 251 }, (_, i) => `gid://shopify/Product/${i}`) });
    assert.equal((r.body.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code, 'MAX_INPUT_SIZE_EXCEEDED');
  });

  it('productSet’s variants (and its options’ values) are bound by the product’s variant limit, not by the 250 rule; from 2025-10 it costs by its input, and the variants page by cursor', async () => {
    const sizes = (n: number) => Array.from({ length: n }, (_, i) => `S${i}`);
    const input = (n: number, prefix: string) => ({
      title: `Wide ${prefix}`,
      productOptions: [{ name: 'Size', values: sizes(n).map((name) => ({ name })) }],
      variants: sizes(n).map((name) => ({ optionValues: [{ optionName: 'Size', name }], price: '1.00', inventoryItem: { sku: `${prefix}-${name}` } })),
    });
    const query = `mutation($input: ProductSetInput!) { productSet(input: $input) { product { id variants(first: 250) { nodes { id } pageInfo { hasNextPage endCursor } } } userErrors { code field message } } }`;
    const ok = await post(sim, query, { input: input(300, 'W') }, { version: '2026-07' });
    assert.equal(ok.body.errors, undefined, JSON.stringify(ok.body.errors));
    const set = (ok.body.data as { productSet: { product: { id: string; variants: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }; userErrors: unknown[] } }).productSet;
    assert.deepEqual(set.userErrors, []);
    assert.equal(set.product.variants.nodes.length, 250);
    assert.equal(set.product.variants.pageInfo.hasNextPage, true);
    // 10 + 0.2 x 300 for the input, 1 + 2 + 250 x 1 + 1 for the answer.
    assert.equal(ok.body.extensions!.cost!.requestedQueryCost, 10 + 60 + 1 + 2 + 250 + 1);
    const rest = await post(sim, `query($id: ID!) { product(id: $id) { variants(first: 250, after: ${JSON.stringify(set.product.variants.pageInfo.endCursor)}) { nodes { id } pageInfo { hasNextPage endCursor } } } }`, { id: set.product.id }, { version: '2026-07' });
    const page = (rest.body.data as { product: { variants: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } } }).product.variants;
    assert.equal(page.nodes.length, 50);
    assert.equal(page.pageInfo.hasNextPage, false);
    assert.equal(sim.product({ sku: 'W-S299' })!.variants.length, 300);
    // Before 2025-10 the version's limit is 100 (and the fixed cost of any mutation).
    const old = await post(sim, query, { input: input(101, 'O') }, { version: '2025-01' });
    const refused = (old.body.data as { productSet: { product: unknown; userErrors: Array<{ code: string }> } }).productSet;
    assert.deepEqual(refused.userErrors.map((e) => e.code), ['VARIANTS_OVER_LIMIT']);
    assert.equal(old.body.extensions!.cost!.requestedQueryCost, 10 + 1 + 2 + 250 + 1);
    // Other input lists keep the 250 rule, in productSet as elsewhere.
    const tags = await post(sim, query, { input: { title: 'Tags', tags: sizes(251) } }, { version: '2026-07' });
    assert.equal((tags.body.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code, 'MAX_INPUT_SIZE_EXCEEDED');
  });

  it('works with @shopify/admin-api-client, the real client', async () => {
    const client = createAdminApiClient({
      storeDomain: sim.shopDomain,
      apiVersion: '2025-01',
      accessToken: TOKEN,
      logger: () => undefined,
      customFetchApi: (url, init) => fetch(url.replace(`https://${sim.shopDomain}`, sim.url), init as RequestInit),
    });
    const r = await client.request(SHOP);
    assert.deepEqual(r.data, { shop: { name: 'Shopsync Simulator', myshopifyDomain: sim.shopDomain } });
    assert.equal(r.headers?.get('x-shopify-api-version'), '2025-01');
    assert.ok((r.extensions?.cost as { requestedQueryCost?: number } | undefined)?.requestedQueryCost !== undefined);
  });
});

describe('simulator: the store and its userErrors', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ maxVariantsPerProduct: 3 });
  });
  after(async () => {
    await sim.close();
  });

  const set = async (input: Record<string, unknown>) => {
    const r = await post(sim, PRODUCT_SET, { input });
    return (r.body.data as { productSet: { product: { id: string; handle: string; variants: { nodes: Array<{ id: string; sku: string }> } } | null; userErrors: Array<{ code: string; field: string[]; message: string }> } }).productSet;
  };

  it('creates and updates products through productSet, replacing the variant list', async () => {
    const created = await set({ title: 'Shirt', productOptions: [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }] }], variants: [{ optionValues: [{ optionName: 'Size', name: 'S' }], price: '10.00', inventoryItem: { sku: 'SIM-S' } }, { optionValues: [{ optionName: 'Size', name: 'M' }], price: '11.00', inventoryItem: { sku: 'SIM-M' } }] });
    assert.deepEqual(created.userErrors, []);
    assert.equal(created.product!.handle, 'shirt');
    const [s] = created.product!.variants.nodes;
    const updated = await set({ id: created.product!.id, productOptions: [{ name: 'Size', values: [{ name: 'S' }] }], variants: [{ id: s!.id, optionValues: [{ optionName: 'Size', name: 'S' }], price: '9.00' }] });
    assert.deepEqual(updated.product!.variants.nodes, [{ id: s!.id, sku: 'SIM-S' }]);
    assert.equal(sim.product({ sku: 'SIM-S' })!.variants[0]!.price, '9.00');
    assert.equal(sim.product({ sku: 'SIM-M' }), undefined, 'left out, so deleted');
    assert.equal(sim.product({ sku: 'SIM-S' })!.title, 'Shirt', 'fields not given are kept');
  });

  it('userErrors for bad input, and nothing applied', async () => {
    const before = sim.snapshot().products.length;
    const blank = await set({ title: '  ' });
    assert.deepEqual(blank.userErrors, [{ code: 'INVALID_PRODUCT', field: ['input', 'title'], message: "Title can't be blank" }]);
    await set({ title: 'Taken', handle: 'sim-taken', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'SIM-TAKEN' } }] });
    const handle = await set({ title: 'Other', handle: 'sim-taken' });
    assert.deepEqual(handle.userErrors.map((e) => [e.code, e.field]), [['HANDLE_NOT_UNIQUE', ['input', 'handle']]]);
    const sku = await set({ title: 'Other', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'SIM-TAKEN' } }] });
    assert.deepEqual(sku.userErrors.map((e) => [e.code, e.field]), [['DUPLICATED_VALUE', ['input', 'variants', '0', 'inventoryItem', 'sku']]]);
    const options = [{ name: 'Size', values: [{ name: 'S' }, { name: 'M' }, { name: 'L' }, { name: 'XL' }] }];
    const many = await set({ title: 'Many', productOptions: options, variants: ['S', 'M', 'L', 'XL'].map((v) => ({ optionValues: [{ optionName: 'Size', name: v }] })) });
    assert.deepEqual(many.userErrors.map((e) => [e.code, e.field]), [['VARIANTS_OVER_LIMIT', ['input', 'variants']]]);
    const missing = await set({ title: 'Missing', productOptions: [{ name: 'Size', values: [{ name: 'S' }] }, { name: 'Colour', values: [{ name: 'Red' }] }], variants: [{ optionValues: [{ optionName: 'Size', name: 'S' }] }] });
    assert.deepEqual(missing.userErrors.map((e) => [e.code, e.field]), [['INVALID_VARIANT', ['input', 'variants', '0', 'optionValues']]]);
    const noOptions = await set({ title: 'No options', variants: [defaultVariant] });
    assert.ok(noOptions.userErrors.some((e) => e.code === 'PRODUCT_OPTIONS_INPUT_MISSING'));
    const price = await set({ title: 'Price', productOptions: titleOption, variants: [{ ...defaultVariant, price: '-1' }] });
    assert.deepEqual(price.userErrors.map((e) => [e.code, e.field]), [['INVALID_VARIANT', ['input', 'variants', '0', 'price']]]);
    assert.equal(sim.snapshot().products.length, before + 1, 'only the valid product was created');
  });

  it('collections, membership and stock', async () => {
    const product = (await set({ title: 'Lamp', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'SIM-LAMP' } }] })).product!;
    const c = await post(sim, 'mutation($i: CollectionInput!) { collectionCreate(input: $i) { collection { id handle } userErrors { field message } } }', { i: { title: 'Lights', products: [product.id] } });
    const coll = (c.body.data as { collectionCreate: { collection: { id: string; handle: string } } }).collectionCreate.collection;
    assert.deepEqual(sim.collection({ handle: 'lights' })!.productIds, [product.id]);
    const blank = await post(sim, 'mutation($i: CollectionInput!) { collectionCreate(input: $i) { userErrors { field message } } }', { i: { title: '' } });
    assert.deepEqual((blank.body.data as { collectionCreate: { userErrors: unknown[] } }).collectionCreate.userErrors, [{ field: ['title'], message: "Title can't be blank" }]);
    await post(sim, 'mutation($id: ID!, $p: [ID!]!) { collectionRemoveProducts(id: $id, productIds: $p) { job { done } userErrors { message } } }', { id: coll.id, p: [product.id] });
    assert.deepEqual(sim.collection({ id: coll.id })!.productIds, []);

    const item = sim.product({ sku: 'SIM-LAMP' })!.variants[0]!.inventoryItemId;
    const setQ = 'mutation($i: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $i) { inventoryAdjustmentGroup { id } userErrors { code field message } } }';
    const quantities = [{ inventoryItemId: item, locationId: sim.primaryLocationId, quantity: 7 }];
    const required = await post(sim, setQ, { i: { name: 'available', reason: 'correction', quantities } });
    assert.deepEqual((required.body.data as { inventorySetQuantities: { userErrors: Array<{ code: string }> } }).inventorySetQuantities.userErrors.map((e) => e.code), ['COMPARE_QUANTITY_REQUIRED']);
    const ok = await post(sim, setQ, { i: { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities } });
    assert.deepEqual((ok.body.data as { inventorySetQuantities: { userErrors: unknown[] } }).inventorySetQuantities.userErrors, []);
    assert.equal(sim.stock('SIM-LAMP'), 7);
    const badReason = await post(sim, setQ, { i: { name: 'available', reason: 'because', ignoreCompareQuantity: true, quantities } });
    assert.deepEqual((badReason.body.data as { inventorySetQuantities: { userErrors: Array<{ code: string }> } }).inventorySetQuantities.userErrors.map((e) => e.code), ['INVALID_REASON']);
  });

  it('2026-07: changeFromQuantity must be given, the idempotency key is required and honoured', async () => {
    const v26 = await startSim({ versions: { supported: ['2026-07'] } });
    try {
      const p = (await post(v26, PRODUCT_SET, { input: { title: 'Mug', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'MUG' } }] } }, { version: '2026-07' })).body.data as { productSet: { product: { id: string } } };
      assert.ok(p.productSet.product.id);
      const item = v26.product({ sku: 'MUG' })!.variants[0]!.inventoryItemId;
      const q = (extra: Record<string, unknown>) => [{ inventoryItemId: item, locationId: v26.primaryLocationId, quantity: 3, ...extra }];
      const m = (directive: string) => `mutation($i: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $i)${directive} { inventoryAdjustmentGroup { id } userErrors { code message } } }`;
      const noKey = await post(v26, m(''), { i: { name: 'available', reason: 'correction', quantities: q({ changeFromQuantity: null }) } }, { version: '2026-07' });
      assert.match(JSON.stringify(noKey.body.errors), /@idempotent/);
      const noChangeFrom = await post(v26, m(' @idempotent(key: "k1")'), { i: { name: 'available', reason: 'correction', quantities: q({}) } }, { version: '2026-07' });
      assert.match(JSON.stringify(noChangeFrom.body.errors), /changeFromQuantity must be given/);
      const first = await post(v26, m(' @idempotent(key: "k2")'), { i: { name: 'available', reason: 'correction', quantities: q({ changeFromQuantity: null }) } }, { version: '2026-07' });
      const again = await post(v26, m(' @idempotent(key: "k2")'), { i: { name: 'available', reason: 'correction', quantities: q({ changeFromQuantity: null }) } }, { version: '2026-07' });
      assert.deepEqual(again.body.data, first.body.data, 'the same key gives the first result');
      assert.equal(v26.stock('MUG'), 3);
      const stale = await post(v26, m(' @idempotent(key: "k3")'), { i: { name: 'available', reason: 'correction', quantities: q({ changeFromQuantity: 99 }) } }, { version: '2026-07' });
      assert.deepEqual((stale.body.data as { inventorySetQuantities: { userErrors: Array<{ code: string }> } }).inventorySetQuantities.userErrors.map((e) => e.code), ['CHANGE_FROM_QUANTITY_STALE']);
      // The 2025-01 way is refused there: the field is gone.
      const old = await post(v26, m(' @idempotent(key: "k4")'), { i: { name: 'available', reason: 'correction', ignoreCompareQuantity: true, quantities: q({ changeFromQuantity: null }) } }, { version: '2026-07' });
      assert.match(JSON.stringify(old.body.errors), /ignoreCompareQuantity/);
    } finally {
      await v26.close();
    }
  });

  it('products carry a unique reference as a custom ID', async () => {
    const def = await post(sim, 'mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id namespace } userErrors { code message } } }', { d: { namespace: '$app', key: 'ref', name: 'Ref', ownerType: 'PRODUCT', type: 'single_line_text_field', capabilities: { uniqueValues: { enabled: true } } } });
    assert.equal((def.body.data as { metafieldDefinitionCreate: { createdDefinition: { namespace: string } } }).metafieldDefinitionCreate.createdDefinition.namespace, 'app--1001');
    const mf = [{ namespace: '$app', key: 'ref', value: 'REF-1' }];
    const made = await set({ title: 'Ref', metafields: mf });
    assert.deepEqual(made.userErrors, []);
    const twin = await set({ title: 'Ref twin', metafields: mf });
    assert.deepEqual(twin.userErrors.map((e) => [e.code, e.field]), [['INVALID_METAFIELD', ['input', 'metafields', '0', 'value']]]);
    const found = await post(sim, 'query($v: String!) { productByIdentifier(identifier: { customId: { namespace: "$app", key: "ref", value: $v } }) { id } }', { v: 'REF-1' });
    assert.deepEqual(found.body.data, { productByIdentifier: { id: made.product!.id } });
  });
});

describe('simulator: throttling', () => {
  it('THROTTLED as HTTP 200 when the bucket cannot hold the requested cost; it refills at the restore rate', async () => {
    const sim = await startSim({ bucketSize: 30, restoreRate: 50 });
    try {
      for (let i = 0; i < 20; i++) sim.seedProduct({ title: `Seed ${i}` });
      const q = 'query { products(first: 20) { nodes { id } } }';
      const first = await post(sim, q);
      assert.equal(first.status, 200);
      const second = await post(sim, q);
      assert.equal(second.status, 200);
      assert.deepEqual(second.body.errors, [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }]);
      assert.equal(second.body.extensions!.cost!.actualQueryCost, null);
      assert.equal(second.body.extensions!.cost!.requestedQueryCost, 22);
      assert.equal(sim.throttledCount, 1);
      const left = second.body.extensions!.cost!.throttleStatus.currentlyAvailable;
      await new Promise((r) => setTimeout(r, Math.ceil(((22 - left) / 50) * 1000) + 50));
      assert.equal((await post(sim, q)).body.errors, undefined, 'refilled');
    } finally {
      await sim.close();
    }
  });

  it('plans set the restore rate and bucket size; both can be set', async () => {
    for (const plan of ['standard', 'advanced', 'plus', 'enterprise'] as const) {
      const sim = await startSim({ plan });
      try {
        const s = (await post(sim, SHOP)).body.extensions!.cost!.throttleStatus;
        assert.deepEqual([s.restoreRate, s.maximumAvailable], [PLAN_PRESETS[plan].restoreRate, PLAN_PRESETS[plan].bucketSize]);
      } finally {
        await sim.close();
      }
    }
    assert.deepEqual([PLAN_PRESETS.standard.restoreRate, PLAN_PRESETS.advanced.restoreRate, PLAN_PRESETS.plus.restoreRate], [100, 200, 1_000]);
    const custom = await startSim({ plan: 'plus', bucketSize: 500 });
    try {
      const s = (await post(custom, SHOP)).body.extensions!.cost!.throttleStatus;
      assert.deepEqual([s.restoreRate, s.maximumAvailable], [1_000, 500]);
    } finally {
      await custom.close();
    }
  });

  it('buckets are per token', async () => {
    const other = 'shpat_11111111111111111111111111111111';
    const sim = await startSim({ accessTokens: [TOKEN, other], bucketSize: 25, restoreRate: 1 });
    try {
      const q = 'query { products(first: 20) { nodes { id } } }';
      await post(sim, q);
      assert.equal(sim.bucketAvailable(TOKEN) < 25, true);
      assert.equal((await post(sim, q, {}, { token: other })).body.errors, undefined);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: latency and faults', () => {
  it('waits a base latency plus time per mutation', async () => {
    const sim = await startSim({ latency: { baseMs: 40, perMutationMs: 10, jitterMs: 0 } });
    try {
      await post(sim, SHOP);
      await post(sim, `mutation { a: collectionCreate(input: { title: "x" }) { userErrors { message } } b: collectionCreate(input: { title: "y" }) { userErrors { message } } }`);
      const [q, m] = sim.requests;
      assert.ok(q!.durationMs >= 39, `query ${q!.durationMs} ms`);
      assert.ok(m!.durationMs >= 59, `two mutations ${m!.durationMs} ms`);
      assert.equal(m!.mutations, 2);
    } finally {
      await sim.close();
    }
  });

  it('fails the next N requests as asked, then answers normally', async () => {
    const sim = await startSim({ hangMs: 5_000 });
    try {
      sim.injectFault('http500', { count: 2 });
      assert.equal((await post(sim, SHOP)).status, 500);
      assert.equal((await post(sim, SHOP)).status, 500);
      assert.equal((await post(sim, SHOP)).status, 200);

      sim.injectFault('http503');
      const unavailable = await fetch(sim.graphqlUrl('2025-01'), { method: 'POST', headers: { 'X-Shopify-Access-Token': TOKEN }, body: JSON.stringify({ query: SHOP }) });
      assert.equal(unavailable.status, 503);
      sim.injectFault('unauthorized');
      assert.equal((await post(sim, SHOP)).status, 401);
      sim.injectFault('malformed');
      const garbled = await fetch(sim.graphqlUrl('2025-01'), { method: 'POST', headers: { 'X-Shopify-Access-Token': TOKEN }, body: JSON.stringify({ query: SHOP }) });
      assert.equal(garbled.status, 200);
      await assert.rejects(garbled.json(), SyntaxError);
      sim.injectFault('reset');
      await assert.rejects(post(sim, SHOP));
      sim.injectFault('hang');
      await assert.rejects(post(sim, SHOP, {}, { signal: AbortSignal.timeout(100) }));
      assert.equal((await post(sim, SHOP)).status, 200);
      // Only requests that call the named field count.
      sim.injectFault('http500', { field: 'collectionCreate' });
      assert.equal((await post(sim, SHOP)).status, 200);
      assert.equal((await post(sim, 'mutation { collectionCreate(input: { title: "x" }) { userErrors { message } } }')).status, 500);
      assert.deepEqual(
        sim.requests.filter((r) => r.fault).map((r) => r.fault),
        ['http500', 'http500', 'http503', 'unauthorized', 'malformed', 'reset', 'hang', 'http500'],
      );
    } finally {
      await sim.close();
    }
  });

  it('a fault after execution: the write happened, the answer is lost', async () => {
    const sim = await startSim();
    try {
      sim.injectFault('reset', { afterExecute: true });
      await assert.rejects(post(sim, PRODUCT_SET, { input: { title: 'Ghost', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'GHOST' } }] } }));
      assert.equal(sim.product({ sku: 'GHOST' })!.title, 'Ghost');
      assert.throws(() => sim.injectFault('lightning' as never), /Unknown fault/);
    } finally {
      await sim.close();
    }
  });

  it('a store gone (notFound) answers 404 and runs nothing; clearFaults makes it well again', async () => {
    const sim = await startSim();
    try {
      sim.injectFault('notFound', { count: 2, afterExecute: true });
      const gone = await post(sim, PRODUCT_SET, { input: { title: 'Gone', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'GONE' } }] } });
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.body, { errors: 'Not Found' });
      assert.equal(sim.product({ sku: 'GONE' }), undefined, 'a refused request runs nothing, afterExecute or not');
      sim.injectFault('http503', { count: 5 });
      assert.equal(sim.clearFaults(), 6, 'the requests the faults would still have hit');
      assert.equal((await post(sim, SHOP)).status, 200);
      assert.equal(sim.clearFaults(), 0);
      assert.deepEqual(
        sim.requests.map((r) => [r.status, r.fault]),
        [
          [404, 'notFound'],
          [200, undefined],
        ],
      );
    } finally {
      await sim.close();
    }
  });

  it('validates its options, naming the field', async () => {
    await assert.rejects(ShopifySimulator.start({ accessTokens: [] }), (e: unknown) => e instanceof ValidationError && /options\.accessTokens/.test(e.message));
    await assert.rejects(ShopifySimulator.start({ accessTokens: [TOKEN], host: '0.0.0.0' as never }), /options\.host/);
    await assert.rejects(ShopifySimulator.start({ accessTokens: [TOKEN], plan: 'gold' as never }), /options\.plan/);
    await assert.rejects(ShopifySimulator.start({ accessTokens: [TOKEN], latency: { baseMs: -1 } }), /options\.latency\.baseMs/);
  });
});

describe('simulator: a store kept in a file', () => {
  it('survives a restart: same products, ids, stock and custom IDs; an engine goes on without twins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-sim-'));
    const statePath = join(dir, 'store.json');
    try {
      const first = await startSim({ statePath });
      const storage = new MemoryStorage();
      const catalog = [category('shoes', 'Shoes', { handle: 'shoes' }), product('SKU-1', { title: 'Runner', categoryRefs: ['shoes'], options: ['Size'] }), variant('SKU-1-40', 'SKU-1', { stock: 3, optionValues: { Size: '40' } })];
      const a = engineFor(first, targetFor(first), { overwriteStock: true }, { storage });
      await a.engine.enqueue(catalog);
      assert.equal((await a.engine.start()).status, 'completed');
      const before = first.snapshot();
      await first.close();
      assert.ok(existsSync(statePath), 'written at close');

      const second = await startSim({ statePath });
      try {
        assert.deepEqual(second.snapshot(), before);
        assert.equal(second.stock('SKU-1-40'), 3);
        // The same engine storage, a new simulator process: updates land on the same product.
        const b = engineFor(second, targetFor(second), { overwriteStock: true }, { storage });
        await b.engine.enqueue([product('SKU-1', { title: 'Runner 2', categoryRefs: ['shoes'], options: ['Size'] }), variant('SKU-1-40', 'SKU-1', { stock: 5, optionValues: { Size: '40' } })]);
        assert.equal((await b.engine.start()).status, 'completed');
        const after = second.snapshot();
        assert.equal(after.products.length, 1);
        assert.equal(after.products[0]!.id, before.products[0]!.id);
        assert.equal(after.products[0]!.title, 'Runner 2');
        assert.equal(second.stock('SKU-1-40'), 5);
        // The unique custom ID index came back too: another product cannot take the reference.
        const taken = await post(second, PRODUCT_SET, { input: { title: 'Copy', productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'COPY' } }], metafields: [{ namespace: '$app', key: 'shopsync_ref', type: 'single_line_text_field', value: 'SKU-1' }] } });
        assert.ok(((taken.body.data?.['productSet'] as { userErrors: unknown[] }).userErrors).length > 0, 'the reference is taken');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file it cannot read is an error that says what to do; never replaced silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-sim-'));
    const statePath = join(dir, 'store.json');
    try {
      writeFileSync(statePath, '{"v":1,"products":[');
      await assert.rejects(startSim({ statePath }), /cannot be read.*move it away/);
      writeFileSync(statePath, '{"v":9}');
      await assert.rejects(startSim({ statePath }), /not a version 1 store/);
      assert.equal(readFileSync(statePath, 'utf8'), '{"v":9}');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
