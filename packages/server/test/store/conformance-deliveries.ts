/**
 * ServerStore conformance, part three: the deliveries outbox. Adding (pending, all or none),
 * claiming (due only, oldest due first, never a live claim, expired claims taken over, never one
 * delivery to two claimants at once), recording attempts (only by the claimant), reading and
 * listing (newest first, with the total).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { delivery, ids, rejectsWith, T0, withStore, type OpenStore } from './conformance-helpers.js';

const LEASE = 30_000;

/** The outbox. */
export function deliveryCases(open: OpenStore): void {
  it('addDeliveries stores pending deliveries as given; getDelivery of an unknown id is undefined', () =>
    withStore(open, async (store) => {
      const d = { ...delivery('d1', { nextAttemptAt: T0 + 5 }), attempts: [{ at: T0 - 1, status: 500, durationMs: 12 }] };
      await store.addDeliveries([d, delivery('d2')]);
      assert.deepEqual(await store.getDelivery('d1'), d);
      assert.deepEqual(await store.getDelivery('d2'), delivery('d2'));
      assert.equal(await store.getDelivery('nope'), undefined);
      await store.addDeliveries([]);
    }));

  it('addDeliveries makes each delivery pending and unclaimed, due at its creation when it has no due time', () =>
    withStore(open, async (store) => {
      const { nextAttemptAt: _, ...noDue } = delivery('d1', { createdAt: T0 + 7 });
      await store.addDeliveries([{ ...noDue, state: 'succeeded', claimedBy: 'w', claimUntil: T0 + 99 }]);
      assert.deepEqual(await store.getDelivery('d1'), delivery('d1', { createdAt: T0 + 7 }));
      assert.deepEqual(ids(await store.claimDeliveries({ worker: 'w', now: T0 + 7, leaseMs: LEASE, limit: 5 })), ['d1']);
    }));

  it('a delivery with a taken id is refused (delivery_exists) and none of its batch is added', () =>
    withStore(open, async (store) => {
      await store.addDeliveries([delivery('d1')]);
      await rejectsWith(store.addDeliveries([delivery('d2'), delivery('d1', { connectorId: 'c2' }), delivery('d3')]), 'delivery_exists');
      await rejectsWith(store.addDeliveries([delivery('d4'), delivery('d4')]), 'delivery_exists');
      assert.equal(await store.getDelivery('d2'), undefined);
      assert.equal(await store.getDelivery('d4'), undefined);
      assert.equal((await store.getDelivery('d1'))?.connectorId, 'c1');
    }));

  it('claimDeliveries takes due ones only, oldest due first (ties by id), up to the limit, and marks the claim', () =>
    withStore(open, async (store) => {
      await store.addDeliveries([
        delivery('late', { nextAttemptAt: T0 + 1_000 }),
        delivery('b', { nextAttemptAt: T0 - 10 }),
        delivery('a', { nextAttemptAt: T0 - 10 }),
        delivery('first', { nextAttemptAt: T0 - 50, createdAt: T0 + 3 }),
        delivery('now', { nextAttemptAt: T0 }),
      ]);
      const got = await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: LEASE, limit: 3 });
      assert.deepEqual(ids(got), ['first', 'a', 'b']);
      for (const d of got) {
        assert.equal(d.claimedBy, 'w1');
        assert.equal(d.claimUntil, T0 + LEASE);
        assert.equal(d.state, 'pending');
      }
      assert.deepEqual(await store.getDelivery('a'), { ...delivery('a', { nextAttemptAt: T0 - 10 }), claimedBy: 'w1', claimUntil: T0 + LEASE });
      assert.deepEqual(ids(await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: LEASE, limit: 10 })), ['now']);
      assert.deepEqual(await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: LEASE, limit: 10 }), []);
      assert.deepEqual(await store.claimDeliveries({ worker: 'w1', now: T0 + 1_000, leaseMs: LEASE, limit: 0 }), []);
      assert.deepEqual(ids(await store.claimDeliveries({ worker: 'w1', now: T0 + 1_000, leaseMs: LEASE, limit: 10 })), ['late']);
    }));

  it('a live claim is skipped (by another worker and by its own); an expired one is taken over', () =>
    withStore(open, async (store) => {
      await store.addDeliveries([delivery('d1')]);
      assert.deepEqual(ids(await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: LEASE, limit: 10 })), ['d1']);
      assert.deepEqual(await store.claimDeliveries({ worker: 'w2', now: T0 + LEASE - 1, leaseMs: LEASE, limit: 10 }), []);
      assert.deepEqual(await store.claimDeliveries({ worker: 'w1', now: T0 + LEASE - 1, leaseMs: LEASE, limit: 10 }), []);
      const taken = await store.claimDeliveries({ worker: 'w2', now: T0 + LEASE, leaseMs: LEASE, limit: 10 });
      assert.deepEqual(ids(taken), ['d1']);
      assert.equal(taken[0]!.claimedBy, 'w2');
      assert.equal(taken[0]!.claimUntil, T0 + 2 * LEASE);
    }));

  it('concurrent claims never give one delivery to two workers', () =>
    withStore(open, async (store) => {
      await store.addDeliveries(Array.from({ length: 30 }, (_, i) => delivery(`d${String(i).padStart(2, '0')}`)));
      const batches = await Promise.all(Array.from({ length: 6 }, (_, w) => store.claimDeliveries({ worker: `w${w}`, now: T0, leaseMs: LEASE, limit: 7 })));
      const all = batches.flatMap(ids);
      assert.equal(new Set(all).size, all.length);
      assert.equal(all.length, 30);
    }));

  it('recordAttempt by the claimant: the attempt is added, the new state stored, the claim ended', () =>
    withStore(open, async (store) => {
      await store.addDeliveries([delivery('d1'), delivery('d2'), delivery('d3')]);
      await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: LEASE, limit: 10 });
      const retry = { at: T0 + 1, status: 503, durationMs: 40 };
      assert.equal(await store.recordAttempt('d1', 'w1', retry, { state: 'pending', nextAttemptAt: T0 + 60_000 }), true);
      assert.deepEqual(await store.getDelivery('d1'), { ...delivery('d1'), nextAttemptAt: T0 + 60_000, attempts: [retry] });
      assert.equal(await store.recordAttempt('d2', 'w1', { at: T0 + 2, status: 200, durationMs: 5 }, { state: 'succeeded' }), true);
      const { nextAttemptAt: _, ...succeeded } = delivery('d2');
      assert.deepEqual(await store.getDelivery('d2'), { ...succeeded, state: 'succeeded', attempts: [{ at: T0 + 2, status: 200, durationMs: 5 }] });
      const lost = { at: T0 + 3, error: 'connect ECONNREFUSED', durationMs: 1 };
      assert.equal(await store.recordAttempt('d3', 'w1', lost, { state: 'failed' }), true);
      const d3 = (await store.getDelivery('d3'))!;
      assert.equal(d3.state, 'failed');
      assert.equal(d3.nextAttemptAt, undefined);
      assert.deepEqual(d3.attempts, [lost]);
      // Succeeded and failed deliveries are never claimed again; the pending one when due.
      assert.deepEqual(await store.claimDeliveries({ worker: 'w2', now: T0 + 59_999, leaseMs: LEASE, limit: 10 }), []);
      assert.deepEqual(ids(await store.claimDeliveries({ worker: 'w2', now: T0 + 60_000, leaseMs: LEASE, limit: 10 })), ['d1']);
      assert.equal(await store.recordAttempt('d1', 'w2', { at: T0 + 60_001, status: 200, durationMs: 3 }, { state: 'succeeded' }), true);
      assert.deepEqual((await store.getDelivery('d1'))!.attempts, [retry, { at: T0 + 60_001, status: 200, durationMs: 3 }]);
    }));

  it('recordAttempt does nothing (false) unless the worker holds the claim', () =>
    withStore(open, async (store) => {
      const attempt = { at: T0 + 1, status: 200, durationMs: 5 };
      await store.addDeliveries([delivery('d1')]);
      assert.equal(await store.recordAttempt('d1', 'w1', attempt, { state: 'succeeded' }), false, 'never claimed');
      await store.claimDeliveries({ worker: 'w1', now: T0, leaseMs: LEASE, limit: 10 });
      assert.equal(await store.recordAttempt('d1', 'w2', attempt, { state: 'succeeded' }), false, 'claimed by another');
      // w1's claim expires and w2 takes it over: w1 no longer holds it.
      await store.claimDeliveries({ worker: 'w2', now: T0 + LEASE, leaseMs: LEASE, limit: 10 });
      assert.equal(await store.recordAttempt('d1', 'w1', attempt, { state: 'failed' }), false, 'claim taken over');
      assert.deepEqual(await store.getDelivery('d1'), { ...delivery('d1'), claimedBy: 'w2', claimUntil: T0 + 2 * LEASE });
      assert.equal(await store.recordAttempt('d1', 'w2', attempt, { state: 'succeeded' }), true);
      assert.equal(await store.recordAttempt('d1', 'w2', attempt, { state: 'succeeded' }), false, 'claim ended by the first record');
      assert.deepEqual((await store.getDelivery('d1'))!.attempts, [attempt]);
      assert.equal(await store.recordAttempt('nope', 'w2', attempt, { state: 'succeeded' }), false, 'unknown id');
    }));

  it("listDeliveries: a connector's deliveries newest first (ties by id descending), paged, with the total; optionally of one webhook", () =>
    withStore(open, async (store) => {
      await store.addDeliveries([
        delivery('d1', { createdAt: T0 + 1, webhookId: 'wh-a' }),
        delivery('d2', { createdAt: T0 + 2, webhookId: 'wh-b' }),
        delivery('d3', { createdAt: T0 + 3, webhookId: 'wh-a' }),
        delivery('d4b', { createdAt: T0 + 4, webhookId: 'wh-a' }),
        delivery('d4a', { createdAt: T0 + 4, webhookId: 'wh-b' }),
        delivery('other', { createdAt: T0 + 9, connectorId: 'c2', webhookId: 'wh-a' }),
      ]);
      const all = await store.listDeliveries({ connectorId: 'c1', offset: 0, limit: 10 });
      assert.equal(all.total, 5);
      assert.deepEqual(ids(all.items), ['d4b', 'd4a', 'd3', 'd2', 'd1']);
      assert.deepEqual(all.items[4], delivery('d1', { createdAt: T0 + 1, webhookId: 'wh-a' }));
      const page = await store.listDeliveries({ connectorId: 'c1', offset: 1, limit: 2 });
      assert.deepEqual({ total: page.total, ids: ids(page.items) }, { total: 5, ids: ['d4a', 'd3'] });
      const ofA = await store.listDeliveries({ connectorId: 'c1', webhookId: 'wh-a', offset: 0, limit: 2 });
      assert.deepEqual({ total: ofA.total, ids: ids(ofA.items) }, { total: 3, ids: ['d4b', 'd3'] });
      assert.deepEqual(await store.listDeliveries({ connectorId: 'c1', offset: 5, limit: 10 }), { total: 5, items: [] });
      assert.deepEqual(await store.listDeliveries({ connectorId: 'c1', offset: 0, limit: 0 }), { total: 5, items: [] });
      assert.deepEqual(await store.listDeliveries({ connectorId: 'c3', offset: 0, limit: 10 }), { total: 0, items: [] });
      assert.deepEqual(await store.listDeliveries({ connectorId: 'c1', webhookId: 'wh-z', offset: 0, limit: 10 }), { total: 0, items: [] });
    }));

  it('a limit or offset that is not a whole number ≥ 0 is refused (invalid_input)', () =>
    withStore(open, async (store) => {
      await rejectsWith(store.listDeliveries({ connectorId: 'c1', offset: -1, limit: 10 }), 'invalid_input');
      await rejectsWith(store.listDeliveries({ connectorId: 'c1', offset: 0, limit: 1.5 }), 'invalid_input');
      await rejectsWith(store.claimDeliveries({ worker: 'w', now: T0, leaseMs: LEASE, limit: -1 }), 'invalid_input');
    }));
}
