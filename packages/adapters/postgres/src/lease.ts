/**
 * The reads of a lease. Core's `planLease` decides what a lease hands out (product groups, see
 * core's lease-plan.ts) and asks its driver for three things; here each is answered by one
 * statement (sql.ts) inside the lease's transaction, after an await.
 *
 * Many processes lease from one connector at once, so every row a plan sees is locked as it is
 * read (`FOR UPDATE SKIP LOCKED`): what this lease may hand out, no other can, and rows another
 * transaction holds are skipped, never waited for. Rows in flight (`lease_id` set) are not read
 * at all: the plan would step over them anyway.
 *
 * Skipping row by row would split product groups: a product locked by one lease while another
 * takes its variants. So a product group (a product upsert and the variant upserts naming it) is
 * taken whole or not at all: when a page of the product or variant upserts is read, the groups
 * of its rows are locked with it, and a group any free row of which another transaction holds is
 * stepped over whole (`flying`), as if in flight. So is a group whose product upsert arrived
 * after the plan went past the product upserts (its variants must not go without it). Categories
 * a product names are pulled in row by row: one another lease holds is, for this lease, in flight.
 *
 * With one process (the conformance and property tests) nothing is ever held elsewhere, and the
 * answers are exactly those of the other adapters.
 */
import { SCHEMA_VERSION, bucketOf, type LeaseRead, type QueueEntry } from '@shopsync/core';
import { count, drainColumns, fail, itemAt, toEntry, type At } from './records.js';
import type { ItemRow } from './items.js';
import type { Statements } from './sql.js';
import type { Db } from './transaction.js';

const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const PRODUCT = 'product:';

/**
 * A row's pending change as the plan sees it. `key` and `seq` are read and checked at once (the
 * plan steps over keys and pages by seq); the change and the rest are parsed and checked when
 * first looked at, or when the lease hands the entry out.
 */
class RowEntry implements QueueEntry {
  readonly v = SCHEMA_VERSION;
  readonly key: string;
  readonly seq: number;
  /** The row's id (the lease claims rows by id). */
  readonly id: number;
  /** The product group of a product or variant upsert, as its columns file it (checked against the change at hand-out). */
  readonly group: string | undefined;
  #row: ItemRow | undefined;
  #at: At;
  #entry: QueueEntry | undefined;

  constructor(at: At, row: ItemRow) {
    if (typeof row.key !== 'string') fail(at, 'key', 'an item key "type:ref"', row.key);
    this.key = row.key;
    this.seq = count(at, 'os', row.os);
    this.id = row.id;
    this.group = row.ob === PRODUCT_UPSERTS && row.key.startsWith(PRODUCT) ? row.key.slice(PRODUCT.length) : row.ob === VARIANT_UPSERTS && typeof row.vp === 'string' ? row.vp : undefined;
    this.#row = row;
    this.#at = at;
  }

