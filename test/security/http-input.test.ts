/**
 * Bad input over HTTP, generated: arbitrary query strings (unicode, huge, repeated keys, keys named
 * like Object.prototype members), paths, methods and bodies (any JSON, any bytes, too large, any
 * content type) against createSyncHandler on a real socket. The handler always answers, within a
 * deadline, with a 4xx JSON error naming the field (400), never a 5xx; the server stays up; a
 * refused request changes nothing; every answer carries nosniff and no-store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import fc from 'fast-check';
import { ENTITIES, ITEM_STATES, LocalSyncSource, SyncEngine, type SyncSource } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { BASE, errorOf, send, serve, within, type RawResponse, type Served } from './helpers.js';

const SEED = Number(process.env['SHOPSYNC_FC_SEED'] ?? Date.now() % 2 ** 31);
const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };

/** The query parameters each GET route takes (every other key, and any key twice, is refused). */
const ROUTES: ReadonlyArray<{ path: (id: string) => string; keys: readonly string[] }> = [
  { path: () => '/state', keys: [] },
  { path: () => '/events', keys: ['offset', 'limit'] },
  { path: (id) => `/events/${id}`, keys: [] },
  { path: (id) => `/events/${id}/logs`, keys: ['format'] },
  { path: () => '/items', keys: ['ref', 'status', 'entity', 'since', 'offset', 'limit'] },
  { path: () => '/items/errors', keys: ['ref', 'status', 'entity', 'since'] },
  { path: () => '/stream', keys: ['lastEventId'] },
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];
const KNOWN_KEYS = [...new Set(ROUTES.flatMap((r) => r.keys))];

/** Text of any kind: unicode, control characters, long runs. */
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '0', '-1', '1e3', '1.5', 'NaN', 'Infinity', '0x10', '９', 'null', 'true', '[]', '{}', '%', '%zz', '\u0000', '\uFEFF', '😀') },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 4_000 }).map((n) => 'x'.repeat(n)) },
);
/** Values a field could plausibly get right, so that runs also get past the first check. */
const plausible = fc.oneof(
  fc.constantFrom(...ITEM_STATES, ...ENTITIES, 'jsonl', 'csv', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00+02:00', 'SKU', '0', '1', '20', '1000', '1001', '999999999999999', '9999999999999999'),
  fc.nat({ max: 2_000 }).map(String),
);
const keyArb = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN_KEYS) }, { weight: 2, arbitrary: fc.constantFrom(...PROTO_KEYS) }, { weight: 2, arbitrary: anyText });
const valueArb = fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 2, arbitrary: anyText });
const pairsArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 6 });

