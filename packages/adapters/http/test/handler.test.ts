import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { ShopsyncError, type ConnectorState, type ItemErrorSummary, type ItemView, type Page, type SyncEvent } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import type { SyncRequest } from '@shopsync/http';
import { BASE, call, ManualSource, openStream, products, serve, serveEngine } from './helpers.js';

const failing = new FakeTarget({ outcomes: (i) => (i.ref.startsWith('BAD') ? { errors: [{ code: 'INVALID', field: ['price'], message: 'Price must be positive' }] } : 'synced') });

describe('createSyncHandler: reads', () => {
  let s: Awaited<ReturnType<typeof serveEngine>>;
  let done: SyncEvent;
  before(async () => {
    s = await serveEngine({}, {}, failing);
    await s.engine.enqueue([...products(8), ...products(3, 'BAD')]);
    done = await s.engine.start();
  });
  after(() => s.close());

  it('GET /state: the connector state', async () => {
    const r = await call(s.url, `${BASE}/state`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    const state = r.body as unknown as ConnectorState;
    assert.deepEqual(state, await s.source.connectorState());
    assert.equal(state.connectorId, 'store-1');
  });

  it('GET /events and /events/:id; an unknown id is 404', async () => {
    const page = (await call(s.url, `${BASE}/events?offset=0&limit=5`)).body as unknown as Page<SyncEvent>;
    assert.equal(page.total, 1);
    assert.deepEqual(page.items[0], done);
    const one = await call(s.url, `${BASE}/events/${encodeURIComponent(done.id)}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, done);
    const missing = await call(s.url, `${BASE}/events/evt_missing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error?.code, 'not_found');
    assert.equal((await call(s.url, `${BASE}/events/evt_missing/logs`)).status, 404);
  });

  it('GET /items with the widget filters, and /items/errors', async () => {
    const all = (await call(s.url, `${BASE}/items`)).body as unknown as Page<ItemView>;
    assert.equal(all.total, 11);
    const failed = (await call(s.url, `${BASE}/items?status=error&entity=product&ref=BAD&offset=1&limit=1`)).body as unknown as Page<ItemView>;
    assert.equal(failed.total, 3);
    assert.equal(failed.items.length, 1);
    assert.deepEqual(failed, await s.source.queryItems({ status: 'error', entity: 'product', ref: 'BAD', offset: 1, limit: 1 }));
    const future = (await call(s.url, `${BASE}/items?since=${encodeURIComponent('2999-01-01T00:00:00.000Z')}`)).body as unknown as Page<ItemView>;
    assert.equal(future.total, 0);
    const summary = (await call(s.url, `${BASE}/items/errors?entity=product`)).body as unknown as ItemErrorSummary;
    assert.equal(summary.failedItems, 3);
    assert.deepEqual(summary.groups, [{ code: 'INVALID', field: ['price'], message: 'Price must be positive', count: 3 }]);
  });

  it('GET /events/:id/logs as JSONL and CSV downloads', async () => {
    const jsonl = await call(s.url, `${BASE}/events/${done.id}/logs?format=jsonl`);
    assert.equal(jsonl.status, 200);
    assert.match(jsonl.headers.get('content-type')!, /^application\/jsonl/);
    assert.equal(jsonl.headers.get('content-disposition'), `attachment; filename="shopsync-${done.id}.jsonl"; filename*=UTF-8''shopsync-${done.id}.jsonl`);
    assert.ok(jsonl.text.trim().split('\n').every((line) => (JSON.parse(line) as { eventId: string }).eventId === done.id));
    const csv = await call(s.url, `${BASE}/events/${done.id}/logs?format=csv`);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="shopsync-.*\.csv"/);
    assert.equal(csv.text, (await s.source.downloadLogs(done.id, 'csv')).content);
    assert.equal((await call(s.url, `${BASE}/events/${done.id}/logs`)).headers.get('content-type'), jsonl.headers.get('content-type'), 'JSONL by default');
  });

  it('sends nosniff on every response, no-store on data and downloads', async () => {
    for (const path of ['/state', '/events', `/events/${done.id}`, `/events/${done.id}/logs?format=csv`, '/items', '/items/errors', '/nope', '/items?limit=0']) {
      const r = await call(s.url, BASE + path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(r.headers.get('cache-control'), 'no-store', path);
    }
    const stream = await openStream(`${s.url}${BASE}/stream`);
    assert.equal(stream.headers['x-content-type-options'], 'nosniff');
    assert.equal(stream.headers['cache-control'], 'no-store, no-transform');
    stream.drop();
  });
});

describe('createSyncHandler: bad input, unknown routes, methods', () => {
  let s: Awaited<ReturnType<typeof serveEngine>>;
  before(async () => {
    s = await serveEngine({}, { authorize: () => true, maxBodyBytes: 1_024 });
  });
  after(() => s.close());

  const invalid = async (path: string, field: string, init: Parameters<typeof call>[2] = {}) => {
    const r = await call(s.url, BASE + path, init);
    assert.equal(r.status, 400, `${path}: ${r.text}`);
    assert.equal(r.body.error?.code, 'invalid_input');
    assert.ok(
      r.body.error?.issues?.some((i) => i.path === field),
      `${path} names ${field}: ${JSON.stringify(r.body.error?.issues)}`,
    );
    assert.ok(r.body.error?.message.includes(field), `the message names ${field}: ${r.body.error?.message}`);
    return r;
  };

  it('400 naming the query field', async () => {
    await invalid('/events?limit=0', 'query.limit');
    await invalid('/events?limit=1001', 'query.limit');
    await invalid('/events?offset=-1', 'query.offset');
    await invalid('/events?limit=ten', 'query.limit');
    await invalid('/items?status=nope', 'query.status');
    await invalid('/items?entity=order', 'query.entity');
    await invalid('/items?since=yesterday', 'query.since');
    await invalid(`/items?ref=${'x'.repeat(256)}`, 'query.ref');
    await invalid('/items?status=error&status=complete', 'query.status');
    await invalid('/items/errors?limit=5', 'query');
    await invalid('/items?stauts=error', 'query');
    await invalid('/events/x/logs?format=xml', 'query.format');
    await invalid('/state?debug=1', 'query');
    await invalid('/stream?lastEventId=' + 'x'.repeat(201), 'query.lastEventId');
  });

  it('400 naming a parameter called like an Object.prototype member (__proto__, constructor)', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      for (const path of [`/items?${key}=x`, `/state?${key}=1`, `/events?limit=5&${key}=x`]) {
        const r = await invalid(path, 'query');
        assert.match(r.body.error!.issues![0]!.message, new RegExp(`"${key}"`), `${path} names ${key}: ${r.text}`);
      }
    }
  });

  it('400 naming the body field; malformed JSON; 413 past the size cap; 415 without JSON', async () => {
    await invalid('/connector', 'body.enabled', { method: 'PUT', json: { enabled: 'yes' } });
    await invalid('/connector', 'body.enabled', { method: 'POST', json: {} });
    await invalid('/connector', 'body', { method: 'PUT', json: { enabled: true, extra: 1 } });
    await invalid('/items/retry', 'body.ref', { method: 'POST', json: { entity: 'product' } });
    await invalid('/items/retry', 'body.entity', { method: 'POST', json: { entity: 'order', ref: 'P1' } });
    await invalid('/items/retry-failed', 'body.since', { method: 'POST', json: { since: 'soon' } });
    await invalid('/items/retry-failed', 'body', { method: 'POST', json: ['not', 'an', 'object'] });
    await invalid('/connector', 'body', { method: 'PUT', body: '{"enabled": tru', headers: { 'Content-Type': 'application/json' } });
    await invalid('/connector', 'body', { method: 'PUT', body: '', headers: { 'Content-Type': 'application/json' } });

    const big = await call(s.url, `${BASE}/items/retry-failed`, { method: 'POST', json: { ref: 'x'.repeat(2_000) } });
    assert.equal(big.status, 413);
    assert.equal(big.body.error?.code, 'payload_too_large');

    const form = await call(s.url, `${BASE}/connector`, { method: 'POST', body: 'enabled=false', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415, 'a cross-site form cannot post an action');
    assert.equal(s.engine.config.enabled, true);
  });

  it('413 for a chunked upload that grows past the cap, without reading it all', async () => {
    const socket = connect(s.port, '127.0.0.1');
    const reply = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += String(d)));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    socket.write(`POST ${BASE}/items/retry-failed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = 'x'.repeat(600);
    for (let i = 0; i < 4; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    assert.match(await reply, /^HTTP\/1\.1 413/);
  });

  it('404 JSON for unknown routes under the base; outside it the host answers', async () => {
    for (const path of ['/nope', '/events/a/b/c', '', '/items/', '/stream/x']) {
      const r = await call(s.url, BASE + path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.error?.code, 'not_found', path);
    }
    const outside = await call(s.url, '/api/syncing/state');
    assert.equal(outside.status, 418);
    assert.equal(outside.text, 'not the handler');
    assert.deepEqual(s.fellThrough, ['/api/syncing/state']);
    const malformed = await call(s.url, `${BASE}/events/%E0%A4%A`);
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error?.issues?.[0]?.path, 'params.id');
  });

  it('405 with Allow for a wrong method', async () => {
    const get = await call(s.url, `${BASE}/connector`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'PUT, POST');
    assert.equal(get.body.error?.code, 'method_not_allowed');
    const del = await call(s.url, `${BASE}/events`, { method: 'DELETE' });
    assert.equal(del.status, 405);
    assert.equal(del.headers.get('allow'), 'GET');
    assert.equal((await call(s.url, `${BASE}/items/retry`)).headers.get('allow'), 'POST');
    assert.equal((await call(s.url, `${BASE}/stream`, { method: 'POST' })).status, 405);
  });
});

describe('createSyncHandler: actions and authorize', () => {
  it('refuses every action with 403 when no authorize hook is given', async () => {
    const s = await serveEngine();
    try {
      for (const [path, method, json] of [
        ['/items/retry', 'POST', { entity: 'product', ref: 'P1' }],
        ['/items/retry-failed', 'POST', {}],
        ['/connector', 'PUT', { enabled: false }],
        ['/connector', 'POST', { enabled: false }],
      ] as const) {
        const r = await call(s.url, BASE + path, { method, json });
        assert.equal(r.status, 403, path);
        assert.equal(r.body.error?.code, 'forbidden');
      }
      assert.equal(s.engine.config.enabled, true);
    } finally {
      await s.close();
    }
  });

  it('asks authorize with the request and the action; false is 403, true runs the action', async () => {
    const asked: Array<{ action: string; method: string; path: string; cookie: string | null; kind: string; native: boolean }> = [];
    let allow = false;
    const authorize = async (request: SyncRequest, action: string) => {
      asked.push({ action, method: request.method, path: request.url.pathname, cookie: request.headers.get('cookie'), kind: request.kind, native: request.native !== undefined });
      return allow;
    };
    const s = await serveEngine({}, { authorize }, new FakeTarget({ outcomes: (i) => (i.ref.startsWith('BAD') ? { errors: [{ message: 'bad' }] } : 'synced') }));
    try {
      await s.engine.enqueue([...products(3), ...products(3, 'BAD')]);
      await s.engine.start();
      const headers = { Cookie: 'session=abc' };
      const refused = await call(s.url, `${BASE}/items/retry`, { method: 'POST', json: { entity: 'product', ref: 'BAD000' }, headers });
      assert.equal(refused.status, 403);
      assert.deepEqual(asked[0], { action: 'retryItem', method: 'POST', path: `${BASE}/items/retry`, cookie: 'session=abc', kind: 'node', native: true });

      allow = true;
      assert.deepEqual((await call(s.url, `${BASE}/items/retry`, { method: 'POST', json: { entity: 'product', ref: 'BAD000' }, headers })).body, { queued: 1 });
      assert.deepEqual((await call(s.url, `${BASE}/items/retry`, { method: 'POST', json: { entity: 'product', ref: 'P000' } })).body, { queued: 0 }, 'only failed items are queued again');
      assert.deepEqual((await call(s.url, `${BASE}/items/retry-failed`, { method: 'POST', json: { ref: 'BAD' } })).body, { queued: 2 });
      const off = await call(s.url, `${BASE}/connector`, { method: 'PUT', json: { enabled: false } });
      assert.equal(off.status, 200);
      assert.equal((off.body as unknown as ConnectorState).enabled, false);
      assert.equal(s.engine.config.enabled, false);
      const on = await call(s.url, `${BASE}/connector`, { method: 'POST', json: { enabled: true } });
      assert.equal((on.body as unknown as ConnectorState).enabled, true);
      assert.deepEqual(
        asked.map((a) => a.action),
        ['retryItem', 'retryItem', 'retryItem', 'retryFailed', 'setEnabled', 'setEnabled'],
      );
    } finally {
      await s.close();
    }
  });

  it('checks authorize before reading the body: a refused client learns nothing about validation', async () => {
    const s = await serveEngine({}, { authorize: () => false });
    try {
      const r = await call(s.url, `${BASE}/connector`, { method: 'PUT', json: { enabled: 'yes' } });
      assert.equal(r.status, 403);
    } finally {
      await s.close();
    }
  });
});

describe('createSyncHandler: errors and secrets', () => {
  it('answers source failures with a safe 500 and tells onError', async () => {
    const source = new ManualSource();
    const errors: unknown[] = [];
    source.listEvents = async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/shop/db.sqlite, token shpat_0123456789abcdef0123456789abcdef');
    };
    source.connectorState = async () => {
      throw new ShopsyncError('store_unavailable', 'Store refused: X-Shopify-Access-Token: shpat_0123456789abcdef0123456789abcdef');
    };
    const s = await serve(source, { onError: (e) => errors.push(e) });
    try {
      const plain = await call(s.url, `${BASE}/events`);
      assert.equal(plain.status, 500);
      assert.deepEqual(plain.body, { error: { code: 'internal', message: 'The sync source failed; the server log has the details.' } });
      const core = await call(s.url, `${BASE}/state`);
      assert.equal(core.status, 500);
      assert.equal(core.body.error?.code, 'store_unavailable');
      assert.doesNotMatch(core.text, /shpat_|0123456789abcdef/);
      assert.match(core.text, /\[REDACTED\]/);
      assert.equal(errors.length, 2);
      assert.doesNotMatch(plain.text + core.text, /stack|at .*\.ts:\d+/);
    } finally {
      await s.close();
    }
  });

  it('no response carries a credential: tokens in remote errors, logs and the stream are scrubbed', async () => {
    const token = 'shpat_0123456789abcdef0123456789abcdef';
    const hostSecret = 'hunter2-host-secret';
    const target = new FakeTarget({
      outcomes: (i) =>
        i.ref.startsWith('BAD')
          ? { errors: [{ code: 'INVALID', message: `Denied for X-Shopify-Access-Token: ${token} (key ${hostSecret})`, field: [`Bearer ${token}`] }] }
          : 'synced',
    });
    const s = await serveEngine({ batchSize: 3 }, { secrets: [hostSecret], authorize: () => true }, target);
    try {
      const stream = await openStream(`${s.url}${BASE}/stream`);
      await s.engine.enqueue([...products(4), ...products(2, 'BAD')]);
      target.failNextPush({ code: 'auth', message: `401 from store: access_token=${token}; password: ${hostSecret}` }, { leaveItems: false });
      const done = await s.engine.start();
      await stream.until(() => stream.messages.at(-1)?.id === s.handler.stats().lastEventId, 5_000, 'the whole run on the stream');
      stream.drop();

      const bodies = [stream.messages.map((m) => m.data).join('\n')];
      for (const path of ['/state', '/events', `/events/${done.id}`, `/events/${done.id}/logs?format=jsonl`, `/events/${done.id}/logs?format=csv`, '/items', '/items?status=error', '/items/errors']) {
        const r = await call(s.url, BASE + path);
        assert.equal(r.status, 200, path);
        bodies.push(r.text);
      }
      bodies.push((await call(s.url, `${BASE}/items/retry-failed`, { method: 'POST', json: { ref: hostSecret } })).text);
      const all = bodies.join('\n');
      assert.ok(all.includes('Denied for'), 'the item errors are there');
      assert.ok(all.includes('401 from store'), 'the general error is there');
      assert.ok(!all.includes(token), 'no Shopify token');
      assert.ok(!all.includes('0123456789abcdef'), 'no part of it');
      assert.ok(!all.includes(hostSecret), "none of the host's secrets");
    } finally {
      await s.close();
    }
  });
});

describe('createSyncHandler: close', () => {
  it('ends open streams, unsubscribes and answers 503 afterwards', async () => {
    const source = new ManualSource();
    const s = await serve(source);
    try {
      assert.equal(source.subscribers, 1);
      const a = await openStream(`${s.url}${BASE}/stream`);
      const b = await openStream(`${s.url}${BASE}/stream`);
      await a.until(() => a.messages.length > 0);
      assert.equal(s.handler.stats().clients, 2);
      s.handler.close();
      await a.until(() => a.ended, 2_000, 'stream a to end');
      await b.until(() => b.ended, 2_000, 'stream b to end');
      assert.equal(source.subscribers, 0);
      assert.equal(s.handler.stats().clients, 0);
      const r = await call(s.url, `${BASE}/state`);
      assert.equal(r.status, 503);
      assert.equal(r.body.error?.code, 'closed');
    } finally {
      await s.close();
    }
  });

  it('validates its options', async () => {
    const { createSyncHandler } = await import('@shopsync/http');
    assert.throws(() => createSyncHandler({ source: new ManualSource(), basePath: 'api' }), /basePath/);
    assert.throws(() => createSyncHandler({ source: new ManualSource(), heartbeatMs: 0 }), /heartbeatMs/);
  });
});
