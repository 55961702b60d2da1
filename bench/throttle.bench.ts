/**
 * `npm run bench:throttle`: what a sync costs in Shopify's points, against the least the same
 * work costs by Shopify's published rules, and how long it takes against the leaky bucket's bound.
 *
 * Standard plan preset (restore 100 points/s, bucket 2,000), realistic latency (150 ms a request,
 * plus 15 ms a mutation, plus up to 40 ms of jitter), API 2026-07, @shopsync/core's engine with
 * @shopsync/shopify into the simulator, each simulator in a child process of its own (a store is
 * another system: the client's event loop does not pay for its GraphQL execution):
 *
 * - catalog: 1,000 products × 3 variants with stock, in 20 categories, into an empty store.
 *   Minimal cost: one productSet per product carrying its variants, their stock and its
 *   collection, and reading back the product's, variants' and inventory items' ids (what the
 *   stock and price feeds below need to go at their own minimum), plus one collectionCreate per
 *   category, priced by the package's cost function (Shopify's published rules, as the simulator
 *   charges them) on the exact documents, as answered. Bound = (minimal − bucket) / restore rate.
 *   points_ratio = minimal / our actual cost; efficiency = bound / our time.
 * - stock feed: then 3,000 stock-only changes (every variant, "overwrite stock" on): minimal is
 *   one inventorySetQuantities per 250 quantities.
 * - price feed: then 3,000 price-only changes: minimal is one productVariantsBulkUpdate per product.
 * - naive client, at the same time as the catalog on a store of its own: sequential, one
 *   productSet (the product, its 3 variants and their stock) per request, reading back only the
 *   product id, a fixed 1 s sleep on THROTTLED, on a 200-product sample; speedup compares items/s.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { MemoryStorage, SyncEngine, type Change } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import { actualCost, adminSchema, buildDocument, featuresOf, inventorySetQuantitiesOp, productSetComplexity, type Op } from '@shopsync/shopify/internal';
import { PLAN_PRESETS, REALISTIC_LATENCY, type ShopifySimulator } from '@shopsync/shopify/simulator';
import { gid, pricer, runPhase, type Phase as PhaseOf } from './measure.js';
import { isSimulatorProcess, RemoteSimulator, serveSimulator, type BaseReport } from './remote-simulator.js';
import { writeResults } from './results.js';

const PRODUCTS = 1_000;
const CATEGORIES = 20;
const SIZES = ['S', 'M', 'L'] as const;
const NAIVE_SAMPLE = 200;
const BATCH = 250;
const TOKEN = `shpat_${'0123456789abcdef'.repeat(2)}`;
const VERSION = '2026-07';
const PLAN = 'standard' as const;
const plan = PLAN_PRESETS[PLAN];
const simOptions = { accessTokens: [TOKEN], plan: PLAN, latency: { ...REALISTIC_LATENCY }, versions: { supported: [VERSION] } };

interface SimReport extends BaseReport {
  products: number;
  collections: number;
  stock: number | null;
  price: string | null;
}

/** The store's side of a report: what it holds, and the stock and price of one SKU. */
function storeFigures(sim: ShopifySimulator, sku: string): Omit<SimReport, keyof BaseReport> {
  const snapshot = sim.snapshot();
  return {
    products: snapshot.products.length,
    collections: snapshot.collections.length,
    stock: sim.stock(sku) ?? null,
    price: sim.product({ sku })?.variants.find((v) => v.sku === sku)?.price ?? null,
  };
}

const startRemote = () => RemoteSimulator.start<SimReport>(fileURLToPath(import.meta.url));

// ——— the catalog ———

const productRef = (p: number) => `B-${String(p).padStart(5, '0')}`;
const categoryRef = (c: number) => `cat-${String(c).padStart(2, '0')}`;
const stockOf = (p: number, s: number) => (p + s) % 50;

