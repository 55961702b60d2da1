/**
 * The fleet across processes (issue #18): FleetRunner worker processes
 * (fixtures/fleet-crash-worker.ts) share a storage and drive several stores of one SimulatorFleet
 * (one endpoint, each store named in X-Forwarded-Host).
 *
 * 1. PostgreSQL, SIGKILL: worker A (one slot) runs the big store while worker B runs the small
 *    ones; A is killed mid-iteration (a lease held, a productSet of it answered, another to come).
 *    B claims the big store only once A's claim has expired, resumes the same event, and ends it.
 * 2. PostgreSQL, SIGTERM: a worker running two stores at once is stopped mid-iteration; it exits 0
 *    within seconds, the iterations under way recorded, every claim released (fleetView: nothing
 *    running, the unfinished stores waiting); a second worker completes them in the same events.
 * 3. SQLite, SIGTERM: the same on one database file (the embedded default).
 *
 * Checked every time: each store equals its catalog (every product once, titles and prices as
 * sent, no twin by SKU or handle), nothing pending, one event per store, and no connector (nor
 * item) held by two live claims (leases) at once, from the workers' claim and release lines
 * timed with process.hrtime.bigint() (the machine's monotonic clock, shared by its processes).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ChangeQueue, ConnectorRegistry, type Change, type SlotEnded, type StorageAdapter, type SyncEvent } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { SimulatorFleet, type SimShop } from '@shopsync/shopify/simulator';
import { SqliteStorage } from '@shopsync/sqlite';
import { PG_URL, pgFixture, unreachable } from '../../packages/adapters/postgres/test/helpers.js';
import type { FleetWorkerConfig } from './fixtures/fleet-crash-worker.js';
import { readWorkerLines, TOKEN, totals } from './harness.js';

const WORKER = fileURLToPath(new URL('./fixtures/fleet-crash-worker.ts', import.meta.url));
const VERSION = '2026-01';
const SIZES = ['S', 'M'];
/** Three product groups (a product and its two variants) an iteration: two productSet requests, one at a time. */
const BATCH = 9;
/** Item leases of the engines. */
const LEASE_MS = 3_000;
/** Generous deadlines: the machine has 2 cores for PostgreSQL, the simulator and 2–3 processes. */
const STARTUP_MS = 60_000;
const RUN_MS = 45_000;

// ---------------------------------------------------------------- stores and their catalogs

interface StoreSpec {
  id: string;
  products: number;
}

const domainOf = (id: string) => `${id}.myshopify.com`;

/** A store's catalog: titles name the store and prices differ by store, so that a product sent to the wrong store shows. */
function catalog(store: StoreSpec, index: number): Change[] {
  const out: Change[] = [];
  for (let p = 0; p < store.products; p++) {
    const ref = `${store.id}-P${p}`;
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: `${store.id} product ${p}`, handle: `product-${p}`, options: ['Size'] } });
    SIZES.forEach((size, i) => out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: `${10 + p}.${i}${index}`, optionValues: { Size: size } } }));
  }
  return out;
}

interface ShopView {
  products: Array<{ handle: string; title: string; status: string; variants: Array<{ sku: string | null; price: string }> }>;
}

/** What the store must hold: its catalog, each product once. */
function expectedView(store: StoreSpec, index: number): ShopView {
  return {
    products: Array.from({ length: store.products }, (_, p) => ({
      handle: `product-${p}`,
      title: `${store.id} product ${p}`,
      status: 'ACTIVE',
      variants: SIZES.map((size, i) => ({ sku: `${store.id}-P${p}-${size}`, price: `${10 + p}.${i}${index}` })).sort((a, b) => String(a.sku).localeCompare(String(b.sku))),
    })).sort((a, b) => a.handle.localeCompare(b.handle)),
  };
}

