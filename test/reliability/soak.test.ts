/**
 * Soak (docs/reliability.md): 10,000 changes from a host, in waves that join the sync under way,
 * through a server engine on SQLite and the Shopify target into the simulator, while the store
 * fails at random (5xx, hangs, resets, garbled answers, THROTTLED bursts, a revoked token, a store
 * gone for a while) and the connector is disabled and enabled again at random. At the end the
 * store holds exactly the host's catalog, every item is complete, and every counter adds up.
 *
 * The seed fixes the catalog, the changes, their waves and every fault and pause decision; it is
 * printed, and `SHOPSYNC_SOAK_SEED=<n>` replays it. The moments the decisions land on still depend
 * on timing (real HTTP on loopback), which is the point of a soak.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShopsyncError, SyncEngine, type Change, type EntityCounts, type ItemStatus, type SyncEvent } from '@shopsync/core';
import { seededRandom } from '@shopsync/core/testing';
import type { FaultKind, ShopifySimulator } from '@shopsync/shopify/simulator';
import { SqliteStorage } from '@shopsync/sqlite';
import { shopifyTarget, simulator, storeView, TOKEN, type ProductView } from './harness.js';

const CHANGES = 10_000;
const STABLE_CATEGORIES = 12;
const TEMP_CATEGORIES = 4;
const PRODUCTS = 400;
const SIZES = ['S', 'M', 'L', 'XL'];


interface Model {
  categories: Map<string, { title: string; handle: string }>;
  products: Map<string, { title: string; handle: string; categoryRefs: string[]; simple: boolean }>;
  variants: Map<string, { parentRef: string; price: string; stock: number }>;
}

/**
 * The host's changes, in waves, and the catalog they leave (applied in order, as the queue's
 * coalescing promises: the newest change of an item wins). Products are simple (their own SKU)
 * or have one to four sizes, always at least one while they live; a deleted product is deleted
 * with its variants, and may come back later with new ones.
 */
