/**
 * `npm run bench:queue`: enqueue + lease + ack of 100,000 changes through @shopsync/core's
 * public queue (validation included) on the memory adapter, against a plain Map-based queue
 * doing the same bookkeeping (coalescing, per-entity counts, leases, item statuses) without
 * validation, buckets or lease expiry. Same run, interleaved, median of 5.
 */
import { performance } from 'node:perf_hooks';
import { ChangeQueue, MemoryStorage, type Change, type ItemStatus, type NewQueueEntry } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { median, writeResults } from './results.js';

const N = 100_000;
const ENQUEUE_BATCH = 1_000;
const LEASE = 250;
const ROUNDS = 5;

function makeChanges(): Change[] {
  const out: Change[] = [];
  for (let i = 0; i < N; i++) {
    const r = i % 10;
    if (r === 0) out.push({ entity: 'category', op: 'upsert', ref: `C${i}`, data: { title: `Category ${i}` } });
    else if (r < 4) out.push({ entity: 'product', op: 'upsert', ref: `P${i}`, data: { title: `Product ${i}`, vendor: 'ACME', tags: ['a', 'b'] } });
    else out.push({ entity: 'variant', op: 'upsert', ref: `V${i}`, parentRef: `P${i - (i % 10) + 1}`, data: { price: '19.99', stock: i % 50 } });
  }
  return out;
}

function statusFor(entity: ItemStatus['entity'], ref: string, at: string): ItemStatus {
  return { v: SCHEMA_VERSION, entity, ref, op: 'upsert', status: 'complete', errors: [], syncEventId: 'evt', updatedAt: at, consecutiveFailures: 0 };
}

/** Through the public queue (validation included), or straight into storage with entries validated beforehand. */
async function ours(changes: Change[], prevalidated?: NewQueueEntry[][]): Promise<number> {
  const storage = new MemoryStorage();
  const queue = new ChangeQueue(storage, 'bench');
  const t0 = performance.now();
  if (prevalidated) for (const batch of prevalidated) await storage.enqueue('bench', batch, Date.now());
  else for (let i = 0; i < changes.length; i += ENQUEUE_BATCH) await queue.enqueue(changes.slice(i, i + ENQUEUE_BATCH));
  const now = Date.now();
  const at = new Date(now).toISOString();
  for (;;) {
    const lease = await storage.lease('bench', { limit: LEASE, leaseMs: 60_000, now });
    if (!lease) break;
    await storage.ack('bench', lease.id, { items: lease.items.map((e) => statusFor(e.entity, e.ref, at)), now });
  }
  const ms = performance.now() - t0;
  const left = await storage.pendingCounts('bench');
  if (left.categories + left.products + left.variants !== 0) throw new Error('queue not drained');
  return ms;
}

/** The baseline: one Map of entries in arrival order, counts, an in-flight Map, a status Map. */
function baseline(changes: Change[]): number {
  const t0 = performance.now();
  const pending = new Map<string, { key: string; change: Change; seq: number }>();
  const inflight = new Map<string, { key: string; change: Change; seq: number }>();
  const items = new Map<string, ItemStatus>();
  const counts = { category: 0, product: 0, variant: 0 };
  let seq = 0;
  const at0 = new Date().toISOString();
  for (let i = 0; i < changes.length; i += ENQUEUE_BATCH) {
    for (const change of changes.slice(i, i + ENQUEUE_BATCH)) {
      const key = `${change.entity}:${change.ref}`;
      const old = pending.get(key);
      if (!old && !inflight.has(key)) counts[change.entity]++;
      pending.set(key, { key, change, seq: old ? old.seq : ++seq });
      items.set(key, { ...statusFor(change.entity, change.ref, at0), status: 'pending' });
    }
  }
  const at = new Date().toISOString();
  for (;;) {
    const batch: Array<{ key: string; change: Change }> = [];
    for (const e of pending.values()) {
      if (batch.length >= LEASE) break;
      batch.push(e);
    }
    if (batch.length === 0) break;
    for (const e of batch) {
      pending.delete(e.key);
      inflight.set(e.key, e as { key: string; change: Change; seq: number });
    }
    for (const e of batch) {
      inflight.delete(e.key);
      items.set(e.key, statusFor(e.change.entity, e.change.ref, at));
      counts[e.change.entity]--;
    }
  }
  const ms = performance.now() - t0;
  if (counts.category + counts.product + counts.variant !== 0) throw new Error('baseline not drained');
  return ms;
}

const changes = makeChanges();
await ours(changes.slice(0, 10_000));
baseline(changes.slice(0, 10_000));
const batches: NewQueueEntry[][] = [];
for (let i = 0; i < changes.length; i += ENQUEUE_BATCH) batches.push(toQueueEntries(changes.slice(i, i + ENQUEUE_BATCH)).entries);
const oursMs: number[] = [];
const storageMs: number[] = [];
const baseMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  oursMs.push(await ours(changes));
  storageMs.push(await ours(changes, batches));
  baseMs.push(baseline(changes));
}
const o = median(oursMs);
const st = median(storageMs);
const b = median(baseMs);
const oursOps = Math.round((N * 1000) / o);
const baseOps = Math.round((N * 1000) / b);
const ratio = oursOps / baseOps;
writeResults(
  'queue.memory',
  'npm run bench:queue',
  [
    ['what', 'median ms (5 runs)', 'changes/s', 'ratio'],
    ['@shopsync/core ChangeQueue + MemoryStorage (zod validation, coalescing, buckets, leases, item statuses)', o.toFixed(1), String(oursOps), ratio.toFixed(3)],
    ['MemoryStorage alone (entries validated before timing)', st.toFixed(1), String(Math.round((N * 1000) / st)), (b / st).toFixed(3)],
    ['plain Map baseline (same bookkeeping, no validation)', b.toFixed(1), String(baseOps), '1.000'],
  ],
  [`${N.toLocaleString('en')} changes (10% categories, 30% products, 60% variants), enqueued in batches of ${ENQUEUE_BATCH}, leased and acknowledged ${LEASE} at a time.`],
);
console.log(`ours ${o.toFixed(1)} ms, baseline ${b.toFixed(1)} ms`);
console.log(`RESULT queue.memory ratio=${ratio.toFixed(3)} ops_per_s=${oursOps}`);