/** What a store holds, in a stable order (twins would show). */
function shopView(shop: SimShop): ShopView {
  return {
    products: shop
      .snapshot()
      .products.map((p) => ({
        handle: p.handle,
        title: p.title,
        status: p.status,
        variants: p.variants.map((v) => ({ sku: v.sku, price: v.price })).sort((a, b) => String(a.sku).localeCompare(String(b.sku))),
      }))
      .sort((a, b) => a.handle.localeCompare(b.handle)),
  };
}

async function register(storage: StorageAdapter, stores: readonly StoreSpec[]): Promise<void> {
  const registry = new ConnectorRegistry(storage);
  for (const [i, s] of stores.entries()) {
    await registry.create({ config: { id: s.id, shopDomain: domainOf(s.id), apiVersion: VERSION } });
    await new ChangeQueue(storage, s.id).enqueue(catalog(s, i));
  }
}

// ---------------------------------------------------------------- worker processes and their lines

type Line =
  | { t: 'ready'; worker: string }
  | { t: 'claim'; c: string; now: number; until: number; hr: string }
  | { t: 'renew'; c: string; now: number; until: number; ok: boolean }
  | { t: 'release'; c: string; now: number; open: boolean; hr: string }
  | { t: 'slot'; c: string; outcome: SlotEnded['outcome']; eventId?: string; status?: string; error?: string }
  | { t: 'lease'; c: string; id: string; keys: string[]; now: number; expiresAt: number; at: number }
  | { t: 'end'; c: string; id: string; how: 'ack' | 'release'; calledAt: number; ok: boolean; error?: string }
  | { t: 'error'; c?: string; error: string }
  | { t: 'stopping' }
  | { t: 'stopped'; ms: number; running: number };
type Of<T extends Line['t']> = Extract<Line, { t: T }>;

interface Worker {
  /** Its id in claims. */
  name: string;
  child: ChildProcess;
  lines: Line[];
  output: string;
  /** process.hrtime.bigint() when the test saw it exit. */
  exitHr?: bigint;
  /** Resolves when the process has exited and its output is all read. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  of<T extends Line['t']>(t: T, c?: string): Array<Of<T>>;
  /** Lets it start its runner. */
  go(): void;
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

const running = (w: Worker) => w.child.exitCode === null && w.child.signalCode === null;

/** The processes of one test, and what they printed. */
class Workers {
  readonly all: Worker[] = [];

  spawn(config: FleetWorkerConfig): Worker {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], {
      env: { ...process.env, SHOPSYNC_FLEET_CRASH_WORKER: JSON.stringify(config), SHOPSYNC_FLEET_CRASH_TOKEN: TOKEN },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A `go` written to a process that died must not end the test process (EPIPE).
    child.stdin!.on('error', () => undefined);
    const w: Worker = {
      name: config.worker,
      child,
      lines: [],
      output: '',
      closed: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal }))),
      of: <T extends Line['t']>(t: T, c?: string) => w.lines.filter((l): l is Of<T> => l.t === t && (c === undefined || ('c' in l && l.c === c))),
      go: () => void child.stdin!.write('go\n'),
    };
    child.once('exit', () => (w.exitHr = process.hrtime.bigint()));
    readWorkerLines<Line>(child, w);
    this.all.push(w);
    return w;
  }

  /** The last output of each process, for failure messages. */
  readonly outputs = (): string => this.all.map((w) => `\n--- ${w.name} (exit ${w.child.exitCode ?? w.child.signalCode ?? 'running'}):\n${w.output.slice(-3_000)}`).join('');

  /** Fails at once if a process ended that should still run. */
  alive(...ws: Worker[]): void {
    for (const w of ws) if (!running(w)) throw new Error(`${w.name} exited early (${w.child.exitCode ?? w.child.signalCode}).${this.outputs()}`);
  }

  async ready(...ws: Worker[]): Promise<void> {
    await until('the workers to be ready', () => (this.alive(...ws), ws.every((w) => w.of('ready').length > 0)), STARTUP_MS, this.outputs);
  }

  /** SIGTERM, then the exit: code 0 within `timeoutMs`; returns how long it took (ms). */
  async terminate(w: Worker, timeoutMs: number): Promise<number> {
    const sent = Date.now();
    w.child.kill('SIGTERM');
    const end = await within(`${w.name} to exit after SIGTERM`, w.closed, timeoutMs, this.outputs);
    assert.deepEqual(end, { code: 0, signal: null }, `${w.name} exits 0 after SIGTERM${this.outputs()}`);
    return Date.now() - sent;
  }

  async killAll(): Promise<void> {
    for (const w of this.all) if (running(w)) w.child.kill('SIGKILL');
    await Promise.all(this.all.map((w) => w.closed));
  }
}

