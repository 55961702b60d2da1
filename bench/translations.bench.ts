/**
 * `npm run bench:translations`: a catalog written in three languages, in Shopify's points,
 * against the least the same work costs by Shopify's published rules; then the same catalog sent
 * again unchanged, and again with only its Spanish texts changed.
 *
 * Standard plan preset, realistic latency, API 2026-07, store locales en (primary), es and fr,
 * connector language en, @shopsync/core's engine with @shopsync/shopify into the simulator in a
 * child process of its own.
 *
 * - catalog: 1,000 products × 3 variants with stock, in 10 categories, into an empty store; each
 *   product's title, description, SEO title and SEO description in en, es and fr, each category's
 *   title too. Minimal cost, priced by the package's cost function on the exact documents as
 *   answered: per product one productSet (variants, stock, collection, SEO; reading back the ids
 *   of the product, its variants and their inventory items, as throttle's catalog does) + one
 *   translationsRegister (one resource a call, every locale and key of it: es and fr together) +
 *   its share of the digest read Shopify requires (translatableResourcesByIds, 250 resources a
 *   query, selecting only key and digest); per category one collectionCreate + one
 *   translationsRegister + its share of the digest read. points_ratio = minimal / our actual cost.
 *   The issue's baseline, one productSet + one translationsRegister per extra language (39 points
 *   a product), is looser than this minimum and is printed for information only.
 * - re-sync: the same changes enqueued again: mutations sent (must be 0) = resync_mutations.
 * - Spanish only: every product's and category's Spanish texts changed: minimal is one
 *   translationsRegister per resource (no productSet, no digest read: the primary texts did not
 *   change). Run with a full bucket (the bench waits for it) so that its bound is fair.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { MemoryStorage, SyncEngine, type Change } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import { MAX_INPUT_ARRAY } from '@shopsync/shopify/internal';
import { PLAN_PRESETS, REALISTIC_LATENCY, type ShopifySimulator } from '@shopsync/shopify/simulator';
import { gid, pricer, runPhase, type Phase as PhaseOf } from './measure.js';
import { isSimulatorProcess, RemoteSimulator, serveSimulator, type BaseReport } from './remote-simulator.js';
import { writeResults } from './results.js';

const PRODUCTS = 1_000;
const CATEGORIES = 10;
const SIZES = ['S', 'M', 'L'] as const;
const LANGUAGES = ['en', 'es', 'fr'] as const;
const EXTRA = LANGUAGES.length - 1;
/** Translatable keys written per product (title, body_html, meta_title, meta_description) and per category (title). */
const PRODUCT_KEYS = 4;
const CATEGORY_KEYS = 1;
const BATCH = 250;
const TOKEN = `shpat_${'0123456789abcdef'.repeat(2)}`;
const VERSION = '2026-07';
const plan = PLAN_PRESETS.standard;
const simOptions = {
  accessTokens: [TOKEN],
  plan: 'standard' as const,
  latency: { ...REALISTIC_LATENCY },
  versions: { supported: [VERSION] },
  locales: [
    { locale: 'en', primary: true, published: true },
    { locale: 'es', published: true },
    { locale: 'fr', published: true },
  ],
};

interface Report extends BaseReport {
  products: number;
  collections: number;
  /** Translations the store holds, of products and collections. */
  translations: number;
  /** Of them, marked outdated (their primary content changed since). */
  outdated: number;
  /** Spanish translations whose text carries the report's argument (the edition asked for). */
  spanishOf: number;
}

function storeFigures(sim: ShopifySimulator, edition: string): Omit<Report, keyof BaseReport> {
  const { products, collections } = sim.snapshot();
  let translations = 0;
  let outdated = 0;
  let spanishOf = 0;
  for (const r of [...products, ...collections]) {
    for (const t of sim.translations(r.id)) {
      translations++;
      if (t.outdated) outdated++;
      if (edition && t.locale === 'es' && t.value.includes(edition)) spanishOf++;
    }
  }
  return { products: products.length, collections: collections.length, translations, outdated, spanishOf };
}

// ——— the catalog ———

type Texts = Record<(typeof LANGUAGES)[number], string>;
const productRef = (p: number) => `T-${String(p).padStart(5, '0')}`;
const categoryRef = (c: number) => `tc-${String(c).padStart(2, '0')}`;

