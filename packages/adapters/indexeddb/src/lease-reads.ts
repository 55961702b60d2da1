import type { IDBPTransaction, StoreNames } from 'idb';
import { bucketOf, type LeaseRead, type QueueEntry } from '@shopsync/core';
import type { ItemRow, ShopsyncDB } from './schema.js';

/** Any transaction over the items store (a lease's is readwrite). */
type ItemsTx = IDBPTransaction<ShopsyncDB, StoreNames<ShopsyncDB>[], IDBTransactionMode>;

const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const CATEGORY_UPSERTS = bucketOf('category', 'upsert');

/** How many groups to read at once before any answer tells how large this lease's groups are. */
const FIRST_READ_AHEAD = 4;

/** A group that an entry of the last page opens: its product, and the categories the product names. */
interface PageGroup {
  parentRef: string;
  categoryRefs: readonly string[];
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
 */
export class LeaseReads {
  readonly #tx: ItemsTx;
  readonly #c: string;
  readonly #flying: (key: string) => boolean;
  /** The last `seq` handed out per bucket. */
  readonly #after = new Map<number, number>();
  readonly #variants = new Map<string, Promise<QueueEntry[]>>();
  readonly #categories = new Map<string, Promise<QueueEntry | undefined>>();
  /** The lease's size: every page asks for that many entries. */
  #limit = 1;
  /** Whether the last page is of product upserts (else its groups, if any, are of variants). */
  #productPage = false;
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

  /** `tx`: the lease's transaction; `flying(key)`: the key's change is in flight (the plan's own test). */
  constructor(tx: ItemsTx, connectorId: string, flying: (key: string) => boolean) {
    this.#tx = tx;
    this.#c = connectorId;
    this.#flying = flying;
  }

  /** The answer to one read of the plan (see `LeaseRead`). */
  answer(r: LeaseRead): Promise<QueueEntry[]> {
    if (r.read === 'next') return this.#next(r.bucket, r.size);
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
    const c = this.#c;
    this.#limit = size;
    const after = this.#after.get(bucket);
    const range =
      after === undefined ? IDBKeyRange.bound([c, bucket, -Infinity], [c, bucket, Infinity]) : IDBKeyRange.bound([c, bucket, after], [c, bucket, Infinity], true);
    const rows = await this.#tx.objectStore('items').index('byOrder').getAll(range, size);
    const last = rows.at(-1);
    if (last) this.#after.set(bucket, last.os!);
    const page = rows.map(pendingOf);
    this.#noteGroups(bucket, page);
    return page;
  }

  /** Notes the groups a page opens: one per product of product upserts, one per product of variant upserts. */
  #noteGroups(bucket: number, page: readonly QueueEntry[]): void {
    this.#productPage = bucket === PRODUCT_UPSERTS;
    this.#groups = [];
    this.#groupAt = new Map();
    this.#asked = this.#started = 0;
    if (bucket !== PRODUCT_UPSERTS && bucket !== VARIANT_UPSERTS) return;
    for (const e of page) {
      if (this.#flying(e.key)) continue;
      const c = e.change;
      let group: PageGroup | undefined;
      if (c.entity === 'product' && c.op === 'upsert') group = { parentRef: e.ref, categoryRefs: c.data.categoryRefs ?? [] };
      else if (c.entity === 'variant' && c.op === 'upsert') group = { parentRef: c.parentRef, categoryRefs: [] };
      if (group && !this.#groupAt.has(group.parentRef)) {
        this.#groupAt.set(group.parentRef, this.#groups.length);
        this.#groups.push(group);
      }
    }
  }

  #variantsAsked(parentRef: string): Promise<QueueEntry[]> {
    const at = this.#groupAt.get(parentRef);
    if (at !== undefined) this.#asked = Math.max(this.#asked, at);
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
