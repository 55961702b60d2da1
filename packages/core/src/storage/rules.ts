/**
 * The queue's algebra and the item-status rules, as pure functions shared by every storage
 * adapter so that they cannot disagree. The conformance suite checks each adapter applies them.
 */
import { SCHEMA_VERSION } from '../schemas/common.js';
import type { ItemStatus } from '../schemas/item.js';
import type { QueueEntry } from '../schemas/queue.js';
import type { SyncEvent } from '../schemas/event.js';
import type { ItemQuery, NewQueueEntry } from './adapter.js';

/**
 * Coalesces an incoming change into the pending entry of its key. The newest change wins
 * (last upsert wins; upsert then delete = delete; delete then upsert = upsert). The entry keeps
 * its place (`seq`) while its op stays the same; a change of op moves it to the end of its new
 * bucket. A forced upsert stays forced when another upsert follows.
 */
export function coalesce(existing: QueueEntry | undefined, incoming: NewQueueEntry, seq: number, nowIso: string): QueueEntry {
  const sameOp = existing !== undefined && existing.change.op === incoming.change.op;
  return {
    v: SCHEMA_VERSION,
    key: incoming.key,
    entity: incoming.entity,
    ref: incoming.ref,
    change: incoming.change,
    force: sameOp && incoming.change.op === 'upsert' ? existing.force || incoming.force : incoming.force,
    seq: sameOp ? existing.seq : seq,
    enqueuedAt: sameOp ? existing.enqueuedAt : nowIso,
  };
}

/**
 * An entry that comes back from a lease (released, expired or not acknowledged) meets the
 * pending entry of its key, if a newer change arrived meanwhile: the newer change wins, and
 * the older place is kept when the op is the same.
 */
export function mergeReturned(returned: QueueEntry, pending: QueueEntry | undefined): QueueEntry {
  if (!pending) return returned;
  if (pending.change.op !== returned.change.op) return pending;
  return {
    ...pending,
    seq: Math.min(pending.seq, returned.seq),
    enqueuedAt: returned.seq < pending.seq ? returned.enqueuedAt : pending.enqueuedAt,
    force: pending.change.op === 'upsert' ? pending.force || returned.force : pending.force,
  };
}

/** The item status written when an item is enqueued: pending, keeping what the last attempt said. */
export function pendingItemStatus(prev: ItemStatus | undefined, entry: NewQueueEntry, nowIso: string): ItemStatus {
  const parentRef = 'parentRef' in entry.change ? entry.change.parentRef : undefined;
  const status: ItemStatus = {
    v: SCHEMA_VERSION,
    entity: entry.entity,
    ref: entry.ref,
    op: entry.change.op,
    status: 'pending',
    errors: prev?.errors ?? [],
    updatedAt: nowIso,
    consecutiveFailures: prev?.consecutiveFailures ?? 0,
  };
  if (parentRef !== undefined) status.parentRef = parentRef;
  else if (prev?.parentRef !== undefined) status.parentRef = prev.parentRef;
  if (prev?.syncEventId !== undefined) status.syncEventId = prev.syncEventId;
  if (prev?.shopifyId !== undefined) status.shopifyId = prev.shopifyId;
  return status;
}

/**
 * The status recorded when an iteration finishes an item. If a newer change of the same item
 * is already waiting, the item stays `pending` (with this attempt's errors, if any).
 */
export function settledItemStatus(outcome: ItemStatus, newerPending: boolean): ItemStatus {
  if (!newerPending) return outcome;
  const { change: _change, ...rest } = outcome;
  return { ...rest, status: 'pending' };
}

/** Whether an item status passes a query's filters: reference substring, state, kind, and updated since. */
export function matchesItemQuery(item: ItemStatus, q: ItemQuery): boolean {
  if (q.entity !== undefined && item.entity !== q.entity) return false;
  if (q.status !== undefined && item.status !== q.status) return false;
  if (q.ref !== undefined && q.ref !== '' && !item.ref.includes(q.ref)) return false;
  if (q.since !== undefined && Date.parse(item.updatedAt) < Date.parse(q.since)) return false;
  return true;
}

/** Most recently updated first; ties by entity then reference, so pages are stable. */
export function compareItems(a: ItemStatus, b: ItemStatus): number {
  const ta = Date.parse(a.updatedAt);
  const tb = Date.parse(b.updatedAt);
  if (ta !== tb) return tb - ta;
  if (a.entity !== b.entity) return a.entity < b.entity ? -1 : 1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/** Newest first by start; ties by id, descending (ids sort by creation time). */
export function compareEvents(a: SyncEvent, b: SyncEvent): number {
  const ta = Date.parse(a.startedAt);
  const tb = Date.parse(b.startedAt);
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