/** A product's texts; `edition` marks its Spanish ones (empty for the first). */
function productTexts(p: number, edition: string) {
  const es = edition ? ` ${edition}` : '';
  const title: Texts = { en: `Trail jacket ${p}`, es: `Chaqueta de montaña ${p}${es}`, fr: `Veste de randonnée ${p}` };
  const description: Texts = {
    en: `<p>Trail jacket ${p}: light, windproof and packable.</p>`,
    es: `<p>Chaqueta de montaña ${p}${es}: ligera, cortavientos y plegable.</p>`,
    fr: `<p>Veste de randonnée ${p} : légère, coupe-vent et compressible.</p>`,
  };
  const seoTitle: Texts = { en: `Trail jacket ${p} | ACME`, es: `Chaqueta de montaña ${p}${es} | ACME`, fr: `Veste de randonnée ${p} | ACME` };
  const seoDescription: Texts = { en: `Trail jacket ${p}, light and durable.`, es: `Chaqueta de montaña ${p}${es}, ligera y resistente.`, fr: `Veste de randonnée ${p}, légère et solide.` };
  return { title, description, seo: { title: seoTitle, description: seoDescription } };
}

const categoryTitle = (c: number, edition: string): Texts => ({ en: `Jackets ${c}`, es: `Chaquetas ${c}${edition ? ` ${edition}` : ''}`, fr: `Vestes ${c}` });

/** The catalog; `edition` changes the Spanish texts only; `withVariants` false leaves the variants out. */
function catalog(edition = '', withVariants = true): Change[] {
  const out: Change[] = [];
  for (let c = 0; c < CATEGORIES; c++) out.push({ entity: 'category', op: 'upsert', ref: categoryRef(c), data: { title: categoryTitle(c, edition) } });
  for (let p = 0; p < PRODUCTS; p++) {
    const ref = productRef(p);
    out.push({ entity: 'product', op: 'upsert', ref, data: { ...productTexts(p, edition), vendor: 'ACME', options: ['Size'], categoryRefs: [categoryRef(p % CATEGORIES)] } });
    if (!withVariants) continue;
    SIZES.forEach((size, s) => out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: '89.90', stock: (p + s) % 20, optionValues: { Size: size } } }));
  }
  return out;
}

// ——— the minimal cost ———

const costOf = pricer(VERSION);

const REGISTER = `mutation($id: ID!, $t: [TranslationInput!]!) { m: translationsRegister(resourceId: $id, translations: $t) { userErrors { field message } } }`;

/** One translationsRegister carrying these locales and keys of one resource. */
function registerCost(id: string, locales: readonly string[], keys: readonly string[]): number {
  const t = locales.flatMap((locale) => keys.map((key) => ({ locale, key, value: `${key} in ${locale}`, translatableContentDigest: 'f'.repeat(64) })));
  return costOf(REGISTER, { id, t }, { userErrors: [] });
}

/** The digests of these resources, 250 a query, selecting only key and digest (every key comes back: a product has 6, a collection 5). */
function digestsCost(resources: ReadonlyArray<{ id: string; keys: number }>): number {
  const query = `query($ids: [ID!]!) { m: translatableResourcesByIds(resourceIds: $ids, first: ${MAX_INPUT_ARRAY}) { nodes { translatableContent { key digest } } } }`;
  let points = 0;
  for (let i = 0; i < resources.length; i += MAX_INPUT_ARRAY) {
    const chunk = resources.slice(i, i + MAX_INPUT_ARRAY);
    const nodes = chunk.map((r) => ({ translatableContent: Array.from({ length: r.keys }, (_, k) => ({ key: `k${k}`, digest: 'f'.repeat(64) })) }));
    points += costOf(query, { ids: chunk.map((r) => r.id) }, { nodes });
  }
  return points;
}

interface Minimal {
  productSet: number;
  collectionCreate: number;
  /** One translationsRegister per resource, every extra locale in it. */
  register: number;
  /** The same, one per extra locale (the issue's baseline). */
  registerPerLocale: number;
  digests: number;
  /** Spanish only: one translationsRegister per resource, Spanish keys only. */
  spanish: number;
}