function generate(random: () => number): { waves: Change[][]; model: Model; keys: Set<string>; productHandles: Set<string> } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const model: Model = { categories: new Map(), products: new Map(), variants: new Map() };
  const keys = new Set<string>();
  const productHandles = new Set<string>();
  const waves: Change[][] = [];
  let wave: Change[] = [];
  let count = 0;
  const push = (c: Change) => {
    wave.push(c);
    keys.add(`${c.entity}:${c.ref}`);
    count++;
    if (c.entity === 'category') {
      if (c.op === 'upsert') model.categories.set(c.ref, { title: String(c.data.title), handle: c.data.handle! });
      else model.categories.delete(c.ref);
    } else if (c.entity === 'product') {
      if (c.op === 'upsert') model.products.set(c.ref, { title: String(c.data.title), handle: c.data.handle!, categoryRefs: c.data.categoryRefs ?? [], simple: !c.data.options });
      else model.products.delete(c.ref);
    } else if (c.op === 'upsert') model.variants.set(c.ref, { parentRef: c.parentRef, price: c.data.price, stock: c.data.stock as number });
    else model.variants.delete(c.ref);
  };
  const variantsOf = (p: string) => [...model.variants.entries()].filter(([, v]) => v.parentRef === p).map(([ref]) => ref);
  const upsertCategory = (ref: string) => push({ entity: 'category', op: 'upsert', ref, data: { title: `${ref} ${Math.floor(random() * 1_000)}`, handle: ref.toLowerCase() } });
  const upsertVariant = (p: string, size: string) =>
    push({ entity: 'variant', op: 'upsert', ref: `${p}-${size}`, parentRef: p, data: { price: `${1 + Math.floor(random() * 200)}.${random() < 0.5 ? '00' : '99'}`, optionValues: { Size: size }, stock: Math.floor(random() * 50) } });
  const upsertProduct = (p: string, index: number) => {
    const current = model.products.get(p);
    const simple = current ? current.simple : index % 5 === 0;
    const categoryRefs = [...new Set([`CAT-${Math.floor(random() * STABLE_CATEGORIES)}`, ...(random() < 0.3 ? [`CAT-${Math.floor(random() * STABLE_CATEGORIES)}`] : [])])];
    const handle = `p-${index}`;
    productHandles.add(handle);
    push({ entity: 'product', op: 'upsert', ref: p, data: { title: `Product ${index} ${Math.floor(random() * 1_000)}`, handle, categoryRefs, ...(simple ? {} : { options: ['Size'] }) } });
    if (!simple && variantsOf(p).length === 0) for (const size of SIZES.filter(() => random() < 0.6).concat(pick(SIZES))) if (!model.variants.has(`${p}-${size}`)) upsertVariant(p, size);
  };

  for (let c = 0; c < STABLE_CATEGORIES; c++) upsertCategory(`CAT-${c}`);
  let size = 200 + Math.floor(random() * 600);
  while (count < CHANGES) {
    const roll = random();
    const index = Math.floor(random() * PRODUCTS);
    const p = `P-${index}`;
    const live = model.products.get(p);
    if (CHANGES - count < 8) {
      // The last few: one change each, so that there are exactly CHANGES.
      if (live) upsertProduct(p, index);
      else upsertCategory(`CAT-${Math.floor(random() * STABLE_CATEGORIES)}`);
    } else if (roll < 0.03) {
      const t = Math.floor(random() * TEMP_CATEGORIES);
      if (model.categories.has(`TMP-${t}`) && random() < 0.5) push({ entity: 'category', op: 'delete', ref: `TMP-${t}` });
      else upsertCategory(random() < 0.5 ? `TMP-${t}` : `CAT-${Math.floor(random() * STABLE_CATEGORIES)}`);
    } else if (roll < 0.5 || !live) upsertProduct(p, index);
    else if (roll < 0.85 && !live.simple) upsertVariant(p, pick(SIZES));
    else if (roll < 0.93 && !live.simple && variantsOf(p).length > 1) push({ entity: 'variant', op: 'delete', ref: pick(variantsOf(p)), parentRef: p });
    else if (roll < 0.96) {
      for (const v of variantsOf(p)) push({ entity: 'variant', op: 'delete', ref: v, parentRef: p });
      push({ entity: 'product', op: 'delete', ref: p });
    } else upsertProduct(p, index);
    if (wave.length >= size) {
      waves.push(wave);
      wave = [];
      size = 200 + Math.floor(random() * 600);
    }
  }
  if (wave.length) waves.push(wave);
  return { waves, model, keys, productHandles };
}

/** The store the host's catalog means: live products, active, in their collections, with their variants. */
function expectedStore(model: Model): ReturnType<typeof storeView> {
  const handleOfCategory = (ref: string) => model.categories.get(ref)!.handle;
  const products = [...model.products.entries()]
    .map(([ref, p]) => ({
      handle: p.handle,
      title: p.title,
      status: 'ACTIVE',
      collections: p.categoryRefs.map(handleOfCategory).sort(),
      variants: p.simple
        ? [{ sku: ref, price: '0.00', stock: 0 }]
        : [...model.variants.entries()]
            .filter(([, v]) => v.parentRef === ref)
            .map(([sku, v]) => ({ sku, price: v.price, stock: v.stock }))
            .sort((a, b) => a.sku.localeCompare(b.sku)),
    }))
    .sort((a, b) => a.handle.localeCompare(b.handle));
  const collections = [...model.categories.entries()]
    .map(([, c]) => ({
      handle: c.handle,
      title: c.title,
      products: products.filter((p) => p.collections.includes(c.handle)).map((p) => p.handle),
    }))
    .sort((a, b) => a.handle.localeCompare(b.handle));
  return { products, collections: collections.map((c) => ({ ...c, products: c.products.sort() })) };
}

