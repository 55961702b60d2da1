// @shopsync/http, server side (Node): serve a SyncSource over HTTP + Server-Sent Events.
// The browser side is `@shopsync/http/client`.
export { createSyncHandler } from './server/handler.js';
export type { SyncHandler, SyncHandlerOptions, SyncRequest, SyncAction, AuthorizeHook } from './server/types.js';
export type { StreamStats } from './server/stream-hub.js';
export { PATHS, STREAM_EVENTS, LAST_EVENT_ID_PARAM } from './shared/protocol.js';
export type { ErrorBody, ErrorIssue, QueuedBody, StreamHello } from './shared/protocol.js';
