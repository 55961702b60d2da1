/**
 * The reads of a lease. Core's `planLease` decides what a lease hands out (product groups, see
 * core's lease-plan.ts) and asks its driver for three things; here each is one prepared
 * statement over one index of `items` (schema.ts), answered synchronously inside the lease's
 * transaction (better-sqlite3: nothing is awaited there).
 */
import type { Database, Statement } from 'better-sqlite3';
import { type QueueEntry } from '@shopsync/core';
import { LazyQueueEntry, bucketOf, type LeaseRead } from '@shopsync/core/internal';
import { count, drainColumns, fail, itemAt, toEntry, type At } from './records.js';

/** What every lease read selects, as a raw row: [id, key, pending, force, enqueued_at, os, ob, vp]. */
const COLUMNS = 'id, key, pending, force, enqueued_at, os, ob, vp';
type LeaseRow = [number, string, unknown, unknown, unknown, unknown, unknown, unknown];

const CATEGORY_UPSERTS = bucketOf('category', 'upsert');

/** The statements of a lease's reads, each over one index of `items`. */
export interface LeaseStatements {
  /** The first rows of a drain bucket by seq (`items_order`). */
  bucketStart: Statement;
  /** The next rows of a drain bucket, after a seq (`items_order`). */
  bucketAfter: Statement;
  /** The pending variant upserts of a product (`items_parent`). */
  variantsOf: Statement;
  /** An item's row if its pending change is in a given bucket (`items_key`). */
  pendingIn: Statement;
}

/** Prepares the statements of a lease's reads (once per connection). */
export function prepareLeaseReads(db: Database): LeaseStatements {
  return {
    bucketStart: db.prepare(`SELECT ${COLUMNS} FROM items WHERE connector = ? AND ob = ? ORDER BY os LIMIT ?`).raw(),
    bucketAfter: db.prepare(`SELECT ${COLUMNS} FROM items WHERE connector = ? AND ob = ? AND os > ? ORDER BY os LIMIT ?`).raw(),
    variantsOf: db.prepare(`SELECT ${COLUMNS} FROM items WHERE connector = ? AND vp = ?`).raw(),
    pendingIn: db.prepare(`SELECT ${COLUMNS} FROM items WHERE connector = ? AND key = ? AND ob = ?`).raw(),
  };
}

/** The key of a row the plan reads, checked. */
function keyOf(at: At, key: unknown): string {
  if (typeof key !== 'string') fail(at, 'key', 'an item key "type:ref"', key);
  return key as string;
}

/**
 * A row's pending change as the plan sees it (core's LazyQueueEntry): the change and the rest are
 * parsed and checked only when first looked at. A page holds more rows than a lease takes: the
 * rows the plan does not reach are not parsed.
 */
class RowEntry extends LazyQueueEntry {
  /** The item's row id (a lease row names its rows by id). */
  readonly id: number;
  #row: LeaseRow;
  #at: At;

  constructor(at: At, row: LeaseRow) {
    super(keyOf(at, row[1]), count(at, 'os', row[5]));
    this.id = row[0];
    this.#row = row;
    this.#at = at;
  }

  /** Its change, and its drain columns against the change (records.ts). */
  protected load(): QueueEntry {
    const [, key, pending, force, enqueuedAt, seq, ob, vp] = this.#row;
    const entry = toEntry(this.#at, key, pending, force, seq, enqueuedAt);
    drainColumns(this.#at, entry, ob, vp);
    return entry;
  }
}

/**
 * Answers the reads of one lease's plan for one connector (pass `read` to core's `runLeasePlan`),
 * then hands out what the plan chose (`handOut`). Rows of keys in flight are answered too: the
 * plan steps over them. A row read twice in a lease (a product's variant, then its bucket) is
 * one entry. A damaged row the plan looks at or hands out throws a StorageCorruptError, which
 * refuses the lease.
 */
export class LeaseReads {
  readonly #s: LeaseStatements;
  readonly #path: string;
  readonly #connector: string;
  readonly #cid: number;
  /** The entries read in this lease, by key. */
  readonly #read = new Map<string, RowEntry>();
  /** Per drain bucket, the seq of the last entry handed to the plan. */
  readonly #after = new Map<number, number>();

  /** `connector` is the connector's name (for errors), `cid` its number in `connectors`. */
  constructor(s: LeaseStatements, path: string, connector: string, cid: number) {
    this.#s = s;
    this.#path = path;
    this.#connector = connector;
    this.#cid = cid;
  }

  /** Answers one read of the plan. */
  readonly read = (r: LeaseRead): QueueEntry[] => {
    if (r.read === 'variants') return this.#all(this.#s.variantsOf.all(this.#cid, r.parentRef));
    if (r.read === 'categories') {
      const out: QueueEntry[] = [];
      for (const ref of r.refs) {
        const row = this.#s.pendingIn.get(this.#cid, `category:${ref}`, CATEGORY_UPSERTS) as LeaseRow | undefined;
        if (row) out.push(this.#entry(row));
      }
      return out;
    }
    const after = this.#after.get(r.bucket);
    const page = this.#all(after === undefined ? this.#s.bucketStart.all(this.#cid, r.bucket, r.size) : this.#s.bucketAfter.all(this.#cid, r.bucket, after, r.size));
    if (page.length > 0) this.#after.set(r.bucket, page[page.length - 1]!.seq);
    return page;
  };

  /**
   * What the lease hands out of the entries the plan chose: each checked whole (a damaged one
   * throws), and the lease row's flat [key, item id, seq] triples.
   */
  handOut(planned: readonly QueueEntry[]): { items: QueueEntry[]; keys: Array<string | number> } {
    const items: QueueEntry[] = [];
    const keys: Array<string | number> = [];
    for (const { key } of planned) {
      const e = this.#read.get(key)!;
      items.push(e.entry);
      keys.push(key, e.id, e.seq);
    }
    return { items, keys };
  }

  #all(rows: unknown[]): QueueEntry[] {
    return (rows as LeaseRow[]).map((row) => this.#entry(row));
  }

  #entry(row: LeaseRow): RowEntry {
    const known = typeof row[1] === 'string' ? this.#read.get(row[1]) : undefined;
    if (known) return known;
    const entry = new RowEntry(itemAt(this.#path, this.#connector, row[1]), row);
    this.#read.set(entry.key, entry);
    return entry;
  }
}
