/**
 * `npm run bench:rich`: a real catalog's cost in Shopify's points — every product with 3 images
 * and 4 metafields, SEO and a taxonomy category — against the least the same work costs by
 * Shopify's published rules: one productSet per product carrying everything. Then the same
 * catalog sent again, unchanged (as a host's nightly full export would), and forced.
 *
 * Standard plan preset, realistic latency, API 2026-07 (productSet's dynamic cost), images taking
 * 3 s to process, @shopsync/core's engine with @shopsync/shopify into the simulator in a child
 * process of its own.
 *
 * - catalog: 300 products × 3 variants with stock, in 10 categories, into an empty store.
 *   Minimal cost: one productSet per product carrying its variants, their stock, its collection,
 *   its 3 images, its 4 metafields, SEO and category, reading back the ids of the product, its
 *   variants, their inventory items and its media (what later stock, price and image updates need),
 *   plus one collectionCreate per category, priced by the package's cost function on the exact
 *   documents, as answered. points_ratio = minimal / our actual cost.
 * - re-sync: the same catalog enqueued again: mutations sent and files uploaded (both must be 0).
 * - forced re-sync: the same, forced (every product sent again): files uploaded (must be 0).
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MemoryStorage, SyncEngine, type Change } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import { productSetComplexity } from '@shopsync/shopify/internal';
import { PLAN_PRESETS, REALISTIC_LATENCY, type ShopifySimulator } from '@shopsync/shopify/simulator';
import { gid, pricer, runPhase, type Phase as PhaseOf } from './measure.js';
import { isSimulatorProcess, RemoteSimulator, serveSimulator, type BaseReport } from './remote-simulator.js';
import { writeResults } from './results.js';

const PRODUCTS = 300;
const CATEGORIES = 10;
const SIZES = ['S', 'M', 'L'] as const;
const IMAGES = 3;
const BATCH = 250;
const PROCESSING_MS = 3_000;
const TOKEN = `shpat_${'0123456789abcdef'.repeat(2)}`;
const VERSION = '2026-07';
const plan = PLAN_PRESETS.standard;
const simOptions = {
  accessTokens: [TOKEN],
  plan: 'standard' as const,
  latency: { ...REALISTIC_LATENCY },
  versions: { supported: [VERSION] },
  media: { processingMs: PROCESSING_MS, fetch: false, maxBytes: 20_000_000 },
};

interface Report extends BaseReport {
  products: number;
  files: number;
  /** Media of products not READY. */
  unready: number;
}

function storeFigures(sim: ShopifySimulator): Omit<Report, keyof BaseReport> {
  const products = sim.snapshot().products;
  return { products: products.length, files: sim.files().length, unready: products.reduce((n, p) => n + p.media.filter((m) => m.status !== 'READY').length, 0) };
}

// ——— the catalog ———

const productRef = (p: number) => `R-${String(p).padStart(5, '0')}`;
const categoryRef = (c: number) => `rc-${String(c).padStart(2, '0')}`;
const imageUrl = (p: number, i: number) => `https://cdn.example.com/rich/${productRef(p)}-${i}.jpg`;
const metafields = (p: number) => [
  { namespace: 'shopsync', key: 'material', type: 'single_line_text_field', value: p % 2 ? 'Ripstop nylon' : 'Merino wool' },
  { namespace: 'shopsync', key: 'care', type: 'multi_line_text_field', value: 'Hand wash cold.\nDry flat.' },
  { namespace: 'shopsync', key: 'weight', type: 'weight', value: JSON.stringify({ value: 0.4 + (p % 10) / 10, unit: 'kg' }) },
  { namespace: 'shopsync', key: 'seasons', type: 'list.single_line_text_field', value: '["spring","summer"]' },
];

function catalog(): Change[] {
  const out: Change[] = [];
  for (let c = 0; c < CATEGORIES; c++) out.push({ entity: 'category', op: 'upsert', ref: categoryRef(c), data: { title: `Category ${c}` } });
  for (let p = 0; p < PRODUCTS; p++) {
    const ref = productRef(p);
    out.push({
      entity: 'product',
      op: 'upsert',
      ref,
      data: {
        title: `Product ${p}`,
        vendor: 'ACME',
        options: ['Size'],
        categoryRefs: [categoryRef(p % CATEGORIES)],
        images: Array.from({ length: IMAGES }, (_, i) => ({ url: imageUrl(p, i), alt: `Product ${p}, view ${i + 1}` })),
        metafields: metafields(p),
        seo: { title: `Product ${p} | ACME`, description: `Product ${p}, light and durable.` },
        category: 'sg',
      },
    });
    SIZES.forEach((size, s) => out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: '49.90', stock: (p + s) % 20, optionValues: { Size: size } } }));
  }
  return out;
}

