import { describe, it } from 'node:test';
import { runStorageConformance } from '@shopsync/core/testing';
import { openDB } from 'idb';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { DB_VERSION } from '../src/schema.js';
import { dropDb, uniqueDbName } from './helpers.js';

/** A database a newer version of the application upgraded: one version past this code's. */
async function writtenByNewer() {
  const name = uniqueDbName('newer');
  (await openDB(name, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') })).close();
  return { open: () => IndexedDbStorage.open({ name }), found: DB_VERSION + 1, expected: DB_VERSION, cleanup: () => dropDb(name) };
}

runStorageConformance(
  { describe, it },
  {
    name: 'IndexedDB (Chromium)',
    backend: 'indexeddb',
    create: () => IndexedDbStorage.open({ name: uniqueDbName('conformance') }),
    destroy: (s) => dropDb((s as IndexedDbStorage).name),
    writtenByNewer,
  },
);
