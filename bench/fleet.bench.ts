/**
 * `npm run bench:fleet` (issue #18): 1,000 connectors, each its own store on one simulator
 * process (SimulatorFleet, Standard plan: 100 points/s, 2,000 bucket, per store), 999 of 20
 * products × 2 variants and one of 20,000 products × 2 variants, driven by 2 worker processes
 * (bench/fleet-worker.ts: a FleetRunner each) on PostgreSQL.
 *
 * Run twice on fresh schemas: with the big store, and without it. Reported: the time for all
 * small stores to complete with the big store running, as a ratio to the same without it
 * (`small_ratio`, goal ≤ 1.5); the p95 time-to-complete of a small store (with the big one);
 * the heap a worker keeps per connector it drove once all are idle (`idle_kb`, goal ≤ 20);
 * connectors driven by two workers at once (`overlaps`, must be 0).
 *
 * Last line: `RESULT fleet connectors=1000 small_ratio=… p95_s=… idle_kb=… overlaps=…`.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ConnectorRegistry, type Change } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { SimulatorFleet } from '@shopsync/shopify/simulator';
import { writeResults } from './results.js';

const PG_URL = process.env.SHOPSYNC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOKEN = 'shpat_bench_fleet';
const SMALL = 999;
const SMALL_PRODUCTS = 20;
const BIG_PRODUCTS = 20_000;
const SIZES = ['S', 'M'];
const WORKERS = 2;
const CONCURRENCY = 8;
const SLICE_MS = 5_000;
const VERSION = '2026-01';
const WORKER = fileURLToPath(new URL('./fleet-worker.ts', import.meta.url));

// ---------------------------------------------------------------- the simulator's own process

if (process.argv[2] === '--simulator') {
  const fleet = await SimulatorFleet.start({ shops: 'any', accessTokens: [TOKEN], plan: 'standard' });
  process.send!({ url: fleet.url });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats') {
      const big = fleet.hasShop('big-0000.myshopify.com') ? fleet.shop('big-0000.myshopify.com').snapshot().products.length : 0;
      process.send!({ stats: fleet.stats(), products: { 'big-0000.myshopify.com': big } });
    }
    if (m.type === 'close') void fleet.close().then(() => process.exit(0));
  });
} else {
  await main();
}

// ---------------------------------------------------------------- the run

function catalog(prefix: string, products: number): Change[] {
  const out: Change[] = [];
  for (let p = 0; p < products; p++) {
    const ref = `${prefix}-P${p}`;
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${p}`, vendor: 'ACME', options: ['Size'] } });
    for (const size of SIZES) out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: '19.90', optionValues: { Size: size } } });
  }
  return out;
}

interface Slot {
  worker: number;
  c: string;
  outcome: string;
  from: bigint;
  to: bigint;
  error?: string;
}

interface Phase {
  withBig: boolean;
  /** Seconds from the start until every small store had completed. */
  smallS: number;
  /** Seconds until each small store completed, sorted. */
  perStore: number[];
  overlaps: number;
  slots: Slot[];
  memory: Array<{ samples: Array<[number, number]>; driven: number; heldByTarget: number }>;
  bigSynced: number;
  requests: number;
  throttled: number;
}

async function simStats(sim: ChildProcess): Promise<{ stats: { requests: number; throttled: number }; products: Record<string, number> }> {
  sim.send({ type: 'stats' });
  const [m] = (await once(sim, 'message')) as [{ stats: { requests: number; throttled: number }; products: Record<string, number> }];
  return m;
}

