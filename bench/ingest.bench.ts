/**
 * `npm run bench:ingest`: changes per second that `shopsync serve` accepts through
 * `POST /v1/connectors/{id}/changes` (NDJSON, batches of 10,000), against the same storage
 * adapter's own `enqueue` of the same batches in the same run: SQLite, then PostgreSQL (at
 * SHOPSYNC_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/test; every schema made here
 * is dropped at the end, failure or not).
 *
 * Per database, two fresh databases (files or schemas), used batch by batch in turn (so that the
 * machine's noise falls on both alike):
 * - storage alone (the real limit of this path): the batch read, parsed and validated the way the
 *   route does it (its `readChanges`, then core's `toQueueEntries`) before timing, then the
 *   adapter's `enqueue` timed, in this process, on a storage opened as the service opens it;
 * - the service: `shopsync serve` in a process of its own (`--role all` on SQLite, as SQLite
 *   requires; `--role api` on PostgreSQL), the same batch POSTed as NDJSON with an ingest key by a
 *   client process of its own (ingest-client.ts), timed from the request's start to its answer's
 *   last byte. The connectors are disabled (never claimed), so that only ingest runs. A probe
 *   loaded into the service (ingest-probe.ts) times its validation and its adapter's enqueue.
 * Both first take one untimed warm-up batch (on another connector). Every batch has refs of its
 * own (ingest-workload.ts): nothing coalesces with an earlier batch.
 *
 * SHOPSYNC_BENCH_CPU_PROF=<dir>: the service processes run with --cpu-prof into <dir>.
 * The last line: `RESULT ingest sqlite_ratio=<x> postgres_ratio=<y> changes_per_s=<z>` (the
 * service's rate on SQLite, the embedded default).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyRequest } from 'fastify';
import pg from 'pg';
import { ConnectorRegistry, type EntityCounts, type StorageAdapter } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { createLogger, readConfig } from '@shopsync/server';
import { SqliteStorage } from '@shopsync/sqlite';
import { readChanges } from '../packages/server/src/api/body/changes-body.js';
import { newApiKey } from '../packages/server/src/auth/api-keys.js';
import { openServices } from '../packages/server/src/services.js';
import { ingestBatch, toNdjson } from './ingest-workload.js';
import { median, writeResults } from './results.js';

const PG_URL = process.env.SHOPSYNC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BATCH = 10_000;
/** Batches a database: PostgreSQL's adapter takes seconds a batch here, so it gets fewer (the run stays near 3 minutes). */
const BATCHES: Record<Db, number> = { sqlite: 20, postgres: 8 };
/** The goal: the service at ≥ this share of the storage's own rate. */
const GOAL = 0.7;
/** The warm-up batch's number (its refs differ from every timed batch's). */
const WARMUP = 999;
const PROBE = fileURLToPath(new URL('./ingest-probe.ts', import.meta.url));
const CLIENT = fileURLToPath(new URL('./ingest-client.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../packages/server/src/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Fixed, bench-only secret keys (PostgreSQL requires them; on SQLite a key file is made). */
const SECRET_KEYS = `k1:${Buffer.alloc(32, 9).toString('base64')}`;
const CPU_PROF = process.env.SHOPSYNC_BENCH_CPU_PROF;
const MAX_BYTES = 256 * 1024 * 1024;

type Db = 'sqlite' | 'postgres';

/** A full collection before each timed enqueue of the storage side (the garbage of preparing the batch is not the adapter's). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** This process's CPU time so far (user + system, every thread), ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** What one batch cost a side: wall ms, and the CPU ms of the process that did it. */
interface Cost {
  ms: number;
  cpu: number;
}

/** Inside the service, over one request (ingest-probe.ts): core's ChangeQueue.enqueue (validation + the adapter's) and the adapter's enqueue, wall and CPU ms. */
interface Inside {
  queueMs: number;
  queueCpu: number;
  adapterMs: number;
  adapterCpu: number;
}

const began = performance.now();
const loadAtStart = loadavg();
const tmp = mkdtempSync(join(tmpdir(), 'shopsync-bench-ingest-'));
const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
admin.on('error', () => undefined);
const schemas = new Set<string>();
const children = new Set<ChildProcess>();

/** A fresh database of `db`'s kind: a file in tmp, or a PostgreSQL schema (dropped at the end). */
function freshDatabase(db: Db, label: string): { url: string; schema?: string } {
  if (db === 'sqlite') return { url: `sqlite:${join(mkdtempSync(join(tmp, `${label}-`)), 'shopsync.db')}` };
  const schema = `shopsync_bench_ingest_${label}_${randomBytes(4).toString('hex')}`;
  schemas.add(schema);
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema };
}

const connectorConfig = (id: string) => ({ id, shopDomain: `${id}.myshopify.com`, apiVersion: '2026-07', enabled: false });

// ---------------------------------------------------------------- storage alone

interface StorageSide {
  enqueue(connectorId: string, batch: number): Promise<Cost & { pending: EntityCounts }>;
  close(): Promise<void>;
}

/** The CPU ms of the route's own steps on a batch, in the bench's process (before the storage side's timing). */
interface Steps {
  read: number;
  validate: number;
}

/**
 * The storage as the service opens it (services.ts: SqliteStorage.open on the file; a pg.Pool of
 * 10 and PostgresStorage.open on the schema), with the same two connectors, disabled.
 */
async function openStorageSide(db: Db, prepared: (batch: number) => Promise<{ entries: ReturnType<typeof toQueueEntries>['entries'] }>): Promise<StorageSide> {
  const target = freshDatabase(db, 'storage');
  let storage: StorageAdapter;
  let pool: pg.Pool | undefined;
  if (db === 'sqlite') storage = SqliteStorage.open({ path: target.url.slice('sqlite:'.length) });
  else {
    pool = new pg.Pool({ connectionString: PG_URL, max: 10, application_name: 'shopsync-bench-storage' });
    pool.on('error', () => undefined);
    storage = await PostgresStorage.open({ pool, schema: target.schema! });
  }
  const registry = new ConnectorRegistry(storage);
  for (const id of ['warmup', 'bench']) await registry.create({ config: connectorConfig(id) });
  return {
    async enqueue(connectorId, batch) {
      const { entries } = await prepared(batch);
      gc();
      const [c0, t0] = [cpuMs(), performance.now()];
      const pending = await storage.enqueue(connectorId, entries, Date.now());
      return { ms: performance.now() - t0, cpu: cpuMs() - c0, pending };
    },
    async close() {
      await storage.close();
      await pool?.end();
    },
  };
}

// ---------------------------------------------------------------- the client

interface Answer {
  ms: number;
  status: number;
  text: string;
  bytes: number;
}

/** The HTTP client, a process of its own (ingest-client.ts): it makes each batch's NDJSON and POSTs it. */
class Client {
  #next = 0;
  #waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: { id: number; error?: string } & Answer) => {
      const w = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      if (m.error) w?.reject(new Error(`client: ${m.error}`));
      else w?.resolve(m);
    });
    child.on('exit', (code) => {
      for (const w of this.#waiting.values()) w.reject(new Error(`the client process exited ${code}`));
      this.#waiting.clear();
    });
  }

  static async start(): Promise<Client> {
    const child = spawn(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', CLIENT], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.add(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the client process exited ${code} before it was ready`)));
    });
    return new Client(child);
  }

  post(job: { url: string; key: string; connector: string; batch: number }): Promise<Answer> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.child.send({ id, size: BATCH, ...job });
    });
  }

  close(): void {
    this.child.disconnect();
    children.delete(this.child);
  }
}

