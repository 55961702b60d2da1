export { SqliteStorage, PRAGMAS } from './storage.js';
export type { SqliteStorageOptions } from './storage.js';
export { DB_VERSION, MIGRATIONS, migrate } from './schema.js';
export { StorageVersionError, StorageCorruptError, StorageReadOnlyError, StorageClosedError } from './errors.js';
export type { DamagedRecord } from './errors.js';
