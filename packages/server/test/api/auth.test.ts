/**
 * The auth matrix: every route of the API (the route table, the meta routes and the panel's
 * routes) called by every kind of caller, each answer checked against a table written here:
 * 401 with a challenge, 403 with a problem saying why, or the route's own success (and never a
 * 5xx). Then CORS for the panel's routes. One service for the whole file.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { newApiKey } from '../../src/auth/api-keys.js';
import { apiRoutes } from '../../src/api/routes/index.js';
import { metaRoutes } from '../../src/api/routes/meta.js';
import { startHarness, TOKEN, type Answer, type Harness } from '../support/harness.js';
import { assertProblem, fillPath, PANEL_ROUTES, send } from './support.js';

const ORIGIN = 'https://erp.example.com';
const OTHER_ORIGIN = 'https://elsewhere.example.com';
const A = 'conn-a';
const B = 'conn-b';

// ——— What each route is, written out (not read from the route table's `access`) ———

/** The kinds of route as far as callers go. */
type RouteClass = 'public' | 'create' | 'list' | 'read' | 'ingest' | 'admin' | 'panelRead' | 'panelAct';

/** The scope a 403 for a missing scope must name, per kind of route. */
const CLASS_SCOPE: Record<Exclude<RouteClass, 'public'>, string> = { create: 'admin', list: 'read', read: 'read', ingest: 'ingest', admin: 'admin', panelRead: 'read', panelAct: 'admin' };

interface Subject {
  /** The connector the caller's key or token is for. */
  own: string;
  /** Another connector. */
  other: string;
}

interface RouteRow {
  class: RouteClass;
  /** The status of a call that is allowed (valid input). */
  success: number;
  /** A valid body for `connector` (the id in the path). */
  body?: (connector: string) => unknown;
  /** A destructive route: the caller's own connector is a throwaway one, made for the call. */
  throwaway?: boolean;
  /** The route's `{webhookId}`: a webhook made for the call (else the connector's standing one). */
  freshWebhook?: boolean;
  stream?: boolean;
}

let fresh = 0;
const freshId = (prefix: string) => `${prefix}-${process.pid}-${++fresh}`;

const ROUTES: Record<string, RouteRow> = {
  'GET /v1/health': { class: 'public', success: 200 },
  'GET /v1/ready': { class: 'public', success: 200 },
  'GET /v1/openapi.json': { class: 'public', success: 200 },
  'POST /v1/connectors': { class: 'create', success: 201, body: () => ({ config: { id: freshId('made'), shopDomain: 'made.myshopify.com', apiVersion: '2026-01' } }) },
  'GET /v1/connectors': { class: 'list', success: 200 },
  'GET /v1/connectors/{id}': { class: 'read', success: 200 },
  'PATCH /v1/connectors/{id}': { class: 'admin', success: 200, body: (id) => ({ allowedOrigins: id === A ? [ORIGIN] : [] }) },
  'DELETE /v1/connectors/{id}': { class: 'admin', success: 204, throwaway: true },
  'PUT /v1/connectors/{id}/credentials': { class: 'admin', success: 200, body: () => ({ kind: 'token', accessToken: TOKEN }) },
  'GET /v1/connectors/{id}/credentials': { class: 'read', success: 200 },
  'POST /v1/connectors/{id}/embed-tokens': { class: 'read', success: 201, body: () => ({ access: 'read', ttlSeconds: 600 }) },
  'POST /v1/connectors/{id}/changes': { class: 'ingest', success: 202, body: () => [{ entity: 'category', op: 'upsert', ref: 'auth-matrix', data: { title: 'Auth matrix' } }] },
  'POST /v1/connectors/{id}/sync': { class: 'ingest', success: 202 },
  'POST /v1/connectors/{id}/webhooks': { class: 'admin', success: 201, body: () => ({ url: 'http://127.0.0.1:9/hook', events: ['sync.failed'] }) },
  'GET /v1/connectors/{id}/webhooks': { class: 'read', success: 200 },
  'DELETE /v1/connectors/{id}/webhooks/{webhookId}': { class: 'admin', success: 204, freshWebhook: true },
  'GET /v1/connectors/{id}/webhooks/{webhookId}/deliveries': { class: 'read', success: 200 },
  // The panel's routes (@shopsync/http behind the app's check).
  'GET /v1/connectors/{id}/sync/state': { class: 'panelRead', success: 200 },
  'GET /v1/connectors/{id}/sync/events': { class: 'panelRead', success: 200 },
  'GET /v1/connectors/{id}/sync/items': { class: 'panelRead', success: 200 },
  'GET /v1/connectors/{id}/sync/items/errors': { class: 'panelRead', success: 200 },
  'GET /v1/connectors/{id}/sync/stream': { class: 'panelRead', success: 200, stream: true },
  'POST /v1/connectors/{id}/sync/items/retry': { class: 'panelAct', success: 200, body: () => ({ entity: 'product', ref: 'no-such-sku' }) },
  'POST /v1/connectors/{id}/sync/items/retry-failed': { class: 'panelAct', success: 200, body: () => ({}) },
  'POST /v1/connectors/{id}/sync/connector': { class: 'panelAct', success: 200, body: () => ({ enabled: true }) },
  'PUT /v1/connectors/{id}/sync/connector': { class: 'panelAct', success: 200, body: () => ({ enabled: true }) },
};

