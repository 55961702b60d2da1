import { ENTITIES, SCHEMA_VERSION } from '../schemas/common.js';
import type { QueueEntry } from '../schemas/queue.js';
import { itemStatusSchema } from '../schemas/item.js';
import { itemKey, parseItemKey } from '../queue/keys.js';
import type { StoredItem } from './stored-item.js';
import { bucketOf } from '../queue/order.js';
import { formatPath } from '../validate.js';

/**
 * Checks of what a durable adapter reads back (SQLite, PostgreSQL): every value read goes through
 * one of these before it is used, so that a record of the wrong shape (damaged, or changed by hand
 * or by another program) is a StorageCorruptError naming the table, the row and the field, never
 * a SyntaxError, a TypeError or unsound data. Each adapter gives how it makes that error
 * (`corrupt`, with its `backend` and `location`) and where a value is (`at`: its table and row,
 * and whatever its error names).
 */

/** Where a value is read from, for errors: `row()` as a person finds it (made only on error: the hot path reads 100,000s). */
export interface RecordPlace {
  readonly table: string;
  row(): string;
}

/** What `safeParse` of a core schema answers (zod), without depending on zod here. */
export interface RecordSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/** A row as a person finds it: `connector "c", key "product:P1"`. */
export const rowOf = (connector: string, name: string, value: string | number): string => `connector ${JSON.stringify(connector)}, ${name} ${JSON.stringify(value)}`;

/** A short, safe picture of a found value for a message. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) return 'an object';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

const ENTITY_SET: ReadonlySet<string> = new Set(ENTITIES);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** ISO form of an epoch-ms instant, remembering the last one (a batch shares its enqueue time). */
const isoOf = (() => {
  let last = { ms: NaN, iso: '' };
  return (ms: number): string => {
    if (ms !== last.ms) last = { ms, iso: new Date(ms).toISOString() };
    return last.iso;
  };
})();

