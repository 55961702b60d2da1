/**
 * Crash test: a child process runs a server engine (SQLite storage, Shopify target) against the
 * simulator; the test kills it with SIGKILL at random moments, at least 10 times, restarting it
 * each time. At the end the store holds exactly the expected catalog (none missing, no twins),
 * every item status is right, and nothing is pending.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChangeQueue, type Change } from '@shopsync/core';
import { seededRandom } from '@shopsync/core/testing';
import { ShopifySimulator } from '@shopsync/shopify/simulator';
import { SqliteStorage } from '@shopsync/sqlite';
import { tempDir } from './helpers.js';

const KILLS = 12;
const PRODUCTS = 80;
const SIZES = ['S', 'M', 'L'];
const TOKEN = `shpat_${'c0ffee00'.repeat(4)}`;
const CONNECTOR = 'crash-store';
const WORKER = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));


function catalog(): Change[] {
  const out: Change[] = [];
  for (let c = 0; c < 5; c++) out.push({ entity: 'category', op: 'upsert', ref: `CAT-${c}`, data: { title: `Category ${c}`, handle: `cat-${c}` } });
  for (let p = 0; p < PRODUCTS; p++) {
    out.push({ entity: 'product', op: 'upsert', ref: `SKU-${p}`, data: { title: `Product ${p}`, handle: `product-${p}`, categoryRefs: [`CAT-${p % 5}`], options: ['Size'] } });
    for (const size of SIZES) {
      out.push({ entity: 'variant', op: 'upsert', ref: `SKU-${p}-${size}`, parentRef: `SKU-${p}`, data: { price: '10.00', optionValues: { Size: size }, stock: 5 } });
    }
  }
  return out;
}

describe('crash recovery (SQLite + Shopify target + simulator, SIGKILL)', () => {
  const tmp = tempDir('crash');
  const dbPath = tmp.file('engine.sqlite');
  let sim: ShopifySimulator;

  before(async () => {
    // A store as slow as Shopify is (150 ms a request): the whole sync must outlast the kills. At
    // 20 ms, leasing product groups made it end too soon (1.8 s for the whole catalog, against
    // 10.9 s in the old drain order), and most kills came after it (one run: 4 of 12 landed).
    sim = await ShopifySimulator.start({ accessTokens: [TOKEN], latency: { baseMs: 150, perMutationMs: 2 } });
    const storage = SqliteStorage.open({ path: dbPath });
    await new ChangeQueue(storage, CONNECTOR).enqueue(catalog());
    await storage.close();
  });
  after(async () => {
    await sim.close();
    tmp.cleanup();
  });

  function worker(): { child: ChildProcess; ready: Promise<void>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], {
      env: {
        ...process.env,
        SHOPSYNC_CRASH_TOKEN: TOKEN,
        SHOPSYNC_CRASH_WORKER: JSON.stringify({ dbPath, endpoint: sim.url, shopDomain: sim.shopDomain, connectorId: CONNECTOR }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('ready')) markReady();
    });
    child.stderr!.on('data', (d) => (out += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, out })),
    );
    return { child, ready, exited };
  }

  it(`is killed ${KILLS} times at random moments and still ends with exactly the catalog`, async () => {
    const seed = Number(process.env.SHOPSYNC_CRASH_SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    let killedWhileWorking = 0;
    for (let i = 0; i < KILLS; i++) {
      const { child, ready, exited } = worker();
      // A random moment of the run: while it recovers, waits for a dead lease, or is mid-iteration.
      const wait = Math.floor(random() * 1_500);
      const outcome = await Promise.race([exited, ready.then(() => new Promise<null>((r) => setTimeout(() => r(null), wait)))]);
      if (outcome === null) {
        child.kill('SIGKILL');
        const end = await exited;
        assert.equal(end.signal, 'SIGKILL', `seed ${seed}`);
        killedWhileWorking++;
      } else assert.equal(outcome.code, 0, `worker failed (seed ${seed}): ${outcome.out}`);
    }
    assert.ok(killedWhileWorking >= 10, `only ${killedWhileWorking} kills landed while the worker ran (seed ${seed})`);

    const last = worker();
    const timer = setTimeout(() => last.child.kill('SIGKILL'), 60_000);
    const end = await last.exited;
    clearTimeout(timer);
    assert.equal(end.code, 0, `final run (seed ${seed}): ${end.out}`);

    const store = sim.snapshot();
    const skus = store.products.map((p) => p.variants.map((v) => v.sku).sort().join(','));
    assert.equal(store.products.length, PRODUCTS, `no product missing, no twin (seed ${seed})`);
    const expected = Array.from({ length: PRODUCTS }, (_, p) => SIZES.map((s) => `SKU-${p}-${s}`).sort().join(','));
    assert.deepEqual(skus.sort(), expected.sort(), 'each product has exactly its three variants');
    assert.equal(store.collections.length, 5);
    for (const p of store.products) {
      assert.equal(p.collections.length, 1, `${p.handle} is in one collection`);
    }

    const storage = SqliteStorage.open({ path: dbPath });
    try {
      assert.deepEqual(await storage.pendingCounts(CONNECTOR), { categories: 0, products: 0, variants: 0 });
      const all = await storage.queryItems(CONNECTOR, { offset: 0, limit: 1_000 });
      assert.equal(all.total, 5 + PRODUCTS * 4);
      assert.deepEqual([...new Set(all.items.map((i) => i.status))], ['complete'], 'every item complete');
      const events = await storage.listEvents(CONNECTOR, { offset: 0, limit: 100 });
      assert.ok(events.items.every((e) => e.status !== 'in_progress'), 'no event left In Progress');
    } finally {
      await storage.close();
    }
  });
});
