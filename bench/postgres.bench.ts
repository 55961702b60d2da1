/**
 * `npm run bench:postgres` (issue #17), against the server at SHOPSYNC_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test), every schema made here dropped at the end, failure or not.
 *
 * (a) Enqueue + lease + ack of 100,000 changes through @shopsync/postgres, against the same
 * driver's (`pg`) raw inserts and deletes of the same rows in a table of the adapter's own layout,
 * one transaction per batch, interleaved in the same run, a fresh schema each. Median of ROUNDS.
 * (b) 1, 2 and 4 processes (postgres-drain.ts) draining 8 connectors' queues at once: items per
 * second, and every item held by two leases at overlapping times (must be none).
 *
 * The last line: `RESULT queue.postgres ratio=… ops_per_s=… procs_2=… procs_4=… double_leases=…`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type NewQueueEntry } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { bucketOf } from '@shopsync/core/internal';
import { PostgresStorage } from '@shopsync/postgres';
import { EngineCommits, hashesOf, itemsOnlyCommit } from './postgres-commit.js';
import { median, writeResults } from './results.js';
import { storageWorkload } from './workload.js';

const PG_URL = process.env.SHOPSYNC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = 100_000;
const ENQUEUE_BATCH = 1_000;
const LEASE = 250;
const ROUNDS = 3;
const CONNECTORS = Array.from({ length: 8 }, (_, i) => `store-${i + 1}`);
const PER_CONNECTOR = 5_000;
const PROCESSES = [1, 2, 4] as const;
const MIN_LIMIT = 50;
const MAX_LIMIT = 250;
const WORKER = fileURLToPath(new URL('./postgres-drain.ts', import.meta.url));
const C = 'bench';
const PG_VERSION = (createRequire(import.meta.url)('pg/package.json') as { version: string }).version;

const began = performance.now();
const loadAtStart = loadavg();
const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
admin.on('error', () => undefined);
const schemas = new Set<string>();
const tmp = mkdtempSync(join(tmpdir(), 'shopsync-bench-pg-'));

/** A fresh schema name (the storage or the raw side creates it), dropped when done or at exit. */
function newSchema(label: string): string {
  const name = `shopsync_bench_${label}_${randomBytes(4).toString('hex')}`;
  schemas.add(name);
  return name;
}

async function dropSchema(name: string): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  schemas.delete(name);
}

/** The adapter's schema (its migrations), made by opening a storage on it. */
async function layout(schema: string): Promise<void> {
  const s = await PostgresStorage.open({ url: PG_URL, schema, max: 1 });
  await s.close();
}

// ---------------------------------------------------------------- (a) adapter against raw pg

interface Timed {
  ms: number;
  /** Milliseconds by phase: enqueue (or insert), lease + ack (or select + delete). */
  phases: Record<string, number>;
}

/**
 * Through the adapter, one transaction per call: 100 enqueues of 1,000, then lease (limit 250) +
 * ack until drained. `engine`: each ack carries what core's engine commits (postgres-commit.ts);
 * `items`: the items' statuses alone, as bench:sqlite acknowledges. `record`: every statement the
 * adapter sends once open, in order, is added to it (for `replay`).
 */
async function ours(batches: NewQueueEntry[][], hashes: ReadonlyMap<string, string>, commit: 'engine' | 'items', record?: Recording): Promise<Timed> {
  const schema = newSchema('ours');
  const s = record ? await PostgresStorage.open({ pool: recordingPool(record), schema }) : await PostgresStorage.open({ url: PG_URL, schema });
  if (record) record.schema = schema;
  try {
    const commits = new EngineCommits(C, Date.now());
    const t0 = performance.now();
    if (record) record.on = true;
    for (const b of batches) await s.enqueue(C, b, Date.now());
    const t1 = performance.now();
    let leaseMs = 0;
    for (;;) {
      const l0 = performance.now();
      const startedAt = Date.now();
      const lease = await s.lease(C, { limit: LEASE, leaseMs: 300_000, now: startedAt });
      leaseMs += performance.now() - l0;
      if (!lease) break;
      await s.ack(C, lease.id, commit === 'engine' ? commits.commit(lease, hashes, startedAt, Date.now()) : itemsOnlyCommit(lease, Date.now()));
    }
    const t2 = performance.now();
    const left = await s.pendingCounts(C);
    if (left.products + left.variants + left.categories !== 0) throw new Error(`the adapter's queue was not drained: ${JSON.stringify(left)}`);
    return { ms: t2 - t0, phases: { enqueue: t1 - t0, lease: leaseMs, ack: t2 - t1 - leaseMs } };
  } finally {
    if (record) record.on = false;
    await s.close();
    if (record) await s.pool.end();
    await dropSchema(schema);
  }
}