// ——— the minimal cost ———

const costOf = pricer(VERSION);

function minimal(): { products: number; categories: number } {
  let categories = 0;
  let products = 0;
  const create = `mutation($input: CollectionInput!) { m: collectionCreate(input: $input) { collection { id } userErrors { field message } } }`;
  for (let c = 0; c < CATEGORIES; c++) categories += costOf(create, { input: { title: `Category ${c}` } }, { collection: { id: gid('Collection', c) }, userErrors: [] });
  const set = `mutation($input: ProductSetInput!) { m: productSet(input: $input) { product { id media(first: ${IMAGES}) { nodes { id } } variants(first: ${SIZES.length}) { nodes { id inventoryItem { id } } } } userErrors { field message } } }`;
  for (let p = 0; p < PRODUCTS; p++) {
    const input = {
      title: `Product ${p}`,
      vendor: 'ACME',
      collections: [gid('Collection', p % CATEGORIES)],
      seo: { title: `Product ${p} | ACME`, description: `Product ${p}, light and durable.` },
      category: 'gid://shopify/TaxonomyCategory/sg',
      files: Array.from({ length: IMAGES }, (_, i) => ({ originalSource: imageUrl(p, i), contentType: 'IMAGE', alt: `Product ${p}, view ${i + 1}` })),
      metafields: metafields(p),
      productOptions: [{ name: 'Size', values: SIZES.map((name) => ({ name })) }],
      variants: SIZES.map((size, s) => ({
        optionValues: [{ optionName: 'Size', name: size }],
        price: '49.90',
        inventoryItem: { sku: `${productRef(p)}-${size}`, tracked: true },
        inventoryQuantities: [{ locationId: gid('Location', 1), name: 'available', quantity: (p + s) % 20 }],
      })),
    };
    const answer = {
      product: {
        id: gid('Product', p),
        media: { nodes: Array.from({ length: IMAGES }, (_, i) => ({ id: gid('MediaImage', p * IMAGES + i) })) },
        variants: { nodes: SIZES.map((_, s) => ({ id: gid('ProductVariant', p * 3 + s), inventoryItem: { id: gid('InventoryItem', p * 3 + s) } })) },
      },
      userErrors: [],
    };
    products += costOf(set, { input }, answer);
  }
  return { products, categories };
}

// ——— runs ———

type Phase = PhaseOf<Report>;

