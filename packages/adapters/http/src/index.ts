/**
 * The server half (Node) of a SyncSource over HTTP + Server-Sent Events: {@link createSyncHandler}
 * serves a server engine's source to `<shopsync-panel src="…">` from `node:http` or any framework
 * that speaks the Fetch API. The browser half is `@shopsync/http/client`.
 *
 * @packageDocumentation
 * @module @shopsync/http
 */
export { createSyncHandler } from './server/handler.js';
export type { SyncHandler, SyncHandlerOptions, SyncRequest, SyncAction, AuthorizeHook } from './server/types.js';
export type { StreamStats } from './server/stream-hub.js';
