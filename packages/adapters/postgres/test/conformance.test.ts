/**
 * Core's StorageAdapter conformance suite on PostgreSQL: a fresh schema per test, on a pool of
 * the test's (the storage never ends a host's pool), and on a pool the storage makes from a URL.
 */
import { it } from 'node:test';
import { runStorageConformance } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { PG_URL, pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('conformance');
const host = { describe: pgDescribe, it };

runStorageConformance(host, {
  name: 'PostgreSQL (host pool, a schema per test)',
  create: () => PostgresStorage.open({ pool: pg.pool, schema: pg.schema() }),
  destroy: (s) => pg.dropSchema((s as PostgresStorage).schema),
});
runStorageConformance(host, {
  name: 'PostgreSQL (own pool from a URL)',
  create: () => PostgresStorage.open({ url: PG_URL, max: 2, schema: pg.schema() }),
  destroy: (s) => pg.dropSchema((s as PostgresStorage).schema),
});
