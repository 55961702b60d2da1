/**
 * Crash safety across processes (issue #17): three engine processes share one PostgreSQL schema
 * and one connector, each with the Shopify target pointed at the simulator this process runs. The
 * first runs the sync; mid-iteration (it holds a lease, and the store has answered a productSet
 * of that lease, so some of its writes are in the store and none is acknowledged) it is killed
 * with SIGKILL. Its item leases stay until they expire; one of the two other processes takes the
 * connector over, resumes the same event, and finishes it. At the end the store equals the
 * catalog with no twin, every item is complete, the event is the one the first process started,
 * and no item was ever held by two live leases.
 *
 * Who runs the connector: the engine has no connector lease across processes, so the worker
 * (fixtures/postgres-crash-worker.ts) takes turns with the others on a session advisory lock,
 * which PostgreSQL lets go when the killed process's connection dies.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChangeQueue, type Change, type ItemStatus } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { PG_URL, pgFixture, unreachable } from '../../packages/adapters/postgres/test/helpers.js';
import type { CrashWorkerConfig } from './fixtures/postgres-crash-worker.js';
import { readWorkerLines, simulator, storeView, TOKEN, totals, type StoreView } from './harness.js';

const WORKER = fileURLToPath(new URL('./fixtures/postgres-crash-worker.ts', import.meta.url));
const CONNECTOR = 'pg-crash';
const PRODUCTS = 60;
const SIZES = ['S', 'M', 'L'];
const CATEGORIES = 6;
const LEASE_MS = 3_000;
/** Three product groups (a product and its three variants) an iteration. */
const BATCH = 12;

function catalog(): Change[] {
  const out: Change[] = [];
  for (let c = 0; c < CATEGORIES; c++) out.push({ entity: 'category', op: 'upsert', ref: `CAT-${c}`, data: { title: `Category ${c}`, handle: `cat-${c}` } });
  for (let p = 0; p < PRODUCTS; p++) {
    out.push({ entity: 'product', op: 'upsert', ref: `SKU-${p}`, data: { title: `Product ${p}`, handle: `product-${p}`, categoryRefs: [`CAT-${p % CATEGORIES}`], options: ['Size'] } });
    SIZES.forEach((size, i) =>
      out.push({ entity: 'variant', op: 'upsert', ref: `SKU-${p}-${size}`, parentRef: `SKU-${p}`, data: { price: `${10 + p}.${i}0`, optionValues: { Size: size }, stock: (p % 7) + i } }),
    );
  }
  return out;
}

/** What the store must hold: the catalog, each product once, in its collection. */
function expectedStore(): StoreView {
  const products = Array.from({ length: PRODUCTS }, (_, p) => ({
    handle: `product-${p}`,
    title: `Product ${p}`,
    status: 'ACTIVE',
    collections: [`cat-${p % CATEGORIES}`],
    variants: SIZES.map((size, i) => ({ sku: `SKU-${p}-${size}`, price: `${10 + p}.${i}0`, stock: (p % 7) + i })).sort((a, b) => a.sku.localeCompare(b.sku)),
  })).sort((a, b) => a.handle.localeCompare(b.handle));
  const collections = Array.from({ length: CATEGORIES }, (_, c) => ({
    handle: `cat-${c}`,
    title: `Category ${c}`,
    products: products.filter((p) => p.collections[0] === `cat-${c}`).map((p) => p.handle).sort(),
  }));
  return { products, collections };
}

type Line =
  | { t: 'ready' | 'leader' }
  | { t: 'lease'; id: string; keys: string[]; now: number; expiresAt: number; at: number }
  | { t: 'end'; id: string; how: 'ack' | 'release'; calledAt: number; doneAt: number; ok: boolean; error?: string }
  | { t: 'iteration'; eventId: string; index: number }
  | { t: 'done'; eventId: string | null; status: string | null; resumed: string | null };
