/**
 * Schema versions: ten storages opening at once (each on a pool of its own, so ten connections
 * racing) migrate a schema once, from nothing and from every earlier version; a schema newer
 * than this code is refused with nothing changed; an up-to-date schema is only read.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageVersionError, type ItemStatus } from '@shopsync/core';
import { toQueueEntries, connectorRecord } from '@shopsync/core/testing';
import { SCHEMA_VERSION, bucketOf } from '@shopsync/core/internal';
import { PostgresStorage } from '@shopsync/postgres';
import { DB_VERSION, MIGRATIONS, migrate, migrationLockKey, quoted } from '../src/migrations.js';
import { PG_URL, dumpSchema, newPool, pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('migrations');
const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);

/** Ten storages opened at once on `schema`, each with a pool (one connection) of its own. */
async function openTen(schema: string): Promise<PromiseSettledResult<PostgresStorage>[]> {
  const opened = await Promise.allSettled(Array.from({ length: 10 }, () => PostgresStorage.open({ url: PG_URL, max: 1, schema })));
  for (const r of opened) if (r.status === 'fulfilled') await r.value.close();
  return opened;
}

async function versions(schema: string): Promise<number[]> {
  const { rows } = await pg.pool.query<{ version: number }>(`SELECT version FROM ${quoted(schema)}.schema_version ORDER BY version`);
  return rows.map((r) => r.version);
}

const product = (ref: string, title: string) => ({ entity: 'product' as const, op: 'upsert' as const, ref, data: { title } });
const entry = (ref: string, title: string, seq: number) => ({ v: SCHEMA_VERSION, key: `product:${ref}`, entity: 'product', ref, change: product(ref, title), force: false, seq, enqueuedAt: new Date(T0).toISOString() });

/**
 * Rows as version 1 wrote them: P1 and P2 in flight in lease L1, P2 having taken a newer change
 * since (its row keeps the entry handed out in `flying`), P3 queued and free.
 */
const V1_ROWS = (s: string) => `
  INSERT INTO ${s}.meta VALUES ('${C}', 4, 0, 3, 0);
  INSERT INTO ${s}.leases VALUES ('${C}', 'L1', ${T0 + 60_000});
  INSERT INTO ${s}.items (connector, key, pending, force, enqueued_at, ob, os, vp, outcome, u, st, lease_id, lease_seq, flying) VALUES
    ('${C}', 'product:P1', '${JSON.stringify(product('P1', 'One'))}', false, ${T0}, ${bucketOf('product', 'upsert')}, 1, NULL, NULL, ${T0}, 'pending', 'L1', 1, NULL),
    ('${C}', 'product:P2', '${JSON.stringify(product('P2', 'Two, newer'))}', false, ${T0}, ${bucketOf('product', 'upsert')}, 4, NULL, NULL, ${T0}, 'pending', 'L1', 2, '${JSON.stringify(entry('P2', 'Two', 2))}'),
    ('${C}', 'product:P3', '${JSON.stringify(product('P3', 'Three'))}', false, ${T0}, ${bucketOf('product', 'upsert')}, 3, NULL, NULL, ${T0}, 'pending', NULL, NULL, NULL);
`;

/** The same, as version 2 wrote them (what the lease handed out in its row), and the connector's flag, set alone (disabled). */
const V2_ROWS = (s: string) => `
  INSERT INTO ${s}.connector VALUES ('${C}', false, ${T0});
  INSERT INTO ${s}.meta VALUES ('${C}', 4, 0, 3, 0);
  INSERT INTO ${s}.items (connector, key, pending, force, enqueued_at, ob, os, vp, outcome, u, st) VALUES
    ('${C}', 'product:P1', '${JSON.stringify(product('P1', 'One'))}', false, ${T0}, ${bucketOf('product', 'upsert')}, 1, NULL, NULL, ${T0}, 'pending'),
    ('${C}', 'product:P2', '${JSON.stringify(product('P2', 'Two, newer'))}', false, ${T0}, ${bucketOf('product', 'upsert')}, 4, NULL, NULL, ${T0}, 'pending'),
    ('${C}', 'product:P3', '${JSON.stringify(product('P3', 'Three'))}', false, ${T0}, ${bucketOf('product', 'upsert')}, 3, NULL, NULL, ${T0}, 'pending');
  INSERT INTO ${s}.leases (connector, id, expires_at, ids, keys, seqs, superseded)
    SELECT '${C}', 'L1', ${T0 + 60_000}, array_agg(id ORDER BY key), array_agg(key ORDER BY key), '{1,2}', '[${JSON.stringify(entry('P2', 'Two', 2))}]'
    FROM ${s}.items WHERE key IN ('product:P1', 'product:P2');
`;

