// The sync event as a pure reducer: every fact of a run, without storage, clock or listeners.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IllegalTransitionError, type ConfigSnapshot, type GeneralError, type Iteration, type SyncEvent } from '@shopsync/core';
import { newEvent, reduceEvent, wasYielded, type EventAction } from '../src/engine/event-reducer.js';

const counts = (categories = 0, products = 0, variants = 0) => ({ categories, products, variants });
const config: ConfigSnapshot = {
  shopDomain: 'demo.myshopify.com',
  apiVersion: { requested: '2026-01', status: 'supported', endsSoon: false },
  disableDeletions: false,
  overwriteStock: true,
  includeEmptyCategories: false,
  language: 'en',
  locations: [
    { warehouse: 'W1', location: 'Main' },
    { warehouse: 'W2', location: 'Annex' },
  ],
};
const fresh = (): SyncEvent =>
  newEvent({ id: 'evt-1', connectorId: 'store-1', trigger: 'manual', startedAt: '2026-12-06T10:00:00.000Z', pending: counts(1, 2, 3), config });
const running = (): SyncEvent => reduceEvent(fresh(), { type: 'connected', shop: {} });
const error = (message: string, at = '2026-12-06T10:01:00.000Z'): GeneralError => ({ at, code: 'network', message });
const iteration = (index: number): Iteration => ({
  index,
  startedAt: '2026-12-06T10:00:01.000Z',
  endedAt: '2026-12-06T10:00:02.000Z',
  synced: counts(0, 1, 2),
  failed: counts(),
  skipped: counts(),
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

describe('event reducer', () => {
  it('a new event connected: In Progress, its snapshot completed with what the store said, then frozen', () => {
    const before = fresh();
    const kept = structuredClone(before);
    const next = reduceEvent(before, {
      type: 'connected',
      shop: { servedApiVersion: '2026-01', deprecationReason: 'Use 2026-04', translationLanguages: ['fr', 'de'], locationIds: { W1: 'gid://shopify/Location/1' } },
    });
    assert.equal(next.status, 'in_progress');
    assert.equal(next.config.apiVersion.served, '2026-01');
    assert.equal(next.config.apiVersion.deprecationReason, 'Use 2026-04');
    assert.deepEqual(next.config.translations, ['fr', 'de']);
    assert.deepEqual(next.config.locations, [
      { warehouse: 'W1', location: 'Main', id: 'gid://shopify/Location/1' },
      { warehouse: 'W2', location: 'Annex' },
    ]);
    assert.ok(Object.isFrozen(next.config) && Object.isFrozen(next.config.apiVersion) && Object.isFrozen(next.config.locations));
    assert.deepEqual(before, kept, 'the event given is not changed');
  });

  it('a new event that cannot connect ends in Error, with the reason and its end time', () => {
    const e = error('The store could not be reached.');
    const next = reduceEvent(fresh(), { type: 'connectFailed', at: e.at, error: e });
    assert.equal(next.status, 'error');
    assert.equal(next.endedAt, e.at);
    assert.deepEqual(next.generalErrors, [e]);
    assert.equal(next.iterations.length, 0);
  });

  it('an iteration recorded joins the history and makes the logs available', () => {
    const one = reduceEvent(running(), { type: 'iterationRecorded', iteration: iteration(1) });
    const two = reduceEvent(one, { type: 'iterationRecorded', iteration: iteration(2) });
    assert.deepEqual(two.iterations.map((i) => i.index), [1, 2]);
    assert.equal(one.logsAvailable, true);
    assert.equal(one.iterations.length, 1, 'the earlier event keeps its own history');
  });

  it('paused, resumed (the same event), yielded, ended: statuses, times and pending counts', () => {
    const paused = reduceEvent(running(), { type: 'paused', at: '2026-12-06T10:02:00.000Z', pending: counts(0, 1, 0) });
    assert.equal(paused.status, 'paused');
    assert.deepEqual(paused.pausedAt, ['2026-12-06T10:02:00.000Z']);
    assert.deepEqual(paused.pending, counts(0, 1, 0));

    const resumed = reduceEvent({ ...paused, endedAt: '2026-12-06T10:02:00.000Z' }, { type: 'resumed', at: '2026-12-06T10:03:00.000Z' });
    assert.equal(resumed.status, 'in_progress');
    assert.equal(resumed.endedAt, undefined);
    assert.equal(resumed.id, paused.id);
    assert.deepEqual(resumed.resumedAt, ['2026-12-06T10:03:00.000Z']);

    const yielded = reduceEvent(resumed, { type: 'yielded', at: '2026-12-06T10:04:00.000Z', pending: counts(0, 0, 4) });
    assert.equal(yielded.status, 'in_progress');
    assert.deepEqual(yielded.yieldedAt, ['2026-12-06T10:04:00.000Z']);
    assert.equal(wasYielded(yielded), true, 'given away after its last resume');
    const again = reduceEvent(yielded, { type: 'resumed', at: '2026-12-06T10:05:00.000Z' });
    assert.equal(wasYielded(again), false);

    const drained = reduceEvent(again, { type: 'ended', at: '2026-12-06T10:06:00.000Z', reason: 'drained', pending: counts() });
    assert.equal(drained.status, 'completed');
    assert.equal(drained.endedAt, '2026-12-06T10:06:00.000Z');
    const stopped = reduceEvent(again, { type: 'ended', at: '2026-12-06T10:06:00.000Z', reason: 'stopped' });
    assert.equal(stopped.status, 'completed');
    assert.deepEqual(stopped.pending, again.pending, 'ended without a count keeps the last one');
  });

  it('an event left In Progress by a stopped process resumes without a status change', () => {
    const next = reduceEvent(running(), { type: 'resumed', at: '2026-12-06T10:03:00.000Z' });
    assert.equal(next.status, 'in_progress');
    assert.equal(wasYielded(next), false);
  });

  it('general errors and pending counts are recorded in any status', () => {
    const done = reduceEvent(running(), { type: 'ended', at: '2026-12-06T10:06:00.000Z', reason: 'drained', pending: counts() });
    const withError = reduceEvent(done, { type: 'generalErrorRecorded', error: error('late') });
    assert.deepEqual(withError.generalErrors.map((g) => g.message), ['late']);
    assert.deepEqual(reduceEvent(withError, { type: 'pendingCounted', pending: counts(1, 0, 0) }).pending, counts(1, 0, 0));
  });

  it('illegal facts throw IllegalTransitionError naming the status and the action', () => {
    const done = reduceEvent(running(), { type: 'ended', at: '2026-12-06T10:06:00.000Z', reason: 'drained', pending: counts() });
    const failed = reduceEvent(fresh(), { type: 'connectFailed', at: '2026-12-06T10:00:00.000Z', error: error('refused') });
    const paused = reduceEvent(running(), { type: 'paused', at: '2026-12-06T10:02:00.000Z', pending: counts() });
    const cases: Array<[SyncEvent, EventAction]> = [
      [done, { type: 'iterationRecorded', iteration: iteration(1) }],
      [done, { type: 'resumed', at: '2026-12-06T10:07:00.000Z' }],
      [done, { type: 'paused', at: '2026-12-06T10:07:00.000Z', pending: counts() }],
      [done, { type: 'ended', at: '2026-12-06T10:07:00.000Z', reason: 'drained' }],
      [failed, { type: 'resumed', at: '2026-12-06T10:07:00.000Z' }],
      [failed, { type: 'iterationRecorded', iteration: iteration(1) }],
      [paused, { type: 'iterationRecorded', iteration: iteration(1) }],
      [paused, { type: 'yielded', at: '2026-12-06T10:07:00.000Z', pending: counts() }],
      [paused, { type: 'ended', at: '2026-12-06T10:07:00.000Z', reason: 'drained' }],
    ];
    for (const [event, action] of cases) {
      assert.throws(
        () => reduceEvent(event, action),
        (err: unknown) => err instanceof IllegalTransitionError && err.from === event.status && err.action === action.type,
        `${event.status} + ${action.type}`,
      );
    }
  });

  it('never changes the event it is given, whatever the facts (frozen input, generated sequences)', () => {
    const at = fc.constant('2026-12-06T10:00:00.000Z');
    const pending = fc.record({ categories: fc.nat(9), products: fc.nat(9), variants: fc.nat(9) });
    const action: fc.Arbitrary<EventAction> = fc.oneof(
      fc.record({ type: fc.constant('resumed' as const), at }),
      fc.record({ type: fc.constant('generalErrorRecorded' as const), error: fc.string().map((m) => error(m)) }),
      fc.nat({ max: 5 }).map((i) => ({ type: 'iterationRecorded' as const, iteration: iteration(i + 1) })),
      fc.record({ type: fc.constant('pendingCounted' as const), pending }),
      fc.record({ type: fc.constant('paused' as const), at, pending }),
      fc.record({ type: fc.constant('yielded' as const), at, pending }),
      fc.record({ type: fc.constant('ended' as const), at, pending, reason: fc.constantFrom('drained' as const, 'stopped' as const) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 12 }), (actions) => {
        let event = deepFreeze(running());
        for (const a of actions) {
          const kept = structuredClone(event);
          try {
            // Strict mode: a write to the frozen input would throw a TypeError, not an IllegalTransitionError.
            event = deepFreeze(reduceEvent(event, a));
          } catch (err) {
            assert.ok(err instanceof IllegalTransitionError, String(err));
          }
          assert.ok(kept.iterations.length <= event.iterations.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
