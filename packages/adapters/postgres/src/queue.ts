/**
 * The queue's operations (enqueue, lease, ack, release), each run inside one transaction that
 * storage.ts opens. Who locks what, so that many processes can share a connector's queue:
 *
 * - enqueue and ack change the pending counts: both lock the connector's `meta` row first, so
 *   they take turns per connector (and `seq` grows in commit order);
 * - every writer of existing item rows (enqueue, ack, release, a lease returning expired leases)
 *   locks them in one statement, in key order: two of them never wait for each other in a circle;
 * - a lease locks the rows it reads with SKIP LOCKED (lease.ts) and waits for nobody, except
 *   when it first returns expired leases to the queue;
 * - a lease row is locked by whoever ends it (ack, release, or a lease returning it expired);
 *   the others skip it (a lease) or wait and find it gone (LeaseLostError).
 */
import {
  ENTITY_PLURAL,
  LeaseLostError,
  ShopsyncError,
  finishLeased,
  newId,
  parseItemKey,
  planLease,
  queueInto,
  runLeasePlanAsync,
  zeroCounts,
  type AckCommit,
  type EntityCounts,
  type ItemStatus,
  type Lease,
  type LeaseOptions,
  type NewQueueEntry,
  type SyncEvent,
} from '@shopsync/core';
import { flightOf, leasedEntry, putItems, toHeld, type HeldItem, type ItemRow } from './items.js';
import { LeaseReads } from './lease.js';
import { notifyChange } from './notify.js';
import { corrupt, count, instant, itemAt, rowOf, type At } from './records.js';
import type { Statements } from './sql.js';
import type { Db } from './transaction.js';

/** What the queue's operations share: the statements, and the storage's name for errors. */
export interface QueueContext {
  sql: Statements;
  database: string;
}

interface Meta {
  seq: number;
  categories: number;
  products: number;
  variants: number;
}

const FIELDS = ['categories', 'products', 'variants'] as const;
const countsOf = (m: Meta): EntityCounts => ({ categories: m.categories, products: m.products, variants: m.variants });

/** A row of `table`, for errors: the connector's (meta), or one named by `name` = `value`. */
export function rowAt(database: string, table: string, c: string, name?: string, value?: string | number): At {
  return { database, table, row: () => (name === undefined ? `connector ${JSON.stringify(c)}` : rowOf(c, name, value!)) };
}

/** The connector's meta row as read, each count a non-negative integer (else StorageCorruptError). */
function metaOf(ctx: QueueContext, c: string, m: Record<string, unknown> | undefined): Meta {
  if (!m) return { seq: 0, categories: 0, products: 0, variants: 0 };
  const at = rowAt(ctx.database, 'meta', c);
  return { seq: count(at, 'seq', m.seq), categories: count(at, 'categories', m.categories), products: count(at, 'products', m.products), variants: count(at, 'variants', m.variants) };
}

/** The pending counts of a connector (one row, no scan). */
export async function pendingCounts(ctx: QueueContext, db: Db, c: string): Promise<EntityCounts> {
  const [m] = await db.query(ctx.sql.getMeta, [c]);
  return countsOf(metaOf(ctx, c, m));
}

/** Locks the connector's meta row (made if missing) and reads it. */
async function lockMeta(ctx: QueueContext, db: Db, c: string): Promise<Meta> {
  const [m] = await db.query(ctx.sql.lockMeta, [c]);
  return metaOf(ctx, c, m);
}

async function putMeta(ctx: QueueContext, db: Db, c: string, m: Meta): Promise<void> {
  await db.query(ctx.sql.putMeta, [c, m.seq, m.categories, m.products, m.variants]);
}

/** Enqueue (see StorageAdapter): existing rows read and locked in one statement, written back in two at most. */
export async function enqueue(ctx: QueueContext, db: Db, c: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
  const m = await lockMeta(ctx, db, c);
  const keys = [...new Set(entries.map((e) => e.key))];
  const held = new Map<string, HeldItem>();
  for (const r of await db.query<ItemRow>(ctx.sql.lockItems, [c, keys])) held.set(r.key, toHeld(ctx.database, c, r));
  const touched = new Set<string>();
  for (const e of entries) {
    const before = held.get(e.key);
    const flight = before?.flight;
    // The row still holds the change in flight: its lease keeps a copy, as the row takes a newer one.
    const flying = flight && !flight.flying && before.item.pending?.seq === flight.seq ? before.item.pending : undefined;
    if (flying) flight!.flying = flying;
    const { row, added } = queueInto(before?.item, e, flying, ++m.seq, now);
    if (added) m[ENTITY_PLURAL[e.entity]] += 1;
    held.set(e.key, before?.id === undefined ? { item: row, ...(flight && { flight }) } : { id: before.id, item: row, ...(flight && { flight }) });
    touched.add(e.key);
  }
  await putItems(db, ctx.sql, c, [...touched].map((k) => held.get(k)!));
  await putMeta(ctx, db, c, m);
  if (entries.length > 0) await notifyChange(db, ctx.sql.notify, { c, t: 'enqueued' });
  return countsOf(m);
}

