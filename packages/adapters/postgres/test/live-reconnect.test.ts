/**
 * The source's LISTEN connection is killed mid-run (pg_terminate_backend): the source connects
 * again, tells `changesMissed`, catches up on what it missed, and what it reads in the end is
 * right. Nothing is missed silently.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, SyncEngine, totalOf, type SourceChange } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { NotificationHub, PostgresStorage, PostgresSyncSource } from '@shopsync/postgres';
import { PG_URL, Recorder, admin, isStatus, products, tempSchema, uniqueConnectorId, unreachable } from './live-helpers.js';

const skip = unreachable ?? false;

describe('PostgresSyncSource after its connection drops', { skip }, () => {
  let schema: Awaited<ReturnType<typeof tempSchema>>;
  let worker: PostgresStorage;
  let web: PostgresStorage;

  before(async () => {
    schema = await tempSchema('reconnect');
    worker = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
    web = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
  });
  after(async () => {
    await web?.close();
    await worker?.close();
    await schema?.drop();
  });

  it('tells changesMissed, catches up, and reads the final state right', async () => {
    const connectorId = uniqueConnectorId('drop');
    const engine = new SyncEngine({
      connector: { id: connectorId, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' },
      target: new FakeTarget({ latencyMs: 120 }),
      storage: worker,
      batchSize: 2,
    });
    // Down for 0.5 to 1 s: several iterations end meanwhile.
    const hub = new NotificationHub(() => web.connectionConfig(), { reconnect: { baseMs: 1_000, maxMs: 1_000 }, applicationName: `shopsync-test-${connectorId}` });
    const source = new PostgresSyncSource({ storage: web, connectorId, notifications: hub });
    const rec = new Recorder(source);
    try {
      await source.connectorState();
      const pid = hub.backendPid;
      assert.ok(pid, 'listening');
      await engine.enqueue(products(14));
      const run = engine.start();
      const started = await rec.waitFor<Extract<SourceChange, { type: 'statusChanged' }>>('started', isStatus('in_progress'));
      await rec.waitFor('an iteration', (c) => c.type === 'iterationCompleted');

      const [row] = await admin<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
      assert.equal(row?.ok, true);
      const missedAt = rec.changes.length;
      await rec.waitFor('changesMissed', (c) => c.type === 'changesMissed', { from: missedAt });
      assert.notEqual(hub.backendPid, pid, 'a new connection');

      const done = await run;
      await rec.waitFor('completed', isStatus('completed', started.eventId));
      await rec.waitFor('pending 0', (c) => c.type === 'pendingChanged' && totalOf(c.pending) === 0);
      assert.equal(rec.of('changesMissed').length, 1);
      const missedIndex = rec.changes.findIndex((c) => c.type === 'changesMissed');
      const before = rec.changes.slice(0, missedIndex).filter((c) => c.type === 'iterationCompleted').length;
      assert.ok(before < done.iterations.length - 1, `the connection was down while iterations ended (${before} of ${done.iterations.length} told before)`);
      assert.deepEqual(rec.statuses(done.id), ['starting->in_progress', 'in_progress->completed']);
      assert.deepEqual(
        rec.of('iterationCompleted', done.id).map((c) => c.iteration.index),
        done.iterations.map((i) => i.index),
        'iterations that ended while disconnected are told after the reconnection',
      );

      assert.deepEqual(await source.getEvent(done.id), done);
      assert.equal((await source.queryItems({ status: 'complete' })).total, 14);
      assert.deepEqual(await source.connectorState(), { connectorId, enabled: true, running: false });
      const told = new Set<string>();
      for (const c of rec.of('itemsUpdated')) for (const i of c.items) if (i.status === 'complete') told.add(i.ref);
      assert.equal(told.size, 14, 'every item finished was told, the ones finished while disconnected too');
    } finally {
      rec.unsubscribe();
      await source.close();
      await hub.close();
      await engine.dispose();
    }
  });

  it('lets reads go after openTimeoutMs while LISTEN cannot connect, and tells changesMissed once it does', async () => {
    const connectorId = uniqueConnectorId('late');
    let attempts = 0;
    // The first two attempts reach a port where nothing listens.
    const hub = new NotificationHub(
      () => {
        attempts += 1;
        return attempts <= 2 ? { host: '127.0.0.1', port: 1, connectionTimeoutMillis: 1_000 } : web.connectionConfig();
      },
      { reconnect: { baseMs: 400, maxMs: 400 } },
    );
    const source = new PostgresSyncSource({ storage: web, connectorId, notifications: hub, openTimeoutMs: 100 });
    const rec = new Recorder(source);
    try {
      const started = Date.now();
      assert.deepEqual(await source.connectorState(), { connectorId, enabled: true, running: false });
      assert.ok(Date.now() - started < 1_000, 'the read waited for openTimeoutMs only');
      assert.equal(hub.connected, false);
      await rec.waitFor('changesMissed', (c) => c.type === 'changesMissed');
      assert.equal(hub.connected, true);
      assert.ok(attempts >= 3);
      assert.ok(hub.lastError, 'the failures are kept for inspection');
      // Live from then on.
      await new ChangeQueue(worker, connectorId).enqueue(products(2));
      await rec.waitFor('pending', (c) => c.type === 'pendingChanged' && totalOf(c.pending) === 2);
    } finally {
      rec.unsubscribe();
      await source.close();
      await hub.close();
    }
  });
});