/** The statements an adapter run sent, in order (text and parameters), and the schema it ran on. */
interface Recording {
  schema: string;
  on: boolean;
  statements: Array<{ text: string; values: unknown[] | undefined }>;
}

/** A pool whose connections add every statement they send, while `record.on`, to `record`. */
function recordingPool(record: Recording): pg.Pool {
  class RecordingClient extends pg.Client {
    override query(...args: unknown[]): never {
      const [first, second] = args as [string | { text?: string; values?: unknown[] }, unknown];
      const text = typeof first === 'string' ? first : first?.text;
      const values = typeof first === 'string' ? (Array.isArray(second) ? second : undefined) : first?.values;
      if (record.on && typeof text === 'string') record.statements.push({ text, values });
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  }
  const pool = new pg.Pool({ connectionString: PG_URL, Client: RecordingClient });
  pool.on('error', () => undefined);
  return pool;
}

/**
 * The adapter's own SQL alone: a recorded run's statements sent again, in order, on one
 * connection, to a fresh schema of the adapter's layout (the same transactions, statements and
 * parameters; row ids and lease ids come out the same). No core, no parsing, no pool: what the
 * database and the driver cost for the adapter's design, apart from the adapter's code.
 */
async function replay(record: Recording): Promise<Timed> {
  const schema = newSchema('replay');
  await layout(schema);
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const t0 = performance.now();
    for (const st of record.statements) await client.query({ text: st.text.replaceAll(record.schema, schema), values: st.values });
    return { ms: performance.now() - t0, phases: {} };
  } finally {
    await client.end();
    await dropSchema(schema);
  }
}

/**
 * The same rows with the same driver, in the adapter's own `items` table (its migration: columns,
 * unique key, 5 indexes): one INSERT … SELECT FROM unnest(…) per 1,000 (the adapter's own way of
 * writing a batch), each its own transaction; then batches of 250 in drain order. `select`:
 * BEGIN; SELECT … ORDER BY ob, os LIMIT 250 FOR UPDATE SKIP LOCKED; DELETE … WHERE id = ANY(…);
 * COMMIT. `returning`: one DELETE … WHERE id IN (that SELECT) RETURNING … per batch (its own transaction).
 */
async function raw(batches: NewQueueEntry[][], mode: 'select' | 'returning'): Promise<Timed> {
  const schema = newSchema('raw');
  await layout(schema);
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const t = `"${schema}".items`;
    const insert = `INSERT INTO ${t} (connector, key, pending, force, enqueued_at, ob, os, vp, u, st)
      SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::smallint[], $7::bigint[], $8::text[], $9::bigint[], $10::text[])`;
    const page = `SELECT id, key, pending, force, enqueued_at, os FROM ${t} WHERE connector = $1 AND ob IS NOT NULL ORDER BY ob, os LIMIT $2 FOR UPDATE SKIP LOCKED`;
    const remove = `DELETE FROM ${t} WHERE id = ANY($1::bigint[])`;
    const take = `DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} WHERE connector = $1 AND ob IS NOT NULL ORDER BY ob, os LIMIT $2 FOR UPDATE SKIP LOCKED)
      RETURNING id, key, pending, force, enqueued_at, os`;
    let seq = 0;
    const t0 = performance.now();
    for (const b of batches) {
      const now = Date.now();
      const cols: unknown[][] = Array.from({ length: 9 }, () => []);
      for (const e of b) {
        const c = e.change;
        [e.key, JSON.stringify(c), e.force, now, bucketOf(e.entity, c.op), ++seq, c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : null, now, 'pending'].forEach((v, i) => cols[i]!.push(v));
      }
      await client.query(insert, [C, ...cols]);
    }
    const t1 = performance.now();
    let taken = 0;
    for (;;) {
      let n: number;
      if (mode === 'returning') n = (await client.query(take, [C, LEASE])).rowCount ?? 0;
      else {
        await client.query('BEGIN');
        const { rows } = await client.query<{ id: string }>(page, [C, LEASE]);
        if (rows.length) await client.query(remove, [rows.map((r) => r.id)]);
        await client.query('COMMIT');
        n = rows.length;
      }
      if (n === 0) break;
      taken += n;
    }
    const t2 = performance.now();
    if (taken !== N) throw new Error(`the raw side took ${taken} rows, not ${N}`);
    return { ms: t2 - t0, phases: { insert: t1 - t0, delete: t2 - t1 } };
  } finally {
    await client.end();
    await dropSchema(schema);
  }
}

