/**
 * The one-row-per-item layout that durable adapters share (IndexedDB, SQLite): a row holds an
 * item's pending change while it has one and its last outcome once it has one; a lease keeps a
 * copy of the changes it handed out, so leasing writes one lease and finishing an item rewrites
 * its row once. These pure functions are that layout's rules, so the adapters only do the I/O.
 */
import { bucketOf } from '../queue/order.js';
import type { ItemStatus } from '../schemas/item.js';
import type { QueueEntry } from '../schemas/queue.js';
import type { NewQueueEntry } from './adapter.js';
import { coalesce, mergeReturned, pendingItemStatus, settledItemStatus } from './rules.js';

/**
 * One item's row as durable adapters keep it: the change waiting to be sent, when it last became
 * pending, and the last outcome recorded.
 */
export interface StoredItem {
  key: string;
  entity: QueueEntry['entity'];
  ref: string;
  /** The change waiting to be sent (also while an older one of it is in flight). */
  pending?: QueueEntry;
  /** When the item last became pending (epoch ms). */
  lastAt?: number;
  /** The last outcome an iteration recorded. */
  outcome?: ItemStatus;
}

/**
 * Adds a change to an item's row. `flying` is the item's change in flight, if any: a new change
 * stands apart from it rather than coalescing into it. `added` says the item was not pending before.
 */
export function queueInto(row: StoredItem | undefined, incoming: NewQueueEntry, flying: QueueEntry | undefined, seq: number, now: number): { row: StoredItem; added: boolean } {
  const current = row?.pending && !(flying && flying.seq === row.pending.seq) ? row.pending : undefined;
  const next: StoredItem = { ...row, key: incoming.key, entity: incoming.entity, ref: incoming.ref, pending: coalesce(current, incoming, seq, new Date(now).toISOString()), lastAt: now };
  return { row: next, added: row?.pending === undefined };
}

/**
 * Ends one leased change in its row. With an outcome, the item takes it and leaves the queue
 * unless a newer change waits; without, the change is pending again (meeting any newer one).
 * `changed`: the row must be written; `removed`: the item is no longer pending.
 */
export function finishLeased(row: StoredItem, leased: QueueEntry, outcome: ItemStatus | undefined, now: number): { row: StoredItem; changed: boolean; removed: boolean } {
  const newer = row.pending !== undefined && row.pending.seq !== leased.seq;
  if (outcome) {
    const next: StoredItem = { ...row, outcome: settledItemStatus(outcome, newer) };
    if (newer) next.lastAt = Math.max(row.lastAt ?? now, now);
    else {
      delete next.pending;
      delete next.lastAt;
    }
    return { row: next, changed: true, removed: !newer };
  }
  if (!newer) return { row, changed: false, removed: false };
  const merged = mergeReturned(leased, row.pending);
  return merged === row.pending ? { row, changed: false, removed: false } : { row: { ...row, pending: merged }, changed: true, removed: false };
}

/** What the item tab shows: pending (since `lastAt`, with the last outcome's errors) while a change waits, else the outcome. */
export function storedView(row: StoredItem): ItemStatus {
  return row.pending ? pendingItemStatus(row.outcome, row.pending, new Date(row.lastAt!).toISOString()) : row.outcome!;
}

/** A row's index keys: its place in the drain order while a change waits, and the item tab's sort and filter keys. */
export function storedKeys(row: StoredItem): { order?: [number, number]; updated: number; status: ItemStatus['status'] } {
  if (row.pending) return { order: [bucketOf(row.pending.entity, row.pending.change.op), row.pending.seq], updated: row.lastAt!, status: 'pending' };
  return { updated: Date.parse(row.outcome!.updatedAt), status: row.outcome!.status };
}
