import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSyncSource, SyncEngine, type ConnectorState, type ItemView, type Page, type SyncEvent } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { createSyncHandler, type SyncHandlerOptions, type SyncRequest } from '@shopsync/http';
import { BASE, connector, ManualSource, pendingChange, products, until } from './helpers.js';

const ORIGIN = 'http://shop.example';

async function setup(options: Partial<SyncHandlerOptions> = {}) {
  const target = new FakeTarget({ outcomes: (i) => (i.ref.startsWith('BAD') ? { errors: [{ message: 'bad price' }] } : 'synced') });
  const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 }, batchSize: 4 });
  const source = new LocalSyncSource(engine);
  await engine.enqueue([...products(5), ...products(2, 'BAD')]);
  const event = await engine.start();
  const handler = createSyncHandler({ source, basePath: BASE, onError: () => {}, ...options });
  const send = async (path: string, init?: RequestInit) => {
    const res = await handler.fetch(new Request(ORIGIN + path, init));
    assert.ok(res, `${path} is the handler's`);
    return res;
  };
  return { engine, source, handler, event, send };
}

/** Reads a stream Response into SSE messages until `test` holds. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const messages: Array<{ id: string; event: string; data: string }> = [];
  const comments: string[] = [];
  return {
    messages,
    comments,
    reader,
    async until(test: () => boolean, ms = 2_000) {
      const deadline = Date.now() + ms;
      while (!test()) {
        if (Date.now() > deadline) throw new Error('timed out reading the stream');
        const { done, value } = await reader.read();
        if (done) throw new Error('the stream ended');
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const msg = { id: '', event: 'message', data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) msg.id = line.slice(4);
            else if (line.startsWith('event: ')) msg.event = line.slice(7);
            else if (line.startsWith('data: ')) msg.data = line.slice(6);
          }
          if (msg.data) messages.push(msg);
        }
      }
    },
  };
}

describe('handler.fetch: the fetch-style variant', () => {
  // No socket holds the event loop here, and the heartbeat timer is unref'd on purpose.
  let keepAlive: ReturnType<typeof setInterval>;
  before(() => (keepAlive = setInterval(() => {}, 1_000)));
  after(() => clearInterval(keepAlive));

  it('serves the reads, with the same headers', async () => {
    const { send, event, source, engine } = await setup();
    try {
      const state = await send(`${BASE}/state`);
      assert.equal(state.status, 200);
      assert.equal(state.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(state.headers.get('cache-control'), 'no-store');
      assert.deepEqual((await state.json()) as ConnectorState, await source.connectorState());

      const events = (await (await send(`${BASE}/events?limit=1`)).json()) as Page<SyncEvent>;
      assert.equal(events.items[0]?.id, event.id);
      assert.deepEqual(await (await send(`${BASE}/events/${event.id}`)).json(), event);
      const items = (await (await send(`${BASE}/items?status=error`)).json()) as Page<ItemView>;
      assert.equal(items.total, 2);
      const summary = await (await send(`${BASE}/items/errors`)).json();
      assert.equal((summary as { failedItems: number }).failedItems, 2);

      const csv = await send(`${BASE}/events/${event.id}/logs?format=csv`);
      assert.match(csv.headers.get('content-type')!, /^text\/csv/);
      assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="shopsync-/);
      assert.equal(csv.headers.get('cache-control'), 'no-store');
      assert.equal(await csv.text(), (await source.downloadLogs(event.id, 'csv')).content);
    } finally {
      await engine.dispose();
    }
  });

  it('leaves requests outside the base path to the host; 404, 405, 400 as in Node', async () => {
    const { handler, send, engine } = await setup();
    try {
      assert.equal(await handler.fetch(new Request(`${ORIGIN}/elsewhere`)), undefined);
      assert.equal(await handler.fetch(new Request(`${ORIGIN}${BASE}x/state`)), undefined);
      assert.equal((await send(`${BASE}/nope`)).status, 404);
      const wrong = await send(`${BASE}/items/retry`);
      assert.equal(wrong.status, 405);
      assert.equal(wrong.headers.get('allow'), 'POST');
      const bad = await send(`${BASE}/items?limit=0`);
      assert.equal(bad.status, 400);
      const body = (await bad.json()) as { error: { issues: Array<{ path: string }> } };
      assert.equal(body.error.issues[0]?.path, 'query.limit');
    } finally {
      await engine.dispose();
    }
  });

  it('runs actions through authorize, with the native Request', async () => {
    const seen: SyncRequest[] = [];
    const { send, engine } = await setup({
      authorize: (request) => {
        seen.push(request);
        return request.headers.get('x-csrf') === 'ok';
      },
    });
    try {
      const post = (path: string, body: unknown, csrf = 'ok') =>
        send(BASE + path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', 'X-CSRF': csrf } });
      assert.equal((await post('/items/retry', { entity: 'product', ref: 'BAD000' }, 'no')).status, 403);
      assert.deepEqual(await (await post('/items/retry', { entity: 'product', ref: 'BAD000' })).json(), { queued: 1 });
      assert.deepEqual(await (await post('/items/retry-failed', {})).json(), { queued: 1 });
      const off = await send(`${BASE}/connector`, { method: 'PUT', body: JSON.stringify({ enabled: false }), headers: { 'Content-Type': 'application/json', 'X-CSRF': 'ok' } });
      assert.equal(((await off.json()) as ConnectorState).enabled, false);
      assert.equal(engine.config.enabled, false);
      assert.equal(seen[0]?.kind, 'fetch');
      assert.ok(seen[0]?.native instanceof Request);
      const big = await post('/items/retry-failed', { ref: 'x'.repeat(20_000) });
      assert.equal(big.status, 413);
    } finally {
      await engine.dispose();
    }
  });

  it('streams changes as a ReadableStream, resumes by Last-Event-ID, and forgets a cancelled reader', async () => {
    const source = new ManualSource();
    const handler = createSyncHandler({ source, basePath: BASE, heartbeatMs: 20 });
    try {
      const res = (await handler.fetch(new Request(`${ORIGIN}${BASE}/stream`)))!;
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const sse = sseReader(res);
      await sse.until(() => sse.messages.length === 1);
      assert.equal(sse.messages[0]!.event, 'ready');
      source.emit(pendingChange(1));
      source.emit(pendingChange(2));
      await sse.until(() => sse.messages.length === 3);
      assert.deepEqual(
        sse.messages.slice(1).map((m) => (JSON.parse(m.data) as { pending: { categories: number } }).pending.categories),
        [1, 2],
      );
      await sse.until(() => sse.comments.includes('heartbeat'));
      await sse.reader.cancel();
      await until(() => handler.stats().clients === 0, 1_000, 'the cancelled reader to be forgotten');

      source.emit(pendingChange(3));
      const again = (await handler.fetch(new Request(`${ORIGIN}${BASE}/stream`, { headers: { 'Last-Event-ID': sse.messages[1]!.id } })))!;
      const resumed = sseReader(again);
      await resumed.until(() => resumed.messages.length === 2);
      assert.deepEqual(
        resumed.messages.map((m) => m.id),
        [sse.messages[2]!.id, handler.stats().lastEventId],
      );
      await resumed.reader.cancel();
    } finally {
      handler.close();
    }
  });

  it('bounds what a reader that stops reading can hold, and ends streams on close', async () => {
    const source = new ManualSource();
    const handler = createSyncHandler({ source, basePath: BASE, clientBufferLimit: 4_096, replayBufferSize: 4 });
    const stalled = (await handler.fetch(new Request(`${ORIGIN}${BASE}/stream`)))!;
    const idle = sseReader((await handler.fetch(new Request(`${ORIGIN}${BASE}/stream`)))!);
    for (let i = 1; i <= 20; i++) {
      source.emit(pendingChange(i, 'z'.repeat(1_000)));
      assert.ok(handler.stats().maxClientBufferedBytes <= 4_096 + 1_200, 'never more than the limit plus one message');
    }
    assert.equal(handler.stats().slowClientsDropped, 2, 'both readers fell behind the replay buffer');
    await assert.rejects(stalled.body!.getReader().read(), /fell too far behind/);
    const later = sseReader((await handler.fetch(new Request(`${ORIGIN}${BASE}/stream`)))!);
    await later.until(() => later.messages.length === 1);
    handler.close();
    const { done } = await later.reader.read();
    assert.equal(done, true, 'close ends the stream');
    assert.equal((await handler.fetch(new Request(`${ORIGIN}${BASE}/state`)))!.status, 503);
    void idle;
  });
});
