/**
 * The fault matrix of docs/reliability.md: every fault the simulator can make, met by the engine
 * end to end (SyncEngine + ShopifyTarget + simulator over HTTP). Each test asserts, exactly, the
 * event's status, its general errors, the item statuses and what the store holds; the table in
 * docs/reliability.md names these tests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage, type SyncEngine } from '@shopsync/core';
import { ShopifyTarget } from '@shopsync/shopify';
import type { FaultKind, ShopifySimulator } from '@shopsync/shopify/simulator';
import {
  category,
  engineOn,
  generalErrors,
  itemStates,
  MAX_FAILED,
  OTHER_TOKEN,
  product,
  RETRY,
  shopifyTarget,
  simulator,
  storeView,
  TOKEN,
  totals,
  variant,
  type StoreView,
} from './harness.js';

// ——— the catalog every row syncs, and what the store must hold after it ———

const CATALOG = [
  category('c1', 'Cat 1', { handle: 'cat-1' }),
  product('P1', { categoryRefs: ['c1'], options: ['Size'] }),
  variant('P1-S', 'P1', { optionValues: { Size: 'S' }, stock: 3 }),
  variant('P1-M', 'P1', { optionValues: { Size: 'M' }, stock: 4 }),
  product('P2', { categoryRefs: ['c1'] }),
];

const every = (status: string) => ({ 'category:c1': status, 'product:P1': status, 'product:P2': status, 'variant:P1-M': status, 'variant:P1-S': status });
const ALL_PENDING = every('pending');
const ALL_COMPLETE = every('complete');
/** Only the category went through; the products and variants wait in the queue. */
const CATEGORY_ONLY = { ...ALL_PENDING, 'category:c1': 'complete' };

const EXPECTED: StoreView = {
  products: [
    {
      handle: 'product-p1',
      title: 'Product P1',
      status: 'ACTIVE',
      collections: ['cat-1'],
      variants: [
        { sku: 'P1-M', price: '10.00', stock: 4 },
        { sku: 'P1-S', price: '10.00', stock: 3 },
      ],
    },
    { handle: 'product-p2', title: 'Product P2', status: 'ACTIVE', collections: ['cat-1'], variants: [{ sku: 'P2', price: '0.00', stock: 0 }] },
  ],
  collections: [{ handle: 'cat-1', title: 'Cat 1', products: ['product-p1', 'product-p2'] }],
};
const EMPTY: StoreView = { products: [], collections: [] };

/** The general error each fault leaves once the client's retries are spent. */
const CODE: Record<Exclude<FaultKind, 'unauthorized' | 'notFound'>, [string, number | undefined]> = {
  http500: ['server_error', 500],
  http503: ['server_error', 503],
  hang: ['timeout', undefined],
  reset: ['network', undefined],
  malformed: ['invalid_response', 200],
};
const RETRIED = Object.keys(CODE) as Array<keyof typeof CODE>;
/** The same faults met by the connection check that starts a run: the event ends in Error. */
const AT_CONNECT: Record<keyof typeof CODE, [string, number | undefined]> = { ...CODE, malformed: ['internal', 200] };

async function withSim(options: Parameters<typeof simulator>[0], run: (sim: ShopifySimulator) => Promise<void>): Promise<void> {
  const sim = await simulator(options);
  try {
    await run(sim);
  } finally {
    await sim.close();
  }
}

/** Runs `arm` once, when the run has connected (the connection check passed). */
function onceConnected(engine: SyncEngine, arm: () => void): void {
  const listener = ({ status }: { status: string }) => {
    if (status !== 'in_progress') return;
    engine.off('statusChanged', listener);
    arm();
  };
  engine.on('statusChanged', listener);
}

/** After a fault, the store well again: the next run sends what waited, once, and completes clean. */
async function recovers(sim: ShopifySimulator, engine: SyncEngine, previous: string): Promise<void> {
  const next = await engine.start();
  assert.notEqual(next.id, previous, 'a new event');
  assert.equal(next.status, 'completed');
  assert.deepEqual(generalErrors(next), []);
  assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
  assert.deepEqual(storeView(sim), EXPECTED, 'exactly the catalog: nothing missing, no twin');
}

