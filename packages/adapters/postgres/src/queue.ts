/**
 * The queue's operations (enqueue, lease, ack, release), each run inside one transaction that
 * storage.ts opens. Many processes share a connector's queue this way:
 *
 * - every writer of a connector's queue (enqueue, lease, ack, release) first locks the
 *   connector's `meta` row (its pending counts and last seq), so they take turns per connector:
 *   `seq` grows in commit order, counts stay exact, and a lease's reads see one state, so a
 *   product group is never split between two leases. Connectors never wait for each other.
 *   A turn is short (bench:postgres: a lease of 250 items takes a few milliseconds), far below
 *   what one store accepts from Shopify's API, so serializing one store's queue costs nothing
 *   a run would notice, where SKIP LOCKED on rows had to lock every row of a page's product
 *   groups and read them twice to keep groups whole (issue #17, where the time went);
 * - a lease records what it hands out in its own row (`leases`: ids, keys, seqs): those rows are
 *   in flight while it lives, and an item row is never rewritten to say so;
 * - whoever ends a lease (ack, release, or a lease finding it expired) deletes its row first: a
 *   second one finds it gone (LeaseLostError).
 */
import {
  ENTITY_PLURAL,
  LeaseLostError,
  ShopsyncError,
  type AckCommit,
  type EntityCounts,
  type ItemStatus,
  type Lease,
  type LeaseOptions,
  type NewQueueEntry,
  type SyncEvent,
} from '@shopsync/core';
import {
  finishLeased,
  newId,
  parseItemKey,
  planLease,
  queueInto,
  runLeasePlanAsync,
  zeroCounts,
  type StoredItem,
} from '@shopsync/core/internal';
import { insertNew, toHeld, updateItems, type HeldItem, type ItemRow } from './items.js';
import { toLease, type Handed, type LeaseDbRow, type LeaseRecord } from './lease-row.js';
import { LeaseReads } from './lease.js';
import { notifyChange } from './notify.js';
import { corrupt, count, itemAt, rowOf, type At } from './records.js';
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

/**
 * Enqueue (see StorageAdapter). Most keys are new: their rows are inserted at once (one
 * statement, a key that has a row left alone), and only the keys that have one are read and
 * rewritten. Each change takes the next seq, in order, whichever way its row is written.
 */
export async function enqueue(ctx: QueueContext, db: Db, c: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
  const m = await lockMeta(ctx, db, c);
  // The changes of each key, in order, each with its seq.
  const byKey = new Map<string, Array<[NewQueueEntry, number]>>();
  for (const e of entries) {
    const list = byKey.get(e.key);
    if (list) list.push([e, ++m.seq]);
    else byKey.set(e.key, [[e, ++m.seq]]);
  }
  const fresh = [...byKey.values()].map((list) => list.reduce<StoredItem | undefined>((row, [e, seq]) => queueInto(row, e, undefined, seq, now).row, undefined)!);
  const inserted = await insertNew(db, ctx.sql, c, fresh);
  for (const item of fresh) if (inserted.has(item.key)) m[ENTITY_PLURAL[item.entity]] += 1;
  const known = [...byKey.keys()].filter((k) => !inserted.has(k));
  if (known.length > 0) await requeueKnown(ctx, db, c, known, byKey, m, now);
  await putMeta(ctx, db, c, m);
  if (entries.length > 0) await notifyChange(db, ctx.sql.notify, { c, t: 'enqueued' });
  return countsOf(m);
}

/**
 * The changes of keys that have a row, coalesced into it. A row still holding the change a live
 * lease handed out is about to take a newer one: the lease keeps a copy (`superseded`).
 */
