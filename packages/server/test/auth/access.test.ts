/**
 * `decide()` alone, no HTTP: every kind of caller (API keys of each scope set, limited to a
 * connector or not; embed tokens `read` and `act`) against every kind of route (a scope, and
 * `one` / `list` / `create`, with or without embed access), each expectation written out here
 * rather than derived from the rules under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, hasScope, type Access, type Decision, type Principal } from '../../src/auth/access.js';
import type { Scope } from '../../src/store/types.js';

const A = 'conn-a';
const B = 'conn-b';

const key = (scopes: Scope[], connectorId?: string): Principal => ({ kind: 'key', keyId: 'k1', scopes: new Set(scopes), ...(connectorId !== undefined && { connectorId }) });
const embed = (access: 'read' | 'act', connectorId = A): Principal => ({ kind: 'embed', connectorId, access });

/** What a refusal must say: a pattern of its detail. */
const SCOPE = (scope: Scope) => new RegExp(`do not include "${scope}"`);
const LIMITED_CREATE = /limited to one connector and cannot add connectors/;
const LIMITED_OTHER = /limited to another connector/;
const EMBED_NOT_PANEL = /Embed tokens reach the panel routes only/;
const EMBED_OTHER = /embed token is for another connector/;
const EMBED_READ_ONLY = /allows reading only/;

type Expect = 'ok' | RegExp;

function check(decision: Decision, expected: Expect, what: string): void {
  if (expected === 'ok') {
    assert.deepEqual(decision, { ok: true }, `${what}: expected ok, got ${JSON.stringify(decision)}`);
    return;
  }
  assert.equal(decision.ok, false, `${what}: expected a refusal matching ${expected}, got ok`);
  if (!decision.ok) {
    assert.match(decision.detail, expected, `${what}: the refusal says why`);
    assert.ok(decision.detail.length > 10 && decision.detail.endsWith('.'), `${what}: a sentence, got ${JSON.stringify(decision.detail)}`);
  }
}

// ——— hasScope ———

test('hasScope: a scope includes itself only, admin includes every scope', () => {
  const table: Array<[Scope[], Scope, boolean]> = [
    [[], 'ingest', false],
    [[], 'read', false],
    [[], 'admin', false],
    [['ingest'], 'ingest', true],
    [['ingest'], 'read', false],
    [['ingest'], 'admin', false],
    [['read'], 'ingest', false],
    [['read'], 'read', true],
    [['read'], 'admin', false],
    [['ingest', 'read'], 'ingest', true],
    [['ingest', 'read'], 'read', true],
    [['ingest', 'read'], 'admin', false],
    [['admin'], 'ingest', true],
    [['admin'], 'read', true],
    [['admin'], 'admin', true],
    [['admin', 'read'], 'ingest', true],
  ];
  for (const [scopes, scope, expected] of table) assert.equal(hasScope(new Set(scopes), scope), expected, `${scopes.join('+') || 'none'} has ${scope}`);
});

// ——— API keys: scopes ———

/** Every scope set a key may have, against every scope a route may ask: the expected answer, written out. */
const SCOPE_TABLE: Array<[Scope[], Record<Scope, boolean>]> = [
  [[], { ingest: false, read: false, admin: false }],
  [['ingest'], { ingest: true, read: false, admin: false }],
  [['read'], { ingest: false, read: true, admin: false }],
  [['admin'], { ingest: true, read: true, admin: true }],
  [['ingest', 'read'], { ingest: true, read: true, admin: false }],
  [['ingest', 'admin'], { ingest: true, read: true, admin: true }],
  [['read', 'admin'], { ingest: true, read: true, admin: true }],
  [['ingest', 'read', 'admin'], { ingest: true, read: true, admin: true }],
];

