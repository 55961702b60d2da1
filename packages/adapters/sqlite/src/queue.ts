/**
 * The queue's operations (enqueue, lease, ack, release, and the pending counts), each run inside
 * one immediate transaction that storage.ts opens: a writer from the start, so every connection
 * on the file, in this process or another, takes its turn and sees one state.
 *
 * - `meta` keeps each connector's exact pending counts and its arrival counter (`seq`): every
 *   operation that changes the queue reads and rewrites them in its transaction.
 * - A lease hands out product groups, as core's `planLease` decides (lease.ts answers its reads),
 *   and records what it handed out in its own row (lease-row.ts): those rows are in flight while
 *   it lives; an item row is never rewritten to say so.
 * - An enqueue that replaces the change of an item in flight copies the handed-out entry into
 *   the lease (`superseded`): only those rows are read when the lease ends.
 * - Whoever ends a lease (ack, release, or a lease finding it expired) deletes its row: a second
 *   one finds it gone, and storage.ts throws LeaseLostError after the commit.
 */
import {
  ENTITY_PLURAL,
  ShopsyncError,
  type AckCommit,
  type EntityCounts,
  type ItemStatus,
  type Lease,
  type LeaseOptions,
  type NewQueueEntry,
  type QueueEntry,
} from '@shopsync/core';
import { bucketOf, finishLeased, newId, planLease, queueInto, runLeasePlan, zeroCounts, type StoredItem } from '@shopsync/core/internal';
import type { StorageContext } from './context.js';
import { saveEvent } from './history.js';
import { cidOf, loadItem, productOf, putItem } from './items.js';
import { LeaseReads } from './lease.js';
import { Handed, supersededOf, type LeaseDbRow, type OpenLease } from './lease-row.js';
import { corrupt, count, instant, itemAt, rowAt } from './records.js';

interface MetaRow {
  seq: number;
  categories: number;
  products: number;
  variants: number;
}

const countsOf = (m: MetaRow): EntityCounts => ({ categories: m.categories, products: m.products, variants: m.variants });

/**
 * A new item's row id is the next in its range of ids (range × 2^28 onwards), one range per drain
 * bucket except that product and variant upserts share one (a lease takes a product with its
 * variants): rows are laid out in about the order they will be leased, so a lease reads, and its
 * ack rewrites, neighbouring rows (fewer pages per transaction) rather than scattered ones. Ids
 * stay below 2^31, small integers for V8 (leases list them). A full range falls back to SQLite's choice.
 */
const ID_SPAN = 2 ** 28;
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const idRangeOf = (bucket: number): number => (bucket === VARIANT_UPSERTS ? PRODUCT_UPSERTS : bucket);

/** The connector's counts, each a non-negative integer (else StorageCorruptError). */
function metaOf(ctx: StorageContext, c: string): MetaRow {
  const m = ctx.s.getMeta.get(c) as MetaRow | undefined;
  if (!m) return { seq: 0, categories: 0, products: 0, variants: 0 };
  const at = rowAt(ctx.path, 'meta', c);
  return { seq: count(at, 'seq', m.seq), categories: count(at, 'categories', m.categories), products: count(at, 'products', m.products), variants: count(at, 'variants', m.variants) };
}

function putMeta(ctx: StorageContext, c: string, m: MetaRow): void {
  ctx.s.putMeta.run(c, m.seq, m.categories, m.products, m.variants);
}

/** The pending counts of a connector (its `meta` row, no scan). */
export function pendingCounts(ctx: StorageContext, c: string): EntityCounts {
  return countsOf(metaOf(ctx, c));
}

/** Epoch ms of an ISO instant, remembering the last one. */
function timeOf(ctx: StorageContext, iso: string): number {
  if (iso !== ctx.lastTime.iso) ctx.lastTime = { iso, ms: Date.parse(iso) };
  return ctx.lastTime.ms;
}

/** The changes in flight (leased, lease not ended): key -> [seq, lease]. */
function inflightOf(ctx: StorageContext, c: string): Map<string, [number, OpenLease]> {
  const out = new Map<string, [number, OpenLease]>();
  for (const row of ctx.s.allLeases.all(c) as LeaseDbRow[]) {
    const lease: OpenLease = { row };
    const handed = new Handed(rowAt(ctx.path, 'leases', c, 'id', row.id), row.keys);
    for (const key of handed.keys()) out.set(key, [handed.seq(key), lease]);
  }
  return out;
}

