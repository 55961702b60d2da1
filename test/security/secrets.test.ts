/**
 * The access token never leaves the target; nor do the refresh token, the client secret, or the
 * key that seals them at rest. A full sync runs end to end (SyncEngine, ShopifyTarget,
 * the simulator failing on purpose: 401 at connect and mid-run, 5xx, garbled answers, hangs,
 * resets), on SQLite in a temporary folder, served through createSyncHandler over a real socket
 * with no `secrets` option (so that the handler's own scrubbing of named secrets does not hide a
 * leak of the layers below). Then everything the system produced is scanned for the token, in
 * every form it could take: zero occurrences.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { LocalSyncSource, SyncEngine, latestStableVersion, type Change, type EngineEvents, type SyncEvent } from '@shopsync/core';
import { expiringToken, ShopifyTarget, storageTokenStore } from '@shopsync/shopify';
import { ShopifySimulator } from '@shopsync/shopify/simulator';
import { PostgresStorage } from '@shopsync/postgres';
import { SqliteStorage } from '@shopsync/sqlite';
import { dumpSchema, pgFixture, unreachable as pgUnreachable } from '../../packages/adapters/postgres/test/helpers.js';
import { BASE, captureConsole, findSecret, secretForms, send, serve, within, type RawResponse } from './helpers.js';

/** Shopify's token formats (access, refresh, app secret, …): none may be in a stored row, whichever token it is. */
const TOKEN_LIKE = /shp(at|rt|ss|ua|ca|pa)_[0-9a-f]{16,}/i;

const EVENT_NAMES: ReadonlyArray<keyof EngineEvents> = ['statusChanged', 'iterationCompleted', 'pendingChanged', 'itemsUpdated', 'generalError', 'logsAvailable'];

function catalog(): Change[] {
  const changes: Change[] = [];
  for (let c = 0; c < 3; c++) changes.push({ entity: 'category', op: 'upsert', ref: `cat-${c}`, data: { title: `Category ${c}`, handle: `sec-cat-${c}` } });
  for (let p = 0; p < 14; p++) {
    // Two products the store refuses (a blank title): item errors from Shopify's userErrors.
    const title = p % 7 === 3 ? '' : `Product ${p}`;
    changes.push({ entity: 'product', op: 'upsert', ref: `SEC-${p}`, data: { title, categoryRefs: [`cat-${p % 3}`], options: ['Size'] } });
    for (const size of ['S', 'M']) changes.push({ entity: 'variant', op: 'upsert', ref: `SEC-${p}-${size}`, parentRef: `SEC-${p}`, data: { price: '10.00', stock: 3, optionValues: { Size: size } } });
  }
  return changes;
}