/** The checks, throwing what `corrupt` makes for a damaged field of the row `at`. */
export function recordChecks<A extends RecordPlace>(corrupt: (at: A, field: string, problem: string, cause?: unknown) => Error) {
  /** The JSON a text cell holds. */
  function json(at: A, field: string, cell: unknown): unknown {
    if (typeof cell !== 'string') return fail(at, field, 'JSON text', cell);
    try {
      return JSON.parse(cell) as unknown;
    } catch (err) {
      return fail(at, field, 'JSON text', cell, err);
    }
  }

  /** The JSON a text cell holds, as `schema` (one of core's) accepts it. */
  function record<T>(at: A, field: string, cell: unknown, schema: RecordSchema<T>): T {
    return shaped(at, field, json(at, field, cell), schema);
  }

  /** `value` as `schema` (one of core's) accepts it; else an error naming the first field refused. */
  function shaped<T>(at: A, field: string, value: unknown, schema: RecordSchema<T>): T {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw corrupt(at, formatPath(field, issue.path), issue.message);
  }

  function fail(at: A, field: string, expected: string, found: unknown, cause?: unknown): never {
    throw corrupt(at, field, `expected ${expected}, found ${shown(found)}`, cause);
  }

  /** A non-negative integer (counts, sequence numbers). */
  function count(at: A, field: string, cell: unknown): number {
    if (typeof cell === 'number' && Number.isSafeInteger(cell) && cell >= 0) return cell;
    return fail(at, field, 'a non-negative integer', cell);
  }

  /** Epoch ms of an instant `Date` can represent. */
  function instant(at: A, field: string, cell: unknown): number {
    if (typeof cell === 'number' && Number.isSafeInteger(cell) && Math.abs(cell) <= 8.64e15) return cell;
    return fail(at, field, 'an instant in epoch milliseconds', cell);
  }

  function text(at: A, field: string, cell: unknown): string {
    if (typeof cell === 'string' && cell.length > 0) return cell;
    return fail(at, field, 'non-empty text', cell);
  }

  /**
   * A queued change read on the hot path (every lease): parsed, and checked by hand for what the
   * engine and every target rely on. Core's `changeSchema` costs about as much as the parse itself
   * (measured on SQLite: +130 ms per 100,000 changes), and the
   * change was validated by it when enqueued: the check here is against damage of the stored row, so it
   * covers the structure: an object, its `entity` and `ref` those of the row's key, `op` upsert or
   * delete, an upsert's `data` an object (a category's and product's with a title, a variant's
   * with a price), a variant upsert's `parentRef` text.
   */
  function change(at: A, cell: unknown, key: unknown): QueueEntry['change'] {
    const c = json(at, 'pending', cell);
    if (!isObject(c)) return fail(at, 'pending', 'a change object', c);
    const entity = c['entity'];
    const ref = c['ref'];
    // The key is `${entity}:${ref}`, compared without cutting it (this runs once per item leased).
    if (typeof entity !== 'string' || !ENTITY_SET.has(entity)) return fail(at, 'pending.entity', 'category, product or variant', entity);
    if (typeof ref !== 'string' || ref === '') return fail(at, 'pending.ref', 'a reference', ref);
    if (typeof key !== 'string' || key.length !== entity.length + 1 + ref.length || !key.startsWith(entity) || key.charCodeAt(entity.length) !== 58 || !key.endsWith(ref)) {
      if (typeof key !== 'string') return fail(at, 'key', 'an item key "type:ref"', key);
      return key.startsWith(`${entity}:`) ? fail(at, 'pending.ref', "the reference of the row's key", ref) : fail(at, 'pending.entity', "the type of the row's key", entity);
    }
    const op = c['op'];
    if (op === 'upsert') {
      const data = c['data'];
      if (!isObject(data)) return fail(at, 'pending.data', 'an object', data);
      if (entity === 'variant') {
        const parentRef = c['parentRef'];
        if (typeof parentRef !== 'string' || parentRef === '') return fail(at, 'pending.parentRef', 'a reference', parentRef);
        if (typeof data['price'] !== 'string') return fail(at, 'pending.data.price', 'a price', data['price']);
      } else if (typeof data['title'] !== 'string' && !isObject(data['title'])) {
        return fail(at, 'pending.data.title', 'a title', data['title']);
      }
    } else if (op === 'delete') {
      if (c['parentRef'] !== undefined && typeof c['parentRef'] !== 'string') return fail(at, 'pending.parentRef', 'a reference', c['parentRef']);
    } else {
      return fail(at, 'pending.op', '"upsert" or "delete"', op);
    }
    return c as QueueEntry['change'];
  }

  /**
   * The queue entry a row holds, each part checked (the change by hand, `change` above: this is
   * the hot path). Keys are `type:ref` (core's itemKey): the change's type and reference must be the key's.
   */
  function toEntry(at: A, key: string, pending: unknown, force: unknown, seq: unknown, enqueuedAt: unknown): QueueEntry {
    const c = change(at, pending, key);
    if (force !== true && force !== false) fail(at, 'force', 'true or false', force);
    return {
      v: SCHEMA_VERSION,
      key,
      entity: c.entity,
      ref: c.ref,
      change: c,
      force,
      seq: count(at, 'os', seq),
      enqueuedAt: isoOf(instant(at, 'enqueued_at', enqueuedAt)),
    };
  }

  /**
   * The columns a lease finds a pending change by, checked against the change (each adapter's schema): `ob`
   * its drain bucket, `vp` the product of a variant upsert (NULL for any other change). A lease
   * reads rows through them, so a row they misfile would be leased out of its group or its turn.
   */
  function drainColumns(at: A, entry: QueueEntry, ob: unknown, vp: unknown): void {
    const c = entry.change;
    const bucket = bucketOf(c.entity, c.op);
    if (ob !== bucket) fail(at, 'ob', `${bucket}, the drain bucket of its ${c.entity} ${c.op}`, ob);
    const parent = c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : null;
    if (vp !== parent) fail(at, 'vp', parent === null ? `null (its ${c.entity} ${c.op} is not a variant upsert)` : `${JSON.stringify(parent)}, the parentRef of its change`, vp);
  }

  /**
   * An item row as a StoredItem: its pending change (if any, with `lastAt` from `u`) and its last
   * outcome (if any, core's itemStatusSchema, for the row's key); a row with neither is damaged.
   */
  function storedItem(at: A, r: { key: unknown; pending: unknown; force: unknown; os: unknown; enqueued_at: unknown; u: unknown; outcome: unknown }): StoredItem {
    if (typeof r.key !== 'string') fail(at, 'key', 'an item key "type:ref"', r.key);
    const key = r.key as string;
    const item: StoredItem = { key, ...parseItemKey(key) };
    if (r.pending !== null) {
      item.pending = toEntry(at, key, r.pending, r.force, r.os, r.enqueued_at);
      item.lastAt = instant(at, 'u', r.u);
    }
    if (r.outcome !== null) {
      const outcome = record(at, 'outcome', r.outcome, itemStatusSchema);
      if (itemKey(outcome.entity, outcome.ref) !== key) throw corrupt(at, 'outcome.ref', "expected the type and reference of the row's key");
      item.outcome = outcome;
    } else if (r.pending === null) {
      throw corrupt(at, 'pending', 'expected a queued change or an outcome, found neither');
    }
    return item;
  }

  return { json, record, shaped, fail, count, instant, text, change, toEntry, drainColumns, storedItem };
}

/** The checks of an adapter (see `recordChecks`). */
export type RecordChecks<A extends RecordPlace> = ReturnType<typeof recordChecks<A>>;
