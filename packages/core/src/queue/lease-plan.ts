/**
 * What one lease hands out, decided here once for every storage adapter.
 *
 * The unit is a **product group**, so that a target can write a product once:
 * - a product upsert, with the pending upserts of the categories it names (first: the target
 *   makes a collection before the product that joins it) and of its variants;
 * - or, for a product with no pending change, the pending upserts of its variants.
 * Product groups go by the arrival of their product (or of their first variant). Then come the
 * categories no pending product needs, then deletions: variants, products, categories (children
 * before their parents). Inside each kind, entries go by `seq` (first arrival).
 *
 * A lease never splits a group: a group that does not fit waits for the next lease, which it
 * opens. Only a group larger than the whole limit is split, its first `limit` entries in group
 * order (categories, product, variants by arrival); the rest form a group of their own later.
 * Items in flight (leased and not yet ended) are never handed out, nor pulled into a group.
 *
 * The plan is a generator: it asks its driver, the adapter, for what it needs to read (the next
 * page of a drain bucket, a product's pending variants, the pending categories among some
 * references) and returns the entries to lease. Memory and SQLite answer synchronously,
 * IndexedDB and PostgreSQL after awaiting; the decisions are the same everywhere.
 */
import type { QueueEntry } from '../schemas/queue.js';
import { bucketOf } from './order.js';

/** Drain buckets in the order leases take them (see `bucketOf`). */
export const LEASE_ORDER: readonly number[] = [
  bucketOf('product', 'upsert'),
  bucketOf('variant', 'upsert'),
  bucketOf('category', 'upsert'),
  bucketOf('variant', 'delete'),
  bucketOf('product', 'delete'),
  bucketOf('category', 'delete'),
];

/** What the plan asks its driver to read. Every answer is a list of pending entries. */
export type LeaseRead =
  /**
   * The next `size` pending entries of a drain bucket by `seq`, continuing after the last entry
   * this plan received from that bucket (the first read of a bucket starts at its beginning).
   * Entries of keys in flight are included (the plan steps over them); fewer than `size` means
   * the bucket has no more.
   */
  | { read: 'next'; bucket: number; size: number }
  /** The pending variant upserts whose `parentRef` is this product, in any order. */
  | { read: 'variants'; parentRef: string }
  /** The pending category upserts among these references, in any order. */
  | { read: 'categories'; refs: readonly string[] };

/**
 * A lease being planned: it yields each read it needs and returns the entries to lease (see
 * `planLease`, and `runLeasePlan` to answer its reads).
 */
export type LeasePlan = Generator<LeaseRead, QueueEntry[], QueueEntry[]>;

const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');

function categoryRefsOf(e: QueueEntry): string[] {
  const c = e.change;
  return c.entity === 'product' && c.op === 'upsert' ? [...new Set(c.data.categoryRefs ?? [])] : [];
}

function parentRefOf(e: QueueEntry): string | undefined {
  const c = e.change;
  return c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : undefined;
}

const bySeq = (a: QueueEntry, b: QueueEntry) => a.seq - b.seq;

/**
 * Plans one lease of at most `limit` entries (a group larger than `limit` is cut to it).
 * `flying(key)`: the key's change is in flight, so it is not leased now.
 */
export function* planLease(limit: number, flying: (key: string) => boolean): LeasePlan {
  const out: QueueEntry[] = [];
  const taken = new Set<string>();
  const free = (e: QueueEntry) => !taken.has(e.key) && !flying(e.key);
  /** Adds a group; false when the lease is full or the group must open the next one. */
  const add = (group: readonly QueueEntry[]): boolean => {
    if (group.length === 0) return true;
    if (out.length > 0 && out.length + group.length > limit) return false;
    for (const e of group.slice(0, limit - out.length)) {
      out.push(e);
      taken.add(e.key);
    }
    return out.length < limit;
  };
  const size = Math.max(1, limit);
  for (const bucket of LEASE_ORDER) {
    for (;;) {
      const page: QueueEntry[] = yield { read: 'next', bucket, size };
      for (const e of page) {
        if (!free(e)) continue;
        let group: QueueEntry[] = [e];
        if (bucket === PRODUCT_UPSERTS) {
          const refs = categoryRefsOf(e);
          const found = refs.length ? yield { read: 'categories', refs } : [];
          const byRef = new Map(found.filter((c) => c.change.entity === 'category' && c.change.op === 'upsert').map((c) => [c.ref, c]));
          const categories = refs.map((r) => byRef.get(r)).filter((c): c is QueueEntry => c !== undefined && free(c));
          const variants: QueueEntry[] = yield { read: 'variants', parentRef: e.ref };
          group = [...categories, e, ...variants.filter((v) => free(v) && parentRefOf(v) === e.ref).sort(bySeq)];
        } else if (bucket === VARIANT_UPSERTS) {
          const parent = parentRefOf(e)!;
          const variants: QueueEntry[] = yield { read: 'variants', parentRef: parent };
          const siblings = variants.filter((v) => v.key !== e.key && free(v) && parentRefOf(v) === parent);
          group = [e, ...siblings].sort(bySeq);
        }
        if (!add(group)) return out;
      }
      if (page.length < size) break;
    }
  }
  return out;
}

/** Runs a plan whose reads are answered synchronously (memory, SQLite inside a transaction). */
export function runLeasePlan(plan: LeasePlan, answer: (read: LeaseRead) => QueueEntry[]): QueueEntry[] {
  let step = plan.next();
  while (!step.done) step = plan.next(answer(step.value));
  return step.value;
}

/** Runs a plan whose reads are answered asynchronously (IndexedDB, PostgreSQL). */
export async function runLeasePlanAsync(plan: LeasePlan, answer: (read: LeaseRead) => Promise<QueueEntry[]> | QueueEntry[]): Promise<QueueEntry[]> {
  let step = plan.next();
  while (!step.done) step = plan.next(await answer(step.value));
  return step.value;
}