// ---------------------------------------------------------------- (b) processes draining at once

/** One lease as a drain process saw it. */
interface Held {
  worker: number;
  c: string;
  lease: string;
  keys: string[];
  from: bigint;
  to: bigint;
}

/** Items (`connector/key`) held by two leases at overlapping times: one line per pair. As test/concurrent-leases.test.ts's checker. */
function doubleHeld(records: readonly Held[]): string[] {
  const byItem = new Map<string, Held[]>();
  for (const r of records) for (const key of r.keys) byItem.set(`${r.c}/${key}`, [...(byItem.get(`${r.c}/${key}`) ?? []), r]);
  const out: string[] = [];
  for (const [item, held] of byItem) {
    const sorted = [...held].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length && sorted[j]!.from < sorted[i]!.to; j++) out.push(`${item}: ${sorted[i]!.worker}/${sorted[i]!.lease} and ${sorted[j]!.worker}/${sorted[j]!.lease}`);
    }
  }
  return out;
}

interface Drain {
  procs: number;
  items: number;
  seconds: number;
  leases: number;
  empty: number;
  overlapping: number;
  doubleHeld: string[];
  /** Items delivered more than once (by any leases), and items never delivered. */
  twice: number;
  missing: number;
  leftover: string | undefined;
}

/** Runs `procs` drain processes to the end on a fresh schema holding 8 × 5,000 changes. */
async function drain(procs: number, expected: ReadonlySet<string>, entries: readonly NewQueueEntry[]): Promise<Drain> {
  const schema = newSchema(`drain${procs}`);
  const storage = await PostgresStorage.open({ url: PG_URL, schema, max: 2 });
  const children: ReturnType<typeof spawn>[] = [];
  try {
    for (const c of CONNECTORS) for (let i = 0; i < entries.length; i += ENQUEUE_BATCH) await storage.enqueue(c, entries.slice(i, i + ENQUEUE_BATCH), Date.now());
    const outs = Array.from({ length: procs }, (_, i) => join(tmp, `drain-${procs}-${i}.jsonl`));
    const ready: Promise<void>[] = [];
    const ends = outs.map((out, index) => {
      const job = { url: PG_URL, schema, connectors: CONNECTORS, perConnector: PER_CONNECTOR, index, minLimit: MIN_LIMIT, maxLimit: MAX_LIMIT, out };
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], { env: { ...process.env, SHOPSYNC_BENCH_PG_DRAIN: JSON.stringify(job) }, stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      ready.push(
        new Promise((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            stdout += d;
            if (stdout.startsWith('ready\n')) resolve();
          });
          child.on('exit', () => reject(new Error(`drain process ${index} ended before it was ready: ${stderr}`)));
        }),
      );
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      const killer = setTimeout(() => child.kill('SIGKILL'), 600_000);
      return new Promise<{ start: bigint; end: bigint; items: number; leases: number; empty: number }>((resolve, reject) =>
        child.on('exit', (code) => {
          clearTimeout(killer);
          if (code !== 0) return reject(new Error(`drain process ${index} exited ${code}: ${stderr}`));
          const r = JSON.parse(stdout.slice('ready\n'.length)) as { start: string; end: string; items: number; leases: number; empty: number };
          resolve({ ...r, start: BigInt(r.start), end: BigInt(r.end) });
        }),
      );
    });
    await Promise.all(ready);
    for (const child of children) child.stdin!.write('go\n');
    const results = await Promise.all(ends);
    const records = outs.flatMap((out, worker) =>
      readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line): Held => {
          const r = JSON.parse(line) as Omit<Held, 'worker' | 'from' | 'to'> & { from: string; to: string };
          return { ...r, worker, from: BigInt(r.from), to: BigInt(r.to) };
        }),
    );
    const delivered = new Map<string, number>();
    for (const r of records) for (const key of r.keys) delivered.set(`${r.c}/${key}`, (delivered.get(`${r.c}/${key}`) ?? 0) + 1);
    let overlapping = 0;
    for (const a of records) for (const b of records) if (a.worker < b.worker && a.from < b.to && b.from < a.to) overlapping++;
    const start = results.reduce((m, r) => (r.start < m ? r.start : m), results[0]!.start);
    const end = results.reduce((m, r) => (r.end > m ? r.end : m), results[0]!.end);
    const items = results.reduce((n, r) => n + r.items, 0);
    const { rows } = await admin.query<{ leases: number; queued: number; pending: number }>(
      `SELECT (SELECT count(*) FROM "${schema}".leases)::int AS leases, (SELECT count(*) FROM "${schema}".items WHERE ob IS NOT NULL)::int AS queued,
        (SELECT coalesce(sum(categories + products + variants), 0) FROM "${schema}".meta)::int AS pending`,
    );
    const left = rows[0]!;
    return {
      procs,
      items,
      seconds: Number(end - start) / 1e9,
      leases: results.reduce((n, r) => n + r.leases, 0),
      empty: results.reduce((n, r) => n + r.empty, 0),
      overlapping,
      doubleHeld: doubleHeld(records),
      twice: [...delivered.values()].filter((n) => n > 1).length,
      missing: [...expected].filter((k) => !delivered.has(k)).length,
      leftover: left.leases + left.queued + left.pending > 0 ? `${left.leases} leases, ${left.queued} rows queued or leased, ${left.pending} counted pending` : undefined,
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await storage.close();
    await dropSchema(schema);
  }
}

