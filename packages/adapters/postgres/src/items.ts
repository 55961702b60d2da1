/**
 * Item rows (migrations.ts, `items`) as core's StoredItem, read with every cell checked
 * (records.ts), and written back in batches (sql.ts: one statement per batch).
 */
import { type QueueEntry } from '@shopsync/core';
import { storedKeys, type StoredItem } from '@shopsync/core/internal';
import { itemAt, storedItem } from './records.js';
import type { Db } from './transaction.js';
import type { Statements } from './sql.js';

/** An item row as read (sql.ts ITEM_COLUMNS). */
export interface ItemRow {
  id: number;
  key: string;
  pending: string | null;
  force: boolean | null;
  enqueued_at: number | null;
  os: number | null;
  ob: number | null;
  vp: string | null;
  outcome: string | null;
  u: number;
}

/** An item as a write transaction holds it. */
export interface HeldItem {
  /** The row's id; none for a row not yet written. */
  id?: number;
  item: StoredItem;
}

/** The row's pending change and/or last outcome as core's StoredItem: each cell checked. */
export function toHeld(database: string, c: string, r: ItemRow): HeldItem & { id: number } {
  return { id: r.id, item: storedItem(itemAt(database, c, r.key), r) };
}

/** The product a variant upsert belongs to (the `vp` column), else null. */
const productOf = (c: QueueEntry['change']): string | null => (c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : null);

/** Inserts rows for keys that have none; returns the keys inserted (a key that has a row is left alone). */
export async function insertNew(db: Db, sql: Statements, c: string, items: readonly StoredItem[]): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const rows = await db.query<{ key: string }>(sql.insertNew, columnsOf(c, items, items.map((i) => i.key)));
  return new Set(rows.map((r) => r.key));
}

/** Rewrites rows that exist, in one statement. */
export async function updateItems(db: Db, sql: Statements, c: string, rows: ReadonlyArray<HeldItem & { id: number }>): Promise<void> {
  if (rows.length) await db.query(sql.updateItems, columnsOf(c, rows.map((r) => r.item), rows.map((r) => r.id)));
}

/** The statement parameters of rows: $1 the connector, $2-$10 a column each, $11 keys or ids. */
function columnsOf(c: string, items: readonly StoredItem[], last: readonly unknown[]): unknown[] {
  const cols: unknown[][] = Array.from({ length: 9 }, () => []);
  for (const item of items) {
    const keys = storedKeys(item);
    const p = item.pending;
    cols[0]!.push(p ? JSON.stringify(p.change) : null);
    cols[1]!.push(p ? p.force : null);
    cols[2]!.push(p ? Date.parse(p.enqueuedAt) : null);
    cols[3]!.push(keys.order?.[0] ?? null);
    cols[4]!.push(keys.order?.[1] ?? null);
    cols[5]!.push(p ? productOf(p.change) : null);
    cols[6]!.push(item.outcome ? JSON.stringify(item.outcome) : null);
    cols[7]!.push(keys.updated);
    cols[8]!.push(keys.status);
  }
  return [c, ...cols, last];
}
