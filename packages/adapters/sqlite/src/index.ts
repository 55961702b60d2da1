/**
 * Durable embedded storage for server engines: a `StorageAdapter` of `@shopsync/core` on SQLite
 * (better-sqlite3, WAL), migrated on open.
 *
 * @packageDocumentation
 * @module @shopsync/sqlite
 */
export { SqliteStorage, PRAGMAS } from './storage.js';
export type { SqliteStorageOptions } from './storage.js';
