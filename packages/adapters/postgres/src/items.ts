/**
 * Item rows (migrations.ts, `items`) as core's StoredItem plus the lease holding them, read with
 * every cell checked (records.ts), and written back in batches (sql.ts: one statement per batch).
 */
import { itemKey, itemStatusSchema, parseItemKey, queueEntrySchema, storedKeys, type QueueEntry, type StoredItem } from '@shopsync/core';
import { corrupt, count, fail, instant, itemAt, json, record, shaped, toEntry, type At } from './records.js';
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
  lease_id: string | null;
  lease_seq: number | null;
  flying: string | null;
}

/** The lease an item is in flight in: its id, the seq it handed out, and its copy of that entry once the row took a newer change. */
export interface Flight {
  id: string;
  seq: number;
  flying?: QueueEntry;
}

/** An item as a write transaction holds it. */
export interface HeldItem {
  /** The row's id; none for a row not yet written. */
  id?: number;
  item: StoredItem;
  flight?: Flight;
}

/** The row's pending change and/or last outcome as core's StoredItem, and its lease: each cell checked. */
export function toHeld(database: string, c: string, r: ItemRow): HeldItem {
  const at = itemAt(database, c, r.key);
  if (typeof r.key !== 'string') fail(at, 'key', 'an item key "type:ref"', r.key);
  const item: StoredItem = { key: r.key, ...parseItemKey(r.key) };
  if (r.pending !== null) {
    item.pending = toEntry(at, r.key, r.pending, r.force, r.os, r.enqueued_at);
    item.lastAt = instant(at, 'u', r.u);
  }
  if (r.outcome !== null) {
    const outcome = record(at, 'outcome', r.outcome, itemStatusSchema);
    if (itemKey(outcome.entity, outcome.ref) !== r.key) throw corrupt(at, 'outcome.ref', "expected the type and reference of the row's key");
    item.outcome = outcome;
  }
  if (!item.pending && !item.outcome) throw corrupt(at, 'pending', 'expected a queued change or an outcome, found neither');
  const flight = flightOf(at, r);
  return flight ? { id: r.id, item, flight } : { id: r.id, item };
}

/** The lease a row is in flight in, checked: none when `lease_id` is null. */
export function flightOf(at: At, r: ItemRow): Flight | undefined {
  if (r.lease_id === null) {
    if (r.flying !== null) fail(at, 'flying', 'null (the item is in no lease)', r.flying);
    return undefined;
  }
  if (typeof r.lease_id !== 'string' || r.lease_id === '') fail(at, 'lease_id', 'a lease id', r.lease_id);
  const flight: Flight = { id: r.lease_id, seq: count(at, 'lease_seq', r.lease_seq) };
  if (r.flying !== null) {
    const entry = shaped(at, 'flying', json(at, 'flying', r.flying), queueEntrySchema);
    if (entry.key !== r.key || entry.seq !== flight.seq) throw corrupt(at, 'flying', `expected the entry of ${r.key} its lease handed out (seq ${flight.seq})`);
    flight.flying = entry;
  }
  return flight;
}

/** The entry a lease handed out for this row: its copy, else the row's pending change (which must still be it). */
export function leasedEntry(at: At, held: HeldItem): QueueEntry {
  const { flight, item } = held;
  if (flight?.flying) return flight.flying;
  if (!item.pending || item.pending.seq !== flight!.seq) throw corrupt(at, 'pending', `expected the change its lease handed out (seq ${flight!.seq}), found ${item.pending ? `seq ${item.pending.seq}` : 'none'}`);
  return item.pending;
}

/** The product a variant upsert belongs to (the `vp` column), else null. */
const productOf = (c: QueueEntry['change']): string | null => (c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : null);

/** Writes rows in two statements at most: new ones inserted, the others updated (by id). */
export async function putItems(db: Db, sql: Statements, c: string, rows: readonly HeldItem[]): Promise<void> {
  const fresh = rows.filter((r) => r.id === undefined);
  const known = rows.filter((r) => r.id !== undefined);
  if (fresh.length) await db.query(sql.insertItems, columnsOf(c, fresh, fresh.map((r) => r.item.key)));
  if (known.length) await db.query(sql.updateItems, columnsOf(c, known, known.map((r) => r.id!)));
}

/** The statement parameters of rows: $1 the connector, $2-$13 a column each, $14 keys or ids. */
function columnsOf(c: string, rows: readonly HeldItem[], last: readonly unknown[]): unknown[] {
  const cols: unknown[][] = Array.from({ length: 12 }, () => []);
  for (const { item, flight } of rows) {
    const keys = storedKeys(item);
    const p = item.pending;
    const values = [
      p ? JSON.stringify(p.change) : null,
      p ? p.force : null,
      p ? Date.parse(p.enqueuedAt) : null,
      keys.order?.[0] ?? null,
      keys.order?.[1] ?? null,
      p ? productOf(p.change) : null,
      item.outcome ? JSON.stringify(item.outcome) : null,
      keys.updated,
      keys.status,
      flight?.id ?? null,
      flight?.seq ?? null,
      flight?.flying ? JSON.stringify(flight.flying) : null,
    ];
    values.forEach((v, i) => cols[i]!.push(v));
  }
  return [c, ...cols, last];
}
