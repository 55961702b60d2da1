/**
 * Store access that keeps working: the three credentials providers end to end (SyncEngine,
 * ShopifyTarget, the simulator's token endpoint over HTTP), with tokens that live under a second
 * so that runs span several of them.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionError, MemoryStorage, SyncEngine, ValidationError, type Change, type LogEntry, type SyncEvent } from '@shopsync/core';
import { clientCredentials, expiringToken, fixedToken, ShopifyTarget, storageTokenStore, type CredentialsProvider } from '@shopsync/shopify';
import { ShopifySimulator } from '@shopsync/shopify/simulator';

const APP = { clientId: 'erp-connector', clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
const KEYS = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
const FAST = { retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 }, timeoutMs: 2_000 };

function catalog(prefix: string, products: number): Change[] {
  const out: Change[] = [];
  for (let p = 0; p < products; p++) {
    const ref = `${prefix}-${p}`;
    out.push({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${p}`, options: ['Size'] } });
    for (const size of ['S', 'M']) out.push({ entity: 'variant', op: 'upsert', ref: `${ref}-${size}`, parentRef: ref, data: { price: '10.00', stock: 2, optionValues: { Size: size } } });
  }
  return out;
}

async function startSim(options: Partial<Parameters<typeof ShopifySimulator.start>[0]> = {}): Promise<ShopifySimulator> {
  return ShopifySimulator.start({
    apps: [{ ...APP, distribution: 'public', clientCredentials: true }],
    tokenLifetimes: { accessSeconds: 0.6, clientCredentialsSeconds: 0.6 },
    latency: { baseMs: 30, perMutationMs: 2, jitterMs: 0 },
    ...options,
  });
}

function engineWith(sim: ShopifySimulator, credentials: CredentialsProvider | ((c: { connectorId: string; shopDomain: string }) => CredentialsProvider), storage = new MemoryStorage(), batchSize = 6) {
  const target = new ShopifyTarget({ credentials, endpoint: sim.url, requestTimeoutMs: 2_000, retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 } });
  const engine = new SyncEngine({ connector: { id: 'store', shopDomain: sim.shopDomain, apiVersion: '2026-07' }, target, storage, batchSize, retryBackoff: { baseMs: 0, maxMs: 0 } });
  return { engine, storage };
}

/**
 * A provider with the grant the app's installation gave, kept sealed in the connector's storage.
 * `expired`: the grant's access token is taken as expired already, so the first request renews it.
 */
function installed(sim: ShopifySimulator, storage: MemoryStorage, { expired = false } = {}) {
  const grant = sim.issueOfflineToken(APP.clientId, { expiring: true });
  return expiringToken({
    ...APP,
    ...FAST,
    shopDomain: sim.shopDomain,
    endpoint: sim.url,
    store: storageTokenStore({ storage, connectorId: 'store', keys: KEYS }),
    initial: {
      accessToken: grant.accessToken,
      ...(expired ? { expiresAt: Date.now() - 1_000 } : { expiresIn: grant.expiresIn! }),
      refreshToken: grant.refreshToken!,
      refreshTokenExpiresIn: grant.refreshTokenExpiresIn!,
    },
  });
}

const stored = (storage: MemoryStorage) => storageTokenStore({ storage, connectorId: 'store', keys: KEYS }).load();

const grants = (sim: ShopifySimulator, type: string) => sim.tokenRequests.filter((r) => r.grantType === type);
const synced = (e: SyncEvent) => e.iterations.reduce((n, it) => n + it.synced.products + it.synced.variants, 0);
const failed = (e: SyncEvent) => e.iterations.reduce((n, it) => n + it.failed.products + it.failed.variants + it.failed.categories, 0);

async function logsOf(engine: SyncEngine, event: SyncEvent): Promise<LogEntry[]> {
  return engine.storage.readLogs(engine.connectorId, event.id);
}