/** Percent-encodes every UTF-8 byte of `s` outside unreserved characters (lone surrogates as U+FFFD). */
function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** The query string as the handler will read it (URLSearchParams), to know what to expect. */
function queryString(pairs: ReadonlyArray<[string, string]>, raw: boolean): string {
  return pairs.map(([k, v]) => (raw ? `${k}=${v}`.replace(/[^\x21-\x7e]/g, (c) => pct(c)).replace(/#/g, '%23') : `${pct(k)}=${pct(v)}`)).join('&');
}

function assertCommonHeaders(r: RawResponse, what: string): void {
  assert.equal(r.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.match(String(r.headers['cache-control']), /^no-store/, `${what}: no-store`);
}

/** A 400 names the field: issues with paths under the input's part, and the message names one. */
function assertNamesField(r: RawResponse, what: string): void {
  const error = errorOf(r);
  assert.ok(error, `${what}: a JSON error body: ${r.text.slice(0, 300)}`);
  assert.equal(error.code, 'invalid_input', what);
  assert.ok(error.issues && error.issues.length > 0, `${what}: issues: ${r.text.slice(0, 300)}`);
  for (const issue of error.issues) assert.match(issue.path, /^(query|body|params\.id|headers)(\.|\[|$)/, `${what}: issue path ${issue.path}`);
  assert.ok(error.message.includes(error.issues[0]!.path), `${what}: the message names ${error.issues[0]!.path}: ${error.message.slice(0, 300)}`);
}

describe('HTTP: generated bad input never breaks the handler', () => {
  let engine: SyncEngine;
  let s: Served;
  let eventId: string;
  /** Everything a refused request must leave as it was. */
  const fingerprint = async () =>
    JSON.stringify({
      config: engine.config,
      pending: await engine.queue.pendingCounts(),
      items: (await engine.queryItems({ limit: 1_000 })).items,
      events: (await engine.listEvents({ limit: 1_000 })).items,
    });

  before(async () => {
    const target = new FakeTarget({ outcomes: (item) => (item.ref.endsWith('7') ? { errors: [{ code: 'INVALID', field: ['input', 'title'], message: 'Title is bad' }] } : 'synced') });
    engine = new SyncEngine({ connector, target, batchSize: 10, retryBackoff: { baseMs: 0, maxMs: 0 } });
    await engine.enqueue(Array.from({ length: 30 }, (_, i) => ({ entity: 'product' as const, op: 'upsert' as const, ref: `P${i}`, data: { title: `Product ${i}` } })));
    eventId = (await engine.start()).id;
    s = await serve(new LocalSyncSource(engine), { authorize: () => true });
  });
  after(async () => {
    await s.close();
    await engine.dispose();
  });

  it('query strings: 200 only when every key is known and given once; otherwise 400 naming the field; never 5xx', async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(fc.nat(ROUTES.length - 1), pairsArb, fc.boolean(), async (routeIndex, pairs, raw) => {
        const route = ROUTES[routeIndex]!;
        const query = queryString(pairs, raw);
        const path = `${BASE}${route.path(encodeURIComponent(eventId))}${query ? `?${query}` : ''}`;
        // Past Node's 16 KiB of request head, Node answers 431 itself (tested below).
        fc.pre(path.length < 12_000);
        const r = await send(s.port, path);
        const what = `GET ${path.slice(0, 300)} -> ${r.status}`;
        assert.ok(r.status < 500, `${what}: ${r.text.slice(0, 300)}`);
        assertCommonHeaders(r, what);
        const read = [...new URLSearchParams(query).keys()];
        const bad = read.filter((k, i) => !route.keys.includes(k) || read.indexOf(k) !== i);
        if (bad.length > 0) {
          assert.equal(r.status, 400, `${what}: unknown or repeated ${JSON.stringify(bad)}`);
          assertNamesField(r, what);
          const error = errorOf(r)!;
          // An unknown key is named by its name (a repeated one by its path).
          const unknown = bad.filter((k) => !route.keys.includes(k));
          for (const k of unknown) assert.ok(error.issues!.some((i) => i.message.includes(JSON.stringify(k)) || i.message.includes(k) || i.path === `query.${k}`), `${what}: names ${JSON.stringify(k)}: ${r.text.slice(0, 400)}`);
        } else if (r.status === 400) assertNamesField(r, what);
        else assert.equal(r.status, 200, `${what}: ${r.text.slice(0, 300)}`);
      }),
      { numRuns: 400, seed: SEED },
    );
    assert.equal(await fingerprint(), before, 'reads changed nothing');
    assert.equal((await send(s.port, `${BASE}/state`)).status, 200, 'still up');
  });

  it('paths and methods: 404, 405 or 400, as JSON, never 5xx', async () => {
    const segment = fc.oneof(
      fc.constantFrom('state', 'events', 'items', 'errors', 'logs', 'retry', 'retry-failed', 'connector', 'stream', '', '.', '..', '%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '__proto__', 'constructor'),
      anyText.map(pct),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'PURGE', 'SEARCH');
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 4 }), method, async (segments, m) => {
        const path = `${BASE}/${segments.join('/')}`;
        fc.pre(path.length < 12_000);
        const r = await send(s.port, path, { method: m, headers: m === 'GET' || m === 'HEAD' ? {} : { 'Content-Type': 'application/json' }, body: m === 'GET' || m === 'HEAD' ? undefined : '{}' });
        const what = `${m} ${path.slice(0, 300)} -> ${r.status}`;
        assert.ok(r.status >= 200 && r.status < 500, `${what}: ${r.text.slice(0, 300)}`);
        // Dot segments that lead out of the base (`/api/sync/../x`): the host's to answer (418 here).
        if (r.status === 418) return assert.ok(!new URL(path, 'http://h').pathname.startsWith(`${BASE}/`), `${what}: fell through`);
        assertCommonHeaders(r, what);
        if (r.status === 400) assertNamesField(r, what);
        if (r.status >= 400 && m !== 'HEAD') assert.ok(errorOf(r), `${what}: a JSON error body`);
        if (r.status === 405) assert.ok(r.headers['allow'], `${what}: Allow`);
      }),
      { numRuns: 300, seed: SEED },
    );
    // Retrying and switching the connector are what these paths could have done; an empty
    // retry-failed is harmless, the rest must not have happened.
    const now = JSON.parse(await fingerprint()) as { config: unknown };
    assert.deepEqual(now.config, (JSON.parse(before) as { config: unknown }).config);
  });

  it('action bodies: any bytes, any JSON, any type, any size: 200 only for a valid body; refused ones change nothing', async () => {
    const jsonish = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ enabled: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }),
      fc.record({ entity: fc.oneof(fc.constantFrom(...ENTITIES), anyText), ref: fc.oneof(fc.constantFrom('P7', 'P17', 'P1'), anyText) }, { requiredKeys: [] }),
      fc.record({ ref: anyText, status: valueArb, entity: valueArb, since: valueArb }, { requiredKeys: [] }),
    );
    const bodyArb = fc.oneof(
      { weight: 5, arbitrary: jsonish.map((v) => JSON.stringify(v) ?? 'null') },
      { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"enabled":false},"enabled":true}', '{"constructor":{"prototype":{"polluted":1}}}', '{"enabled":true,"enabled":false}', '{"enabled":true}garbage', ' {"enabled":false} ', '\uFEFF{"enabled":false}', '') },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
      { weight: 1, arbitrary: fc.integer({ min: 16 * 1_024 - 20, max: 40_000 }).map((n) => JSON.stringify({ ref: 'r'.repeat(n) })) },
    );
    const typeArb = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'application/json-patch+json', '', undefined);
    const actionArb = fc.constantFrom(
      { path: '/items/retry', method: 'POST' },
      { path: '/items/retry-failed', method: 'POST' },
      { path: '/connector', method: 'PUT' },
      { path: '/connector', method: 'POST' },
    );
    await fc.assert(
      fc.asyncProperty(actionArb, typeArb, bodyArb, async (action, type, body) => {
        const before = await fingerprint();
        const headers: Record<string, string> = type === undefined ? {} : { 'Content-Type': type };
        const r = await send(s.port, BASE + action.path, { method: action.method, headers, body });
        const what = `${action.method} ${action.path} (${type}) ${String(body).slice(0, 120)} -> ${r.status}`;
        assert.ok([200, 400, 413, 415].includes(r.status), `${what}: ${r.text.slice(0, 300)}`);
        assertCommonHeaders(r, what);
        if (r.status === 400) assertNamesField(r, what);
        if (r.status !== 200) {
          assert.ok(errorOf(r), `${what}: a JSON error body`);
          assert.equal(await fingerprint(), before, `${what}: a refused request changed nothing`);
          return;
        }
        // Accepted: the body was JSON of exactly the expected shape (UTF-8, a byte order mark allowed).
        const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(body))) as Record<string, unknown>;
        assert.ok(parsed && typeof parsed === 'object' && !Array.isArray(parsed), what);
        if (action.path === '/connector') {
          assert.deepEqual(Object.keys(parsed), ['enabled'], what);
          assert.equal(engine.config.enabled, parsed['enabled'], what);
          await engine.setEnabled(true);
        } else if (action.path === '/items/retry') {
          assert.deepEqual(Object.keys(parsed).sort(), ['entity', 'ref'], what);
          assert.ok((ENTITIES as readonly unknown[]).includes(parsed['entity']), what);
        } else {
          assert.ok(Object.keys(parsed).every((k) => ['ref', 'status', 'entity', 'since'].includes(k)), what);
        }
      }),
      { numRuns: 300, seed: SEED },
    );
    assert.equal(({} as Record<string, unknown>)['enabled'], undefined, 'Object.prototype was not polluted');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype was not polluted');
    assert.deepEqual(Object.keys(Object.prototype), []);
  });

  it('headers: any Last-Event-ID on the stream is 400 naming it, or a stream', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 400 }), async (id) => {
        const r = await send(s.port, `${BASE}/stream`, { headers: { 'Last-Event-ID': id } });
        assert.ok(r.status === 200 || r.status === 400, `${JSON.stringify(id)} -> ${r.status}`);
        assertCommonHeaders(r, id);
        if (r.status === 400) {
          assert.ok(id.length > 200, `${JSON.stringify(id)} refused: ${r.text}`);
          assertNamesField(r, id);
        }
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  it('a query past the server’s header limit, and raw garbage on the socket: refused by Node, the server stays up', async () => {
    const huge = await send(s.port, `${BASE}/items?ref=${'x'.repeat(40_000)}`);
    assert.ok(huge.status === 431 || huge.status === 400, `huge URL: ${huge.status}`);
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2_000 }), async (bytes) => {
        await within(
          5_000,
          'garbage on a socket',
          new Promise<void>((resolve) => {
            const socket = connect(s.port, '127.0.0.1', () => socket.end(Buffer.from(bytes)));
            socket.on('data', () => undefined);
            socket.on('error', () => resolve());
            socket.on('close', () => resolve());
            socket.setTimeout(1_000, () => socket.destroy());
          }),
        );
      }),
      { numRuns: 40, seed: SEED },
    );
    const r = await send(s.port, `${BASE}/state`);
    assert.equal(r.status, 200, 'the server still answers');
  });
});

