import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { BASE, ManualSource, openStream, pendingChange, products, serve, serveEngine, until } from './helpers.js';

const seqOf = (id: string) => Number(id.split('-')[1]);

describe('GET /stream: Server-Sent Events', () => {
  it('opens with retry and ready, numbers every change with a rising id, and sends heartbeats', async () => {
    const s = await serveEngine({ batchSize: 2 }, { heartbeatMs: 30, retryMs: 1_500 });
    try {
      const stream = await openStream(`${s.url}${BASE}/stream`);
      assert.equal(stream.status, 200);
      assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
      await stream.until(() => stream.messages.length === 1);
      assert.equal(stream.retry, 1_500);
      const ready = stream.messages[0]!;
      assert.equal(ready.event, 'ready');
      assert.deepEqual(JSON.parse(ready.data), { connectorId: 'store-1' });

      await s.engine.enqueue(products(6));
      const done = await s.engine.start();
      await stream.until(() => stream.messages.at(-1)?.id === s.handler.stats().lastEventId, 5_000, 'the run');
      const changes = stream.changes();
      assert.ok(changes.length >= 10);
      const seqs = changes.map((c) => seqOf(c.id));
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => seqOf(ready.id) + i + 1),
        'ids rise by one from the ready id',
      );
      assert.ok(changes.some((c) => c.type === 'statusChanged' && c.status === 'completed' && c.eventId === done.id));
      assert.deepEqual(
        changes.filter((c) => c.type === 'iterationCompleted').length,
        3,
      );
      await stream.until(() => stream.comments.includes('heartbeat'), 2_000, 'a heartbeat');
      stream.drop();
    } finally {
      await s.close();
    }
  });

  it('resumes after a dropped connection: exactly the missed messages, no gap, no duplicate', async () => {
    const s = await serveEngine({ batchSize: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reachedGate!: () => void;
    const atGate = new Promise<void>((r) => (reachedGate = r));
    s.target.onPush = async (_items, n) => {
      if (n === 3) {
        reachedGate();
        await gate;
      }
    };
    try {
      const reference = await openStream(`${s.url}${BASE}/stream`);
      const client = await openStream(`${s.url}${BASE}/stream`);
      await client.until(() => client.messages.length === 1);
      await s.engine.enqueue(products(10));
      const run = s.engine.start();
      await atGate;
      await client.until(() => client.changes().filter((c) => c.type === 'iterationCompleted').length === 2, 5_000, 'two iterations');
      client.drop(); // mid-run
      await until(() => s.handler.stats().clients === 1, 2_000, 'the server to see the drop');
      const before = client.changes();
      release();
      await run;
      const last = s.handler.stats().lastEventId;
      await reference.until(() => reference.messages.at(-1)?.id === last, 5_000, 'the reference to have everything');
      assert.ok(seqOf(last) > seqOf(before.at(-1)!.id), 'changes happened while the client was away');

      const resumed = await openStream(`${s.url}${BASE}/stream`, { 'Last-Event-ID': before.at(-1)!.id });
      await resumed.until(() => resumed.messages.at(-1)?.id === last, 5_000, 'the replay');
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(!resumed.messages.some((m) => m.event === 'ready' || m.event === 'reset'), 'a resume is neither fresh nor reset');
      assert.deepEqual([...before, ...resumed.changes()], reference.changes(), 'the same messages, in the same order, once each');
      reference.drop();
      resumed.drop();
    } finally {
      release();
      await s.close();
    }
  });

  it('takes the last id from ?lastEventId= too (the header wins when both are sent)', async () => {
    const source = new ManualSource();
    const s = await serve(source);
    try {
      const first = await openStream(`${s.url}${BASE}/stream`);
      await first.until(() => first.messages.length === 1);
      for (let i = 1; i <= 5; i++) source.emit(pendingChange(i));
      await first.until(() => first.changes().length === 5);
      const ids = first.changes().map((c) => c.id);
      first.drop();

      const byQuery = await openStream(`${s.url}${BASE}/stream?lastEventId=${encodeURIComponent(ids[1]!)}`);
      await byQuery.until(() => byQuery.changes().length === 3);
      assert.deepEqual(
        byQuery.changes().map((c) => c.id),
        ids.slice(2),
      );
      const both = await openStream(`${s.url}${BASE}/stream?lastEventId=${encodeURIComponent(ids[0]!)}`, { 'Last-Event-ID': ids[3]! });
      await both.until(() => both.changes().length === 1);
      await new Promise((r) => setTimeout(r, 30));
      assert.deepEqual(
        both.changes().map((c) => c.id),
        [ids[4]],
      );
      const current = await openStream(`${s.url}${BASE}/stream`, { 'Last-Event-ID': ids[4]! });
      source.emit(pendingChange(6));
      await current.until(() => current.messages.length === 1);
      assert.equal(current.messages[0]!.event, 'change', 'nothing to replay, then live');
      for (const r of [byQuery, both, current]) r.drop();
    } finally {
      await s.close();
    }
  });

  it('sends reset when the id is older than the replay buffer, unknown, or from another server', async () => {
    const source = new ManualSource();
    const s = await serve(source, { replayBufferSize: 3 });
    try {
      const first = await openStream(`${s.url}${BASE}/stream`);
      for (let i = 1; i <= 6; i++) source.emit(pendingChange(i));
      await first.until(() => first.changes().length === 6);
      const ids = first.changes().map((c) => c.id);
      first.drop();

      const resets = async (lastEventId: string, reason: string) => {
        const current = s.handler.stats().lastEventId;
        const r = await openStream(`${s.url}${BASE}/stream`, { 'Last-Event-ID': lastEventId });
        await r.until(() => r.messages.length === 1);
        assert.equal(r.messages[0]!.event, 'reset', lastEventId);
        assert.deepEqual(JSON.parse(r.messages[0]!.data), { connectorId: 'manual-1', reason });
        assert.equal(r.messages[0]!.id, current, 'the reset carries the current id, to resume from');
        source.emit(pendingChange(99));
        await r.until(() => r.changes().length === 1, 2_000, 'live changes after a reset');
        r.drop();
      };
      await resets(ids[1]!, 'expired');
      await resets('0abc-3', 'unknown_id');
      await resets(`${ids[0]!.split('-')[0]}-999`, 'unknown_id');
      await resets('not an id', 'unknown_id');

      // The ring holds the last three: the id just before them still resumes.
      const latest = s.handler.stats().lastEventId;
      const ok = await openStream(`${s.url}${BASE}/stream`, { 'Last-Event-ID': `${ids[0]!.split('-')[0]}-${seqOf(latest) - 3}` });
      await ok.until(() => ok.changes().length === 3);
      assert.equal(ok.messages[0]!.event, 'change');
      ok.drop();
    } finally {
      await s.close();
    }
  });

  it('a client that stops reading is cut off; unsent bytes stay bounded; fast clients get everything', async () => {
    const source = new ManualSource();
    const limit = 16 * 1024;
    const s = await serve(source, { clientBufferLimit: limit, replayBufferSize: 8 });
    const padding = 'x'.repeat(64 * 1024);
    try {
      // The slow client: a raw socket that sends its request and never reads again.
      const slow = connect(s.port, '127.0.0.1');
      slow.on('error', () => {});
      await new Promise<void>((r) => slow.once('connect', () => r()));
      slow.write(`GET ${BASE}/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`);
      slow.pause();
      const fast = await openStream(`${s.url}${BASE}/stream`);
      await until(() => s.handler.stats().clients === 2, 2_000, 'both clients');

      let maxBuffered = 0;
      let count = 0;
      for (let i = 1; i <= 400 && s.handler.stats().slowClientsDropped === 0; i++) {
        source.emit(pendingChange(i, padding));
        count = i;
        maxBuffered = Math.max(maxBuffered, s.handler.stats().maxClientBufferedBytes);
        await tick();
        // Keep the fast client within the replay buffer (it reads as fast as the loopback allows).
        if (i % 4 === 0) await fast.until(() => fast.changes().length >= i - 2, 5_000, 'the fast client');
      }
      const stats = s.handler.stats();
      assert.equal(stats.slowClientsDropped, 1, 'the slow client was dropped');
      assert.equal(stats.clients, 1, 'the fast client stays');
      assert.ok(count < 400, `dropped after ${count} messages (about the kernel's buffers, then the ring)`);
      assert.ok(maxBuffered <= limit + padding.length + 1_024, `unsent bytes per client stayed under the limit plus one message (${maxBuffered})`);
      await fast.until(() => fast.changes().length === count, 5_000, 'every message at the fast client');
      assert.deepEqual(
        fast.changes().map((c) => (c.type === 'pendingChanged' ? c.pending.categories : -1)),
        Array.from({ length: count }, (_, i) => i + 1),
      );
      fast.drop();
      slow.destroy();
    } finally {
      await s.close();
    }
  });

  it('a client that does not drain for four heartbeats is dropped', async () => {
    const source = new ManualSource();
    const s = await serve(source, { clientBufferLimit: 1_024, heartbeatMs: 20, replayBufferSize: 1_000 });
    try {
      const slow = connect(s.port, '127.0.0.1');
      slow.on('error', () => {});
      await new Promise<void>((r) => slow.once('connect', () => r()));
      slow.write(`GET ${BASE}/stream HTTP/1.1\r\nHost: x\r\n\r\n`);
      slow.pause();
      await until(() => s.handler.stats().clients === 1);
      // Fill the kernel's buffers, then a little more: the client is waiting, and stalls.
      const padding = 'y'.repeat(256 * 1024);
      for (let i = 0; i < 100 && s.handler.stats().maxClientBufferedBytes < 1_024; i++) {
        source.emit(pendingChange(i, padding));
        await tick();
      }
      assert.ok(s.handler.stats().maxClientBufferedBytes >= 1_024);
      await until(() => s.handler.stats().slowClientsDropped === 1, 2_000, 'the stalled client to be dropped');
      assert.equal(s.handler.stats().clients, 0);
      slow.destroy();
    } finally {
      await s.close();
    }
  });

  it('forgets a client that went away', async () => {
    const source = new ManualSource();
    const s = await serve(source);
    try {
      const a = await openStream(`${s.url}${BASE}/stream`);
      await until(() => s.handler.stats().clients === 1);
      a.drop();
      await until(() => s.handler.stats().clients === 0, 2_000, 'the client to be forgotten');
      assert.equal(s.handler.stats().slowClientsDropped, 0);
    } finally {
      await s.close();
    }
  });
});