type LeaseLine = Extract<Line, { t: 'lease' }>;
type EndLine = Extract<Line, { t: 'end' }>;

/** A worker process: the JSON lines it printed so far, and its end. */
interface Worker {
  name: string;
  child: ChildProcess;
  lines: Line[];
  output: string;
  /** Resolves when the process has exited and its output is all read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  has(t: Line['t']): boolean;
}

/** Resolves once `check` holds (polled every 10 ms), with what it returned; fails after `timeoutMs` naming `label`. */
async function until<T>(label: string, check: () => T | undefined | false, timeoutMs: number, explain: () => string = () => ''): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${label}. ${explain()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const pg = pgFixture('crash');

/** `promise`, or a failure naming `label` after `timeoutMs`. */
async function within<T>(label: string, promise: Promise<T>, timeoutMs: number, explain: () => string = () => ''): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${label}. ${explain()}`)), timeoutMs)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('reliability: an engine process killed with SIGKILL mid-iteration, on PostgreSQL, three processes', { skip: unreachable ?? false }, () => {
  const schema = pg.schema();
  const workers: Worker[] = [];
  let sim: ShopifySimulator;
  let storage: PostgresStorage;

  before(async () => {
    // A store slow enough (≈ 60–80 ms a request) that an iteration takes a few hundred ms.
    sim = await simulator({ latency: { baseMs: 60, perMutationMs: 10, jitterMs: 20 }, plan: 'plus' });
    storage = await PostgresStorage.open({ url: PG_URL, schema, max: 2 });
    await new ChangeQueue(storage, CONNECTOR).enqueue(catalog());
  });
  after(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.closed));
    await storage?.close();
    await sim?.close();
  });

  function spawnWorker(name: string): Worker {
    const config: CrashWorkerConfig = { url: PG_URL, schema, connectorId: CONNECTOR, endpoint: sim.url, shopDomain: sim.shopDomain, leaseMs: LEASE_MS, batchSize: BATCH };
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], {
      env: { ...process.env, SHOPSYNC_PG_CRASH_WORKER: JSON.stringify(config), SHOPSYNC_PG_CRASH_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const w: Worker = {
      name,
      child,
      lines: [],
      output: '',
      closed: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal }))),
      has: (t) => w.lines.some((l) => l.t === t),
    };
    readWorkerLines<Line>(child, w);
    workers.push(w);
    return w;
  }

  const outputs = () => workers.map((w) => `\n--- ${w.name} (exit ${w.child.exitCode ?? w.child.signalCode ?? 'running'}):\n${w.output.slice(-3_000)}`).join('');

  it('another process takes the connector over after the lease expires and finishes the same event: the store equals the catalog, no twins', { timeout: 90_000 }, async () => {
    const started = Date.now();
    // 1. The first process takes the connector and starts the run; the other two wait for the connector.
    const first = spawnWorker('worker 1');
    await until('worker 1 to take the connector', () => first.has('leader'), 30_000, outputs);
    const standby = [spawnWorker('worker 2'), spawnWorker('worker 3')];
    await until('workers 2 and 3 to wait for the connector', () => standby.every((w) => w.has('ready')), 30_000, outputs);

    // 2. Mid-iteration: past its first iteration, worker 1 holds a lease and the store has
    // answered a productSet sent for it; more requests of that lease are to come (two products a request).
    const victim = await until(
      'worker 1 to be mid-iteration',
      () => {
        // Worker 1's newest lease, taken after an iteration, not ended, with three products (two productSet requests, one at a time).
        const lines = [...first.lines].reverse();
        const lease = lines.find((l): l is LeaseLine => l.t === 'lease');
        if (!lease || !lines.slice(lines.indexOf(lease)).some((l) => l.t === 'iteration')) return undefined;
        if (lines.some((l) => l.t === 'end' && l.id === lease.id)) return undefined;
        if (lease.keys.filter((k) => k.startsWith('product:')).length < 3) return undefined;
        const answered = sim.requests.filter((r) => r.fields.includes('productSet') && r.status === 200 && Date.parse(r.at) >= lease.at);
        return answered.length === 1 ? lease : undefined;
      },
      30_000,
      outputs,
    );
    first.child.kill('SIGKILL');
    assert.equal((await first.closed).signal, 'SIGKILL');
    const killedAt = Date.now();
    // What worker 1 wrote for that lease and never acknowledged: products in the store that the heir must not make twice.
    const handleOf = (key: string) => `product-${key.slice('product:SKU-'.length)}`;
    const writtenUnacked = new Map(
      victim.keys
        .filter((k) => k.startsWith('product:'))
        .map((k) => [handleOf(k), sim.product({ handle: handleOf(k) })?.id])
        .filter((e): e is [string, string] => e[1] !== undefined),
    );
    assert.ok(writtenUnacked.size >= 2, `the answered productSet of the killed lease wrote its two products: ${[...writtenUnacked.keys()].join(', ')}`);
    const eventId = first.lines.find((l): l is Extract<Line, { t: 'iteration' }> => l.t === 'iteration')!.eventId;
    const iterationsBefore = first.lines.filter((l) => l.t === 'iteration').length;
    assert.ok(!first.lines.some((l) => l.t === 'end' && l.id === victim.id), 'killed before its lease ended');
    const stillLeased = await storage.pool.query<{ id: string; expires_at: string }>(`SELECT id, expires_at FROM "${schema}".leases WHERE connector = $1`, [CONNECTOR]);
    assert.ok(
      stillLeased.rows.some((r) => r.id === victim.id && Number(r.expires_at) === victim.expiresAt),
      `the killed lease is still held in the database: ${JSON.stringify(stillLeased.rows)}`,
    );

    // 3. One of the others takes the connector over, resumes the event and finishes it; then the last finds nothing to do.
    const ends = await within('workers 2 and 3 to finish', Promise.all(standby.map((w) => w.closed)), 45_000, outputs);
    assert.deepEqual(
      ends.map((e) => e.code),
      [0, 0],
      `workers 2 and 3 exit cleanly${outputs()}`,
    );
    const finishedAt = Date.now();
    const dones = standby.map((w) => w.lines.find((l): l is Extract<Line, { t: 'done' }> => l.t === 'done')!);
    const heirDone = dones.find((d) => d.resumed !== null);
    assert.ok(heirDone, `one of workers 2 and 3 resumed the event${outputs()}`);
    const heir = standby[dones.indexOf(heirDone)]!;
    assert.deepEqual(heirDone, { t: 'done', eventId, status: 'completed', resumed: eventId }, 'the heir resumed the same event and completed it');
    assert.deepEqual(dones.find((d) => d !== heirDone), { t: 'done', eventId: null, status: null, resumed: null }, 'the last found nothing to resume or run');

    // 4. The event: the one worker 1 started, resumed once, its iterations in order, no general error.
    const events = await storage.listEvents(CONNECTOR, { offset: 0, limit: 10 });
    assert.deepEqual(events.items.map((e) => e.id), [eventId], 'one event: no new one for the same work');
    const event = events.items[0]!;
    assert.equal(event.status, 'completed');
    assert.deepEqual(event.generalErrors, []);
    assert.equal(event.resumedAt.length, 1);
    assert.deepEqual(event.pending, { categories: 0, products: 0, variants: 0 });
    assert.deepEqual(event.iterations.map((i) => i.index), Array.from({ length: event.iterations.length }, (_, i) => i + 1));
    assert.ok(event.iterations.length > iterationsBefore, 'iterations of both processes');
    const heirIterations = heir.lines.filter((l) => l.t === 'iteration').length;
    assert.equal(event.iterations.length, iterationsBefore + heirIterations, 'every committed iteration of both, none of the killed one');
    // The killed iteration was never recorded; its items were sent again and counted once.
    assert.deepEqual(totals(event), { synced: catalog().length, failed: 0, skipped: 0 });
    const logs = (await storage.readLogs(CONNECTOR, eventId)).map((l) => l.message);
    assert.ok(logs.includes('Synchronization resumed after the process running it stopped.'), 'the log tells the resumption');

    // 5. Every item complete, by that event; nothing pending or leased.
    const items: ItemStatus[] = (await storage.queryItems(CONNECTOR, { offset: 0, limit: 1_000 })).items;
    assert.equal(items.length, catalog().length);
    assert.deepEqual([...new Set(items.map((i) => `${i.status} ${i.syncEventId}`))], [`complete ${eventId}`]);
    assert.deepEqual(await storage.pendingCounts(CONNECTOR), { categories: 0, products: 0, variants: 0 });
    assert.equal((await storage.pool.query(`SELECT 1 FROM "${schema}".leases`)).rowCount, 0, 'no lease left');

    // 6. The store is the catalog: no product or variant twice (counted by SKU and handle), prices, stock, collections.
    const snap = sim.snapshot();
    const skus = snap.products.flatMap((p) => p.variants.map((v) => v.sku));
    assert.equal(skus.length, new Set(skus).size, 'no twin variant');
    assert.equal(skus.length, PRODUCTS * SIZES.length);
    assert.equal(snap.products.length, new Set(snap.products.map((p) => p.handle)).size, 'no twin product');
    assert.deepEqual(storeView(sim), expectedStore());
    for (const [handle, id] of writtenUnacked) assert.equal(sim.product({ handle })?.id, id, `${handle}: the product worker 1 created is the one the heir completed`);

    // 7. No item was ever held by two live leases: a lease got an item only after the lease before
    // it had ended (its ack or release called), or had expired (the killed one's).
    const leases = workers.flatMap((w) => w.lines.filter((l): l is LeaseLine => l.t === 'lease').map((l) => ({ ...l, worker: w.name })));
    const endOf = new Map(workers.flatMap((w) => w.lines.filter((l): l is EndLine => l.t === 'end' && l.ok)).map((l) => [l.id, l]));
    const byKey = new Map<string, typeof leases>();
    for (const l of leases) for (const k of l.keys) byKey.set(k, [...(byKey.get(k) ?? []), l]);
    for (const [key, held] of byKey) {
      held.sort((a, b) => a.at - b.at);
      for (let i = 1; i < held.length; i++) {
        const [a, b] = [held[i - 1]!, held[i]!];
        const end = endOf.get(a.id);
        if (end) assert.ok(b.at >= end.calledAt, `${key}: leased by ${b.worker} (${b.id}) before ${a.worker}'s lease ${a.id} ended`);
        else assert.ok(b.now >= a.expiresAt, `${key}: leased by ${b.worker} (${b.id}) at ${b.now}, before ${a.worker}'s lease ${a.id} expired at ${a.expiresAt}`);
      }
    }
    // The killed lease's items came back after it expired, and the heir sent them.
    for (const key of victim.keys) {
      const next = byKey.get(key)!.find((l) => l.at > victim.at);
      assert.ok(next && next.worker === heir.name && next.now >= victim.expiresAt, `${key} leased again by ${heir.name} after the killed lease expired`);
    }
    // Every lease but the killed one ended (acknowledged or released) in time: none was lost to its expiry.
    const unended = leases.filter((l) => !endOf.has(l.id)).map((l) => l.id);
    assert.deepEqual(unended, [victim.id], 'only the killed lease never ended');

    console.log(
      `postgres-crash: worker 1 killed after ${iterationsBefore} iterations, holding a lease of ${victim.keys.length} items (${[...writtenUnacked.keys()].join(', ')} already in the store); ` +
        `${heir.name} resumed ${eventId} and ended it after ${event.iterations.length} iterations in all; killed at ${killedAt - started} ms, done at ${finishedAt - started} ms`,
    );
  });
});