describe('expiring offline tokens', () => {
  const sims: ShopifySimulator[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });
  const sim = async (options?: Parameters<typeof startSim>[0]) => {
    const s = await startSim(options);
    sims.push(s);
    return s;
  };

  it('a sync longer than several token lifetimes completes; renewals are log lines, and no 401 reaches an item', async () => {
    const s = await sim({ tokenLifetimes: { accessSeconds: 0.3 }, latency: { baseMs: 60, perMutationMs: 2, jitterMs: 0 } });
    const storage = new MemoryStorage();
    const { engine } = engineWith(s, installed(s, storage), storage);
    await engine.enqueue(catalog('LONG', 40));
    const t0 = Date.now();
    const e = await engine.start();
    assert.ok(Date.now() - t0 > 3 * 300, `the run outlasted several token lifetimes (${Date.now() - t0} ms)`);
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    assert.equal(failed(e), 0);
    assert.equal(synced(e), 120);
    const refreshes = grants(s, 'refresh_token');
    assert.ok(refreshes.length >= 3, `refreshed ${refreshes.length} times`);
    const lines = (await logsOf(engine, e)).filter((l) => /Renewed the Shopify access token/.test(l.message));
    assert.equal(lines.length, refreshes.length, 'each renewal is a line of the log');
    assert.ok(lines.every((l) => l.level === 'info'));
  });

  it('a token the store refuses mid-run (expired early) is renewed once and the request sent again', async () => {
    const s = await sim({ tokenLifetimes: { accessSeconds: 3_600 } });
    const storage = new MemoryStorage();
    const { engine } = engineWith(s, installed(s, storage), storage);
    await engine.enqueue(catalog('MID', 12));
    let armed = false;
    engine.on('iterationCompleted', () => {
      if (armed) return;
      armed = true;
      s.expireAccessTokens(APP.clientId);
    });
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    assert.equal(failed(e), 0);
    assert.equal(grants(s, 'refresh_token').length, 1);
    assert.ok(s.requests.some((r) => r.status === 401), 'the store refused the expired token once');
  });

  it('a refresh whose answer was lost is recovered with the same refresh token (Shopify keeps it until the new token is used)', async () => {
    const s = await sim({ tokenLifetimes: { accessSeconds: 3_600 } });
    const storage = new MemoryStorage();
    const { engine } = engineWith(s, installed(s, storage, { expired: true }), storage);
    await engine.enqueue(catalog('LOST', 4));
    s.injectTokenFault('reset', { afterExecute: true });
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    assert.equal(failed(e), 0);
    const refreshes = grants(s, 'refresh_token');
    assert.deepEqual(
      refreshes.map((r) => [r.refreshToken, r.fault ?? r.status]),
      [
        ['current', 'reset'],
        ['grace', 200],
      ],
      'the answer lost on its way back, then the same refresh token again, kept by Shopify for that',
    );
  });

  it('two engines of the same connector in one process refresh once', async () => {
    const s = await sim({ tokenLifetimes: { accessSeconds: 3_600 } });
    const storage = new MemoryStorage();
    const grant = s.issueOfflineToken(APP.clientId, { expiring: true });
    // The installation's token has already expired: both engines need a new one at once.
    const provider = () =>
      expiringToken({
        ...APP,
        ...FAST,
        shopDomain: s.shopDomain,
        endpoint: s.url,
        store: storageTokenStore({ storage, connectorId: 'store', keys: KEYS }),
        initial: { accessToken: grant.accessToken, expiresAt: Date.now() - 1_000, refreshToken: grant.refreshToken! },
      });
    const a = engineWith(s, provider(), storage).engine;
    const b = engineWith(s, provider(), storage).engine;
    await a.enqueue(catalog('TWO', 8));
    const [ea, eb] = await Promise.all([a.start(), b.start()]);
    assert.equal(grants(s, 'refresh_token').length, 1, 'one refresh for both');
    assert.ok([ea, eb].every((e) => e.generalErrors.length === 0));
    assert.deepEqual(await storage.pendingCounts('store'), { categories: 0, products: 0, variants: 0 });
  });

  it('a revoked grant ends the run in Error, saying the app must be authorized again (not that the token is wrong)', async () => {
    const s = await sim({ tokenLifetimes: { accessSeconds: 3_600 } });
    const storage = new MemoryStorage();
    const { engine } = engineWith(s, installed(s, storage), storage);
    await engine.enqueue(catalog('REV', 2));
    s.revokeGrant(APP.clientId);
    const e = await engine.start();
    assert.equal(e.status, 'error');
    assert.equal(e.generalErrors[0]?.code, 'reauthorize');
    assert.match(e.generalErrors[0]!.message, /invalid_grant/);
    assert.match(e.generalErrors[0]!.message, /reinstall or re-authorize the app/);
    assert.deepEqual(e.pending, { categories: 0, products: 2, variants: 4 }, 'nothing lost');
  });

  it('bad inputs are typed errors and lose nothing: an expired refresh token given, a malformed answer, a 5xx from the token endpoint', async () => {
    const s = await sim({ tokenLifetimes: { accessSeconds: 3_600 } });
    const storage = new MemoryStorage();
    assert.throws(
      () =>
        expiringToken({ ...APP, shopDomain: s.shopDomain, store: storageTokenStore({ storage, connectorId: 'x', keys: KEYS }), initial: { accessToken: 'shpat_x', expiresIn: 10, refreshToken: 'shprt_x', refreshTokenExpiresAt: Date.now() - 1 } }),
      (err: unknown) => err instanceof ValidationError && /initial\.refreshTokenExpiresAt: expected a time in the future/.test(err.message),
    );
    assert.throws(() => expiringToken({ ...APP, shopDomain: 'not a domain', store: storageTokenStore({ storage, connectorId: 'x', keys: KEYS }) }), (err: unknown) => err instanceof ValidationError && /shopDomain/.test(err.message));

    const { engine } = engineWith(s, installed(s, storage, { expired: true }), storage);
    await engine.enqueue(catalog('BAD', 2));
    s.injectTokenFault('malformed', { count: 1 });
    const garbled = await engine.start();
    assert.equal(garbled.status, 'error');
    assert.match(garbled.generalErrors[0]!.message, /token endpoint gave an answer that could not be read/);
    const before = await stored(storage);
    assert.ok(before, 'the installation grant is stored');

    s.injectTokenFault('http500', { count: 10 });
    const down = await engine.start();
    assert.equal(down.status, 'error');
    assert.equal(down.generalErrors[0]!.code, 'server_error');
    assert.match(down.generalErrors[0]!.message, /HTTP 500.*Gave up after 3 attempts/);
    assert.deepEqual(await stored(storage), before, 'the grant was left as it was');
    s.clearFaults();

    const well = await engine.start();
    assert.equal(well.status, 'completed');
    assert.equal(failed(well), 0);
    assert.deepEqual(well.pending, { categories: 0, products: 0, variants: 0 }, 'nothing was lost');
    assert.notEqual((await stored(storage))!.accessToken, before!.accessToken, 'renewed, and saved');
  });

  it("an answer the endpoint shapes wrongly is named: no expiry, a lifetime of 0, no refresh token", async () => {
    const answers = [
      { body: { access_token: 'shpat_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', refresh_token: 'shprt_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }, says: /without saying when the token expires/ },
      { body: { access_token: 'shpat_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', expires_in: 0, refresh_token: 'shprt_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }, says: /expires_in: expected a lifetime in seconds, above 0/ },
      { body: { access_token: 'shpat_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', expires_in: 3600 }, says: /without a new refresh token/ },
    ];
    for (const { body, says } of answers) {
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const provider = expiringToken({
          ...APP,
          ...FAST,
          shopDomain: 'shape.myshopify.com',
          endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          store: storageTokenStore({ storage: new MemoryStorage(), connectorId: 'c', keys: KEYS }),
          initial: { accessToken: 'shpat_old0000000000000000000000000000', expiresAt: 0, refreshToken: 'shprt_old0000000000000000000000000000' },
        });
        await assert.rejects(provider.accessToken({ signal: new AbortController().signal }), (err: unknown) => err instanceof ConnectionError && err.kind === 'unknown' && says.test(err.message) && !err.message.includes('shp'));
      } finally {
        await new Promise<void>((r) => server.close(() => r()));
      }
    }
  });
});

describe('client credentials and fixed tokens', () => {
  const sims: ShopifySimulator[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  it('client credentials: a new token before the last expires, so the store never refuses one', async () => {
    const s = await startSim();
    sims.push(s);
    const { engine } = engineWith(s, ({ shopDomain }) => clientCredentials({ ...APP, ...FAST, shopDomain, endpoint: s.url }));
    await engine.enqueue(catalog('CC', 30));
    const e = await engine.start();
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    assert.equal(failed(e), 0);
    assert.ok(grants(s, 'client_credentials').length >= 3, `fetched ${grants(s, 'client_credentials').length} tokens`);
    assert.ok(!s.requests.some((r) => r.status === 401), 'renewed before expiry: no 401');
    assert.ok((await logsOf(engine, e)).some((l) => /Fetched a Shopify access token with the app's client credentials/.test(l.message)));
  });

  it('a wrong client secret is an auth error (the credentials), not a re-authorization', async () => {
    const s = await startSim();
    sims.push(s);
    const { engine } = engineWith(s, ({ shopDomain }) => clientCredentials({ ...APP, ...FAST, clientSecret: 'shpss_wrong0000000000000000000000000', shopDomain, endpoint: s.url }));
    await engine.enqueue(catalog('WRONG', 1));
    const e = await engine.start();
    assert.equal(e.status, 'error');
    assert.equal(e.generalErrors[0]!.code, 'auth');
    assert.match(e.generalErrors[0]!.message, /invalid_client/);
    assert.doesNotMatch(JSON.stringify(e), /shpss_wrong/);
  });

  it("a public app's non-expiring token after Shopify's cut-off: Error, saying why", async () => {
    const token = `shpat_${randomBytes(16).toString('hex')}`;
    const s = await startSim({ apps: [{ ...APP, distribution: 'public', offlineTokens: [token] }], nonExpiringCutoff: new Date(Date.now() - 86_400_000) });
    sims.push(s);
    const { engine } = engineWith(s, fixedToken(token));
    await engine.enqueue(catalog('CUT', 1));
    const e = await engine.start();
    assert.equal(e.status, 'error');
    assert.equal(e.generalErrors[0]!.code, 'auth');
    assert.equal(e.generalErrors[0]!.httpStatus, 403);
    assert.match(e.generalErrors[0]!.message, /Non-expiring access tokens are no longer accepted/);
  });
});