/**
 * A lease of `c` that `w` holds mid-iteration, past its first iteration: its newest lease, taken
 * after an acknowledged one, not ended, of three products or more (two productSet requests), of
 * which the store has answered exactly one: some of its writes are in the store, none
 * acknowledged, and another request is still to come.
 */
function midIteration(w: Worker, shop: SimShop, c: string): Of<'lease'> | undefined {
  const lease = w.of('lease', c).at(-1);
  const ends = w.of('end', c);
  if (!lease || !ends.some((e) => e.how === 'ack' && e.ok) || ends.some((e) => e.id === lease.id)) return undefined;
  if (lease.keys.filter((k) => k.startsWith('product:')).length < 3) return undefined;
  const answered = shop.requests.filter((r) => r.fields.includes('productSet') && r.status === 200 && Date.parse(r.at) >= lease.at);
  return answered.length === 1 ? lease : undefined;
}

/**
 * No connector held by two live claims at once. A worker holds a connector from its claim line
 * (printed once the claim is granted) to its release line (printed before the release is asked
 * for), so the intervals lie within the real claims; a claim never released (a killed worker, a
 * lost claim) counts until the process exited. Returns the intervals, by connector.
 */
function assertClaimsExclusive(workers: readonly Worker[]): Map<string, Array<{ worker: string; from: bigint; to: bigint }>> {
  const byConnector = new Map<string, Array<{ worker: string; from: bigint; to: bigint }>>();
  const add = (c: string, i: { worker: string; from: bigint; to: bigint }) => byConnector.set(c, [...(byConnector.get(c) ?? []), i]);
  for (const w of workers) {
    const open = new Map<string, bigint>();
    for (const l of w.lines) {
      if (l.t === 'claim') {
        assert.ok(!open.has(l.c), `${w.name} claimed ${l.c} again while holding it`);
        open.set(l.c, BigInt(l.hr));
      } else if (l.t === 'release') {
        const from = open.get(l.c);
        assert.ok(from !== undefined, `${w.name} released ${l.c} it had not claimed`);
        add(l.c, { worker: w.name, from, to: BigInt(l.hr) });
        open.delete(l.c);
      }
    }
    assert.ok(open.size === 0 || w.exitHr !== undefined, `${w.name} still holds ${[...open.keys()].join(', ')}`);
    for (const [c, from] of open) add(c, { worker: w.name, from, to: w.exitHr! });
  }
  for (const [c, list] of byConnector) {
    for (const a of list) {
      assert.ok(a.from <= a.to, `${c}: ${a.worker}'s claim ends before it starts`);
      for (const b of list) {
        if (a === b) continue;
        assert.ok(!(a.from < b.to && b.from < a.to), `${c} held by ${a.worker} [${a.from}, ${a.to}] and ${b.worker} [${b.from}, ${b.to}] at once`);
      }
    }
  }
  return byConnector;
}

/**
 * No item held by two live leases at once: a lease got an item only after the lease before it had
 * ended (its ack or release called) or expired. Returns the leases that never ended.
 */