test('an unrestricted key: allowed exactly when its scopes include the route’s (admin has all), on every kind of route', () => {
  for (const [scopes, allowed] of SCOPE_TABLE) {
    for (const scope of ['ingest', 'read', 'admin'] as const) {
      for (const connector of ['one', 'list', 'create'] as const) {
        for (const embedAccess of [undefined, 'read', 'act'] as const) {
          const access: Access = { scope, connector, ...(embedAccess && { embed: embedAccess }) };
          const what = `key[${scopes.join('+') || 'none'}] on ${JSON.stringify(access)}`;
          // A route naming a connector: any connector; a list or create names none.
          const ids = connector === 'one' ? [A, B] : [undefined];
          for (const id of ids) check(decide(key(scopes), access, id), allowed[scope] ? 'ok' : SCOPE(scope), `${what} about ${id}`);
        }
      }
    }
  }
});

test('a refused key’s detail lists its scopes (or "none")', () => {
  const refused = decide(key(['ingest', 'read']), { scope: 'admin', connector: 'one' }, A);
  assert.equal(refused.ok, false);
  if (!refused.ok) assert.match(refused.detail, /\(ingest, read\) do not include "admin"/);
  const none = decide(key([]), { scope: 'read', connector: 'list' });
  assert.equal(none.ok, false);
  if (!none.ok) assert.match(none.detail, /\(none\) do not include "read"/);
});

// ——— API keys limited to one connector ———

test('a key limited to connector A: its own connector yes, another no, a list yes (filtered by the route), create never', () => {
  // [scopes, route access, connector named, expected]
  const table: Array<[Scope[], Access, string | undefined, Expect]> = [
    // one: A yes, B no
    [['read'], { scope: 'read', connector: 'one' }, A, 'ok'],
    [['read'], { scope: 'read', connector: 'one' }, B, LIMITED_OTHER],
    [['read'], { scope: 'read', connector: 'one' }, undefined, LIMITED_OTHER],
    [['ingest'], { scope: 'ingest', connector: 'one' }, A, 'ok'],
    [['ingest'], { scope: 'ingest', connector: 'one' }, B, LIMITED_OTHER],
    [['admin'], { scope: 'admin', connector: 'one' }, A, 'ok'],
    [['admin'], { scope: 'admin', connector: 'one' }, B, LIMITED_OTHER],
    [['admin'], { scope: 'read', connector: 'one', embed: 'read' }, A, 'ok'],
    [['admin'], { scope: 'admin', connector: 'one', embed: 'act' }, B, LIMITED_OTHER],
    // the scope is checked first: a wrong scope on another connector says "scope"
    [['read'], { scope: 'admin', connector: 'one' }, B, SCOPE('admin')],
    [['ingest'], { scope: 'read', connector: 'one' }, A, SCOPE('read')],
    // list: allowed (the route shows only the key's connector)
    [['read'], { scope: 'read', connector: 'list' }, undefined, 'ok'],
    [['admin'], { scope: 'read', connector: 'list' }, undefined, 'ok'],
    [['ingest'], { scope: 'read', connector: 'list' }, undefined, SCOPE('read')],
    // create: never, whatever the scopes
    [['admin'], { scope: 'admin', connector: 'create' }, undefined, LIMITED_CREATE],
    [['ingest', 'read', 'admin'], { scope: 'admin', connector: 'create' }, undefined, LIMITED_CREATE],
    [['read'], { scope: 'admin', connector: 'create' }, undefined, SCOPE('admin')],
    [['read'], { scope: 'read', connector: 'create' }, undefined, LIMITED_CREATE],
  ];
  for (const [scopes, access, id, expected] of table) check(decide(key(scopes, A), access, id), expected, `key[${scopes.join('+')}]→${A} on ${JSON.stringify(access)} about ${id}`);
});

test('an unrestricted key reaches any connector, and may create', () => {
  check(decide(key(['admin']), { scope: 'admin', connector: 'create' }), 'ok', 'admin create');
  check(decide(key(['read']), { scope: 'read', connector: 'one' }, 'anything'), 'ok', 'read one');
  check(decide(key(['ingest']), { scope: 'ingest', connector: 'one' }, B), 'ok', 'ingest one');
});

// ——— Embed tokens ———

