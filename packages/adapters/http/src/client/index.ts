// @shopsync/http/client, browser side: a SyncSource read from a server over fetch + EventSource.
// Imports nothing from Node (an eslint rule keeps it so).
export { HttpSyncSource } from './http-sync-source.js';
export type { HttpSyncSourceOptions } from './http-sync-source.js';
export { HttpSourceError } from './http-source-error.js';
export type { ErrorIssue } from '../shared/protocol.js';
