/**
 * The queue's algebra against the plain model of test/support/queue-properties.ts, on IndexedDB
 * in Chromium: coalescing, product groups, lease order, acks, releases and exact counts. Each
 * run gets a database of its own, dropped after it.
 */
import { describe, it } from 'node:test';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { runQueueProperties } from '../../../../test/support/queue-properties.js';
import { dropDb, uniqueDbName } from './helpers.js';

/** Per property; each run opens and drops a database, so this is what fits in about 30 s here. */
const RUNS = 100;

runQueueProperties(
  { describe, it },
  {
    name: 'IndexedDB (Chromium)',
    create: () => IndexedDbStorage.open({ name: uniqueDbName('property') }),
    destroy: (s) => dropDb((s as IndexedDbStorage).name),
    runs: RUNS,
  },
);
