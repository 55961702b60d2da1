/**
 * Many leasers on one connector's queue at once: child processes (test/fixtures/lease-worker.ts)
 * and, in this process, storages on separate pools. A checker takes every lease's items with the
 * moments it held them (the machine's monotonic clock, shared by its processes) and fails on any
 * item held by two leases at once. With a still catalog, each item is delivered exactly once and
 * no product group is split between leases; with changes arriving meanwhile (and some leases
 * released), the last change of every item is the last one delivered.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Change } from '@shopsync/core';
import { toQueueEntries, seededRandom } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { PostgresStorage } from '@shopsync/postgres';
import { PG_URL, newPool, pgDescribe, pgFixture } from './helpers.js';

const WORKER = fileURLToPath(new URL('./fixtures/lease-worker.ts', import.meta.url));
const C = 'shared-store';
const PRODUCTS = 60;
const SIZES = ['S', 'M', 'L'];
const pg = pgFixture('leases');
const tmp = mkdtempSync(join(tmpdir(), 'shopsync-pg-leases-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** One lease as a leaser saw it: its items `[key, tag]` and the moments (ns) it held them. */
interface Held {
  worker: string;
  lease: string;
  items: Array<[string, string]>;
  from: bigint;
  to: bigint;
  end: 'acked' | 'released';
}

/** The catalog at version `v`: categories, products naming one, three variants each (a group of five). */
function catalog(v: number): Change[] {
  const out: Change[] = [];
  for (let c = 0; c < 10; c++) out.push({ entity: 'category', op: 'upsert', ref: `CAT-${c}`, data: { title: `cat ${c} v${v}` } });
  for (let p = 0; p < PRODUCTS; p++) {
    out.push({ entity: 'product', op: 'upsert', ref: `P${p}`, data: { title: `P${p} v${v}`, categoryRefs: [`CAT-${p % 10}`] } });
    for (const s of SIZES) out.push({ entity: 'variant', op: 'upsert', ref: `P${p}-${s}`, parentRef: `P${p}`, data: { price: `${p}.${String(v % 100).padStart(2, '0')}`, title: `P${p}-${s} v${v}` } });
  }
  return out;
}
const tagOf = (c: Change): string => (c.op === 'delete' ? 'delete' : String((c.data as { title?: unknown }).title));

/** Every pair of leases that held one item at the same time (empty when the leases never overlapped on an item). */
function doubleHeld(records: readonly Held[]): string[] {
  const byKey = new Map<string, Held[]>();
  for (const r of records) for (const [key] of r.items) byKey.set(key, [...(byKey.get(key) ?? []), r]);
  const out: string[] = [];
  for (const [key, held] of byKey) {
    const sorted = [...held].sort((a, b) => (a.from < b.from ? -1 : 1));
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && sorted[j]!.from < sorted[i]!.to; j++) {
        out.push(`${key}: ${sorted[i]!.worker}/${sorted[i]!.lease} and ${sorted[j]!.worker}/${sorted[j]!.lease}`);
      }
    }
  }
  return out;
}

/** How many pairs of leases of different leasers were held at the same time (the run was concurrent). */
function overlappingLeases(records: readonly Held[]): number {
  let n = 0;
  for (const a of records) for (const b of records) if (a.worker < b.worker && a.from < b.to && b.from < a.to) n++;
  return n;
}

/** Checks what a still catalog must give: each item once, each product with its variants. */
function assertStillCatalog(records: readonly Held[]): void {
  assert.deepEqual(doubleHeld(records), [], 'no item held by two leases at once');
  const delivered = records.flatMap((r) => r.items.map(([key]) => key)).sort();
  const expected = toQueueEntries(catalog(0)).entries.map((e) => e.key).sort();
  assert.deepEqual(delivered, expected, 'each item delivered exactly once');
  for (const r of records) {
    const keys = new Set(r.items.map(([k]) => k));
    for (const key of keys) {
      const product = /^variant:(P\d+)-/.exec(key)?.[1] ?? /^product:(P\d+)$/.exec(key)?.[1];
      if (!product) continue;
      const group = [`product:${product}`, ...SIZES.map((s) => `variant:${product}-${s}`)];
      assert.ok(group.every((k) => keys.has(k)), `lease ${r.lease} holds ${key} without the rest of its group: ${[...keys].join(', ')}`);
    }
  }
  assert.ok(new Set(records.map((r) => r.worker)).size >= 2, 'the work was shared');
}

