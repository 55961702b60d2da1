/**
 * `shopsync serve` keeps every secret it is given or makes out of everything it writes and sends:
 * the store's access token, an app's client secret, a refresh grant and the tokens renewed from
 * it, API keys, webhook signing secrets, embed tokens and the service's own secret key. Three
 * connectors (fixed token, client credentials, expiring token with refresh) sync through the
 * multi-shop simulator, a webhook receives their outcomes, the panel routes are read with an
 * embed token; then the database files, the JSON logs (debug level), every API answer (but the
 * one that shows a webhook's secret once, by design) and every webhook delivery are scanned for
 * every secret, in every form it could leak in: zero occurrences.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, readConfig, startServer } from '@shopsync/server';
import { SimulatorFleet } from '@shopsync/shopify/simulator';
import { newApiKey } from '../../packages/server/src/auth/api-keys.js';
import { findSecret } from './helpers.js';

const ACCESS = `shpat_${randomBytes(16).toString('hex')}`;
const CC_APP = { clientId: 'svc-cc-app', clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
const PUBLIC_APP = { clientId: 'svc-public-app', clientSecret: `shpss_${randomBytes(16).toString('hex')}` };
const SECRET_KEY = randomBytes(32).toString('base64');

describe('secrets: shopsync serve writes, logs and sends none', () => {
  it('three kinds of credentials, API keys, a webhook secret and an embed token: zero occurrences in the database, logs, answers and deliveries', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-service-secrets-'));
    const dbPath = join(dir, 'shopsync.db');
    const logs: string[] = [];
    const haystacks: Array<{ where: string; data: string | Buffer }> = [];
    const answers: string[] = [];
    const deliveries: string[] = [];
    const fleet = await SimulatorFleet.start({
      shops: 'any',
      accessTokens: [ACCESS],
      apps: [
        { ...CC_APP, distribution: 'custom', clientCredentials: true },
        { ...PUBLIC_APP, distribution: 'public' },
      ],
      tokenLifetimes: { accessSeconds: 1 },
    });
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        deliveries.push(`${JSON.stringify(req.headers)}\n${body}`);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const config = readConfig({ port: '0', database: `sqlite:${dbPath}` }, { SHOPSYNC_SHOPIFY_ENDPOINT: fleet.url, SHOPSYNC_POLL_MS: '50', SHOPSYNC_SECRET_KEYS: `k1:${SECRET_KEY}` });
    const log = createLogger('debug', new Writable({ write: (chunk: Buffer, _enc, done) => (logs.push(chunk.toString()), done()) }));
    const server = await startServer(config, { log });
    const { key: adminKey, record } = newApiKey({ scopes: ['admin'], now: Date.now() });
    await server.services.store.createApiKey(record);
    const secrets: Record<string, string> = { 'access token': ACCESS, 'client-credentials app secret': CC_APP.clientSecret, 'public app secret': PUBLIC_APP.clientSecret, 'API key': adminKey, 'service secret key': SECRET_KEY };
    const api = async (method: string, path: string, body?: unknown, type = 'application/json', keep = true) => {
      const res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined && { 'content-type': type }) },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      if (keep) answers.push(`${method} ${path} ${res.status} ${JSON.stringify([...res.headers])}\n${text}`);
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    try {
      const grant = fleet.shop('svc-refresh.myshopify.com').issueOfflineToken(PUBLIC_APP.clientId, { expiring: true });
      secrets['initial access token'] = grant.accessToken;
      secrets['refresh token'] = grant.refreshToken!;
      const connectors = {
        'svc-token': { kind: 'token', accessToken: ACCESS },
        'svc-cc': { kind: 'client_credentials', ...CC_APP },
        'svc-refresh': { kind: 'refresh', ...PUBLIC_APP, grant: { accessToken: grant.accessToken, expiresIn: grant.expiresIn!, refreshToken: grant.refreshToken!, refreshTokenExpiresIn: grant.refreshTokenExpiresIn! } },
      };
      for (const [id, credentials] of Object.entries(connectors)) {
        await api('POST', '/v1/connectors', { config: { id, shopDomain: `${id}.myshopify.com`, apiVersion: '2026-01' }, allowedOrigins: ['https://erp.example.com'] });
        await api('PUT', `/v1/connectors/${id}/credentials`, credentials);
        const hook = await api('POST', `/v1/connectors/${id}/webhooks`, { url: hookUrl, events: ['sync.completed', 'sync.failed', 'items.failed'] }, 'application/json', false);
        secrets[`webhook secret of ${id}`] = hook.secret;
        const embed = await api('POST', `/v1/connectors/${id}/embed-tokens`, { access: 'read' }, 'application/json', false);
        secrets[`embed token of ${id}`] = embed.token;
        const changes = Array.from({ length: 12 }, (_, i) => JSON.stringify({ entity: 'product', op: 'upsert', ref: `${id}-P${i}`, data: { title: i === 5 ? '' : `Product ${i}` } })).join('\n');
        await api('POST', `/v1/connectors/${id}/changes`, changes, 'application/x-ndjson');
        // The panel read with the embed token, as a page would (in the URL: logs must not keep it).
        const panel = await fetch(`${server.url}/v1/connectors/${id}/sync/state?token=${encodeURIComponent(embed.token)}`, { headers: { origin: 'https://erp.example.com' } });
        answers.push(await panel.text());
      }
      // Every run ends (the client-credentials and refresh ones renew tokens on the way: 1-second lifetimes).
      for (const id of Object.keys(connectors)) {
        for (let i = 0; ; i++) {
          const events = await api('GET', `/v1/connectors/${id}/sync/events?limit=1`);
          if (events.items[0] && events.items[0].status !== 'in_progress') {
            assert.equal(events.items[0].status, 'completed', `${id}: ${JSON.stringify(events.items[0].generalErrors)}`);
            break;
          }
          assert.ok(i < 400, `${id}: its run did not end`);
          await new Promise((r) => setTimeout(r, 50));
        }
        await api('GET', `/v1/connectors/${id}/sync/items?status=error`);
        await api('GET', `/v1/connectors/${id}`);
        await api('GET', `/v1/connectors/${id}/credentials`);
        await api('GET', `/v1/connectors/${id}/webhooks`);
      }
      for (let i = 0; deliveries.length < 3 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(deliveries.length >= 3, 'the webhooks were delivered (the scan reads them)');
      // Tokens the refresh and client-credentials providers got along the way.
      for (const shop of ['svc-cc.myshopify.com', 'svc-refresh.myshopify.com']) {
        for (const [i, t] of fleet.shop(shop).tokenRequests.entries()) {
          const issued = JSON.stringify(t).match(/shp(at|rt)_[0-9a-f]{16,}/g) ?? [];
          for (const [j, token] of issued.entries()) secrets[`token ${i}.${j} issued by ${shop}`] = token;
        }
      }
      await api('GET', '/v1/connectors');
    } finally {
      await server.close();
      await fleet.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
    try {
      for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) if (existsSync(file)) haystacks.push({ where: file.slice(dir.length + 1), data: readFileSync(file) });
      haystacks.push({ where: 'logs', data: logs.join('') }, { where: 'API answers', data: answers.join('\n') }, { where: 'webhook deliveries', data: deliveries.join('\n') });
      assert.ok(logs.some((l) => l.includes('"msg":"request"')), 'the access log was captured (the scan reads it)');
      assert.ok(logs.some((l) => l.includes('/sync/state') && l.includes('"caller":"embed:')), 'the panel reads with embed tokens were logged (the scan reads those lines)');
      assert.ok(Object.keys(secrets).length >= 12, `every secret collected: ${Object.keys(secrets).join(', ')}`);
      for (const [name, secret] of Object.entries(secrets)) {
        assert.deepEqual(findSecret(secret, haystacks), [], `the ${name} leaked`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
