/**
 * Runs in Chromium (driven by bench/idb.bench.mjs): durable enqueue + lease + ack of N changes
 * through @shopsync/indexeddb, against raw idb batched puts and deletes of the same records.
 * Rounds interleave the two; the driver takes medians.
 */
import { deleteDB, openDB } from 'idb';
import { type ItemStatus, type NewQueueEntry } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { storageWorkload } from './workload.js';

const N = 20_000;
const ENQUEUE_BATCH = 1_000;
const LEASE = 250;
const ROUNDS = 3;

async function ours(batches: NewQueueEntry[][], round: number): Promise<number> {
  const name = `bench-ours-${round}`;
  await deleteDB(name);
  const s = await IndexedDbStorage.open({ name });
  const t0 = performance.now();
  for (const b of batches) await s.enqueue('bench', b, Date.now());
  const tE = performance.now();
  let tL = 0;
  const now = Date.now();
  const at = new Date(now).toISOString();
  for (;;) {
    const tl0 = performance.now();
    const lease = await s.lease('bench', { limit: LEASE, leaseMs: 60_000, now });
    tL += performance.now() - tl0;
    if (!lease) break;
    const items: ItemStatus[] = lease.items.map((e) => ({ v: SCHEMA_VERSION, entity: e.entity, ref: e.ref, op: 'upsert', status: 'complete', errors: [], syncEventId: 'evt', updatedAt: at, consecutiveFailures: 0 }));
    await s.ack('bench', lease.id, { items, now });
  }
  const ms = performance.now() - t0;
  console.log('ours enqueue', (tE - t0).toFixed(0), 'lease', tL.toFixed(0), 'ack', (ms - (tE - t0) - tL).toFixed(0));
  const left = await s.pendingCounts('bench');
  if (left.products + left.variants !== 0) throw new Error('not drained');
  await s.close();
  await deleteDB(name);
  return ms;
}

async function raw(batches: NewQueueEntry[][], round: number): Promise<number> {
  const name = `bench-raw-${round}`;
  await deleteDB(name);
  const db = await openDB(name, 1, { upgrade: (d) => void d.createObjectStore('queue', { keyPath: 'key' }) });
  const t0 = performance.now();
  for (const b of batches) {
    const tx = db.transaction('queue', 'readwrite');
    for (const e of b) void tx.store.put(e);
    await tx.done;
  }
  console.log('raw put', (performance.now() - t0).toFixed(0));
  const keys = batches.flat().map((e) => e.key);
  for (let i = 0; i < keys.length; i += LEASE) {
    const tx = db.transaction('queue', 'readwrite');
    for (const k of keys.slice(i, i + LEASE)) void tx.store.delete(k);
    await tx.done;
  }
  const ms = performance.now() - t0;
  db.close();
  await deleteDB(name);
  return ms;
}

async function main() {
  const all = storageWorkload(N);
  const batches: NewQueueEntry[][] = [];
  for (let i = 0; i < all.length; i += ENQUEUE_BATCH) batches.push(toQueueEntries(all.slice(i, i + ENQUEUE_BATCH)).entries);
  const result = { n: N, ours: [] as number[], raw: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    result.ours.push(await ours(batches, r));
    result.raw.push(await raw(batches, r));
  }
  return result;
}

(window as unknown as { benchResult: Promise<unknown> }).benchResult = main();
