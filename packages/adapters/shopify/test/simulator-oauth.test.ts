import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '@shopsync/core';
import { ShopifySimulator, type SimulatorOptions } from '@shopsync/shopify/simulator';
import { startSim, TOKEN } from './helpers.js';
import { post, SHOP } from './sim-helpers.js';

const PUBLIC = { clientId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', clientSecret: 'shpss_public00000000000000000000000001', distribution: 'public' as const, offlineTokens: ['shpat_public0000000000000000000000000001'] };
const CUSTOM = { clientId: 'f0e1d2c3b4a5968778695a4b3c2d1e0f', clientSecret: 'shpss_custom00000000000000000000000002', distribution: 'custom' as const, clientCredentials: true, offlineTokens: ['shpat_custom0000000000000000000000000002'], scope: 'write_products,read_locations' };
const APPS = [PUBLIC, CUSTOM];
const UNAUTHORIZED = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
const NON_EXPIRING = { errors: 'Non-expiring access tokens are no longer accepted for the Admin API. Start using expiring offline tokens.' };

/** Every token, refresh token and secret a test saw: none may appear in a log. */
const secrets = new Set<string>([TOKEN, PUBLIC.clientSecret, CUSTOM.clientSecret, ...PUBLIC.offlineTokens, ...CUSTOM.offlineTokens]);

interface TokenAnswer {
  status: number;
  headers: Headers;
  body: { access_token?: string; expires_in?: number; refresh_token?: string; refresh_token_expires_in?: number; scope?: string; error?: string; error_description?: string };
}

/** A POST to the token endpoint: JSON by default, form-encoded with `form`, or a raw body. */
async function tokenPost(sim: ShopifySimulator, params: Record<string, string>, opts: { form?: boolean; raw?: string; contentType?: string } = {}): Promise<TokenAnswer> {
  const body = opts.raw ?? (opts.form ? new URLSearchParams(params).toString() : JSON.stringify(params));
  const contentType = opts.contentType ?? (opts.form ? 'application/x-www-form-urlencoded' : 'application/json');
  const res = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  const a = { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) as TokenAnswer['body'] };
  for (const t of [a.body.access_token, a.body.refresh_token]) if (t) secrets.add(t);
  return a;
}

function refresh(sim: ShopifySimulator, refreshToken: string, app: { clientId: string; clientSecret: string } = PUBLIC, form = false): Promise<TokenAnswer> {
  return tokenPost(sim, { grant_type: 'refresh_token', client_id: app.clientId, client_secret: app.clientSecret, refresh_token: refreshToken }, { form });
}

function clientCredentials(sim: ShopifySimulator, app: { clientId: string; clientSecret: string } = CUSTOM, form = false): Promise<TokenAnswer> {
  return tokenPost(sim, { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret }, { form });
}

/** An expiring offline token of the public app, as an install gives it. */
function install(sim: ShopifySimulator, clientId: string = PUBLIC.clientId): { access: string; refresh: string } {
  const t = sim.issueOfflineToken(clientId, { expiring: true });
  secrets.add(t.accessToken);
  secrets.add(t.refreshToken!);
  return { access: t.accessToken, refresh: t.refreshToken! };
}

/** Neither request log holds a token, refresh token or secret seen so far, nor a part of one. */
function assertNoSecrets(sim: ShopifySimulator): void {
  const logs = JSON.stringify(sim.requests) + JSON.stringify(sim.tokenRequests);
  for (const s of secrets) {
    assert.ok(!logs.includes(s), 'a secret is in a log');
    assert.ok(!logs.includes(s.slice(6, 22)), 'part of a secret is in a log');
  }
}

async function status(sim: ShopifySimulator, token: string): Promise<number> {
  return (await post(sim, SHOP, {}, { token })).status;
}

function startApps(options: Partial<SimulatorOptions> = {}): Promise<ShopifySimulator> {
  return startSim({ apps: [...APPS], ...options });
}