const REGISTERED = connectorRecord('store-2', {}, { schedule: { everyMs: 600_000 } });
const THROTTLE = { at: new Date(T0 + 5).toISOString(), capacity: 2000, available: 1500.5, restoreRate: 100 };

/**
 * The same as version 3 wrote them, and a connector of the registry, store-2: it ran, and was
 * released until its schedule's next turn, with the store's throttle state.
 */
const V3_ROWS = (s: string) => `
  ${V2_ROWS(s)}
  INSERT INTO ${s}.connector (id, enabled, updated_at, record, open, last_claim_at, last_release_at, next_run_at, throttle)
    VALUES ('${REGISTERED.config.id}', true, ${T0}, '${JSON.stringify(REGISTERED)}', false, ${T0}, ${T0 + 10}, ${T0 + 600_010}, '${JSON.stringify(THROTTLE)}');
`;

/** Rows in each version's format, written after migrating to it (index: version - 1). */
const ROWS_AT: ReadonlyArray<(s: string) => string> = [V1_ROWS, V2_ROWS, V3_ROWS];

/** A schema brought to `version` by the migrations of that time, holding rows in that version's format. */
async function atVersion(schema: string, version: number): Promise<void> {
  const client = await pg.pool.connect();
  try {
    await client.query('BEGIN');
    await migrate({ query: async (text, values) => (await client.query(text, values as unknown[])).rows as never[] }, schema, schema, version);
    await client.query(ROWS_AT[version - 1]!(quoted(schema)));
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const complete = (ref: string): ItemStatus => ({ v: SCHEMA_VERSION, entity: 'product', ref, op: 'upsert', status: 'complete', errors: [], syncEventId: 'evt-1', updatedAt: new Date(T0 + 1000).toISOString(), consecutiveFailures: 0 });

pgDescribe('PostgreSQL schema migrations', () => {
  it(`10 opens at once on an empty database migrate it once, to version ${DB_VERSION}, and all succeed`, { timeout: 60_000 }, async () => {
    const schema = pg.schema();
    const opened = await openTen(schema);
    assert.deepEqual(
      opened.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')),
      Array<string>(10).fill('ok'),
    );
    // Each version is recorded once (its primary key): a second run of a migration would have failed an open.
    assert.deepEqual(await versions(schema), Array.from({ length: DB_VERSION }, (_, i) => i + 1));
    const s = await PostgresStorage.open({ pool: pg.pool, schema });
    assert.equal(await s.version(), DB_VERSION);
    assert.deepEqual(await s.enqueue(C, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }]).entries, T0), { categories: 0, products: 1, variants: 0 });
    await s.close();
  });

  for (let from = 1; from < DB_VERSION; from++) {
    it(`a version ${from} schema is upgraded once by 10 opens at once, keeping its data`, { timeout: 60_000 }, async () => {
      const schema = pg.schema();
      await atVersion(schema, from);
      const opened = await openTen(schema);
      assert.ok(opened.every((r) => r.status === 'fulfilled'));
      assert.deepEqual(await versions(schema), Array.from({ length: DB_VERSION }, (_, i) => i + 1));
      // The lease live at the upgrade ends as it would have: P1 finished; P2, which took a newer change meanwhile, pending with it.
      const s = await PostgresStorage.open({ pool: pg.pool, schema });
      assert.deepEqual(await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 500 }).then((l) => l?.items.map((e) => e.key)), ['product:P3'], 'only P3 is free');
      assert.deepEqual(await s.ack(C, 'L1', { items: [complete('P1'), complete('P2')], now: T0 + 1000 }), { categories: 0, products: 2, variants: 0 });
      const [p1, p2] = await s.getItems(C, ['product:P1', 'product:P2']);
      assert.equal(p1!.status, 'complete');
      assert.equal(p2!.status, 'pending');
      const next = await s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 + 2000 });
      assert.deepEqual(next?.items.map((e) => [e.key, e.change.op === 'upsert' && e.change.entity === 'product' ? e.change.data.title : '']), [['product:P2', 'Two, newer']]);
      if (from >= 2) {
        // The flag set alone survives; the connector is not in the registry until a host registers it.
        assert.deepEqual(await s.getConnectorFlag(C), { enabled: false, updatedAt: new Date(T0).toISOString() });
        assert.equal(await s.getConnector(C), undefined);
        assert.equal(await s.createConnector(connectorRecord(C, { enabled: false })), true);
        assert.equal((await s.getConnector(C))?.config.enabled, false);
      }
      if (from >= 3) {
        // A registered connector keeps its record and fleet state, with no run requested; a request lifts its hold.
        assert.deepEqual(await s.getConnector('store-2'), REGISTERED);
        assert.deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 3000, leaseMs: 60_000, limit: 10 }), [], 'held until its next turn, nothing requested');
        assert.equal(await s.requestRun('store-2', T0 + 3000), true);
        assert.deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 3001, leaseMs: 60_000, limit: 10 }), [{ record: REGISTERED, claimUntil: T0 + 63_001, throttle: THROTTLE, runRequestedAt: T0 + 3000 }]);
      }
      await s.close();
    });
  }

  it('a schema that exists but is empty (made by an administrator) is migrated', async () => {
    const schema = pg.schema();
    await pg.pool.query(`CREATE SCHEMA ${quoted(schema)}`);
    const s = await PostgresStorage.open({ pool: pg.pool, schema });
    assert.equal(await s.version(), DB_VERSION);
    await s.close();
  });

  it('a schema newer than this code is refused, and nothing is changed; the host pool stays open, a pool made from the URL is ended', async () => {
    const schema = pg.schema();
    const s = await PostgresStorage.open({ pool: pg.pool, schema });
    await s.enqueue(C, toQueueEntries([{ entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'One' } }]).entries, T0);
    await s.close();
    await pg.pool.query(`INSERT INTO ${quoted(schema)}.schema_version (version) VALUES ($1)`, [DB_VERSION + 1]);
    const before = await dumpSchema(pg.pool, schema);

    const pool = newPool(PG_URL, { max: 1 });
    const refused = (err: unknown) =>
      err instanceof StorageVersionError && err.code === 'storage_version_too_new' && err.found === DB_VERSION + 1 && err.expected === DB_VERSION && err.backend === 'postgres' && /Update shopsync.*nothing was changed/.test(err.message);
    await assert.rejects(PostgresStorage.open({ pool, schema }), refused);
    assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the host’s pool is still usable');
    await pool.end();
    const appName = `shopsync-mig-${process.pid}`;
    await assert.rejects(PostgresStorage.open({ url: `${PG_URL}?application_name=${appName}`, schema }), refused);
    // The server lists a backend a moment after its client has gone.
    let open = -1;
    for (let i = 0; i < 100 && open !== 0; i++, await sleep(10)) {
      open = (await pg.pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [appName])).rows[0].n;
    }
    assert.equal(open, 0, 'the pool made from the URL was ended');
    assert.deepEqual(await dumpSchema(pg.pool, schema), before, 'nothing was changed');
  });

  it('an up-to-date schema is only read at open: it opens while another transaction holds the migration lock', async () => {
    const schema = pg.schema();
    await (await PostgresStorage.open({ pool: pg.pool, schema })).close();
    const holder = await pg.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(schema)]);
      const s = await PostgresStorage.open({ pool: pg.pool, schema });
      await s.close();
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
  });

  it('the lock key is derived from the schema name, the same in every process and version', () => {
    assert.equal(migrationLockKey('shopsync'), migrationLockKey('shopsync'));
    assert.notEqual(migrationLockKey('shopsync'), migrationLockKey('tenant_2'));
    // Pinned: a change would let an old and a new process migrate one schema at once.
    assert.equal(migrationLockKey('shopsync'), '3283960049232302330');
    assert.equal(MIGRATIONS.length, DB_VERSION);
  });
});