describe('secrets: the access token appears nowhere the system writes or sends', () => {
  it('the scanner finds the token in every form it could leak in (it can fail)', () => {
    const token = `shpat_${randomBytes(16).toString('hex')}`;
    for (const form of secretForms(token)) {
      const found = findSecret(token, [{ where: 'sample', data: Buffer.concat([Buffer.from('before '), form.bytes, Buffer.from(' after')]) }]);
      assert.ok(found.some((f) => f.includes(form.name)), `${form.name}: ${found.join(', ')}`);
    }
    assert.ok(findSecret(token, [{ where: 'upper case', data: token.toUpperCase() }]).includes('upper case: 1× as is'));
    assert.deepEqual(findSecret(token, [{ where: 'clean', data: 'shpat_[REDACTED] and nothing else' }]), []);
  });

  it('a full sync with faults on SQLite, served over HTTP and SSE: zero occurrences anywhere', { timeout: 60_000 }, async () => {
    const TOKEN = `shpat_${randomBytes(16).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-secrets-'));
    const dbPath = join(dir, 'shopsync.sqlite');
    const haystacks: Array<{ where: string; data: string | Buffer }> = [];
    const keep = (where: string, data: unknown) => haystacks.push({ where, data: typeof data === 'string' || Buffer.isBuffer(data) ? data : inspect(data, { depth: 20, breakLength: Infinity }) });
    const dbFiles = (when: string) => {
      for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(dbPath + suffix)) keep(`${when}: ${dbPath}${suffix}`, readFileSync(dbPath + suffix));
    };

    // Anything written to the console while the system runs is output too.
    const consoleOutput = captureConsole();

    const sim = await ShopifySimulator.start({ accessTokens: [TOKEN], plan: 'plus', hangMs: 400 });
    const target = new ShopifyTarget({ accessToken: TOKEN, endpoint: sim.url, requestTimeoutMs: 200, retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 }, productWaitMs: 0 });
    const storage = SqliteStorage.open({ path: dbPath });
    const engine = new SyncEngine({
      connector: { id: 'main', shopDomain: sim.shopDomain, apiVersion: latestStableVersion(new Date()) },
      target,
      storage,
      batchSize: 8,
      retryBackoff: { baseMs: 0, maxMs: 0 },
      maxFailedIterations: 2,
    });
    const emitted: string[] = [];
    for (const name of EVENT_NAMES) engine.on(name, (payload: unknown) => emitted.push(`${name} ${JSON.stringify(payload)}`));
    const served = await serve(new LocalSyncSource(engine), { authorize: () => true });
    const responses: RawResponse[] = [];
    const get = async (path: string, init: Parameters<typeof send>[2] = {}) => {
      const r = await send(served.port, BASE + path, init);
      responses.push(r);
      return r;
    };
    const action = (path: string, method: string, body: unknown) =>
      get(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    // The stream, as raw bytes, for the whole run.
    const sse: Buffer[] = [];
    const stream = httpRequest({ host: '127.0.0.1', port: served.port, path: `${BASE}/stream`, headers: { Accept: 'text/event-stream' } }, (res) => {
      sse.push(Buffer.from(`HTTP ${res.statusCode}\r\n${JSON.stringify(res.headers)}\r\n`));
      res.on('data', (c: Buffer) => sse.push(c));
      res.on('error', () => undefined);
    });
    stream.on('error', () => undefined);
    stream.end();

    const thrown: unknown[] = [];
    const events: SyncEvent[] = [];
    try {
      // 1. The store refuses the token at connect: the target throws, the event ends in Error.
      sim.injectFault('unauthorized', { count: 1 });
      await target.connect({ connectorId: 'main', config: { ...engine.config }, signal: new AbortController().signal, log: () => undefined }).then(
        (info) => assert.fail(`connect should have been refused: ${JSON.stringify(info)}`),
        (err: unknown) => thrown.push(err),
      );
      sim.injectFault('unauthorized', { count: 1 });
      const refused = await within(20_000, 'run refused at connect', engine.start());
      assert.equal(refused.status, 'error');
      events.push(refused);

      // 2. A run through a store having a bad day: each iteration meets another fault.
      await engine.enqueue(catalog());
      const faults: Array<Parameters<typeof sim.injectFault>> = [
        ['http503', { count: 2 }],
        ['malformed', { count: 2 }],
        ['hang', { count: 2 }],
        ['reset', { count: 1 }],
        ['http500', { count: 2 }],
        ['unauthorized', { count: 1 }],
      ];
      engine.on('iterationCompleted', ({ iteration }) => {
        const f = faults[iteration.index - 1];
        if (f) sim.injectFault(...f);
      });
      events.push(await within(30_000, 'run with faults', engine.start()));
      // 3. Whatever stayed queued goes now; failed items are retried through the HTTP actions.
      events.push(await within(20_000, 'second run', engine.start()));
      const failed = (await engine.queryItems({ status: 'error', limit: 1_000 })).items;
      assert.ok(failed.length > 0, 'the store refused some items');
      assert.equal((await action('/items/retry', 'POST', { entity: failed[0]!.entity, ref: failed[0]!.ref })).status, 200);
      assert.equal((await action('/items/retry-failed', 'POST', {})).status, 200);
      assert.equal((await action('/connector', 'PUT', { enabled: false })).status, 200);
      assert.equal((await action('/connector', 'POST', { enabled: true })).status, 200);
      await engine.idle();
      events.push(await within(20_000, 'retry run', engine.start()));

      // What the runs went through: the scan below covers real faults, not a quiet day.
      const all = (await engine.listEvents({ limit: 1_000 })).items;
      const codes = new Set<string>(all.flatMap((e) => e.generalErrors.map((g) => g.code)));
      for (const code of ['auth', 'server_error']) assert.ok(codes.has(code), `a general error ${code} happened: ${[...codes].join(', ')}`);
      assert.ok(['invalid_response', 'timeout', 'network'].some((c) => codes.has(c)), `garbled, hung or reset answers: ${[...codes].join(', ')}`);
      assert.ok(thrown.length === 1 && (thrown[0] as Error).name === 'ConnectionError');

      // Every route, every event, both log formats, and the error answers.
      for (const path of ['/state', '/events', '/events?limit=1000', '/items?limit=1000', '/items/errors', '/items?status=error&limit=1000', '/items?status=pending', '/items?entity=variant&limit=1000']) {
        assert.equal((await get(path)).status, 200, path);
      }
      for (const e of all) {
        assert.equal((await get(`/events/${encodeURIComponent(e.id)}`)).status, 200);
        for (const format of ['jsonl', 'csv'] as const) {
          assert.equal((await get(`/events/${encodeURIComponent(e.id)}/logs?format=${format}`)).status, 200);
          keep(`exportLogs ${e.id} ${format}`, await engine.exportLogs(e.id, format));
        }
      }
      const refusals: Array<[string, Parameters<typeof send>[2], number]> = [
        ['/nope', {}, 404],
        ['/events/evt_unknown', {}, 404],
        ['/events/evt_unknown/logs', {}, 404],
        ['/state', { method: 'DELETE' }, 405],
        ['/items?limit=0', {}, 400],
        ['/items?token=x', {}, 400],
        ['/items/retry', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"entity":"order"}' }, 400],
        ['/items/retry', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' }, 400],
        ['/connector', { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'enabled' }, 415],
        ['/connector', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: 'x'.repeat(20_000) }, 413],
      ];
      for (const [path, init, status] of refusals) assert.equal((await get(path, init)).status, status, path);
      const unauthorized = await serve(new LocalSyncSource(engine));
      try {
        const r = await send(unauthorized.port, `${BASE}/items/retry-failed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        assert.equal(r.status, 403);
        responses.push(r);
      } finally {
        await unauthorized.close();
      }

      // The engine's own reads, with the change data the item tab does not show.
      sim.clearFaults();
      keep('engine.listEvents', await engine.listEvents({ limit: 1_000 }));
      keep('engine.queryItems', await engine.queryItems({ limit: 1_000 }));
      keep('engine.config', engine.config);
      keep('target.connect result', await target.connect({ connectorId: 'main', config: { ...engine.config }, signal: new AbortController().signal, log: () => undefined }));
      keep('simulator request log', sim.requests);
      keep('simulator store', sim.snapshot());
      keep('handler stats', served.handler.stats());
      dbFiles('open');
    } finally {
      await new Promise((r) => setTimeout(r, 50));
      stream.destroy();
      await served.close();
      await engine.dispose();
      await storage.close();
      await sim.close();
      consoleOutput.restore();
    }
    dbFiles('closed');
    rmSync(dir, { recursive: true, force: true });

    for (const e of events) keep('start() result', e);
    for (const r of responses) keep(`HTTP ${r.head.split('\r\n')[0]}`, Buffer.concat([Buffer.from(r.head), r.body]));
    for (const [i, e] of thrown.entries()) {
      keep(`thrown #${i} message`, (e as Error).message);
      keep(`thrown #${i} inspected`, e);
    }
    for (const [i, e] of served.errors.entries()) keep(`onError #${i}`, e);
    keep('SSE bytes', Buffer.concat(sse));
    keep('engine events', emitted.join('\n'));
    keep('console', consoleOutput.lines.join('\n'));

    assert.ok(emitted.length > 20 && Buffer.concat(sse).toString().includes('event: change'), 'events and stream carried the runs');
    assert.ok(haystacks.length > 60, `${haystacks.length} outputs scanned`);
    assert.deepEqual(findSecret(TOKEN, haystacks), [], 'the token, in any form, in what the system produced');
  });

  it('expiring tokens: a run across renewals (a refresh answer lost, a token refused mid-run, then a revoked grant), sealed on SQLite, served over HTTP: no access token, refresh token, client secret or key anywhere', { timeout: 60_000 }, async () => {
    const app = { clientId: 'secrets-app', clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
    const keyBytes = randomBytes(32);
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-secrets-'));
    const dbPath = join(dir, 'shopsync.sqlite');
    const haystacks: Array<{ where: string; data: string | Buffer }> = [];
    const keep = (where: string, data: unknown) => haystacks.push({ where, data: typeof data === 'string' || Buffer.isBuffer(data) ? data : inspect(data, { depth: 20, breakLength: Infinity }) });
    const consoleOutput = captureConsole();
    const sim = await ShopifySimulator.start({ apps: [{ ...app, distribution: 'public' }], tokenLifetimes: { accessSeconds: 0.4 }, latency: { baseMs: 20, perMutationMs: 1, jitterMs: 0 } });
    const storage = SqliteStorage.open({ path: dbPath });
    const grant = sim.issueOfflineToken(app.clientId, { expiring: true });
    const provider = expiringToken({
      ...app,
      shopDomain: sim.shopDomain,
      endpoint: sim.url,
      retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
      store: storageTokenStore({ storage, connectorId: 'main', keys: [{ id: 'k1', key: keyBytes.toString('base64') }] }),
      initial: { accessToken: grant.accessToken, expiresIn: grant.expiresIn!, refreshToken: grant.refreshToken!, refreshTokenExpiresIn: grant.refreshTokenExpiresIn! },
    });
    const target = new ShopifyTarget({ credentials: provider, endpoint: sim.url, retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 } });
    const engine = new SyncEngine({ connector: { id: 'main', shopDomain: sim.shopDomain, apiVersion: latestStableVersion(new Date()) }, target, storage, batchSize: 6, retryBackoff: { baseMs: 0, maxMs: 0 } });
    const emitted: string[] = [];
    for (const name of EVENT_NAMES) engine.on(name, (payload: unknown) => emitted.push(`${name} ${JSON.stringify(payload)}`));
    const served = await serve(new LocalSyncSource(engine), { authorize: () => true });
    const responses: RawResponse[] = [];
    try {
      await engine.enqueue(catalog());
      sim.injectTokenFault('reset', { afterExecute: true });
      let expired = false;
      engine.on('iterationCompleted', () => {
        if (expired) return;
        expired = true;
        sim.expireAccessTokens(app.clientId);
      });
      const run = await within(30_000, 'run across renewals', engine.start());
      assert.equal(run.status, 'completed');
      assert.ok(sim.tokenRequests.filter((r) => r.grantType === 'refresh_token').length >= 3, 'renewed several times');
      sim.revokeGrant(app.clientId);
      await engine.enqueue([{ entity: 'product', op: 'upsert', ref: 'AFTER', data: { title: 'After the revocation' } }]);
      await new Promise((r) => setTimeout(r, 450));
      const revoked = await within(20_000, 'run after the revocation', engine.start());
      assert.equal(revoked.status, 'error');
      assert.equal(revoked.generalErrors[0]?.code, 'reauthorize');

      for (const path of ['/state', '/events', '/items?limit=1000', '/items/errors']) {
        const r = await send(served.port, BASE + path);
        assert.equal(r.status, 200, path);
        responses.push(r);
      }
      for (const e of (await engine.listEvents({ limit: 100 })).items) {
        for (const format of ['jsonl', 'csv'] as const) keep(`exportLogs ${e.id} ${format}`, await engine.exportLogs(e.id, format));
        keep(`event ${e.id}`, e);
      }
      keep('engine.queryItems', await engine.queryItems({ limit: 1_000 }));
      keep('simulator request log', sim.requests);
      keep('simulator token log', sim.tokenRequests);
      keep('simulator store', sim.snapshot());
    } finally {
      await served.close();
      await engine.dispose();
      await storage.close();
      await sim.close();
      consoleOutput.restore();
    }
    for (const suffix of ['', '-wal', '-shm', '-journal']) if (existsSync(dbPath + suffix)) keep(`${dbPath}${suffix}`, readFileSync(dbPath + suffix));
    rmSync(dir, { recursive: true, force: true });
    for (const r of responses) keep(`HTTP ${r.head.split('\r\n')[0]}`, Buffer.concat([Buffer.from(r.head), r.body]));
    keep('engine events', emitted.join('\n'));
    keep('console', consoleOutput.lines.join('\n'));

    // Every token the provider held (the installation's, each renewal's, each refresh token), the client secret, and the key.
    const secrets = provider.secrets();
    assert.ok(secrets.length >= 7, `${secrets.length} secrets to look for`);
    assert.ok(secrets.includes(app.clientSecret) && secrets.includes(grant.refreshToken!));
    for (const secret of secrets) assert.deepEqual(findSecret(secret, haystacks), [], `${secret.slice(0, 6)}…, in any form, in what the system produced`);
    for (const form of [keyBytes.toString('base64'), keyBytes.toString('base64url'), keyBytes.toString('hex')]) assert.deepEqual(findSecret(form, haystacks), [], 'the sealing key');
    assert.ok(!haystacks.some((h) => Buffer.isBuffer(h.data) && h.data.includes(keyBytes)), 'the key bytes');
  });

  const pg = pgFixture('secrets');
  it('on PostgreSQL: a run with faults across token renewals, then a revoked grant: no token, client secret or key in any row of any table', { timeout: 60_000, skip: pgUnreachable ?? false }, async () => {
    const app = { clientId: 'secrets-pg-app', clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
    const keyBytes = randomBytes(32);
    const schema = pg.schema();
    const consoleOutput = captureConsole();
    const sim = await ShopifySimulator.start({ apps: [{ ...app, distribution: 'public' }], tokenLifetimes: { accessSeconds: 0.4 }, latency: { baseMs: 20, perMutationMs: 1, jitterMs: 0 } });
    const storage = await PostgresStorage.open({ pool: pg.pool, schema });
    const grant = sim.issueOfflineToken(app.clientId, { expiring: true });
    const provider = expiringToken({
      ...app,
      shopDomain: sim.shopDomain,
      endpoint: sim.url,
      retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
      store: storageTokenStore({ storage, connectorId: 'main', keys: [{ id: 'k1', key: keyBytes.toString('base64') }] }),
      initial: { accessToken: grant.accessToken, expiresIn: grant.expiresIn!, refreshToken: grant.refreshToken!, refreshTokenExpiresIn: grant.refreshTokenExpiresIn! },
    });
    const target = new ShopifyTarget({ credentials: provider, endpoint: sim.url, retry: { maxAttempts: 2, baseMs: 1, maxMs: 5 } });
    const engine = new SyncEngine({ connector: { id: 'main', shopDomain: sim.shopDomain, apiVersion: latestStableVersion(new Date()) }, target, storage, batchSize: 6, retryBackoff: { baseMs: 0, maxMs: 0 } });
    const haystacks: Array<{ where: string; data: string | Buffer }> = [];
    try {
      await engine.enqueue(catalog());
      sim.injectTokenFault('reset', { afterExecute: true });
      const faults: Array<Parameters<typeof sim.injectFault>> = [['http503', { count: 2 }], ['malformed', { count: 1 }], ['reset', { count: 1 }]];
      engine.on('iterationCompleted', ({ iteration }) => {
        if (iteration.index === 1) sim.expireAccessTokens(app.clientId);
        const f = faults[iteration.index - 1];
        if (f) sim.injectFault(...f);
      });
      const run = await within(30_000, 'run across renewals on PostgreSQL', engine.start());
      assert.equal(run.status, 'completed');
      assert.ok(sim.tokenRequests.filter((r) => r.grantType === 'refresh_token').length >= 2, 'renewed several times');
      sim.revokeGrant(app.clientId);
      await engine.enqueue([{ entity: 'product', op: 'upsert', ref: 'AFTER', data: { title: 'After the revocation' } }]);
      await new Promise((r) => setTimeout(r, 450));
      const revoked = await within(20_000, 'run after the revocation', engine.start());
      assert.equal(revoked.status, 'error');
    } finally {
      await engine.dispose();
      await storage.close();
      await sim.close();
      consoleOutput.restore();
    }
    // Every row of every table of the schema, as the server returns it.
    const tables = await dumpSchema(pg.pool, schema);
    for (const [table, rows] of tables) rows.forEach((row, i) => haystacks.push({ where: `${schema}.${table} row ${i + 1}`, data: row }));
    assert.ok((tables.get('items')?.length ?? 0) > 40 && (tables.get('logs')?.length ?? 0) > 10 && (tables.get('target_ids')?.length ?? 0) > 0, 'the run filled the tables');
    haystacks.push({ where: 'console', data: consoleOutput.lines.join('\n') });

    const secrets = provider.secrets();
    assert.ok(secrets.length >= 5 && secrets.includes(app.clientSecret), `${secrets.length} secrets to look for`);
    for (const secret of secrets) assert.deepEqual(findSecret(secret, haystacks), [], `${secret.slice(0, 6)}…, in any form, in a row`);
    for (const form of [keyBytes.toString('base64'), keyBytes.toString('base64url'), keyBytes.toString('hex')]) assert.deepEqual(findSecret(form, haystacks), [], 'the sealing key');
    assert.deepEqual(haystacks.filter((h) => TOKEN_LIKE.test(h.data.toString())).map((h) => h.where), [], 'no token-like string in any row');
  });
});
