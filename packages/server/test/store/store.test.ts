/**
 * The ServerStore implementations: the conformance suite on memory, on SQLite (a file per test
 * under the OS's temp folder, removed after) and on PostgreSQL (a schema per test, made by this
 * file's fixture and dropped when the file ends; skipped with a reason when the server is
 * unreachable, failed under CI=true), then what is particular to each SQL store
 * (sqlite-specific.ts, postgres-specific.ts): sharing the sync storage's file or schema, many
 * processes at once, damaged rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { MemoryServerStore } from '../../src/store/memory-store.js';
import { PostgresServerStore } from '../../src/store/postgres-store.js';
import { SqliteServerStore } from '../../src/store/sqlite-store.js';
import { pgDescribe, pgFixture } from '../../../adapters/postgres/test/helpers.js';
import { runServerStoreConformance } from './conformance.js';
import { postgresSpecificCases } from './postgres-specific.js';
import { sqliteSpecificCases, type TempFiles } from './sqlite-specific.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsync-server-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A fresh database file path, and what removes it (with its WAL files). */
const files: TempFiles = {
  file() {
    const path = join(dir, `store-${++n}.sqlite`);
    return { path, remove: () => ['', '-wal', '-shm'].forEach((x) => rmSync(path + x, { force: true })) };
  },
};

runServerStoreConformance('memory', async () => ({ store: new MemoryServerStore(), cleanup: async () => undefined }));

runServerStoreConformance('SQLite (a file per test)', async () => {
  const { path, remove } = files.file();
  return { store: SqliteServerStore.open({ path }), cleanup: async () => remove() };
});

const pg = pgFixture('server_store');

pgDescribe('PostgreSQL', () => {
  runServerStoreConformance('PostgreSQL (host pool, a schema per test)', async () => {
    const schema = pg.schema();
    return { store: PostgresServerStore.open({ pool: pg.pool, schema }), cleanup: () => pg.dropSchema(schema) };
  });
});

sqliteSpecificCases(files);
postgresSpecificCases(pg);
