/**
 * The queue's algebra against a plain model (core's `runQueueProperties`): coalescing,
 * product groups, the order of kinds, leases, acks, releases and exact counts, on PostgreSQL.
 * One schema for the file, emptied after each run (a schema per run would spend most of the time
 * migrating): each run opens a storage on it, as a process would. 60 runs of each property took
 * 17–24 s alone on a busy 2-core machine (100 took 63 s beside another test file);
 * SHOPSYNC_PG_PROPERTY_RUNS sets another number.
 */
import { it } from 'node:test';
import { runQueueProperties } from '@shopsync/core/testing';
import { PostgresStorage } from '@shopsync/postgres';
import { pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('property');
const schema = pg.schema();
const TABLES = ['meta', 'items', 'leases', 'hashes', 'target_ids', 'events', 'logs', 'connector'];
const RUNS = Number(process.env.SHOPSYNC_PG_PROPERTY_RUNS ?? 60);

runQueueProperties(
  { describe: pgDescribe, it },
  {
    name: 'PostgreSQL',
    create: () => PostgresStorage.open({ pool: pg.pool, schema }),
    destroy: async () => {
      await pg.pool.query(TABLES.map((t) => `DELETE FROM "${schema}".${t};`).join(" "));
    },
    runs: RUNS,
  },
);
