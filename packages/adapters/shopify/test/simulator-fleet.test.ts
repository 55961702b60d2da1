import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryStorage, SyncEngine, ValidationError, type Change } from '@shopsync/core';
import { clientCredentials, ShopifyTarget } from '@shopsync/shopify';
import { SimShop, SimulatorFleet, type FleetOptions, type ShopifySimulator } from '@shopsync/shopify/simulator';
import { OTHER_TOKEN, startSim, TOKEN } from './helpers.js';
import { defaultVariant, errorCodes, PRODUCT_SET, SHOP, titleOption, type Answer } from './sim-helpers.js';

const A = 'shop-a.myshopify.com';
const B = 'shop-b.myshopify.com';
const APP = { clientId: 'fleet-app', clientSecret: 'shpss_fleet0000000000000000000000000001', distribution: 'custom' as const, clientCredentials: true };

function startFleet(options: Partial<FleetOptions> = {}): Promise<SimulatorFleet> {
  return SimulatorFleet.start({ accessTokens: [TOKEN], versions: { supported: ['2025-01', '2026-01', '2026-07'] }, ...options });
}

/** A GraphQL POST to the fleet's one endpoint, naming the shop as the Shopify target does (X-Forwarded-Host), or by `url`. */
async function ask(fleet: SimulatorFleet, shop: string | null, query: string, variables: Record<string, unknown> = {}, opts: { token?: string; url?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': opts.token ?? TOKEN };
  if (shop !== null) headers['X-Forwarded-Host'] = shop;
  const res = await fetch(opts.url ?? `${fleet.url}/admin/api/2026-01/graphql.json`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: JSON.parse(await res.text()) as Answer['body'] };
}

/** A POST with a `Host` header of our choosing (fetch does not let one set it). */
function postWithHost(url: string, host: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { Host: host, 'Content-Type': 'application/json', 'X-Shopify-Access-Token': TOKEN, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const lamp = (sku: string) => ({ title: `Lamp ${sku}`, productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku } }] });

