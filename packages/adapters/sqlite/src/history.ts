/**
 * What happened, as stored and read back: events, their logs, item statuses (one item, or the
 * item tab's filtered pages), content hashes and target ids. Each function runs inside the
 * transaction storage.ts opens, or, for a single read, after storage.ts has checked the
 * storage is open. Every record read is checked (records.ts): a damaged one is a
 * StorageCorruptError naming its row.
 */
import type { Statement } from 'better-sqlite3';
import {
  ITEM_STATES,
  logEntrySchema,
  syncEventSchema,
  type ItemQuery,
  type ItemStatus,
  type LogEntry,
  type Page,
  type PageQuery,
  type SyncEvent,
} from '@shopsync/core';
import { bucketOf, storedView } from '@shopsync/core/internal';
import type { StorageContext } from './context.js';
import { cidOf, loadItem, toStored, type ItemDbRow } from './items.js';
import { corrupt, record, rowAt, text } from './records.js';
import { ITEM_COLUMNS } from './statements.js';

/** The item tab's sort: newest first, then by key (= type, then reference, as keys are `type:ref`). */
const ITEM_ORDER = 'ORDER BY u DESC, key';

/** Saves an event (replacing the one of that id). */
export function saveEvent(ctx: StorageContext, event: SyncEvent): void {
  ctx.s.putEvent.run(event.connectorId, event.id, Date.parse(event.startedAt), JSON.stringify(event));
}

/** One event, or undefined. */
export function getEvent(ctx: StorageContext, c: string, eventId: string): SyncEvent | undefined {
  const r = ctx.s.getEvent.get(c, eventId) as { id: string; body: unknown } | undefined;
  return r ? eventOf(ctx, c, r) : undefined;
}

/** A page of events, newest first, and how many there are. */
export function listEvents(ctx: StorageContext, c: string, query: PageQuery): Page<SyncEvent> {
  const rows = ctx.s.listEvents.all(c, query.limit, query.offset) as Array<{ id: string; body: unknown }>;
  const total = (ctx.s.countEvents.get(c) as { n: number }).n;
  return { items: rows.map((r) => eventOf(ctx, c, r)), total };
}

/** An events row's body, as core's syncEventSchema accepts it, and the event of that row. */
function eventOf(ctx: StorageContext, c: string, r: { id: string; body: unknown }): SyncEvent {
  const at = rowAt(ctx.path, 'events', c, 'id', r.id);
  const event = record(at, 'body', r.body, syncEventSchema);
  if (event.id !== r.id || event.connectorId !== c) throw corrupt(at, event.id !== r.id ? 'body.id' : 'body.connectorId', "expected the row's event id and connector");
  return event;
}

/** Appends log lines to an event. */
export function appendLogs(ctx: StorageContext, c: string, eventId: string, entries: readonly LogEntry[]): void {
  for (const entry of entries) ctx.s.addLog.run(c, eventId, JSON.stringify(entry));
}

/** An event's log lines in the order appended. */
export function readLogs(ctx: StorageContext, c: string, eventId: string): LogEntry[] {
  return (ctx.s.readLogs.all(c, eventId) as Array<{ seq: number; body: unknown }>).map((r) => record(rowAt(ctx.path, 'logs', c, 'seq', r.seq), 'body', r.body, logEntrySchema));
}

/** The statuses of the items of `keys` that have a row, in the order of `keys`. */
export function getItems(ctx: StorageContext, c: string, keys: readonly string[]): ItemStatus[] {
  const out: ItemStatus[] = [];
  for (const k of keys) {
    const item = loadItem(ctx, c, k);
    if (item) out.push(storedView(item));
  }
  return out;
}

/**
 * Filtered and paged in SQL, in the order core's `compareItems` defines (newest first, then
 * type, then reference). A row is either pending (in `items_order`) or finished (in
 * `items_done`, by status): each status wanted is one part, read from its index, and the parts
 * are merged. A type filter is, for pending rows, their two drain buckets; for finished ones,
 * the range of keys `type:…` of `items_key`.
 */
