/**
 * `npm run bench:sqlite`: durable enqueue + lease + ack of 100,000 changes through
 * @shopsync/sqlite (a WAL file on disk), against raw better-sqlite3 inserts and deletes of the
 * same rows, one transaction per batch, with the same connection pragmas, in the same run.
 * Median of 5, interleaved (the machines here are noisy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Sqlite from 'better-sqlite3';
import { type ItemStatus, type NewQueueEntry } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { PRAGMAS, SqliteStorage } from '@shopsync/sqlite';
import { median, writeResults } from './results.js';
import { storageWorkload } from './workload.js';

const N = 100_000;
const ENQUEUE_BATCH = 1_000;
const LEASE = 250;
const ROUNDS = 5;
const dir = mkdtempSync(join(tmpdir(), 'shopsync-bench-sqlite-'));

async function ours(batches: NewQueueEntry[][], round: number): Promise<number> {
  const s = SqliteStorage.open({ path: join(dir, `ours-${round}.sqlite`) });
  const t0 = performance.now();
  for (const b of batches) await s.enqueue('bench', b, Date.now());
  const now = Date.now();
  const at = new Date(now).toISOString();
  for (;;) {
    const lease = await s.lease('bench', { limit: LEASE, leaseMs: 60_000, now });
    if (!lease) break;
    const items: ItemStatus[] = lease.items.map((e) => ({ v: SCHEMA_VERSION, entity: e.entity, ref: e.ref, op: 'upsert', status: 'complete', errors: [], syncEventId: 'evt', updatedAt: at, consecutiveFailures: 0 }));
    await s.ack('bench', lease.id, { items, now });
  }
  const ms = performance.now() - t0;
  const left = await s.pendingCounts('bench');
  if (left.products + left.variants !== 0) throw new Error('not drained');
  await s.close();
  return ms;
}

/** The same rows, raw: one insert per change in batches of 1,000, then one delete per change in batches of 250, a transaction each. */
function raw(batches: NewQueueEntry[][], round: number): number {
  const db = new Sqlite(join(dir, `raw-${round}.sqlite`));
  // Exactly the adapter's connection settings (WAL, synchronous=NORMAL, cache, checkpoints).
  for (const pragma of PRAGMAS) db.pragma(pragma);
  db.exec('CREATE TABLE queue (connector TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (connector, key)) WITHOUT ROWID');
  const insert = db.prepare('INSERT INTO queue (connector, key, body) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM queue WHERE connector = ? AND key = ?');
  const t0 = performance.now();
  const putAll = db.transaction((b: NewQueueEntry[]) => {
    for (const e of b) insert.run('bench', e.key, JSON.stringify(e));
  });
  for (const b of batches) putAll(b);
  const keys = batches.flat().map((e) => e.key);
  const delAll = db.transaction((ks: string[]) => {
    for (const k of ks) remove.run('bench', k);
  });
  for (let i = 0; i < keys.length; i += LEASE) delAll(keys.slice(i, i + LEASE));
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

try {
  const all = storageWorkload(N);
  const batches: NewQueueEntry[][] = [];
  for (let i = 0; i < all.length; i += ENQUEUE_BATCH) batches.push(toQueueEntries(all.slice(i, i + ENQUEUE_BATCH)).entries);
  const oursMs: number[] = [];
  const rawMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    oursMs.push(await ours(batches, r));
    rawMs.push(raw(batches, r));
  }
  const o = median(oursMs);
  const r = median(rawMs);
  const oursOps = Math.round((N * 1000) / o);
  const ratio = r / o;
  writeResults(
    'queue.sqlite',
    'npm run bench:sqlite',
    [
      ['what', `median ms (${ROUNDS} runs)`, 'changes/s', 'ratio'],
      ['@shopsync/sqlite: enqueue (coalescing, item statuses, counts) + lease + ack, one transaction each', o.toFixed(0), String(oursOps), ratio.toFixed(3)],
      ['raw better-sqlite3: inserts then deletes of the same rows, one transaction per batch', r.toFixed(0), String(Math.round((N * 1000) / r)), '1.000'],
    ],
    [`${N.toLocaleString('en')} changes into a WAL file, both with the adapter's pragmas (${PRAGMAS.join(', ')}), enqueued 1,000 per transaction, leased and acknowledged 250 at a time; entries validated before timing (the adapter's cost alone).`],
  );
  console.log(`ours ${o.toFixed(0)} ms, raw ${r.toFixed(0)} ms`);
  console.log(`RESULT queue.sqlite ratio=${ratio.toFixed(3)} ops_per_s=${oursOps}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