describe('simulator: the token endpoint', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startApps();
  });
  after(async () => {
    await sim.close();
  });

  it('a refresh rotates both tokens; the old refresh token is refused once the new access token was used', async () => {
    const first = install(sim);
    assert.equal(await status(sim, first.access), 200);
    const r = await refresh(sim, first.refresh);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(r.body), ['access_token', 'expires_in', 'refresh_token', 'refresh_token_expires_in', 'scope']);
    assert.match(r.body.access_token!, /^shpat_[0-9a-f]{32}$/);
    assert.match(r.body.refresh_token!, /^shprt_[0-9a-f]{32}$/);
    assert.notEqual(r.body.access_token, first.access);
    assert.notEqual(r.body.refresh_token, first.refresh);
    assert.deepEqual([r.body.expires_in, r.body.refresh_token_expires_in, r.body.scope], [3_600, 90 * 86_400, 'write_products,write_inventory,read_locations']);

    assert.equal(await status(sim, r.body.access_token!), 200, 'the new access token works');
    assert.equal(await status(sim, first.access), 200, 'the old access token lives out its hour');
    const stale = await refresh(sim, first.refresh);
    assert.equal(stale.status, 400);
    assert.equal(stale.body.error, 'invalid_grant');
    assert.equal(typeof stale.body.error_description, 'string');
    assert.equal((await refresh(sim, r.body.refresh_token!)).status, 200, 'the new refresh token works');
    assert.deepEqual(
      sim.tokenRequests.slice(-3).map((e) => [e.grantType, e.clientId, e.refreshToken, e.status, e.error]),
      [
        ['refresh_token', PUBLIC.clientId, 'current', 200, undefined],
        ['refresh_token', PUBLIC.clientId, 'unknown', 400, 'invalid_grant'],
        ['refresh_token', PUBLIC.clientId, 'current', 200, undefined],
      ],
    );
  });

  it('a lost refresh answer: the previous refresh token still works, and the lost pair goes', async () => {
    const first = install(sim);
    sim.injectTokenFault('reset', { afterExecute: true });
    await assert.rejects(refresh(sim, first.refresh), 'the answer is lost');
    const lost = sim.tokenRequests.at(-1)!;
    assert.deepEqual([lost.status, lost.fault, lost.refreshToken, typeof lost.issued], [0, 'reset', 'current', 'string'], 'the grant was applied');

    const recovered = await refresh(sim, first.refresh);
    assert.equal(recovered.status, 200);
    assert.equal(sim.tokenRequests.at(-1)!.refreshToken, 'grace');
    assert.notEqual(sim.tokenRequests.at(-1)!.issued, lost.issued);

    // The grace holds while the new access token is unused: an answer received but not stored.
    const unstored = await refresh(sim, first.refresh);
    assert.equal(unstored.status, 200);
    assert.equal(await status(sim, recovered.body.access_token!), 401, 'a grace refresh revokes the pair it replaces');
    assert.equal(sim.requests.at(-1)!.token.split(':')[0], 'revoked');
    assert.equal((await refresh(sim, recovered.body.refresh_token!)).body.error, 'invalid_grant');

    // The first use of the new access token ends the grace.
    assert.equal(await status(sim, unstored.body.access_token!), 200);
    assert.equal((await refresh(sim, first.refresh)).body.error, 'invalid_grant');
    assert.equal((await refresh(sim, unstored.body.refresh_token!)).status, 200);
  });

  it('refusals: invalid_grant for an unknown or another app’s refresh token, invalid_client, unsupported_grant_type, invalid_request', async () => {
    const mine = install(sim);
    const expectError = async (a: Promise<TokenAnswer>, status: number, error: string) => {
      const r = await a;
      assert.deepEqual([r.status, r.body.error, Object.keys(r.body)], [status, error, ['error', 'error_description']], JSON.stringify(r.body));
      assert.match(r.headers.get('content-type')!, /^application\/json/);
    };
    await expectError(refresh(sim, 'shprt_00000000000000000000000000000000'), 400, 'invalid_grant');
    await expectError(refresh(sim, mine.refresh, CUSTOM), 400, 'invalid_grant');
    await expectError(refresh(sim, mine.refresh, { clientId: PUBLIC.clientId, clientSecret: 'shpss_wrong' }), 401, 'invalid_client');
    await expectError(refresh(sim, mine.refresh, { clientId: 'nobody', clientSecret: PUBLIC.clientSecret }), 401, 'invalid_client');
    await expectError(clientCredentials(sim, { clientId: CUSTOM.clientId, clientSecret: PUBLIC.clientSecret }), 401, 'invalid_client');
    for (const grant_type of [undefined, 'authorization_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'toString']) {
      const params: Record<string, string> = { client_id: PUBLIC.clientId, client_secret: PUBLIC.clientSecret, refresh_token: mine.refresh };
      if (grant_type) params['grant_type'] = grant_type;
      await expectError(tokenPost(sim, params), 400, 'unsupported_grant_type');
    }
    await expectError(tokenPost(sim, { grant_type: 'refresh_token', client_id: PUBLIC.clientId, client_secret: PUBLIC.clientSecret }), 400, 'invalid_request');
    await expectError(tokenPost(sim, { grant_type: 'client_credentials', client_id: CUSTOM.clientId }), 400, 'invalid_request');
    await expectError(tokenPost(sim, { grant_type: 'client_credentials', client_id: CUSTOM.clientId, client_secret: '' }, { form: true }), 400, 'invalid_request');
    await expectError(tokenPost(sim, {}, { raw: '{"grant_type":', contentType: 'application/json' }), 400, 'invalid_request');
    await expectError(tokenPost(sim, {}, { raw: '["client_credentials"]', contentType: 'application/json' }), 400, 'invalid_request');
    await expectError(tokenPost(sim, {}, { raw: 'grant_type=client_credentials', contentType: 'text/plain' }), 400, 'invalid_request');
    await expectError(tokenPost(sim, {}, { raw: `grant_type=client_credentials&client_id=${CUSTOM.clientId}&client_id=x&client_secret=${CUSTOM.clientSecret}`, form: true }), 400, 'invalid_request');
    // Nothing above changed the chain.
    assert.equal((await refresh(sim, mine.refresh)).status, 200);
    const logged = sim.tokenRequests.slice(-17);
    assert.deepEqual(logged.map((e) => e.status), [400, 400, 401, 401, 401, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 200]);
    assert.deepEqual(logged.slice(0, 5).map((e) => e.error), ['invalid_grant', 'invalid_grant', 'invalid_client', 'invalid_client', 'invalid_client']);
    assert.match(logged[3]!.clientId!, /^unknown:[0-9a-f]{12}$/, 'an unknown client id is hashed: it could be a misplaced secret');
    assert.deepEqual(logged.slice(5, 9).map((e) => e.grantType), [null, 'other', 'other', 'other']);
  });

  it('accepts form-encoded and JSON bodies alike', async () => {
    const a = install(sim);
    const viaForm = await refresh(sim, a.refresh, PUBLIC, true);
    assert.equal(viaForm.status, 200);
    const viaJson = await refresh(sim, viaForm.body.refresh_token!);
    assert.equal(viaJson.status, 200);
    assert.equal((await clientCredentials(sim, CUSTOM, true)).status, 200);
    assert.equal((await clientCredentials(sim, CUSTOM, false)).status, 200);
    // Without a Content-Type, a body that looks like JSON is JSON, another a form.
    assert.equal((await tokenPost(sim, {}, { raw: JSON.stringify({ grant_type: 'client_credentials', client_id: CUSTOM.clientId, client_secret: CUSTOM.clientSecret }), contentType: '' })).status, 200);
  });

  it('client credentials: a day’s token without a refresh token; refused for an app that may not use them', async () => {
    const r = await clientCredentials(sim);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'expires_in', 'scope']);
    assert.deepEqual([r.body.expires_in, r.body.scope], [86_399, 'write_products,read_locations']);
    assert.match(r.body.access_token!, /^shpat_[0-9a-f]{32}$/);
    assert.equal(await status(sim, r.body.access_token!), 200);
    assert.equal(sim.requests.at(-1)!.app, CUSTOM.clientId);
    const refused = await clientCredentials(sim, PUBLIC);
    assert.deepEqual([refused.status, refused.body.error], [400, 'shop_not_permitted']);
  });

  it('the token endpoint: POST only, on the store’s host; its requests are not in the Admin API log', async () => {
    const before = sim.requests.length;
    assert.equal((await fetch(sim.tokenUrl)).status, 405);
    const elsewhere = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'X-Forwarded-Host': 'elsewhere.myshopify.com', 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(elsewhere.status, 404);
    const here = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'X-Forwarded-Host': sim.shopDomain, 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: CUSTOM.clientId, client_secret: CUSTOM.clientSecret }) });
    assert.equal(here.status, 200);
    secrets.add(((await here.json()) as { access_token: string }).access_token);
    assert.equal(sim.requests.length, before);
    assert.deepEqual(sim.tokenRequests.slice(-3).map((e) => e.status), [405, 404, 200]);
  });

  it('logs hold no token, refresh token or secret', () => {
    assert.ok(secrets.size > 20, `${secrets.size} secrets seen`);
    assert.ok(sim.requests.length > 5 && sim.tokenRequests.length > 30, `${sim.requests.length} requests, ${sim.tokenRequests.length} token requests`);
    assertNoSecrets(sim);
  });
});

