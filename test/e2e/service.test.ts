/**
 * `shopsync serve` as an operator runs it on PostgreSQL: `shopsync migrate`, `shopsync keys
 * create`, then the API and the worker as two processes (`--role api`, `--role worker`) on a
 * fresh schema, against the multi-shop Shopify simulator (in this process). Through the API a
 * connector is made, its credentials set and embed tokens minted; an ERP page on another origin
 * embeds `<shopsync-panel src>` (CORS), opened in Debian's Chromium with playwright-core. The
 * panel follows, live and without reload, runs the worker drives (LISTEN/NOTIFY carries them to
 * the API process), pauses and resumes one from its own button (NOTIFY carries the command to
 * the worker), refuses actions to a read-only token, and outlives both processes' SIGTERM in
 * the middle of a run (the worker hands the run back; nothing in the page throws).
 * Screenshots go to test-output/service/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { SimulatorFleet } from '@shopsync/shopify/simulator';
import { deepText, until } from './common.js';
import { cliEnv, num, ROOT, serve, shopsync, staleBundle, startPageServer, terminate, type ServeProcess } from './service-support.js';

const BUNDLE = join(ROOT, 'packages/widget/dist/shopsync-panel.bundle.js');
const SHOTS = join(ROOT, 'test-output/service');
const CHROME = process.env['CHROME_PATH'] || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const PG_URL = process.env['SHOPSYNC_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The access token every simulated shop accepts. */
const TOKEN = 'shpat_service_e2e_0123456789abcdef';
const CONNECTOR = 'erp-main';
const SHOP = 'erp-main.myshopify.com';
const PRODUCTS = 300;

/** `count` products as NDJSON, titled with `version`. */
const ndjson = (count: number, version: number) =>
  Array.from({ length: count }, (_, i) => JSON.stringify({ entity: 'product', op: 'upsert', ref: `SKU-${String(i + 1).padStart(4, '0')}`, data: { title: `Product ${i + 1} v${version}`, handle: `product-${i + 1}` } })).join('\n') + '\n';

/** The fields of the API's answers that this test reads. */
interface ApiBody {
  allowedOrigins?: string[];
  config?: { enabled: boolean };
  kind?: string;
  access?: string;
  src?: string;
  accepted?: number;
}

