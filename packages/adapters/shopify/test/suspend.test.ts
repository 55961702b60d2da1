/**
 * A connector handed from one runner to the next (the fleet): `suspend` lets go of everything the
 * target keeps for it and returns the store's bucket as last known; the next runner's `connect`
 * (`ctx.throttle`) starts its pacing from that, so its first request waits for what the bucket
 * lacks instead of meeting THROTTLED. Against the simulator, in real time.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ConnectionError, MemoryStorage, type ConnectContext, type ConnectorConfig, type ThrottleState } from '@shopsync/core';
import { expiringToken, fixedToken, storageTokenStore, type CredentialsProvider } from '@shopsync/shopify';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim, targetFor, TOKEN } from './helpers.js';

function configOf(sim: ShopifySimulator, id: string, extra: Partial<ConnectorConfig> = {}): ConnectorConfig {
  return {
    id,
    shopDomain: sim.shopDomain,
    apiVersion: '2025-01',
    enabled: true,
    disableDeletions: false,
    overwriteStock: false,
    includeEmptyCategories: false,
    language: 'en',
    locations: {},
    publications: [],
    ownedMetafieldNamespaces: [],
    createMetafieldDefinitions: false,
    ...extra,
  };
}

/** A connect context for `id`, its log lines collected in `lines`. */
function ctxOf(sim: ShopifySimulator, id: string, options: { throttle?: unknown; lines?: Array<[string, string]>; config?: Partial<ConnectorConfig> } = {}): ConnectContext {
  const ctx: ConnectContext = {
    connectorId: id,
    config: configOf(sim, id, options.config),
    signal: new AbortController().signal,
    log: (level, message) => options.lines?.push([level, message]),
  };
  // As the fleet reads it from storage: not necessarily a ThrottleState.
  if (options.throttle !== undefined) ctx.throttle = options.throttle as ThrottleState;
  return ctx;
}

/** What the connect query asks for (the simulator charges it in full, then refunds what was not used). */
const CONNECT_COST = 8;

describe('suspend: the target lets go of an idle connector', () => {
  const sims: ShopifySimulator[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });
  const sim = async (options: Parameters<typeof startSim>[0] = {}) => {
    const s = await startSim(options);
    sims.push(s);
    return s;
  };

  it('returns the store’s last reported bucket, and keeps nothing of the connector', async () => {
    const s = await sim({ bucketSize: 1_000, restoreRate: 50 });
    const made: string[] = [];
    const target = targetFor(s, {
      accessToken: undefined,
      credentials: ({ connectorId }) => {
        made.push(connectorId);
        return fixedToken(TOKEN);
      },
    });
    await target.connect(ctxOf(s, 'b'));
    const before = Date.now();
    await target.connect(ctxOf(s, 'a'));
    const answered = Date.now();
    const last = s.requests.at(-1)!;
    assert.deepEqual(target.activeConnectors.sort(), ['a', 'b']);

    const state = target.suspend('a');
    assert.ok(state);
    assert.equal(state.capacity, 1_000);
    assert.equal(state.restoreRate, 50);
    assert.equal(state.available, last.available, 'what the last answer said the bucket held');
    assert.match(state.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const at = Date.parse(state.at);
    assert.ok(at >= before && at <= answered, 'when that answer came, on the target’s clock');

    assert.deepEqual(target.activeConnectors, ['b'], 'sessions and credentials of a are gone; b’s stay');
    assert.equal(target.suspend('a'), undefined, 'nothing left to suspend');
    assert.equal(target.stats.requests, s.requests.length, 'stats still count the requests of what was let go');

    await target.connect(ctxOf(s, 'a'));
    assert.deepEqual(made, ['b', 'a', 'a'], 'the resolver is asked again at the next use');
    assert.deepEqual(target.activeConnectors.sort(), ['a', 'b']);
  });

  it('a connector the target does not know, or whose store never answered: undefined, and nothing kept', async () => {
    const s = await sim();
    const target = targetFor(s);
    assert.equal(target.suspend('never-seen'), undefined);
    await assert.rejects(target.connect(ctxOf(s, 'lost', { config: { shopDomain: 'no-such-store.myshopify.com' } })), (e: unknown) => e instanceof ConnectionError && e.kind === 'not_found');
    assert.deepEqual(target.activeConnectors, ['lost']);
    assert.equal(target.suspend('lost'), undefined, 'a 404 carries no throttle status');
    assert.deepEqual(target.activeConnectors, []);
  });

  it('a provider the host gave as an object is the host’s: the next connect uses it again', async () => {
    const s = await sim();
    let asked = 0;
    const fixed = fixedToken(TOKEN);
    const provider: CredentialsProvider = { ...fixed, accessToken: (request) => (asked++, fixed.accessToken(request)) };
    const target = targetFor(s, { accessToken: undefined, credentials: provider });
    await target.connect(ctxOf(s, 'a'));
    const first = asked;
    assert.ok(first >= 1);
    target.suspend('a');
    await target.connect(ctxOf(s, 'a'));
    assert.ok(asked > first);
  });

  it('a token the first runner renewed is not lost with its provider: the next one reads it from the store', async () => {
    const app = { clientId: 'erp-connector', clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
    const s = await sim({ apps: [{ ...app, distribution: 'public' }] });
    const storage = new MemoryStorage();
    const keys = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
    const grant = s.issueOfflineToken(app.clientId, { expiring: true });
    let made = 0;
    const target = targetFor(s, {
      accessToken: undefined,
      credentials: ({ connectorId, shopDomain }) => {
        made++;
        return expiringToken({
          ...app,
          shopDomain,
          endpoint: s.url,
          retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 },
          store: storageTokenStore({ storage, connectorId, keys }),
          // Taken as expired: the first request renews it, and the refresh token rotates.
          initial: { accessToken: grant.accessToken, expiresAt: Date.now() - 1_000, refreshToken: grant.refreshToken!, refreshTokenExpiresIn: grant.refreshTokenExpiresIn! },
        });
      },
    });
    const lines: Array<[string, string]> = [];
    await target.connect(ctxOf(s, 'a', { lines }));
    assert.ok(lines.some(([, m]) => /Renewed the Shopify access token/.test(m)));
    target.suspend('a');
    // A provider starting from `initial` again would renew with the refresh token that rotated: refused.
    await target.connect(ctxOf(s, 'a'));
    assert.equal(made, 2);
    assert.equal(s.tokenRequests.filter((r) => r.grantType === 'refresh_token').length, 1, 'renewed once, by the first runner');
  });
});

