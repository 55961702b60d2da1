/**
 * The queue's algebra against a plain model (core's `runQueueProperties`): coalescing,
 * product groups, the order of kinds, leases, acks, releases and exact counts, on SQLite:
 * `:memory:` (500 runs of each property), and a WAL file in a temp folder (100 runs: each opens,
 * and then deletes, a file): 6 s together on an idle 2-core machine, 13–17 s on a busy one.
 */
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { runQueueProperties } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { tempDir } from './helpers.js';

const tmp = tempDir('queue-property');
after(() => tmp.cleanup());
let n = 0;

runQueueProperties({ describe, it }, { name: 'SQLite (:memory:)', create: () => SqliteStorage.open({ path: ':memory:' }), runs: 500 });
runQueueProperties(
  { describe, it },
  {
    name: 'SQLite (file, WAL)',
    create: () => SqliteStorage.open({ path: tmp.file(`db-${++n}.sqlite`) }),
    destroy: (s) => {
      const { path } = s as SqliteStorage;
      for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
    },
    runs: 100,
  },
);
