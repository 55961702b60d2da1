// Operations: request ids (the caller's sane one echoed, else a new one, in the answer, the
// problem body and the access log line), and readiness (503 while shutting down, or when the
// database does not answer; 200 otherwise).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, readConfig, startServer } from '@shopsync/server';
import { buildApp } from '../src/api/app.js';
import { openServices } from '../src/services.js';

const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shopsync-ops-'));
  return { dir, database: `sqlite:${join(dir, 'shopsync.db')}` };
};

describe('operations', () => {
  it('request ids: a sane X-Request-Id is echoed, in the problem body and the access log; another gets a fresh one', async () => {
    const { dir, database } = tempDb();
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }));
    const server = await startServer(readConfig({ port: '0', database }, { SHOPSYNC_POLL_MS: '1000' }), { log });
    try {
      const mine = await fetch(`${server.url}/v1/connectors`, { headers: { 'x-request-id': 'erp-7f3a.1' } });
      assert.equal(mine.status, 401);
      assert.equal(mine.headers.get('x-request-id'), 'erp-7f3a.1');
      assert.equal(((await mine.json()) as { requestId: string }).requestId, 'erp-7f3a.1');
      const odd = await fetch(`${server.url}/v1/health`, { headers: { 'x-request-id': 'not ok <script>' } });
      const fresh = odd.headers.get('x-request-id') ?? '';
      assert.match(fresh, /^[0-9a-f-]{36}$/, 'a new id replaces one with spaces or markup');
      for (let i = 0; i < 50 && !lines.some((l) => l.includes(fresh)); i++) await new Promise((r) => setTimeout(r, 20));
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'request');
      assert.ok(logged.some((l) => l['reqId'] === 'erp-7f3a.1' && l['status'] === 401 && l['url'] === '/v1/connectors'), 'the access log line carries the caller’s id');
      assert.ok(logged.some((l) => l['reqId'] === fresh && l['status'] === 200));
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('readiness: 200 with the database answering, 503 while shutting down, 503 when the database does not answer', async () => {
    const { dir, database } = tempDb();
    const services = await openServices(readConfig({ database }, {}), createLogger('silent'));
    let draining = false;
    const { app, panels } = await buildApp(services, { draining: () => draining, document: () => ({}) });
    try {
      const ready = await app.inject({ url: '/v1/ready' });
      assert.equal(ready.statusCode, 200);
      assert.deepEqual(ready.json(), { status: 'ok', checks: { database: 'ok' } });
      draining = true;
      const stopping = await app.inject({ url: '/v1/ready' });
      assert.equal(stopping.statusCode, 503);
      assert.deepEqual(stopping.json(), { status: 'unavailable', checks: { process: 'shutting down' } });
      assert.equal((await app.inject({ url: '/v1/health' })).statusCode, 200, 'alive while it drains');
      draining = false;
      await services.storage.close();
      const down = await app.inject({ url: '/v1/ready' });
      assert.equal(down.statusCode, 503);
      assert.equal((down.json() as { status: string }).status, 'unavailable');
      assert.ok((down.json() as { checks: { database: string } }).checks.database.length > 0, 'says why');
    } finally {
      await panels.close();
      await app.close();
      await services.store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
