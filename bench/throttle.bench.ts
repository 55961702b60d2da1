/**
 * `npm run bench:throttle`: 2,000 products with 3 variants each (8,000 items, with stock) synced
 * by @shopsync/core's engine through @shopsync/shopify into the simulator, with the Shopify Plus
 * preset (bucket 20,000, restoring 1,000 points/s) and realistic latency (150 ms a request, plus
 * 15 ms a mutation, plus up to 40 ms of jitter).
 *
 * The bound is the least time the leaky bucket allows for the cost our run incurred:
 * (total actual cost − points available at the start) / restore rate. Efficiency = bound / time.
 * In the same run, a naive client on a fresh simulator with the same settings: sequential, one
 * productSet (the product, its 3 variants and their stock) per request, a fixed 1 s sleep on
 * THROTTLED, on a sample of 200 products; speedup compares items per second.
 *
 * Each simulator runs in a process of its own, as a store is another system: the client's event
 * loop does not pay for the store's GraphQL execution, nor the other way round.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createAdminApiClient } from '@shopify/admin-api-client';
import { SyncEngine, type Change } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import { PLAN_PRESETS, REALISTIC_LATENCY, ShopifySimulator } from '@shopsync/shopify/simulator';
import { writeResults } from './results.js';

const PRODUCTS = 2_000;
const SIZES = ['S', 'M', 'L'] as const;
const NAIVE_SAMPLE = 200;
const BATCH = 1_000;
const TOKEN = `shpat_${'0123456789abcdef'.repeat(2)}`;
const VERSION = '2026-07';
const plan = PLAN_PRESETS.plus;
const simOptions = { accessTokens: [TOKEN], plan: 'plus' as const, latency: { ...REALISTIC_LATENCY }, versions: { supported: [VERSION] } };

interface SimReport {
  actual: number;
  throttled: number;
  requests: number;
  products: number;
  stock: number | null;
}

/** The simulator in a child process: ready with its address, then reports and closes on request. */
class RemoteSimulator {
  readonly #child: ChildProcess;
  url = '';
  shopDomain = '';
  primaryLocationId = '';

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  static async start(): Promise<RemoteSimulator> {
    const child = fork(fileURLToPath(import.meta.url), ['--simulator'], { execArgv: process.execArgv });
    const sim = new RemoteSimulator(child);
    const [ready] = (await once(child, 'message')) as [{ url: string; shopDomain: string; primaryLocationId: string }];
    Object.assign(sim, ready);
    return sim;
  }