function catalog(): Change[] {
  const out: Change[] = [];
  for (let c = 0; c < CATEGORIES; c++) out.push({ entity: 'category', op: 'upsert', ref: categoryRef(c), data: { title: `Category ${c}` } });
  for (let p = 0; p < PRODUCTS; p++) {
    const ref = productRef(p);
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${p}`, vendor: 'ACME', tags: ['bench'], options: ['Size'], categoryRefs: [categoryRef(p % CATEGORIES)] } });
    SIZES.forEach((size, s) => out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: '19.90', stock: stockOf(p, s), optionValues: { Size: size } } }));
  }
  return out;
}

/** Every variant again with one field changed. */
function feed(change: (p: number, s: number) => { price: string; stock: number }): Change[] {
  const out: Change[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    SIZES.forEach((size, s) => out.push({ entity: 'variant', op: 'upsert', ref: `${productRef(p)}-${size}`, parentRef: productRef(p), data: { ...change(p, s), optionValues: { Size: size } } }));
  }
  return out;
}
const stockFeed = () => feed((p, s) => ({ price: '19.90', stock: stockOf(p, s) + 7 }));
const priceFeed = () => feed((p, s) => ({ price: '24.50', stock: stockOf(p, s) + 7 }));

// ——— the minimal cost, by the package's cost function ———

const features = featuresOf(VERSION);
const costOf = pricer(VERSION);

function minimalCatalog(): { products: number; categories: number } {
  let categories = 0;
  let products = 0;
  const create = `mutation($input: CollectionInput!) { m: collectionCreate(input: $input) { collection { id } userErrors { field message } } }`;
  for (let c = 0; c < CATEGORIES; c++) categories += costOf(create, { input: { title: `Category ${c}` } }, { collection: { id: gid('Collection', c) }, userErrors: [] });
  const set = `mutation($input: ProductSetInput!) { m: productSet(input: $input) { product { id variants(first: ${SIZES.length}) { nodes { id inventoryItem { id } } } } userErrors { field message } } }`;
  for (let p = 0; p < PRODUCTS; p++) {
    const input = {
      title: `Product ${p}`,
      vendor: 'ACME',
      tags: ['bench'],
      collections: [gid('Collection', p % CATEGORIES)],
      productOptions: [{ name: 'Size', values: SIZES.map((name) => ({ name })) }],
      variants: SIZES.map((size, s) => ({
        optionValues: [{ optionName: 'Size', name: size }],
        price: '19.90',
        inventoryItem: { sku: `${productRef(p)}-${size}`, tracked: true },
        inventoryQuantities: [{ locationId: gid('Location', 1), name: 'available', quantity: stockOf(p, s) }],
      })),
    };
    const answer = { product: { id: gid('Product', p), variants: { nodes: SIZES.map((_, s) => ({ id: gid('ProductVariant', p * 3 + s), inventoryItem: { id: gid('InventoryItem', p * 3 + s) } })) } }, userErrors: [] };
    products += costOf(set, { input }, answer);
  }
  return { products, categories };
}

function minimalStock(): number {
  const quantities = Array.from({ length: 250 }, (_, i) => ({ inventoryItemId: gid('InventoryItem', i), locationId: gid('Location', 1), quantity: 1 }));
  const op: Op = inventorySetQuantitiesOp(features, quantities, 'correction', 'k');
  const { query, variables } = buildDocument([op]);
  const one = actualCost(adminSchema(VERSION), parse(query), variables, { a0: { userErrors: [] } }, undefined, VERSION);
  return Math.ceil((PRODUCTS * SIZES.length) / 250) * one;
}

function minimalPrices(): number {
  const update = `mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!) { m: productVariantsBulkUpdate(productId: $productId, variants: $variants) { userErrors { field message } } }`;
  const variables = { productId: gid('Product', 1), variants: SIZES.map((_, s) => ({ id: gid('ProductVariant', s), price: '24.50' })) };
  return PRODUCTS * costOf(update, variables, { userErrors: [] });
}

// ——— runs ———

type Phase = PhaseOf<SimReport>;

const LAST_SKU = `${productRef(PRODUCTS - 1)}-L`;

async function ours(): Promise<{ catalog: Phase; stock: Phase; prices: Phase }> {
  const sim = await startRemote();
  try {
    const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: sim.url });
    const engine = new SyncEngine({
      connector: { id: 'bench', shopDomain: sim.shopDomain, apiVersion: VERSION, overwriteStock: true },
      target,
      storage: new MemoryStorage(),
      batchSize: BATCH,
    });
    const catalogRun = await runPhase(engine, sim, catalog(), { reportArg: LAST_SKU });
    if (catalogRun.report.products !== PRODUCTS || catalogRun.report.collections !== CATEGORIES || catalogRun.report.stock !== stockOf(PRODUCTS - 1, 2)) {
      throw new Error(`the store does not hold the catalog: ${JSON.stringify(catalogRun.report)}`);
    }
    const stockRun = await runPhase(engine, sim, stockFeed(), { reportArg: LAST_SKU });
    if (stockRun.report.stock !== stockOf(PRODUCTS - 1, 2) + 7) throw new Error(`the stock feed did not reach the store: ${JSON.stringify(stockRun.report)}`);
    const priceRun = await runPhase(engine, sim, priceFeed(), { reportArg: LAST_SKU });
    if (priceRun.report.price !== '24.50') throw new Error(`the price feed did not reach the store: ${JSON.stringify(priceRun.report)}`);
    await engine.dispose();
    return { catalog: catalogRun, stock: stockRun, prices: priceRun };
  } finally {
    await sim.close();
  }
}

const NAIVE_SET = `mutation($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { code field message } } }`;

async function naive(): Promise<{ ms: number; items: number; throttled: number }> {
  const sim = await startRemote();
  try {
    const client = createAdminApiClient({
      storeDomain: sim.shopDomain,
      apiVersion: VERSION,
      accessToken: TOKEN,
      logger: () => undefined,
      customFetchApi: (url, init) => fetch(url.replace(`https://${sim.shopDomain}`, sim.url), init as RequestInit),
    });
    const location = sim.primaryLocationId;
    let throttled = 0;
    const t0 = performance.now();
    for (let p = 0; p < NAIVE_SAMPLE; p++) {
      const ref = `N-${p}`;
      const input = {
        title: `Product ${p}`,
        vendor: 'ACME',
        tags: ['bench'],
        productOptions: [{ name: 'Size', values: SIZES.map((name) => ({ name })) }],
        variants: SIZES.map((size, s) => ({
          optionValues: [{ optionName: 'Size', name: size }],
          price: '19.90',
          inventoryItem: { sku: `${ref}-${size}`, tracked: true },
          inventoryQuantities: [{ locationId: location, name: 'available', quantity: stockOf(p, s) }],
        })),
      };
      for (;;) {
        const r = await client.request(NAIVE_SET, { variables: { input } });
        if (r.errors?.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED')) {
          throttled++;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          continue;
        }
        const payload = (r.data as { productSet?: { userErrors: unknown[] } } | undefined)?.productSet;
        if (!payload || payload.userErrors.length) throw new Error(`naive productSet failed: ${JSON.stringify(r.errors ?? payload)}`);
        break;
      }
    }
    const ms = performance.now() - t0;
    const report = await sim.report(`N-${NAIVE_SAMPLE - 1}-L`);
    if (report.products !== NAIVE_SAMPLE || report.stock !== stockOf(NAIVE_SAMPLE - 1, 2)) throw new Error('the naive client did not set the stock');
    return { ms, items: NAIVE_SAMPLE * (1 + SIZES.length), throttled };
  } finally {
    await sim.close();
  }
}