async function requeueKnown(ctx: QueueContext, db: Db, c: string, keys: readonly string[], byKey: ReadonlyMap<string, Array<[NewQueueEntry, number]>>, m: Meta, now: number): Promise<void> {
  const rows = await db.query<ItemRow>(ctx.sql.getItems, [c, keys]);
  const inflight = new Map<string, LeaseRecord>();
  const leases = (await db.query<LeaseDbRow>(ctx.sql.liveLeases, [c])).map((r) => toLease(ctx.database, c, r));
  for (const lease of leases) for (const key of lease.handed.keys()) inflight.set(key, lease);
  const touched = new Set<LeaseRecord>();
  const rewritten: Array<HeldItem & { id: number }> = [];
  for (const r of rows) {
    const held = toHeld(ctx.database, c, r);
    let item = held.item;
    const lease = inflight.get(item.key);
    const flying = lease && item.pending && item.pending.seq === lease.handed.get(item.key)!.seq && !lease.superseded.has(item.key) ? item.pending : undefined;
    if (flying) {
      lease!.superseded.set(item.key, flying);
      touched.add(lease!);
    }
    for (const [e, seq] of byKey.get(item.key) ?? []) {
      const next = queueInto(item, e, flying, seq, now);
      if (next.added) m[ENTITY_PLURAL[e.entity]] += 1;
      item = next.row;
    }
    rewritten.push({ id: held.id, item });
  }
  await updateItems(db, ctx.sql, c, rewritten);
  if (touched.size > 0) {
    const list = [...touched];
    await db.query(ctx.sql.setSuperseded, [c, list.map((l) => l.id), list.map((l) => JSON.stringify([...l.superseded.values()]))]);
  }
}

/**
 * Lease (see StorageAdapter), holding the connector's meta row: expired leases return first, then
 * core's plan reads (lease.ts), and one INSERT records what the lease hands out.
 */
export async function lease(ctx: QueueContext, db: Db, c: string, options: LeaseOptions): Promise<Lease | null> {
  // Nothing was ever queued to this connector: nothing to lease.
  if ((await db.query(ctx.sql.lockMetaRow, [c])).length === 0) return null;
  const live: LeaseRecord[] = [];
  const expired: LeaseRecord[] = [];
  for (const r of await db.query<LeaseDbRow>(ctx.sql.liveLeases, [c])) {
    const l = toLease(ctx.database, c, r);
    (l.expiresAt <= options.now ? expired : live).push(l);
  }
  if (expired.length > 0) await endLeases(ctx, db, c, expired, new Map(), options.now, true);
  const reads = new LeaseReads(db, ctx.sql, ctx.database, c, live.flatMap((l) => [...l.handed.values()].map((h) => h.id)));
  // A damaged change refuses the whole lease (nothing is handed out): never sent half-read.
  const out = reads.handOut(await runLeasePlanAsync(planLease(options.limit, () => false), reads.read));
  if (out.items.length === 0) {
    if (live.length === 0) await assertDrained(ctx, db, c);
    if (expired.length > 0) await notifyChange(db, ctx.sql.notify, { c, t: 'released' });
    return null;
  }
  const id = newId('lease', options.now);
  const expiresAt = options.now + options.leaseMs;
  await db.query(ctx.sql.insertLease, [c, id, expiresAt, out.ids, out.keys, out.seqs]);
  await notifyChange(db, ctx.sql.notify, { c, t: 'leased' });
  return { id, expiresAt, items: out.items };
}

/**
 * Nothing leasable and no lease in flight: the counts must say nothing is pending. If they do
 * not, `meta` (or the rows' drain columns) disagree with the queue, and a runner would wait for
 * items that never come: refused with a StorageCorruptError instead.
 */
async function assertDrained(ctx: QueueContext, db: Db, c: string): Promise<void> {
  const [m] = await db.query<Record<string, unknown> & { leased: boolean; queued: boolean }>(ctx.sql.drained, [c]);
  const meta = metaOf(ctx, c, m);
  if (FIELDS.every((f) => meta[f] === 0) || m?.leased || m?.queued) return;
  const field = FIELDS.find((f) => meta[f] > 0)!;
  throw corrupt(rowAt(ctx.database, 'meta', c), field, `${meta[field]} pending, but no queued change of that type can be leased and none is leased (the counts or the items' drain columns are damaged)`);
}

/**
 * Ends leases: finished items take their outcome; the others are pending again, in place (a
 * row that took a newer change meanwhile meets it, as core's `finishLeased` says). Deletes the
 * lease rows when `deleteRows` (they were only read; ack and release delete theirs as they read
 * them). Returns what left the queue. An outcome for an item outside the leases refuses it all.
 */