async function phase(withBig: boolean, simUrl: string, sim: ChildProcess, tmp: string, admin: pg.Pool): Promise<Phase> {
  const schema = `shopsync_bench_fleet_${randomBytes(4).toString('hex')}`;
  const storage = await PostgresStorage.open({ url: PG_URL, schema, max: 4 });
  const children: ChildProcess[] = [];
  try {
    const registry = new ConnectorRegistry(storage);
    // Stores of their own per phase (the simulator keeps the first phase's).
    const tag = withBig ? 'a' : 'b';
    const small = Array.from({ length: SMALL }, (_, i) => `small-${tag}-${String(i + 1).padStart(4, '0')}`);
    const ids = withBig ? ['big-0000', ...small] : small;
    for (const id of ids) {
      await registry.create({ config: { id, shopDomain: `${id}.myshopify.com`, apiVersion: VERSION } });
      const changes = catalog(id, id.startsWith('big') ? BIG_PRODUCTS : SMALL_PRODUCTS);
      for (let i = 0; i < changes.length; i += 6_000) await storage.enqueue(id, toQueueEntries(changes.slice(i, i + 6_000)).entries, Date.now());
    }
    await admin.query(`ANALYZE "${schema}".items`);
    const outs = Array.from({ length: WORKERS }, (_, w) => join(tmp, `${withBig ? 'big' : 'small'}-${w}.jsonl`));
    const ready: Promise<void>[] = [];
    const memory: Array<Promise<Phase['memory'][number]>> = [];
    for (let w = 0; w < WORKERS; w++) {
      const job = { url: PG_URL, schema, simulator: simUrl, token: TOKEN, worker: `worker-${w}`, concurrency: CONCURRENCY, sliceMs: SLICE_MS, out: outs[w] };
      const child = spawn(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', WORKER], { env: { ...process.env, SHOPSYNC_BENCH_FLEET: JSON.stringify(job) }, stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      ready.push(new Promise((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          stdout += d;
          if (stdout.startsWith('ready\n')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`worker ${w} exited ${code} before it was ready: ${stderr}`)));
      }));
      memory.push(new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout.slice('ready\n'.length))) : reject(new Error(`worker ${w} exited ${code}: ${stderr.slice(-2000)}`))))));
    }
    const started = process.hrtime.bigint();
    await Promise.all(ready);
    // Every small store completed, as the workers' slot lines say.
    const read = (): Slot[] =>
      outs.flatMap((out, worker) =>
        existsSync(out)
          ? readFileSync(out, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((l) => {
                const r = JSON.parse(l) as { c: string; outcome: string; from: string; to: string; error?: string };
                return { ...r, worker, from: BigInt(r.from), to: BigInt(r.to) };
              })
          : [],
      );
    const deadline = Date.now() + 240_000;
    let slots: Slot[] = [];
    for (;;) {
      slots = read();
      const done = new Set(slots.filter((s) => s.outcome === 'completed').map((s) => s.c));
      if (small.every((id) => done.has(id))) break;
      if (Date.now() > deadline) throw new Error(`small stores not completed after 240 s: ${small.filter((id) => !done.has(id)).length} left; failed slots: ${slots.filter((s) => s.outcome === 'failed').slice(0, 3).map((s) => s.error).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const completedAt = new Map<string, bigint>();
    for (const s of slots) if (s.outcome === 'completed' && !completedAt.has(s.c)) completedAt.set(s.c, s.to);
    const perStore = small.map((id) => Number(completedAt.get(id)! - started) / 1e9).sort((a, b) => a - b);
    for (const child of children) child.kill('SIGTERM');
    const mem = await Promise.all(memory);
    slots = read();
    let overlaps = 0;
    const byConnector = new Map<string, Slot[]>();
    for (const s of slots) byConnector.set(s.c, [...(byConnector.get(s.c) ?? []), s]);
    for (const list of byConnector.values()) for (const a of list) for (const b of list) if (a.worker < b.worker && a.from < b.to && b.from < a.to) overlaps++;
    const stats = await simStats(sim);
    return {
      withBig,
      smallS: perStore[perStore.length - 1]!,
      perStore,
      overlaps,
      slots,
      memory: mem,
      bigSynced: stats.products['big-0000.myshopify.com'] ?? 0,
      requests: stats.stats.requests,
      throttled: stats.stats.throttled,
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await storage.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

/** Bytes of heap per connector driven: the least-squares slope of a worker's [driven, heap] samples. */
function slope(samples: ReadonlyArray<[number, number]>): number {
  const n = samples.length;
  const mx = samples.reduce((a, [x]) => a + x, 0) / n;
  const my = samples.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = samples.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : samples.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
}

/** A simulator fleet in a process of its own (a fresh one per phase: the stores of a phase are not the next one's load). */
async function startSimulator(): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(fileURLToPath(import.meta.url), ['--simulator'], { execArgv: process.execArgv });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  return { url, child };
}

async function stopSimulator(child: ChildProcess): Promise<void> {
  child.send({ type: 'close' });
  if (child.exitCode === null) await once(child, 'exit');
}

async function main(): Promise<void> {
  const began = performance.now();
  const loadAtStart = loadavg();
  const tmp = mkdtempSync(join(tmpdir(), 'shopsync-bench-fleet-'));
  const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
  admin.on('error', () => undefined);
  let sim = await startSimulator();
  try {
    const withBig = await phase(true, sim.url, sim.child, tmp, admin);
    console.log(`with the big store: all ${SMALL} small stores completed in ${withBig.smallS.toFixed(1)} s; overlaps ${withBig.overlaps}; big store products synced meanwhile: ${withBig.bigSynced}`);
    await stopSimulator(sim.child);
    sim = await startSimulator();
    const without = await phase(false, sim.url, sim.child, tmp, admin);
    console.log(`without it: ${without.smallS.toFixed(1)} s; overlaps ${without.overlaps}`);
    const ratio = withBig.smallS / without.smallS;
    const p95 = withBig.perStore[Math.ceil(0.95 * withBig.perStore.length) - 1]!;
    const perKb = (m: Phase['memory'][number]) => slope(m.samples) / 1024;
    const idleKb = Math.max(...without.memory.map(perKb));
    const overlaps = withBig.overlaps + without.overlaps;
    const fmt = (n: number, d = 1) => n.toFixed(d);
    writeResults(
      'fleet',
      'npm run bench:fleet',
      [
        ['what', 'with the big store', 'without it'],
        ['small stores (20 products × 2 variants each)', String(SMALL), String(SMALL)],
        ['all small stores completed (s)', fmt(withBig.smallS), fmt(without.smallS)],
        ['small store time-to-complete: median / p95 (s)', `${fmt(withBig.perStore[Math.floor(withBig.perStore.length / 2)]!)} / ${fmt(p95)}`, `${fmt(without.perStore[Math.floor(without.perStore.length / 2)]!)} / ${fmt(without.perStore[Math.ceil(0.95 * without.perStore.length) - 1]!)}`],
        ['slots (claims): completed / yielded / failed', ['completed', 'yielded', 'failed'].map((o) => withBig.slots.filter((s) => s.outcome === o).length).join(' / '), ['completed', 'yielded', 'failed'].map((o) => without.slots.filter((s) => s.outcome === o).length).join(' / ')],
        ['big store products in the store when the last small one completed', String(withBig.bigSynced), '—'],
        ['Admin API requests / THROTTLED (whole phase)', `${withBig.requests} / ${withBig.throttled}`, `${without.requests} / ${without.throttled}`],
        ['connectors driven by two workers at once', String(withBig.overlaps), String(without.overlaps)],
        ['big store: slots / seconds it held a slot', `${withBig.slots.filter((s) => s.c === 'big-0000').length} / ${fmt(withBig.slots.filter((s) => s.c === 'big-0000').reduce((a, s) => a + Number(s.to - s.from) / 1e9, 0))}`, '—'],
        ['worker heap kept per connector driven (KB): slope of heap after GC against connectors driven, per worker', withBig.memory.map((m) => fmt(perKb(m), 2)).join(', '), without.memory.map((m) => fmt(perKb(m), 2)).join(', ')],
        ['connectors each worker drove', withBig.memory.map((m) => m.driven).join(', '), without.memory.map((m) => m.driven).join(', ')],
      ],
      [
        `small_ratio = ${fmt(withBig.smallS)} / ${fmt(without.smallS)} = ${ratio.toFixed(3)} (goal ≤ 1.5). ${WORKERS} worker processes (\`node --expose-gc --conditions=source --import tsx bench/fleet-worker.ts\`), each a FleetRunner (concurrency ${CONCURRENCY}, slice ${SLICE_MS / 1000} s, claims of 30 s) with one ShopifyTarget for all its stores, on PostgreSQL ${PG_URL.replace(/\/\/[^@]*@/, '//')} (a fresh schema per phase); one SimulatorFleet process per phase (shops made at their first request, Standard plan per store: 100 points/s, bucket 2,000; its default latency). Times from the workers' start to the slot line that completed the store (the machine's monotonic clock). idle_kb: what a worker keeps per connector it drove and let go: the least-squares slope of its heap after GC (sampled every 50 connectors from the 100th, and once every slot ended) against the connectors it had driven (phase without the big store; the larger of the two workers). Its heap before the first claim is not the baseline: the first runs load the Admin API schemas, code and caches once (≈ 6 MB), which are not per connector.`,
        `Machine: 2 cores shared by PostgreSQL, the simulator and both workers (load average ${loadAtStart.map((x) => x.toFixed(2)).join(' ')} at the start). Whole run ${((performance.now() - began) / 1000).toFixed(0)} s.`,
      ],
    );
    console.log(`RESULT fleet connectors=${SMALL + 1} small_ratio=${ratio.toFixed(3)} p95_s=${p95.toFixed(1)} idle_kb=${idleKb.toFixed(2)} overlaps=${overlaps}`);
  } finally {
    await stopSimulator(sim.child);
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  }
}