function assertLeasesExclusive(workers: readonly Worker[]): Array<Of<'lease'> & { worker: string }> {
  const leases = workers.flatMap((w) => w.of('lease').map((l) => ({ ...l, worker: w.name })));
  const endOf = new Map(workers.flatMap((w) => w.of('end').filter((e) => e.ok).map((e) => [e.id, e] as const)));
  const byKey = new Map<string, typeof leases>();
  for (const l of leases) for (const k of l.keys) byKey.set(`${l.c} ${k}`, [...(byKey.get(`${l.c} ${k}`) ?? []), l]);
  for (const [key, held] of byKey) {
    held.sort((a, b) => a.at - b.at);
    for (let i = 1; i < held.length; i++) {
      const [a, b] = [held[i - 1]!, held[i]!];
      const end = endOf.get(a.id);
      if (end) assert.ok(b.at >= end.calledAt, `${key}: leased by ${b.worker} (${b.id}) before ${a.worker}'s lease ${a.id} ended`);
      else assert.ok(b.now >= a.expiresAt, `${key}: leased by ${b.worker} (${b.id}) at ${b.now}, before ${a.worker}'s lease ${a.id} expired at ${a.expiresAt}`);
    }
  }
  return leases.filter((l) => !endOf.has(l.id));
}

const eventsOf = async (storage: StorageAdapter, c: string): Promise<SyncEvent[]> => (await storage.listEvents(c, { offset: 0, limit: 10 })).items;
const ZERO = { categories: 0, products: 0, variants: 0 };

/** Every store equals its catalog, nothing pending, one completed event each with every item synced once; returns the events by store. */
async function assertStoresSynced(storage: StorageAdapter, fleet: SimulatorFleet, stores: readonly StoreSpec[]): Promise<Map<string, SyncEvent>> {
  const out = new Map<string, SyncEvent>();
  for (const [i, s] of stores.entries()) {
    const shop = fleet.shop(domainOf(s.id));
    const snap = shop.snapshot();
    const skus = snap.products.flatMap((p) => p.variants.map((v) => v.sku));
    assert.equal(skus.length, new Set(skus).size, `${s.id}: no twin variant`);
    assert.equal(snap.products.length, new Set(snap.products.map((p) => p.handle)).size, `${s.id}: no twin product`);
    assert.deepEqual(shopView(shop), expectedView(s, i), `${s.id}: the store equals its catalog`);
    assert.deepEqual(await storage.pendingCounts(s.id), ZERO, `${s.id}: nothing pending`);
    const events = await eventsOf(storage, s.id);
    assert.equal(events.length, 1, `${s.id}: one event`);
    const e = events[0]!;
    assert.equal(e.status, 'completed', `${s.id}: its event completed`);
    assert.deepEqual(e.generalErrors, [], `${s.id}: no general error`);
    assert.deepEqual(e.pending, ZERO);
    assert.deepEqual(e.iterations.map((it) => it.index), Array.from({ length: e.iterations.length }, (_, k) => k + 1), `${s.id}: iterations in order`);
    assert.deepEqual(totals(e), { synced: catalog(s, i).length, failed: 0, skipped: 0 }, `${s.id}: every item synced once over the recorded iterations`);
    out.set(s.id, e);
  }
  return out;
}

// ---------------------------------------------------------------- the file's simulator and storage

const pg = pgFixture('fleet_crash');
const tmp = mkdtempSync(join(tmpdir(), 'shopsync-fleet-crash-'));
let fleet: SimulatorFleet;

