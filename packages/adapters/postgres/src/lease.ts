/**
 * The reads of a lease. Core's `planLease` decides what a lease hands out (product groups, see
 * core's lease-plan.ts) and asks its driver for three things; here each is answered from SQL
 * (sql.ts) inside the lease's transaction.
 *
 * A lease holds its connector's meta row locked (queue.ts), as every writer of the connector's
 * queue does: while it reads, nobody else changes what it reads, so the plan sees one state and
 * product groups come whole, as in every other adapter. Rows that live leases handed out are left
 * out in SQL. To save round trips, a page of product upserts comes with the pending categories
 * its products name (one query), and a product's variants are read with those of the next
 * products of the page (one query per 64 products).
 */
import { type QueueEntry } from '@shopsync/core';
import { LazyQueueEntry, bucketOf, type LeaseRead } from '@shopsync/core/internal';
import { count, drainColumns, fail, itemAt, toEntry, type At } from './records.js';
import type { ItemRow } from './items.js';
import type { Statements } from './sql.js';
import type { Db } from './transaction.js';

const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const PRODUCT = 'product:';
/** Products whose variants one query reads. */
const VARIANT_CHUNK = 64;

/** The key of a row the plan reads, checked. */
function keyOf(at: At, key: unknown): string {
  if (typeof key !== 'string') fail(at, 'key', 'an item key "type:ref"', key);
  return key as string;
}

/**
 * A row's pending change as the plan sees it (core's LazyQueueEntry): the change and the rest are
 * parsed and checked only when first looked at, or when the lease hands the entry out.
 */
class RowEntry extends LazyQueueEntry {
  /** The row's id (the lease names its rows by id). */
  readonly id: number;
  /** The product a product or variant upsert belongs to, as its columns file it (checked against the change at hand-out). */
  readonly group: string | undefined;
  #row: ItemRow;
  #at: At;

  constructor(at: At, row: ItemRow) {
    super(keyOf(at, row.key), count(at, 'os', row.os));
    this.id = row.id;
    this.group = row.ob === PRODUCT_UPSERTS && row.key.startsWith(PRODUCT) ? row.key.slice(PRODUCT.length) : row.ob === VARIANT_UPSERTS && typeof row.vp === 'string' ? row.vp : undefined;
    this.#row = row;
    this.#at = at;
  }

