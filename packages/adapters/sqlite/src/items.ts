/**
 * Item rows (schema.ts, `items`) as core's StoredItem: read with every cell checked (records.ts),
 * written back whole; and connectors' numbers in `connectors`, by which items name their
 * connector. Used by the queue (queue.ts) and the item tab's reads (history.ts).
 */
import { type QueueEntry } from '@shopsync/core';
import { storedKeys, type StoredItem } from '@shopsync/core/internal';
import type { StorageContext } from './context.js';
import { fail, itemAt, storedItem } from './records.js';

/** An item row as read (statements.ts `ITEM_COLUMNS`): the pending change is stored as its parts (see schema.ts, versions 3 and 4). */
export interface ItemDbRow {
  key: string;
  pending: string | null;
  force: number | null;
  enqueued_at: number | null;
  os: number | null;
  outcome: string | null;
  u: number;
}

/** An item row as core's StoredItem: its pending change and/or its last outcome (core's itemStatusSchema), checked. */
export function toStored(path: string, c: string, r: ItemDbRow): StoredItem {
  const at = itemAt(path, c, r.key);
  // `force` is stored as 0 or 1 here.
  const force = r.pending === null ? r.force : r.force === 1 ? true : r.force === 0 ? false : fail(at, 'force', '0 or 1', r.force);
  return storedItem(at, { ...r, force });
}

/** The `vp` column of a pending change: a variant upsert's product, else null (schema.ts, version 4). */
export const productOf = (c: QueueEntry['change']): string | null => (c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : null);

/** The number of connector `name` in `connectors`; with `create`, numbered now if it has none. */
export function cidOf(ctx: StorageContext, name: string, create = false): number | undefined {
  let id = ctx.cids.get(name) ?? (ctx.s.getCid.get(name) as number | undefined);
  if (id === undefined && create) id = Number(ctx.s.addCid.run(name).lastInsertRowid);
  if (id !== undefined) ctx.cids.set(name, id);
  return id;
}

/** The row of item `key` of connector `c`, checked; undefined if it has none. */
export function loadItem(ctx: StorageContext, c: string, key: string): StoredItem | undefined {
  const cid = cidOf(ctx, c);
  const r = cid === undefined ? undefined : (ctx.s.getItem.get(cid, key) as ItemDbRow | undefined);
  return r && toStored(ctx.path, c, r);
}

/** Writes an item's row whole (inserted, or replacing the one it has), numbering its connector if needed. */
export function putItem(ctx: StorageContext, c: string, item: StoredItem): void {
  const keys = storedKeys(item);
  const p = item.pending;
  ctx.s.putItem.run(
    cidOf(ctx, c, true),
    item.key,
    p ? JSON.stringify(p.change) : null,
    p ? Number(p.force) : null,
    p ? Date.parse(p.enqueuedAt) : null,
    keys.order?.[0] ?? null,
    keys.order?.[1] ?? null,
    p ? productOf(p.change) : null,
    item.outcome ? JSON.stringify(item.outcome) : null,
    keys.updated,
    keys.status,
  );
}
