import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SyncSource } from '@shopsync/core';
import type { StreamStats } from './stream-hub.js';

/** The actions a user may take through the handler; each passes the host's `authorize` hook. */
export type SyncAction = 'retryItem' | 'retryFailed' | 'setEnabled';

interface SyncRequestBase {
  /** Upper case, e.g. `POST`. */
  method: string;
  /** The full URL (the host from the `Host` header for Node requests; do not trust it for security). */
  url: URL;
  /** The request headers (cookies, authorization, origin…), the same type in both variants. */
  headers: Headers;
}

/**
 * A request as `authorize` and `onError` see it: method, URL and headers in one shape for both
 * variants, and the native request (`IncomingMessage` or `Request`) for anything a framework
 * attached to it (a session, a user).
 */
export type SyncRequest = (SyncRequestBase & { kind: 'node'; native: IncomingMessage }) | (SyncRequestBase & { kind: 'fetch'; native: Request });

/** Decides whether `request` may take `action`. Anything but `true` refuses it (403); a throw is a 500. */
export type AuthorizeHook = (request: SyncRequest, action: SyncAction) => boolean | Promise<boolean>;

/**
 * How `createSyncHandler` serves a source: the source, the path it answers under, who may take
 * actions, and the stream's heartbeat, replay buffer and size limits.
 */
export interface SyncHandlerOptions {
  /** What to serve; usually a `LocalSyncSource` over the server's engine. */
  source: SyncSource;
  /** Path the routes are mounted under, e.g. `/api/sync` (default: the root). Requests outside it are not handled. */
  basePath?: string;
  /**
   * Asked before every action (retry an item, retry failed items, enable or disable the
   * connector). Without it every action is refused with 403: reads need no hook, actions do.
   */
  authorize?: AuthorizeHook;
  /** Interval of the stream's heartbeat comments, in ms (default 15,000). */
  heartbeatMs?: number;
  /** The `retry:` hint: how long a browser waits before reconnecting a dropped stream, in ms (default 2,000). */
  retryMs?: number;
  /** Changes kept so that a client reconnecting with `Last-Event-ID` misses none (default 1,000 messages). */
  replayBufferSize?: number;
  /** The same buffer's limit in bytes (default 8 MiB); the oldest messages go first. */
  replayBufferBytes?: number;
  /**
   * Bytes a stream may hold unsent per client (default 256 KiB). Past it, nothing more is
   * written to that client until its connection drains; a client that falls behind the replay
   * buffer, or does not drain for four heartbeats, is disconnected (it reconnects and resumes,
   * or is told to reload). Memory per client stays bounded by this.
   */
  clientBufferLimit?: number;
  /** Largest accepted request body in bytes (default 16 KiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /**
   * Strings that must never appear in a response, e.g. the store's access token: replaced with
   * `[REDACTED]` in every response and stream message (defence in depth; core already keeps
   * credentials out of everything it stores and emits). A function is asked at each response, so
   * credentials that rotate can be given as `() => provider.secrets()`.
   */
  secrets?: readonly string[] | (() => readonly string[]);
  /** Told about errors the source threw (answered with a safe 500); default: `console.error`. */
  onError?: (error: unknown, request: SyncRequest) => void;
}

/** Serves a `SyncSource` over HTTP and Server-Sent Events; see `createSyncHandler`. */
export interface SyncHandler {
  /** The normalized base path ('' for the root). */
  readonly basePath: string;
  /**
   * Handles a Node request. Resolves `true` once it has answered, `false` (without touching
   * `res`) when the URL is outside the base path, so that the host can answer it.
   */
  node(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Handles a fetch-style request: the response, or undefined when the URL is outside the base path. */
  fetch(request: Request): Promise<Response | undefined>;
  /** Open streams, their unsent bytes and the replay buffer, for monitoring. */
  stats(): StreamStats;
  /** Unsubscribes from the source and ends every open stream; later requests get 503. */
  close(): void;
}