function minimal(): Minimal {
  const m: Minimal = { productSet: 0, collectionCreate: 0, register: 0, registerPerLocale: 0, digests: 0, spanish: 0 };
  const extra = LANGUAGES.slice(1);
  const productKeys = ['title', 'body_html', 'meta_title', 'meta_description'];
  const create = `mutation($input: CollectionInput!) { m: collectionCreate(input: $input) { collection { id } userErrors { field message } } }`;
  for (let c = 0; c < CATEGORIES; c++) {
    const id = gid('Collection', c);
    m.collectionCreate += costOf(create, { input: { title: `Jackets ${c}` } }, { collection: { id }, userErrors: [] });
    m.register += registerCost(id, extra, ['title']);
    for (const l of extra) m.registerPerLocale += registerCost(id, [l], ['title']);
    m.spanish += registerCost(id, ['es'], ['title']);
  }
  const set = `mutation($input: ProductSetInput!) { m: productSet(input: $input) { product { id variants(first: ${SIZES.length}) { nodes { id inventoryItem { id } } } } userErrors { field message } } }`;
  for (let p = 0; p < PRODUCTS; p++) {
    const texts = productTexts(p, '');
    const input = {
      title: texts.title.en,
      descriptionHtml: texts.description.en,
      vendor: 'ACME',
      collections: [gid('Collection', p % CATEGORIES)],
      seo: { title: texts.seo.title.en, description: texts.seo.description.en },
      productOptions: [{ name: 'Size', values: SIZES.map((name) => ({ name })) }],
      variants: SIZES.map((size, s) => ({
        optionValues: [{ optionName: 'Size', name: size }],
        price: '89.90',
        inventoryItem: { sku: `${productRef(p)}-${size}`, tracked: true },
        inventoryQuantities: [{ locationId: gid('Location', 1), name: 'available', quantity: (p + s) % 20 }],
      })),
    };
    const answer = { product: { id: gid('Product', p), variants: { nodes: SIZES.map((_, s) => ({ id: gid('ProductVariant', p * 3 + s), inventoryItem: { id: gid('InventoryItem', p * 3 + s) } })) } }, userErrors: [] };
    m.productSet += costOf(set, { input }, answer);
    const id = gid('Product', p);
    m.register += registerCost(id, extra, productKeys);
    for (const l of extra) m.registerPerLocale += registerCost(id, [l], productKeys);
    m.spanish += registerCost(id, ['es'], productKeys);
  }
  const resources = [
    ...Array.from({ length: CATEGORIES }, (_, c) => ({ id: gid('Collection', c), keys: 5 })),
    ...Array.from({ length: PRODUCTS }, (_, p) => ({ id: gid('Product', p), keys: 6 })),
  ];
  m.digests = digestsCost(resources);
  return m;
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

const byField = (points: Record<string, number>) =>
  Object.entries(points)
    .sort((a, b) => b[1] - a[1])
    .map(([f, n]) => `${f} ${n.toLocaleString('en')}`)
    .join(', ') || 'none';

const bound = (points: number) => (Math.max(0, points - plan.bucketSize) / plan.restoreRate) * 1000;
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const sum = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

/** Where our catalog's points went beyond the minimum, by root field. */
function beyond(r: Report, min: Minimal): string {
  const at = (f: string) => r.points[f] ?? 0;
  const known = ['productSet', 'translationsRegister', 'translatableResourcesByIds', 'collectionCreate'];
  const rest = r.actual - known.reduce((n, f) => n + at(f), 0);
  const digestQueries = r.queries['translatableResourcesByIds'] ?? 0;
  const least = Math.ceil((PRODUCTS + CATEGORIES) / MAX_INPUT_ARRAY);
  const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toLocaleString('en')}`;
  return (
    `Beyond the minimum (${signed(r.actual - (min.productSet + min.collectionCreate + min.register + min.digests))}): productSet ${signed(at('productSet') - min.productSet)} ` +
    `(the custom ID metafield each new product carries: 0.4 on productSet's dynamic cost, 1 point a product once rounded, as in throttle and rich); ` +
    `digest reads ${signed(at('translatableResourcesByIds') - min.digests)} (${plural(digestQueries, 'query', 'queries')}${digestQueries > least ? ` where ${least} would do: each push, an engine batch of ${BATCH} changes, reads the digests of its own resources, 2 points a query` : ''}); ` +
    `translationsRegister ${signed(at('translationsRegister') - min.register)}; collectionCreate ${signed(at('collectionCreate') - min.collectionCreate)}; ` +
    `the rest ${signed(rest)}: SKU look-ups before creation (productVariants ×${r.queries['productVariants'] ?? 0}, 2 points a query that finds nothing), collection look-ups (collections ×${r.queries['collections'] ?? 0}), the custom ID definition and the connect query.`
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  const sim = await RemoteSimulator.start<Report>(fileURLToPath(import.meta.url));
  const resources = PRODUCTS + CATEGORIES;
  const stored = PRODUCTS * PRODUCT_KEYS * EXTRA + CATEGORIES * CATEGORY_KEYS * EXTRA;
  let first: Phase, again: Phase, spanish: Phase;
  try {
    const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: sim.url });
    const engine = new SyncEngine({
      connector: { id: 'bench-translations', shopDomain: sim.shopDomain, apiVersion: VERSION, language: 'en', overwriteStock: true },
      target,
      storage: new MemoryStorage(),
      batchSize: BATCH,
    });
    first = await runPhase(engine, sim, catalog(), { reportArg: 'none' });
    const r = first.report;
    if (r.products !== PRODUCTS || r.collections !== CATEGORIES || r.translations !== stored || r.outdated !== 0) {
      throw new Error(`the store does not hold the catalog and its ${stored} translations: ${JSON.stringify({ ...r, points: undefined })}`);
    }
    again = await runPhase(engine, sim, catalog());
    // A full bucket for the Spanish run, so that its time compares with its bound.
    await sleep((plan.bucketSize / plan.restoreRate) * 1000);
    spanish = await runPhase(engine, sim, catalog('(nueva)', false), { reportArg: '(nueva)' });
    const s = spanish.report;
    if (s.spanishOf !== PRODUCTS * PRODUCT_KEYS + CATEGORIES * CATEGORY_KEYS || s.translations !== stored || s.outdated !== 0) {
      throw new Error(`the store does not hold the new Spanish texts: ${JSON.stringify({ ...s, points: undefined })}`);
    }
    await engine.dispose();
  } finally {
    await sim.close();
  }
  const min = minimal();
  const minTotal = min.productSet + min.collectionCreate + min.register + min.digests;
  const issueTotal = min.productSet + min.collectionCreate + min.registerPerLocale;
  const ours = first.report.actual;
  const pointsRatio = minTotal / ours;
  const issueRatio = issueTotal / ours;
  const resyncMutations = sum(again.report.mutations);
  const spanishRatio = min.spanish / spanish.report.actual;
  const spanishClean = Object.keys(spanish.report.mutations).every((f) => f === 'translationsRegister') && !spanish.report.queries['translatableResourcesByIds'];
  const per = (x: number) => (x / PRODUCTS).toFixed(2);
  const perProduct = {
    productSet: min.productSet / PRODUCTS,
    register: (min.register - registerCost(gid('Collection', 0), LANGUAGES.slice(1), ['title']) * CATEGORIES) / PRODUCTS,
    digests: min.digests / resources,
  };
  const sec = (ms: number) => (ms / 1000).toFixed(1);
  writeResults(
    'translations',
    'npm run bench:translations',
    [
      ['scenario', 'our points', 'minimal points', 'points ratio', 'issue baseline (ratio)', 'time s (bound s)', 'requests', 'mutations sent', 'queries sent'],
      [
        `catalog: ${PRODUCTS.toLocaleString('en')} products × ${SIZES.length} variants with stock, ${CATEGORIES} categories; title, description, SEO title and description in ${LANGUAGES.join(', ')} (categories' titles too)`,
        ours.toLocaleString('en'),
        minTotal.toLocaleString('en'),
        pointsRatio.toFixed(3),
        `${issueTotal.toLocaleString('en')} (${issueRatio.toFixed(3)})`,
        `${sec(first.ms)} (${sec(bound(minTotal))})`,
        String(first.report.requests),
        counts(first.report.mutations),
        counts(first.report.queries),
      ],
      ['re-sync of the unchanged catalog', again.report.actual.toLocaleString('en'), '0', '', '', sec(again.ms), String(again.report.requests), counts(again.report.mutations), counts(again.report.queries)],
      [
        'Spanish only: every product\'s and category\'s Spanish texts changed (full bucket at the start)',
        spanish.report.actual.toLocaleString('en'),
        min.spanish.toLocaleString('en'),
        spanishRatio.toFixed(3),
        '',
        `${sec(spanish.ms)} (${sec(bound(min.spanish))})`,
        String(spanish.report.requests),
        counts(spanish.report.mutations),
        counts(spanish.report.queries),
      ],
    ],
    [
      `Standard plan preset (bucket ${plan.bucketSize.toLocaleString('en')}, restoring ${plan.restoreRate} points/s), latency ${REALISTIC_LATENCY.baseMs} ms + ${REALISTIC_LATENCY.perMutationMs} ms per mutation + up to ${REALISTIC_LATENCY.jitterMs} ms jitter, API ${VERSION}, store locales en (primary), es, fr, connector language en, engine batches of ${BATCH} on MemoryStorage, the simulator in its own process. The machine has 2 cores shared with other work while this ran: points do not depend on it, times may.`,
      `Minimal points (the real limit), computed with the package's cost function (Shopify's published rules, as the simulator charges them) on the exact documents and a successful answer: per product one productSet carrying its variants, their stock, its collection and SEO, reading back the ids of the product, its variants and their inventory items (${perProduct.productSet.toFixed(2)}), + one translationsRegister carrying es and fr and its ${PRODUCT_KEYS} keys (Shopify's translationsRegister takes one resource a call, every locale and key of it: ${perProduct.register.toFixed(2)}), + its share of the digest read Shopify requires before registering (translatableResourcesByIds, ${MAX_INPUT_ARRAY} resources a query, selecting only key and digest: 2 points a resource + 2 a query, ${perProduct.digests.toFixed(3)} a resource); per category one collectionCreate + one translationsRegister + its share of the digest read (the ${resources.toLocaleString('en')} resources in ${plural(Math.ceil(resources / MAX_INPUT_ARRAY), 'query', 'queries')}). In all: productSet ${min.productSet.toLocaleString('en')}, collectionCreate ${min.collectionCreate.toLocaleString('en')}, translationsRegister ${min.register.toLocaleString('en')}, digests ${min.digests.toLocaleString('en')} = ${minTotal.toLocaleString('en')} (${per(minTotal)} a product).`,
      `The issue's baseline (one productSet + one translationsRegister per extra language, here ${EXTRA}: ${per(issueTotal)} a product, no digest read) is looser than this minimum: one translationsRegister carries every language of a resource, so the issue's baseline pays ${EXTRA - 1} extra mutation${EXTRA > 2 ? 's' : ''} a resource (${(min.registerPerLocale - min.register).toLocaleString('en')} points) where the digest read costs ${min.digests.toLocaleString('en')}. points_ratio is against the tighter minimum (ours can only be ≥ it); the ratio against the issue's baseline is for information.`,
      `Ours: ${per(ours)} points a product. Points by root field (a request of several kinds counts under their names joined by +): ${byField(first.report.points)}. ${beyond(first.report, min)} Store after the catalog: ${first.report.translations.toLocaleString('en')} translations, none outdated.`,
      `Re-sync: the same changes enqueued again are recognised unchanged (the engine's content hashes): ${plural(resyncMutations, 'mutation', 'mutations')}, ${plural(again.report.requests, 'request', 'requests')} (${counts(again.report.queries)}). Spanish only: the primary texts did not change, so the digests the state knows still hold and the least is translationsRegister alone: ${spanishClean ? 'so it went (no productSet, no digest read)' : `not so: ${counts(spanish.report.mutations)}; queries ${counts(spanish.report.queries)}`}; points by root field: ${byField(spanish.report.points)}; ${spanish.report.spanishOf.toLocaleString('en')} Spanish translations carry the new text.`,
      `Bound = (minimal − bucket) / restore rate: the least time the leaky bucket allows for the minimal cost. Whole run ${((performance.now() - started) / 1000).toFixed(0)} s (a ${plan.bucketSize / plan.restoreRate} s wait for a full bucket before the Spanish run included).`,
    ],
  );
  console.log(
    `catalog: ${ours} points (minimal ${minTotal}, issue baseline ${issueTotal}, ratio ${issueRatio.toFixed(3)}) in ${sec(first.ms)} s (bound ${sec(bound(minTotal))} s); ` +
      `re-sync: ${counts(again.report.mutations)}; Spanish only: ${spanish.report.actual} points (minimal ${min.spanish}) in ${sec(spanish.ms)} s, ${counts(spanish.report.mutations)}, queries ${counts(spanish.report.queries)}`,
  );
  console.log(`points by root field: ${byField(first.report.points)}`);
  console.log(`RESULT translations points_ratio=${pointsRatio.toFixed(3)} resync_mutations=${resyncMutations}`);
}

if (isSimulatorProcess) await serveSimulator(simOptions, storeFigures);
else await main();