  /** The entry, checked whole (records.ts: its change, and its drain columns against the change). */
  get entry(): QueueEntry {
    if (!this.#entry) {
      const r = this.#row!;
      const entry = toEntry(this.#at, r.key, r.pending, r.force, r.os, r.enqueued_at);
      drainColumns(this.#at, entry, r.ob, r.vp);
      this.#entry = entry;
      this.#row = undefined;
    }
    return this.#entry;
  }
  get entity(): QueueEntry['entity'] {
    return this.entry.entity;
  }
  get ref(): string {
    return this.entry.ref;
  }
  get change(): QueueEntry['change'] {
    return this.entry.change;
  }
  get force(): boolean {
    return this.entry.force;
  }
  get enqueuedAt(): string {
    return this.entry.enqueuedAt;
  }
}

/** A product group as this lease found it: its free variant upserts (locked), or held elsewhere. */
interface Group {
  held: boolean;
  variants: RowEntry[];
}

/**
 * Answers the reads of one lease's plan for one connector (pass `read` to core's
 * `runLeasePlanAsync`, and `flying` to `planLease`), then hands out what the plan chose
 * (`handOut`). A row read twice in a lease (a product's variant, then its bucket) is one entry.
 * A damaged row the plan looks at or hands out throws a StorageCorruptError, which refuses the lease.
 */
export class LeaseReads {
  readonly #db: Db;
  readonly #sql: Statements;
  readonly #database: string;
  readonly #c: string;
  /** The entries read (and locked) in this lease, by key. */
  readonly #read = new Map<string, RowEntry>();
  /** Per drain bucket, the seq of the last entry handed to the plan. */
  readonly #after = new Map<number, number>();
  /** Product groups met so far, by product reference. */
  readonly #groups = new Map<string, Group>();
  /** Products the plan met among the product upserts. */
  readonly #met = new Set<string>();
  /** Keys of groups held elsewhere: the plan steps over them. */
  readonly #skip = new Set<string>();
  /** Category upserts found pending for the products read (undefined until a page of products is read). */
  #pendingCategories: Set<string> | undefined;

  /** `database` names the storage in errors; `c` is the connector. */
  constructor(db: Db, sql: Statements, database: string, c: string) {
    this.#db = db;
    this.#sql = sql;
    this.#database = database;
    this.#c = c;
  }

  /** For `planLease`: the key is not to be leased now (its group is held by another transaction). */
  readonly flying = (key: string): boolean => this.#skip.has(key);

  /** Answers one read of the plan. */
  readonly read = async (r: LeaseRead): Promise<QueueEntry[]> => {
    if (r.read === 'variants') {
      const group = this.#groups.get(r.parentRef) ?? (await this.#lockGroups([r.parentRef])).get(r.parentRef)!;
      return group.held ? [] : group.variants;
    }
    if (r.read === 'categories') {
      // Only those found pending when their products' page was read (most products name none pending): no query for the others.
      const keys = r.refs.map((ref) => `category:${ref}`).filter((key) => this.#pendingCategories?.has(key) ?? true);
      return keys.length ? this.#entries(await this.#db.query<ItemRow>(this.#sql.lockCategories, [this.#c, keys])) : [];
    }
    const rows = await this.#db.query<ItemRow>(this.#sql.bucketPage, [this.#c, r.bucket, this.#after.get(r.bucket) ?? -1, r.size]);
    const page = this.#entries(rows);
    if (page.length > 0) this.#after.set(r.bucket, page[page.length - 1]!.seq);
    if (r.bucket === PRODUCT_UPSERTS) {
      for (const e of page) if (e.group !== undefined) this.#met.add(e.group);
      await this.#findCategories(rows);
    }
    if (r.bucket === PRODUCT_UPSERTS || r.bucket === VARIANT_UPSERTS) {
      const fresh = [...new Set(page.map((e) => e.group).filter((g): g is string => g !== undefined && !this.#groups.has(g)))];
      if (fresh.length) await this.#lockGroups(fresh);
      for (const e of page) if (e.group !== undefined && this.#groups.get(e.group)!.held) this.#skip.add(e.key);
    }
    return page;
  };

  /**
   * Which of the categories the page's products name are pending and free (read, not locked):
   * the plan asks for each product's, and most name none pending. A change that does not parse
   * is left to the plan, which refuses it if it reaches it.
   */
  async #findCategories(rows: readonly ItemRow[]): Promise<void> {
    const keys = new Set<string>();
    for (const row of rows) {
      try {
        const refs = (JSON.parse(String(row.pending)) as { data?: { categoryRefs?: unknown } }).data?.categoryRefs;
        if (Array.isArray(refs)) for (const ref of refs) if (typeof ref === 'string') keys.add(`category:${ref}`);
      } catch {
        // Damaged: the plan's own read of it says so.
      }
    }
    this.#pendingCategories ??= new Set();
    if (keys.size === 0) return;
    for (const { key } of await this.#db.query<{ key: string }>(this.#sql.pendingCategories, [this.#c, [...keys]])) this.#pendingCategories.add(key);
  }

  /**
   * Locks the free rows of product groups (their product upserts and variant upserts), and finds
   * which groups are held: a free row of theirs is locked by another transaction, or their
   * product upsert is free but was not among those the plan met (it arrived since).
   */
  async #lockGroups(refs: readonly string[]): Promise<Map<string, Group>> {
    const productKeys = refs.map((ref) => PRODUCT + ref);
    const rows = await this.#db.query<ItemRow>(this.#sql.lockGroups, [this.#c, refs, productKeys]);
    const locked = this.#entries(rows);
    const held = await this.#db.query<{ key: string; vp: string | null }>(this.#sql.heldGroupRows, [this.#c, refs, productKeys, rows.map((row) => row.id)]);
    for (const ref of refs) this.#groups.set(ref, { held: false, variants: [] });
    const group = (ref: string | undefined) => (ref === undefined ? undefined : this.#groups.get(ref));
    for (const e of locked) {
      const g = group(e.group);
      if (!g) continue;
      if (e.key.startsWith(PRODUCT)) g.held ||= !this.#met.has(e.group!);
      else g.variants.push(e);
    }
    for (const h of held) {
      const g = group(h.key.startsWith(PRODUCT) ? h.key.slice(PRODUCT.length) : (h.vp ?? undefined));
      if (g) g.held = true;
    }
    for (const ref of refs) {
      const g = this.#groups.get(ref)!;
      if (!g.held) continue;
      this.#skip.add(PRODUCT + ref);
      for (const v of g.variants) this.#skip.add(v.key);
    }
    return this.#groups;
  }

  /**
   * What the lease hands out of the entries the plan chose: each checked whole (a damaged one
   * throws), and the ids of their rows, to claim.
   */
  handOut(planned: readonly QueueEntry[]): { items: QueueEntry[]; ids: number[] } {
    const items: QueueEntry[] = [];
    const ids: number[] = [];
    for (const { key } of planned) {
      const e = this.#read.get(key)!;
      items.push(e.entry);
      ids.push(e.id);
    }
    return { items, ids };
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
