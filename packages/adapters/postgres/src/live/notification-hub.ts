import type { BackoffOptions } from '@shopsync/core';
import { backoffDelay } from '@shopsync/core/internal';
import pg from 'pg';
import type { LiveStorage } from './live-storage.js';

/** Who receives a channel's notifications. */
export interface NotificationHandler {
  /** One notification's payload ('' when it had none). */
  notify(payload: string): void;
  /**
   * The connection dropped and is listening again: whatever was sent on the channel in between
   * was lost, so what the handler holds must be read again.
   */
  reconnected(): void;
}

/** A handler's place on a channel. */
export interface Listening {
  /**
   * Resolves once notifications on the channel reach the handler. While the database cannot be
   * reached the hub keeps trying, so this may take a while; it also resolves on `close()`.
   */
  readonly ready: Promise<void>;
  /** Removes the handler; the connection closes with the last one. */
  close(): Promise<void>;
}

/**
 * How a `NotificationHub` keeps its LISTEN connection: the backoff between reconnections, the
 * heartbeat that finds a dead connection, its application name, and where to report failures.
 */
export interface NotificationHubOptions {
  /** Delays between attempts to connect again (exponential with jitter; default 250 ms to 10 s). */
  reconnect?: BackoffOptions;
  /** Interval of the `SELECT 1` that finds a connection dead without an error (half-open TCP); 0: none. Default 30 s. */
  heartbeatMs?: number;
  /** `application_name` of the connection, as `pg_stat_activity` shows it. Default `shopsync-live`. */
  applicationName?: string;
  /** Told every connection failure (the hub recovers from them by itself). */
  onError?: (err: unknown) => void;
}

interface Entry {
  handler: NotificationHandler;
  /** Has received notifications at least once (its `ready` resolved). */
  established: boolean;
  /** Was established when the connection dropped: `reconnected()` is owed. */
  dropped: boolean;
  resolve: () => void;
}

const hubs = new WeakMap<object, NotificationHub>();

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * One dedicated connection that LISTENs for a whole process, shared by every live source and
 * worker on the same storage (`NotificationHub.for(storage)`): a web process showing many
 * connectors holds one connection for them all, not one each.
 *
 * The connection opens with the first handler and closes with the last. When it fails (an
 * error, the server closed it, a heartbeat went unanswered) the hub connects again with
 * backoff, LISTENs again, and calls `reconnected()` on every handler that was listening:
 * notifications sent while it was down are gone, and handlers must read again.
 */
export class NotificationHub {
  /** The hub of a storage, made on first use (options apply only then). */
  static for(storage: Pick<LiveStorage, 'connectionConfig'>, options: NotificationHubOptions = {}): NotificationHub {
    let hub = hubs.get(storage);
    if (!hub) {
      hub = new NotificationHub(() => storage.connectionConfig(), options);
      hubs.set(storage, hub);
    }
    return hub;
  }

  readonly #config: () => pg.ClientConfig;
  readonly #reconnect: BackoffOptions;
  readonly #heartbeatMs: number;
  readonly #applicationName: string;
  readonly #onError: ((err: unknown) => void) | undefined;
  readonly #channels = new Map<string, Set<Entry>>();
  /** The connection, once it is listening. */
  #client: pg.Client | undefined;
  #pid: number | undefined;
  #listened = new Set<string>();
  #connecting = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #beating = false;
  #lastError: unknown;

  constructor(config: pg.ClientConfig | (() => pg.ClientConfig), options: NotificationHubOptions = {}) {
    this.#config = typeof config === 'function' ? config : () => config;
    this.#reconnect = options.reconnect ?? { baseMs: 250, maxMs: 10_000 };
    this.#heartbeatMs = options.heartbeatMs ?? 30_000;
    this.#applicationName = options.applicationName ?? 'shopsync-live';
    this.#onError = options.onError;
  }

  /** The connection is up and listening. */
  get connected(): boolean {
    return this.#client !== undefined;
  }

  /** The server process id of the listening connection (`pg_backend_pid()`), while connected. */
  get backendPid(): number | undefined {
    return this.#pid;
  }