// ——— The callers, and what each must get on each kind of route ———

/** What a call must answer: allowed (the route's success), 401, 400 (a query the route refuses), or a 403 for this reason. */
type Outcome = 'ok' | 401 | 400 | 'scope' | 'limited' | 'noCreate' | 'apiOnly' | 'embedOther' | 'readOnly' | 'origin';

const REASONS: Record<Exclude<Outcome, 'ok' | 401 | 400>, RegExp> = {
  scope: /scopes \(.*\) do not include "(\w+)"/,
  limited: /limited to another connector/,
  noCreate: /limited to one connector and cannot add connectors/,
  apiOnly: /Embed tokens reach the panel routes only/,
  embedOther: /embed token is for another connector/,
  readOnly: /allows reading only/,
  origin: /origin may not embed/,
};

/** How a caller presents itself (for its own connector): headers, and a query string. */
interface Credentials {
  headers?: Record<string, string>;
  query?: string;
}

interface Caller {
  name: string;
  /** Whom it calls: its own connector or another. */
  calls: 'own' | 'other';
  credentials: (own: string) => Promise<Credentials>;
  expect: Record<RouteClass, Outcome>;
}

const UNAUTHENTICATED: Record<RouteClass, Outcome> = { public: 'ok', create: 401, list: 401, read: 401, ingest: 401, admin: 401, panelRead: 401, panelAct: 401 };
/** An embed token on anything but the panel. */
const API_ONLY = { create: 'apiOnly', list: 'apiOnly', read: 'apiOnly', ingest: 'apiOnly', admin: 'apiOnly' } as const;

/** SHOPSYNC_TEST_DATABASE=postgres runs the file on PostgreSQL (a fresh schema) instead of SQLite. */
const DATABASE = process.env.SHOPSYNC_TEST_DATABASE === 'postgres' ? ({ database: 'postgres' } as const) : {};

let h: Harness;
const bearer = (token: string): Credentials => ({ headers: { authorization: `Bearer ${token}` } });
const cache = new Map<string, Promise<string>>();
const once = (k: string, make: () => Promise<string>) => {
  if (!cache.has(k)) cache.set(k, make());
  return cache.get(k)!;
};

/** An embed token minted through the API (with an admin key), for `connector`. */
async function mintToken(connector: string, access: 'read' | 'act'): Promise<string> {
  const admin = await once('admin', () => h.key(['admin']));
  const a = await h.call('POST', `/v1/connectors/${connector}/embed-tokens`, { key: admin, body: { access } });
  assert.equal(a.status, 201, `mint ${access} for ${connector}: ${a.text}`);
  return a.body.token as string;
}

