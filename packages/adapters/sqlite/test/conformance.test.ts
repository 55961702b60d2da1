import { after, describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { runStorageConformance } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { DB_VERSION } from '../src/schema.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('conformance');
after(() => tmp.cleanup());
let n = 0;

/** A file whose schema version a newer shopsync set. */
function writtenByNewer() {
  const path = tmp.file(`newer-${++n}.sqlite`);
  const raw = new Sqlite(path);
  raw.pragma(`user_version = ${DB_VERSION + 1}`);
  raw.close();
  return { open: () => SqliteStorage.open({ path }), found: DB_VERSION + 1, expected: DB_VERSION };
}

runStorageConformance({ describe, it }, { name: 'SQLite (file, WAL)', backend: 'sqlite', create: () => SqliteStorage.open({ path: tmp.file(`db-${++n}.sqlite`) }), writtenByNewer });
runStorageConformance({ describe, it }, { name: 'SQLite (:memory:)', backend: 'sqlite', create: () => SqliteStorage.open({ path: ':memory:' }) });
