/**
 * The queue's algebra against the plain model of core's `runQueueProperties`, on IndexedDB
 * in Chromium: coalescing, product groups, lease order, acks, releases and exact counts. Each
 * run gets a database of its own, dropped after it.
 */
import { describe, it } from 'node:test';
import { runQueueProperties } from '@shopsync/core/testing';
import { IndexedDbStorage } from '@shopsync/indexeddb';
import { dropDb, uniqueDbName } from './helpers.js';

/**
 * Per property. Each run opens and drops a database: 70 runs took 15 s in a quiet Chromium and
 * 100 took 47 s on a busy 2-core machine, so 70 keep the file within about 35 s.
 */
const RUNS = 70;

runQueueProperties(
  { describe, it },
  {
    name: 'IndexedDB (Chromium)',
    create: () => IndexedDbStorage.open({ name: uniqueDbName('property') }),
    destroy: (s) => dropDb((s as IndexedDbStorage).name),
    runs: RUNS,
  },
);
