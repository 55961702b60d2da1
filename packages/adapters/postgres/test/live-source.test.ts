/**
 * A PostgresSyncSource sees what another "process" writes: two PostgresStorage instances (two
 * pools) on one schema, an engine on one, a source on the other, nothing shared in memory.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, SyncEngine, totalOf, type SourceChange, type SyncEvent } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { PostgresStorage, PostgresSyncSource, attachWorker } from '@shopsync/postgres';
import { PG_URL, Recorder, admin, isStatus, products, tempSchema, uniqueConnectorId, unreachable } from './live-helpers.js';

const skip = unreachable ?? false;

const failing = (ref: string) => ref.startsWith('BAD');

describe('PostgresSyncSource, an engine on another storage instance', { skip }, () => {
  let schema: Awaited<ReturnType<typeof tempSchema>>;
  let worker: PostgresStorage;
  let web: PostgresStorage;

  before(async () => {
    schema = await tempSchema('source');
    worker = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
    web = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
  });
  after(async () => {
    await web?.close();
    await worker?.close();
    await schema?.drop();
  });

  function engineFor(connectorId: string, target: FakeTarget, batchSize = 3): SyncEngine {
    return new SyncEngine({
      connector: { id: connectorId, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' },
      target,
      storage: worker,
      batchSize,
      retryBackoff: { baseMs: 0, maxMs: 0 },
    });
  }

  it('sees every status change, iteration, item and pending count of a run the other drives', async () => {
    const connectorId = uniqueConnectorId('run');
    const target = new FakeTarget({ latencyMs: 60, outcomes: (i) => (failing(i.ref) ? { errors: [{ code: 'INVALID', message: 'Price must be positive' }] } : 'synced') });
    const engine = engineFor(connectorId, target);
    const source = new PostgresSyncSource({ storage: web, connectorId });
    const rec = new Recorder(source);
    try {
      const before = await source.connectorState();
      assert.deepEqual(before, { connectorId, enabled: true, running: false });

      await engine.enqueue([...products(8), ...products(2, 'BAD')]);
      const pendingSeen = await rec.waitFor<Extract<SourceChange, { type: 'pendingChanged' }>>('pending after enqueue', (c) => c.type === 'pendingChanged');
      assert.equal(pendingSeen.pending.products, 10);

      const done: SyncEvent = await engine.start();
      assert.equal(done.status, 'completed');
      await rec.waitFor('completed', isStatus('completed', done.id));
      await rec.waitFor('pending 0', (c) => c.type === 'pendingChanged' && totalOf(c.pending) === 0);

      assert.deepEqual(rec.statuses(done.id), ['starting->in_progress', 'in_progress->completed']);
      const completed = rec.of('statusChanged', done.id).at(-1)!;
      assert.deepEqual(completed.event, done, 'the event told is the event the engine ended with');
      assert.deepEqual(
        rec.of('iterationCompleted', done.id).map((c) => c.iteration.index),
        done.iterations.map((it) => it.index),
        'every iteration, once, in order',
      );
      assert.equal(done.iterations.length, 4);
      assert.equal(rec.of('logsAvailable', done.id).length, 1);
      // Every item's final status was told; the last told of each is the one stored.
      const told = new Map<string, string>();
      for (const c of rec.of('itemsUpdated')) for (const i of c.items) told.set(i.ref, i.status);
      assert.equal(told.size, 10);
      for (const [ref, status] of told) assert.equal(status, failing(ref) ? 'error' : 'complete', ref);
      assert.ok(rec.of('itemsUpdated').every((c) => c.items.every((i) => !('change' in i))));
      const order = rec.summary();
      assert.ok(order.indexOf('starting->in_progress') < order.indexOf('iteration 1'), order.join(', '));
      assert.ok(order.lastIndexOf('iteration 4') < order.indexOf('in_progress->completed'), order.join(', '));
      const lastState = rec.of('connectorChanged').at(-1)!.state;
      assert.equal(lastState.running, false);
      assert.ok(rec.of('connectorChanged').some((c) => c.state.running && c.state.runningEventId === done.id));

      // Reads come from the storage: the same as the engine's.
      assert.deepEqual((await source.listEvents()).items[0], done);
      assert.deepEqual(await source.getEvent(done.id), done);
      assert.equal((await source.queryItems({ status: 'error' })).total, 2);
      assert.deepEqual(await source.summarizeItemErrors(), { failedItems: 2, repeatedFailures: 0, groups: [{ code: 'INVALID', message: 'Price must be positive', count: 2 }] });
      const csv = await source.downloadLogs(done.id, 'csv');
      assert.match(csv.content, /^at,level,eventId/);
      assert.equal(csv.filename, `shopsync-${done.id}.csv`);
      assert.deepEqual(await source.connectorState(), { connectorId, enabled: true, running: false });
    } finally {
      rec.unsubscribe();
      await source.close();
      await engine.dispose();
    }
  });

  it('pauses, resumes and retries the engine through the storage (attachWorker)', async () => {
    const connectorId = uniqueConnectorId('act');
    const attempts = new Map<string, number>();
    const target = new FakeTarget({
      latencyMs: 80,
      outcomes: (i) => {
        const n = (attempts.get(i.ref) ?? 0) + 1;
        attempts.set(i.ref, n);
        return failing(i.ref) && n === 1 ? { errors: [{ message: 'Try again' }] } : 'synced';
      },
    });
    const engine = engineFor(connectorId, target, 2);
    const attached = await attachWorker(engine, worker, { startOnEnqueue: { debounceMs: 50 } });
    const source = new PostgresSyncSource({ storage: web, connectorId });
    const rec = new Recorder(source);
    try {
      await source.connectorState();
      // The web process queues changes: the worker starts a run by itself.
      await new ChangeQueue(web, connectorId).enqueue([...products(6), ...products(2, 'BAD')]);
      const started = await rec.waitFor<Extract<SourceChange, { type: 'statusChanged' }>>('started', isStatus('in_progress'));
      const eventId = started.eventId;
      await rec.waitFor('first iteration', (c) => c.type === 'iterationCompleted' && c.eventId === eventId);

      await source.setEnabled(false);
      await rec.waitFor('paused', isStatus('paused', eventId));
      assert.equal((await source.connectorState()).enabled, false);
      assert.equal(engine.config.enabled, false);
      const iterationsAtPause = rec.of('iterationCompleted', eventId).length;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(rec.of('iterationCompleted', eventId).length, iterationsAtPause, 'no iteration while paused');
      assert.equal((await source.getEvent(eventId))?.status, 'paused');

      await source.setEnabled(true);
      const done = await rec.waitFor<Extract<SourceChange, { type: 'statusChanged' }>>('completed', isStatus('completed', eventId));
      assert.deepEqual(rec.statuses(eventId), ['starting->in_progress', 'in_progress->paused', 'paused->in_progress', 'in_progress->completed']);
      assert.deepEqual(rec.of('iterationCompleted', eventId).map((c) => c.iteration.index), done.event.iterations.map((i) => i.index));
      assert.equal((await source.queryItems({ status: 'error' })).total, 2);

      const from = rec.changes.length;
      assert.equal(await source.retryFailed({ status: 'complete' }), 0, 'only failed items are retried');
      assert.equal(await source.retryFailed(), 2);
      const retried = await rec.waitFor<Extract<SourceChange, { type: 'statusChanged' }>>('retry run', (c) => isStatus('completed')(c) && 'eventId' in c && c.eventId !== eventId, { from });
      assert.equal(retried.event.iterations.reduce((n, it) => n + totalOf(it.synced), 0), 2);
      assert.equal((await source.queryItems({ status: 'error' })).total, 0);
      assert.equal(await source.retryItem({ entity: 'product', ref: 'BAD000' }), 0, 'no longer failed');
    } finally {
      rec.unsubscribe();
      await source.close();
      await attached.close();
      await engine.dispose();
    }
  });

  it('ignores malformed notifications and other connectors', async () => {
    const connectorId = uniqueConnectorId('noise');
    const source = new PostgresSyncSource({ storage: web, connectorId, debounceMs: 10 });
    const rec = new Recorder(source);
    try {
      await source.connectorState();
      for (const payload of ['', 'not json', '[1]', '{"c":"other","t":"enqueued"}', JSON.stringify({ c: connectorId }), JSON.stringify({ c: connectorId, t: 'leased' })]) {
        await admin('SELECT pg_notify($1, $2)', ['shopsync_changes', payload]);
      }
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(rec.changes, []);
      // The hub is still listening: a real change still arrives.
      await new ChangeQueue(web, connectorId).enqueue(products(1));
      await rec.waitFor('pending', (c) => c.type === 'pendingChanged');
      assert.equal(source.notifications, new PostgresSyncSource({ storage: web, connectorId: 'another' }).notifications, 'one LISTEN connection per storage');
    } finally {
      rec.unsubscribe();
      await source.close();
    }
  });
});
