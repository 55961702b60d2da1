import { toQueueEntries } from '../queue/queue.js';
import { SCHEMA_VERSION } from '../schemas/common.js';
import type { Change } from '../schemas/change.js';
import type { ItemStatus } from '../schemas/item.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { deepEqual, equal, ok, rejects } from './assert.js';
import { storageErrorConformance, type StorageErrorConformance } from './errors-conformance.js';
import { C, T0, event, log } from './records.js';
import { registryConformance } from './registry-conformance.js';

/** The test functions of whatever runner hosts the suite (node:test, mocha, web-test-runner). */
export interface SuiteHost {
  describe(name: string, fn: () => void): unknown;
  it(name: string, fn: () => Promise<void>): unknown;
}

export interface ConformanceOptions extends StorageErrorConformance {
  /** Shown in test names. */
  name: string;
  /** A new, empty storage for each test. */
  create(): Promise<StorageAdapter> | StorageAdapter;
  /** Runs after each test (after `close`), e.g. to delete a database. */
  destroy?(storage: StorageAdapter): Promise<void> | void;
}


export const cat = (ref: string, title = `Category ${ref}`): Change => ({ entity: 'category', op: 'upsert', ref, data: { title } });
export const prod = (ref: string, title = `Product ${ref}`): Change => ({ entity: 'product', op: 'upsert', ref, data: { title } });
export const variant = (ref: string, parentRef: string, price = '10.00'): Change => ({
  entity: 'variant',
  op: 'upsert',
  ref,
  parentRef,
  data: { price },
});
/** A product upsert that names its categories. */
export const prodIn = (ref: string, categoryRefs: string[]): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}`, categoryRefs } });
export const del = (entity: Change['entity'], ref: string): Change => ({ entity, op: 'delete', ref }) as Change;

const entries = (changes: Change[], force = false) => toQueueEntries(changes, { force }).entries;

function outcome(entity: Change['entity'], ref: string, status: 'complete' | 'error', at: number, extra: Partial<ItemStatus> = {}): ItemStatus {
  return {
    v: SCHEMA_VERSION,
    entity,
    ref,
    op: 'upsert',
    status,
    errors: status === 'error' ? [{ code: 'INVALID', message: 'bad' }] : [],
    syncEventId: 'evt_1',
    updatedAt: new Date(at).toISOString(),
    consecutiveFailures: status === 'error' ? 1 : 0,
    ...extra,
  };
}

const keysOf = (items: ReadonlyArray<{ key: string }>) => items.map((i) => i.key);

/**
 * The behaviour every StorageAdapter must have. Run it from each adapter's tests:
 *
 *     import { describe, it } from 'node:test';
 *     runStorageConformance({ describe, it }, { name: 'memory', backend: 'memory', create: () => new MemoryStorage() });
 */
export function runStorageConformance(host: SuiteHost, options: ConformanceOptions): void {
  const { describe, it } = host;
  const test = (name: string, fn: (s: StorageAdapter) => Promise<void>) =>
    it(name, async () => {
      const s = await options.create();
      try {
        await fn(s);
      } finally {
        await s.close();
        await options.destroy?.(s);
      }
    });

  describe(`StorageAdapter conformance: ${options.name}`, () => {
    describe('enqueue and coalescing', () => {
      test('counts pending items per entity', async (s) => {
        const counts = await s.enqueue(C, entries([cat('c1'), cat('c2'), prod('p1'), variant('v1', 'p1'), variant('v2', 'p1'), variant('v3', 'p1')]), T0);
        deepEqual(counts, { categories: 2, products: 1, variants: 3 });
        deepEqual(await s.pendingCounts(C), { categories: 2, products: 1, variants: 3 });
      });

      test('the last upsert of a key wins and counts once', async (s) => {
        await s.enqueue(C, entries([prod('p1', 'first'), prod('p1', 'second')]), T0);
        await s.enqueue(C, entries([prod('p1', 'third')]), T0 + 1);
        deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 });
        ok(lease);
        equal(lease.items.length, 1);
        deepEqual(lease.items[0]!.change, prod('p1', 'third'));
      });

      test('upsert then delete leaves the delete; delete then upsert leaves the upsert', async (s) => {
        await s.enqueue(C, entries([prod('p1'), del('product', 'p1'), del('category', 'c1'), cat('c1', 'back')]), T0);
        deepEqual(await s.pendingCounts(C), { categories: 1, products: 1, variants: 0 });
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        deepEqual(
          lease.items.map((i) => [i.key, i.change.op]),
          [
            ['category:c1', 'upsert'],
            ['product:p1', 'delete'],
          ],
        );
      });

      test('a forced upsert stays forced when a plain upsert follows', async (s) => {
        await s.enqueue(C, entries([prod('p1')], true), T0);
        await s.enqueue(C, entries([prod('p1', 'newer')]), T0 + 1);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 });
        ok(lease);
        equal(lease.items[0]!.force, true);
        deepEqual(lease.items[0]!.change, prod('p1', 'newer'));
      });

      test('marks enqueued items pending, keeping the errors of their last attempt', async (s) => {
        await s.enqueue(C, entries([prod('p1')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        await s.ack(C, lease.id, { items: [outcome('product', 'p1', 'error', T0 + 1, { consecutiveFailures: 2 })], now: T0 + 1 });
        await s.enqueue(C, entries([prod('p1', 'fixed')]), T0 + 2);
        const [item] = await s.getItems(C, ['product:p1']);
        ok(item);
        equal(item.status, 'pending');
        equal(item.errors.length, 1);
        equal(item.consecutiveFailures, 2);
        equal(item.updatedAt, new Date(T0 + 2).toISOString());
      });
    });

    describe('leasing order: product groups', () => {
      test('a product with the categories it names and its variants, then categories no product needs, then deletions children first', async (s) => {
        await s.enqueue(
          C,
          entries([
            del('category', 'dc'),
            variant('v1', 'p1'),
            del('variant', 'dv'),
            prodIn('p1', ['c2', 'c1']),
            del('product', 'dp'),
            cat('c1'),
            prod('p2'),
            cat('c2'),
            cat('c3'),
            variant('v2', 'p1'),
          ]),
          T0,
        );
        const lease = await s.lease(C, { limit: 100, leaseMs: 60_000, now: T0 });
        ok(lease);
        deepEqual(keysOf(lease.items), [
          'category:c2',
          'category:c1',
          'product:p1',
          'variant:v1',
          'variant:v2',
          'product:p2',
          'category:c3',
          'variant:dv',
          'product:dp',
          'category:dc',
        ]);
      });

      test('the variants of a product with no pending change are leased together, by their first arrival', async (s) => {
        await s.enqueue(C, entries([variant('a1', 'pa'), variant('b1', 'pb'), variant('a2', 'pa'), prod('pc'), variant('b2', 'pb'), variant('c1', 'pc')]), T0);
        const lease = await s.lease(C, { limit: 100, leaseMs: 60_000, now: T0 });
        ok(lease);
        deepEqual(keysOf(lease.items), ['product:pc', 'variant:c1', 'variant:a1', 'variant:a2', 'variant:b1', 'variant:b2']);
      });

      test('a group that does not fit waits for the next lease, whole', async (s) => {
        await s.enqueue(C, entries([prod('p1'), variant('v1', 'p1'), prod('p2'), variant('v2a', 'p2'), variant('v2b', 'p2'), prod('p3')]), T0);
        const first = await s.lease(C, { limit: 4, leaseMs: 60_000, now: T0 });
        ok(first);
        deepEqual(keysOf(first.items), ['product:p1', 'variant:v1'], 'p2 and its two variants do not fit beside p1; p3 does not jump the queue');
        const second = await s.lease(C, { limit: 4, leaseMs: 60_000, now: T0 });
        ok(second);
        deepEqual(keysOf(second.items), ['product:p2', 'variant:v2a', 'variant:v2b', 'product:p3']);
      });

      test('only a group larger than the whole lease is split: its first items in group order, the rest next', async (s) => {
        await s.enqueue(C, entries([variant('v1', 'p1'), variant('v2', 'p1'), cat('c1'), prodIn('p1', ['c1']), variant('v3', 'p1'), variant('v4', 'p1'), prod('p2')]), T0);
        const first = await s.lease(C, { limit: 3, leaseMs: 60_000, now: T0 });
        ok(first);
        deepEqual(keysOf(first.items), ['category:c1', 'product:p1', 'variant:v1']);
        const second = await s.lease(C, { limit: 3, leaseMs: 60_000, now: T0 });
        ok(second);
        deepEqual(keysOf(second.items), ['product:p2'], 'the rest of p1 (three variants) does not fit beside p2');
        const third = await s.lease(C, { limit: 3, leaseMs: 60_000, now: T0 });
        ok(third);
        deepEqual(keysOf(third.items), ['variant:v2', 'variant:v3', 'variant:v4']);
      });

      test('items in flight are not pulled into a group; a newer change of one waits for its lease', async (s) => {
        await s.enqueue(C, entries([cat('c1'), variant('v1', 'p1')]), T0);
        const first = await s.lease(C, { limit: 1, leaseMs: 60_000, now: T0 });
        ok(first);
        deepEqual(keysOf(first.items), ['variant:v1']);
        await s.enqueue(C, entries([prodIn('p1', ['c1']), variant('v2', 'p1'), variant('v1', 'p1', '12.00')]), T0 + 1);
        const second = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 1 });
        ok(second);
        deepEqual(keysOf(second.items), ['category:c1', 'product:p1', 'variant:v2']);
        await s.ack(C, first.id, { items: [outcome('variant', 'v1', 'complete', T0 + 2)], now: T0 + 2 });
        const third = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 });
        ok(third);
        deepEqual(keysOf(third.items), ['variant:v1']);
        deepEqual(third.items[0]!.change, variant('v1', 'p1', '12.00'));
      });

      test('a variant that moves to another product joins its new product', async (s) => {
        await s.enqueue(C, entries([variant('v1', 'p1'), prod('p2')]), T0);
        await s.enqueue(C, entries([variant('v1', 'p2')]), T0 + 1);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 1 });
        ok(lease);
        deepEqual(keysOf(lease.items), ['product:p2', 'variant:v1']);
      });

      test('keeps first-arrival order inside an entity, and coalescing keeps the place', async (s) => {
        await s.enqueue(C, entries([prod('p1'), prod('p2'), prod('p3')]), T0);
        await s.enqueue(C, entries([prod('p1', 'again')]), T0 + 1);
        const lease = await s.lease(C, { limit: 2, leaseMs: 60_000, now: T0 + 2 });
        ok(lease);
        deepEqual(keysOf(lease.items), ['product:p1', 'product:p2']);
        const rest = await s.lease(C, { limit: 2, leaseMs: 60_000, now: T0 + 2 });
        ok(rest);
        deepEqual(keysOf(rest.items), ['product:p3']);
        equal(await s.lease(C, { limit: 2, leaseMs: 60_000, now: T0 + 2 }), null);
      });

      test('returns null on an empty queue', async (s) => {
        equal(await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 }), null);
      });
    });

    describe('ack and release', () => {
      test('ack records outcomes, removes finished items and returns the unanswered ones', async (s) => {
        await s.enqueue(C, entries([prod('p1'), prod('p2'), prod('p3')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        const counts = await s.ack(C, lease.id, {
          items: [outcome('product', 'p1', 'complete', T0 + 5, { shopifyId: 'gid://shopify/Product/1' }), outcome('product', 'p2', 'error', T0 + 5)],
          now: T0 + 5,
        });
        deepEqual(counts, { categories: 0, products: 1, variants: 0 });
        const items = await s.getItems(C, ['product:p1', 'product:p2', 'product:p3']);
        deepEqual(
          items.map((i) => [i.ref, i.status, i.shopifyId ?? null]),
          [
            ['p1', 'complete', 'gid://shopify/Product/1'],
            ['p2', 'error', null],
            ['p3', 'pending', null],
          ],
        );
        const again = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 6 });
        ok(again);
        deepEqual(keysOf(again.items), ['product:p3']);
      });

      test('ack saves the event and appends its logs in the same operation', async (s) => {
        await s.enqueue(C, entries([prod('p1')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        const e = { ...event('evt_1', T0), logsAvailable: true, pending: { categories: 9, products: 9, variants: 9 } };
        const counts = await s.ack(C, lease.id, { items: [outcome('product', 'p1', 'complete', T0 + 1)], event: e, logs: [log('evt_1', 'one')], now: T0 + 1 });
        const saved = await s.getEvent(C, 'evt_1');
        equal(saved?.logsAvailable, true);
        deepEqual(saved?.pending, counts, 'the saved event carries the counts the ack leaves');
        deepEqual(counts, { categories: 0, products: 0, variants: 0 });
        deepEqual(
          (await s.readLogs(C, 'evt_1')).map((l) => l.message),
          ['one'],
        );
      });

      test('an ack naming an item outside the lease writes nothing', async (s) => {
        await s.enqueue(C, entries([prod('p1'), prod('p2')]), T0);
        const lease = await s.lease(C, { limit: 1, leaseMs: 60_000, now: T0 });
        ok(lease);
        await rejects(
          () => s.ack(C, lease.id, { items: [outcome('product', 'p1', 'complete', T0), outcome('product', 'p2', 'complete', T0)], event: event('evt_x', T0), now: T0 }),
          'not_leased',
        );
        equal(await s.getEvent(C, 'evt_x'), undefined);
        deepEqual(await s.pendingCounts(C), { categories: 0, products: 2, variants: 0 });
        equal((await s.getItems(C, ['product:p1']))[0]?.status, 'pending');
        await s.ack(C, lease.id, { items: [outcome('product', 'p1', 'complete', T0)], now: T0 });
        deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
      });

      test('release returns items to their place in the queue', async (s) => {
        await s.enqueue(C, entries([prod('p1'), prod('p2'), prod('p3')]), T0);
        const first = await s.lease(C, { limit: 1, leaseMs: 60_000, now: T0 });
        ok(first);
        deepEqual(await s.release(C, first.id), { categories: 0, products: 3, variants: 0 });
        const all = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(all);
        deepEqual(keysOf(all.items), ['product:p1', 'product:p2', 'product:p3']);
      });

      test('unknown leases are refused', async (s) => {
        await rejects(() => s.ack(C, 'lease_nope', { items: [], now: T0 }), 'LeaseLostError');
        await rejects(() => s.release(C, 'lease_nope'), 'LeaseLostError');
      });
    });

    describe('changes to leased items', () => {
      test('a change to a leased item waits for the lease and is not lost by its ack', async (s) => {
        await s.enqueue(C, entries([prod('p1', 'v1')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        await s.enqueue(C, entries([prod('p1', 'v2')]), T0 + 1);
        deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
        equal(await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 }), null, 'the newer change must wait');
        await s.ack(C, lease.id, { items: [outcome('product', 'p1', 'complete', T0 + 3)], now: T0 + 3 });
        deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
        equal((await s.getItems(C, ['product:p1']))[0]?.status, 'pending');
        const next = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 4 });
        ok(next);
        deepEqual(next.items[0]!.change, prod('p1', 'v2'));
      });

      test('a released item meets its newer change: the newer wins, once', async (s) => {
        await s.enqueue(C, entries([prod('p1', 'old'), prod('p2')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        await s.enqueue(C, entries([del('product', 'p1')]), T0 + 1);
        await s.release(C, lease.id);
        deepEqual(await s.pendingCounts(C), { categories: 0, products: 2, variants: 0 });
        const next = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2 });
        ok(next);
        deepEqual(
          next.items.map((i) => [i.key, i.change.op]),
          [
            ['product:p2', 'upsert'],
            ['product:p1', 'delete'],
          ],
        );
      });
    });

    describe('lease expiry', () => {
      test('items of an expired lease return to the queue and its ack is refused', async (s) => {
        await s.enqueue(C, entries([cat('c1'), prod('p1')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 });
        ok(lease);
        equal(lease.expiresAt, T0 + 1_000);
        equal(await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 999 }), null);
        const again = await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 1_000 });
        ok(again);
        deepEqual(keysOf(again.items), ['product:p1', 'category:c1']);
        await rejects(() => s.ack(C, lease.id, { items: [outcome('category', 'c1', 'complete', T0)], now: T0 + 1_001 }), 'LeaseLostError');
        deepEqual(await s.pendingCounts(C), { categories: 1, products: 1, variants: 0 });
      });

      test('an ack after expiry is refused even before anyone else leases', async (s) => {
        await s.enqueue(C, entries([prod('p1')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 });
        ok(lease);
        await rejects(() => s.ack(C, lease.id, { items: [outcome('product', 'p1', 'complete', T0)], now: T0 + 1_001 }), 'LeaseLostError');
        const again = await s.lease(C, { limit: 10, leaseMs: 1_000, now: T0 + 1_002 });
        ok(again);
        deepEqual(keysOf(again.items), ['product:p1']);
      });
    });

    describe('hashes and target ids', () => {
      test('ack stores and forgets last-synced hashes', async (s) => {
        await s.enqueue(C, entries([prod('p1'), prod('p2')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        await s.ack(C, lease.id, {
          items: [outcome('product', 'p1', 'complete', T0), outcome('product', 'p2', 'complete', T0)],
          hashes: [
            { key: 'product:p1', hash: 'h1' },
            { key: 'product:p2', hash: 'h2' },
          ],
          now: T0,
        });
        deepEqual([...(await s.getHashes(C, ['product:p1', 'product:p2', 'product:p3']))], [
          ['product:p1', 'h1'],
          ['product:p2', 'h2'],
        ]);
        await s.enqueue(C, entries([del('product', 'p2')]), T0 + 1);
        const l2 = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 1 });
        ok(l2);
        await s.ack(C, l2.id, { items: [outcome('product', 'p2', 'complete', T0 + 1, { op: 'delete' })], hashes: [{ key: 'product:p2', hash: null }], now: T0 + 1 });
        deepEqual([...(await s.getHashes(C, ['product:p1', 'product:p2']))], [['product:p1', 'h1']]);
      });

      test('sets, reads and forgets target ids', async (s) => {
        await s.setTargetIds(C, [
          { key: 'product:p1', id: 'gid://shopify/Product/1' },
          { key: 'variant:v1', id: 'gid://shopify/ProductVariant/9' },
        ]);
        await s.setTargetIds(C, [{ key: 'variant:v1', id: null }]);
        deepEqual([...(await s.getTargetIds(C, ['product:p1', 'variant:v1']))], [['product:p1', 'gid://shopify/Product/1']]);
      });
    });

    describe('events and logs', () => {
      test('lists events newest first, paginated, with the total', async (s) => {
        for (let i = 0; i < 5; i++) await s.saveEvent(event(`evt_${i}`, T0 + i * 1_000));
        const page = await s.listEvents(C, { offset: 1, limit: 2 });
        equal(page.total, 5);
        deepEqual(
          page.items.map((e) => e.id),
          ['evt_3', 'evt_2'],
        );
      });

      test('saving an event again replaces it; what is read is a copy', async (s) => {
        const e = event('evt_1', T0);
        await s.saveEvent(e);
        e.status = 'completed';
        equal((await s.getEvent(C, 'evt_1'))?.status, 'in_progress');
        await s.saveEvent(e);
        const read = await s.getEvent(C, 'evt_1');
        ok(read);
        equal(read.status, 'completed');
        read.status = 'error';
        equal((await s.getEvent(C, 'evt_1'))?.status, 'completed');
        equal((await s.listEvents(C, { offset: 0, limit: 10 })).total, 1);
      });

      test('keeps each event’s logs apart and in order', async (s) => {
        await s.appendLogs(C, 'evt_1', [log('evt_1', 'a'), log('evt_1', 'b')]);
        await s.appendLogs(C, 'evt_2', [log('evt_2', 'x')]);
        await s.appendLogs(C, 'evt_1', [log('evt_1', 'c')]);
        deepEqual(
          (await s.readLogs(C, 'evt_1')).map((l) => l.message),
          ['a', 'b', 'c'],
        );
        deepEqual(await s.readLogs(C, 'evt_none'), []);
      });
    });

    describe('item statuses', () => {
      const seed = async (s: StorageAdapter) => {
        await s.enqueue(C, entries([prod('SKU-Red'), prod('sku-red-2'), variant('SKU-Red-M', 'SKU-Red'), cat('shoes')]), T0);
        const lease = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lease);
        await s.ack(C, lease.id, {
          items: [
            outcome('product', 'SKU-Red', 'complete', T0 + 1_000),
            outcome('product', 'sku-red-2', 'error', T0 + 2_000),
            outcome('variant', 'SKU-Red-M', 'error', T0 + 3_000, { parentRef: 'SKU-Red' }),
          ],
          now: T0 + 3_000,
        });
      };

      test('filters by reference substring, case-sensitive', async (s) => {
        await seed(s);
        const page = await s.queryItems(C, { ref: 'SKU-Red', offset: 0, limit: 10 });
        deepEqual(
          page.items.map((i) => i.ref),
          ['SKU-Red-M', 'SKU-Red'],
        );
        equal(page.total, 2);
      });

      test('filters by status, entity and date, newest first', async (s) => {
        await seed(s);
        deepEqual(
          (await s.queryItems(C, { status: 'error', offset: 0, limit: 10 })).items.map((i) => i.ref),
          ['SKU-Red-M', 'sku-red-2'],
        );
        deepEqual(
          (await s.queryItems(C, { status: 'pending', offset: 0, limit: 10 })).items.map((i) => i.ref),
          ['shoes'],
        );
        deepEqual(
          (await s.queryItems(C, { entity: 'product', offset: 0, limit: 10 })).items.map((i) => i.ref),
          ['sku-red-2', 'SKU-Red'],
        );
        deepEqual(
          (await s.queryItems(C, { since: new Date(T0 + 2_000).toISOString(), offset: 0, limit: 10 })).items.map((i) => i.ref),
          ['SKU-Red-M', 'sku-red-2'],
        );
      });

      test('paginates with a stable order and the total', async (s) => {
        await seed(s);
        const p1 = await s.queryItems(C, { offset: 0, limit: 3 });
        const p2 = await s.queryItems(C, { offset: 3, limit: 3 });
        equal(p1.total, 4);
        equal(p2.total, 4);
        deepEqual(
          [...p1.items, ...p2.items].map((i) => i.ref),
          ['SKU-Red-M', 'sku-red-2', 'SKU-Red', 'shoes'],
        );
      });
    });

    registryConformance(describe, test);

    storageErrorConformance(describe, it, test, options);

    describe('many connectors in one storage', () => {
      test('nothing of one connector is seen by another', async (s) => {
        const B = 'conn-b';
        await s.enqueue(C, entries([prod('p1'), cat('c1')]), T0);
        await s.enqueue(B, entries([prod('p1', 'other store')]), T0);
        deepEqual(await s.pendingCounts(B), { categories: 0, products: 1, variants: 0 });
        await s.saveEvent(event('evt_a', T0, C));
        await s.saveEvent(event('evt_b', T0, B));
        await s.appendLogs(C, 'evt_a', [log('evt_a', 'only A')]);
        await s.setTargetIds(C, [{ key: 'product:p1', id: 'A-1' }]);

        const lb = await s.lease(B, { limit: 10, leaseMs: 60_000, now: T0 });
        ok(lb);
        deepEqual(
          lb.items.map((i) => i.change),
          [prod('p1', 'other store')],
        );
        await rejects(() => s.ack(C, lb.id, { items: [], now: T0 }), 'LeaseLostError');
        await s.ack(B, lb.id, { items: [outcome('product', 'p1', 'error', T0)], hashes: [{ key: 'product:p1', hash: 'hb' }], now: T0 });

        deepEqual(await s.pendingCounts(C), { categories: 1, products: 1, variants: 0 });
        equal((await s.getItems(C, ['product:p1']))[0]?.status, 'pending');
        equal((await s.getHashes(C, ['product:p1'])).size, 0);
        equal((await s.getTargetIds(B, ['product:p1'])).size, 0);
        deepEqual(
          (await s.listEvents(B, { offset: 0, limit: 10 })).items.map((e) => e.id),
          ['evt_b'],
        );
        equal(await s.getEvent(B, 'evt_a'), undefined);
        deepEqual(await s.readLogs(B, 'evt_a'), []);
        equal((await s.queryItems(B, { status: 'error', offset: 0, limit: 10 })).total, 1);
        equal((await s.queryItems(C, { status: 'error', offset: 0, limit: 10 })).total, 0);
      });
    });
  });
}
