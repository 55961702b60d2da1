/**
 * The queue's algebra as a property test (fast-check), for every storage adapter: coalescing (the
 * newest change of a key wins, a key keeps its place while its op is the same), product groups (a
 * product with the categories it names and its variants; the variants of a product with no
 * pending change together; a group is never split unless alone it exceeds the lease), the order
 * of kinds (product groups, categories no product needs, then deletions of variants, products,
 * categories), leases, acks, releases and exact counts. Whatever the interleaving, nothing is
 * lost: the last change of every key is delivered.
 *
 * The model below says the rules as plainly as they can be said, over a flat list; it shares no
 * code with core's `planLease`, so the two check each other.
 *
 * fast-check is loaded when a property runs (a peer dependency of this entry, needed only here):
 * hosts that use the other helpers of `@shopsync/core/testing` need not install it.
 */
import type * as FastCheck from 'fast-check';
import { canonicalJson } from '../hash.js';
import { toQueueEntries } from '../queue/queue.js';
import type { Change } from '../schemas/change.js';
import type { Entity } from '../schemas/common.js';
import type { ItemStatus } from '../schemas/item.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { deepEqual } from './assert.js';
import type { SuiteHost } from './conformance.js';

const C = 'conn';
const REFS = ['a', 'b', 'c', 'd', 'e'] as const;
const PARENTS = ['a', 'b', 'c'] as const;

interface ChangeSpec {
  entity: Entity;
  ref: string;
  op: 'upsert' | 'delete';
  force: boolean;
  /** A variant's product. */
  parent: string;
  /** A product's categories. */
  cats: string[];
}

type Op =
  | { kind: 'enqueue'; changes: ChangeSpec[] }
  | { kind: 'lease'; limit: number }
  | { kind: 'ack'; lease: number; finish: boolean[] }
  | { kind: 'release'; lease: number };

/** The generators of changes and of operations. */
function arbitraries(fc: typeof FastCheck) {
  const change: FastCheck.Arbitrary<ChangeSpec> = fc.record({
    entity: fc.constantFrom<Entity>('category', 'product', 'variant', 'variant'),
    ref: fc.constantFrom(...REFS),
    op: fc.constantFrom<'upsert' | 'delete'>('upsert', 'upsert', 'upsert', 'delete'),
    force: fc.boolean(),
    parent: fc.constantFrom(...PARENTS),
    cats: fc.subarray([...PARENTS]),
  });
  const op: FastCheck.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), changes: fc.array(change, { minLength: 1, maxLength: 6 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('lease' as const), limit: fc.integer({ min: 1, max: 6 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), lease: fc.nat(5), finish: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), lease: fc.nat(5) }) },
  );
  return { change, op };
}

interface ModelEntry {
  key: string;
  entity: Entity;
  change: Change;
  force: boolean;
  seq: number;
}

const KIND_ORDER = ['product:upsert', 'variant:upsert', 'category:upsert', 'variant:delete', 'product:delete', 'category:delete'];
const kindOf = (e: ModelEntry) => KIND_ORDER.indexOf(`${e.entity}:${e.change.op}`);
const parentOf = (e: ModelEntry) => (e.change.entity === 'variant' && e.change.op === 'upsert' ? e.change.parentRef : undefined);

/** The queue as plainly as it can be said. */
class Model {
  seq = 0;
  version = 0;
  pending = new Map<string, ModelEntry>();
  inflight = new Map<string, ModelEntry>();
  lastEnqueued = new Map<string, string>();
  lastDelivered = new Map<string, string>();

  makeChange(c: ChangeSpec): Change {
    const tag = `v${++this.version}`;
    if (c.op === 'delete') return { entity: c.entity, op: 'delete', ref: c.ref } as Change;
    if (c.entity === 'variant') return { entity: 'variant', op: 'upsert', ref: c.ref, parentRef: c.parent, data: { price: '1.00', title: tag } };
    if (c.entity === 'product') return { entity: 'product', op: 'upsert', ref: c.ref, data: { title: tag, categoryRefs: c.cats } };
    return { entity: 'category', op: 'upsert', ref: c.ref, data: { title: tag } };
  }