async function endLeases(ctx: QueueContext, db: Db, c: string, leases: readonly LeaseRecord[], outcomes: ReadonlyMap<string, ItemStatus>, now: number, deleteRows = false): Promise<EntityCounts> {
  const handed = new Map<string, [Handed, LeaseRecord]>();
  for (const l of leases) for (const [key, h] of l.handed) handed.set(key, [h, l]);
  for (const key of outcomes.keys()) if (!handed.has(key)) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leases.map((l) => l.id).join(', ')}.`);
  if (deleteRows) await db.query(ctx.sql.deleteLeases, [c, leases.map((l) => l.id)]);
  const removed = zeroCounts();
  // Rows that still hold the change handed out take their outcome without being read.
  const finish: [number[], number[], string[], number[], string[]] = [[], [], [], [], []];
  for (const [key, outcome] of outcomes) {
    const [h, l] = handed.get(key)!;
    if (l.superseded.has(key)) continue;
    finish[0].push(h.id);
    finish[1].push(h.seq);
    finish[2].push(JSON.stringify(outcome));
    finish[3].push(Date.parse(outcome.updatedAt));
    finish[4].push(outcome.status);
  }
  const done = new Set<number>();
  if (finish[0].length > 0) for (const r of await db.query<{ id: number }>(ctx.sql.finishItems, [c, ...finish])) done.add(r.id);
  // The others with an outcome, and every row that took a newer change while in flight, are read and settled by core.
  const rest = [...handed].filter(([key, [h, l]]) => (outcomes.has(key) && !done.has(h.id)) || l.superseded.has(key));
  for (const [key] of outcomes) if (done.has(handed.get(key)![0].id)) removed[ENTITY_PLURAL[parseItemKey(key).entity]] += 1;
  if (rest.length === 0) return removed;
  const rows = new Map((await db.query<ItemRow>(ctx.sql.itemsById, [c, rest.map(([, [h]]) => h.id)])).map((r) => [r.id, r]));
  const rewritten: Array<HeldItem & { id: number }> = [];
  for (const [key, [h, l]] of rest) {
    const r = rows.get(h.id);
    if (!r || r.key !== key) throw corrupt(l.at, 'ids', `expected the row of ${key} (id ${h.id}), found ${r ? `the row of ${JSON.stringify(r.key)}` : 'none'}`);
    const held = toHeld(ctx.database, c, r);
    const leased = l.superseded.get(key) ?? held.item.pending;
    if (!leased || leased.seq !== h.seq) throw corrupt(itemAt(ctx.database, c, key), 'pending', `expected the change its lease handed out (seq ${h.seq}), found ${leased ? `seq ${leased.seq}` : 'none'}`);
    const settled = finishLeased(held.item, leased, outcomes.get(key), now);
    if (settled.removed) removed[ENTITY_PLURAL[held.item.entity]] += 1;
    if (settled.changed) rewritten.push({ id: h.id, item: settled.row });
  }
  await updateItems(db, ctx.sql, c, rewritten);
  return removed;
}

/** Returns the connector's expired leases to the queue. How many. Run while holding the connector's meta row. */
async function returnExpired(ctx: QueueContext, db: Db, c: string, now: number): Promise<number> {
  const expired = (await db.query<LeaseDbRow>(ctx.sql.takeExpired, [c, now])).map((r) => toLease(ctx.database, c, r));
  if (expired.length > 0) await endLeases(ctx, db, c, expired, new Map(), now);
  return expired.length;
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
  const [taken] = await db.query<LeaseDbRow>(ctx.sql.takeLease, [c, leaseId]);
  if (!taken) return { lost: leaseId };
  const lease = toLease(ctx.database, c, taken);
  if (commit.now > lease.expiresAt) {
    await endLeases(ctx, db, c, [lease], new Map(), commit.now);
    await returnExpired(ctx, db, c, commit.now);
    await notifyChange(db, ctx.sql.notify, { c, t: 'released' });
    return { lost: leaseId };
  }
  const outcomes = new Map(commit.items.map((item) => [`${item.entity}:${item.ref}`, item]));
  const removed = await endLeases(ctx, db, c, [lease], outcomes, commit.now);
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
  const [row] = await db.query(ctx.sql.lockMetaRow, [c]);
  const [taken] = await db.query<LeaseDbRow>(ctx.sql.takeLease, [c, leaseId]);
  if (!taken) return { lost: leaseId };
  const lease = toLease(ctx.database, c, taken);
  await endLeases(ctx, db, c, [lease], new Map(), lease.expiresAt);
  await notifyChange(db, ctx.sql.notify, { c, t: 'released' });
  return { counts: countsOf(metaOf(ctx, c, row)) };
}

/** Saves an event (a new one, or replacing the one of that id). */
export async function saveEvent(ctx: QueueContext, db: Db, event: SyncEvent): Promise<void> {
  await db.query(ctx.sql.putEvent, [event.connectorId, event.id, Date.parse(event.startedAt), JSON.stringify(event)]);
}
