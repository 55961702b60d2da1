import type { IDBPTransaction, StoreNames } from 'idb';
import { type QueueEntry } from '@shopsync/core';
import { bucketOf, planLease, runLeasePlanAsync, type LeaseRead } from '@shopsync/core/internal';
import type { ItemRow, ShopsyncDB } from './schema.js';

/** Any transaction over the items store (a lease's is readwrite). */
type ItemsTx = IDBPTransaction<ShopsyncDB, StoreNames<ShopsyncDB>[], IDBTransactionMode>;

const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const CATEGORY_UPSERTS = bucketOf('category', 'upsert');

/** How many groups to read at once before any answer tells how large this lease's groups are. */
const FIRST_READ_AHEAD = 4;

/** Rows of a bucket a page is cut to: those the last lease looked at, a quarter more, and a few. */
const cutTo = (looked: number): number => Math.ceil(looked * 1.25) + 8;

/** The plan went past the end of a page cut short: it must run again on whole pages. */
const CUT_SHORT = Symbol('cut short');

/** The rows of each upsert bucket a plan looked at (from the start of the bucket); the next lease reads about as many. */
export type PageHints = ReadonlyMap<number, number>;

/** A group that an entry of the last page opens: its product, the categories the product names, and where in the bucket its first entry is. */
interface PageGroup {
  parentRef: string;
  categoryRefs: readonly string[];
  row: number;
}

const pendingOf = (row: ItemRow): QueueEntry => row.pending!;

/**
 * Answers the reads of core's `planLease` for one lease, inside that lease's transaction (it
 * awaits nothing but requests of that transaction, so the transaction stays open):
 * - `next`: a page of one drain bucket through the `byOrder` index, one `getAll` with a count,
 *   starting just after the last `seq` this lease received from that bucket;
 * - `variants`: a product's pending variant upserts, one `getAll` on the `byParent` index;
 * - `categories`: the category rows by key, keeping their pending upserts.
 * Entries of keys in flight are answered too (the plan steps over them).
 *
 * The plan asks about one group at a time, and a request awaited alone costs a round trip to
 * the browser's storage process. So when the plan asks about a group of the current page whose
 * reads have not started, the reads of the groups after it start as well, as many as the lease
 * probably still has room for (judging by the groups answered so far), and they run together.
 * Nothing is written while a plan runs, so a read, once made, answers for the whole lease.
 *
 * A page is `size` rows (the lease's limit), but a lease of product groups looks at fewer: 250
 * entries are about 84 products with two variants each. So the first page of the product and
 * variant upsert buckets is cut to about as many rows as the connector's last lease looked at
 * (`PageHints`). If the plan goes past the end of a page cut short (it asks for the next
 * page, taking the short page for the end of its bucket), its answer could differ from the
 * one whole pages give: it runs again from the start on whole pages, the rows and groups read
 * so far answering again, and only the rest of the cut page is read. Otherwise it stopped
 * inside the page, where a whole page would have given it the same rows: its answer stands.
 */
export class LeaseReads {
  readonly #tx: ItemsTx;
  readonly #c: string;
  readonly #flying: (key: string) => boolean;
  readonly #hints: PageHints;
  /** The rows of each bucket this lease looked at (see `PageHints`). */
  readonly looked = new Map<number, number>();
  /** The pages cut short, by bucket; `#short` while the last page answered is one of them. */
  readonly #cut = new Map<number, ItemRow[]>();
  #short = false;
  /** Pages are whole: a plan went past a page cut short. */
  #whole = false;
  /** Rows of the bucket before the last page. */
  #before = 0;
  /** The last `seq` handed out per bucket. */
  readonly #after = new Map<number, number>();
  readonly #variants = new Map<string, Promise<QueueEntry[]>>();
  readonly #categories = new Map<string, Promise<QueueEntry | undefined>>();
  /** The lease's size: every page asks for that many entries. */
  #limit = 1;
  /** The bucket of the last page, and whether it is of product upserts (else its groups, if any, are of variants). */
  #bucket = -1;
  #productPage = false;
  /** Rows in the last page. */
  #pageRows = 0;
  /** The groups the last page opens, in page order, and where each one is. */
  #groups: PageGroup[] = [];
  #groupAt = new Map<string, number>();
  /** The plan has asked about the groups before this one. */
  #asked = 0;
  /** The groups before this one have their reads started. */
  #started = 0;
  /** About how many entries the plan has taken (before stepping over keys in flight), in how many groups. */
  #taken = 0;
  #answered = 0;

  /** `tx`: the lease's transaction; `flying(key)`: the key's change is in flight (the plan's own test); `hints`: the last lease's `looked`. */
  constructor(tx: ItemsTx, connectorId: string, flying: (key: string) => boolean, hints: PageHints = new Map()) {
    this.#tx = tx;
    this.#c = connectorId;
    this.#flying = flying;
    this.#hints = hints;
  }