  enqueue(change: Change, force: boolean): void {
    const key = `${change.entity}:${change.ref}`;
    const old = this.pending.get(key);
    const seq = ++this.seq;
    const same = old !== undefined && old.change.op === change.op;
    this.pending.set(key, {
      key,
      entity: change.entity,
      change,
      force: same && change.op === 'upsert' ? old.force || force : force,
      seq: same ? old.seq : seq,
    });
    this.lastEnqueued.set(key, JSON.stringify(change));
  }

  /** Groups in lease order, each in its own order; a group is a product's or a product's variants', else one entry. */
  groups(): ModelEntry[][] {
    const free = [...this.pending.values()].filter((e) => !this.inflight.has(e.key));
    free.sort((a, b) => kindOf(a) - kindOf(b) || a.seq - b.seq);
    const used = new Set<string>();
    const groups: ModelEntry[][] = [];
    const variantsOf = (parent: string) => free.filter((v) => parentOf(v) === parent && !used.has(v.key));
    for (const e of free) {
      if (used.has(e.key)) continue;
      let group: ModelEntry[];
      if (e.change.entity === 'product' && e.change.op === 'upsert') {
        const cats = [...new Set(e.change.data.categoryRefs ?? [])]
          .map((ref) => free.find((x) => x.key === `category:${ref}` && x.change.op === 'upsert' && !used.has(x.key)))
          .filter((x): x is ModelEntry => x !== undefined);
        group = [...cats, e, ...variantsOf(e.change.ref)];
      } else if (parentOf(e) !== undefined) group = variantsOf(parentOf(e)!);
      else group = [e];
      for (const g of group) used.add(g.key);
      groups.push(group);
    }
    return groups;
  }

  lease(limit: number): ModelEntry[] {
    const out: ModelEntry[] = [];
    for (const group of this.groups()) {
      if (out.length === 0 && group.length > limit) {
        out.push(...group.slice(0, limit));
        break;
      }
      if (out.length + group.length > limit) break;
      out.push(...group);
    }
    for (const e of out) {
      this.pending.delete(e.key);
      this.inflight.set(e.key, e);
    }
    return out;
  }

  finish(e: ModelEntry): void {
    this.inflight.delete(e.key);
    this.lastDelivered.set(e.key, JSON.stringify(e.change));
  }

  giveBack(e: ModelEntry): void {
    this.inflight.delete(e.key);
    const p = this.pending.get(e.key);
    if (!p) this.pending.set(e.key, e);
    else if (p.change.op === e.change.op) {
      this.pending.set(e.key, { ...p, seq: Math.min(p.seq, e.seq), force: p.change.op === 'upsert' ? p.force || e.force : p.force });
    }
  }

  counts() {
    const keys = new Set([...this.pending.keys(), ...this.inflight.keys()]);
    const out = { categories: 0, products: 0, variants: 0 };
    for (const k of keys) {
      const e = k.slice(0, k.indexOf(':'));
      out[e === 'category' ? 'categories' : e === 'product' ? 'products' : 'variants']++;
    }
    return out;
  }
}

const view = (items: ReadonlyArray<{ key: string; change: Change; force: boolean }>) =>
  items.map((i) => `${i.key} ${i.change.op} ${'data' in i.change ? canonicalJson(i.change.data) : ''} ${i.force}`);

/** The outcome an iteration reports for an item it finished. */
const completed = (change: Change, now: number): ItemStatus => ({
  v: 1,
  entity: change.entity,
  ref: change.ref,
  op: change.op,
  status: 'complete',
  errors: [],
  updatedAt: new Date(now).toISOString(),
  consecutiveFailures: 0,
});