// ---------------------------------------------------------------- the service

interface ServiceSide {
  post(connectorId: string, batch: number): Promise<Cost & { inside: Inside; serverMs?: number; pending: EntityCounts; accepted: number; bytes: number }>;
  close(): Promise<void>;
}

/** Makes the keys in the service's database (as `shopsync keys create` does), then starts `shopsync serve` in its own process. */
async function startServiceSide(db: Db, client: Client): Promise<ServiceSide> {
  const target = freshDatabase(db, 'service');
  const env: Record<string, string | undefined> = {
    ...process.env,
    SHOPSYNC_DATABASE_URL: target.url,
    SHOPSYNC_SECRET_KEYS: db === 'postgres' ? SECRET_KEYS : undefined,
    SHOPSYNC_CONCURRENCY: '1',
    SHOPSYNC_POLL_MS: '1000',
    SHOPSYNC_LOG_LEVEL: 'info',
    SHOPSYNC_PORT: '0',
  };
  const config = readConfig({}, env);
  const services = await openServices(config, createLogger('silent'));
  const made = (scopes: Array<'admin' | 'ingest'>) => newApiKey({ scopes, now: Date.now(), name: `bench ${scopes.join(',')}` });
  const adminKey = made(['admin']);
  const ingestKey = made(['ingest']);
  await services.store.createApiKey(adminKey.record);
  await services.store.createApiKey(ingestKey.record);
  await services.close();

  const args = [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []), '--conditions=source', '--import', 'tsx', '--import', PROBE, CLI, 'serve', '--role', db === 'sqlite' ? 'all' : 'api'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  // The probe (ingest-probe.ts) answers the service's CPU ms so far, and its timings inside.
  const probe = () =>
    new Promise<Inside & { cpuMs: number }>((resolve, reject) => {
      child.once('message', resolve);
      child.send('probe', (err) => err && reject(err));
    });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  // The service's JSON log: the URL it listens on, and each request's own time (`ms`, as it logs it).
  const serverMs: number[] = [];
  let pendingLine = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      pendingLine += d;
      let nl: number;
      while ((nl = pendingLine.indexOf('\n')) >= 0) {
        const line = pendingLine.slice(0, nl);
        pendingLine = pendingLine.slice(nl + 1);
        let entry: { msg?: string; url?: string; method?: string; ms?: number; status?: number };
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (entry.msg === 'API listening' && entry.url) resolve(entry.url);
        if (entry.msg === 'request' && entry.method === 'POST' && typeof entry.ms === 'number') serverMs.push(entry.ms);
      }
    });
    child.once('exit', (code) => reject(new Error(`shopsync serve (${db}) exited ${code} before it listened: ${stderr.slice(-2000)}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const call = async (method: string, path: string, key: string, body: string, type: string) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': type }, body });
    const text = await res.text();
    return { status: res.status, text };
  };
  for (const id of ['warmup', 'bench']) {
    const r = await call('POST', '/v1/connectors', adminKey.key, JSON.stringify({ config: connectorConfig(id) }), 'application/json');
    if (r.status !== 201) throw new Error(`connector ${id}: ${r.status} ${r.text}`);
  }
  return {
    async post(connectorId, batch) {
      const seen = serverMs.length;
      const before = await probe();
      const r = await client.post({ url, key: ingestKey.key, connector: connectorId, batch });
      if (r.status !== 202) throw new Error(`POST …/${connectorId}/changes: ${r.status} ${r.text.slice(0, 2000)}`);
      const answer = JSON.parse(r.text) as { accepted: number; pending: EntityCounts };
      // The log line is written as the answer closes; give it a moment to arrive.
      for (let i = 0; i < 20 && serverMs.length === seen; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      const after = await probe();
      const inside = { queueMs: after.queueMs - before.queueMs, queueCpu: after.queueCpu - before.queueCpu, adapterMs: after.adapterMs - before.adapterMs, adapterCpu: after.adapterCpu - before.adapterCpu };
      return { ms: r.ms, cpu: after.cpuMs - before.cpuMs, inside, bytes: r.bytes, ...(serverMs.length > seen && { serverMs: serverMs[serverMs.length - 1]! }), pending: answer.pending, accepted: answer.accepted };
    },
    async close() {
      child.kill('SIGTERM');
      const code = await exited;
      children.delete(child);
      if (code !== 0) throw new Error(`shopsync serve (${db}) exited ${code}: ${stderr.slice(-2000)}`);
    },
  };
}

// ---------------------------------------------------------------- one database

interface Phase {
  db: Db;
  batches: number;
  storage: Cost[];
  service: Array<Cost & { inside: Inside }>;
  /** The `ms` the service logged for each request. */
  serverMs: number[];
  steps: Steps[];
  bytes: number;
}

/**
 * A batch's changes, read from its NDJSON (in 64 KB chunks, as a socket delivers them) by the
 * route's own reader and validated by core, each step's CPU ms measured.
 */
async function prepare(batch: number): Promise<{ entries: ReturnType<typeof toQueueEntries>['entries']; steps: Steps }> {
  const body = Buffer.from(toNdjson(ingestBatch(batch, BATCH)));
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 65_536) chunks.push(body.subarray(i, i + 65_536));
  const request = { headers: { 'content-type': 'application/x-ndjson' }, body: Readable.from(chunks) } as unknown as FastifyRequest;
  gc();
  const t0 = cpuMs();
  const { changes } = await readChanges(request, { maxChanges: 100_000, maxBytes: MAX_BYTES });
  const t1 = cpuMs();
  const { entries } = toQueueEntries(changes);
  const t2 = cpuMs();
  return { entries, steps: { read: t1 - t0, validate: t2 - t1 } };
}

const total = (c: EntityCounts) => c.categories + c.products + c.variants;

async function phase(db: Db, client: Client): Promise<Phase> {
  let current: Awaited<ReturnType<typeof prepare>> | undefined;
  const storage = await openStorageSide(db, async () => current!);
  const service = await startServiceSide(db, client);
  const batches = BATCHES[db];
  const out: Phase = { db, batches, storage: [], service: [], serverMs: [], steps: [], bytes: 0 };
  try {
    current = await prepare(WARMUP);
    await storage.enqueue('warmup', WARMUP);
    await service.post('warmup', WARMUP);
    for (let b = 0; b < batches; b++) {
      current = await prepare(b);
      out.steps.push(current.steps);
      const runStorage = async () => {
        const s = await storage.enqueue('bench', b);
        if (total(s.pending) !== (b + 1) * BATCH) throw new Error(`storage (${db}): ${total(s.pending)} pending after batch ${b + 1}`);
        out.storage.push(s);
      };
      const runService = async () => {
        const r = await service.post('bench', b);
        if (r.accepted !== BATCH || total(r.pending) !== (b + 1) * BATCH) throw new Error(`service (${db}): accepted ${r.accepted}, ${total(r.pending)} pending after batch ${b + 1}`);
        out.service.push(r);
        out.bytes += r.bytes;
        if (r.serverMs !== undefined) out.serverMs.push(r.serverMs);
      };
      // The two sides take each batch in turn, the first alternating.
      if (b % 2 === 0) {
        await runStorage();
        await runService();
      } else {
        await runService();
        await runStorage();
      }
      const s = out.storage[b]!;
      const r = out.service[b]!;
      console.log(
        `${db} batch ${b + 1}/${batches}: storage ${s.ms.toFixed(0)} ms (CPU ${s.cpu.toFixed(0)}), service ${r.ms.toFixed(0)} ms (CPU ${r.cpu.toFixed(0)}; its log ${out.serverMs[b]?.toFixed(0) ?? '?'}, of it the adapter ${r.inside.adapterMs.toFixed(0)}, validation ${(r.inside.queueMs - r.inside.adapterMs).toFixed(0)})`,
      );
    }
  } catch (err) {
    // A failure first: the sides are closed, and it is what the run reports.
    current = undefined;
    await Promise.allSettled([storage.close(), service.close()]);
    throw err;
  }
  current = undefined;
  // Both closed; a service that did not stop cleanly fails the run.
  const closed = await Promise.allSettled([storage.close(), service.close()]);
  for (const r of closed) if (r.status === 'rejected') throw r.reason;
  return out;
}

// ---------------------------------------------------------------- report

const fmt = (x: number) => Math.round(x).toLocaleString('en');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

interface Figures {
  storagePerS: number;
  servicePerS: number;
  ratio: number;
}

function figures(p: Phase): Figures {
  const n = p.batches * BATCH;
  const storagePerS = (n * 1000) / sum(p.storage.map((c) => c.ms));
  const servicePerS = (n * 1000) / sum(p.service.map((c) => c.ms));
  return { storagePerS, servicePerS, ratio: servicePerS / storagePerS };
}

async function main(): Promise<void> {
  const client = await Client.start();
  const phases: Phase[] = [];
  try {
    for (const db of ['sqlite', 'postgres'] as const) phases.push(await phase(db, client));
  } finally {
    client.close();
  }
  const [sq, pgp] = phases as [Phase, Phase];
  const fs = figures(sq);
  const fp = figures(pgp);
  const server = (await admin.query<{ version: string }>("SELECT current_setting('server_version') AS version")).rows[0]!;
  const loadAtEnd = loadavg();
  const wholeS = (performance.now() - began) / 1000;
  const lat = (xs: number[]) => `${fmt(median(xs))} / ${fmt(percentile(xs, 95))}`;
  const dbName = (p: Phase) => (p.db === 'sqlite' ? 'SQLite (WAL file)' : `PostgreSQL ${server.version.split(' ')[0]}`);
  const row = (p: Phase, f: Figures) => [
    dbName(p),
    fmt(p.batches * BATCH),
    fmt(f.storagePerS),
    lat(p.storage.map((c) => c.ms)),
    fmt(f.servicePerS),
    lat(p.service.map((c) => c.ms)),
    p.serverMs.length === p.batches ? lat(p.serverMs) : '—',
    f.ratio.toFixed(3),
  ];
  // Where a service batch's time goes (means, so that the parts add up): wall ms (CPU ms).
  const mean = (xs: number[]) => sum(xs) / xs.length;
  const split = (p: Phase) => {
    const m = (f: (c: Phase['service'][number]) => number) => mean(p.service.map(f));
    const log = p.serverMs.length === p.batches ? mean(p.serverMs) : NaN;
    const client = m((c) => c.ms);
    const queue = m((c) => c.inside.queueMs);
    const adapter = m((c) => c.inside.adapterMs);
    const cpu = m((c) => c.cpu);
    const queueCpu = m((c) => c.inside.queueCpu);
    const adapterCpu = m((c) => c.inside.adapterCpu);
    const storageMs = mean(p.storage.map((c) => c.ms));
    const storageCpu = mean(p.storage.map((c) => c.cpu));
    const both = (ms: number, c: number) => `${fmt(ms)} (${fmt(c)})`;
    const share = (ms: number) => `${((100 * ms) / client).toFixed(0)} %`;
    return [
      dbName(p),
      both(client, cpu),
      `${both(adapter, adapterCpu)}, ${share(adapter)}`,
      `${both(queue - adapter, queueCpu - adapterCpu)}, ${share(queue - adapter)}`,
      `${both(log - queue, cpu - queueCpu)}, ${share(log - queue)}`,
      `${fmt(client - log)}, ${share(client - log)}`,
      both(storageMs, storageCpu),
      `${fmt(mean(p.steps.map((x) => x.read)))} / ${fmt(mean(p.steps.map((x) => x.validate)))}`,
    ];
  };
  const splitTable = [
    [
      'database',
      'service: a batch, client ms (service CPU ms)',
      'in it: the adapter’s enqueue',
      'core’s validation (ChangeQueue.enqueue less the adapter’s)',
      'the rest of the request as the service logs it (body upload, readChanges: concat, UTF-8, NDJSON parse, SHA-256; auth, connector record, answer)',
      'client only (connection, headers, the answer’s bytes)',
      'storage alone: ms (CPU ms)',
      'the route’s readChanges / toQueueEntries alone, CPU ms (bench process)',
    ],
    split(sq),
    split(pgp),
  ];
  const table = [
    ['database', 'changes', 'storage alone: changes/s', 'storage alone: ms a batch p50 / p95', 'service (POST NDJSON): changes/s', 'service: ms a batch p50 / p95 (client)', 'service: ms a batch p50 / p95 (its request log)', 'ratio (service ÷ storage)'],
    row(sq, fs),
    row(pgp, fp),
  ];
  const md = (t: string[][]) => [`| ${t[0]!.join(' | ')} |`, `| ${t[0]!.map(() => '---').join(' | ')} |`, ...t.slice(1).map((r) => `| ${r.join(' | ')} |`)];
  const verdict = (name: string, f: Figures) => `${name} ${f.ratio >= GOAL ? 'meets' : 'misses'} it (${f.ratio.toFixed(3)})`;
  writeResults('ingest', 'npm run bench:ingest', table, [
    `ratio = service changes/s ÷ storage-alone changes/s, each over the sum of its batches' times (goal ≥ ${GOAL}: HTTP and validation must not be the bottleneck): ${verdict('SQLite', fs)}, ${verdict('PostgreSQL', fp)}. changes_per_s in the RESULT line = the service's rate on SQLite (the embedded default): ${fmt(fs.servicePerS)}.`,
    '',
    `Batches of ${fmt(BATCH)} changes (${(sq.bytes / sq.batches / 1e6).toFixed(1)} MB of NDJSON each), every batch with refs of its own (nothing coalesces with an earlier batch): 10 categories, then products each followed by its 3 variants (bench/ingest-workload.ts). A product: title, description (HTML), SEO title and description and its 3 images' alt texts in 2 languages (en, fr); vendor, type, 3 tags, status, handle, its category, a taxonomy category, 2 options, 3 images, 4 metafields. A variant: price and compare-at price, barcode, weight, size and colour, stock in 2 warehouses, its image, 1 metafield. SQLite takes ${sq.batches} batches, PostgreSQL ${pgp.batches} (its adapter needs seconds a batch here).`,
    '',
    "Storage alone (the real limit of this path): the adapter's `enqueue` of each batch in the bench's process, on a fresh database opened as the service opens it (SQLite: `SqliteStorage.open` on a new WAL file, the adapter's pragmas; PostgreSQL: a pg.Pool of 10 and `PostgresStorage.open` on a new schema), the same two connectors registered (disabled); the batch read from its NDJSON by the route's own `readChanges` and validated by core's `toQueueEntries` before timing, the heap collected before each enqueue. Service: `shopsync serve` in a process of its own (`node --conditions=source --import tsx packages/server/src/cli/main.ts serve`, `--role all` on SQLite as it requires, `--role api` on PostgreSQL; log level info, SHOPSYNC_CONCURRENCY=1) on another fresh database, its connectors disabled (never claimed) so that only ingest runs. Each batch POSTed as `application/x-ndjson` with an ingest-scoped API key by a client process of its own (bench/ingest-client.ts: it makes the NDJSON as UTF-8 bytes, collects its garbage, then times fetch from the request's start to the answer's last byte), one request at a time. Every answer checked: 202, 10,000 accepted, and the pending counts after each batch the same on both sides. Each side first takes one untimed warm-up batch on another connector; then the two take each batch in turn, the first alternating. p50 / p95 of the per-batch times; 'its request log': the `ms` the service logs for the request (its onRequest hook to the answer's end).",
    '',
    "Where a service batch's time goes (means a batch, so that the parts add up; wall ms, CPU ms in brackets, which the machine's other work disturbs less): measured inside the service by bench/ingest-probe.ts, loaded into its process with `--import` (no file of the service changed): it wraps the adapter's `enqueue` and core's `ChangeQueue.enqueue` (validation + the adapter) of the modules the service loads, and answers their totals and `process.cpuUsage()` (every thread, GC included) over an IPC channel between requests. A garbage collection counts in the part it interrupts. On PostgreSQL the database server's own CPU is in no column. The last column: the route's `readChanges` and core's `toQueueEntries` on the same batch in the bench's process, for information.",
    '',
    ...md(splitTable),
    '',
    "What limits the service on SQLite, from a CPU profile of its process (`SHOPSYNC_BENCH_CPU_PROF=<dir> npm run bench:ingest`, 2026-12-06; ms of its main thread a batch of 10,000, averaged over 21 batches): the adapter's enqueue 160 (29 %), core's zod validation (`toQueueEntries`) 138 (25 %), garbage collection 124 (22 %: zod's output copy of every change, the parsed lines, the 7.8 MB body as chunks, then one Buffer and one string, the adapter's JSON), the route's `readChanges` 92 (17 %: UTF-8 decoding of the whole body 34, per-line slice/trim/JSON.parse 30, Buffer.concat 21, SHA-256 7; since 845f701 it parses NDJSON line by line from the chunks, with no concat and no whole-body string, which moved the ratio by less than this run-to-run noise), HTTP, Fastify, pino and authentication 39 (7 %). A ratio of 0.7 leaves all but the adapter ≈ 0.43 × its time: ≈ 70 ms a batch, against ≈ 395. zod's cost is spread over the whole change schema (texts as plain strings, no metafields or no images each take only 10–25 % off it); the same schema compiled by ajv (`z.toJSONSchema`, structure only: no URL, metafield-value or `__proto__` checks) took 29 ms CPU a batch against zod's 160 in the same process. On PostgreSQL the adapter is the limit (≈ 75 % of a request): its enqueue costs ≈ 1.1 s of Node CPU per 10,000 changes in one call against ≈ 0.45 s in ten calls of 1,000 (node-postgres's text-array parameters of one 10,000-row INSERT … unnest, and their garbage: GC is half the service's busy time there).",
    '',
    `PostgreSQL at 127.0.0.1 on the same machine. The machine has 2 cores, shared by the bench, the client, the service, PostgreSQL and other work (load average ${loadAtStart.map((x) => x.toFixed(2)).join(' ')} at the start, ${loadAtEnd.map((x) => x.toFixed(2)).join(' ')} at the end): ratios are from this run, absolute figures may move. Whole run ${wholeS.toFixed(0)} s.`,
  ]);
  console.log('');
  for (const r of md(table)) console.log(r);
  console.log('');
  for (const r of md(splitTable)) console.log(r);
  console.log(`RESULT ingest sqlite_ratio=${fs.ratio.toFixed(3)} postgres_ratio=${fp.ratio.toFixed(3)} changes_per_s=${Math.round(fs.servicePerS)}`);
}

/** Stops the processes started here, drops every schema made here and the files; safe to call twice. */
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const name of [...schemas]) {
      await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch((err: unknown) => console.error(`could not drop schema ${name}: ${(err as Error).message}`));
      schemas.delete(name);
    }
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

try {
  await main();
} finally {
  await cleanUp();
}