/** Enqueue (see StorageAdapter): returns the pending counts after it. */
export function enqueue(ctx: StorageContext, connectorId: string, entries: readonly NewQueueEntry[], now: number): EntityCounts {
  const m = metaOf(ctx, connectorId);
  const inflight = inflightOf(ctx, connectorId);
  const cid = cidOf(ctx, connectorId, true);
  // Stored in ms, as the ISO instant a queue entry records (whole ms).
  const enqueuedAt = Date.parse(new Date(now).toISOString());
  const touched = new Set<OpenLease>();
  const lastId: number[] = [];
  for (const e of entries) {
    // Most keys are new: insert at once, and only read the row when one exists.
    const bucket = bucketOf(e.entity, e.change.op);
    const range = idRangeOf(bucket);
    const next = (lastId[range] ??= ctx.s.lastId.get({ start: range * ID_SPAN, end: (range + 1) * ID_SPAN }) as number) + 1;
    const id = next < (range + 1) * ID_SPAN ? next : null;
    const fresh = ctx.s.insertItem.run(id, cid, e.key, JSON.stringify(e.change), Number(e.force), enqueuedAt, bucket, m.seq + 1, productOf(e.change), now);
    if (fresh.changes > 0) {
      if (id !== null) lastId[range] = id;
      m.seq += 1;
      m[ENTITY_PLURAL[e.entity]] += 1;
      continue;
    }
    const before = loadItem(ctx, connectorId, e.key)!;
    const [flyingSeq, lease] = inflight.get(e.key) ?? [];
    // The row still holds the change in flight: the lease keeps a copy, as the row is about to take a newer one.
    const flying = before.pending && before.pending.seq === flyingSeq ? before.pending : undefined;
    if (flying && lease) {
      (lease.superseded ??= supersededOf(rowAt(ctx.path, 'leases', connectorId, 'id', lease.row.id), lease.row.superseded)).push(flying);
      touched.add(lease);
    }
    const { row, added } = queueInto(before, e, flying, ++m.seq, now);
    if (added) m[ENTITY_PLURAL[e.entity]] += 1;
    putItem(ctx, connectorId, row);
  }
  for (const lease of touched) ctx.s.setSuperseded.run(JSON.stringify(lease.superseded), connectorId, lease.row.id);
  putMeta(ctx, connectorId, m);
  return countsOf(m);
}

/** Lease (see StorageAdapter): expired leases end first; null when nothing is leasable. */
export function lease(ctx: StorageContext, connectorId: string, options: LeaseOptions): Lease | null {
  reclaimExpired(ctx, connectorId, options.now);
  const inflight = inflightOf(ctx, connectorId);
  const cid = cidOf(ctx, connectorId);
  if (cid === undefined) {
    assertDrained(ctx, connectorId, inflight.size);
    return null;
  }
  // Product groups, as core's planLease decides; rows in flight keep their place, the plan steps over them.
  const reads = new LeaseReads(ctx.s.lease, ctx.path, connectorId, cid);
  // A damaged change refuses the whole lease (nothing is handed out): never sent half-read.
  const { items, keys } = reads.handOut(runLeasePlan(planLease(options.limit, (key) => inflight.has(key)), reads.read));
  if (items.length === 0) {
    assertDrained(ctx, connectorId, inflight.size);
    return null;
  }
  const id = newId('lease', options.now);
  const expiresAt = options.now + options.leaseMs;
  ctx.s.putLease.run(connectorId, id, expiresAt, JSON.stringify(keys));
  return { id, expiresAt, items };
}

/**
 * Nothing leasable: with no lease in flight either, the counts must say nothing is pending. If
 * they do not, `meta` (or the rows' drain columns) disagree with the queue, and a runner would
 * wait for items that never come: refused with a StorageCorruptError instead.
 */
function assertDrained(ctx: StorageContext, c: string, inflight: number): void {
  if (inflight > 0) return;
  const m = metaOf(ctx, c);
  for (const field of ['categories', 'products', 'variants'] as const) {
    if (m[field] > 0) throw corrupt(rowAt(ctx.path, 'meta', c), field, `${m[field]} pending, but no queued change of that type can be leased and none is leased (the counts or the items' drain columns are damaged)`);
  }
}

function reclaimExpired(ctx: StorageContext, c: string, now: number): void {
  for (const lease of ctx.s.expiredLeases.all(c, now) as LeaseDbRow[]) {
    const removed = endLease(ctx, c, lease, new Map(), undefined, now);
    takeFromCounts(ctx, c, removed);
  }
}

function takeFromCounts(ctx: StorageContext, c: string, removed: EntityCounts): MetaRow {
  const m = metaOf(ctx, c);
  if (removed.categories + removed.products + removed.variants === 0) return m;
  for (const field of ['categories', 'products', 'variants'] as const) {
    m[field] -= removed[field];
    // More finished than counted: the counts disagree with the queue (the transaction is rolled back).
    if (m[field] < 0) throw corrupt(rowAt(ctx.path, 'meta', c), field, `${m[field] + removed[field]} pending, but ${removed[field]} left the queue`);
  }
  putMeta(ctx, c, m);
  return m;
}

