/**
 * The demo's database: SQLite by default (a file in the data directory), or PostgreSQL with
 * `--database postgres://…`, where the demo keeps its tables in a schema of its own
 * (`shopsync_demo`), so that it shares a database with anything else without touching it.
 * `--fresh` forgets the history: it deletes the SQLite file, or drops that schema.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import type { StorageAdapter } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { SqliteStorage } from '@shopsync/sqlite';
import type { DemoDatabase } from './options.js';

/** The engine's storage, and where it is, as the demo's log names it (never with a password). */
export interface OpenDatabase {
  storage: StorageAdapter;
  where: string;
}

/**
 * Opens the demo's storage: `database` as the options say, `sqliteDefault` the file used when
 * they name none; with `fresh`, its earlier contents are forgotten first.
 */
export async function openDemoDatabase(database: DemoDatabase, options: { sqliteDefault: string; fresh: boolean }): Promise<OpenDatabase> {
  if (database.kind === 'sqlite') {
    const path = database.path ?? options.sqliteDefault;
    if (options.fresh) for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    return { storage: SqliteStorage.open({ path }), where: path };
  }
  if (options.fresh) await dropSchema(database.url, database.schema);
  // Migrated on open: the schema and its tables are created when missing.
  const storage = await PostgresStorage.open({ url: database.url, schema: database.schema, max: 4 });
  return { storage, where: storage.database };
}

/** Drops the demo's schema (and every table in it); nothing else of the database is touched. */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'shopsync-demo', connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new Error(`--fresh could not drop the PostgreSQL schema "${schema}" (${err instanceof Error ? err.message : String(err)}${code ? `, ${code}` : ''}): check that the server is running and reachable.`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}