/** Lease (see StorageAdapter): expired leases return first, then the plan's reads lock what they find (lease.ts). */
export async function lease(ctx: QueueContext, db: Db, c: string, options: LeaseOptions): Promise<Lease | null> {
  const returned = await returnExpired(ctx, db, c, options.now);
  const reads = new LeaseReads(db, ctx.sql, ctx.database, c);
  // A damaged change refuses the whole lease (nothing is handed out): never sent half-read.
  const { items, ids } = reads.handOut(await runLeasePlanAsync(planLease(options.limit, reads.flying), reads.read));
  if (items.length === 0) {
    await assertDrained(ctx, db, c);
    if (returned) await notifyChange(db, ctx.sql.notify, { c, t: 'released' });
    return null;
  }
  const id = newId('lease', options.now);
  const expiresAt = options.now + options.leaseMs;
  const claimed = await db.query(ctx.sql.claim, [c, id, ids]);
  if (claimed.length !== ids.length) throw new ShopsyncError('lease_conflict', `Lease ${id} found ${ids.length - claimed.length} of its items already leased; nothing was handed out. This is a bug of @shopsync/postgres: please report it.`);
  await db.query(ctx.sql.insertLease, [c, id, expiresAt]);
  await notifyChange(db, ctx.sql.notify, { c, t: 'leased' });
  return { id, expiresAt, items };
}

/**
 * Nothing leasable: with no lease in flight and no queued row (free or held by another
 * transaction), the counts must say nothing is pending. If they do not, `meta` (or the rows'
 * drain columns) disagree with the queue, and a runner would wait for items that never come:
 * refused with a StorageCorruptError instead.
 */
async function assertDrained(ctx: QueueContext, db: Db, c: string): Promise<void> {
  // One statement, one snapshot: what other processes commit meanwhile cannot make it disagree.
  const [m] = await db.query<Record<string, unknown> & { leased: boolean; queued: boolean }>(ctx.sql.drained, [c]);
  const meta = metaOf(ctx, c, m);
  if (FIELDS.every((f) => meta[f] === 0) || m?.leased || m?.queued) return;
  const field = FIELDS.find((f) => meta[f] > 0)!;
  throw corrupt(rowAt(ctx.database, 'meta', c), field, `${meta[field]} pending, but no queued change of that type can be leased and none is leased (the counts or the items' drain columns are damaged)`);
}

/** Returns the connector's expired leases (those no other transaction is ending) to the queue. How many. */
async function returnExpired(ctx: QueueContext, db: Db, c: string, now: number): Promise<number> {
  const expired = (await db.query<{ id: string }>(ctx.sql.lockExpired, [c, now])).map((r) => r.id);
  if (expired.length === 0) return 0;
  await endLeases(ctx, db, c, expired, new Map(), now);
  return expired.length;
}

/**
 * Ends leases: finished items take their outcome; the others are pending again, in place (a
 * row that took a newer change meanwhile meets it, as core's `finishLeased` says). Deletes the
 * lease rows. Returns what left the queue. An outcome for an item outside the leases refuses it all.
 */
