/**
 * attachWorker: what the engine of a worker process does when other processes write the
 * registry, queue changes or send commands (here from a second storage instance on the schema).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, SyncEngine, totalOf, type SyncEvent } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { PostgresStorage, attachWorker } from '@shopsync/postgres';
import { PG_URL, admin, products, tempSchema, uniqueConnectorId, unreachable } from './live-helpers.js';

const skip = unreachable ?? false;

async function until(label: string, test: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('attachWorker', { skip }, () => {
  let schema: Awaited<ReturnType<typeof tempSchema>>;
  let worker: PostgresStorage;
  let web: PostgresStorage;

  before(async () => {
    schema = await tempSchema('worker');
    worker = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
    web = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
  });
  after(async () => {
    await web?.close();
    await worker?.close();
    await schema?.drop();
  });

  function setup(target = new FakeTarget()) {
    const connectorId = uniqueConnectorId('w');
    const engine = new SyncEngine({ connector: { id: connectorId, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' }, target, storage: worker, batchSize: 2 });
    const ended: SyncEvent[] = [];
    engine.on('statusChanged', (c) => {
      if (c.status === 'completed') ended.push(c.event);
    });
    return { connectorId, engine, target, ended, queue: new ChangeQueue(web, connectorId) };
  }

  it('applies the stored flag at attach, and runs what was queued once enabled elsewhere', async () => {
    const { connectorId, engine, ended, queue } = setup();
    await web.setConnectorEnabled(connectorId, false, Date.now());
    await queue.enqueue(products(3));
    const errors: unknown[] = [];
    const attached = await attachWorker(engine, worker, { startOnEnqueue: { debounceMs: 20 }, onError: (e) => errors.push(e) });
    try {
      assert.equal(engine.config.enabled, false, 'the registry says disabled');
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(engine.running, false);
      assert.equal(ended.length, 0);
      // Another process enables the connector in the registry, without a command: the changes run.
      await web.setConnectorEnabled(connectorId, true, Date.now());
      await until('the queued changes to run', () => ended.length === 1);
      assert.equal(engine.config.enabled, true);
      assert.equal(ended[0]?.iterations.length, 2);
      assert.deepEqual(errors, []);
    } finally {
      await attached.close();
      await engine.dispose();
    }
  });

  it('starts on changes from another process, takes start commands during a run without error, and misses no late change', async () => {
    const target = new FakeTarget({ latencyMs: 80 });
    const { connectorId, engine, ended, queue } = setup(target);
    const errors: unknown[] = [];
    const attached = await attachWorker(engine, worker, { startOnEnqueue: false, onError: (e) => errors.push(e) });
    try {
      await queue.enqueue(products(4));
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(engine.running, false, 'startOnEnqueue: false waits for a command');
      await web.sendCommand(connectorId, { type: 'start' });
      await until('the run', () => engine.running);
      // More changes and more starts while it runs: no error, and every change is run.
      await queue.enqueue(products(3, 'LATE'));
      await web.sendCommand(connectorId, { type: 'start' });
      await web.sendCommand(connectorId, { type: 'start' });
      await until('all synchronized', async () => (await worker.pendingCounts(connectorId)).products === 0 && !engine.running);
      assert.equal(target.pushedItems.length, 7);
      assert.ok(ended.length >= 1);
      assert.deepEqual(errors, []);
    } finally {
      await attached.close();
      await engine.dispose();
    }
  });

  it('ignores commands for other connectors and commands it cannot read; stops listening at close', async () => {
    const { connectorId, engine } = setup();
    const errors: unknown[] = [];
    const attached = await attachWorker(engine, worker, { onError: (e) => errors.push(e) });
    for (const payload of ['', '{', JSON.stringify({ c: connectorId, cmd: { type: 'setEnabled', enabled: 'no' } }), JSON.stringify({ c: 'other', cmd: { type: 'setEnabled', enabled: false } })]) {
      await admin('SELECT pg_notify($1, $2)', ['shopsync_commands', payload]);
    }
    await web.sendCommand('someone-else', { type: 'setEnabled', enabled: false });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(engine.config.enabled, true);
    await web.sendCommand(connectorId, { type: 'setEnabled', enabled: false });
    await until('disabled', () => !engine.config.enabled);
    await attached.close();
    await web.sendCommand(connectorId, { type: 'setEnabled', enabled: true });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(engine.config.enabled, false, 'closed: commands no longer reach the engine');
    assert.deepEqual(errors, []);
    await engine.dispose();
  });
  it('one process runs a connector at a time: a second worker waits until the first lets go, then finishes its event', async () => {
    // The first process has a storage of its own, so that it can die: once that storage is closed, nothing it does reaches the database.
    const dying = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
    const { connectorId, queue } = setup();
    const first = new SyncEngine({ connector: { id: connectorId, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' }, target: new FakeTarget({ latencyMs: 40 }), storage: dying, batchSize: 2, leaseMs: 1_000 });
    const target2 = new FakeTarget({ latencyMs: 5 });
    const second = new SyncEngine({ connector: { id: connectorId, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' }, target: target2, storage: web, batchSize: 2 });
    const a = await attachWorker(first, dying, { startOnEnqueue: { debounceMs: 20 } });
    let bAttached = false;
    const b = attachWorker(second, web, { startOnEnqueue: { debounceMs: 20 } }).then((w) => ((bAttached = true), w));
    try {
      await queue.enqueue(products(6));
      await until('the first worker running', () => first.running);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(bAttached, false, 'the second waits for the connector');
      assert.equal(second.running, false);
      // A third that gives up waiting (its process stopping) is told so.
      const giveUp = new AbortController();
      const third = attachWorker(second, web, { signal: giveUp.signal });
      giveUp.abort();
      await assert.rejects(third);
      // The first process dies mid-run: from now on it writes nothing (a lease it holds returns when it expires), and its lock is let go.
      await dying.close();
      await a.close();
      await first.dispose();
      await b;
      await until('everything synchronized by the second', async () => totalOf(await web.pendingCounts(connectorId)) === 0 && !second.running, 20_000);
      const events = await web.listEvents(connectorId, { offset: 0, limit: 10 });
      assert.equal(events.total, 1, 'one event, finished by the second process');
      assert.equal(events.items[0]!.status, 'completed');
      assert.ok(target2.pushedItems.length > 0, 'the second pushed what was left');
    } finally {
      await (await b).close();
      await second.dispose();
    }
  });
});