function counts(m: Record<string, number>): string {
  return (
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([f, n]) => `${f} ×${n.toLocaleString('en')}`)
      .join(', ') || 'none'
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const sim = await RemoteSimulator.start<Report>(fileURLToPath(import.meta.url));
  let first: Phase, again: Phase, forced: Phase, filesBefore: number;
  try {
    const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: sim.url });
    const engine = new SyncEngine({
      connector: { id: 'bench-rich', shopDomain: sim.shopDomain, apiVersion: VERSION, overwriteStock: true, ownedMetafieldNamespaces: ['shopsync'] },
      target,
      storage: new MemoryStorage(),
      batchSize: BATCH,
    });
    const changes = catalog();
    first = await runPhase(engine, sim, changes);
    if (first.report.products !== PRODUCTS || first.report.files !== PRODUCTS * IMAGES || first.report.unready !== 0) {
      throw new Error(`the store does not hold the catalog with its images processed: ${JSON.stringify(first.report)}`);
    }
    filesBefore = first.report.files;
    again = await runPhase(engine, sim, changes);
    forced = await runPhase(engine, sim, changes, { force: true });
    await engine.dispose();
  } finally {
    await sim.close();
  }
  const min = minimal();
  const minTotal = min.products + min.categories;
  const pointsRatio = minTotal / first.report.actual;
  const bound = ((minTotal - plan.bucketSize) / plan.restoreRate) * 1000;
  const resyncMutations = Object.values(again.report.mutations).reduce((a, b) => a + b, 0);
  const resyncUploads = again.report.files - filesBefore;
  const forcedUploads = forced.report.files - again.report.files;
  const perProduct = (x: number) => (x / PRODUCTS).toFixed(2);
  const dynamic = productSetComplexity({ variants: SIZES.map(() => ({})), files: Array.from({ length: IMAGES }, () => ({})), metafields: metafields(0) });
  writeResults(
    'rich',
    'npm run bench:rich',
    [
      ['scenario', 'our points', 'minimal points', 'points ratio', 'time s (bound s)', 'requests', 'mutations sent', 'files uploaded'],
      [
        `catalog: ${PRODUCTS} products × ${SIZES.length} variants with stock, ${IMAGES} images, 4 metafields, SEO, category; ${CATEGORIES} categories`,
        first.report.actual.toLocaleString('en'),
        minTotal.toLocaleString('en'),
        pointsRatio.toFixed(3),
        `${(first.ms / 1000).toFixed(1)} (${(bound / 1000).toFixed(1)})`,
        String(first.report.requests),
        counts(first.report.mutations),
        String(first.report.files),
      ],
      ['re-sync of the unchanged catalog', again.report.actual.toLocaleString('en'), '0', '', (again.ms / 1000).toFixed(1), String(again.report.requests), counts(again.report.mutations), String(resyncUploads)],
      ['forced re-sync (every product sent again)', forced.report.actual.toLocaleString('en'), '', '', (forced.ms / 1000).toFixed(1), String(forced.report.requests), counts(forced.report.mutations), String(forcedUploads)],
    ],
    [
      `Standard plan preset (bucket ${plan.bucketSize.toLocaleString('en')}, restoring ${plan.restoreRate} points/s), latency ${REALISTIC_LATENCY.baseMs} ms + ${REALISTIC_LATENCY.perMutationMs} ms per mutation + up to ${REALISTIC_LATENCY.jitterMs} ms jitter, API ${VERSION}, images processed in ${PROCESSING_MS / 1000} s, engine batches of ${BATCH} on MemoryStorage, the simulator in its own process.`,
      `Minimal points, computed with the package's cost function (Shopify's published rules, as the simulator charges them) on the exact documents and a successful answer: one productSet per product carrying its variants, their stock, its collection, its ${IMAGES} images, its 4 metafields, SEO and category, reading back the ids of the product, its media, its variants and their inventory items (${perProduct(min.products)} points a product: productSet's dynamic cost, ${dynamic} once rounded, and the objects its answer returns), plus one collectionCreate per category.`,
      `Ours: ${perProduct(first.report.actual)} points a product. Beyond the minimum: the custom ID metafield (0.4 on the dynamic cost), SKU look-ups before creation (2 points a query that finds nothing), the connect query and the custom ID definition once, and the checks of images being processed (a files query that costs what it returns: ${first.report.queries['files'] ?? 0} of them, ${first.report.points['files'] ?? 0} points in all). Points by root field: ${Object.entries(first.report.points).map(([f, n]) => `${f} ${n.toLocaleString('en')}`).join(', ')}. A product whose images Shopify is processing stays pending and is checked at the next iteration; the run completes once all are processed.`,
      `Re-sync: the same changes enqueued again are recognised unchanged (the engine's content hashes) and nothing reaches the store. Forced: every product is sent again (a productSet each); images the store has are named by id, so nothing is uploaded, and metafields not changed since shopsync wrote them are not sent. Not measured here: publishing to sales channels (publishablePublish, 10 points a product when first synchronized; productSet cannot carry it).`,
      `Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    ],
  );
  console.log(`catalog: ${first.report.actual} points (minimal ${minTotal}) in ${(first.ms / 1000).toFixed(1)} s (bound ${(bound / 1000).toFixed(1)} s); re-sync: ${counts(again.report.mutations)}, ${resyncUploads} uploads; forced: ${counts(forced.report.mutations)}, ${forcedUploads} uploads`);
  console.log(`RESULT rich points_ratio=${pointsRatio.toFixed(3)} resync_mutations=${resyncMutations} resync_uploads=${resyncUploads}`);
}

if (isSimulatorProcess) await serveSimulator(simOptions, storeFigures);
else await main();