export function queryItems(ctx: StorageContext, connectorId: string, query: ItemQuery): Page<ItemStatus> {
  const db = ctx.db;
  const cid = cidOf(ctx, connectorId);
  if (cid === undefined) return { items: [], total: 0 };
  const params: Record<string, unknown> = { c: cid, limit: query.limit, offset: query.offset, n: query.offset + query.limit };
  const filters: string[] = [];
  const { entity, since, ref } = query;
  if (entity !== undefined) Object.assign(params, { upsertBucket: bucketOf(entity, 'upsert'), deleteBucket: bucketOf(entity, 'delete'), from: `${entity}:`, to: `${entity};` });
  if (since !== undefined) {
    filters.push('u >= @since');
    params.since = Date.parse(since);
  }
  if (ref !== undefined && ref !== '') {
    // instr() is case-sensitive, as the filter must be; the reference is the key after its type.
    filters.push("instr(substr(key, instr(key, ':') + 1), @ref) > 0");
    params.ref = ref;
  }
  const statuses = query.status !== undefined ? [query.status] : ITEM_STATES;
  const shape = `${statuses.join()}|${entity !== undefined}|${filters.join(' AND ')}`;
  // At most 4 statuses × 8 filter combinations: each pair of statements is prepared once.
  let q = ctx.queries.get(shape);
  if (!q) {
    const parts = statuses.map((st) => {
      // `st <> 'pending'` is the partial index's condition: it makes `items_done` usable.
      const where = st === 'pending' ? ['connector = @c', 'ob IS NOT NULL'] : ['connector = @c', "st <> 'pending'", `st = '${st}'`];
      if (entity !== undefined) where.push(st === 'pending' ? 'ob IN (@upsertBucket, @deleteBucket)' : 'key >= @from AND key < @to');
      return [...where, ...filters].join(' AND ');
    });
    const keys =
      parts.length === 1
        ? `SELECT key, u FROM items WHERE ${parts[0]} ${ITEM_ORDER} LIMIT @limit OFFSET @offset`
        : `SELECT key, u FROM (${parts.map((w) => `SELECT * FROM (SELECT key, u FROM items WHERE ${w} ${ITEM_ORDER} LIMIT @n)`).join(' UNION ALL ')}) ${ITEM_ORDER} LIMIT @limit OFFSET @offset`;
    const columns = ITEM_COLUMNS.split(', ').map((col) => `i.${col}`);
    q = {
      page: db.prepare(`WITH page AS (${keys}) SELECT ${columns.join(', ')} FROM page JOIN items AS i ON i.connector = @c AND i.key = page.key ORDER BY page.u DESC, page.key`),
      count: db.prepare(`SELECT ${parts.map((w) => `(SELECT count(*) FROM items WHERE ${w})`).join(' + ')}`).pluck(),
    };
    ctx.queries.set(shape, q);
  }
  // better-sqlite3 refuses named values a statement does not use.
  const used = (stmt: Statement) => Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`@${k}\\b`).test(stmt.source)));
  const rows = q.page.all(used(q.page)) as ItemDbRow[];
  const total = q.count.get(used(q.count)) as number;
  return { items: rows.map((r) => storedView(toStored(ctx.path, connectorId, r))), total };
}

/** The content hashes of the items of `keys` that have one. */
export function getHashes(ctx: StorageContext, c: string, keys: readonly string[]): Map<string, string> {
  return pick(ctx.s.getHash, c, keys, (r: { hash: unknown }, k) => text(rowAt(ctx.path, 'hashes', c, 'key', k), 'hash', r.hash));
}

/** The target ids of the items of `keys` that have one. */
export function getTargetIds(ctx: StorageContext, c: string, keys: readonly string[]): Map<string, string> {
  return pick(ctx.s.getTargetId, c, keys, (r: { id: unknown }, k) => text(rowAt(ctx.path, 'target_ids', c, 'key', k), 'id', r.id));
}

/** Sets target ids (`null` forgets one). */
export function setTargetIds(ctx: StorageContext, c: string, entries: ReadonlyArray<{ key: string; id: string | null }>): void {
  for (const { key, id } of entries) {
    if (id === null) ctx.s.deleteTargetId.run(c, key);
    else ctx.s.putTargetId.run(c, key, id);
  }
}

/** One value per key that has a row, read by `stmt` (connector, key) and checked by `value`. */
function pick<R>(stmt: Statement, c: string, keys: readonly string[], value: (r: R, key: string) => string): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of keys) {
    const r = stmt.get(c, k) as R | undefined;
    if (r !== undefined) out.set(k, value(r, k));
  }
  return out;
}