describe('shopsync serve: API and worker as separate processes on PostgreSQL, the panel live on another origin', { skip: !existsSync(CHROME) && `no Chromium at ${CHROME}` }, () => {
  const schema = `shopsync_e2e_service_${randomBytes(5).toString('hex')}`;
  const database = (() => {
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    return url.toString();
  })();
  let fleet: SimulatorFleet;
  let env: NodeJS.ProcessEnv;
  let adminKey: string;
  let api: ServeProcess;
  let worker: ServeProcess;
  let apiUrl: string;
  /** The worker process's id, as its claims name it. */
  let workerId: string;
  /** Reads the fleet's claims, as an operator would look. */
  let db: pg.Client;
  let pages: Awaited<ReturnType<typeof startPageServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let actSrc: string;
  let readSrc: string;
  /** Errors of the page: console errors and uncaught exceptions, until both processes are stopped. */
  const problems: string[] = [];
  const pageErrors: string[] = [];
  /** Cross-origin answers of the API to the page (URL without its token, status, Access-Control-Allow-Origin). */
  const apiAnswers: Array<{ url: string; method: string; status: number; allowOrigin: string | undefined }> = [];
  let shot = 0;
  const screenshot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });

  /** A request to the API with the admin key, as the ERP's server sends it. */
  const request = async (method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; text: string; body: ApiBody }> => {
    const res = await fetch(apiUrl + path, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined && { 'content-type': type }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: ApiBody = {};
    try {
      json = text ? (JSON.parse(text) as ApiBody) : {};
    } catch {
      // Not JSON: the assertions on `text` say what came.
    }
    return { status: res.status, text, body: json };
  };

  /** The shopsync processes' logs, for failure messages. */
  const logs = () => `\n--- api ---\n${api?.output() ?? ''}\n--- worker ---\n${worker?.output() ?? ''}`;

  before(async () => {
    const stale = staleBundle(BUNDLE);
    assert.equal(stale, undefined, stale);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    // A Plus store: on the standard plan's rate limit (100 points/s) each run of 300 products waits
    // ~25 s for the bucket, which would take this test past 90 s; the latency is a real store's, shortened.
    fleet = await SimulatorFleet.start({ shops: 'any', accessTokens: [TOKEN], plan: 'plus', latency: { baseMs: 30, perMutationMs: 5, jitterMs: 5 } });
    env = cliEnv({
      SHOPSYNC_DATABASE_URL: database,
      SHOPSYNC_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SHOPSYNC_SHOPIFY_ENDPOINT: fleet.url,
      SHOPSYNC_POLL_MS: '100',
      SHOPSYNC_LOG_LEVEL: 'info',
    });

    const migrated = await shopsync(['migrate'], env);
    assert.equal(migrated.code, 0, `shopsync migrate: ${migrated.stderr}`);
    assert.match(migrated.stdout, new RegExp(`Migrated PostgreSQL schema ${schema}\\.`));
    const created = await shopsync(['keys', 'create', '--scopes', 'admin', '--name', 'erp'], env);
    assert.equal(created.code, 0, `shopsync keys create: ${created.stderr}`);
    assert.match(created.stderr, /It is shown once/);
    adminKey = created.stdout.trim();
    assert.match(adminKey, /^ssk_\S+$/, 'the key alone on stdout');

    const [startedApi, startedWorker] = await Promise.allSettled([serve(['--role', 'api', '--port', '0'], env, 'API listening'), serve(['--role', 'worker'], env, 'Worker started')]);
    // Whichever started is stopped by after(), even when the other did not.
    if (startedApi.status === 'fulfilled') api = startedApi.value.proc;
    if (startedWorker.status === 'fulfilled') worker = startedWorker.value.proc;
    if (startedApi.status === 'rejected') throw startedApi.reason;
    if (startedWorker.status === 'rejected') throw startedWorker.reason;
    const [a, w] = [startedApi.value, startedWorker.value];
    apiUrl = String(a.ready['url']);
    workerId = String(w.ready['worker']);
    assert.match(apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(a.ready['role'], 'api');

    db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    pages = await startPageServer(BUNDLE);
    assert.notEqual(new URL(apiUrl).origin, pages.origin, 'the page is on another origin than the API');
    browser = await chromium.launch({ executablePath: CHROME, args: ARGS, headless: true });
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await pages?.close();
    // Still running after a failure: stopped now (the exit guard would SIGKILL them anyway).
    for (const p of [api, worker]) if (p) await terminate(p, 10_000);
    // The processes' logs beside the screenshots, to read what happened.
    if (api) writeFileSync(join(SHOTS, 'api.log'), api.output());
    if (worker) writeFileSync(join(SHOTS, 'worker.log'), worker.output());
    await fleet?.close();
    await db?.end().catch(() => undefined);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  });

  const panelOf = (p: Page) => p.locator('shopsync-panel');
  const statusText = (p: Page) => deepText(panelOf(p).locator('shopsync-synchronization shopsync-status-badge').first());
  const overviewText = (p: Page) => deepText(panelOf(p).locator('#panel-overview'));
  const pendingTotal = async (p: Page) => {
    const values = await panelOf(p).locator('shopsync-pending-counters dd').allTextContents();
    return values.length ? values.reduce((n, t) => n + num(t), 0) : -1;
  };
  const iterations = (p: Page) => panelOf(p).locator('shopsync-history li[part="iteration"]').count();
  const connectorButton = (p: Page): Locator => panelOf(p).locator('[part="connector-button"]');
  const shownEvent = (p: Page) => p.evaluate(() => (document.querySelector('shopsync-panel') as unknown as { event?: { id: string; status: string } }).event ?? null);
  const shownConnector = (p: Page) => p.evaluate(() => (document.querySelector('shopsync-panel') as unknown as { connector?: { enabled: boolean; running: boolean } }).connector ?? null);
  const productsInShop = () => fleet.shop(SHOP).snapshot().products;
  /** The worker that holds the connector's claim now, or null. */
  const claimOf = async () => (await db.query<{ claimed_by: string | null }>(`SELECT claimed_by FROM "${schema}".connector WHERE id = $1`, [CONNECTOR])).rows[0]?.claimed_by ?? null;
  /** Log lines of a process about this connector, by message. */
  const about = (p: ServeProcess, msg: string) => p.logged(msg).filter((l) => l['connectorId'] === CONNECTOR);

  it('through the API: a connector whose panel the ERP origin may embed, its credentials, embed tokens', async () => {
    const made = await request('POST', '/v1/connectors', { config: { id: CONNECTOR, shopDomain: SHOP, apiVersion: '2026-01' }, allowedOrigins: [pages.origin] });
    assert.equal(made.status, 201, made.text);
    assert.deepEqual(made.body.allowedOrigins, [pages.origin]);
    const creds = await request('PUT', `/v1/connectors/${CONNECTOR}/credentials`, { kind: 'token', accessToken: TOKEN });
    assert.equal(creds.status, 200, creds.text);
    assert.equal(creds.body.kind, 'token');

    const act = await request('POST', `/v1/connectors/${CONNECTOR}/embed-tokens`, { access: 'act' });
    assert.equal(act.status, 201, act.text);
    assert.equal(act.body.access, 'act');
    assert.ok(String(act.body.src).startsWith(`${apiUrl}/v1/connectors/${CONNECTOR}/sync?token=`), act.body.src);
    actSrc = String(act.body.src);
    const read = await request('POST', `/v1/connectors/${CONNECTOR}/embed-tokens`, { access: 'read', ttlSeconds: 600 });
    assert.equal(read.status, 201, read.text);
    readSrc = String(read.body.src);
  });

  it('the panel loads cross-origin on the ERP page (CORS) and shows the connector idle', async () => {
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.origin !== new URL(apiUrl).origin) return;
      url.searchParams.delete('token');
      apiAnswers.push({ url: url.pathname + url.search, method: r.request().method(), status: r.status(), allowOrigin: r.headers()['access-control-allow-origin'] });
    });
    await page.goto(pages.pageUrl(actSrc));
    // A mark that a reload would wipe: the page must follow everything live.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await until('the panel idle', () => overviewText(page), (t) => t.includes('No synchronization has run yet'));
    await until('the connector button', () => deepText(connectorButton(page)), (t) => t === 'Disable connector');
    assert.deepEqual(await shownConnector(page).then((c) => c && { enabled: c.enabled, running: c.running }), { enabled: true, running: false });
    const state = apiAnswers.find((a) => a.url.endsWith('/sync/state'));
    assert.ok(state, `the panel read the connector state from the API: ${JSON.stringify(apiAnswers)}`);
    assert.equal(state.status, 200);
    assert.equal(state.allowOrigin, pages.origin, 'the API allows the ERP origin');
    await screenshot(page, 'idle');
  });

  it('300 products posted through the API: the panel shows the worker run them live, In Progress then Completed', async () => {
    const posted = await request('POST', `/v1/connectors/${CONNECTOR}/changes`, ndjson(PRODUCTS, 1), 'application/x-ndjson');
    assert.equal(posted.status, 202, posted.text);
    assert.equal(posted.body.accepted, PRODUCTS);

    await until('In Progress', () => statusText(page), (s) => s.includes('In Progress'), 30_000);
    const firstPending = await until('pending counts', () => pendingTotal(page), (n) => n > 0);
    await screenshot(page, 'in-progress');
    const fewer = await until('pending counts to fall', () => pendingTotal(page), (n) => n >= 0 && n < firstPending);
    assert.ok(fewer < firstPending);
    await until('Completed', () => statusText(page), (s) => s.includes('Completed'), 60_000);
    assert.equal(await pendingTotal(page), 0);
    assert.ok((await iterations(page)) >= 2, 'the history shows the iterations');
    await screenshot(page, 'completed');
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'no reload');

    assert.equal(productsInShop().length, PRODUCTS, 'the store holds the products');
    assert.ok(about(worker, 'Claimed a connector').length >= 1, `the worker claimed the connector${logs()}`);
    assert.ok(about(worker, 'Released a connector').some((l) => l['outcome'] === 'completed' || l['status'] === 'completed'), `the worker released it, completed${logs()}`);
    for (const msg of ['Worker started', 'Claimed a connector', 'Released a connector']) assert.equal(api.logged(msg).length, 0, `the API process never ran an engine (${msg})${logs()}`);
    assert.ok(!api.lines.some((l) => l['part'] === 'worker'), 'no worker log line in the API process');
  });

  it('disabling the connector from the panel pauses the run on the worker; enabling it resumes the same event to Completed', async () => {
    const first = await shownEvent(page);
    // Twice as many: three iterations (250 a batch), so that the run is still going when the button is clicked.
    const posted = await request('POST', `/v1/connectors/${CONNECTOR}/changes`, ndjson(2 * PRODUCTS, 2), 'application/x-ndjson');
    assert.equal(posted.status, 202, posted.text);
    assert.equal(posted.body.accepted, 2 * PRODUCTS);
    const running = await until('a new run In Progress', () => shownEvent(page), (e) => !!e && e.id !== first?.id && e.status === 'in_progress', 30_000);

    await connectorButton(page).click();
    await until('Paused', () => statusText(page), (s) => s.includes('Paused'), 30_000);
    await until('the connector shown disabled', () => deepText(connectorButton(page)), (t) => t === 'Enable connector');
    assert.equal((await shownEvent(page))?.id, running!.id, 'the run under way paused');
    assert.ok((await pendingTotal(page)) > 0, 'changes wait while paused');
    await screenshot(page, 'paused');
    // The worker got the command (NOTIFY) and let go of the paused run.
    await until('the worker to release the paused run', async () => about(worker, 'Released a connector').some((l) => l['outcome'] === 'paused' && l['eventId'] === running!.id), Boolean, 15_000);
    const disabled = await request('GET', `/v1/connectors/${CONNECTOR}`);
    assert.equal(disabled.body.config?.enabled, false, 'the registry says disabled');
    const put = apiAnswers.filter((a) => a.url.endsWith('/sync/connector') && a.method !== 'OPTIONS');
    assert.deepEqual(
      put.map((a) => [a.status, a.allowOrigin]),
      [[200, pages.origin]],
      'the action went cross-origin',
    );

    // The paused event's own call to action.
    await panelOf(page).locator('[part="enable-button"]').click();
    await until('In Progress again', () => statusText(page), (s) => s.includes('In Progress') || s.includes('Completed'), 30_000);
    await until('Completed', () => statusText(page), (s) => s.includes('Completed'), 60_000);
    assert.equal((await shownEvent(page))?.id, running!.id, 'the paused event resumed and completed');
    assert.equal(await pendingTotal(page), 0);
    assert.equal(await deepText(connectorButton(page)), 'Disable connector');
    assert.equal((await request('GET', `/v1/connectors/${CONNECTOR}`)).body.config?.enabled, true);
    const products = productsInShop();
    assert.equal(products.length, 2 * PRODUCTS);
    assert.ok(products.every((p) => / v2$/.test(p.title)), 'the store has the second batch');
    await screenshot(page, 'resumed-completed');
    assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'no reload');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(problems, []);
  });

  it('a read-only token’s panel shows the connector, but its actions answer 403', async () => {
    const readPage = await context.newPage();
    const readErrors: string[] = [];
    readPage.on('pageerror', (e) => readErrors.push(e.message));
    try {
      await readPage.goto(pages.pageUrl(readSrc));
      await until('the read-only panel', () => statusText(readPage), (s) => s.includes('Completed'));
      const [answer] = await Promise.all([readPage.waitForResponse((r) => r.url().includes('/sync/connector') && r.request().method() !== 'OPTIONS'), connectorButton(readPage).click()]);
      assert.equal(answer.status(), 403, 'the action is refused');
      assert.equal(answer.headers()['access-control-allow-origin'], pages.origin, 'the refusal is readable by the page (CORS)');
      assert.match(await answer.text(), /allows reading only/);
      await screenshot(readPage, 'read-only');
      assert.equal((await request('GET', `/v1/connectors/${CONNECTOR}`)).body.config?.enabled, true, 'still enabled');
      assert.equal(await deepText(connectorButton(readPage)), 'Disable connector');
      assert.equal(await deepText(connectorButton(page)), 'Disable connector', 'the other panel saw no change');
    } finally {
      await readPage.close();
    }
    // The panel has no place to show a refused action: it surfaces as an unhandled rejection.
    assert.ok(readErrors.every((m) => /403|Forbidden|reading only/i.test(m)), `only the refusal: ${JSON.stringify(readErrors)}`);
  });

  it('SIGTERM mid-run: both processes exit 0 within seconds, the worker gives its claim back, the panel keeps its last view', async () => {
    const previous = await shownEvent(page);
    const posted = await request('POST', `/v1/connectors/${CONNECTOR}/changes`, ndjson(2 * PRODUCTS, 3), 'application/x-ndjson');
    assert.equal(posted.status, 202, posted.text);
    const running = await until('a third run In Progress', () => shownEvent(page), (e) => !!e && e.id !== previous?.id && e.status === 'in_progress', 30_000);
    assert.equal(await claimOf(), workerId, 'the worker process holds the connector');
    const streamEnded = page
      .waitForEvent('requestfinished', { predicate: (r) => r.url().includes('/sync/stream'), timeout: 20_000 })
      .then(() => true)
      .catch(() => false);

    const [apiExit, workerExit] = await Promise.all([terminate(api, 10_000), terminate(worker, 10_000)]);
    assert.deepEqual(apiExit, { code: 0, timedOut: false }, `the API process exits 0 within 10 s${logs()}`);
    assert.deepEqual(workerExit, { code: 0, timedOut: false }, `the worker process exits 0 within 10 s${logs()}`);
    assert.equal(api.logged('Stopped').length, 1, logs());
    assert.equal(worker.logged('Worker stopped: claims released').length, 1, logs());
    // The iteration under way finished; the run waits, open, for the next worker, which need not wait for the claim to expire.
    assert.ok(about(worker, 'Released a connector').some((l) => l['eventId'] === running!.id && l['outcome'] === 'yielded'), `the run was handed back, not ended${logs()}`);
    assert.equal(await claimOf(), null, 'no claim left behind');

    assert.equal(await streamEnded, true, 'the server ended the panel’s stream');
    // The browser tries to reconnect (nothing listens any more): the panel keeps what it showed, and nothing throws.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((await shownEvent(page))?.id, running!.id);
    assert.match(await statusText(page), /In Progress/);
    assert.doesNotMatch(await overviewText(page), /could not|failed/i, 'no failure shown');
    assert.deepEqual(pageErrors, [], 'no crash in the page');
    await screenshot(page, 'after-shutdown');
  });
});