describe('simulator fleet: many shops from one process', () => {
  let fleet: SimulatorFleet;
  before(async () => {
    fleet = await startFleet({ apps: [APP] });
  });
  after(async () => {
    await fleet.close();
  });

  it('each shop keeps its own store: a product written to one is not in the other', async () => {
    const a = await ask(fleet, A, PRODUCT_SET, { input: lamp('LAMP-A') });
    assert.equal(a.status, 200);
    assert.deepEqual(errorCodes(a), []);
    assert.equal((await ask(fleet, B, PRODUCT_SET, { input: lamp('LAMP-B') })).status, 200);
    // The same SKU in both: each store has its own SKUs.
    assert.equal((await ask(fleet, B, PRODUCT_SET, { input: lamp('LAMP-A') })).status, 200);
    assert.deepEqual(fleet.shop(A).snapshot().products.map((p) => p.variants.map((v) => v.sku)), [['LAMP-A']]);
    assert.deepEqual(fleet.shop(B).snapshot().products.map((p) => p.variants.map((v) => v.sku)).sort(), [['LAMP-A'], ['LAMP-B']]);
    assert.equal(fleet.shop(A).product({ sku: 'LAMP-B' }), undefined);
    // Each answers as itself.
    assert.deepEqual((await ask(fleet, A, SHOP)).body.data, { shop: { name: 'Shopsync Simulator', myshopifyDomain: A } });
    assert.deepEqual((await ask(fleet, B, SHOP)).body.data, { shop: { name: 'Shopsync Simulator', myshopifyDomain: B } });
    // Seeding goes to the shop seeded.
    fleet.shop(A).seedProduct(lamp('SEEDED'));
    assert.ok(fleet.shop(A).product({ sku: 'SEEDED' }));
    assert.equal(fleet.shop(B).product({ sku: 'SEEDED' }), undefined);
    assert.ok(fleet.shop(A) instanceof SimShop);
    assert.equal(fleet.shop(A), fleet.shop(A), 'one face per shop');
  });

  it('each shop has its own bucket: draining one does not throttle the other', async () => {
    // Two shops of small buckets that refill slowly, so that requests drain them.
    const [a, b] = ['bucket-a.myshopify.com', 'bucket-b.myshopify.com'].map((shopDomain) => fleet.addShop({ shopDomain, bucketSize: 100, restoreRate: 1 })) as [SimShop, SimShop];
    const many = `query { ${Array.from({ length: 9 }, (_, i) => `l${i}: locations(first: 9) { nodes { id } }`).join(' ')} }`;
    let answer: Answer;
    do answer = await ask(fleet, a.shopDomain, many);
    while (errorCodes(answer).length === 0);
    assert.deepEqual(errorCodes(answer), ['THROTTLED']);
    const fine = await ask(fleet, b.shopDomain, many);
    assert.deepEqual(errorCodes(fine), []);
    assert.ok(fine.body.extensions!.cost!.throttleStatus.currentlyAvailable > 50);
    assert.equal(a.throttledCount, 1);
    assert.equal(b.throttledCount, 0);
    // setBucket drains one shop's bucket only.
    b.setBucket(TOKEN, 0);
    assert.ok(b.bucketAvailable(TOKEN) < 5);
    assert.ok(fleet.shop(A).bucketAvailable(TOKEN) > 1_900);
  });

  it('a token belongs to the shop that issued it: another shop answers it 401', async () => {
    // An install through OAuth.
    const issued = fleet.shop(A).issueOfflineToken(APP.clientId, { expiring: true }).accessToken;
    assert.equal((await ask(fleet, A, SHOP, {}, { token: issued })).status, 200);
    assert.equal((await ask(fleet, B, SHOP, {}, { token: issued })).status, 401);
    assert.equal(fleet.shop(B).requests.at(-1)!.token.split(':')[0], 'invalid');
    // The client credentials grant at B's token endpoint: B's token, not A's.
    const res = await fetch(`${fleet.url}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-Host': B },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: APP.clientId, client_secret: APP.clientSecret }),
    });
    assert.equal(res.status, 200);
    const fromB = ((await res.json()) as { access_token: string }).access_token;
    assert.equal((await ask(fleet, B, SHOP, {}, { token: fromB })).status, 200);
    assert.equal((await ask(fleet, A, SHOP, {}, { token: fromB })).status, 401);
    assert.equal(fleet.shop(B).tokenRequests.length, 1);
    assert.equal(fleet.shop(A).tokenRequests.length, 0);
    // Uninstalling the app from A leaves B's install alone.
    assert.equal(fleet.shop(A).revokeGrant(APP.clientId), 1);
    assert.equal((await ask(fleet, B, SHOP, {}, { token: fromB })).status, 200);
  });

  it('faults hit only the shop they were injected in, and each shop logs its own requests', async () => {
    fleet.shop(A).clearLog();
    fleet.shop(B).clearLog();
    fleet.shop(A).injectFault('http503', { count: 2 });
    assert.equal((await ask(fleet, B, SHOP)).status, 200);
    assert.equal((await ask(fleet, A, SHOP)).status, 503);
    assert.equal((await ask(fleet, B, SHOP)).status, 200);
    assert.equal((await ask(fleet, A, SHOP)).status, 503);
    assert.equal((await ask(fleet, A, SHOP)).status, 200);
    assert.deepEqual(fleet.shop(A).requests.map((r) => r.status), [503, 503, 200]);
    assert.deepEqual(fleet.shop(B).requests.map((r) => r.status), [200, 200]);
    fleet.shop(B).injectFault('notFound');
    assert.equal(fleet.shop(A).clearFaults(), 0);
    assert.equal(fleet.shop(B).clearFaults(), 1);
  });

  it('in an `any` fleet a shop is made at its first request, with the fleet’s options and token', async () => {
    const domain = 'lazy-one.myshopify.com';
    assert.equal(fleet.hasShop(domain), false);
    const before = fleet.stats();
    const r = await ask(fleet, domain, SHOP);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data, { shop: { name: 'Shopsync Simulator', myshopifyDomain: domain } });
    assert.equal(r.body.extensions!.cost!.throttleStatus.maximumAvailable, 2_000, "the fleet's plan");
    assert.equal(fleet.hasShop(domain), true);
    assert.ok(fleet.shopDomains.includes(domain));
    assert.equal(fleet.stats().shops, before.shops + 1);
    assert.equal(fleet.stats().requests, before.requests + 1);
    // A bad token still makes the shop (it is asked for), and is refused by it.
    assert.equal((await ask(fleet, 'lazy-two.myshopify.com', SHOP, {}, { token: OTHER_TOKEN })).status, 401);
    assert.equal(fleet.hasShop('lazy-two.myshopify.com'), true);
    // Not a shop's domain, or not the Admin API: no shop is made.
    assert.equal((await ask(fleet, 'example.com', SHOP)).status, 404);
    assert.equal((await fetch(`${fleet.url}/favicon.ico`, { headers: { 'X-Forwarded-Host': 'lazy-three.myshopify.com' } })).status, 404);
    assert.equal(fleet.hasShop('example.com') || fleet.hasShop('lazy-three.myshopify.com'), false);
    // Asking for a shop in a test makes it too.
    assert.equal(fleet.shop('asked.myshopify.com').snapshot().products.length, 0);
    assert.throws(() => fleet.shop('not a domain'), ValidationError);
  });

  it('a request names its shop by X-Forwarded-Host, Host or a /shops/{domain} prefix; naming none, or two, is 404', async () => {
    const byPrefix = await ask(fleet, null, SHOP, {}, { url: fleet.graphqlUrl(A, '2026-01') });
    assert.deepEqual(byPrefix.body.data, { shop: { name: 'Shopsync Simulator', myshopifyDomain: A } });
    assert.equal(fleet.shop(A).requests.at(-1)!.path, '/admin/api/2026-01/graphql.json', 'the path within the shop');
    const byHost = await postWithHost(`${fleet.url}/admin/api/2026-01/graphql.json`, `${B}:443`, JSON.stringify({ query: SHOP }));
    assert.equal(byHost.status, 200);
    assert.match(byHost.text, /"myshopifyDomain":"shop-b\.myshopify\.com"/);
    assert.equal((await ask(fleet, A, SHOP, {}, { url: fleet.graphqlUrl(A, '2026-01') })).status, 200, 'prefix and header agree');
    const before = fleet.stats().unrouted;
    const twoNames = await ask(fleet, B, SHOP, {}, { url: fleet.graphqlUrl(A, '2026-01') });
    assert.equal(twoNames.status, 404);
    const none = await ask(fleet, null, SHOP);
    assert.equal(none.status, 404);
    assert.match(String(none.body.errors), /X-Forwarded-Host/);
    assert.equal(fleet.stats().unrouted, before + 2);
    assert.equal(fleet.endpointOf(A), `${fleet.url}/shops/${A}`);
    assert.equal(fleet.tokenUrl(A), `${fleet.url}/shops/${A}/admin/oauth/access_token`);
  });

  it('the Shopify target syncs two connectors to two shops through the fleet’s one endpoint, tokens from each shop’s token endpoint', async () => {
    // One target, as a worker process holds one: each connector's credentials come from its own shop.
    const target = new ShopifyTarget({
      credentials: ({ shopDomain }) => clientCredentials({ clientId: APP.clientId, clientSecret: APP.clientSecret, shopDomain, endpoint: fleet.url, retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 }, timeoutMs: 2_000 }),
      endpoint: fleet.url,
      requestTimeoutMs: 2_000,
      retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
    });
    const shops = ['sync-one.myshopify.com', 'sync-two.myshopify.com'];
    const catalog = (prefix: string): Change[] => [
      { entity: 'product', op: 'upsert', ref: `${prefix}-P`, data: { title: `Tent ${prefix}`, options: ['Size'] } } as Change,
      ...['S', 'M'].map((size) => ({ entity: 'variant', op: 'upsert', ref: `${prefix}-P-${size}`, parentRef: `${prefix}-P`, data: { price: '10.00', stock: 3, optionValues: { Size: size } } }) as Change),
    ];
    const events = await Promise.all(
      shops.map(async (shopDomain, i) => {
        const engine = new SyncEngine({ connector: { id: `c${i}`, shopDomain, apiVersion: '2026-07' }, target, storage: new MemoryStorage(), retryBackoff: { baseMs: 0, maxMs: 0 } });
        await engine.enqueue(catalog(`S${i}`));
        return engine.start();
      }),
    );
    assert.deepEqual(
      events.map((e) => e.status),
      ['completed', 'completed'],
      JSON.stringify(events.map((e) => e.generalErrors)),
    );
    for (const [i, shopDomain] of shops.entries()) {
      const shop = fleet.shop(shopDomain);
      assert.deepEqual(shop.snapshot().products.map((p) => p.title), [`Tent S${i}`]);
      assert.equal(shop.stock(`S${i}-P-M`), 3);
      assert.equal(shop.product({ sku: `S${1 - i}-P-M` }), undefined);
      assert.equal(shop.tokenRequests.length, 1, 'one client credentials grant per shop');
      assert.ok(shop.requests.every((r) => r.app === APP.clientId && r.status === 200));
    }
  });
});

describe('simulator fleet: listed shops, their own options, files', () => {
  it('a listed fleet serves its shops only, each with its own plan and tokens', async () => {
    const fleet = await startFleet({ plan: 'standard', shops: [A, { shopDomain: 'big.myshopify.com', plan: 'plus', accessTokens: [OTHER_TOKEN], shopName: 'Big' }] });
    try {
      assert.deepEqual(fleet.shopDomains, [A, 'big.myshopify.com']);
      const a = await ask(fleet, A, SHOP);
      assert.equal(a.body.extensions!.cost!.throttleStatus.maximumAvailable, 2_000);
      // The big shop's own token, plan and name; the fleet's token is not its token.
      const big = await ask(fleet, 'big.myshopify.com', SHOP, {}, { token: OTHER_TOKEN });
      assert.deepEqual(big.body.data, { shop: { name: 'Big', myshopifyDomain: 'big.myshopify.com' } });
      assert.equal(big.body.extensions!.cost!.throttleStatus.maximumAvailable, 20_000);
      assert.equal((await ask(fleet, 'big.myshopify.com', SHOP)).status, 401);
      assert.equal((await ask(fleet, A, SHOP, {}, { token: OTHER_TOKEN })).status, 401);
      // Another domain is no shop of this fleet.
      assert.equal((await ask(fleet, B, SHOP)).status, 404);
      assert.equal(fleet.hasShop(B), false);
      assert.throws(() => fleet.shop(B), /serves no shop shop-b\.myshopify\.com/);
      // Until it is added.
      const added = fleet.addShop({ shopDomain: B, plan: 'advanced' });
      assert.equal(added.config.plan, 'advanced');
      assert.equal((await ask(fleet, B, SHOP)).body.extensions!.cost!.throttleStatus.maximumAvailable, 4_000);
      assert.throws(() => fleet.addShop(B), /already/);
      assert.deepEqual(fleet.stats(), { shops: 3, requests: 5, throttled: 0, unrouted: 1 });
    } finally {
      await fleet.close();
    }
  });

  it('bad options name the shop and the option; a shop may not set what is the fleet’s', async () => {
    await assert.rejects(startFleet({ shops: [A, { shopDomain: B, plan: 'gold' as never }] }), (e: unknown) => e instanceof ValidationError && /options\.shops\[1\]\.plan/.test(e.message));
    await assert.rejects(startFleet({ shops: [{ shopDomain: B, port: 8080 } as never] }), (e: unknown) => e instanceof ValidationError && /options\.shops\[0\]/.test(e.message) && /port/.test(e.message));
    await assert.rejects(startFleet({ shops: [A, A] }), /each shop once/);
    await assert.rejects(startFleet({ shopDomain: A } as never), /shopDomain/);
    await assert.rejects(startFleet({ accessTokens: [] }), /options\.accessTokens/);
    const fleet = await startFleet();
    try {
      assert.throws(() => fleet.addShop({ shopDomain: B, bucketSize: -1 }), (e: unknown) => e instanceof ValidationError && /shop\.bucketSize/.test(e.message));
      assert.equal(fleet.hasShop(B), false);
    } finally {
      await fleet.close();
    }
  });

  it('with stateDir each shop keeps its store in its own file, read again by the next fleet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-fleet-'));
    try {
      const first = await startFleet({ stateDir: join(dir, 'stores') });
      await ask(first, A, PRODUCT_SET, { input: lamp('KEPT-A') });
      first.shop(B).seedProduct(lamp('KEPT-B'));
      await first.close();
      assert.deepEqual(readdirSync(join(dir, 'stores')).sort(), [`${A}.json`, `${B}.json`]);
      const second = await startFleet({ stateDir: join(dir, 'stores') });
      try {
        assert.ok(second.shop(A).product({ sku: 'KEPT-A' }));
        assert.equal(second.shop(A).product({ sku: 'KEPT-B' }), undefined);
        assert.ok(second.shop(B).product({ sku: 'KEPT-B' }));
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an idle shop costs little memory', async (t) => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      for (let i = 0; i < 4; i++) gc();
      return process.memoryUsage().heapUsed;
    };
    const fleet = await startFleet();
    try {
      fleet.shop('warm.myshopify.com').seedProduct(lamp('WARM'));
      const n = 500;
      const h0 = heap();
      for (let i = 0; i < n; i++) fleet.shop(`idle-${i}.myshopify.com`);
      const perShop = (heap() - h0) / n;
      t.diagnostic(`heap per empty shop: ${(perShop / 1024).toFixed(1)} KB`);
      assert.ok(perShop < 32 * 1024, `${perShop} bytes per empty shop`);
    } finally {
      await fleet.close();
    }
  });
});

describe('simulator: the one shop by a /shops/{domain} prefix', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    await sim.close();
  });

  it('answers its own domain in the prefix, 404 to another', async () => {
    const post = (url: string, host?: string) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': TOKEN, ...(host ? { 'X-Forwarded-Host': host } : {}) }, body: JSON.stringify({ query: SHOP }) });
    assert.equal((await post(`${sim.url}/shops/${sim.shopDomain}/admin/api/2026-01/graphql.json`)).status, 200);
    assert.equal(sim.requests.at(-1)!.path, '/admin/api/2026-01/graphql.json');
    assert.equal((await post(`${sim.url}/shops/${A}/admin/api/2026-01/graphql.json`)).status, 404);
    assert.equal((await post(`${sim.url}/shops/${sim.shopDomain}/admin/api/2026-01/graphql.json`, A)).status, 404);
    assert.equal((await post(sim.graphqlUrl('2026-01'))).status, 200);
  });
});
