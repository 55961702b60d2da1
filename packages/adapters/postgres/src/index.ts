/**
 * Storage for `@shopsync/core` on PostgreSQL, shared by many processes: {@link PostgresStorage}
 * (leases by `FOR UPDATE SKIP LOCKED`), and the live side across processes: a source that shows
 * what any process's engine writes ({@link PostgresSyncSource}) and the worker side that answers
 * the panel ({@link attachWorker}), over `LISTEN/NOTIFY`.
 *
 * @packageDocumentation
 * @module @shopsync/postgres
 */

// The storage (a StorageAdapter on PostgreSQL 14+, through node-postgres).
export { PostgresStorage } from './storage.js';
// Options of `PostgresStorage.open`: a host's pool or a URL, the schema, the retry after a lost connection.
export type { PostgresStorageOptions } from './options.js';

// Live across processes (live/): a source that shows what any process writes, and the worker side that answers the panel.
export { PostgresSyncSource } from './live/postgres-source.js';
export type { PostgresSyncSourceOptions } from './live/postgres-source.js';
export { attachWorker } from './live/worker.js';
export type { AttachWorkerOptions, AttachedWorker } from './live/worker.js';
// One LISTEN connection per storage, shared by its sources and workers, reconnecting with backoff.
export { NotificationHub } from './live/notification-hub.js';
export type { NotificationHandler, NotificationHubOptions, Listening } from './live/notification-hub.js';
// What the live side needs of a storage (`PostgresStorage` is one).
export type { LiveStorage, ConnectorFlag } from './live/live-storage.js';
