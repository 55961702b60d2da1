/**
 * The queue's algebra against a simple model: coalescing (newest change of a key wins, a key
 * keeps its place while its op is the same), drain order (categories, products, variants, then
 * deletions of variants, products, categories), leases, acks, releases, and exact counts.
 * Whatever the interleaving, nothing is lost: the last change of every key is delivered.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryStorage, bucketOf, canonicalJson, toQueueEntries, type Change, type Entity, type ItemStatus, type StorageAdapter } from '@shopsync/core';

const C = 'conn';
const NUM_RUNS = 1_000;

type Op =
  | { kind: 'enqueue'; changes: Array<{ entity: Entity; ref: string; op: 'upsert' | 'delete'; force: boolean }> }
  | { kind: 'lease'; limit: number }
  | { kind: 'ack'; lease: number; finish: boolean[] }
  | { kind: 'release'; lease: number };

const entityArb = fc.constantFrom<Entity>('category', 'product', 'variant');
const changeArb = fc.record({
  entity: entityArb,
  ref: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  op: fc.constantFrom<'upsert' | 'delete'>('upsert', 'upsert', 'delete'),
  force: fc.boolean(),
});
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), changes: fc.array(changeArb, { minLength: 1, maxLength: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('lease' as const), limit: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), lease: fc.nat(5), finish: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), lease: fc.nat(5) }) },
);

interface ModelEntry {
  key: string;
  entity: Entity;
  change: Change;
  force: boolean;
  seq: number;
}

/** The queue as plainly as it can be said. */
class Model {
  seq = 0;
  version = 0;
  pending = new Map<string, ModelEntry>();
  inflight = new Map<string, ModelEntry>();
  lastEnqueued = new Map<string, string>();
  lastDelivered = new Map<string, string>();

  makeChange(c: { entity: Entity; ref: string; op: 'upsert' | 'delete' }): Change {
    const tag = `v${++this.version}`;
    if (c.op === 'delete') return { entity: c.entity, op: 'delete', ref: c.ref } as Change;
    if (c.entity === 'variant') return { entity: 'variant', op: 'upsert', ref: c.ref, parentRef: 'p', data: { price: '1.00', title: tag } };
    return { entity: c.entity, op: 'upsert', ref: c.ref, data: { title: tag } } as Change;
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

  lease(limit: number): ModelEntry[] {
    const order = [...this.pending.values()]
      .filter((e) => !this.inflight.has(e.key))
      .sort((a, b) => bucketOf(a.entity, a.change.op) - bucketOf(b.entity, b.change.op) || a.seq - b.seq)
      .slice(0, limit);
    for (const e of order) {
      this.pending.delete(e.key);
      this.inflight.set(e.key, e);
    }
    return order;
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
      assert.deepEqual(lease ? view(lease.items) : [], view(expected), 'lease order and content');
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
        await storage.ack(C, l.id, {
          items: finished.map((e) => completed(e.change, now)),
          now,
        });
        for (const e of l.model) {
          if (finished.includes(e)) model.finish(e);
          else model.giveBack(e);
        }
      }
    }
    assert.deepEqual(await storage.pendingCounts(C), model.counts(), `counts after ${op.kind}`);
  }
  // Finish every open lease, then drain: the last change of every key must be delivered.
  for (const l of leases.filter((x) => x.open)) {
    await storage.release(C, l.id);
    for (const e of l.model) model.giveBack(e);
  }
  for (;;) {
    const lease = await storage.lease(C, { limit: 3, leaseMs: 60_000, now });
    const expected = model.lease(3);
    assert.deepEqual(lease ? view(lease.items) : [], view(expected), 'drain order');
    if (!lease) break;
    await storage.ack(C, lease.id, {
      items: lease.items.map((e) => completed(e.change, now)),
      now,
    });
    for (const e of expected) model.finish(e);
  }
  assert.deepEqual(await storage.pendingCounts(C), { categories: 0, products: 0, variants: 0 });
  assert.deepEqual(new Map([...model.lastDelivered].sort()), new Map([...model.lastEnqueued].sort()), 'every key delivered its last change');
}

describe('queue algebra (fast-check, 1,000 runs each)', () => {
  it('enqueue only: coalesced to one entry per key, drained in bucket order then arrival', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(changeArb, { minLength: 1, maxLength: 40 }), async (changes) => {
        await replay(new MemoryStorage(), [{ kind: 'enqueue', changes }]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('any interleaving of enqueue, lease, ack and release matches the model and loses nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        await replay(new MemoryStorage(), ops);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