/**
 * Ends a lease: finished items take their outcome; the others are pending again, in place.
 * Returns what left the queue. `handed` is what the lease handed out (needed with outcomes only).
 */
function endLease(ctx: StorageContext, c: string, lease: LeaseDbRow, outcomes: ReadonlyMap<string, ItemStatus>, handed: Handed | undefined, now: number): EntityCounts {
  const removed = zeroCounts();
  const superseded = new Map(supersededOf(rowAt(ctx.path, 'leases', c, 'id', lease.id), lease.superseded).map((e) => [e.key, e]));
  for (const [key, outcome] of outcomes) {
    const seq = handed!.seq(key);
    if (!superseded.has(key)) {
      // No newer change waits: the row still holds the leased change (same seq), rewritten without reading it.
      const done = ctx.s.finishCurrent.run(JSON.stringify(outcome), timeOf(ctx, outcome.updatedAt), outcome.status, handed!.rowId(key), seq);
      if (done.changes > 0) {
        removed[ENTITY_PLURAL[outcome.entity]] += 1;
        continue;
      }
    }
    const row = leasedItem(ctx, c, lease, key);
    if (!row.pending && !superseded.has(key)) throw corrupt(itemAt(ctx.path, c, key), 'pending', 'expected the change its lease handed out, found none');
    // With an outcome, only the seq of the leased change matters (is the row's change newer?).
    finish(ctx, c, row, superseded.get(key) ?? { ...row.pending!, seq }, outcome, now, removed);
  }
  // Unanswered items whose row took a newer change meet it; the others are pending again as they are.
  for (const [key, leased] of superseded) if (!outcomes.has(key)) finish(ctx, c, leasedItem(ctx, c, lease, key), leased, undefined, now, removed);
  ctx.s.deleteLease.run(c, lease.id);
  return removed;
}

/** The row of an item a lease names: it must exist. */
function leasedItem(ctx: StorageContext, c: string, lease: LeaseDbRow, key: string): StoredItem {
  const row = loadItem(ctx, c, key);
  if (!row) throw corrupt(rowAt(ctx.path, 'leases', c, 'id', lease.id), 'keys', `expected items that exist, found ${JSON.stringify(key)}, which has no row`);
  return row;
}

function finish(ctx: StorageContext, c: string, row: StoredItem, leased: QueueEntry, outcome: ItemStatus | undefined, now: number, removed: EntityCounts): void {
  const done = finishLeased(row, leased, outcome, now);
  if (done.removed) removed[ENTITY_PLURAL[row.entity]] += 1;
  if (done.changed) putItem(ctx, c, done.row);
}

/**
 * Ack (see StorageAdapter): the counts after it, or undefined when the lease is lost (gone, or
 * expired: its items return to the queue, committed, and storage.ts then throws LeaseLostError).
 */
export function ack(ctx: StorageContext, connectorId: string, leaseId: string, commit: AckCommit): EntityCounts | undefined {
  const lease = ctx.s.getLease.get(connectorId, leaseId) as LeaseDbRow | undefined;
  if (lease) instant(rowAt(ctx.path, 'leases', connectorId, 'id', leaseId), 'expires_at', lease.expires_at);
  if (!lease || commit.now > lease.expires_at) {
    // An expired lease: its items return now (committed), then the ack is refused.
    if (lease) reclaimExpired(ctx, connectorId, commit.now);
    return undefined;
  }
  const handed = new Handed(rowAt(ctx.path, 'leases', connectorId, 'id', leaseId), lease.keys);
  const outcomes = new Map<string, ItemStatus>();
  for (const item of commit.items) {
    const key = `${item.entity}:${item.ref}`;
    if (!handed.has(key)) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leaseId}.`);
    outcomes.set(key, item);
  }
  const m = takeFromCounts(ctx, connectorId, endLease(ctx, connectorId, lease, outcomes, handed, commit.now));
  for (const { key, hash } of commit.hashes ?? []) {
    if (hash === null) ctx.s.deleteHash.run(connectorId, key);
    else ctx.s.putHash.run(connectorId, key, hash);
  }
  const counts = countsOf(m);
  if (commit.event) {
    saveEvent(ctx, { ...commit.event, pending: counts });
    for (const entry of commit.logs ?? []) ctx.s.addLog.run(connectorId, commit.event.id, JSON.stringify(entry));
  }
  return counts;
}

/** Release (see StorageAdapter): the lease ends with no outcome; undefined when it is lost (storage.ts then throws LeaseLostError). */
export function release(ctx: StorageContext, connectorId: string, leaseId: string): EntityCounts | undefined {
  const lease = ctx.s.getLease.get(connectorId, leaseId) as LeaseDbRow | undefined;
  if (!lease) return undefined;
  return countsOf(takeFromCounts(ctx, connectorId, endLease(ctx, connectorId, lease, new Map(), undefined, lease.expires_at)));
}