if (isSimulatorProcess) await serveSimulator(simOptions, storeFigures);
else await main();

function counts(m: Record<string, number>): string {
  return Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => `${f} ×${n.toLocaleString('en')}`)
    .join(', ');
}

async function main(): Promise<void> {
  const started = performance.now();
  const [o, n] = await Promise.all([ours(), naive()]);
  const parts = minimalCatalog();
  const min = { catalog: parts.products + parts.categories, stock: minimalStock(), prices: minimalPrices() };
  // What carrying the product's reference as a custom ID (one product metafield) adds to productSet's dynamic cost.
  const variants = SIZES.map(() => ({}));
  const refPoints = productSetComplexity({ variants, metafields: [{}] }) - productSetComplexity({ variants });
  const bound = ((min.catalog - plan.bucketSize) / plan.restoreRate) * 1000;
  const pointsRatio = min.catalog / o.catalog.report.actual;
  const efficiency = bound / o.catalog.ms;
  const stockRatio = min.stock / o.stock.report.actual;
  const priceRatio = min.prices / o.prices.report.actual;
  const catalogItems = CATEGORIES + PRODUCTS * (1 + SIZES.length);
  const oursRate = (catalogItems * 1000) / o.catalog.ms;
  const naiveRate = (n.items * 1000) / n.ms;
  const speedup = oursRate / naiveRate;
  const perProduct = (x: number) => (x / PRODUCTS).toFixed(2);
  const row = (what: string, ph: Phase, minimal: number, ratio: number, time: string) => [
    what,
    ph.report.actual.toLocaleString('en'),
    minimal.toLocaleString('en'),
    ratio.toFixed(3),
    time,
    String(ph.report.requests),
    String(ph.report.throttled),
    counts(ph.report.mutations),
  ];
  writeResults(
    'throttle',
    'npm run bench:throttle',
    [
      ['scenario', 'our points', 'minimal points', 'points ratio', 'time s (bound s, efficiency)', 'requests', 'THROTTLED', 'mutations sent'],
      row(`catalog: ${PRODUCTS.toLocaleString('en')} products × ${SIZES.length} variants with stock, ${CATEGORIES} categories`, o.catalog, min.catalog, pointsRatio, `${(o.catalog.ms / 1000).toFixed(1)} (${(bound / 1000).toFixed(1)}, ${efficiency.toFixed(3)})`),
      row(`stock feed: ${(PRODUCTS * SIZES.length).toLocaleString('en')} stock-only changes`, o.stock, min.stock, stockRatio, (o.stock.ms / 1000).toFixed(1)),
      row(`price feed: ${(PRODUCTS * SIZES.length).toLocaleString('en')} price-only changes`, o.prices, min.prices, priceRatio, (o.prices.ms / 1000).toFixed(1)),
    ],
    [
      `Standard plan preset (bucket ${plan.bucketSize.toLocaleString('en')}, restoring ${plan.restoreRate} points/s), latency ${REALISTIC_LATENCY.baseMs} ms + ${REALISTIC_LATENCY.perMutationMs} ms per mutation + up to ${REALISTIC_LATENCY.jitterMs} ms jitter, API ${VERSION}, engine batches of ${BATCH} on MemoryStorage, each simulator in its own process.`,
      `Minimal points, computed with the package's cost function (Shopify's published rules, as the simulator charges them) on the exact documents and a successful answer: catalog = one productSet per product with its variants, their stock and its collection, reading back the ids of the product, its variants and their inventory items (${perProduct(parts.products)} points a product), plus one collectionCreate per category (${parts.categories / CATEGORIES} points each); stock = one inventorySetQuantities per 250 quantities; prices = one productVariantsBulkUpdate per product. Reading the ids back costs 2 points a variant and 2 a product (a productSet reading only the product id costs 11): without them the stock and price feeds could not go at their minimum.`,
      `Bound = (minimal − bucket) / restore rate: the least time the leaky bucket allows for the minimal cost. Efficiency = bound / time taken (the catalog run, from start to Completed).`,
      `Our catalog cost ${perProduct(o.catalog.report.actual)} points a product. Beyond the minimum: each product carries its shopsync reference as a custom ID (a product metafield, 0.4 on productSet's dynamic cost, here ${refPoints} point${refPoints === 1 ? '' : 's'} a product once rounded), so that it is found again and never made twice; products without a mapping are looked up by SKU before they are created, the SKUs of many products in one query, which costs 2 points when it finds nothing; and the connect query and the custom ID definition, once.`,
      `What limits us: the bucket. At ${plan.restoreRate} points/s the catalog cannot take less than ${(bound / 1000).toFixed(0)} s, and the price feed, at 10 points a product, ${(((min.prices - plan.bucketSize) / plan.restoreRate)).toFixed(0)} s with a full bucket (it starts with what the feeds before it left: about ${((min.prices / plan.restoreRate)).toFixed(0)} s); requests run in parallel up to what the bucket holds, so latency hides behind the restore rate.`,
      `Naive client (run at the same time as the catalog, on a store of its own): sequential, one productSet (the product, its variants and their stock, reading back only its id) per request, 1 s sleep on THROTTLED, ${NAIVE_SAMPLE}-product sample: ${n.items} items in ${(n.ms / 1000).toFixed(1)} s (${naiveRate.toFixed(1)} items/s, ${n.throttled} THROTTLED) against our ${oursRate.toFixed(1)} items/s: speedup ${speedup.toFixed(2)}×. On a Standard store both meet a wall: the naive client its own latency (one request at a time), we the bucket (${perProduct(o.catalog.report.actual)} points a product, where it spends 11 and learns no variant id, so that its stock and price feeds could not go at their minimum); on a larger plan the bucket moves and the latency does not.`,
      `Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ],
  );
  console.log(
    `catalog: ${o.catalog.report.actual} points (minimal ${min.catalog}) in ${(o.catalog.ms / 1000).toFixed(1)} s (bound ${(bound / 1000).toFixed(1)} s); stock: ${o.stock.report.actual} (minimal ${min.stock}); prices: ${o.prices.report.actual} (minimal ${min.prices}); naive ${n.items} items in ${(n.ms / 1000).toFixed(1)} s`,
  );
  console.log(`RESULT throttle points_ratio=${pointsRatio.toFixed(3)} efficiency=${efficiency.toFixed(3)} stock_points_ratio=${stockRatio.toFixed(3)} price_points_ratio=${priceRatio.toFixed(3)} speedup=${speedup.toFixed(2)}`);
}
