/**
 * The wire contract between `createSyncHandler` (server) and `HttpSyncSource` (browser): route
 * paths under the handler's base path, Server-Sent Event names and the JSON error body.
 * Nothing here imports Node or the DOM.
 */

/** Paths under the base path. `:id` is a sync event id, URI-encoded. */
export const PATHS = {
  state: '/state',
  events: '/events',
  event: (id: string) => `/events/${encodeURIComponent(id)}`,
  logs: (id: string) => `/events/${encodeURIComponent(id)}/logs`,
  items: '/items',
  itemErrors: '/items/errors',
  retryItem: '/items/retry',
  retryFailed: '/items/retry-failed',
  connector: '/connector',
  stream: '/stream',
} as const;

/**
 * Names of the stream's events. Every `SourceChange` is one `change` event whose data is the
 * change as JSON (its `type` inside). `ready` opens a fresh stream; `reset` opens a stream whose
 * `Last-Event-ID` could not be resumed (unknown, or older than the replay buffer): the client
 * missed changes and should read everything again. All three carry an `id:`.
 */
export const STREAM_EVENTS = { change: 'change', ready: 'ready', reset: 'reset' } as const;

/** Data of the `ready` and `reset` stream events. */
export interface StreamHello {
  connectorId: string;
  /** Why a stream was reset. */
  reason?: 'unknown_id' | 'expired';
}

/** Query parameter that carries the last event id for clients that cannot set the header. */
export const LAST_EVENT_ID_PARAM = 'lastEventId';

/** One field a request got wrong, as the server's error answer names it (an `HttpSourceError` carries them). */
export interface ErrorIssue {
  /** The offending field, e.g. `query.limit` or `body.enabled`. */
  path: string;
  message: string;
}

/** Body of every response that is not a 2xx. */
export interface ErrorBody {
  error: {
    /** Stable, safe to branch on: `invalid_input`, `not_found`, `forbidden`, `method_not_allowed`… */
    code: string;
    message: string;
    issues?: ErrorIssue[];
  };
}

/** Body of the retry actions. */
export interface QueuedBody {
  queued: number;
}
