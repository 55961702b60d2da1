// The panel's view as a pure function of the source's changes and the panel's reads: no DOM, no
// element, no source. Runs under Node (`node scripts/test.mjs --node panel-view`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectorState, GeneralError, Iteration, SourceChange, SyncEvent, SyncStatus } from '@shopsync/core';
import { INITIAL_PANEL_VIEW, reducePanelView, type PanelAction, type PanelView } from './panel-view.js';

const connector: ConnectorState = { connectorId: 'store-1', enabled: true, running: false };

function event(id: string, status: SyncStatus = 'in_progress', over: Partial<SyncEvent> = {}): SyncEvent {
  return {
    v: 1,
    id,
    connectorId: 'store-1',
    status,
    trigger: 'manual',
    startedAt: '2026-01-15T12:00:00.000Z',
    pending: { categories: 1, products: 5, variants: 2 },
    generalErrors: [],
    iterations: [],
    logsAvailable: false,
    pausedAt: [],
    resumedAt: [],
    config: {
      shopDomain: 'demo.myshopify.com',
      apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false },
      disableDeletions: true,
      overwriteStock: false,
      includeEmptyCategories: true,
      language: 'en',
    },
    ...over,
  };
}

const iteration: Iteration = {
  index: 1,
  startedAt: '2026-01-15T12:00:00.000Z',
  endedAt: '2026-01-15T12:00:01.000Z',
  synced: { categories: 1, products: 5, variants: 2 },
  failed: { categories: 0, products: 0, variants: 0 },
  skipped: { categories: 0, products: 0, variants: 0 },
};

const throttled: GeneralError = { at: '2026-01-15T12:00:01.000Z', code: 'throttled', message: 'Slow down' };

const statusChanged = (ev: SyncEvent, previous: SyncStatus | 'starting'): SourceChange => ({
  type: 'statusChanged',
  connectorId: 'store-1',
  eventId: ev.id,
  status: ev.status,
  previous,
  event: ev,
});

const run = (actions: PanelAction[], from: PanelView = INITIAL_PANEL_VIEW) => actions.reduce(reducePanelView, from);

/** A view after the first reads, showing `ev` (the newest event). */
const loaded = (ev: SyncEvent | undefined = event('e1')) =>
  run([
    { type: 'loadStarted', quiet: false },
    { type: 'loaded', connector, latestId: ev?.id, event: ev },
  ]);

/** Deep-freezes a view, so that a reducer that changed anything in place would throw. */
function frozen<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) frozen(v);
  }
  return value;
}

describe('reducePanelView: the initial reads', () => {
  it('loading, then ready with the connector, the newest event and the event shown', () => {
    const loading = run([{ type: 'loadStarted', quiet: false }]);
    assert.equal(loading.phase, 'loading');
    const view = loaded();
    assert.equal(view.phase, 'ready');
    assert.equal(view.event?.id, 'e1');
    assert.equal(view.latestId, 'e1');
    assert.deepEqual(view.connector, connector);
    assert.equal(INITIAL_PANEL_VIEW.phase, 'idle', 'the initial view is not changed');
  });

  it('a quiet reload (a resync) keeps a ready view shown; a failed read says why', () => {
    const ready = loaded();
    assert.equal(reducePanelView(ready, { type: 'loadStarted', quiet: true }), ready);
    assert.equal(reducePanelView(ready, { type: 'loadStarted', quiet: false }).phase, 'loading');
    const failed = reducePanelView(ready, { type: 'loadFailed', message: 'HTTP 503' });
    assert.equal(failed.phase, 'failed');
    assert.equal(failed.loadError, 'HTTP 503');
  });

  it('the host chooses an event, then goes back to the newest', () => {
    const view = run([{ type: 'eventChosen', eventId: 'e0' }, { type: 'eventLoaded', event: event('e0', 'completed') }], loaded());
    assert.equal(view.pinnedId, 'e0');
    assert.equal(view.event?.id, 'e0');
    assert.equal(reducePanelView(view, { type: 'eventChosen', eventId: 'e0' }), view, 'the same choice changes nothing');
    assert.equal(reducePanelView(view, { type: 'eventChosen', eventId: '' }).pinnedId, '');
  });
});