describe('HTTP: nosniff and no-store on every answer, errors included', () => {
  it('403, 405, 413, 415, 500, 503 and the stream carry them', async () => {
    const engine = new SyncEngine({ connector, target: new FakeTarget() });
    const local = new LocalSyncSource(engine);
    const failing: SyncSource = {
      connectorId: local.connectorId,
      listEvents: async () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed at /var/lib/secret/path.sqlite');
      },
      getEvent: (id) => local.getEvent(id),
      queryItems: (q) => local.queryItems(q),
      summarizeItemErrors: (f) => local.summarizeItemErrors(f),
      downloadLogs: (id, f) => local.downloadLogs(id, f),
      connectorState: () => local.connectorState(),
      subscribe: (l) => local.subscribe(l),
      retryItem: (i) => local.retryItem(i),
      retryFailed: (f) => local.retryFailed(f),
      setEnabled: (e) => local.setEnabled(e),
    };
    const noAuth = await serve(new LocalSyncSource(engine));
    const broken = await serve(failing);
    try {
      const cases: Array<[Served, string, Parameters<typeof send>[2], number]> = [
        [noAuth, '/connector', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"enabled":false}' }, 403],
        [noAuth, '/state', { method: 'POST' }, 405],
        [noAuth, '/items/errors', { method: 'DELETE' }, 405],
        [noAuth, '/nope', {}, 404],
        [broken, '/events', {}, 500],
      ];
      for (const [server, path, init, status] of cases) {
        const r = await send(server.port, BASE + path, init);
        assert.equal(r.status, status, `${path}: ${r.text}`);
        assertCommonHeaders(r, `${status} ${path}`);
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      }
      const internal = await send(broken.port, `${BASE}/events`);
      assert.doesNotMatch(internal.text, /SQLITE|secret|path\.sqlite/, 'no internal message leaves the server');
      const authed = await serve(new LocalSyncSource(engine), { authorize: () => true, maxBodyBytes: 64 });
      try {
        const big = await send(authed.port, `${BASE}/connector`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ enabled: true, pad: 'x'.repeat(100) }) });
        assert.equal(big.status, 413);
        assertCommonHeaders(big, '413');
        const form = await send(authed.port, `${BASE}/connector`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'enabled=false' });
        assert.equal(form.status, 415);
        assertCommonHeaders(form, '415');
        authed.handler.close();
        const closed = await send(authed.port, `${BASE}/state`);
        assert.equal(closed.status, 503);
        assertCommonHeaders(closed, '503');
      } finally {
        await authed.close();
      }
      assert.equal(engine.config.enabled, true, 'no refused action ran');
    } finally {
      await noAuth.close();
      await broken.close();
      await engine.dispose();
    }
  });
});