const CALLERS: Caller[] = [
  { name: 'no credentials', calls: 'own', credentials: async () => ({}), expect: UNAUTHENTICATED },
  { name: 'Basic credentials', calls: 'own', credentials: async () => ({ headers: { authorization: 'Basic dXNlcjpwYXNz' } }), expect: UNAUTHENTICATED },
  { name: 'Bearer without a token', calls: 'own', credentials: async () => ({ headers: { authorization: 'Bearer' } }), expect: UNAUTHENTICATED },
  { name: 'Bearer with two words', calls: 'own', credentials: async () => ({ headers: { authorization: 'Bearer abc def' } }), expect: UNAUTHENTICATED },
  { name: 'neither a key nor a token', calls: 'own', credentials: async () => bearer('hunter2'), expect: UNAUTHENTICATED },
  { name: 'an unknown key', calls: 'own', credentials: async () => bearer(newApiKey({ scopes: ['admin'], now: Date.now() }).key), expect: UNAUTHENTICATED },
  {
    name: 'a known key with a wrong secret',
    calls: 'own',
    credentials: async () => {
      const key = await once('admin', () => h.key(['admin']));
      return bearer(key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    },
    expect: UNAUTHENTICATED,
  },
  {
    name: 'a revoked admin key',
    calls: 'own',
    credentials: async () =>
      bearer(
        await once('revoked', async () => {
          const key = await h.key(['admin']);
          assert.equal(await h.server.services.store.revokeApiKey(key.split('_')[1]!, Date.now()), true);
          return key;
        }),
      ),
    expect: UNAUTHENTICATED,
  },
  { name: 'an expired embed token', calls: 'own', credentials: async (own) => bearer((await h.server.services.tokens.mint(own, 'act', 60, Date.now() - 3_600_000)).token), expect: UNAUTHENTICATED },
  { name: 'a forged embed token', calls: 'own', credentials: async (own) => bearer(`${(await mintToken(own, 'act')).slice(0, -6)}AAAAAA`), expect: UNAUTHENTICATED },
  // The meta routes ignore a query (health probes add cache-busting parameters): a ?token= there changes nothing.
  { name: 'an admin key as ?token=', calls: 'own', credentials: async () => ({ query: `token=${await once('admin', () => h.key(['admin']))}` }), expect: { ...UNAUTHENTICATED, public: 'ok' } },
  {
    name: 'ingest key',
    calls: 'own',
    credentials: async () => bearer(await once('ingest', () => h.key(['ingest']))),
    expect: { public: 'ok', create: 'scope', list: 'scope', read: 'scope', ingest: 'ok', admin: 'scope', panelRead: 'scope', panelAct: 'scope' },
  },
  {
    name: 'read key',
    calls: 'own',
    credentials: async () => bearer(await once('read', () => h.key(['read']))),
    expect: { public: 'ok', create: 'scope', list: 'ok', read: 'ok', ingest: 'scope', admin: 'scope', panelRead: 'ok', panelAct: 'scope' },
  },
  {
    name: 'ingest+read key',
    calls: 'own',
    credentials: async () => bearer(await once('ingest+read', () => h.key(['ingest', 'read']))),
    expect: { public: 'ok', create: 'scope', list: 'ok', read: 'ok', ingest: 'ok', admin: 'scope', panelRead: 'ok', panelAct: 'scope' },
  },
  {
    name: 'admin key',
    calls: 'own',
    credentials: async () => bearer(await once('admin', () => h.key(['admin']))),
    expect: { public: 'ok', create: 'ok', list: 'ok', read: 'ok', ingest: 'ok', admin: 'ok', panelRead: 'ok', panelAct: 'ok' },
  },
  {
    name: 'admin key limited to its connector, calling it',
    calls: 'own',
    credentials: async (own) => bearer(await once(`admin:${own}`, () => h.key(['admin'], own))),
    expect: { public: 'ok', create: 'noCreate', list: 'ok', read: 'ok', ingest: 'ok', admin: 'ok', panelRead: 'ok', panelAct: 'ok' },
  },
  {
    name: 'admin key limited to its connector, calling another',
    calls: 'other',
    credentials: async (own) => bearer(await once(`admin:${own}`, () => h.key(['admin'], own))),
    expect: { public: 'ok', create: 'noCreate', list: 'ok', read: 'limited', ingest: 'limited', admin: 'limited', panelRead: 'limited', panelAct: 'limited' },
  },
  {
    name: 'read key limited to its connector, calling it',
    calls: 'own',
    credentials: async (own) => bearer(await once(`read:${own}`, () => h.key(['read'], own))),
    expect: { public: 'ok', create: 'scope', list: 'ok', read: 'ok', ingest: 'scope', admin: 'scope', panelRead: 'ok', panelAct: 'scope' },
  },
  {
    // The scope is checked before the connector.
    name: 'read key limited to its connector, calling another',
    calls: 'other',
    credentials: async (own) => bearer(await once(`read:${own}`, () => h.key(['read'], own))),
    expect: { public: 'ok', create: 'scope', list: 'ok', read: 'limited', ingest: 'scope', admin: 'scope', panelRead: 'limited', panelAct: 'scope' },
  },
  {
    name: 'read embed token, calling its connector',
    calls: 'own',
    credentials: async (own) => bearer(await once(`embed-read:${own}`, () => mintToken(own, 'read'))),
    expect: { public: 'ok', ...API_ONLY, panelRead: 'ok', panelAct: 'readOnly' },
  },
  {
    name: 'read embed token, calling another',
    calls: 'other',
    credentials: async (own) => bearer(await once(`embed-read:${own}`, () => mintToken(own, 'read'))),
    expect: { public: 'ok', ...API_ONLY, panelRead: 'embedOther', panelAct: 'embedOther' },
  },
  {
    name: 'act embed token, calling its connector',
    calls: 'own',
    credentials: async (own) => bearer(await once(`embed-act:${own}`, () => mintToken(own, 'act'))),
    expect: { public: 'ok', ...API_ONLY, panelRead: 'ok', panelAct: 'ok' },
  },
  {
    name: 'act embed token, calling another',
    calls: 'other',
    credentials: async (own) => bearer(await once(`embed-act:${own}`, () => mintToken(own, 'act'))),
    expect: { public: 'ok', ...API_ONLY, panelRead: 'embedOther', panelAct: 'embedOther' },
  },
  {
    // As a browser's EventSource sends it: only the panel's routes read ?token=.
    name: 'act embed token as ?token=, calling its connector',
    calls: 'own',
    credentials: async (own) => ({ query: `token=${await once(`embed-act:${own}`, () => mintToken(own, 'act'))}` }),
    expect: { ...UNAUTHENTICATED, public: 'ok', panelRead: 'ok', panelAct: 'ok' },
  },
  {
    name: 'read embed token as ?token=, calling another',
    calls: 'other',
    credentials: async (own) => ({ query: `token=${await once(`embed-read:${own}`, () => mintToken(own, 'read'))}` }),
    expect: { ...UNAUTHENTICATED, public: 'ok', panelRead: 'embedOther', panelAct: 'embedOther' },
  },
];

// ——— The service ———

/** A standing webhook per connector (for the deliveries route). */
const webhooks = new Map<string, string>();

async function makeWebhook(connector: string): Promise<string> {
  const admin = await once('admin', () => h.key(['admin']));
  const a = await h.call('POST', `/v1/connectors/${connector}/webhooks`, { key: admin, body: { url: 'http://127.0.0.1:9/hook', events: ['sync.failed'] } });
  assert.equal(a.status, 201, `webhook on ${connector}: ${a.text}`);
  return a.body.id as string;
}

before(async () => {
  h = await startHarness({ ...DATABASE });
  await h.connector(A, { allowedOrigins: [ORIGIN] });
  await h.connector(B);
  for (const c of [A, B]) webhooks.set(c, await makeWebhook(c));
});

after(async () => {
  await h?.close();
});

/** Every route: the table (with the meta routes) and the panel's. */
function everyRoute(): Array<{ method: string; path: string }> {
  const table = [...apiRoutes(), ...metaRoutes(() => ({}), () => false)].map((r) => ({ method: r.method, path: r.path }));
  return [...table, ...PANEL_ROUTES.map((r) => ({ method: r.method, path: r.path }))];
}

test('the matrix names every route of the API, and only those', () => {
  const routes = everyRoute().map((r) => `${r.method} ${r.path}`);
  assert.deepEqual([...routes].sort(), Object.keys(ROUTES).sort());
  // The table's classes agree with what the routes declare, in the words of the table.
  const declared = Object.fromEntries([...apiRoutes(), ...metaRoutes(() => ({}), () => false)].map((r) => [`${r.method} ${r.path}`, r.access]));
  for (const [name, row] of Object.entries(ROUTES)) {
    const access = declared[name];
    if (access === undefined) continue; // a panel route
    if (row.class === 'public') assert.equal(access, 'public', name);
    else {
      assert.ok(typeof access === 'object', name);
      assert.equal(access.scope, CLASS_SCOPE[row.class as Exclude<RouteClass, 'public'>], `${name}: scope`);
      assert.equal(access.connector, row.class === 'create' ? 'create' : row.class === 'list' ? 'list' : 'one', `${name}: connector`);
      assert.equal(access.embed, undefined, `${name}: no embed tokens outside the panel`);
    }
  }
});

/**
 * One call of `route` by `caller`. A destructive route that should succeed gets its own throwaway
 * connector (or webhook); one that should be refused is aimed at a standing throwaway, which a
 * wrong success would remove (and the next refused caller would then see a 404, not a 403).
 */
async function callAs(name: string, row: RouteRow, caller: Caller, allowed: boolean): Promise<Answer> {
  const [method, template] = name.split(' ') as [string, string];
  let subject: Subject = { own: A, other: B };
  if (row.throwaway) {
    const id = allowed ? freshId('gone') : 'standing-throwaway';
    if (allowed || !(await h.server.services.registry.get(id))) await h.connector(id);
    subject = { own: id, other: B };
  }
  const target = caller.calls === 'own' ? subject.own : subject.other;
  const creds = await caller.credentials(subject.own);
  const webhookId = row.freshWebhook && allowed ? await makeWebhook(target) : webhooks.get(target) ?? 'wh_none';
  let path = template.includes('{') ? fillPath(template, { id: target, webhookId }) : template;
  if (creds.query) path += `?${creds.query}`;
  return send(h.url, method, path, { ...(creds.headers && { headers: creds.headers }), ...(row.body && { body: row.body(target) }) });
}

function checkAnswer(a: Answer, expected: Outcome, row: RouteRow): string | undefined {
  const got = `${a.status} ${a.text.slice(0, 200)}`;
  if (a.status >= 500) return `a 5xx: ${got}`;
  try {
    if (expected === 'ok') {
      if (a.status !== row.success) return `expected ${row.success}, got ${got}`;
      if (row.stream) assert.match(a.headers.get('content-type') ?? '', /^text\/event-stream/);
      return undefined;
    }
    if (expected === 401) {
      assertProblem(a, 401);
      assert.equal(a.headers.get('www-authenticate'), 'Bearer realm="shopsync"');
      return undefined;
    }
    if (expected === 400) {
      assertProblem(a, 400);
      assert.ok(Array.isArray(a.body.errors) && a.body.errors.some((e: { field: string }) => e.field.startsWith('query')), 'names the query');
      return undefined;
    }
    assertProblem(a, 403);
    assert.match(a.body.detail, REASONS[expected]);
    if (expected === 'scope') assert.match(a.body.detail, new RegExp(`"${CLASS_SCOPE[row.class as Exclude<RouteClass, 'public'>]}"`), 'names the scope the route needs');
    assert.equal(a.headers.get('www-authenticate'), null, 'a 403 asks for no other credentials');
    return undefined;
  } catch (err) {
    return `expected ${expected}: ${(err as Error).message.split('\n')[0]} (got ${got})`;
  }
}

for (const [name, row] of Object.entries(ROUTES)) {
  test(`auth matrix: ${name}`, async () => {
    const wrong: string[] = [];
    for (const caller of CALLERS) {
      const expected = caller.expect[row.class];
      const answer = await callAs(name, row, caller, expected === 'ok');
      const problem = checkAnswer(answer, expected, row);
      if (problem) wrong.push(`${caller.name}: ${problem}`);
    }
    if (wrong.length > 0) assert.fail(`${name}: ${wrong.length} of ${CALLERS.length} callers answered wrongly:\n  ${wrong.join('\n  ')}`);
  });
}

// ——— What the allowed calls did ———

test('a key limited to a connector lists that connector only; an unrestricted key lists all', async () => {
  const limited = await h.call('GET', '/v1/connectors', { key: await h.key(['read'], A) });
  assert.equal(limited.status, 200);
  assert.deepEqual(
    limited.body.items.map((c: { config: { id: string } }) => c.config.id),
    [A],
  );
  assert.equal(limited.body.total, 1);
  const all = await h.call('GET', '/v1/connectors?limit=1000', { key: await h.key(['read']) });
  const ids = all.body.items.map((c: { config: { id: string } }) => c.config.id);
  assert.ok(ids.includes(A) && ids.includes(B), `both connectors listed: ${ids.join(', ')}`);
});

test('act embed tokens need an admin key to mint; a minted token works for its connector and its src carries it', async () => {
  const read = await h.key(['read']);
  const refused = await h.call('POST', `/v1/connectors/${A}/embed-tokens`, { key: read, body: { access: 'act' } });
  assertProblem(refused, 403);
  assert.match(refused.body.detail, /need an API key with the admin scope/);
  const limitedAdmin = await h.key(['admin'], A);
  const made = await h.call('POST', `/v1/connectors/${A}/embed-tokens`, { key: limitedAdmin, body: { access: 'act', ttlSeconds: 60 } });
  assert.equal(made.status, 201);
  assert.equal(made.body.access, 'act');
  const src = new URL(made.body.src);
  assert.equal(src.pathname, `/v1/connectors/${A}/sync`);
  assert.equal(src.searchParams.get('token'), made.body.token);
  const state = await h.call('GET', `/v1/connectors/${A}/sync/state?token=${encodeURIComponent(made.body.token)}`);
  assert.equal(state.status, 200);
  assert.equal(state.body.connectorId, A);
});

test('a key works until it is revoked, and never again after', async () => {
  const key = await h.key(['read']);
  assert.equal((await h.call('GET', `/v1/connectors/${A}`, { key })).status, 200);
  await h.server.services.store.revokeApiKey(key.split('_')[1]!, Date.now());
  const revoked = await h.call('GET', `/v1/connectors/${A}`, { key });
  assertProblem(revoked, 401);
  assert.match(revoked.body.detail, /unknown or revoked/);
});

// ——— CORS on the panel's routes ———

test('CORS: a panel read with an embed token from an allowed origin gets Access-Control-Allow-Origin', async () => {
  const token = await mintToken(A, 'read');
  const a = await send(h.url, 'GET', `/v1/connectors/${A}/sync/state`, { headers: { authorization: `Bearer ${token}`, origin: ORIGIN } });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(a.headers.get('vary') ?? '', /Origin/i);
  assert.match(a.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/i);
  // The stream too (EventSource: the token in the query).
  const stream = await send(h.url, 'GET', `/v1/connectors/${A}/sync/stream?token=${encodeURIComponent(token)}`, { headers: { origin: ORIGIN } });
  assert.equal(stream.status, 200);
  assert.equal(stream.headers.get('access-control-allow-origin'), ORIGIN);
});

test('CORS: a panel action with an act token from an allowed origin gets Access-Control-Allow-Origin', async () => {
  const token = await mintToken(A, 'act');
  const a = await send(h.url, 'POST', `/v1/connectors/${A}/sync/items/retry-failed`, { headers: { authorization: `Bearer ${token}`, origin: ORIGIN }, body: {} });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.headers.get('access-control-allow-origin'), ORIGIN);
});