/** Runs leasing child processes to the end; their leases. */
async function runWorkers(n: number, job: Record<string, unknown>): Promise<Held[]> {
  const children: ReturnType<typeof spawn>[] = [];
  const runs = Array.from({ length: n }, (_, i) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], {
      env: { ...process.env, SHOPSYNC_LEASE_WORKER: JSON.stringify({ ...job, seed: Number(job.seed) + i }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    return new Promise<Held[]>((resolve, reject) =>
      child.on('exit', (code) => {
        clearTimeout(killer);
        if (code !== 0) return reject(new Error(`leaser ${i} exited ${code}: ${err}`));
        resolve(out.split('\n').filter(Boolean).map((line) => {
          const r = JSON.parse(line) as Omit<Held, 'from' | 'to' | 'worker'> & { from: string; to: string };
          return { ...r, worker: `process-${i}`, from: BigInt(r.from), to: BigInt(r.to) };
        }));
      }),
    );
  });
  try {
    return (await Promise.all(runs)).flat();
  } catch (err) {
    // One failed: the others would wait for the end of a test that has ended.
    for (const child of children) child.kill('SIGKILL');
    await Promise.allSettled(runs);
    throw err;
  }
}

async function seeded(): Promise<{ schema: string; storage: PostgresStorage }> {
  const schema = pg.schema();
  const storage = await PostgresStorage.open({ pool: pg.pool, schema });
  await storage.enqueue(C, toQueueEntries(catalog(0)).entries, Date.now());
  return { schema, storage };
}

async function assertDrained(storage: PostgresStorage, schema: string): Promise<void> {
  assert.deepEqual(await storage.pendingCounts(C), { categories: 0, products: 0, variants: 0 });
  const { rows } = await pg.pool.query(`SELECT (SELECT count(*) FROM "${schema}".leases)::int AS leases, (SELECT count(*) FROM "${schema}".items WHERE ob IS NOT NULL)::int AS queued`);
  assert.deepEqual(rows[0], { leases: 0, queued: 0 });
}

pgDescribe('concurrent leasing from one connector (PostgreSQL: leasers take turns on the connector)', () => {
  it('4 processes drain a catalog: no item in two leases at once, each delivered once, no product group split', { timeout: 240_000 }, async () => {
    // The safety checks hold on every drain; that processes really leased side by side is what
    // makes them mean something, and a loaded machine may run the four one after another: a drain
    // where they did not overlap is done again (at most three times).
    let overlapped = 0;
    for (let attempt = 1; attempt <= 3 && overlapped === 0; attempt++) {
      const { schema, storage } = await seeded();
      const doneFile = join(tmp, `still-done-${attempt}`);
      writeFileSync(doneFile, '');
      const records = await runWorkers(4, { url: PG_URL, schema, connector: C, seed: 11 + attempt, doneFile, minLimit: 5, maxLimit: 12, releaseRate: 0 });
      assertStillCatalog(records);
      overlapped = overlappingLeases(records);
      await assertDrained(storage, schema);
      await storage.close();
    }
    assert.ok(overlapped > 0, 'leases of different processes were held at the same time (in one of three drains)');
  });

  it('4 processes while changes keep coming and some leases are released: no item in two leases at once, the last change of every item delivered last', { timeout: 120_000 }, async () => {
    const { schema, storage } = await seeded();
    const doneFile = join(tmp, 'moving-done');
    const workers = runWorkers(4, { url: PG_URL, schema, connector: C, seed: 101, doneFile, minLimit: 1, maxLimit: 10, releaseRate: 0.15 });
    const random = seededRandom(7);
    const last = new Map(toQueueEntries(catalog(0)).entries.map((e) => [e.key, tagOf(e.change)]));
    const all = catalog(0);
    const stop = Date.now() + 2_000;
    let failure: unknown;
    try {
      for (let v = 1; Date.now() < stop; v++) {
        const batch = Array.from({ length: 1 + Math.floor(random() * 5) }, () => catalog(v)[Math.floor(random() * all.length)]!);
        await storage.enqueue(C, toQueueEntries(batch).entries, Date.now());
        for (const c of batch) last.set(`${c.entity}:${c.ref}`, tagOf(c));
        await sleep(random() * 15);
      }
    } catch (err) {
      failure = err;
    } finally {
      // The leasers end once the queue is drained and this file exists.
      writeFileSync(doneFile, '');
    }
    const records = await workers;
    if (failure) throw failure;
    assert.deepEqual(doubleHeld(records), [], 'no item held by two leases at once');
    const acked = records.filter((r) => r.end === 'acked').sort((a, b) => (a.to < b.to ? -1 : 1));
    const delivered = new Map<string, string>();
    for (const r of acked) for (const [key, tag] of r.items) delivered.set(key, tag);
    assert.deepEqual(new Map([...delivered].sort()), new Map([...last].sort()), 'every item’s last change was the last delivered');
    assert.ok(records.some((r) => r.end === 'released'), 'some leases were released');
    await assertDrained(storage, schema);
    await storage.close();
  });

  it('4 storages on separate pools in one process, 5 rounds: no item in two leases at once, each delivered once, no product group split', { timeout: 60_000 }, async () => {
    const pools = Array.from({ length: 4 }, () => newPool(PG_URL, { max: 2 }));
    try {
      for (let round = 0; round < 5; round++) {
        const { schema, storage } = await seeded();
        const leasers = await Promise.all(pools.map((pool) => PostgresStorage.open({ pool, schema })));
        const random = seededRandom(5 + round);
        const records: Held[] = [];
        await Promise.all(
          leasers.map(async (s, i) => {
            for (;;) {
              const lease = await s.lease(C, { limit: 5 + Math.floor(random() * 8), leaseMs: 120_000, now: Date.now() });
              const from = process.hrtime.bigint();
              if (!lease) {
                const counts = await s.pendingCounts(C);
                if (counts.categories + counts.products + counts.variants === 0) return;
                await sleep(2);
                continue;
              }
              await sleep(random() * 4);
              const to = process.hrtime.bigint();
              const at = new Date().toISOString();
              await s.ack(C, lease.id, { items: lease.items.map((e) => ({ v: SCHEMA_VERSION, entity: e.entity, ref: e.ref, op: e.change.op, status: 'complete', errors: [], updatedAt: at, consecutiveFailures: 0 })), now: Date.now() });
              records.push({ worker: `pool-${i}`, lease: lease.id, items: lease.items.map((e) => [e.key, tagOf(e.change)]), from, to, end: 'acked' });
            }
          }),
        );
        assertStillCatalog(records);
        await assertDrained(storage, schema);
        for (const s of leasers) await s.close();
        await storage.close();
        await pg.dropSchema(schema);
      }
    } finally {
      for (const pool of pools) await pool.end();
    }
  });

  it('the checker fails on an item held by two leases at once', () => {
    const held = (worker: string, from: number, to: number): Held => ({ worker, lease: `l-${worker}`, items: [['product:P1', 'x']], from: BigInt(from), to: BigInt(to), end: 'acked' });
    assert.deepEqual(doubleHeld([held('a', 0, 10), held('b', 10, 20)]), [], 'one after the other');
    assert.deepEqual(doubleHeld([held('a', 0, 10), held('b', 9, 20)]), ['product:P1: a/l-a and b/l-b']);
  });
});
