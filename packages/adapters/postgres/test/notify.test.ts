/**
 * NOTIFY: every committed change is announced on `shopsync_changes` with a tiny payload (ids
 * only), at commit and never for a write rolled back; commands go on `shopsync_commands`. The
 * listener is a dedicated client made from `connectionConfig()`, as a live source makes it. Also
 * the connector registry (`getConnectorFlag`, `setConnectorEnabled`) and the options' validation.
 */
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ValidationError, type SyncEvent } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { PostgresStorage } from '@shopsync/postgres';
import { PG_URL, pgDescribe, pgFixture } from './helpers.js';

const fixture = pgFixture('notify');
const T0 = Date.UTC(2026, 0, 15, 12);

function event(id: string, connectorId: string): SyncEvent {
  return {
    v: SCHEMA_VERSION,
    id,
    connectorId,
    status: 'in_progress',
    trigger: 'manual',
    startedAt: new Date(T0).toISOString(),
    pending: { categories: 0, products: 0, variants: 0 },
    generalErrors: [],
    config: { shopDomain: 'a.myshopify.com', apiVersion: { requested: '2026-01', status: 'supported', endsSoon: false }, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en' },
    iterations: [],
    logsAvailable: false,
    pausedAt: [],
    resumedAt: [],
  };
}

/** A LISTENing client on both channels, from the storage's connectionConfig(); notices of connector `c` only (other test files share the database). */
async function listen(storage: PostgresStorage, c: string): Promise<{ notices: Array<{ channel: string; payload: unknown }>; settle(): Promise<void>; end(): Promise<void> }> {
  const client = new pg.Client(storage.connectionConfig());
  await client.connect();
  const notices: Array<{ channel: string; payload: unknown }> = [];
  client.on('notification', (n) => {
    const payload = JSON.parse(n.payload ?? 'null') as { c?: string };
    if (payload.c === c) notices.push({ channel: n.channel, payload });
  });
  await client.query('LISTEN shopsync_changes');
  await client.query('LISTEN shopsync_commands');
  return {
    notices,
    // A round trip on the listener: notices committed before it have arrived.
    settle: async () => void (await sleep(20), await client.query('SELECT 1')),
    end: () => client.end(),
  };
}

pgDescribe('PostgreSQL NOTIFY and the connector registry', () => {
  it('every committed change is announced with ids only; a write rolled back announces nothing', async () => {
    const c = `n-${randomBytes(4).toString('hex')}`;
    const s = await PostgresStorage.open({ pool: fixture.pool, schema: fixture.schema() });
    const l = await listen(s, c);
    try {
      await s.enqueue(c, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }, { entity: 'product', op: 'upsert', ref: 'P2', data: { title: 'Two' } }]).entries, T0);
      const first = (await s.lease(c, { limit: 1, leaseMs: 60_000, now: T0 }))!;
      const done = { v: SCHEMA_VERSION, entity: 'product' as const, ref: 'P1', op: 'upsert' as const, status: 'complete' as const, errors: [], updatedAt: new Date(T0).toISOString(), consecutiveFailures: 0 };
      // Names an item outside the lease: refused, rolled back, no notice.
      await assert.rejects(s.ack(c, first.id, { items: [done, { ...done, ref: 'P2' }], now: T0 }), { code: 'not_leased' });
      await s.ack(c, first.id, { items: [done], event: event('evt_1', c), logs: [], now: T0 + 1 });
      const second = (await s.lease(c, { limit: 1, leaseMs: 60_000, now: T0 }))!;
      await s.release(c, second.id);
      await s.saveEvent(event('evt_2', c));
      await s.appendLogs(c, 'evt_2', [{ v: SCHEMA_VERSION, at: new Date(T0).toISOString(), level: 'info', eventId: 'evt_2', message: 'hello' }]);
      await s.setTargetIds(c, [{ key: 'product:P1', id: 'gid://shopify/Product/1' }]);
      await s.setConnectorEnabled(c, false, T0);
      await s.setConnectorEnabled(c, false, T0 + 1);
      await s.setConnectorEnabled(c, true, T0 + 2);
      await s.sendCommand(c, { type: 'setEnabled', enabled: true });
      await s.sendCommand(c, { type: 'start' });
      await l.settle();
      const changes = (t: string, e?: string) => ({ channel: 'shopsync_changes', payload: e === undefined ? { c, t } : { c, t, e } });
      assert.deepEqual(l.notices, [
        changes('enqueued'),
        changes('leased'),
        changes('acked', 'evt_1'),
        changes('leased'),
        changes('released'),
        changes('event', 'evt_2'),
        changes('logs', 'evt_2'),
        changes('connector'),
        changes('connector'),
        { channel: 'shopsync_commands', payload: { c, cmd: { type: 'setEnabled', enabled: true } } },
        { channel: 'shopsync_commands', payload: { c, cmd: { type: 'start' } } },
      ]);
    } finally {
      await l.end();
      await s.close();
    }
  });

  it('the connector registry: undefined until set, then the flag and when it changed', async () => {
    const s = await PostgresStorage.open({ pool: fixture.pool, schema: fixture.schema() });
    assert.equal(await s.getConnectorFlag('store-1'), undefined);
    await s.setConnectorEnabled('store-1', false, T0);
    assert.deepEqual(await s.getConnectorFlag('store-1'), { enabled: false, updatedAt: new Date(T0).toISOString() });
    await s.setConnectorEnabled('store-1', false, T0 + 5);
    assert.deepEqual(await s.getConnectorFlag('store-1'), { enabled: false, updatedAt: new Date(T0).toISOString() }, 'unchanged: not rewritten');
    await s.setConnectorEnabled('store-1', true, T0 + 9);
    assert.deepEqual(await s.getConnectorFlag('store-1'), { enabled: true, updatedAt: new Date(T0 + 9).toISOString() });
    await assert.rejects(s.sendCommand('store-1', { type: 'stop' } as never), ValidationError);
    await s.close();
  });

  it('connectionConfig(): a URL storage gives its URL; a host pool’s settings without the pool-only ones', async () => {
    const own = await PostgresStorage.open({ url: PG_URL, max: 1, schema: fixture.schema() });
    assert.equal(own.connectionConfig().connectionString, PG_URL);
    await own.close();
    const pool = new pg.Pool({ connectionString: PG_URL, max: 3, idleTimeoutMillis: 1_000 });
    const hosted = await PostgresStorage.open({ pool, schema: fixture.schema() });
    const config = hosted.connectionConfig() as Record<string, unknown>;
    assert.equal(config.connectionString, PG_URL);
    assert.equal(config.max, undefined);
    assert.equal(config.idleTimeoutMillis, undefined);
    assert.equal(hosted.pool, pool);
    await hosted.close();
    await pool.end();
  });

  it('options are validated, each error naming its field', async () => {
    const refused = async (options: unknown, pattern: RegExp) =>
      assert.rejects(PostgresStorage.open(options as never), (err: unknown) => err instanceof ValidationError && pattern.test(err.message));
    await refused({}, /storage: expected pool .* or url/);
    await refused({ url: PG_URL, pool: fixture.pool }, /storage: give either pool or url, not both/);
    await refused({ url: 'mysql://x' }, /storage\.url: expected a connection URL/);
    await refused({ url: PG_URL, schema: 'Bad-Name' }, /storage\.schema: expected a PostgreSQL schema name/);
    await refused({ url: PG_URL, max: 0 }, /storage\.max/);
    await refused({ pool: {} }, /storage\.pool: expected a pg\.Pool/);
    await refused({ url: PG_URL, retry: { attempts: 0 } }, /storage\.retry\.attempts/);
    await refused({ url: PG_URL, nope: 1 }, /nope/);
  });
});
