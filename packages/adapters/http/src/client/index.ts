/**
 * The browser half of a SyncSource over HTTP + Server-Sent Events: {@link HttpSyncSource} reads a
 * server's source over fetch and EventSource (what `<shopsync-panel src="…">` uses). Imports nothing
 * from Node (an eslint rule keeps it so). The server half is `@shopsync/http`.
 *
 * @packageDocumentation
 * @module @shopsync/http/client
 */
export { HttpSyncSource } from './http-sync-source.js';
export type { HttpSyncSourceOptions } from './http-sync-source.js';
export { HttpSourceError } from './http-source-error.js';
export type { ErrorIssue } from '../shared/protocol.js';