test('CORS: a refusal to an allowed origin carries CORS headers, so the panel can read why (an expired token: mint another)', async () => {
  const expired = (await h.server.services.tokens.mint(A, 'read', 60, Date.now() - 3_600_000)).token;
  const a = await send(h.url, 'GET', `/v1/connectors/${A}/sync/state`, { headers: { authorization: `Bearer ${expired}`, origin: ORIGIN } });
  assertProblem(a, 401);
  assert.equal(a.headers.get('access-control-allow-origin'), ORIGIN);
  const read = await mintToken(A, 'read');
  const b = await send(h.url, 'POST', `/v1/connectors/${A}/sync/connector`, { headers: { authorization: `Bearer ${read}`, origin: ORIGIN }, body: { enabled: true } });
  assertProblem(b, 403);
  assert.match(b.body.detail, REASONS.readOnly);
  assert.equal(b.headers.get('access-control-allow-origin'), ORIGIN);
});

test('CORS: from an origin not allowed, a panel request is a 403 without CORS headers', async () => {
  const token = await mintToken(A, 'act');
  for (const [method, path, body] of [
    ['GET', `/v1/connectors/${A}/sync/state`, undefined],
    ['GET', `/v1/connectors/${A}/sync/stream`, undefined],
    ['POST', `/v1/connectors/${A}/sync/connector`, { enabled: true }],
  ] as const) {
    for (const origin of [OTHER_ORIGIN, `${ORIGIN}:8443`, 'http://erp.example.com', 'null', `${ORIGIN}.evil.example`]) {
      const a = await send(h.url, method, path, { headers: { authorization: `Bearer ${token}`, origin }, ...(body && { body }) });
      assertProblem(a, 403, `${method} ${path} from ${origin}`);
      assert.match(a.body.detail, REASONS.origin);
      assert.equal(a.headers.get('access-control-allow-origin'), null);
    }
  }
  // An origin allowed for A is not for B (which allows none), even with B's own token.
  const tokenB = await mintToken(B, 'read');
  const b = await send(h.url, 'GET', `/v1/connectors/${B}/sync/state`, { headers: { authorization: `Bearer ${tokenB}`, origin: ORIGIN } });
  assertProblem(b, 403);
  assert.match(b.body.detail, REASONS.origin);
});