/** Products that differ, by handle, as `handle: store … / catalog …` (readable where a deep diff is not). */
function differences(actual: ProductView[], expected: ProductView[]): string[] {
  const byHandle = (xs: ProductView[]) => new Map(xs.map((p) => [p.handle, JSON.stringify(p)]));
  const a = byHandle(actual);
  const e = byHandle(expected);
  const out: string[] = [];
  for (const h of new Set([...a.keys(), ...e.keys()])) if (a.get(h) !== e.get(h)) out.push(`${h}: store ${a.get(h) ?? 'none'} / catalog ${e.get(h) ?? 'none'}`);
  return out.sort();
}

const zero = (): EntityCounts => ({ categories: 0, products: 0, variants: 0 });
const PLURAL = { category: 'categories', product: 'products', variant: 'variants' } as const;

describe('reliability: soak', () => {
  it(`${CHANGES.toLocaleString('en')} changes with random faults, pauses and resumes: the store ends as the catalog, every counter adds up`, async () => {
    const seed = Number(process.env['SHOPSYNC_SOAK_SEED'] ?? Math.floor(Math.random() * 1_000_000));
    console.log(`soak seed: ${seed} (replay with SHOPSYNC_SOAK_SEED=${seed})`);
    const tag = `(seed ${seed})`;
    // One stream per concern: the catalog, the driver's timing, and the faults and pauses.
    const { waves, model, keys, productHandles } = generate(seededRandom(seed));
    const timing = seededRandom(seed ^ 0x5bd1e995);
    const random = seededRandom(seed ^ 0x9e3779b9);
    assert.equal(
      waves.reduce((n, w) => n + w.length, 0),
      CHANGES,
    );

    const dir = mkdtempSync(join(tmpdir(), 'shopsync-soak-'));
    const storage = SqliteStorage.open({ path: join(dir, 'engine.sqlite') });
    const sim: ShopifySimulator = await simulator({ plan: 'enterprise', hangMs: 1_000, logLimit: 1_000_000 });
    const target = shopifyTarget(sim, { requestTimeoutMs: 250 });
    const engine = new SyncEngine({
      connector: { id: 'soak', shopDomain: sim.shopDomain, apiVersion: '2026-07', overwriteStock: true, includeEmptyCategories: true },
      target,
      storage,
      batchSize: 25,
      maxFailedIterations: 3,
      retryBackoff: { baseMs: 5, maxMs: 20 },
    });

    // What the engine tells, counted apart from what it records.
    const told = new Map<string, { synced: EntityCounts; failed: EntityCounts; skipped: EntityCounts; iterations: number; generalErrors: number }>();
    const tally = (eventId: string) => {
      let t = told.get(eventId);
      if (!t) told.set(eventId, (t = { synced: zero(), failed: zero(), skipped: zero(), iterations: 0, generalErrors: 0 }));
      return t;
    };
    engine.on('itemsUpdated', ({ eventId, items }) => {
      const t = tally(eventId ?? 'outside a run');
      for (const i of items) t[i.status === 'error' ? 'failed' : i.skipped ? 'skipped' : 'synced'][PLURAL[i.entity]] += 1;
    });
    engine.on('iterationCompleted', ({ eventId }) => void (tally(eventId).iterations += 1));
    engine.on('generalError', ({ eventId }) => void (tally(eventId).generalErrors += 1));

    // Faults and pauses, decided by the seed, at the iterations they happen to fall on.
    const kinds: Array<FaultKind | 'throttle'> = ['http500', 'http503', 'hang', 'reset', 'malformed', 'unauthorized', 'notFound', 'throttle'];
    const fields = [undefined, undefined, 'productSet', 'collectionCreate', 'collectionAddProducts', 'collectionRemoveProducts', 'inventorySetQuantities', 'productVariants'];
    let injected = 0;
    let faulting = true;
    let pauses = 0;
    let enabled: Promise<void> = Promise.resolve();
    const faultStats: Record<string, number> = {};
    engine.on('iterationCompleted', () => {
      if (faulting && random() < 0.5) {
        const kind = kinds[Math.floor(random() * kinds.length)]!;
        faultStats[kind] = (faultStats[kind] ?? 0) + 1;
        if (kind === 'throttle') sim.setBucket(TOKEN, 0);
        else {
          const count = 1 + Math.floor(random() * (kind === 'hang' ? 3 : 6));
          const field = fields[Math.floor(random() * fields.length)];
          sim.injectFault(kind, { count, afterExecute: random() < 0.5, ...(field ? { field } : {}) });
          injected += count;
        }
      }
      if (faulting && engine.config.enabled && random() < 0.1) {
        pauses++;
        const after = Math.floor(random() * 40);
        void engine.setEnabled(false);
        enabled = new Promise((resolve) => setTimeout(() => void engine.setEnabled(true).then(resolve), after));
      }
    });

    /** Starts a run, or joins the one under way, once the connector is enabled; resolves when none is under way. */
    const run = async (): Promise<void> => {
      for (;;) {
        await enabled;
        try {
          await engine.start();
        } catch (err) {
          // Disabled between the check and the start: wait for it to be enabled again.
          if (err instanceof ShopsyncError && err.code === 'connector_disabled') continue;
          throw err;
        }
        await engine.idle();
        return;
      }
    };
    const runs: Array<Promise<void>> = [];

    const started = Date.now();
    try {
      for (const w of waves) {
        await engine.enqueue(w);
        // New changes join the run under way, or start one; some waves land mid-run.
        runs.push(run());
        await new Promise((r) => setTimeout(r, Math.floor(timing() * 300)));
      }
      const enqueuedAt = Date.now();
      await Promise.all(runs);
      await run();
      // The bad day ends: the store answers normally again, and the runs drain what is left.
      faulting = false;
      await enabled;
      const cleared = sim.clearFaults();
      for (let i = 0; i < 10 && Object.values(await storage.pendingCounts('soak')).some((n) => n > 0); i++) await run();
      const seconds = `${((Date.now() - started) / 1_000).toFixed(1)} s (waves ${((enqueuedAt - started) / 1_000).toFixed(1)} s)`;

      const events: SyncEvent[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await engine.listEvents({ offset, limit: 100 });
        events.push(...page.items);
        if (page.items.length < 100) break;
      }
      const statuses = events.reduce<Record<string, number>>((n, e) => ({ ...n, [e.status]: (n[e.status] ?? 0) + 1 }), {});
      const faulted = sim.requests.filter((r) => r.fault).length;
      console.log(
        `soak ${tag}: ${seconds}, ${waves.length} waves, ${events.length} events ${JSON.stringify(statuses)}, ` +
          `${events.reduce((n, e) => n + e.iterations.length, 0)} iterations, ${sim.requests.length} requests, ${faulted} faulted ` +
          `${JSON.stringify(faultStats)}, ${sim.throttledCount} THROTTLED, ${pauses} pauses, ` +
          `${events.reduce((n, e) => n + e.generalErrors.length, 0)} general errors`,
      );

      // Nothing lost: the queue is empty and every item is complete, as its last change says.
      assert.deepEqual(await storage.pendingCounts('soak'), zero(), `nothing pending ${tag}`);
      const items: ItemStatus[] = [];
      for (let offset = 0; ; offset += 1_000) {
        const page = await engine.queryItems({ offset, limit: 1_000 });
        items.push(...page.items);
        if (page.items.length < 1_000) break;
      }
      assert.equal(items.length, keys.size, `one status per item ever changed ${tag}`);
      const notComplete = items.filter((i) => i.status !== 'complete');
      assert.deepEqual(
        notComplete.map((i) => `${i.entity}:${i.ref} ${i.status} ${JSON.stringify(i.errors)}`),
        [],
        `every item complete: faults never become item errors ${tag}`,
      );
      const live = (i: ItemStatus) => (i.entity === 'category' ? model.categories.has(i.ref) : i.entity === 'product' ? model.products.has(i.ref) : model.variants.has(i.ref));
      assert.deepEqual(
        items.filter((i) => (i.op === 'upsert') !== live(i)).map((i) => `${i.entity}:${i.ref} ${i.op}`),
        [],
        `each item's last operation is the host's ${tag}`,
      );

      // The store is the catalog: live products active, exactly; anything else archived and deleted by the host; no twin.
      const store = storeView(sim);
      const expected = expectedStore(model);
      const active = store.products.filter((p) => p.status === 'ACTIVE');
      const activeHandles = new Set(active.map((p) => p.handle));
      assert.deepEqual(differences(active, expected.products), [], `active products are exactly the live catalog ${tag}`);
      const liveHandles = new Set(expected.products.map((p) => p.handle));
      assert.deepEqual(
        store.products.filter((p) => p.status !== 'ACTIVE').filter((p) => p.status !== 'ARCHIVED' || liveHandles.has(p.handle)).map((p) => `${p.handle} ${p.status}`),
        [],
        `other products are archived deletions ${tag}`,
      );
      assert.deepEqual(
        store.products.filter((p) => !productHandles.has(p.handle)).map((p) => p.handle),
        [],
        `no twin (a twin gets another handle) ${tag}`,
      );
      assert.deepEqual(
        store.collections.map((c) => ({ ...c, products: c.products.filter((h) => activeHandles.has(h)) })),
        expected.collections,
        `collections are exactly the live categories, with their live products ${tag}`,
      );

      // Every counter adds up.
      const statusesTold = new Set(['completed', 'error']);
      for (const e of events) {
        assert.ok(statusesTold.has(e.status), `event ${e.id} ended ${e.status} ${tag}`);
        const t = told.get(e.id) ?? { synced: zero(), failed: zero(), skipped: zero(), iterations: 0, generalErrors: 0 };
        const sum = (k: 'synced' | 'failed' | 'skipped') =>
          e.iterations.reduce((n, it) => ({ categories: n.categories + it[k].categories, products: n.products + it[k].products, variants: n.variants + it[k].variants }), zero());
        assert.deepEqual(sum('synced'), t.synced, `event ${e.id}: iterations count the items told synced ${tag}`);
        assert.deepEqual(sum('failed'), t.failed, `event ${e.id}: failed ${tag}`);
        assert.deepEqual(sum('skipped'), t.skipped, `event ${e.id}: skipped ${tag}`);
        assert.equal(e.iterations.length, t.iterations, `event ${e.id}: iterations told ${tag}`);
        assert.equal(e.generalErrors.length, t.generalErrors, `event ${e.id}: general errors told ${tag}`);
        assert.deepEqual(
          e.iterations.map((it) => it.index),
          e.iterations.map((_, i) => i + 1),
          `event ${e.id}: iterations numbered 1..n ${tag}`,
        );
        if (e.status === 'error') {
          assert.equal(e.iterations.length, 0, `an Error event has no iterations ${tag}`);
          assert.equal(e.generalErrors.length, 1, `an Error event has one general error ${tag}`);
        }
        assert.equal(e.resumedAt.length, e.pausedAt.length, `event ${e.id}: every pause resumed ${tag}`);
      }
      const last = events[0]!;
      assert.equal(last.status, 'completed', `the last event completed ${tag}`);
      assert.deepEqual(last.pending, zero());
      assert.equal(faulted + cleared, injected, `every injected fault was met or cleared ${tag}`);
      assert.equal(target.stats.throttled, sim.throttledCount, `THROTTLED answers counted on both sides ${tag}`);
      const totalPauses = events.reduce((n, e) => n + e.pausedAt.length, 0);
      assert.ok(totalPauses <= pauses, `pauses recorded ${totalPauses} <= asked ${pauses} ${tag}`);
    } finally {
      engine.removeAllListeners();
      await engine.dispose();
      await sim.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
