import { describe, it } from 'node:test';
import { runStorageConformance } from '@shopsync/core/testing';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { dropDb, uniqueDbName } from './helpers.js';

runStorageConformance(
  { describe, it },
  {
    name: 'IndexedDB (Chromium)',
    create: () => IndexedDbStorage.open({ name: uniqueDbName('conformance') }),
    destroy: (s) => dropDb((s as IndexedDbStorage).name),
  },
);