  /** The latest connection failure, if any. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Calls `handler` with every notification on `channel` until `close()`. */
  listen(channel: string, handler: NotificationHandler): Listening {
    const entry: Entry = { handler, established: false, dropped: false, resolve: () => {} };
    const ready = new Promise<void>((resolve) => (entry.resolve = resolve));
    let set = this.#channels.get(channel);
    if (!set) this.#channels.set(channel, (set = new Set()));
    set.add(entry);
    const client = this.#client;
    if (client && this.#listened.has(channel)) this.#establish(entry);
    else if (client) void this.#listenOn(client, channel);
    else this.#ensure();
    return { ready, close: () => this.#remove(channel, entry) };
  }

  /** Removes every handler and closes the connection. */
  async close(): Promise<void> {
    for (const set of this.#channels.values()) for (const e of set) e.resolve();
    this.#channels.clear();
    await this.#shut();
  }

  async #remove(channel: string, entry: Entry): Promise<void> {
    entry.resolve();
    const set = this.#channels.get(channel);
    if (!set?.delete(entry) || set.size > 0) return;
    this.#channels.delete(channel);
    const client = this.#client;
    if (this.#channels.size === 0) return this.#shut();
    if (client && this.#listened.delete(channel)) await client.query(`UNLISTEN ${ident(channel)}`).catch(() => undefined);
  }

  #ensure(): void {
    if (this.#client || this.#connecting || this.#retryTimer || this.#channels.size === 0) return;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    this.#connecting = true;
    const client = new pg.Client({ ...this.#config(), keepAlive: true, application_name: this.#applicationName });
    client.on('error', (err) => this.#drop(client, err));
    client.on('end', () => this.#drop(client, new Error('The listening connection was closed.')));
    client.on('notification', (msg) => {
      if (client === this.#client) this.#dispatch(msg.channel, msg.payload ?? '');
    });
    try {
      await client.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const listened = new Set<string>();
      // Channels may be added while this runs: listen until none is left out.
      for (let todo = this.#unlistened(listened); todo.length > 0; todo = this.#unlistened(listened)) {
        for (const channel of todo) {
          await client.query(`LISTEN ${ident(channel)}`);
          listened.add(channel);
        }
      }
      this.#connecting = false;
      if (this.#channels.size === 0) {
        await client.end().catch(() => undefined);
        return;
      }
      this.#client = client;
      this.#pid = pid;
      this.#listened = listened;
      this.#attempt = 0;
      this.#startHeartbeat();
      for (const set of this.#channels.values()) for (const e of [...set]) this.#establish(e);
    } catch (err) {
      this.#connecting = false;
      this.#failed(err);
      client.end().catch(() => undefined);
      this.#retry();
    }
  }

  #unlistened(listened: ReadonlySet<string>): string[] {
    return [...this.#channels.keys()].filter((c) => !listened.has(c));
  }

  async #listenOn(client: pg.Client, channel: string): Promise<void> {
    try {
      await client.query(`LISTEN ${ident(channel)}`);
    } catch (err) {
      this.#drop(client, err);
      return;
    }
    if (client !== this.#client) return;
    this.#listened.add(channel);
    for (const e of [...(this.#channels.get(channel) ?? [])]) this.#establish(e);
  }

  #establish(entry: Entry): void {
    if (!entry.established) {
      entry.established = true;
      entry.resolve();
    } else if (entry.dropped) {
      entry.dropped = false;
      this.#call(() => entry.handler.reconnected());
    }
  }

  #dispatch(channel: string, payload: string): void {
    for (const e of [...(this.#channels.get(channel) ?? [])]) if (e.established) this.#call(() => e.handler.notify(payload));
  }

  /** The connection in use failed: forget it, owe `reconnected()` to its handlers, connect again. */
  #drop(client: pg.Client, err: unknown): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    this.#pid = undefined;
    this.#listened = new Set();
    this.#stopHeartbeat();
    this.#failed(err);
    for (const set of this.#channels.values()) for (const e of set) if (e.established) e.dropped = true;
    client.end().catch(() => undefined);
    this.#retry();
  }

  #retry(): void {
    if (this.#channels.size === 0 || this.#retryTimer) return;
    const delay = backoffDelay(this.#attempt++, this.#reconnect);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#ensure();
    }, delay);
  }

  async #shut(): Promise<void> {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stopHeartbeat();
    const client = this.#client;
    this.#client = undefined;
    this.#pid = undefined;
    this.#listened = new Set();
    this.#attempt = 0;
    if (client) await client.end().catch(() => undefined);
  }

  #startHeartbeat(): void {
    if (this.#heartbeatMs <= 0) return;
    this.#heartbeat = setInterval(() => void this.#beat(), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  /** A query the server must answer within the interval, or the connection is taken for dead. */
  async #beat(): Promise<void> {
    const client = this.#client;
    if (!client || this.#beating) return;
    this.#beating = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        client.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`The listening connection did not answer within ${this.#heartbeatMs} ms.`)), this.#heartbeatMs);
        }),
      ]);
    } catch (err) {
      this.#drop(client, err);
    } finally {
      clearTimeout(timer);
      this.#beating = false;
    }
  }

  #failed(err: unknown): void {
    this.#lastError = err;
    try {
      this.#onError?.(err);
    } catch {
      // A logger that throws must not stop the reconnection.
    }
  }

  /** Handlers are this package's own and catch what they do; a throw is a bug, surfaced, not swallowed. */
  #call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}
