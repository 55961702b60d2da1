import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSyncSource, SyncEngine, type Change, type EngineEvents, type EngineOptions, type SourceChange } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });
const products = (n: number, prefix = 'P') => Array.from({ length: n }, (_, i) => product(`${prefix}${String(i).padStart(3, '0')}`));

function setup(options: Partial<EngineOptions> = {}, target = new FakeTarget()) {
  const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 }, ...options });
  const source = new LocalSyncSource(engine);
  const changes: SourceChange[] = [];
  const unsubscribe = source.subscribe((c) => changes.push(c));
  return { engine, target, source, changes, unsubscribe };
}

/** What a remote source would receive: the value after a JSON round trip. */
const viaJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const failing = (ref: string) => ref.startsWith('BAD');

describe('LocalSyncSource', () => {
  it('reads events, one event, items and logs as plain JSON data', async () => {
    const target = new FakeTarget({ outcomes: (i) => (failing(i.ref) ? { errors: [{ code: 'INVALID', field: ['price'], message: 'Price <b>must</b> be positive' }] } : 'synced') });
    const { engine, source } = setup({ batchSize: 5 }, target);
    await engine.enqueue([...products(8), ...products(2, 'BAD')]);
    const done = await engine.start();

    const page = await source.listEvents({ limit: 10 });
    assert.equal(page.total, 1);
    assert.deepEqual(viaJson(page), page);
    assert.deepEqual(page.items[0], done);
    assert.deepEqual(await source.getEvent(done.id), done);
    assert.equal(await source.getEvent('evt_missing'), undefined);

    const items = await source.queryItems({ status: 'error' });
    assert.equal(items.total, 2);
    assert.deepEqual(viaJson(items), items);
    assert.ok(items.items.every((i) => !('change' in i)), 'the change data is not part of the view');
    assert.equal((await source.queryItems({ ref: 'P00', limit: 3 })).items.length, 3);
    assert.equal((await source.queryItems({ ref: 'p00' })).total, 0, 'reference filter is case-sensitive');

    const csv = await source.downloadLogs(done.id, 'csv');
    assert.equal(csv.filename, `shopsync-${done.id}.csv`);
    assert.match(csv.contentType, /^text\/csv/);
    assert.match(csv.content, /^at,level,eventId/);
    const jsonl = await source.downloadLogs(done.id, 'jsonl');
    assert.match(jsonl.contentType, /^application\/jsonl/);
    assert.ok(jsonl.content.trim().split('\n').every((line) => JSON.parse(line).eventId === done.id));
  });

  it('groups item errors by cause and counts repeated failures', async () => {
    const target = new FakeTarget({
      outcomes: (i) =>
        i.ref.startsWith('BADP')
          ? { errors: [{ code: 'INVALID', field: ['price'], message: 'Price must be positive' }] }
          : i.ref.startsWith('BADT')
            ? { errors: [{ message: 'Title is too long' }, { message: 'Title is too long' }] }
            : 'synced',
    });
    const { engine, source } = setup({ batchSize: 50 }, target);
    await engine.enqueue([...products(5), ...products(3, 'BADP'), ...products(1, 'BADT')]);
    await engine.start();
    await source.retryFailed({ ref: 'BADP' });
    await engine.start();

    const summary = await source.summarizeItemErrors();
    assert.deepEqual(viaJson(summary), summary);
    assert.equal(summary.failedItems, 4);
    assert.equal(summary.repeatedFailures, 3, 'the BADP items failed in two events in a row');
    assert.deepEqual(summary.groups, [
      { code: 'INVALID', field: ['price'], message: 'Price must be positive', count: 3 },
      { message: 'Title is too long', count: 1 },
    ]);
    assert.equal((await source.summarizeItemErrors({ ref: 'BADT' })).failedItems, 1);
    assert.equal((await source.summarizeItemErrors({ entity: 'category' })).failedItems, 0);
  });

  it('tells subscribers what happened, in past-tense changes, live and in order', async () => {
    const { engine, changes } = setup({ batchSize: 4 });
    await engine.enqueue(products(10));
    const done = await engine.start();
    const types = changes.map((c) => c.type);
    assert.equal(types[0], 'pendingChanged');
    assert.ok(types.includes('statusChanged'));
    assert.equal(types.filter((t) => t === 'iterationCompleted').length, 3);
    assert.equal(types.filter((t) => t === 'logsAvailable').length, 1);
    assert.equal(types.filter((t) => t === 'itemsUpdated').length, 3);
    assert.deepEqual(viaJson(changes), changes, 'every change is plain JSON data');
    const statuses = changes.flatMap((c) => (c.type === 'statusChanged' ? [c.status] : []));
    assert.deepEqual(statuses, ['in_progress', 'completed']);
    const pendings = changes.flatMap((c) => (c.type === 'pendingChanged' && c.eventId === done.id ? [c.pending.products] : []));
    assert.deepEqual(pendings, [6, 2, 0], 'pending counters fall');
    const states = changes.flatMap((c) => (c.type === 'connectorChanged' ? [c.state] : []));
    assert.equal(states[0]!.running, true);
    assert.equal(states[0]!.runningEventId, done.id);
    const mid = states.find((s) => s.throughput?.itemsPerSecond !== null && s.running);
    assert.ok(mid?.throughput, 'throughput while running');
    assert.equal(states.at(-1)!.running, false);
    assert.equal(states.at(-1)!.throughput, undefined);
  });

  it('general errors arrive as generalError; a refused connection ends in error', async () => {
    const { engine, changes } = setup({}, new FakeTarget({ connectError: 'auth' }));
    await engine.enqueue(products(2));
    await engine.start();
    const g = changes.find((c) => c.type === 'generalError');
    assert.ok(g && g.type === 'generalError');
    assert.equal(g.error.code, 'auth');
    const s = changes.find((c) => c.type === 'statusChanged');
    assert.ok(s && s.type === 'statusChanged' && s.status === 'error');
  });

  it('one vocabulary: every engine event reaches subscribers under its own name', async () => {
    // Compile-time half: a name the engine emits that a source cannot tell fails the typecheck.
    const sameNames: [Exclude<keyof EngineEvents, SourceChange['type']>] extends [never] ? true : false = true;
    assert.equal(sameNames, true);
    const target = new FakeTarget({ outcomes: (i) => (failing(i.ref) ? { errors: [{ message: 'bad' }] } : 'synced') });
    target.failNextPush({ code: 'throttled', message: 'Slow down' });
    const { engine, changes } = setup({ batchSize: 3 }, target);
    const emitted = new Set<string>();
    for (const name of ['statusChanged', 'iterationCompleted', 'pendingChanged', 'itemsUpdated', 'generalError', 'logsAvailable'] as const) {
      engine.on(name, () => emitted.add(name));
    }
    await engine.enqueue([...products(4), ...products(1, 'BAD')]);
    await engine.start();
    assert.deepEqual([...emitted].sort(), ['generalError', 'itemsUpdated', 'iterationCompleted', 'logsAvailable', 'pendingChanged', 'statusChanged']);
    const told = new Set(changes.map((c) => c.type));
    for (const name of emitted) assert.ok(told.has(name as SourceChange['type']), `${name} reaches subscribers as ${name}`);
  });

  it('setEnabled pauses and resumes through the source, and tells subscribers', async () => {
    const target = new FakeTarget();
    const { engine, source, changes } = setup({ batchSize: 5 }, target);
    await engine.enqueue(products(20));
    target.onPush = async (_items, n) => {
      if (n === 2) await source.setEnabled(false);
    };
    const paused = await engine.start();
    assert.equal(paused.status, 'paused');
    assert.equal((await source.connectorState()).enabled, false);
    assert.ok(changes.some((c) => c.type === 'connectorChanged' && !c.state.enabled));
    target.onPush = undefined;
    await source.setEnabled(true);
    const resumed = await engine.idle();
    assert.equal(resumed?.id, paused.id);
    const statuses = changes.flatMap((c) => (c.type === 'statusChanged' ? [c.status] : []));
    assert.deepEqual(statuses, ['in_progress', 'paused', 'in_progress', 'completed']);
    assert.deepEqual(await source.connectorState(), { connectorId: 'store-1', enabled: true, running: false });
  });

  it('retries one item or the failed items of a filter; a filter on another status retries none', async () => {
    let fail = true;
    const target = new FakeTarget({ outcomes: (i) => (fail && i.ref.startsWith('BAD') ? { errors: [{ message: 'nope' }] } : 'synced') });
    const { engine, source } = setup({ batchSize: 50 }, target);
    await engine.enqueue([...products(2), ...products(3, 'BAD')]);
    await engine.start();
    assert.equal(await source.retryFailed({ status: 'complete' }), 0);
    assert.equal(await source.retryItem({ entity: 'product', ref: 'BAD000' }), 1);
    assert.equal(await source.retryItem({ entity: 'product', ref: 'P000' }), 0, 'a complete item is not retried');
    assert.equal((await source.queryItems({ status: 'pending' })).total, 1);
    assert.equal(await source.retryFailed({ status: 'error', ref: 'BAD' }), 2);
    fail = false;
    await engine.start();
    assert.equal((await source.queryItems({ status: 'error' })).total, 0);
  });

  it('reports the running event with its pace while it runs, and the next scheduled run', async () => {
    const target = new FakeTarget();
    const { engine, source } = setup({ batchSize: 2, schedule: { everyMs: 60_000 } }, target);
    await engine.enqueue(products(6));
    let seen: Awaited<ReturnType<typeof source.connectorState>> | undefined;
    let during: Awaited<ReturnType<typeof source.getEvent>>;
    target.onPush = async (_i, n) => {
      if (n === 3) {
        seen = await source.connectorState();
        during = await source.getEvent(seen.runningEventId!);
      }
    };
    const done = await engine.start();
    assert.equal(seen?.running, true);
    assert.equal(seen?.runningEventId, done.id);
    assert.equal(seen?.throughput?.processed, 4);
    assert.equal(seen?.throughput?.remaining, 2);
    assert.equal(during?.status, 'in_progress');
    assert.equal(during?.iterations.length, 2);
    assert.ok((await source.connectorState()).nextRunAt);
    await engine.dispose();
  });

  it('unsubscribing stops the changes', async () => {
    const { engine, changes, unsubscribe } = setup();
    unsubscribe();
    await engine.enqueue(products(2));
    await engine.start();
    assert.deepEqual(changes, []);
    assert.equal(engine.listenerCount('statusChanged'), 0);
  });
});