describe('simulator: expiring and revoked tokens on the Admin API', () => {
  it('an expired access token gets 401; a refresh brings a working one', async () => {
    const sim = await startApps({ tokenLifetimes: { accessSeconds: 0.2, clientCredentialsSeconds: 0.2 } });
    try {
      const a = install(sim);
      const cc = await clientCredentials(sim);
      assert.equal(cc.body.expires_in, 0.2);
      assert.equal(await status(sim, a.access), 200);
      assert.equal(await status(sim, cc.body.access_token!), 200);
      await new Promise((resolve) => setTimeout(resolve, 250));
      const expired = await post(sim, SHOP, {}, { token: a.access });
      assert.deepEqual([expired.status, expired.body], [401, UNAUTHORIZED]);
      assert.equal(sim.requests.at(-1)!.token.split(':')[0], 'expired');
      assert.equal(await status(sim, cc.body.access_token!), 401);
      const r = await refresh(sim, a.refresh);
      assert.equal(r.status, 200);
      assert.equal(await status(sim, r.body.access_token!), 200);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });

  it('refresh tokens expire too', async () => {
    const sim = await startApps({ tokenLifetimes: { refreshSeconds: 0.1 } });
    try {
      const a = install(sim);
      await new Promise((resolve) => setTimeout(resolve, 150));
      assert.equal((await refresh(sim, a.refresh)).body.error, 'invalid_grant');
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });

  it('expireAccessTokens: every expiring token of the app, at once; non-expiring ones and other apps untouched', async () => {
    const sim = await startApps();
    try {
      const a = install(sim);
      const b = await clientCredentials(sim, CUSTOM);
      assert.equal(sim.expireAccessTokens(PUBLIC.clientId), 1);
      assert.equal(await status(sim, a.access), 401);
      assert.equal(await status(sim, PUBLIC.offlineTokens[0]!), 200, 'a non-expiring token does not expire');
      assert.equal(await status(sim, b.body.access_token!), 200, 'another app’s tokens are untouched');
      assert.equal(sim.expireAccessTokens(PUBLIC.clientId), 0);
      assert.equal((await refresh(sim, a.refresh)).status, 200, 'the refresh token still works');
      assert.throws(() => sim.expireAccessTokens('nobody'), /No app with client id/);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });

  it('revokeGrant (uninstall): every token and refresh token of the app stops working until it is installed again', async () => {
    const sim = await startApps();
    try {
      const a = install(sim);
      const fixed = sim.issueOfflineToken(PUBLIC.clientId, { expiring: false });
      secrets.add(fixed.accessToken);
      assert.deepEqual(Object.keys(fixed), ['accessToken', 'scope']);
      const cc = await clientCredentials(sim);
      assert.equal(sim.revokeGrant(PUBLIC.clientId), 3, 'the configured, the issued non-expiring and the expiring token');
      for (const t of [a.access, fixed.accessToken, PUBLIC.offlineTokens[0]!]) assert.equal(await status(sim, t), 401);
      assert.equal(sim.requests.at(-1)!.token.split(':')[0], 'revoked');
      const r = await refresh(sim, a.refresh);
      assert.deepEqual([r.status, r.body.error], [400, 'invalid_grant']);
      assert.equal(await status(sim, cc.body.access_token!), 200, 'another app is untouched');
      assert.equal(await status(sim, TOKEN), 200);

      sim.revokeGrant(CUSTOM.clientId);
      const notInstalled = await clientCredentials(sim);
      assert.deepEqual([notInstalled.status, notInstalled.body.error], [400, 'app_not_installed']);

      const again = install(sim);
      assert.equal(await status(sim, again.access), 200, 'installed again');
      assert.equal(await status(sim, a.access), 401, 'the old tokens stay revoked');
      assert.equal((await refresh(sim, again.refresh)).status, 200);
      assert.throws(() => sim.revokeGrant('nobody'), /No app with client id/);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });

  it('a new install replaces the refresh chain: the earlier refresh token is refused', async () => {
    const sim = await startApps();
    try {
      const a = install(sim);
      const b = install(sim);
      assert.equal((await refresh(sim, a.refresh)).body.error, 'invalid_grant');
      assert.equal(await status(sim, a.access), 200, 'its access token lives out its time');
      assert.equal((await refresh(sim, b.refresh)).status, 200);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: public apps’ non-expiring tokens from 2027-01-01', () => {
  const after2027 = new Date('2027-01-01T00:00:00Z');
  it('403 for a public app’s non-expiring token from the cutoff; custom apps, expiring tokens and fixed tokens pass', async () => {
    const sim = await startApps({ now: after2027 });
    try {
      const refused = await post(sim, SHOP, {}, { token: PUBLIC.offlineTokens[0]! });
      assert.deepEqual([refused.status, refused.body], [403, NON_EXPIRING]);
      assert.equal(refused.headers.get('x-shopify-api-version'), '2025-01');
      assert.deepEqual([sim.requests.at(-1)!.token.split(':')[0], sim.requests.at(-1)!.app], ['refused', PUBLIC.clientId]);
      const issued = sim.issueOfflineToken(PUBLIC.clientId, { expiring: false });
      secrets.add(issued.accessToken);
      assert.equal(await status(sim, issued.accessToken), 403);
      assert.equal(await status(sim, install(sim).access), 200, 'a public app’s expiring token');
      assert.equal(await status(sim, CUSTOM.offlineTokens[0]!), 200, 'a custom app’s non-expiring token');
      assert.equal(await status(sim, TOKEN), 200, 'a legacy custom app’s fixed token');
      assert.equal(await status(sim, (await clientCredentials(sim)).body.access_token!), 200);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });

  it('accepted before the cutoff; nonExpiringCutoff moves it or (null) turns it off', async () => {
    const before = await startApps({ now: new Date('2026-12-31T23:59:59Z') });
    const never = await startApps({ now: after2027, nonExpiringCutoff: null });
    const earlier = await startApps({ nonExpiringCutoff: new Date(Date.now() - 60_000) });
    try {
      assert.equal(await status(before, PUBLIC.offlineTokens[0]!), 200);
      assert.equal(await status(never, PUBLIC.offlineTokens[0]!), 200);
      assert.equal(await status(earlier, PUBLIC.offlineTokens[0]!), 403, 'read at the clock without `now`');
      assert.equal(earlier.config.nonExpiringCutoff!.getTime() < Date.now(), true);
      assert.equal(before.config.nonExpiringCutoff!.toISOString(), '2027-01-01T00:00:00.000Z', 'the default');
    } finally {
      await Promise.all([before.close(), never.close(), earlier.close()]);
    }
  });
});

describe('simulator: rate limits per app', () => {
  it('every token of an app shares the app’s bucket, through refreshes; fixed tokens keep their own', async () => {
    const sim = await startApps({ bucketSize: 100, restoreRate: 0.001 });
    try {
      const q = 'query { products(first: 10) { nodes { id } } }';
      const available = async (token: string) => (await post(sim, q, {}, { token })).body.extensions!.cost!.throttleStatus.currentlyAvailable;
      const a = install(sim);
      assert.equal(await available(a.access), 98);
      const r = await refresh(sim, a.refresh);
      assert.equal(await available(r.body.access_token!), 96, 'a refreshed token keeps the bucket');
      assert.equal(await available(PUBLIC.offlineTokens[0]!), 94, 'the app’s non-expiring token too');
      assert.equal(Math.floor(sim.bucketAvailable(r.body.access_token!)), 94);
      assert.equal(Math.floor(sim.bucketAvailable({ clientId: PUBLIC.clientId })), 94);
      assert.equal(await available(TOKEN), 98, 'a fixed token of accessTokens is its own app');
      assert.equal(await available((await clientCredentials(sim)).body.access_token!), 98, 'another app has its own bucket');
      assert.equal(await available(CUSTOM.offlineTokens[0]!), 96);

      sim.setBucket({ clientId: PUBLIC.clientId }, 0);
      const throttled = await post(sim, q, {}, { token: r.body.access_token! });
      assert.equal((throttled.body.errors as Array<{ extensions: { code: string } }>)[0]!.extensions.code, 'THROTTLED');
      assert.equal(await available(TOKEN), 96);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: token endpoint faults', () => {
  it('fail the token endpoint only, before the grant (nothing changes) or after it', async () => {
    const sim = await startApps({ hangMs: 5_000 });
    try {
      const a = install(sim);
      sim.injectTokenFault('http500');
      assert.equal((await fetch(sim.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token', client_id: PUBLIC.clientId, client_secret: PUBLIC.clientSecret, refresh_token: a.refresh }) })).status, 500);
      sim.injectTokenFault('http503');
      assert.equal(await status(sim, a.access), 200, 'Admin API requests are not hit');
      const unavailable = await fetch(sim.tokenUrl, { method: 'POST', body: '' });
      assert.deepEqual([unavailable.status, unavailable.headers.get('retry-after')], [503, '1']);
      sim.injectFault('http500');
      const r = await refresh(sim, a.refresh);
      assert.equal(r.status, 200, 'GraphQL faults do not hit the token endpoint; the 500 applied nothing');
      assert.equal(sim.clearFaults(), 1);

      sim.injectTokenFault('malformed');
      const garbled = await fetch(sim.tokenUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token', client_id: PUBLIC.clientId, client_secret: PUBLIC.clientSecret, refresh_token: r.body.refresh_token! }) });
      assert.equal(garbled.status, 200);
      const text = await garbled.text();
      assert.throws(() => JSON.parse(text) as unknown, SyntaxError);
      const recovered = await refresh(sim, r.body.refresh_token!);
      assert.deepEqual([recovered.status, sim.tokenRequests.at(-1)!.refreshToken], [200, 'grace'], 'malformed is after the grant by default');

      sim.injectTokenFault('hang');
      await assert.rejects(fetch(sim.tokenUrl, { method: 'POST', body: '', signal: AbortSignal.timeout(100) }));
      sim.injectTokenFault('reset', { count: 2 });
      await assert.rejects(clientCredentials(sim));
      assert.equal(sim.clearFaults(), 1);
      assert.equal((await clientCredentials(sim)).status, 200);
      assert.deepEqual(
        [...sim.tokenRequests].sort((x, y) => x.seq - y.seq).map((e) => [e.fault, e.status]),
        [
          ['http500', 500],
          ['http503', 503],
          [undefined, 200],
          ['malformed', 200],
          [undefined, 200],
          ['hang', 0],
          ['reset', 0],
          [undefined, 200],
        ],
      );
      assert.throws(() => sim.injectTokenFault('unauthorized' as never), /Unknown token fault/);
      assert.throws(() => sim.injectTokenFault('http500', { count: 0 }), /count/);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: app options', () => {
  it('validates apps, lifetimes and the cutoff, naming the field; accessTokens is optional with apps', async () => {
    const named = (pattern: RegExp) => (e: unknown) => e instanceof ValidationError && pattern.test(e.message);
    await assert.rejects(ShopifySimulator.start({}), named(/options\.accessTokens: expected at least one access token \(or an app/));
    await assert.rejects(ShopifySimulator.start({ apps: [{ ...PUBLIC, distribution: 'private' as never }] }), named(/options\.apps\[0\]\.distribution/));
    await assert.rejects(ShopifySimulator.start({ apps: [PUBLIC, { ...CUSTOM, clientId: PUBLIC.clientId }] }), named(/options\.apps\[1\]\.clientId/));
    await assert.rejects(ShopifySimulator.start({ apps: [{ ...PUBLIC, clientSecret: '' }] }), named(/options\.apps\[0\]\.clientSecret/));
    await assert.rejects(ShopifySimulator.start({ apps: [{ ...PUBLIC, scope: 'write products' }] }), named(/options\.apps\[0\]\.scope/));
    await assert.rejects(ShopifySimulator.start({ accessTokens: [PUBLIC.offlineTokens[0]!], apps: [PUBLIC] }), named(/options\.apps\[0\]\.offlineTokens\[0\]/));
    await assert.rejects(ShopifySimulator.start({ apps: [PUBLIC], tokenLifetimes: { accessSeconds: 0.01 } }), named(/options\.tokenLifetimes\.accessSeconds/));
    await assert.rejects(ShopifySimulator.start({ apps: [PUBLIC], nonExpiringCutoff: '2027-01-01' as never }), named(/options\.nonExpiringCutoff/));
    const sim = await ShopifySimulator.start({ apps: [{ clientId: 'only-app', clientSecret: 'shpss_x', distribution: 'custom' }] });
    try {
      assert.deepEqual(sim.config.accessTokens, []);
      assert.deepEqual(sim.config.tokenLifetimes, { accessSeconds: 3_600, refreshSeconds: 7_776_000, clientCredentialsSeconds: 86_399 });
      assert.deepEqual(sim.config.apps[0], { clientId: 'only-app', clientSecret: 'shpss_x', distribution: 'custom', clientCredentials: false, offlineTokens: [], scope: 'write_products,write_inventory,read_locations' });
      assert.throws(() => sim.issueOfflineToken('nobody', { expiring: true }), /No app with client id "nobody"/);
      assertNoSecrets(sim);
    } finally {
      await sim.close();
    }
  });
});
