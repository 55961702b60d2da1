/**
 * The reads of what happened (events, logs, item statuses, hashes, target ids) and the
 * connector registry, each inside the transaction storage.ts opens. Every record read is checked
 * (records.ts): a damaged one is a StorageCorruptError naming its row.
 */
import { logEntrySchema, syncEventSchema, type ItemQuery, type ItemStatus, type LogEntry, type Page, type PageQuery, type SyncEvent } from '@shopsync/core';
import { storedView } from '@shopsync/core/internal';
import { toHeld, type ItemRow } from './items.js';
import { rowAt, type QueueContext } from './queue.js';
import { corrupt, instant, record, text } from './records.js';
import { ITEM_COLUMNS } from './sql.js';
import { quoted } from './migrations.js';
import type { Db } from './transaction.js';

/** An events row's body, as core's syncEventSchema accepts it, and the event of that row. */
function eventOf(ctx: QueueContext, c: string, r: { id: string; body: unknown }): SyncEvent {
  const at = rowAt(ctx.database, 'events', c, 'id', r.id);
  const event = record(at, 'body', r.body, syncEventSchema);
  if (event.id !== r.id || event.connectorId !== c) throw corrupt(at, event.id !== r.id ? 'body.id' : 'body.connectorId', "expected the row's event id and connector");
  return event;
}

/** One event, or undefined. */
export async function getEvent(ctx: QueueContext, db: Db, c: string, eventId: string): Promise<SyncEvent | undefined> {
  const [r] = await db.query<{ id: string; body: unknown }>(ctx.sql.getEvent, [c, eventId]);
  return r && eventOf(ctx, c, r);
}

/** A page of events, newest first, and how many there are (in one snapshot). */
export async function listEvents(ctx: QueueContext, db: Db, c: string, query: PageQuery): Promise<Page<SyncEvent>> {
  const rows = await db.query<{ id: string; body: unknown }>(ctx.sql.listEvents, [c, query.limit, query.offset]);
  const [n] = await db.query<{ n: number }>(ctx.sql.countEvents, [c]);
  return { items: rows.map((r) => eventOf(ctx, c, r)), total: n?.n ?? 0 };
}

/** An event's log lines in the order appended. */
export async function readLogs(ctx: QueueContext, db: Db, c: string, eventId: string): Promise<LogEntry[]> {
  const rows = await db.query<{ seq: number; body: unknown }>(ctx.sql.readLogs, [c, eventId]);
  return rows.map((r) => record(rowAt(ctx.database, 'logs', c, 'seq', r.seq), 'body', r.body, logEntrySchema));
}

/** Values of `keys` in a key → value table (hashes, target ids): present ones only, each non-empty text. */
export async function pick(ctx: QueueContext, db: Db, statement: string, table: string, field: string, c: string, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (keys.length === 0) return out;
  const found = new Map((await db.query<{ key: string; value: unknown }>(statement, [c, [...new Set(keys)]])).map((r) => [r.key, r.value]));
  for (const k of keys) if (found.has(k)) out.set(k, text(rowAt(ctx.database, table, c, 'key', k), field, found.get(k)));
  return out;
}

/** Item statuses of the given keys that exist, in the order asked. */
export async function getItems(ctx: QueueContext, db: Db, c: string, keys: readonly string[]): Promise<ItemStatus[]> {
  if (keys.length === 0) return [];
  const rows = new Map((await db.query<ItemRow>(ctx.sql.getItems, [c, [...new Set(keys)]])).map((r) => [r.key, r]));
  const out: ItemStatus[] = [];
  for (const k of keys) {
    const r = rows.get(k);
    if (r) out.push(storedView(toHeld(ctx.database, c, r).item));
  }
  return out;
}

/**
 * Filtered and paged in SQL, in the order core's `compareItems` defines (newest first, then
 * type, then reference: keys are `type:ref`, compared byte by byte), with the total (one
 * snapshot). A status filter reads `items_status`, none `items_updated`; a type filter is the
 * range of keys `type:…`; the reference filter a case-sensitive substring of the key after its type.
 */
export async function queryItems(ctx: QueueContext, db: Db, schema: string, c: string, query: ItemQuery): Promise<Page<ItemStatus>> {
  const params: unknown[] = [c];
  const where = ['connector = $1'];
  const param = (v: unknown) => `$${params.push(v)}`;
  if (query.status !== undefined) where.push(`st = ${param(query.status)}`);
  if (query.entity !== undefined) where.push(`key >= ${param(`${query.entity}:`)} AND key < ${param(`${query.entity};`)}`);
  if (query.since !== undefined) where.push(`u >= ${param(Date.parse(query.since))}`);
  if (query.ref !== undefined && query.ref !== '') where.push(`strpos(substr(key, strpos(key, ':') + 1), ${param(query.ref)}) > 0`);
  const filter = where.join(' AND ');
  const items = `${quoted(schema)}.items`;
  const [n] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${items} WHERE ${filter}`, [...params]);
  const rows = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${items} WHERE ${filter} ORDER BY u DESC, key LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`, params);
  return { items: rows.map((r) => storedView(toHeld(ctx.database, c, r).item)), total: n?.n ?? 0 };
}

/** A connector's enabled flag, and since when. */
export async function getConnectorFlag(ctx: QueueContext, db: Db, c: string): Promise<{ enabled: boolean; updatedAt: string } | undefined> {
  const [r] = await db.query<{ enabled: unknown; updated_at: unknown }>(ctx.sql.getConnectorFlag, [c]);
  if (!r) return undefined;
  const at = rowAt(ctx.database, 'connector', c);
  if (typeof r.enabled !== 'boolean') throw corrupt(at, 'enabled', 'expected true or false');
  return { enabled: r.enabled, updatedAt: new Date(instant(at, 'updated_at', r.updated_at)).toISOString() };
}
