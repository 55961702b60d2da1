/**
 * The queue's algebra against a plain model (test/support/queue-properties.ts): coalescing,
 * product groups, the order of kinds, leases, acks, releases and exact counts, on PostgreSQL.
 * One schema for the file, emptied after each run (a schema per run would spend most of the time
 * migrating): each run opens a storage on it, as a process would.
 */
import { it } from 'node:test';
import { PostgresStorage } from '@shopsync/postgres';
import { runQueueProperties } from '../../../../test/support/queue-properties.js';
import { pgDescribe, pgFixture } from './helpers.js';

const pg = pgFixture('property');
const schema = pg.schema();
const TABLES = ['meta', 'items', 'leases', 'hashes', 'target_ids', 'events', 'logs', 'connector'];
const RUNS = Number(process.env.SHOPSYNC_PG_PROPERTY_RUNS ?? 150);

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
