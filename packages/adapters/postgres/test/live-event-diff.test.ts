/** The pure parts of the live side: event snapshots into changes, notice parsing, the item cursor. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ItemStatus, type SyncEvent } from '@shopsync/core';
import { SCHEMA_VERSION, zeroCounts } from '@shopsync/core/internal';
import { ItemCursor } from '../src/live/item-cursor.js';
import { diffEvent, statusHistory, statusSteps } from '../src/live/event-diff.js';
import { parseChangeNotice, parseCommandNotice } from '../src/live/notices.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 12, 0, s)).toISOString();

function event(patch: Partial<SyncEvent> = {}): SyncEvent {
  return {
    v: SCHEMA_VERSION,
    id: 'evt_1',
    connectorId: 'store-1',
    status: 'in_progress',
    trigger: 'manual',
    startedAt: at(0),
    pending: zeroCounts(),
    generalErrors: [],
    config: {
      shopDomain: 'demo.myshopify.com',
      apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false },
      disableDeletions: false,
      overwriteStock: false,
      includeEmptyCategories: false,
      language: 'en',
    },
    iterations: [],
    logsAvailable: false,
    pausedAt: [],
    resumedAt: [],
    ...patch,
  };
}

const iteration = (index: number) => ({ index, startedAt: at(index), endedAt: at(index + 1), synced: { categories: 0, products: 2, variants: 0 }, failed: zeroCounts(), skipped: zeroCounts() });

describe('statusHistory / statusSteps', () => {
  it('follows the one path the status machine allows', () => {
    assert.deepEqual(statusHistory(event({ status: 'error' })), ['starting', 'error']);
    assert.deepEqual(statusHistory(event()), ['starting', 'in_progress']);
    assert.deepEqual(statusHistory(event({ status: 'paused', pausedAt: [at(1)] })), ['starting', 'in_progress', 'paused']);
    assert.deepEqual(statusHistory(event({ pausedAt: [at(1)], resumedAt: [at(2)] })), ['starting', 'in_progress', 'paused', 'in_progress']);
    assert.deepEqual(statusHistory(event({ status: 'completed', pausedAt: [at(1)], resumedAt: [at(2)] })), [
      'starting',
      'in_progress',
      'paused',
      'in_progress',
      'completed',
    ]);
    // A resume after a crash (in_progress again, no pause) changes no status.
    assert.deepEqual(statusHistory(event({ resumedAt: [at(3)] })), ['starting', 'in_progress']);
  });

  it('names every status change between two snapshots, none when nothing moved', () => {
    assert.deepEqual(statusSteps(undefined, event({ status: 'completed' })), [
      { previous: 'starting', status: 'in_progress' },
      { previous: 'in_progress', status: 'completed' },
    ]);
    assert.deepEqual(statusSteps(event(), event({ pausedAt: [at(1)], resumedAt: [at(2)] })), [
      { previous: 'in_progress', status: 'paused' },
      { previous: 'paused', status: 'in_progress' },
    ]);
    assert.deepEqual(statusSteps(event(), event({ iterations: [iteration(1)] })), []);
    assert.deepEqual(statusSteps(event({ status: 'completed' }), event()), [], 'an older snapshot never goes back');
  });
});

describe('diffEvent', () => {
  it('tells a new event from its start, its iterations, errors and logs in the engine order', () => {
    const next = event({
      status: 'completed',
      endedAt: at(9),
      iterations: [iteration(1), iteration(2)],
      logsAvailable: true,
      generalErrors: [{ at: at(3), code: 'throttled', message: 'Slow down', iteration: 2 }],
    });
    const changes = diffEvent(undefined, next);
    assert.deepEqual(
      changes.map((c) => (c.type === 'statusChanged' ? `${c.previous}->${c.status}` : c.type === 'iterationCompleted' ? `it${c.iteration.index}` : c.type)),
      ['starting->in_progress', 'generalError', 'it1', 'it2', 'logsAvailable', 'in_progress->completed'],
    );
    for (const c of changes) if ('event' in c) assert.deepEqual(c.event, next);
    // Each change holds its own copy: a listener that changes one changes no other.
    const first = changes[0] as Extract<(typeof changes)[number], { type: 'statusChanged' }>;
    first.event.iterations.pop();
    assert.equal((changes[2] as { event: SyncEvent }).event.iterations.length, 2);
  });

  it('tells only what is new since the last snapshot', () => {
    const prev = event({ iterations: [iteration(1)], logsAvailable: true });
    assert.deepEqual(diffEvent(prev, prev), []);
    const next = event({ iterations: [iteration(1), iteration(2)], logsAvailable: true });
    const changes = diffEvent(prev, next);
    assert.equal(changes.length, 1);
    assert.equal(changes[0]?.type, 'iterationCompleted');
  });

  it('puts a resume before the iterations that followed it', () => {
    const prev = event({ status: 'paused', pausedAt: [at(2)], iterations: [iteration(1)], logsAvailable: true });
    const next = event({ pausedAt: [at(2)], resumedAt: [at(4)], iterations: [iteration(1), iteration(5)], logsAvailable: true });
    assert.deepEqual(
      diffEvent(prev, next).map((c) => c.type + (c.type === 'statusChanged' ? `:${c.status}` : '')),
      ['statusChanged:in_progress', 'iterationCompleted'],
    );
  });
});

describe('notices', () => {
  it('parses change notices and drops what is not one', () => {
    assert.deepEqual(parseChangeNotice('{"c":"s1","t":"acked","e":"evt_1"}'), { connectorId: 's1', type: 'acked', eventId: 'evt_1' });
    assert.deepEqual(parseChangeNotice('{"c":"s1","t":"enqueued"}'), { connectorId: 's1', type: 'enqueued' });
    assert.deepEqual(parseChangeNotice('{"c":"s1","t":"rebalanced"}'), { connectorId: 's1', type: 'unknown' });
    for (const bad of ['', 'not json', '[]', 'null', '42', '{"t":"acked"}', '{"c":"","t":"acked"}', '{"c":"s1"}', '{"c":7,"t":"acked"}']) {
      assert.equal(parseChangeNotice(bad), undefined, bad);
    }
    assert.equal(parseChangeNotice(undefined), undefined);
    assert.deepEqual(parseChangeNotice('{"c":"s1","t":"event","e":5}'), { connectorId: 's1', type: 'event' }, 'an event id that is not a string is left out');
  });

  it('parses the commands it knows, nothing else', () => {
    assert.deepEqual(parseCommandNotice('{"c":"s1","cmd":{"type":"start"}}'), { connectorId: 's1', command: { type: 'start' } });
    assert.deepEqual(parseCommandNotice('{"c":"s1","cmd":{"type":"setEnabled","enabled":false}}'), {
      connectorId: 's1',
      command: { type: 'setEnabled', enabled: false },
    });
    for (const bad of ['{"c":"s1","cmd":{"type":"setEnabled","enabled":"no"}}', '{"c":"s1","cmd":{"type":"explode"}}', '{"c":"s1","cmd":null}', '{"c":"s1"}', '{']) {
      assert.equal(parseCommandNotice(bad), undefined, bad);
    }
  });
});

describe('ItemCursor', () => {
  const item = (ref: string, s: number, status: ItemStatus['status'] = 'complete'): ItemStatus => ({
    v: SCHEMA_VERSION,
    entity: 'product',
    ref,
    op: 'upsert',
    status,
    errors: [],
    updatedAt: at(s),
    consecutiveFailures: 0,
  });

  it('looks back for late commits and tells each status once', () => {
    const cursor = new ItemCursor(2_000);
    assert.equal(cursor.since(), undefined);
    const first = [item('A', 10), item('B', 9)];
    assert.deepEqual(cursor.fresh(first), first);
    cursor.record(first);
    assert.equal(cursor.since(), at(8));
    // Read again with a late commit (C, stamped before B) and a new status of A.
    const again = [item('A', 11, 'error'), item('B', 9), item('C', 8)];
    assert.deepEqual(cursor.fresh(again).map((i) => i.ref), ['A', 'C']);
    cursor.record(again);
    assert.equal(cursor.since(), at(9));
    cursor.reset(at(20));
    assert.equal(cursor.since(), at(18));
    assert.equal(cursor.fresh([item('B', 19)]).length, 1, 'reset forgets what was told');
  });
});