async function replay(storage: StorageAdapter, ops: Op[]): Promise<void> {
  const model = new Model();
  const leases: Array<{ id: string; model: ModelEntry[]; open: boolean }> = [];
  const now = Date.UTC(2026, 0, 1);
  for (const op of ops) {
    if (op.kind === 'enqueue') {
      const changes = op.changes.map((c) => ({ change: model.makeChange(c), force: c.force && c.op === 'upsert' }));
      for (const { change, force } of changes) {
        await storage.enqueue(C, toQueueEntries([change], { force }).entries, now);
        model.enqueue(change, force);
      }
    } else if (op.kind === 'lease') {
      const lease = await storage.lease(C, { limit: op.limit, leaseMs: 60_000, now });
      const expected = model.lease(op.limit);
      deepEqual(lease ? view(lease.items) : [], view(expected), 'lease: groups, order and content');
      if (lease) leases.push({ id: lease.id, model: expected, open: true });
    } else {
      const open = leases.filter((l) => l.open);
      const l = open[op.lease % Math.max(1, open.length)];
      if (!l) continue;
      l.open = false;
      if (op.kind === 'release') {
        await storage.release(C, l.id);
        for (const e of l.model) model.giveBack(e);
      } else {
        const finished = l.model.filter((_, i) => op.finish[i % op.finish.length]);
        await storage.ack(C, l.id, { items: finished.map((e) => completed(e.change, now)), now });
        for (const e of l.model) {
          if (finished.includes(e)) model.finish(e);
          else model.giveBack(e);
        }
      }
    }
    deepEqual(await storage.pendingCounts(C), model.counts(), `counts after ${op.kind}`);
  }
  // Finish every open lease, then drain: the last change of every key must be delivered.
  for (const l of leases.filter((x) => x.open)) {
    await storage.release(C, l.id);
    for (const e of l.model) model.giveBack(e);
  }
  for (;;) {
    const lease = await storage.lease(C, { limit: 3, leaseMs: 60_000, now });
    const expected = model.lease(3);
    deepEqual(lease ? view(lease.items) : [], view(expected), 'drain: groups, order and content');
    if (!lease) break;
    await storage.ack(C, lease.id, { items: lease.items.map((e) => completed(e.change, now)), now });
    for (const e of expected) model.finish(e);
  }
  deepEqual(await storage.pendingCounts(C), { categories: 0, products: 0, variants: 0 }, 'counts once drained');
  deepEqual(Object.fromEntries(model.lastDelivered), Object.fromEntries(model.lastEnqueued), 'every key delivered its last change');
}

/**
 * How `runQueueProperties` tests a storage: a new storage per run and how to dispose of it, how many
 * runs per property, and the seed that replays a failure.
 */
export interface QueuePropertyOptions {
  /** Shown in test names. */
  name: string;
  /** A new, empty storage for each run. */
  create(): Promise<StorageAdapter> | StorageAdapter;
  /** Runs after each run (after `close`), e.g. to delete a database. */
  destroy?(storage: StorageAdapter): Promise<void> | void;
  /** fast-check runs per property: as many as the adapter does in about half a minute. */
  runs: number;
  /** fast-check's seed, to replay a failure (its message names the seed); random by default. */
  seed?: number;
}

let loaded: Promise<typeof FastCheck> | undefined;
/** fast-check, loaded once, on first use. */
function fastCheck(): Promise<typeof FastCheck> {
  loaded ??= import('fast-check').catch((err: unknown) => {
    loaded = undefined;
    throw new Error('The queue property suite of @shopsync/core/testing needs fast-check: install it (npm install --save-dev fast-check).', { cause: err });
  });
  return loaded;
}

/**
 * Registers the queue's properties for one adapter with the host's test functions. Run it from
 * each adapter's tests:
 *
 *     import { describe, it } from 'node:test';
 *     runQueueProperties({ describe, it }, { name: 'memory', create: () => new MemoryStorage(), runs: 1_000 });
 */
export function runQueueProperties(host: SuiteHost, options: QueuePropertyOptions): void {
  const withStorage = async (ops: Op[]) => {
    const storage = await options.create();
    try {
      await replay(storage, ops);
    } finally {
      await storage.close();
      await options.destroy?.(storage);
    }
  };
  // The report names the assertion that failed (which operation, what was expected), not only the counterexample.
  const params = { numRuns: options.runs, includeErrorInReport: true, ...(options.seed !== undefined ? { seed: options.seed } : {}) };
  host.describe(`queue algebra: ${options.name} (fast-check, ${options.runs.toLocaleString('en')} runs each)`, () => {
    host.it('enqueue only: coalesced to one entry per key, drained in product groups, then categories, then deletions', async () => {
      const fc = await fastCheck();
      const arb = arbitraries(fc);
      await fc.assert(
        fc.asyncProperty(fc.array(arb.change, { minLength: 1, maxLength: 40 }), (changes) => withStorage([{ kind: 'enqueue', changes }])),
        params,
      );
    });
    host.it('any interleaving of enqueue, lease, ack and release matches the model and loses nothing', async () => {
      const fc = await fastCheck();
      const arb = arbitraries(fc);
      await fc.assert(fc.asyncProperty(fc.array(arb.op, { minLength: 1, maxLength: 30 }), (ops) => withStorage(ops)), params);
    });
  });
}