  /** What one lease of at most `limit` entries takes: core's `planLease`, answered here. */
  async plan(limit: number): Promise<QueueEntry[]> {
    try {
      return await runLeasePlanAsync(planLease(limit, this.#flying), (r) => this.answer(r));
    } catch (err) {
      if (err !== CUT_SHORT) throw err;
    }
    this.#whole = true;
    this.#short = false;
    this.#after.clear();
    this.looked.clear();
    this.#taken = this.#answered = 0;
    return runLeasePlanAsync(planLease(limit, this.#flying), (r) => this.answer(r));
  }

  /** The answer to one read of the plan (see `LeaseRead`). */
  answer(r: LeaseRead): Promise<QueueEntry[]> {
    if (r.read === 'next') {
      // After a page cut short, the plan asks for more only once it went past its end.
      if (this.#short) return Promise.reject(CUT_SHORT);
      return this.#next(r.bucket, r.size);
    }
    if (r.read === 'variants') return this.#variantsAsked(r.parentRef);
    // A product's categories are asked before its variants: the product is the next group to ask about.
    if (r.refs.some((ref) => !this.#categories.has(ref))) this.#readAhead();
    return Promise.all(r.refs.map((ref) => this.#category(ref))).then((found) => {
      const categories = found.filter((e): e is QueueEntry => e !== undefined);
      this.#taken += categories.length;
      return categories;
    });
  }

  async #next(bucket: number, size: number): Promise<QueueEntry[]> {
    this.#limit = size;
    const after = this.#after.get(bucket);
    const cut = after === undefined ? this.#cut.get(bucket) : undefined;
    let rows: ItemRow[];
    if (this.#whole && cut) {
      // The rest of a page read cut short before.
      rows = [...cut, ...(await this.#rows(bucket, cut.at(-1)!.os!, size - cut.length))];
    } else {
      const hint = after === undefined && !this.#whole ? this.#hints.get(bucket) : undefined;
      const count = hint === undefined ? size : Math.min(size, cutTo(hint));
      rows = await this.#rows(bucket, after, count);
      if (count < size && rows.length === count) {
        this.#cut.set(bucket, rows);
        this.#short = true;
      }
    }
    this.#before = after === undefined ? 0 : this.#before + this.#pageRows;
    this.#pageRows = rows.length;
    const last = rows.at(-1);
    if (last) this.#after.set(bucket, last.os!);
    const page = rows.map(pendingOf);
    this.#noteGroups(bucket, page);
    return page;
  }

  /** Up to `count` rows of `bucket` in drain order, after `seq` `after` (from the start without). */
  #rows(bucket: number, after: number | undefined, count: number): Promise<ItemRow[]> {
    const c = this.#c;
    const range = after === undefined ? IDBKeyRange.bound([c, bucket, -Infinity], [c, bucket, Infinity]) : IDBKeyRange.bound([c, bucket, after], [c, bucket, Infinity], true);
    return this.#tx.objectStore('items').index('byOrder').getAll(range, count);
  }

  /** Notes the groups a page opens: one per product of product upserts, one per product of variant upserts. */
  #noteGroups(bucket: number, page: readonly QueueEntry[]): void {
    this.#bucket = bucket;
    this.#productPage = bucket === PRODUCT_UPSERTS;
    this.#groups = [];
    this.#groupAt = new Map();
    this.#asked = this.#started = 0;
    if (bucket !== PRODUCT_UPSERTS && bucket !== VARIANT_UPSERTS) return;
    for (const [i, e] of page.entries()) {
      if (this.#flying(e.key)) continue;
      const c = e.change;
      const row = this.#before + i;
      let group: PageGroup | undefined;
      if (c.entity === 'product' && c.op === 'upsert') group = { parentRef: e.ref, categoryRefs: c.data.categoryRefs ?? [], row };
      else if (c.entity === 'variant' && c.op === 'upsert') group = { parentRef: c.parentRef, categoryRefs: [], row };
      if (group && !this.#groupAt.has(group.parentRef)) {
        this.#groupAt.set(group.parentRef, this.#groups.length);
        this.#groups.push(group);
      }
    }
  }

  #variantsAsked(parentRef: string): Promise<QueueEntry[]> {
    const at = this.#groupAt.get(parentRef);
    if (at !== undefined) {
      this.#asked = Math.max(this.#asked, at);
      // The plan has looked at the bucket up to this group's first entry.
      this.looked.set(this.#bucket, Math.max(this.looked.get(this.#bucket) ?? 0, this.#groups[at]!.row + 1));
    }
    if (!this.#variants.has(parentRef)) this.#readAhead();
    if (at !== undefined) this.#asked = Math.max(this.#asked, at + 1);
    const product = this.#productPage ? 1 : 0;
    return this.#variantsOf(parentRef).then((variants) => {
      this.#taken += product + variants.length;
      this.#answered += 1;
      return variants;
    });
  }

  /** Starts the reads of the next groups to ask about, as many as the lease probably has room for. */
  #readAhead(): void {
    let count = FIRST_READ_AHEAD;
    if (this.#answered > 0) {
      const perGroup = Math.max(1, this.#taken / this.#answered);
      // One more than fits: the plan reads the group that does not fit before it stops.
      count = Math.ceil(Math.max(0, this.#limit - this.#taken) / perGroup) + 1;
    }
    const until = Math.min(this.#groups.length, this.#asked + count);
    for (let i = Math.max(this.#asked, this.#started); i < until; i++) {
      const group = this.#groups[i]!;
      for (const ref of group.categoryRefs) void this.#category(ref);
      void this.#variantsOf(group.parentRef);
    }
    this.#started = Math.max(this.#started, until);
  }

  #variantsOf(parentRef: string): Promise<QueueEntry[]> {
    let found = this.#variants.get(parentRef);
    if (!found) {
      found = this.#tx.objectStore('items').index('byParent').getAll([this.#c, parentRef]).then((rows) => rows.map(pendingOf));
      found.catch(() => undefined); // read ahead and never asked for: not an unhandled rejection
      this.#variants.set(parentRef, found);
    }
    return found;
  }

  #category(ref: string): Promise<QueueEntry | undefined> {
    let found = this.#categories.get(ref);
    if (!found) {
      found = this.#tx
        .objectStore('items')
        .get([this.#c, `category:${ref}`])
        .then((row) => (row?.ob === CATEGORY_UPSERTS ? row.pending : undefined));
      found.catch(() => undefined);
      this.#categories.set(ref, found);
    }
    return found;
  }
}
