/// <reference types="mocha" />
// HttpSyncSource in Chromium, against a real sync handler the test runner serves on the page's
// origin (test/browser/test-server.ts), driven by the `shopsync-http` server command.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { SourceChange } from '@shopsync/core';
import { HttpSourceError, HttpSyncSource } from '@shopsync/http/client';
import type { Command } from './browser/test-server.js';

const BASE = '/shopsync-test/api';
const server = <T = unknown>(c: Command) => executeServerCommand<T, Command>('shopsync-http', c);

async function until(test: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!test()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What a listener received, minus the client's own `changesMissed`. */
const real = (changes: SourceChange[]) => changes.filter((c) => c.type !== 'changesMissed');

describe('HttpSyncSource (Chromium, against createSyncHandler)', () => {
  let source: HttpSyncSource | undefined;
  beforeEach(async () => {
    await server({ action: 'reset' });
  });
  afterEach(() => {
    source?.close();
    source = undefined;
  });

  it('reads events, one event, items, the error summary and logs', async () => {
    await server({ action: 'enqueue', count: 5 });
    await server({ action: 'enqueue', count: 2, prefix: 'BAD' });
    const done = (await server<{ id: string; status: string }>({ action: 'run' }))!;
    source = await HttpSyncSource.connect(BASE);
    expect(source.connectorId).to.equal('store-1');
    expect(source.url).to.equal(`${location.origin}${BASE}`);

    const page = await source.listEvents({ limit: 5 });
    expect(page.total).to.equal(1);
    expect(page.items[0]!.id).to.equal(done.id);
    expect(page.items[0]!.status).to.equal('completed');
    expect(await source.getEvent(done.id)).to.deep.equal(page.items[0]);
    expect(await source.getEvent('evt_missing')).to.equal(undefined);

    const failed = await source.queryItems({ status: 'error', ref: 'BAD', limit: 1 });
    expect(failed.total).to.equal(2);
    expect(failed.items).to.have.length(1);
    expect(failed.items[0]!.errors[0]!.message).to.equal('Price must be positive');
    expect((await source.queryItems({ ref: '' })).total).to.equal(7, 'an empty reference is no filter');
    const summary = await source.summarizeItemErrors({ entity: 'product' });
    expect(summary.failedItems).to.equal(2);

    const csv = await source.downloadLogs(done.id, 'csv');
    expect(csv.filename).to.equal(`shopsync-${done.id}.csv`);
    expect(csv.contentType).to.match(/^text\/csv/);
    expect(csv.content).to.match(/^at,level,eventId/);
    const jsonl = await source.downloadLogs(done.id, 'jsonl');
    expect(jsonl.filename).to.equal(`shopsync-${done.id}.jsonl`);
    expect(JSON.parse(jsonl.content.split('\n')[0]!).eventId).to.equal(done.id);
  });

  it('acts (the host authorizes same-origin requests) and turns error answers into HttpSourceError', async () => {
    await server({ action: 'enqueue', count: 3, prefix: 'BAD' });
    await server({ action: 'run' });
    source = new HttpSyncSource({ url: BASE });
    expect(source.connectorId).to.equal('', 'unknown until the server names it');
    expect(await source.retryItem({ entity: 'product', ref: 'BAD000' })).to.equal(1);
    expect(await source.retryFailed({ ref: 'BAD' })).to.equal(2);
    await source.setEnabled(false);
    expect((await source.connectorState()).enabled).to.equal(false);
    expect(source.connectorId).to.equal('store-1');
    await source.setEnabled(true);

    const err = await source.queryItems({ limit: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HttpSourceError);
    const e = err as HttpSourceError;
    expect(e.status).to.equal(400);
    expect(e.code).to.equal('invalid_input');
    expect(e.issues.map((i) => i.path)).to.include('query.limit');
    expect(e.message).to.contain('query.limit');

    const nowhere = new HttpSyncSource({ url: '/shopsync-test/elsewhere' });
    const missing = await nowhere.connectorState().catch((x: unknown) => x);
    expect((missing as HttpSourceError).status).to.equal(404);
    nowhere.close();
  });

  it('receives live changes, in order, as the server engine runs', async () => {
    source = new HttpSyncSource({ url: BASE });
    const got: SourceChange[] = [];
    const unsubscribe = source.subscribe((c) => got.push(c));
    await source.connectorState(); // reads wait for the stream to open: nothing after this is missed
    expect(source.streaming).to.equal(true);
    await server({ action: 'mark' });
    await server({ action: 'enqueue', count: 7 });
    const done = (await server<{ id: string }>({ action: 'run' }))!;
    const sent = (await server<SourceChange[]>({ action: 'changes' }))!;
    await until(() => got.length >= sent.length, 5_000, 'every change');
    expect(got).to.deep.equal(sent);
    expect(got.some((c) => c.type === 'statusChanged' && c.status === 'completed' && c.eventId === done.id)).to.equal(true);
    expect(got.filter((c) => c.type === 'iterationCompleted')).to.have.length(3);
    unsubscribe();
    expect(source.streaming).to.equal(false, 'the last listener closes the stream');
  });

  it('reconnects after the server drops the stream, and misses nothing', async () => {
    source = new HttpSyncSource({ url: BASE });
    const got: SourceChange[] = [];
    source.subscribe((c) => got.push(c));
    await source.connectorState();
    await server({ action: 'mark' });
    await server({ action: 'enqueue', count: 9 });
    await server({ action: 'run-gated' }); // the first iteration is done, the second waits
    await until(() => got.some((c) => c.type === 'iterationCompleted'), 5_000, 'the first iteration');
    const lastBefore = source.lastEventId;
    expect(await server<number>({ action: 'drop-streams' })).to.equal(1);
    await server({ action: 'release' }); // the rest of the run happens while the stream is down
    const sent = (await server<SourceChange[]>({ action: 'changes' }))!;
    await until(() => real(got).length >= sent.length, 10_000, 'the replay after the reconnect');
    expect(real(got)).to.deep.equal(sent, 'no gap, no duplicate');
    expect(got.some((c) => c.type === 'changesMissed')).to.equal(false, 'resumed, not reset');
    expect(source.lastEventId).to.not.equal(lastBefore);
    expect(source.streaming).to.equal(true);
  });

  it('tells subscribers changesMissed when the server cannot replay (it restarted)', async () => {
    source = new HttpSyncSource({ url: BASE });
    const got: SourceChange[] = [];
    source.subscribe((c) => got.push(c));
    await source.connectorState();
    await server({ action: 'restart-handler' }); // ends the stream; the new handler knows no old id
    await until(() => got.some((c) => c.type === 'changesMissed'), 10_000, 'changesMissed');
    expect(got.find((c) => c.type === 'changesMissed')).to.deep.equal({ type: 'changesMissed', connectorId: 'store-1' });
    await server({ action: 'mark' });
    await server({ action: 'enqueue', count: 2 });
    await server({ action: 'run' });
    const sent = (await server<SourceChange[]>({ action: 'changes' }))!;
    await until(() => real(got).length >= sent.length, 5_000, 'live changes after the reset');
    expect(real(got).slice(-sent.length)).to.deep.equal(sent);
  });

  it('close() ends the stream on the server and refuses later calls', async () => {
    source = new HttpSyncSource({ url: BASE });
    source.subscribe(() => {});
    await source.connectorState();
    await until(() => true);
    expect((await server<{ clients: number }>({ action: 'stats' }))!.clients).to.equal(1);
    source.close();
    for (let i = 0; i < 100 && (await server<{ clients: number }>({ action: 'stats' }))!.clients !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await server<{ clients: number }>({ action: 'stats' }))!.clients).to.equal(0);
    const err = (await source.listEvents().catch((e: unknown) => e)) as HttpSourceError;
    expect(err.code).to.equal('closed');
  });
});
