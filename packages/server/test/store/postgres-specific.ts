/**
 * What is particular to PostgresServerStore: many processes at once (ten migrations of a fresh
 * schema, alone and beside the sync storage's own; four dispatchers on separate pools claiming
 * 200 deliveries, none claimed twice), its own version row, the host's pool left open, options
 * checked, and damaged rows (written with raw SQL) refused with an error naming table, row and
 * field, a claim or attempt that meets one rolled back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type pg from 'pg';
import { StorageVersionError } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { PostgresServerStore } from '../../src/store/postgres-store.js';
import { SERVER_SCHEMA_VERSION } from '../../src/store/rules.js';
import type { DeliveryRecord } from '../../src/store/types.js';
import { newPool, pgDescribe, type pgFixture } from '../../../adapters/postgres/test/helpers.js';
import { apiKey, delivery, ids, rejectsWith, started, T0 } from './conformance-helpers.js';
import { refusedAsDamaged } from './sqlite-specific.js';

type Fixture = ReturnType<typeof pgFixture>;

/** The PostgreSQL store's own cases, on the test file's fixture. */
export function postgresSpecificCases(pg: Fixture): void {
  pgDescribe('PostgresServerStore', () => {
    /** Runs `fn` on a store of a fresh migrated schema. */
    async function withSchema(fn: (store: PostgresServerStore, schema: string) => Promise<void>): Promise<void> {
      const schema = pg.schema();
      const store = PostgresServerStore.open({ pool: pg.pool, schema });
      try {
        await store.migrate();
        await fn(store, schema);
      } finally {
        await store.close();
        await pg.dropSchema(schema);
      }
    }

    it('ten migrate() at once on a fresh schema (ten pools): migrated once, one version row', async () => {
      const schema = pg.schema();
      const pools = Array.from({ length: 10 }, () => newPool(undefined, { max: 1 }));
      try {
        const stores = pools.map((pool) => PostgresServerStore.open({ pool, schema }));
        await Promise.all(stores.map((s) => s.migrate()));
        const meta = await pg.pool.query(`SELECT name, value FROM "${schema}".server_meta`);
        assert.deepEqual(meta.rows, [{ name: 'schema_version', value: '1' }]);
        const tables = await pg.pool.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
        assert.deepEqual(
          tables.rows.map((r) => r.t),
          ['server_api_keys', 'server_credentials', 'server_deliveries', 'server_idempotency', 'server_meta', 'server_settings', 'server_webhooks'],
        );
        await stores[3]!.createApiKey(apiKey('k1', T0));
        assert.equal((await stores[7]!.getApiKey('k1'))?.id, 'k1');
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await Promise.all(pools.map((p) => p.end()));
        await pg.dropSchema(schema);
      }
    });

    it("migrates beside the sync storage (@shopsync/postgres) on one fresh schema at once, leaving it its schema_version", async () => {
      const schema = pg.schema();
      const pools = Array.from({ length: 6 }, () => newPool(undefined, { max: 2 }));
      try {
        const work = pools.map((pool, i) => (i % 2 === 0 ? PostgresStorage.open({ pool, schema }).then((s) => s.close()) : PostgresServerStore.open({ pool, schema }).migrate()));
        await Promise.all(work);
        const sync = await PostgresStorage.open({ pool: pg.pool, schema });
        assert.ok((await sync.version()) >= 1);
        await sync.close();
        const meta = await pg.pool.query(`SELECT value FROM "${schema}".server_meta`);
        assert.deepEqual(meta.rows, [{ value: '1' }]);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
        await pg.dropSchema(schema);
      }
    });

    it('four dispatchers on separate pools claim 200 deliveries at once: each delivery claimed and recorded exactly once', async () => {
      const schema = pg.schema();
      const pools = Array.from({ length: 4 }, () => newPool(undefined, { max: 2 }));
      try {
        const stores = pools.map((pool) => PostgresServerStore.open({ pool, schema }));
        await stores[0]!.migrate();
        const all = Array.from({ length: 200 }, (_, i) => delivery(`d${String(i).padStart(3, '0')}`, { nextAttemptAt: T0 - (i % 17) }));
        await stores[0]!.addDeliveries(all);
        const claimed = new Map<string, string>();
        const dispatch = async (store: PostgresServerStore, worker: string): Promise<number> => {
          let rounds = 0;
          for (;;) {
            const batch: DeliveryRecord[] = await store.claimDeliveries({ worker, now: T0, leaseMs: 60_000, limit: 7 });
            if (batch.length === 0) return rounds;
            rounds++;
            for (const d of batch) {
              assert.equal(claimed.get(d.id), undefined, `${d.id} claimed by ${claimed.get(d.id)} and ${worker}`);
              claimed.set(d.id, worker);
              assert.equal(d.claimedBy, worker);
            }
            const results = await Promise.all(batch.map((d) => store.recordAttempt(d.id, worker, { at: T0, status: 200, durationMs: 1 }, { state: 'succeeded' })));
            assert.ok(results.every(Boolean));
          }
        };
        const rounds = await Promise.all(stores.map((s, i) => dispatch(s, `w${i}`)));
        assert.equal(claimed.size, 200);
        assert.ok(rounds.filter((r) => r > 0).length >= 2, `work was shared: ${rounds.join(', ')}`);
        const counts = await pg.pool.query(`SELECT state, count(*)::int AS n, min(jsonb_array_length(attempts)) AS lo, max(jsonb_array_length(attempts)) AS hi FROM "${schema}".server_deliveries GROUP BY state`);
        assert.deepEqual(counts.rows, [{ state: 'succeeded', n: 200, lo: 1, hi: 1 }]);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await Promise.all(pools.map((p) => p.end()));
        await pg.dropSchema(schema);
      }
    });

    it('refuses tables of a newer version (storage_version_too_new)', () =>
      withSchema(async (store, schema) => {
        await pg.pool.query(`UPDATE "${schema}".server_meta SET value = 99`);
        await rejectsWith(store.migrate(), 'storage_version_too_new');
        await assert.rejects(
          PostgresServerStore.open({ pool: pg.pool, schema }).migrate(),
          (err: unknown) => err instanceof StorageVersionError && err.backend === 'postgres' && err.found === 99 && err.expected === SERVER_SCHEMA_VERSION,
        );
      }));

    it("close() leaves the host's pool open; the default schema is @shopsync/postgres's", async () => {
      const store = PostgresServerStore.open({ pool: pg.pool });
      assert.equal(store.schema, 'shopsync');
      await store.close();
      assert.equal((await pg.pool.query('SELECT 1 AS one')).rows[0].one, 1);
    });

    it('open() refuses a schema that is not a plain identifier, and a pool that is not one (invalid_input)', () => {
      for (const schema of ['Shopsync', 'a-b', 'x"; DROP SCHEMA public; --', '', '1abc']) {
        assert.throws(() => PostgresServerStore.open({ pool: pg.pool, schema }), (err: unknown) => (err as { code?: string }).code === 'invalid_input' && /schema/.test((err as Error).message));
      }
      assert.throws(() => PostgresServerStore.open({ pool: {} as pg.Pool }), (err: unknown) => (err as { code?: string }).code === 'invalid_input');
    });

    describe('damaged rows are refused, naming table, row and field', () => {
      /** A store holding a key, an idempotency record and three deliveries, then damaged by `sql` (`$s`: the schema). */
      async function damaged(sql: string, fn: (store: PostgresServerStore, raw: (q: string) => Promise<pg.QueryResult>) => Promise<void>): Promise<void> {
        await withSchema(async (store, schema) => {
          await store.createApiKey(apiKey('k1', T0, { scopes: ['ingest', 'read'] }));
          await store.beginIdempotent(started('c1', 'idem-1', T0), 0);
          await store.addDeliveries([delivery('d1', { nextAttemptAt: T0 - 2 }), delivery('d2', { nextAttemptAt: T0 - 1 }), delivery('d3')]);
          const raw = (q: string) => pg.pool.query(q.replaceAll('$s', `"${schema}"`));
          await raw(sql);
          await fn(store, raw);
        });
      }

      it('server_api_keys: jsonb of the wrong shape, a scope unknown, a time beyond safe integers', async () => {
        await damaged(`UPDATE $s.server_api_keys SET scopes = '"admin"'`, (s) => refusedAsDamaged(s.getApiKey('k1'), 'server_api_keys', 'id "k1"', 'scopes'));
        await damaged(`UPDATE $s.server_api_keys SET scopes = '["ingest", 5]'`, (s) => refusedAsDamaged(s.listApiKeys(), 'server_api_keys', 'id "k1"', 'scopes[1]'));
        await damaged(`UPDATE $s.server_api_keys SET created_at = 1152921504606846976`, (s) => refusedAsDamaged(s.getApiKey('k1'), 'server_api_keys', 'id "k1"', 'created_at'));
      });

      it('server_idempotency: a state unknown', () =>
        damaged(`UPDATE $s.server_idempotency SET state = 'finished'`, (s) => refusedAsDamaged(s.beginIdempotent(started('c1', 'idem-1', T0 + 1), 0), 'server_idempotency', 'connector "c1", key "idem-1"', 'state')));

      it('server_deliveries: a read, a list and a claim that meet a damaged attempt are refused; the claim is rolled back whole', () =>
        damaged(`UPDATE $s.server_deliveries SET attempts = '[{"at": 1}]' WHERE id = 'd2'`, async (s, raw) => {
          await refusedAsDamaged(s.getDelivery('d2'), 'server_deliveries', 'id "d2"', 'attempts[0].durationMs');
          await refusedAsDamaged(s.listDeliveries({ connectorId: 'c1', offset: 0, limit: 10 }), 'server_deliveries', 'id "d2"', 'attempts[0].durationMs');
          await refusedAsDamaged(s.claimDeliveries({ worker: 'w1', now: T0, leaseMs: 1000, limit: 10 }), 'server_deliveries', 'id "d2"', 'attempts[0].durationMs');
          const left = await raw(`SELECT count(*)::int AS n FROM $s.server_deliveries WHERE claimed_by IS NOT NULL`);
          assert.equal(left.rows[0].n, 0);
        }));

      it('server_deliveries: a state unknown; recordAttempt on a damaged row is rolled back', () =>
        damaged(`UPDATE $s.server_deliveries SET state = 'lost' WHERE id = 'd3'`, async (s, raw) => {
          await refusedAsDamaged(s.getDelivery('d3'), 'server_deliveries', 'id "d3"', 'state');
          assert.deepEqual(ids(await s.claimDeliveries({ worker: 'w1', now: T0, leaseMs: 1000, limit: 1 })), ['d1']);
          await raw(`UPDATE $s.server_deliveries SET attempts = '[{"at": "x", "durationMs": 1}]' WHERE id = 'd1'`);
          await refusedAsDamaged(s.recordAttempt('d1', 'w1', { at: T0, status: 200, durationMs: 1 }, { state: 'succeeded' }), 'server_deliveries', 'id "d1"', 'attempts[0].at');
          const row = await raw(`SELECT state, claimed_by, jsonb_array_length(attempts) AS n FROM $s.server_deliveries WHERE id = 'd1'`);
          assert.deepEqual(row.rows[0], { state: 'pending', claimed_by: 'w1', n: 1 });
        }));
    });
  });
}