  /** Its change, and its drain columns against the change (records.ts). */
  protected load(): QueueEntry {
    const r = this.#row;
    const entry = toEntry(this.#at, r.key, r.pending, r.force, r.os, r.enqueued_at);
    drainColumns(this.#at, entry, r.ob, r.vp);
    return entry;
  }
}

/** What a lease hands out: the entries, checked whole, and their rows' ids, keys and seqs (the lease row's columns). */
export interface HandOut {
  items: QueueEntry[];
  ids: number[];
  keys: string[];
  seqs: number[];
}

/**
 * Answers the reads of one lease's plan for one connector (pass `read` to core's
 * `runLeasePlanAsync`), then hands out what the plan chose (`handOut`). `inflight`: the ids of
 * rows live leases handed out. A row read twice in a lease (a product's variant, then its
 * bucket) is one entry. A damaged row the plan looks at or hands out throws a
 * StorageCorruptError, which refuses the lease.
 */
export class LeaseReads {
  readonly #db: Db;
  readonly #sql: Statements;
  readonly #database: string;
  readonly #c: string;
  readonly #inflight: readonly number[];
  /** The entries read in this lease, by key. */
  readonly #read = new Map<string, RowEntry>();
  /** Per drain bucket, the seq of the last entry handed to the plan. */
  readonly #after = new Map<number, number>();
  /** Pending variant upserts by product, for the products whose variants were read. */
  readonly #variants = new Map<string, RowEntry[]>();
  /** Products whose variants the plan may ask for next, in page order. */
  #upcoming: string[] = [];
  /** Pending category upserts, by key, among those the products of the pages read name. */
  readonly #categories = new Map<string, RowEntry>();

  /** `database` names the storage in errors; `c` is the connector. */
  constructor(db: Db, sql: Statements, database: string, c: string, inflight: readonly number[]) {
    this.#db = db;
    this.#sql = sql;
    this.#database = database;
    this.#c = c;
    this.#inflight = inflight;
  }

  /** Answers one read of the plan. */
  readonly read = async (r: LeaseRead): Promise<QueueEntry[]> => {
    if (r.read === 'variants') {
      if (!this.#variants.has(r.parentRef)) await this.#readVariants(r.parentRef);
      return this.#variants.get(r.parentRef)!;
    }
    if (r.read === 'categories') return r.refs.map((ref) => this.#categories.get(`category:${ref}`)).filter((e): e is RowEntry => e !== undefined);
    const rows = await this.#db.query<ItemRow>(this.#sql.bucketPage, [this.#c, r.bucket, this.#after.get(r.bucket) ?? -1, r.size, this.#inflight]);
    const page = this.#entries(rows);
    if (page.length > 0) this.#after.set(r.bucket, page[page.length - 1]!.seq);
    if (r.bucket === PRODUCT_UPSERTS) await this.#readCategories(rows);
    if (r.bucket === PRODUCT_UPSERTS || r.bucket === VARIANT_UPSERTS) {
      this.#upcoming = [...new Set(page.map((e) => e.group).filter((g): g is string => g !== undefined && !this.#variants.has(g)))];
    }
    return page;
  };

  /** Reads the pending variant upserts of `ref` and of the next products of the page, in one query. */
  async #readVariants(ref: string): Promise<void> {
    const at = this.#upcoming.indexOf(ref);
    const refs = [ref, ...this.#upcoming.slice(at + 1).filter((r) => !this.#variants.has(r))].slice(0, VARIANT_CHUNK);
    for (const r of refs) this.#variants.set(r, []);
    for (const e of this.#entries(await this.#db.query<ItemRow>(this.#sql.groupVariants, [this.#c, refs, this.#inflight]))) {
      if (e.group !== undefined) this.#variants.get(e.group)?.push(e);
    }
  }

  /**
   * The pending category upserts the page's products name, in one query: the plan asks for each
   * product's, and most name none pending. A change that does not parse is left to the plan,
   * which refuses it if it reaches it.
   */
  async #readCategories(rows: readonly ItemRow[]): Promise<void> {
    const keys = new Set<string>();
    for (const row of rows) {
      try {
        const refs = (JSON.parse(String(row.pending)) as { data?: { categoryRefs?: unknown } }).data?.categoryRefs;
        if (Array.isArray(refs)) for (const ref of refs) if (typeof ref === 'string' && !this.#categories.has(`category:${ref}`)) keys.add(`category:${ref}`);
      } catch {
        // Damaged: the plan's own read of it says so.
      }
    }
    if (keys.size === 0) return;
    for (const e of this.#entries(await this.#db.query<ItemRow>(this.#sql.pendingCategories, [this.#c, [...keys], this.#inflight]))) this.#categories.set(e.key, e);
  }

  /** What the lease hands out of the entries the plan chose: each checked whole (a damaged one throws), and its row. */
  handOut(planned: readonly QueueEntry[]): HandOut {
    const out: HandOut = { items: [], ids: [], keys: [], seqs: [] };
    for (const { key } of planned) {
      const e = this.#read.get(key)!;
      out.items.push(e.entry);
      out.ids.push(e.id);
      out.keys.push(e.key);
      out.seqs.push(e.seq);
    }
    return out;
  }

  #entries(rows: readonly ItemRow[]): RowEntry[] {
    return rows.map((row) => {
      const known = typeof row.key === 'string' ? this.#read.get(row.key) : undefined;
      if (known) return known;
      const entry = new RowEntry(itemAt(this.#database, this.#c, row.key), row);
      this.#read.set(entry.key, entry);
      return entry;
    });
  }
}