/** Every route kind, against embed tokens read and act for A, about A and B: written out. */
test('embed tokens: panel routes of their own connector only; act tokens for actions', () => {
  const routes: Array<[string, Access]> = [
    ['api read one', { scope: 'read', connector: 'one' }],
    ['api admin one', { scope: 'admin', connector: 'one' }],
    ['api ingest one', { scope: 'ingest', connector: 'one' }],
    ['api list', { scope: 'read', connector: 'list' }],
    ['api create', { scope: 'admin', connector: 'create' }],
    ['panel read', { scope: 'read', connector: 'one', embed: 'read' }],
    ['panel act', { scope: 'admin', connector: 'one', embed: 'act' }],
    ['panel-read list (no such route, still refused)', { scope: 'read', connector: 'list', embed: 'read' }],
    ['panel-read create (no such route, still refused)', { scope: 'admin', connector: 'create', embed: 'read' }],
  ];
  // [route name, token access, connector named] → expected
  const expected: Record<string, Record<'read' | 'act', Record<'A' | 'B' | 'none', Expect>>> = {
    'api read one': { read: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL }, act: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL } },
    'api admin one': { read: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL }, act: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL } },
    'api ingest one': { read: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL }, act: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL } },
    'api list': { read: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL }, act: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL } },
    'api create': { read: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL }, act: { A: EMBED_NOT_PANEL, B: EMBED_NOT_PANEL, none: EMBED_NOT_PANEL } },
    'panel read': { read: { A: 'ok', B: EMBED_OTHER, none: EMBED_OTHER }, act: { A: 'ok', B: EMBED_OTHER, none: EMBED_OTHER } },
    'panel act': { read: { A: EMBED_READ_ONLY, B: EMBED_OTHER, none: EMBED_OTHER }, act: { A: 'ok', B: EMBED_OTHER, none: EMBED_OTHER } },
    'panel-read list (no such route, still refused)': { read: { A: EMBED_OTHER, B: EMBED_OTHER, none: EMBED_OTHER }, act: { A: EMBED_OTHER, B: EMBED_OTHER, none: EMBED_OTHER } },
    'panel-read create (no such route, still refused)': { read: { A: EMBED_OTHER, B: EMBED_OTHER, none: EMBED_OTHER }, act: { A: EMBED_OTHER, B: EMBED_OTHER, none: EMBED_OTHER } },
  };
  for (const [name, access] of routes) {
    for (const tokenAccess of ['read', 'act'] as const) {
      for (const [label, id] of [['A', A], ['B', B], ['none', undefined]] as const) {
        check(decide(embed(tokenAccess), access, id), expected[name]![tokenAccess][label], `${tokenAccess} token for A on ${name} about ${label}`);
      }
    }
  }
});

test('an embed token is not an API key: no scope makes it one, and another connector’s token is refused by connector first', () => {
  // A read token for B asking an act route of A: "another connector", not "reading only".
  check(decide(embed('read', B), { scope: 'admin', connector: 'one', embed: 'act' }, A), EMBED_OTHER, 'read token for B on act route of A');
  // Connector ids compare exactly (no case folding, no trimming).
  check(decide(embed('act', 'Conn-A'), { scope: 'read', connector: 'one', embed: 'read' }, 'conn-a'), EMBED_OTHER, 'case differs');
  check(decide(embed('act', A), { scope: 'read', connector: 'one', embed: 'read' }, `${A} `), EMBED_OTHER, 'trailing space');
});

test('a key limited to a connector compares ids exactly', () => {
  check(decide(key(['read'], 'Conn-A'), { scope: 'read', connector: 'one' }, 'conn-a'), LIMITED_OTHER, 'case differs');
  check(decide(key(['read'], A), { scope: 'read', connector: 'one' }, `${A}.`), LIMITED_OTHER, 'suffix');
});

test('decide is pure: the same question, the same answer, and the principal is not changed', () => {
  const scopes = new Set<Scope>(['ingest', 'read']);
  const p: Principal = { kind: 'key', keyId: 'k1', scopes, connectorId: A };
  const access: Access = { scope: 'admin', connector: 'one' };
  const first = decide(p, access, A);
  const second = decide(p, access, A);
  assert.deepEqual(first, second);
  assert.deepEqual([...scopes], ['ingest', 'read']);
  assert.deepEqual(p, { kind: 'key', keyId: 'k1', scopes: new Set(['ingest', 'read']), connectorId: A });
});