  async report(sku: string): Promise<SimReport> {
    this.#child.send({ type: 'report', sku });
    return ((await once(this.#child, 'message')) as [SimReport])[0];
  }

  async close(): Promise<void> {
    this.#child.send({ type: 'close' });
    await once(this.#child, 'exit');
  }
}

async function serveSimulator(): Promise<void> {
  const sim = await ShopifySimulator.start(simOptions);
  process.on('message', (m: { type: 'report'; sku: string } | { type: 'close' }) => {
    if (m.type === 'report') {
      const log = sim.requests;
      const report: SimReport = {
        actual: log.reduce((n, r) => n + (r.actualCost ?? 0), 0),
        throttled: sim.throttledCount,
        requests: log.length,
        products: sim.snapshot().products.length,
        stock: sim.stock(m.sku) ?? null,
      };
      process.send!(report);
    } else void sim.close().then(() => process.exit(0));
  });
  process.send!({ url: sim.url, shopDomain: sim.shopDomain, primaryLocationId: sim.primaryLocationId });
}

function catalog(): Change[] {
  const out: Change[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const ref = `B-${String(p).padStart(5, '0')}`;
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${p}`, vendor: 'ACME', tags: ['bench'], options: ['Size'] } });
    for (const size of SIZES) out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: '19.90', stock: p % 50, optionValues: { Size: size } } });
  }
  return out;
}

async function ours(): Promise<{ ms: number; items: number; actual: number; throttled: number; requests: number; initial: number }> {
  const sim = await RemoteSimulator.start();
  try {
    const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: sim.url });
    const engine = new SyncEngine({ connector: { id: 'bench', shopDomain: sim.shopDomain, apiVersion: VERSION }, target, batchSize: BATCH });
    const changes = catalog();
    await engine.enqueue(changes);
    const t0 = performance.now();
    const event = await engine.start();
    const ms = performance.now() - t0;
    const synced = event.iterations.reduce((n, it) => n + it.synced.products + it.synced.variants, 0);
    if (event.status !== 'completed' || synced !== changes.length || event.generalErrors.length) {
      throw new Error(`the sync did not complete cleanly: ${event.status}, ${synced}/${changes.length} synced, ${JSON.stringify(event.generalErrors)}`);
    }
    const report = await sim.report(`B-${String(PRODUCTS - 1).padStart(5, '0')}-L`);
    if (report.products !== PRODUCTS || report.stock !== (PRODUCTS - 1) % 50) throw new Error('the store does not hold the catalog');
    return { ms, items: synced, actual: report.actual, throttled: report.throttled, requests: report.requests, initial: plan.bucketSize };
  } finally {
    await sim.close();
  }
}

const NAIVE_SET = `mutation($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { code field message } } }`;

async function naive(): Promise<{ ms: number; items: number; throttled: number }> {
  const sim = await RemoteSimulator.start();
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
        variants: SIZES.map((size) => ({
          optionValues: [{ optionName: 'Size', name: size }],
          price: '19.90',
          inventoryItem: { sku: `${ref}-${size}`, tracked: true },
          inventoryQuantities: [{ locationId: location, name: 'available', quantity: p % 50 }],
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
    if (report.products !== NAIVE_SAMPLE || report.stock !== (NAIVE_SAMPLE - 1) % 50) throw new Error('the naive client did not set the stock');
    return { ms, items: NAIVE_SAMPLE * (1 + SIZES.length), throttled };
  } finally {
    await sim.close();
  }
}

if (process.argv[2] === '--simulator') await serveSimulator();
else await main();

async function main(): Promise<void> {
  const o = await ours();
  const n = await naive();
  const bound = ((o.actual - o.initial) / plan.restoreRate) * 1000;
  const efficiency = bound / o.ms;
  const oursRate = (o.items * 1000) / o.ms;
  const naiveRate = (n.items * 1000) / n.ms;
  const speedup = oursRate / naiveRate;
  writeResults(
    'throttle',
    'npm run bench:throttle',
    [
      ['what', 'items', 'time s', 'items/s', 'actual cost', 'bound s', 'efficiency', 'THROTTLED', 'requests'],
      [
        '@shopsync/shopify through the core engine (batches of 1,000, aliased mutations, cost-paced, in parallel)',
        String(o.items),
        (o.ms / 1000).toFixed(1),
        oursRate.toFixed(1),
        String(o.actual),
        (bound / 1000).toFixed(1),
        efficiency.toFixed(3),
        String(o.throttled),
        String(o.requests),
      ],
      ['naive: sequential, one productSet (product, variants and their stock) per request, 1 s sleep on THROTTLED (200-product sample)', String(n.items), (n.ms / 1000).toFixed(1), naiveRate.toFixed(1), '', '', '', String(n.throttled), String(NAIVE_SAMPLE)],
    ],
    [
      `${PRODUCTS.toLocaleString('en')} products × ${SIZES.length} variants with stock into the simulator, Shopify Plus preset (bucket ${plan.bucketSize.toLocaleString('en')}, restoring ${plan.restoreRate.toLocaleString('en')} points/s), latency ${REALISTIC_LATENCY.baseMs} ms + ${REALISTIC_LATENCY.perMutationMs} ms per mutation + up to ${REALISTIC_LATENCY.jitterMs} ms jitter, API ${VERSION}.`,
      'Bound = (total actual cost − points available at the start) / restore rate: the least time the leaky bucket allows for that cost. Efficiency = bound / time taken. Speedup = our items/s over the naive items/s.',
      'Each simulator runs in a child process of its own. Our run includes connecting, finding products before creating them (no twins after a lost mapping) and writing each product twice: core drains products before variants, so a product is created in one iteration and given its variants in a later one.',
      `Speedup ${speedup.toFixed(1)}×.`,
    ],
  );
  console.log(`ours: ${o.items} items in ${(o.ms / 1000).toFixed(1)} s (bound ${(bound / 1000).toFixed(1)} s, actual cost ${o.actual}, ${o.requests} requests); naive: ${n.items} items in ${(n.ms / 1000).toFixed(1)} s`);
  console.log(`RESULT throttle efficiency=${efficiency.toFixed(3)} speedup=${speedup.toFixed(2)} throttled=${o.throttled}`);
}