// ---------------------------------------------------------------- the run

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

async function main(): Promise<boolean> {
  const all = toQueueEntries(storageWorkload(N)).entries;
  const batches: NewQueueEntry[][] = [];
  for (let i = 0; i < all.length; i += ENQUEUE_BATCH) batches.push(all.slice(i, i + ENQUEUE_BATCH));
  const hashes = hashesOf(all);

  const runs = { engine: [] as Timed[], replayed: [] as Timed[], items: [] as Timed[], select: [] as Timed[], returning: [] as Timed[] };
  const recording: Recording = { schema: '', on: false, statements: [] };
  await ours(batches, hashes, 'engine', recording);
  for (let r = 0; r < ROUNDS; r++) {
    runs.engine.push(await ours(batches, hashes, 'engine'));
    runs.select.push(await raw(batches, 'select'));
    runs.items.push(await ours(batches, hashes, 'items'));
    runs.returning.push(await raw(batches, 'returning'));
    runs.replayed.push(await replay(recording));
    console.log(
      `round ${r + 1}: adapter ${runs.engine[r]!.ms.toFixed(0)} ms (items-only ack ${runs.items[r]!.ms.toFixed(0)}, its statements alone ${runs.replayed[r]!.ms.toFixed(0)}), raw ${runs.select[r]!.ms.toFixed(0)} ms (DELETE … RETURNING ${runs.returning[r]!.ms.toFixed(0)})`,
    );
  }
  const med = (xs: Timed[]): number => median(xs.map((x) => x.ms));
  const phase = (xs: Timed[], name: string): string => fmt(median(xs.map((x) => x.phases[name]!)));
  const base = med(runs.select);
  const ours0 = med(runs.engine);
  const ratio = base / ours0;
  const opsPerS = Math.round((N * 1000) / ours0);
  const row = (what: string, ms: number): string[] => [what, fmt(ms), fmt((N * 1000) / ms), (base / ms).toFixed(3)];

  const entries = toQueueEntries(storageWorkload(PER_CONNECTOR)).entries;
  const expected = new Set(CONNECTORS.flatMap((c) => entries.map((e) => `${c}/${e.key}`)));
  const drains: Drain[] = [];
  for (const procs of PROCESSES) {
    const d = await drain(procs, expected, entries);
    drains.push(d);
    console.log(`${procs} process(es): ${d.items} items in ${d.seconds.toFixed(2)} s = ${fmt(d.items / d.seconds)} items/s; held twice at once: ${d.doubleHeld.length}, delivered twice: ${d.twice}, missing: ${d.missing}`);
    for (const line of d.doubleHeld.slice(0, 10)) console.log(`  held twice: ${line}`);
  }
  const perS = (procs: number): number => {
    const d = drains.find((x) => x.procs === procs)!;
    return Math.round(d.items / d.seconds);
  };
  const doubleLeases = drains.reduce((n, d) => n + d.doubleHeld.length, 0);
  const ok = drains.every((d) => d.doubleHeld.length === 0 && d.twice === 0 && d.missing === 0 && d.items === expected.size && d.leftover === undefined);

  const server = (await admin.query<{ version: string; autovacuum: string }>("SELECT current_setting('server_version') AS version, current_setting('autovacuum') AS autovacuum")).rows[0]!;
  const wholeS = (performance.now() - began) / 1000;
  const loadAtEnd = loadavg();
  writeResults(
    'queue.postgres',
    'npm run bench:postgres',
    [
      ['(a) what, 100,000 changes', `median ms (${ROUNDS} runs)`, 'changes/s', 'ratio'],
      row('@shopsync/postgres: enqueue (coalescing, item statuses, counts, NOTIFY) + lease (product groups; the calls of a connector take turns) + ack with the engine’s commit (statuses, hashes, event, log line)', ours0),
      row('@shopsync/postgres: the same, ack with the items’ statuses alone (as bench:sqlite)', med(runs.items)),
      row("@shopsync/postgres's statements alone: the first row's SQL recorded, then sent again in order on one connection (no core, no parsing, no pool: for information, see below)", med(runs.replayed)),
      row('raw pg: INSERT … unnest per 1,000, then per 250: BEGIN; SELECT … FOR UPDATE SKIP LOCKED; DELETE; COMMIT', base),
      row('raw pg: INSERT … unnest per 1,000, then one DELETE … RETURNING per 250 (one statement a batch: for information)', med(runs.returning)),
    ],
    [
      `PostgreSQL ${server.version} (autovacuum ${server.autovacuum}) on the same machine (TCP 127.0.0.1), node-postgres ${PG_VERSION} on both sides; a fresh schema for every run, the five interleaved round by round. The machine has 2 cores, shared with PostgreSQL and with other work while this ran (load average ${loadAtStart.map((x) => x.toFixed(2)).join(' ')} at the start, ${loadAtEnd.map((x) => x.toFixed(2)).join(' ')} at the end): ratios are from this run, absolute figures may move.`,
      '',
      `Workload: bench:sqlite's (${fmt(N)} upserts, a product then two of its variants, over and over: ${fmt(N / 3)} products, ${fmt((2 * N) / 3)} variants), validated into queue entries and hashed before timing (the storage's cost alone).`,
      '',
      "Per batch, the adapter (one transaction per call, BEGIN … COMMIT on a pooled connection; every call first locks the connector's meta row, its counts and last seq, so the calls of one connector take turns): enqueue of 1,000 = lock meta (INSERT … ON CONFLICT … RETURNING), coalesce in core (`queueInto`), one INSERT … unnest … ON CONFLICT DO NOTHING RETURNING of the rows (keys that have a row would then be read and rewritten: none here), UPDATE meta (counts, seq), NOTIFY, and ANALYZE of the items table after 10,000, 30,000 and 70,000 changes; lease of 250 = lock meta, read the live leases (what is in flight), core's `planLease` reading a page of 250 product upserts, then the variants of its first 64 and next 64 products, each handed-out row's change parsed and checked, one INSERT of the lease row naming the rows it hands out (ids, keys, seqs), NOTIFY; ack = lock meta, DELETE the lease RETURNING what it handed out, one UPDATE … unnest writing each outcome over its change (the row stays: it is the item's status), UPDATE meta; with the engine's commit also an upsert of 250 hashes, the event saved whole (its iterations so far, as the engine saves it every iteration) and one log line; NOTIFY.",
      '',
      "Per batch, raw pg (one client, the adapter's own `items` table: its columns, primary key, unique key and 4 indexes): 1,000 rows with the same column values in one INSERT … SELECT FROM unnest (autocommit: one transaction); then per 250, in drain order (the adapter's `items_order` index), BEGIN; SELECT … ORDER BY ob, os LIMIT 250 FOR UPDATE SKIP LOCKED; DELETE … WHERE id = ANY; COMMIT. It keeps no counts, no item statuses, no leases, no hashes, no event and sends no NOTIFY; rows are read back but not parsed. ratio = raw ms / adapter ms (goal ≥ 0.5, on the first row).",
      '',
      `Median by phase, ms: adapter (engine's commit) enqueue ${phase(runs.engine, 'enqueue')}, lease ${phase(runs.engine, 'lease')}, ack ${phase(runs.engine, 'ack')}; items-only ack: enqueue ${phase(runs.items, 'enqueue')}, lease ${phase(runs.items, 'lease')}, ack ${phase(runs.items, 'ack')}; raw insert ${phase(runs.select, 'insert')}, select + delete ${phase(runs.select, 'delete')}; raw DELETE … RETURNING ${phase(runs.returning, 'delete')}.`,
      '',
      `Where the adapter's time goes: its statements alone take ${fmt(med(runs.replayed))} ms of its ${fmt(ours0)} (${((100 * med(runs.replayed)) / ours0).toFixed(0)} %); the rest is its code (core's coalescing, every entry handed out parsed and checked, the pool). Against raw, the adapter keeps what the raw side does not: each item is written twice (inserted, then its outcome written over its change: the row changes its indexed columns, so each of its indexes takes a new entry, where the raw side's DELETE only marks the row) and per batch it also writes the counts, the lease row, the hashes, the event and a log line, in about 20 round trips per 250 items (BEGIN and COMMIT included; the previous layout: 22) against about 4. Issue #17's layout version 2 (a lease is one INSERT naming its rows, instead of an UPDATE of every row it hands out; the calls of a connector take turns on its meta row instead of locking rows with SKIP LOCKED, which made a lease lock and read twice the product groups of a whole page to keep them whole) took the first row from 13,409 ms (ratio 0.169) in the previous table of this file.`,
      '',
      `(b) ${CONNECTORS.length} connectors × ${fmt(PER_CONNECTOR)} changes (the same workload) on one schema, refilled fresh for each row; N processes (\`node --conditions=source --import tsx bench/postgres-drain.ts\`, each its own storage and pool) drain them at once: round robin over the connectors from their own, lease (limit random ${MIN_LIMIT}–${MAX_LIMIT}) and ack at once with the engine's commit, until every connector is drained. Timed from the first process's start to the last one's end (start-up excluded).`,
      '',
      '| processes | items | s | items/s | leases (empty) | pairs of leases of different processes held at once | items held by two leases at once | delivered twice | never delivered |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...drains.map((d) => `| ${d.procs} | ${fmt(d.items)} | ${d.seconds.toFixed(2)} | ${fmt(d.items / d.seconds)} | ${fmt(d.leases)} (${fmt(d.empty)}) | ${fmt(d.overlapping)} | ${d.doubleHeld.length} | ${d.twice} | ${d.missing} |`),
      '',
      "Held: each lease's items from just after `lease` returned (claimed and committed) to just after its `ack` returned, on the machine's monotonic clock (`process.hrtime`, shared by its processes), written to a file per process and checked after the run as test/concurrent-leases.test.ts checks: any item in two leases whose times overlap. Nothing is enqueued during a drain, so an item in two leases at all is a double delivery (counted apart); and every queue was checked empty after (no lease, no queued row, counts 0).",
      '',
      `Whole run ${wholeS.toFixed(0)} s.`,
    ],
  );
  console.log(`RESULT queue.postgres ratio=${ratio.toFixed(3)} ops_per_s=${opsPerS} procs_2=${perS(2)} procs_4=${perS(4)} double_leases=${doubleLeases}`);
  return ok;
}

/** Drops every schema made here and what the drains wrote; safe to call twice. */
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const name of [...schemas]) await dropSchema(name).catch((err: unknown) => console.error(`could not drop schema ${name}: ${(err as Error).message}`));
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}
// Interrupted (Ctrl-C, a CI timeout): the schemas go too. The drain processes get the terminal's SIGINT themselves.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

const ok = await main().finally(() => cleanUp());
// A broken promise of the queue (an item held twice, lost, or left) fails the command, after its figures were written.
if (!ok) process.exitCode = 1;