describe('reliability: fault matrix, engine end to end against the simulator', () => {
  it('baseline: no fault, Completed, every item complete, the store holds exactly the catalog', async () => {
    await withSim({}, async (sim) => {
      const engine = engineOn(sim, shopifyTarget(sim));
      await engine.enqueue(CATALOG);
      assert.deepEqual(await itemStates(engine), ALL_PENDING);
      const e = await engine.start();
      assert.equal(e.status, 'completed');
      assert.deepEqual(generalErrors(e), []);
      assert.deepEqual(totals(e), { synced: 5, failed: 0, skipped: 0 });
      assert.deepEqual(e.pending, { categories: 0, products: 0, variants: 0 });
      assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
      assert.deepEqual(storeView(sim), EXPECTED);
    });
  });

  describe('before the run: the connection check fails, the event is Error', () => {
    it('F01 token refused at start (401): Error, auth 401, nothing sent', async () => {
      await withSim({}, async (sim) => {
        const engine = engineOn(sim, shopifyTarget(sim, { accessToken: OTHER_TOKEN }));
        await engine.enqueue(CATALOG);
        const e = await engine.start();
        assert.equal(e.status, 'error');
        assert.deepEqual(generalErrors(e), [['auth', 401]]);
        assert.deepEqual(e.iterations, []);
        assert.deepEqual(e.pending, { categories: 1, products: 2, variants: 2 });
        assert.deepEqual(await itemStates(engine), ALL_PENDING);
        assert.deepEqual(storeView(sim), EMPTY);
        assert.equal(sim.requests.filter((r) => r.status === 401).length, 1, 'a refused token is not tried again');
        assert.ok(!JSON.stringify(e).includes(OTHER_TOKEN), 'no token in the event');
      });
    });

    it('F02 store gone at start (404: unknown or closed store): Error, not_found 404, nothing sent', async () => {
      await withSim({}, async (sim) => {
        // A domain no store answers to.
        const unknown = engineOn(sim, shopifyTarget(sim), { shopDomain: 'no-such-store.myshopify.com' });
        await unknown.enqueue(CATALOG);
        const e1 = await unknown.start();
        assert.equal(e1.status, 'error');
        assert.deepEqual(generalErrors(e1), [['not_found', 404]]);
        assert.deepEqual(e1.iterations, []);
        assert.deepEqual(await itemStates(unknown), ALL_PENDING);
        // The store itself answers 404 to everything (closed).
        sim.injectFault('notFound', { count: 100 });
        const engine = engineOn(sim, shopifyTarget(sim));
        await engine.enqueue(CATALOG);
        const e2 = await engine.start();
        assert.equal(e2.status, 'error');
        assert.deepEqual(generalErrors(e2), [['not_found', 404]]);
        assert.equal(sim.requests.filter((r) => r.fault === 'notFound').length, 1, 'a store that is gone is not asked again');
        assert.deepEqual(await itemStates(engine), ALL_PENDING);
        assert.deepEqual(storeView(sim), EMPTY);
        // It comes back: the next run sends everything.
        sim.clearFaults();
        await recovers(sim, engine, e2.id);
      });
    });

    it('F03 store unreachable at start (connection refused): Error, network, nothing sent', async () => {
      const closed = await simulator();
      const origin = closed.url;
      await closed.close();
      await withSim({}, async (sim) => {
        const engine = engineOn(sim, new ShopifyTarget({ accessToken: TOKEN, endpoint: origin, requestTimeoutMs: 200, retry: { ...RETRY } }));
        await engine.enqueue(CATALOG);
        const e = await engine.start();
        assert.equal(e.status, 'error');
        assert.deepEqual(generalErrors(e), [['network', undefined]]);
        assert.match(e.generalErrors[0]!.message, /Could not connect to the store: ECONNREFUSED/);
        assert.deepEqual(e.iterations, []);
        assert.deepEqual(await itemStates(engine), ALL_PENDING);
      });
    });

    for (const kind of RETRIED) {
      it(`F04 ${kind} at start: retried; beyond the retries Error ${AT_CONNECT[kind].filter((x) => x !== undefined).join(' ')}, within them Completed`, async () => {
        await withSim({}, async (sim) => {
          const engine = engineOn(sim, shopifyTarget(sim));
          await engine.enqueue(CATALOG);
          sim.injectFault(kind, { count: RETRY.maxAttempts });
          const e = await engine.start();
          assert.equal(e.status, 'error');
          assert.deepEqual(generalErrors(e), [AT_CONNECT[kind]]);
          assert.match(e.generalErrors[0]!.message, new RegExp(`Gave up after ${RETRY.maxAttempts} attempts`));
          assert.deepEqual(e.iterations, []);
          assert.deepEqual(await itemStates(engine), ALL_PENDING);
          assert.deepEqual(storeView(sim), EMPTY);
          // One attempt fewer than the retries: the check succeeds and the run completes clean.
          sim.injectFault(kind, { count: RETRY.maxAttempts - 1 });
          await recovers(sim, engine, e.id);
          assert.equal(sim.requests.filter((r) => r.fault === kind).length, 2 * RETRY.maxAttempts - 1, 'every fault was met');
        });
      });
    }
  });

  describe('mid-run, within the retries: invisible to the user', () => {
    for (const kind of RETRIED) {
      for (const afterExecute of [false, true]) {
        const when = afterExecute ? 'after the store applied the request' : 'before the store applied the request';
        it(`F05 ${kind} ${when}: retried, Completed, no general error, no twin`, async () => {
          await withSim({}, async (sim) => {
            const engine = engineOn(sim, shopifyTarget(sim));
            await engine.enqueue(CATALOG);
            onceConnected(engine, () => sim.injectFault(kind, { count: RETRY.maxAttempts - 1, afterExecute }));
            const e = await engine.start();
            assert.equal(e.status, 'completed');
            assert.deepEqual(generalErrors(e), []);
            assert.deepEqual(totals(e), { synced: 5, failed: 0, skipped: 0 });
            assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
            assert.deepEqual(storeView(sim), EXPECTED);
            assert.equal(sim.requests.filter((r) => r.fault === kind).length, RETRY.maxAttempts - 1, 'every fault was met');
          });
        });
      }
    }

    it('F06 THROTTLED bursts (the bucket drained by another app, again and again): waited out, Completed, no general error', async () => {
      await withSim({ bucketSize: 1_000, restoreRate: 100 }, async (sim) => {
        const target = shopifyTarget(sim);
        const engine = engineOn(sim, target, { batchSize: 2 });
        await engine.enqueue(CATALOG);
        onceConnected(engine, () => sim.setBucket(TOKEN, 0));
        engine.on('iterationCompleted', () => sim.setBucket(TOKEN, 0));
        const e = await engine.start();
        assert.equal(e.status, 'completed');
        assert.deepEqual(generalErrors(e), []);
        assert.deepEqual(totals(e), { synced: 5, failed: 0, skipped: 0 });
        assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
        assert.deepEqual(storeView(sim), EXPECTED);
        assert.ok(sim.throttledCount >= 2, `THROTTLED answers met: ${sim.throttledCount}`);
        assert.equal(target.stats.throttled, sim.throttledCount, 'the target counted every one');
      });
    });
  });

  describe('mid-run, beyond the retries: general errors, items stay queued, nothing lost', () => {
    for (const kind of RETRIED) {
      for (const afterExecute of [false, true]) {
        const when = afterExecute ? 'applied but unanswered' : 'refused';
        it(`F07 ${kind} on every productSet (${when}): Completed with ${CODE[kind][0]} ×3 + exhausted; the next run completes the catalog`, async () => {
          await withSim({}, async (sim) => {
            const engine = engineOn(sim, shopifyTarget(sim));
            await engine.enqueue(CATALOG);
            onceConnected(engine, () => sim.injectFault(kind, { count: 1_000, afterExecute, field: 'productSet' }));
            const e = await engine.start();
            assert.equal(e.status, 'completed');
            // The iteration that synced the category, then MAX_FAILED attempts in which nothing could proceed.
            assert.deepEqual(generalErrors(e), [CODE[kind], CODE[kind], CODE[kind], ['exhausted', undefined]]);
            assert.deepEqual(totals(e), { synced: 1, failed: 0, skipped: 0 });
            assert.deepEqual(e.pending, { categories: 0, products: 2, variants: 2 });
            assert.deepEqual(await itemStates(engine), CATEGORY_ONLY);
            // A request applied whose answer was lost leaves its writes in the store, unconfirmed:
            // each product whole, as one productSet carries it (variants, their stock, its collection).
            assert.deepEqual(storeView(sim), afterExecute ? EXPECTED : { products: [], collections: [{ handle: 'cat-1', title: 'Cat 1', products: [] }] });
            assert.ok(sim.clearFaults() > 0);
            await recovers(sim, engine, e.id);
          });
        });
      }
    }

    for (const kind of RETRIED) {
      it(`F08 ${kind} on every collectionCreate: refused, Completed with ${CODE[kind][0]} ×3 + exhausted, the products synced without it; applied but unanswered, found by its handle, Completed clean`, async () => {
        for (const afterExecute of [false, true]) {
          await withSim({}, async (sim) => {
            const engine = engineOn(sim, shopifyTarget(sim));
            await engine.enqueue(CATALOG);
            onceConnected(engine, () => sim.injectFault(kind, { count: 1_000, afterExecute, field: 'collectionCreate' }));
            const e = await engine.start();
            assert.equal(e.status, 'completed');
            if (afterExecute) {
              assert.deepEqual(generalErrors(e), []);
              assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
              assert.deepEqual(storeView(sim), EXPECTED);
              return;
            }
            assert.deepEqual(generalErrors(e), [CODE[kind], CODE[kind], CODE[kind], ['exhausted', undefined]]);
            assert.deepEqual(totals(e), { synced: 4, failed: 0, skipped: 0 });
            assert.deepEqual(e.pending, { categories: 1, products: 0, variants: 0 });
            assert.deepEqual(await itemStates(engine), { ...ALL_COMPLETE, 'category:c1': 'pending' });
            assert.deepEqual(storeView(sim), { products: EXPECTED.products.map((p) => ({ ...p, collections: [] })), collections: [] });
            assert.ok(sim.clearFaults() > 0);
            // The products waiting for their collection join it when it is made.
            await recovers(sim, engine, e.id);
          });
        }
      });
    }

    it('F09 THROTTLED more times in a row than maxThrottleRetries: Completed with throttled general errors, every item synced', async () => {
      await withSim({ bucketSize: 1_000, restoreRate: 100 }, async (sim) => {
        const engine = engineOn(sim, shopifyTarget(sim, { maxThrottleRetries: 0 }), { batchSize: 2 });
        await engine.enqueue(CATALOG);
        onceConnected(engine, () => sim.setBucket(TOKEN, 0));
        engine.on('iterationCompleted', () => sim.setBucket(TOKEN, 0));
        const e = await engine.start();
        assert.equal(e.status, 'completed');
        const codes = generalErrors(e);
        assert.ok(codes.length >= 1 && codes.length <= sim.throttledCount, `${codes.length} general errors, ${sim.throttledCount} THROTTLED`);
        assert.ok(codes.every(([code, status]) => code === 'throttled' && status === undefined));
        assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
        assert.deepEqual(storeView(sim), EXPECTED);
      });
    });

    // F10 and F11: a fault the store keeps giving from the first push on, final for this run.
    const finalFaults = [
      { row: 'F10 token revoked mid-run (401)', kind: 'unauthorized', code: 'auth', status: 401, back: 'a new token (or the app installed again)' },
      { row: 'F11 store disappears mid-run (404)', kind: 'notFound', code: 'not_found', status: 404, back: 'the store is back' },
    ] as const;
    for (const f of finalFaults) {
      it(`${f.row}: Completed with ${f.code} ${f.status} ×2 + exhausted, nothing sent; Error while it lasts; the catalog once ${f.back}`, async () => {
        await withSim({}, async (sim) => {
          const engine = engineOn(sim, shopifyTarget(sim));
          await engine.enqueue(CATALOG);
          onceConnected(engine, () => sim.injectFault(f.kind, { count: 1_000 }));
          const e = await engine.start();
          assert.equal(e.status, 'completed');
          assert.deepEqual(generalErrors(e), [[f.code, f.status], [f.code, f.status], ['exhausted', undefined]]);
          assert.equal(sim.requests.filter((r) => r.fault === f.kind).length, MAX_FAILED, 'one refused request per attempt: nothing more is sent');
          assert.deepEqual(e.iterations, []);
          assert.deepEqual(e.pending, { categories: 1, products: 2, variants: 2 });
          assert.deepEqual(await itemStates(engine), ALL_PENDING);
          assert.deepEqual(storeView(sim), EMPTY);
          const still = await engine.start();
          assert.equal(still.status, 'error');
          assert.deepEqual(generalErrors(still), [[f.code, f.status]]);
          assert.ok(sim.clearFaults() > 0, f.back);
          await recovers(sim, engine, still.id);
        });
      });
    }
    it('F12 store unreachable mid-run (connection refused), back later: Completed with network ×2 + exhausted; the catalog once back', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'shopsync-reliability-'));
      const statePath = join(dir, 'store.json');
      const first = await simulator({ statePath });
      const port = Number(new URL(first.url).port);
      const target = shopifyTarget(first);
      const engine = engineOn(first, target);
      let second: ShopifySimulator | undefined;
      try {
        await engine.enqueue(CATALOG);
        let down: Promise<void> | undefined;
        onceConnected(engine, () => (down = first.close()));
        const e = await engine.start();
        await down;
        assert.equal(e.status, 'completed');
        assert.deepEqual(
          generalErrors(e).map(([code]) => code),
          ['network', 'network', 'exhausted'],
        );
        assert.deepEqual(e.iterations, []);
        assert.deepEqual(await itemStates(engine), ALL_PENDING);
        // The store comes back at the same address, with what it held.
        second = await simulator({ statePath, port });
        assert.deepEqual(storeView(second), EMPTY);
        await recovers(second, engine, e.id);
      } finally {
        await first.close();
        await second?.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('API versions', () => {
    it('F13 the requested version falls forward at connect: documents follow the served one, the event records both', async () => {
      const reason = 'API version 2026-04 is supported until 2027-04-01; update the connector.';
      await withSim({ versions: { supported: ['2026-04', '2026-07'], deprecated: { '2026-04': reason } } }, async (sim) => {
        const engine = engineOn(sim, shopifyTarget(sim), { apiVersion: '2024-10' });
        await engine.enqueue(CATALOG);
        const e = await engine.start();
        assert.equal(e.status, 'completed');
        assert.deepEqual(generalErrors(e), []);
        assert.equal(e.config.apiVersion.requested, '2024-10');
        assert.equal(e.config.apiVersion.served, '2026-04');
        assert.equal(e.config.apiVersion.status, 'deprecated');
        assert.equal(e.config.apiVersion.deprecationReason, reason);
        assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
        // Stock went through 2026-04's inventorySetQuantities (changeFromQuantity and @idempotent required).
        assert.deepEqual(storeView(sim), EXPECTED);
        assert.ok(sim.requests.every((r) => r.requestedVersion === '2024-10' && r.servedVersion === '2026-04' && r.status === 200));
      });
    });

    it('F14 the version falls forward between runs (a quarter later): the next run follows the new one, in place', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'shopsync-reliability-'));
      const statePath = join(dir, 'store.json');
      const storage = new MemoryStorage();
      try {
        await withSim({ statePath, versions: { supported: ['2025-01', '2026-01'] } }, async (sim) => {
          const engine = engineOn(sim, shopifyTarget(sim), { storage, overwriteStock: true });
          await engine.enqueue(CATALOG);
          const e = await engine.start();
          assert.equal(e.config.apiVersion.served, '2025-01');
          assert.deepEqual(storeView(sim), EXPECTED);
        });
        // 2025-01 is no longer served; the host restarts with the same storage.
        await withSim({ statePath, versions: { supported: ['2026-04', '2026-07'] } }, async (sim) => {
          const engine = engineOn(sim, shopifyTarget(sim), { storage, overwriteStock: true });
          await engine.enqueue([variant('P1-S', 'P1', { optionValues: { Size: 'S' }, stock: 30, price: '12.00' })]);
          const e = await engine.start();
          assert.equal(e.status, 'completed');
          assert.deepEqual(generalErrors(e), []);
          assert.equal(e.config.apiVersion.requested, '2025-01');
          assert.equal(e.config.apiVersion.served, '2026-04');
          assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
          const expected = structuredClone(EXPECTED);
          expected.products[0]!.variants[1] = { sku: 'P1-S', price: '12.00', stock: 30 };
          assert.deepEqual(storeView(sim), expected, 'updated in place, no twin');
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the user acts during a fault', () => {
    it('F15 connector disabled during an outage: Paused (general errors kept, items queued); enabled after, the same event completes', async () => {
      await withSim({}, async (sim) => {
        const engine = engineOn(sim, shopifyTarget(sim), { maxFailedIterations: 5, retryBackoff: { baseMs: 50, maxMs: 50 } });
        await engine.enqueue(CATALOG);
        onceConnected(engine, () => sim.injectFault('http503', { count: 1_000 }));
        engine.once('generalError', () => void engine.setEnabled(false));
        const paused = await engine.start();
        assert.equal(paused.status, 'paused');
        assert.deepEqual(generalErrors(paused), [['server_error', 503]]);
        assert.deepEqual(paused.iterations, []);
        assert.deepEqual(paused.pending, { categories: 1, products: 2, variants: 2 });
        assert.deepEqual(await itemStates(engine), ALL_PENDING);
        assert.deepEqual(storeView(sim), EMPTY);

        sim.clearFaults();
        await engine.setEnabled(true);
        const resumed = await engine.idle();
        assert.equal(resumed?.id, paused.id, 'the same event resumed');
        assert.equal(resumed.status, 'completed');
        assert.deepEqual(generalErrors(resumed), [['server_error', 503]], 'what happened before the pause stays on the event');
        assert.equal(resumed.pausedAt.length, 1);
        assert.equal(resumed.resumedAt.length, 1);
        assert.deepEqual(await itemStates(engine), ALL_COMPLETE);
        assert.deepEqual(storeView(sim), EXPECTED);
      });
    });

    it('F16 the store refuses one item (userErrors): Completed, no general error, that item error with the store’s words, the rest synced', async () => {
      await withSim({}, async (sim) => {
        const engine = engineOn(sim, shopifyTarget(sim));
        await engine.enqueue([...CATALOG, product('P3', { title: '' })]);
        const e = await engine.start();
        assert.equal(e.status, 'completed');
        assert.deepEqual(generalErrors(e), []);
        assert.deepEqual(totals(e), { synced: 5, failed: 1, skipped: 0 });
        assert.deepEqual(await itemStates(engine), { ...ALL_COMPLETE, 'product:P3': 'error' });
        const [p3] = (await engine.queryItems({ status: 'error' })).items;
        assert.deepEqual(p3!.errors, [{ code: 'INVALID_PRODUCT', field: ['input', 'title'], message: "Title can't be blank" }]);
        assert.deepEqual(storeView(sim), EXPECTED);
      });
    });

    describe('F17 a productSet carrying images, applied and its answer lost', () => {
      const IMAGES = ['front', 'side', 'back'].map((n) => ({ url: `https://cdn.example.com/f17/${n}.jpg` }));
      const cases: Array<{ kind: keyof typeof CODE; count: number }> = [
        ...RETRIED.map((kind) => ({ kind, count: 1 })),
        { kind: 'http503', count: RETRY.maxAttempts * 4 },
      ];
      for (const { kind, count } of cases) {
        const beyond = count > RETRY.maxAttempts;
        it(`F17 ${kind} ×${count}${beyond ? ' (beyond the retries, then the next run)' : ''}: no twin image, the product's images in order, Completed`, async () => {
          await withSim({ media: { processingMs: 20, fetch: false, maxBytes: 1_000_000 } }, async (sim) => {
            const engine = engineOn(sim, shopifyTarget(sim, { mediaRetryMs: 20 }));
            const catalog = [product('P4', { images: IMAGES }), variant('P4-A', 'P4', { image: IMAGES[1]!.url })];
            await engine.enqueue(catalog);
            onceConnected(engine, () => sim.injectFault(kind, { count, field: 'productSet', afterExecute: true }));
            let e = await engine.start();
            if (beyond) {
              assert.equal(e.generalErrors.at(-1)?.code, 'exhausted');
              sim.clearFaults();
              e = await engine.start();
            }
            assert.equal(e.status, 'completed');
            assert.deepEqual(generalErrors(e), []);
            assert.deepEqual(await itemStates(engine), { 'product:P4': 'complete', 'variant:P4-A': 'complete' });
            const p = sim.product({ sku: 'P4-A' })!;
            assert.deepEqual(
              p.media.map((m) => m.source),
              IMAGES.map((i) => i.url),
            );
            assert.equal(p.variants[0]!.imageId, p.media[1]!.id);
            assert.equal(sim.files().length, 3, 'one file per image: none uploaded twice');
            assert.equal(sim.snapshot().products.length, 1, 'one product');
          });
        });
      }
    });

    describe('F18 a translationsRegister applied and its answer lost', () => {
      const locales = [{ locale: 'en', primary: true, published: true }, { locale: 'es', published: true }];
      const cases: Array<{ kind: keyof typeof CODE; count: number }> = [
        ...RETRIED.map((kind) => ({ kind, count: 1 })),
        { kind: 'http503', count: RETRY.maxAttempts * 4 },
      ];
      for (const { kind, count } of cases) {
        const beyond = count > RETRY.maxAttempts;
        it(`F18 ${kind} ×${count}${beyond ? ' (beyond the retries, then the next run)' : ''}: the translation registered, current, Completed`, async () => {
          await withSim({ locales }, async (sim) => {
            const engine = engineOn(sim, shopifyTarget(sim));
            await engine.enqueue([product('P5', { title: { en: 'Tent', es: 'Tienda' } })]);
            onceConnected(engine, () => sim.injectFault(kind, { count, field: 'translationsRegister', afterExecute: true }));
            let e = await engine.start();
            if (beyond) {
              assert.equal(e.generalErrors.at(-1)?.code, 'exhausted');
              assert.deepEqual(await itemStates(engine), { 'product:P5': 'pending' }, 'held, not failed');
              sim.clearFaults();
              e = await engine.start();
            }
            assert.equal(e.status, 'completed');
            assert.deepEqual(generalErrors(e), []);
            assert.deepEqual(await itemStates(engine), { 'product:P5': 'complete' });
            const id = sim.product({ sku: 'P5' })!.id;
            assert.deepEqual(sim.translations(id, 'es').map((t) => [t.key, t.value, t.outdated]), [['title', 'Tienda', false]]);
            assert.equal(sim.snapshot().products.length, 1, 'one product');
          });
        });
      }
    });
  });
});

// The engine's limit on failed attempts is what the rows above count on.
assert.equal(MAX_FAILED, 2);