test('CORS: a preflight from an allowed origin gets 204 with the allow headers; from another, 403', async () => {
  for (const path of ['state', 'stream', 'items/retry', 'connector']) {
    const a = await send(h.url, 'OPTIONS', `/v1/connectors/${A}/sync/${path}`, { headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    assert.equal(a.status, 204, `${path}: ${a.text}`);
    assert.equal(a.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(a.headers.get('access-control-allow-methods') ?? '', /\bGET\b/);
    assert.match(a.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
    const allowHeaders = (a.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['authorization', 'content-type', 'last-event-id']) assert.ok(allowHeaders.includes(header), `${path}: allows ${header}: ${allowHeaders}`);
    assert.ok(Number(a.headers.get('access-control-max-age')) > 0);
    assert.match(a.headers.get('vary') ?? '', /Origin/i);
  }
  for (const [id, origin] of [[A, OTHER_ORIGIN], [B, ORIGIN], ['no-such-connector', ORIGIN]] as const) {
    const refused = await send(h.url, 'OPTIONS', `/v1/connectors/${id}/sync/state`, { headers: { origin, 'access-control-request-method': 'GET' } });
    assertProblem(refused, 403, `preflight ${id} from ${origin}`);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  }
  const noOrigin = await send(h.url, 'OPTIONS', `/v1/connectors/${A}/sync/state`);
  assertProblem(noOrigin, 403, 'preflight without Origin');
});

test('CORS: the rest of the API sends no CORS headers, even to an allowed origin', async () => {
  const admin = await h.key(['admin']);
  const a = await send(h.url, 'GET', `/v1/connectors/${A}`, { headers: { authorization: `Bearer ${admin}`, origin: ORIGIN } });
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('access-control-allow-origin'), null);
  const preflight = await send(h.url, 'OPTIONS', `/v1/connectors/${A}`, { headers: { origin: ORIGIN, 'access-control-request-method': 'GET' } });
  assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  assert.ok(preflight.status < 500);
});