describe('the next runner starts from the bucket the last one left', () => {
  const sims: ShopifySimulator[] = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  /**
   * A store whose bucket refills slowly (10 points/s: the connect query's 8 take 0.8 s), and a
   * runner that leaves it nearly empty: its last answer said so. Returns what it left.
   */
  async function drainedByFirstRunner(): Promise<{ sim: ShopifySimulator; state: ThrottleState }> {
    const sim = await startSim({ bucketSize: 1_000, restoreRate: 10 });
    sims.push(sim);
    const first = targetFor(sim);
    await first.connect(ctxOf(sim, 'a'));
    // Another app of the store (or this runner's last push) used the rest.
    sim.setBucket(TOKEN, CONNECT_COST);
    await first.connect(ctxOf(sim, 'a'));
    const state = first.suspend('a');
    assert.ok(state);
    assert.ok(state.available < CONNECT_COST, `the bucket is left with less than a connect needs (${state.available})`);
    sim.clearLog();
    return { sim, state };
  }

  it('with the throttle state: its first request waits for what the bucket lacks, and is not THROTTLED', async () => {
    const { sim, state } = await drainedByFirstRunner();
    const next = targetFor(sim);
    const lines: Array<[string, string]> = [];
    const info = await next.connect(ctxOf(sim, 'a', { throttle: state, lines }));
    assert.equal(info.shopName, 'Shopsync Simulator');
    assert.deepEqual(lines, [], 'a good state is no news');
    assert.equal(sim.throttledCount, 0);
    assert.equal(next.stats.throttled, 0);
    assert.ok(sim.requests.length >= 1 && sim.requests.every((r) => !r.throttled && (r.available ?? 0) >= 0));
    // Granted when the seed, refilled at 10/s, held the 8 points; the simulator saw it no earlier.
    const due = Date.parse(state.at) + Math.ceil(((CONNECT_COST - state.available) * 1_000) / state.restoreRate);
    const arrived = Date.parse(sim.requests[0]!.at);
    assert.ok(arrived >= due - 1, `sent ${due - arrived} ms before the bucket could hold it`);
  });

  it('without it (the pacer’s old behaviour): the first request goes at once, alone, and meets THROTTLED', async () => {
    const { sim } = await drainedByFirstRunner();
    const next = targetFor(sim);
    const info = await next.connect(ctxOf(sim, 'a'));
    assert.equal(info.shopName, 'Shopsync Simulator', 'waited out, then connected');
    assert.equal(sim.requests[0]!.throttled, true);
    assert.equal(sim.throttledCount, 1);
    assert.equal(next.stats.throttled, 1);
  });

  it('a throttle state that cannot be read is ignored with a warning, never a crash', async () => {
    const sim = await startSim({ bucketSize: 1_000, restoreRate: 1_000 });
    sims.push(sim);
    const target = targetFor(sim);
    const at = new Date().toISOString();
    const good = { at, capacity: 1_000, available: 10, restoreRate: 50 };
    const bad: unknown[] = [
      'full',
      {},
      { ...good, at: 'yesterday' },
      { ...good, at: 1_700_000_000_000 },
      { ...good, capacity: 0 },
      { ...good, available: -1 },
      { ...good, available: 2_000 },
      { ...good, restoreRate: 0 },
      { ...good, capacity: Number.POSITIVE_INFINITY },
      { ...good, available: Number.NaN },
      { ...good, restoreRate: '50' },
    ];
    for (const [i, throttle] of bad.entries()) {
      const lines: Array<[string, string]> = [];
      await target.connect(ctxOf(sim, `bad-${i}`, { throttle, lines }));
      assert.equal(lines.length, 1, `one line for ${JSON.stringify(throttle)}`);
      const [level, message] = lines[0]!;
      assert.equal(level, 'warn');
      assert.match(message, /rate limit as the last runner left it could not be read \(.+\) and was ignored/);
      const state = target.suspend(`bad-${i}`);
      assert.deepEqual(state && { capacity: state.capacity, restoreRate: state.restoreRate }, { capacity: 1_000, restoreRate: 1_000 }, 'the store’s own numbers, learned');
    }
    assert.equal(sim.throttledCount, 0);
    // Absent (null, as storage may hold it) is no news; fields of a later version are ignored.
    for (const throttle of [null, { ...good, shop: 'x.myshopify.com', burst: 40 }]) {
      const lines: Array<[string, string]> = [];
      await target.connect(ctxOf(sim, 'fine', { throttle, lines }));
      assert.deepEqual(lines, []);
    }
  });
});
