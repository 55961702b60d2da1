import { after, describe, it } from 'node:test';
import { runStorageConformance } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { tempDir } from './helpers.js';

const tmp = tempDir('conformance');
after(() => tmp.cleanup());
let n = 0;

runStorageConformance({ describe, it }, { name: 'SQLite (file, WAL)', create: () => SqliteStorage.open({ path: tmp.file(`db-${++n}.sqlite`) }) });
runStorageConformance({ describe, it }, { name: 'SQLite (:memory:)', create: () => SqliteStorage.open({ path: ':memory:' }) });
