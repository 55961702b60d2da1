/**
 * Core's StorageAdapter conformance suite on PostgreSQL: a fresh schema per test, on a pool of
 * the test's (the storage never ends a host's pool), and on a pool the storage makes from a URL.
 */
import { it } from 'node:test';
import { runStorageConformance } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { DB_VERSION, quoted } from '../src/migrations.js';
import { PG_URL, pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('conformance');
const host = { describe: pgDescribe, it };

/** A schema a newer shopsync migrated: one version past this code's. */
async function writtenByNewer() {
  const schema = pg.schema();
  await (await PostgresStorage.open({ pool: pg.pool, schema })).close();
  await pg.pool.query(`INSERT INTO ${quoted(schema)}.schema_version (version) VALUES ($1)`, [DB_VERSION + 1]);
  return { open: () => PostgresStorage.open({ pool: pg.pool, schema }), found: DB_VERSION + 1, expected: DB_VERSION, cleanup: () => pg.dropSchema(schema) };
}

runStorageConformance(host, {
  name: 'PostgreSQL (host pool, a schema per test)',
  backend: 'postgres',
  create: () => PostgresStorage.open({ pool: pg.pool, schema: pg.schema() }),
  destroy: (s) => pg.dropSchema((s as PostgresStorage).schema),
  writtenByNewer,
});
runStorageConformance(host, {
  name: 'PostgreSQL (own pool from a URL)',
  backend: 'postgres',
  create: () => PostgresStorage.open({ url: PG_URL, max: 2, schema: pg.schema() }),
  destroy: (s) => pg.dropSchema((s as PostgresStorage).schema),
});