describe('reducePanelView: the source’s changes', () => {
  it('never changes a view in place, and returns the same view when nothing shown changed', () => {
    const view = frozen(loaded(event('e1')));
    const changes: SourceChange[] = [
      statusChanged(event('e1', 'completed'), 'in_progress'),
      { type: 'pendingChanged', connectorId: 'store-1', eventId: 'e1', pending: { categories: 0, products: 1, variants: 0 } },
      { type: 'generalError', connectorId: 'store-1', eventId: 'e1', error: throttled },
      { type: 'logsAvailable', connectorId: 'store-1', eventId: 'e1' },
      { type: 'connectorChanged', connectorId: 'store-1', state: { ...connector, enabled: false } },
    ];
    for (const c of changes) assert.notEqual(reducePanelView(view, c), view, c.type);
    const none: SourceChange[] = [
      { type: 'itemsUpdated', connectorId: 'store-1', items: [] },
      { type: 'changesMissed', connectorId: 'store-1' },
      { type: 'pendingChanged', connectorId: 'store-1', eventId: 'other', pending: { categories: 0, products: 0, variants: 0 } },
      { type: 'pendingChanged', connectorId: 'store-1', pending: { categories: 0, products: 0, variants: 0 } },
      { type: 'logsAvailable', connectorId: 'store-1', eventId: 'other' },
    ];
    for (const c of none) assert.equal(reducePanelView(view, c), view, c.type);
  });

  it('pending counters fall and logs become available on the event shown', () => {
    const view = run(
      [
        { type: 'pendingChanged', connectorId: 'store-1', eventId: 'e1', pending: { categories: 0, products: 3, variants: 1 } },
        { type: 'logsAvailable', connectorId: 'store-1', eventId: 'e1' },
      ],
      loaded(),
    );
    assert.deepEqual(view.event?.pending, { categories: 0, products: 3, variants: 1 });
    assert.equal(view.event?.logsAvailable, true);
  });

  it('a general error is added once, however often it is told', () => {
    const told: SourceChange = { type: 'generalError', connectorId: 'store-1', eventId: 'e1', error: throttled };
    const view = run([told, told, { ...told, error: { ...throttled } }], loaded());
    assert.deepEqual(view.event?.generalErrors, [throttled]);
  });

  it('a new status of the event shown is a status change to announce; the same status again is not', () => {
    const first = reducePanelView(loaded(event('e1', 'in_progress')), statusChanged(event('e1', 'completed'), 'in_progress'));
    assert.equal(first.event?.status, 'completed');
    assert.deepEqual(first.statusChange, { eventId: 'e1', status: 'completed', previous: 'in_progress' });
    const again = reducePanelView(first, statusChanged(event('e1', 'completed'), 'in_progress'));
    assert.equal(again.statusChange, first.statusChange, 'not announced twice');
  });

  it('following the newest event: a run that starts is shown and announced', () => {
    const view = reducePanelView(loaded(event('e1', 'completed')), statusChanged(event('e2', 'in_progress'), 'starting'));
    assert.equal(view.latestId, 'e2');
    assert.equal(view.event?.id, 'e2');
    assert.deepEqual(view.statusChange, { eventId: 'e2', status: 'in_progress', previous: 'starting' });
  });

  it('an event chosen by the host stays shown while another runs; the newest id still moves', () => {
    const pinned = run([{ type: 'eventChosen', eventId: 'e0' }, { type: 'eventLoaded', event: event('e0', 'completed') }], loaded(event('e1', 'completed')));
    const view = run([statusChanged(event('e2', 'in_progress'), 'starting'), { type: 'iterationCompleted', connectorId: 'store-1', eventId: 'e2', iteration, event: event('e2') }], pinned);
    assert.equal(view.event?.id, 'e0');
    assert.equal(view.latestId, 'e2');
    assert.equal(view.statusChange, undefined, 'nothing announced about an event not shown');
  });

  it('a live change shows its event before the first reads are in', () => {
    const view = run([{ type: 'loadStarted', quiet: false }, statusChanged(event('e1', 'in_progress'), 'starting')]);
    assert.equal(view.phase, 'ready');
    assert.equal(view.event?.id, 'e1');
  });

  it('the connector, as reported', () => {
    const view = reducePanelView(loaded(), { type: 'connectorChanged', connectorId: 'store-1', state: { ...connector, enabled: false } });
    assert.equal(view.connector?.enabled, false);
  });
});
