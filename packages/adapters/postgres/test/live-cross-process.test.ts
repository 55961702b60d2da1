/**
 * Live across processes, for real: a child process (tsx) runs the engine on PostgreSQL; this
 * process holds only a PostgresSyncSource and the storage. What the panel would see and do
 * crosses the process boundary through NOTIFY alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ChangeQueue, totalOf, type SourceChange } from '@shopsync/core';
import { PostgresStorage, PostgresSyncSource } from '@shopsync/postgres';
import { PG_URL, Recorder, isStatus, products, tempSchema, uniqueConnectorId, unreachable } from './live-helpers.js';

const skip = unreachable ?? false;
const WORKER = fileURLToPath(new URL('./fixtures/live-worker.ts', import.meta.url));

type StatusChange = Extract<SourceChange, { type: 'statusChanged' }>;

describe('PostgresSyncSource and a worker in another process', { skip }, () => {
  let schema: Awaited<ReturnType<typeof tempSchema>>;
  let storage: PostgresStorage;
  let child: ChildProcess | undefined;
  let output = '';

  before(async () => {
    schema = await tempSchema('xproc');
    storage = await PostgresStorage.open({ url: PG_URL, schema: schema.name });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await storage?.close();
    await schema?.drop();
  });

  function spawnWorker(connectorId: string): Promise<void> {
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], {
      env: { ...process.env, SHOPSYNC_LIVE_WORKER: JSON.stringify({ url: PG_URL, schema: schema.name, connectorId, latencyMs: 250, batchSize: 3 }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The worker did not start in 30 s:\n${output}`)), 30_000);
      child!.stdout!.on('data', (d) => {
        output += d;
        if (output.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child!.stderr!.on('data', (d) => (output += d));
      child!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The worker exited (${code}) before it was ready:\n${output}`));
      });
    });
  }

  it('shows the run live, pauses and resumes it, and retries failed items, from this process', async () => {
    const connectorId = uniqueConnectorId('xproc');
    const source = new PostgresSyncSource({ storage, connectorId });
    const rec = new Recorder(source);
    try {
      await source.connectorState();
      await spawnWorker(connectorId);

      // The ERP writes to the queue here; the worker there starts a run by itself.
      await new ChangeQueue(storage, connectorId).enqueue([...products(10), ...products(2, 'BAD')]);
      const started = await rec.waitFor<StatusChange>('the run to start', isStatus('in_progress'));
      const eventId = started.eventId;
      assert.equal(started.previous, 'starting');
      await rec.waitFor('the first iteration', (c) => c.type === 'iterationCompleted' && c.eventId === eventId);

      // Disable from here: the run there pauses after its current iteration.
      await source.setEnabled(false);
      await rec.waitFor('paused', isStatus('paused', eventId));
      assert.equal((await source.connectorState()).enabled, false);
      const atPause = rec.of('iterationCompleted', eventId).length;
      await new Promise((r) => setTimeout(r, 700));
      assert.equal(rec.of('iterationCompleted', eventId).length, atPause, 'no iteration while paused');
      assert.equal((await source.getEvent(eventId))?.status, 'paused');
      assert.ok(totalOf((await source.getEvent(eventId))!.pending) > 0, 'paused with items left');

      // Enable again: the same event resumes and completes.
      await source.setEnabled(true);
      const completed = await rec.waitFor<StatusChange>('completed', isStatus('completed', eventId));
      await rec.waitFor('pending to fall to 0', (c) => c.type === 'pendingChanged' && totalOf(c.pending) === 0);
      assert.deepEqual(rec.statuses(eventId), ['starting->in_progress', 'in_progress->paused', 'paused->in_progress', 'in_progress->completed']);
      const final = completed.event;
      assert.deepEqual(await source.getEvent(eventId), final);
      assert.equal(final.pausedAt.length, 1);
      assert.equal(final.resumedAt.length, 1);
      assert.deepEqual(
        rec.of('iterationCompleted', eventId).map((c) => c.iteration.index),
        final.iterations.map((i) => i.index),
        'an iterationCompleted for each iteration, once',
      );
      assert.equal(final.iterations.length, 4);
      const pendings = rec.of('pendingChanged').map((c) => totalOf(c.pending));
      assert.equal(pendings[0], 12);
      assert.equal(pendings.at(-1), 0);
      assert.deepEqual(pendings, [...pendings].sort((a, b) => b - a), `pending only falls: ${pendings.join(', ')}`);
      assert.equal((await source.queryItems({ status: 'error' })).total, 2);
      assert.deepEqual(await source.connectorState(), { connectorId, enabled: true, running: false });

      // Retry the failed items from here: the worker runs them again, and they pass.
      const from = rec.changes.length;
      assert.equal(await source.retryFailed(), 2);
      const retried = await rec.waitFor<StatusChange>('the retry run', (c) => isStatus('completed')(c) && 'eventId' in c && c.eventId !== eventId, { from });
      assert.deepEqual(rec.statuses(retried.eventId), ['starting->in_progress', 'in_progress->completed']);
      assert.equal(retried.event.iterations.reduce((n, it) => n + totalOf(it.synced), 0), 2);
      assert.equal((await source.queryItems({ status: 'error' })).total, 0);
      assert.equal((await source.summarizeItemErrors()).failedItems, 0);
      const told = new Map<string, string>();
      for (const c of rec.of('itemsUpdated')) for (const i of c.items) told.set(i.ref, i.status);
      assert.equal(told.size, 12);
      assert.ok([...told.values()].every((s) => s === 'complete'), 'the last status told of each item is complete');
      assert.doesNotMatch(output, /worker error/);
    } finally {
      rec.unsubscribe();
      await source.close();
    }
  });
});