async function endLeases(ctx: QueueContext, db: Db, c: string, leaseIds: readonly string[], outcomes: ReadonlyMap<string, ItemStatus>, now: number): Promise<EntityCounts> {
  const rows = await db.query<ItemRow>(ctx.sql.lockLeased, [c, leaseIds]);
  const inLease = new Set(rows.map((r) => r.key));
  for (const key of outcomes.keys()) if (!inLease.has(key)) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leaseIds.join(', ')}.`);
  const removed = zeroCounts();
  const finished: [number[], string[], number[], string[]] = [[], [], [], []];
  const back: number[] = [];
  const rewritten: HeldItem[] = [];
  for (const r of rows) {
    const at = itemAt(ctx.database, c, r.key);
    const outcome = outcomes.get(r.key);
    const flight = flightOf(at, r)!;
    if (!flight.flying && r.os === flight.seq) {
      // No newer change waits: the row still holds the leased change, rewritten without parsing it.
      if (!outcome) back.push(r.id);
      else {
        [r.id, JSON.stringify(outcome), Date.parse(outcome.updatedAt), outcome.status].forEach((v, i) => (finished[i] as unknown[]).push(v));
        removed[ENTITY_PLURAL[parseItemKey(r.key).entity]] += 1;
      }
      continue;
    }
    const held = toHeld(ctx.database, c, r);
    const done = finishLeased(held.item, leasedEntry(at, held), outcome, now);
    if (done.removed) removed[ENTITY_PLURAL[held.item.entity]] += 1;
    rewritten.push({ id: r.id, item: done.row });
  }
  if (finished[0].length) await db.query(ctx.sql.finishItems, [c, ...finished]);
  if (back.length) await db.query(ctx.sql.returnItems, [c, back]);
  await putItems(db, ctx.sql, c, rewritten);
  await db.query(ctx.sql.deleteLeases, [c, leaseIds]);
  return removed;
}

/** The lease's expiry, its row locked; undefined when there is no such lease. */
async function lockLease(ctx: QueueContext, db: Db, c: string, leaseId: string): Promise<number | undefined> {
  const [row] = await db.query<{ expires_at: unknown }>(ctx.sql.lockLease, [c, leaseId]);
  return row && instant(rowAt(ctx.database, 'leases', c, 'id', leaseId), 'expires_at', row.expires_at);
}

/** What an ack or release transaction commits: the counts, or that the lease was lost (thrown after COMMIT). */
export type Ended = { counts: EntityCounts } | { lost: string };

/** Throws LeaseLostError for a lost lease (after its transaction committed what it returned), else the counts. */
export function countsOrLost(ended: Ended): EntityCounts {
  if ('lost' in ended) throw new LeaseLostError(ended.lost);
  return ended.counts;
}

/** Ack (see StorageAdapter). An expired lease's items return to the queue (committed), and the ack is refused. */
export async function ack(ctx: QueueContext, db: Db, c: string, leaseId: string, commit: AckCommit): Promise<Ended> {
  const [row] = await db.query(ctx.sql.lockMetaRow, [c]);
  const m = metaOf(ctx, c, row);
  const expiresAt = await lockLease(ctx, db, c, leaseId);
  if (expiresAt === undefined) return { lost: leaseId };
  if (commit.now > expiresAt) {
    await returnExpired(ctx, db, c, commit.now);
    await notifyChange(db, ctx.sql.notify, { c, t: 'released' });
    return { lost: leaseId };
  }
  const outcomes = new Map(commit.items.map((item) => [`${item.entity}:${item.ref}`, item]));
  const removed = await endLeases(ctx, db, c, [leaseId], outcomes, commit.now);
  for (const field of FIELDS) {
    m[field] -= removed[field];
    // More finished than counted: the counts disagree with the queue (the transaction is rolled back).
    if (m[field] < 0) throw corrupt(rowAt(ctx.database, 'meta', c), field, `${m[field] + removed[field]} pending, but ${removed[field]} left the queue`);
  }
  await putMeta(ctx, db, c, m);
  const set = (commit.hashes ?? []).filter((h) => h.hash !== null);
  const forget = (commit.hashes ?? []).filter((h) => h.hash === null).map((h) => h.key);
  if (set.length) await db.query(ctx.sql.putHashes, [c, set.map((h) => h.key), set.map((h) => h.hash)]);
  if (forget.length) await db.query(ctx.sql.deleteHashes, [c, forget]);
  const counts = countsOf(m);
  if (commit.event) {
    await saveEvent(ctx, db, { ...commit.event, pending: counts });
    if (commit.logs?.length) await db.query(ctx.sql.addLogs, [c, commit.event.id, commit.logs.map((l) => JSON.stringify(l))]);
  }
  await notifyChange(db, ctx.sql.notify, commit.event ? { c, t: 'acked', e: commit.event.id } : { c, t: 'acked' });
  return { counts };
}

/** Release (see StorageAdapter): every item of the lease back to the queue, in place. */
export async function release(ctx: QueueContext, db: Db, c: string, leaseId: string): Promise<Ended> {
  const expiresAt = await lockLease(ctx, db, c, leaseId);
  if (expiresAt === undefined) return { lost: leaseId };
  await endLeases(ctx, db, c, [leaseId], new Map(), expiresAt);
  await notifyChange(db, ctx.sql.notify, { c, t: 'released' });
  return { counts: await pendingCounts(ctx, db, c) };
}

/** Saves an event (a new one, or replacing the one of that id). */
export async function saveEvent(ctx: QueueContext, db: Db, event: SyncEvent): Promise<void> {
  await db.query(ctx.sql.putEvent, [event.connectorId, event.id, Date.parse(event.startedAt), JSON.stringify(event)]);
}