before(async () => {
  // Stores slow enough (≈ 120–160 ms a request) that a productSet request is a window to act in.
  fleet = await SimulatorFleet.start({ shops: 'any', accessTokens: [TOKEN], versions: { supported: ['2025-01', VERSION] }, latency: { baseMs: 100, perMutationMs: 10, jitterMs: 20 } });
});
after(async () => {
  await fleet?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function workerConfig(storage: FleetWorkerConfig['storage'], worker: string, tuning: { concurrency: number; claimMs: number }): FleetWorkerConfig {
  return { storage, worker, endpoint: fleet.url, pollMs: 100, leaseMs: LEASE_MS, batchSize: BATCH, ...tuning };
}

// ---------------------------------------------------------------- 1. SIGKILL

describe('reliability: a fleet worker killed with SIGKILL mid-run, on PostgreSQL', { skip: unreachable ?? false }, () => {
  const schema = pg.schema();
  const workers = new Workers();
  let storage: PostgresStorage;
  const stores: StoreSpec[] = [
    { id: 'k-a-big', products: 12 },
    { id: 'k-b-small', products: 3 },
    { id: 'k-c-small', products: 3 },
  ];
  const [big] = stores as [StoreSpec, ...StoreSpec[]];

  before(async () => {
    storage = await PostgresStorage.open({ url: PG_URL, schema, max: 2 });
    await register(storage, stores);
  });
  after(async () => {
    await workers.killAll();
    await storage?.close();
  });

  it("another worker claims the store once the dead one's claim expires, resumes the same event and completes it; every store equals its catalog", { timeout: 120_000 }, async () => {
    const started = Date.now();
    const claimMs = 3_000;
    const pgStorage = { kind: 'postgres', url: PG_URL, schema } as const;
    // A drives one store at a time (the big one, first in claim order); B two, the small ones meanwhile.
    const a = workers.spawn(workerConfig(pgStorage, 'worker-a', { concurrency: 1, claimMs }));
    const b = workers.spawn(workerConfig(pgStorage, 'worker-b', { concurrency: 2, claimMs }));
    await workers.ready(a, b);
    a.go();
    await until('worker A to claim the big store', () => (workers.alive(a), a.of('claim', big.id).length > 0), RUN_MS, workers.outputs);
    b.go();

    // Mid-iteration: A holds a lease of the big store and the store has answered one of its two productSet requests.
    const bigShop = fleet.shop(domainOf(big.id));
    const victim = await until('worker A to be mid-iteration on the big store', () => (workers.alive(a, b), midIteration(a, bigShop, big.id)), RUN_MS, workers.outputs);
    a.child.kill('SIGKILL');
    assert.equal((await a.closed).signal, 'SIGKILL');
    const killedAt = Date.now();
    assert.ok(!a.of('end').some((e) => e.id === victim.id), 'killed before its lease ended');
    const written = victim.keys.filter((k) => k.startsWith('product:')).map((k) => `product-${k.split('-P').at(-1)}`).filter((h) => bigShop.product({ handle: h }));
    assert.ok(written.length >= 2, `the answered productSet of the killed lease wrote its two products (${written.join(', ')})`);

    // What the dead worker left: its event In Progress, its item lease and its claim still held.
    const [left, ...others] = await eventsOf(storage, big.id);
    assert.ok(left && others.length === 0 && left.status === 'in_progress', 'the big store has one event, In Progress');
    const leases = await storage.pool.query<{ id: string }>(`SELECT id FROM "${schema}".leases WHERE connector = $1`, [big.id]);
    assert.ok(leases.rows.some((r) => r.id === victim.id), `the killed lease is still held in the database: ${JSON.stringify(leases.rows)}`);
    const view = await storage.fleetView(Date.now());
    assert.deepEqual(view.find((e) => e.connectorId === big.id), { connectorId: big.id, state: 'running', worker: 'worker-a', since: a.of('claim', big.id)[0]!.now }, "the dead worker's claim holds until it expires");

    // B completes every store (the big one once A's claim and item lease expire), then stops.
    await until(
      'worker B to complete every store',
      () => (workers.alive(b), stores.every((s) => b.of('slot', s.id).some((l) => l.outcome === 'completed'))),
      RUN_MS,
      workers.outputs,
    );
    const doneAt = Date.now();
    const stopMs = await workers.terminate(b, 20_000);

    // The stores, queues and events.
    const events = await assertStoresSynced(storage, fleet, stores);
    const event = events.get(big.id)!;
    assert.equal(event.id, left.id, 'the event A started, resumed by B');
    assert.equal(event.resumedAt.length, 1);
    assert.equal(event.yieldedAt, undefined, 'it never yielded: A died in it');
    const acks = (w: Worker) => w.of('end', big.id).filter((e) => e.how === 'ack' && e.ok).length;
    assert.equal(event.iterations.length, acks(a) + acks(b), "every acknowledged iteration of both workers, none of the killed one's");
    assert.ok(acks(a) > 0 && acks(b) > 0, 'both workers ran iterations of the big store');
    const logs = (await storage.readLogs(big.id, event.id)).map((l) => l.message);
    assert.ok(logs.includes('Synchronization resumed after the process running it stopped.'), 'the log tells the resumption');
    for (const s of stores.slice(1)) assert.deepEqual(events.get(s.id)!.resumedAt, [], `${s.id} ran once, undisturbed`);
    for (const s of stores) assert.deepEqual(b.of('slot', s.id).at(-1), { t: 'slot', c: s.id, outcome: 'completed', eventId: events.get(s.id)!.id, status: 'completed' });
    assert.equal((await storage.pool.query(`SELECT 1 FROM "${schema}".leases`)).rowCount, 0, 'no item lease left');
    assert.deepEqual(await storage.fleetView(Date.now()), [], 'no connector claimed or with work');

    // Claims: A's on the big store never released; B got it only after it expired, never while A lived.
    const claims = assertClaimsExclusive(workers.all);
    assert.deepEqual(
      claims.get(big.id)!.map((c) => c.worker),
      ['worker-a', 'worker-b'],
      'the big store: claimed by A, then (after it died) by B',
    );
    const aUntil = Math.max(...[...a.of('claim', big.id), ...a.of('renew', big.id).filter((r) => r.ok)].map((l) => l.until));
    const bClaim = b.of('claim', big.id)[0]!;
    assert.ok(bClaim.now >= aUntil, `B claimed the big store at ${bClaim.now}, after A's claim expired (${aUntil})`);
    assert.ok(BigInt(bClaim.hr) > a.exitHr!, 'B claimed it after A died');
    assert.ok(a.of('claim').every((c) => c.c === big.id), 'A (one slot) claimed the big store only');
    assert.ok(
      [...b.of('slot'), ...a.of('slot')].every((l) => l.outcome === 'completed'),
      `every slot that ended, ended completed: ${JSON.stringify([...a.of('slot'), ...b.of('slot')])}`,
    );

    // Item leases: never two live ones on an item; only the killed one never ended, and its items went to B once it expired.
    const unended = assertLeasesExclusive(workers.all);
    assert.deepEqual(unended.map((l) => l.id), [victim.id], 'only the killed lease never ended');
    for (const key of victim.keys) {
      const next = b.of('lease', big.id).find((l) => l.keys.includes(key));
      assert.ok(next && next.now >= victim.expiresAt, `${key} leased again by B after the killed lease expired`);
    }
    assert.deepEqual([...a.of('error'), ...b.of('error')], [], 'no storage error in the runners');

    console.log(
      `fleet-crash SIGKILL: A killed at ${killedAt - started} ms after ${acks(a)} iterations of ${big.id} (${written.join(', ')} written, unacknowledged); ` +
        `B claimed it ${bClaim.now - killedAt} ms later, all stores done at ${doneAt - started} ms; B stopped in ${stopMs} ms`,
    );
  });
});

// ---------------------------------------------------------------- 2 and 3. SIGTERM

/**
 * A worker running two stores at once gets SIGTERM while one of them is mid-iteration: it exits 0
 * within seconds, iterations under way recorded, claims released; a second worker completes the
 * stores in the same events.
 */
async function sigtermDrains(workers: Workers, storage: StorageAdapter, storageConfig: FleetWorkerConfig['storage'], prefix: string, leasesLeft: () => Promise<number>): Promise<void> {
  const started = Date.now();
  const stores: StoreSpec[] = [
    { id: `${prefix}-a-big`, products: 12 },
    { id: `${prefix}-b-big`, products: 12 },
    { id: `${prefix}-c-small`, products: 3 },
    { id: `${prefix}-d-small`, products: 3 },
  ];
  await register(storage, stores);
  // Claims of 30 s: after the exit, a store not running can only be one whose claim was released.
  const claimMs = 30_000;
  const a = workers.spawn(workerConfig(storageConfig, `${prefix}-worker-a`, { concurrency: 2, claimMs }));
  // B starts now (its start-up overlaps A's run) and waits for its `go`.
  const b = workers.spawn(workerConfig(storageConfig, `${prefix}-worker-b`, { concurrency: 2, claimMs }));
  await workers.ready(a, b);
  a.go();

  // SIGTERM once one of the big stores is mid-iteration.
  const bigs = stores.slice(0, 2);
  const victim = await until(
    'worker A to be mid-iteration on a big store',
    () => {
      workers.alive(a, b);
      for (const s of bigs) {
        const lease = midIteration(a, fleet.shop(domainOf(s.id)), s.id);
        if (lease) return lease;
      }
      return undefined;
    },
    RUN_MS,
    workers.outputs,
  );
  const acksBefore = a.of('end', victim.c).filter((e) => e.how === 'ack' && e.ok).length;
  const stopMs = await workers.terminate(a, 15_000);
  const stoppedAt = Date.now();

  // A stopped cleanly: its runner's stop() resolved with no slot left, the lease under way acknowledged (its iteration recorded), no lease left.
  const stopped = a.of('stopped')[0];
  assert.ok(stopped && stopped.running === 0, `A's runner stopped with no slot running${workers.outputs()}`);
  const victimEnd = a.of('end', victim.c).find((e) => e.id === victim.id);
  assert.deepEqual(victimEnd && [victimEnd.how, victimEnd.ok], ['ack', true], 'the iteration under way at SIGTERM finished and was acknowledged');
  assert.equal(a.of('lease', victim.c).at(-1)!.id, victim.id, 'no iteration of that store began after SIGTERM');
  assert.deepEqual(assertLeasesExclusive([a]), [], 'every lease of A ended');
  assert.equal(await leasesLeft(), 0, 'no item lease left in the storage');

  // What each store A drove became: the slot ended `yielded` (its event In Progress) or `completed`; its claim released.
  const claimed = [...new Set(a.of('claim').map((c) => c.c))];
  assert.ok(bigs.every((s) => claimed.includes(s.id)), 'A ran both big stores');
  const completedByA = new Set<string>();
  const yielded = new Map<string, SyncEvent>();
  for (const c of claimed) {
    const slots = a.of('slot', c);
    assert.ok(slots.length > 0 && slots.every((l) => l.outcome === 'completed' || l.outcome === 'yielded'), `${c}: A's slots ended completed or yielded: ${JSON.stringify(slots)}`);
    assert.equal(a.of('release', c).length, a.of('claim', c).length, `${c}: every claim of A released`);
    const [event, ...more] = await eventsOf(storage, c);
    assert.ok(event && more.length === 0, `${c}: one event`);
    if (slots.at(-1)!.outcome === 'completed') {
      completedByA.add(c);
      continue;
    }
    yielded.set(c, event);
    assert.equal(event.status, 'in_progress', `${c}: its event stays In Progress`);
    assert.equal(event.yieldedAt?.length, 1, `${c}: yieldedAt set, once`);
    assert.equal(event.iterations.length, a.of('end', c).filter((e) => e.how === 'ack' && e.ok).length, `${c}: every iteration A acknowledged is recorded`);
    const logs = (await storage.readLogs(c, event.id)).map((l) => l.message);
    assert.ok(logs.some((m) => /gave its turn to other stores after \d+ iterations/.test(m)), `${c}: the log tells it yielded`);
  }
  assert.ok(yielded.has(victim.c), 'the store stopped mid-iteration yielded');
  assert.equal(yielded.get(victim.c)!.iterations.length, acksBefore + 1, 'its iteration under way at SIGTERM was recorded, and no other after it');
  for (const s of stores) if (!claimed.includes(s.id)) assert.deepEqual(await eventsOf(storage, s.id), [], `${s.id}: never run by A`);
  const view = await storage.fleetView(Date.now());
  assert.deepEqual(view.filter((e) => e.state === 'running'), [], 'no connector running once A exited: its claims were released');
  assert.deepEqual(
    view.map((e) => e.connectorId).sort(),
    stores.map((s) => s.id).filter((id) => !completedByA.has(id)),
    'the unfinished stores wait',
  );

  // B completes them, in the events A left.
  b.go();
  await until(
    'worker B to complete the unfinished stores',
    () => (workers.alive(b), stores.every((s) => completedByA.has(s.id) || b.of('slot', s.id).some((l) => l.outcome === 'completed'))),
    RUN_MS,
    workers.outputs,
  );
  const doneAt = Date.now();
  const bStopMs = await workers.terminate(b, 20_000);

  const events = await assertStoresSynced(storage, fleet, stores);
  for (const [c, before] of yielded) {
    const e = events.get(c)!;
    assert.equal(e.id, before.id, `${c}: the event A left, completed by B`);
    assert.equal(e.resumedAt.length, 1, `${c}: resumed once`);
    assert.ok((await storage.readLogs(c, e.id)).some((l) => l.message === 'Synchronization resumed in its turn.'), `${c}: resumed in its turn`);
    // B claimed it long before A's claim would have expired: A released it.
    const aUntil = Math.max(...[...a.of('claim', c), ...a.of('renew', c).filter((r) => r.ok)].map((l) => l.until));
    assert.ok(b.of('claim', c)[0]!.now < aUntil, `${c}: B claimed it before A's claim would have expired`);
  }
  assert.deepEqual(await storage.fleetView(Date.now()), [], 'no connector claimed or with work');
  assert.equal(await leasesLeft(), 0);
  assertClaimsExclusive(workers.all);
  assert.deepEqual(assertLeasesExclusive(workers.all), [], 'every lease ended');
  assert.deepEqual([...a.of('error'), ...b.of('error')], [], 'no storage error in the runners');
  assert.ok(b.of('slot').every((l) => l.outcome === 'completed'), `B's slots all completed: ${JSON.stringify(b.of('slot'))}`);

  console.log(
    `fleet-crash SIGTERM (${storageConfig.kind}): SIGTERM at ${stoppedAt - stopMs - started} ms with ${victim.c} mid-iteration ${acksBefore + 1}; A exited 0 in ${stopMs} ms (stop() ${stopped.ms} ms), ` +
      `${yielded.size} stores yielded, ${completedByA.size} completed; B done at ${doneAt - started} ms, stopped in ${bStopMs} ms`,
  );
}

describe('reliability: SIGTERM drains a fleet worker cleanly, on PostgreSQL', { skip: unreachable ?? false }, () => {
  const schema = pg.schema();
  const workers = new Workers();
  let storage: PostgresStorage;

  before(async () => {
    storage = await PostgresStorage.open({ url: PG_URL, schema, max: 2 });
  });
  after(async () => {
    await workers.killAll();
    await storage?.close();
  });

  it('exits 0 within seconds, iterations under way recorded and claims released; a second worker completes the stores in the same events', { timeout: 120_000 }, async () => {
    const leasesLeft = async () => (await storage.pool.query(`SELECT 1 FROM "${schema}".leases`)).rowCount ?? 0;
    await sigtermDrains(workers, storage, { kind: 'postgres', url: PG_URL, schema }, 'pt', leasesLeft);
  });
});

describe('reliability: SIGTERM drains a fleet worker cleanly, on one SQLite file', () => {
  const path = join(tmp, 'fleet.sqlite');
  const workers = new Workers();
  let storage: SqliteStorage;

  before(() => {
    storage = SqliteStorage.open({ path });
  });
  after(async () => {
    await workers.killAll();
    await storage?.close();
  });

  it('exits 0 within seconds, iterations under way recorded and claims released; a second process on the file completes the stores', { timeout: 120_000 }, async () => {
    const leasesLeft = async () => {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT count(*) FROM leases').pluck().get() as number) ?? 0;
      } finally {
        db.close();
      }
    };
    await sigtermDrains(workers, storage, { kind: 'sqlite', path }, 'st', leasesLeft);
  });
});
