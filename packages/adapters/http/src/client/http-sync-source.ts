import type {
  ConnectorState,
  EventPageQuery,
  ItemErrorSummary,
  ItemFilterQuery,
  ItemPageQuery,
  ItemRef,
  ItemView,
  LogDownload,
  LogFormat,
  Page,
  SourceChange,
  SourceListener,
  SyncEvent,
  SyncSource,
} from '@shopsync/core';
import { LAST_EVENT_ID_PARAM, PATHS, STREAM_EVENTS, type QueuedBody, type StreamHello } from '../shared/protocol.js';
import { errorFromResponse, HttpSourceError } from './http-source-error.js';

/**
 * Where an `HttpSyncSource` reads from (the URL the server mounted the handler at) and what it reads
 * with (fetch and EventSource, replaceable in tests).
 */
export interface HttpSyncSourceOptions {
  /**
   * Where the server mounted `createSyncHandler` (its `basePath`), absolute or relative to the
   * page. Query parameters it carries (say, `?token=…`, a short-lived embed token from
   * `shopsync serve`) go along with every request and the stream.
   */
  url: string | URL;
  /** The connector's id when known; otherwise learnt from the first answer that names it. */
  connectorId?: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to the global `EventSource`. */
  EventSource?: typeof EventSource;
  /** `include` sends cookies to another origin (fetch and EventSource alike); default `same-origin`. */
  credentials?: RequestCredentials;
  /** Extra headers on every fetch, e.g. a CSRF token (EventSource cannot send headers). */
  headers?: Record<string, string>;
  /** Longest time a read waits for a stream being opened, in ms (default 5,000). */
  openTimeoutMs?: number;
  /** First and longest delay between attempts to reopen a stream the browser gave up on, in ms (default 1,000 and 30,000). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

const CLOSED = 2; // EventSource.CLOSED

type Query = Record<string, string | number | undefined>;

/**
 * A `SyncSource` served by `createSyncHandler` on a server: reads over `fetch`, live changes
 * over one `EventSource`, opened with the first subscriber and closed with the last.
 *
 * Nothing is missed: the stream resumes after a drop with `Last-Event-ID` (the browser's own
 * reconnect, or this client's when the browser gives up), and reads issued while a stream is
 * opening wait for it (at most `openTimeoutMs`), so that no change falls between what a read
 * returned and the first live change. When the server cannot replay what was missed (it
 * restarted, or the client was away too long) subscribers get `{ type: 'changesMissed' }` and
 * should read everything again; the widget does.
 *
 * `connectorId` is synchronous, as the interface wants: the id given, else the one learnt from
 * the server (`connectorState()`, or any stream message), '' until then.
 * `HttpSyncSource.connect(url)` resolves once it is known.
 *
 * Failed requests reject with `HttpSourceError`. `close()` releases everything.
 */
export class HttpSyncSource implements SyncSource {
  /** A source whose `connectorId` is known: reads the connector state first. */
  static async connect(url: string | URL, options: Omit<HttpSyncSourceOptions, 'url'> = {}): Promise<HttpSyncSource> {
    const source = new HttpSyncSource({ ...options, url });
    try {
      await source.connectorState();
    } catch (err) {
      source.close();
      throw err;
    }
    return source;
  }

  /** The base URL, absolute, without a trailing slash, query or fragment. */
  readonly url: string;
  /** The base URL's query parameters, sent with every request. */
  readonly #baseQuery: ReadonlyArray<[string, string]>;
  #connectorId: string;
  readonly #fetch: typeof fetch;
  readonly #EventSource: typeof EventSource | undefined;
  readonly #credentials: RequestCredentials;
  readonly #headers: Record<string, string>;
  readonly #openTimeoutMs: number;
  readonly #reconnectMinMs: number;
  readonly #reconnectMaxMs: number;
  readonly #listeners = new Set<{ fn: SourceListener }>();
  readonly #aborter = new AbortController();
  #stream: EventSource | undefined;
  #lastEventId = '';
  /** Settles when the stream being opened opens, fails or takes too long. */
  #opening: Promise<void> | undefined;
  #settleOpening: ((opened: boolean) => void) | undefined;
  /** Reads were answered before the stream opened: the first message must trigger a reload. */
  #readBlind = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay: number;
  #closed = false;

  constructor(options: HttpSyncSourceOptions) {
    const base = new URL(String(options.url), typeof location === 'undefined' ? undefined : location.href);
    this.#baseQuery = [...base.searchParams];
    base.search = '';
    base.hash = '';
    this.url = base.href.replace(/\/+$/, '');
    this.#connectorId = options.connectorId ?? '';
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#EventSource = options.EventSource ?? (typeof EventSource === 'undefined' ? undefined : EventSource);
    this.#credentials = options.credentials ?? 'same-origin';
    this.#headers = { ...options.headers };
    this.#openTimeoutMs = options.openTimeoutMs ?? 5_000;
    this.#reconnectMinMs = options.reconnectMinMs ?? 1_000;
    this.#reconnectMaxMs = options.reconnectMaxMs ?? 30_000;
    this.#retryDelay = this.#reconnectMinMs;
  }

  get connectorId(): string {
    return this.#connectorId;
  }

  /** A live stream is open now. */
  get streaming(): boolean {
    return this.#stream !== undefined && this.#stream.readyState === 1;
  }

  /** Id of the last stream message received ('' before any). */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ——— reads ———

  listEvents(query: EventPageQuery = {}): Promise<Page<SyncEvent>> {
    return this.#json('GET', PATHS.events, { query: { offset: query.offset, limit: query.limit } });
  }

  async getEvent(eventId: string): Promise<SyncEvent | undefined> {
    try {
      return await this.#json<SyncEvent>('GET', PATHS.event(eventId));
    } catch (err) {
      if (err instanceof HttpSourceError && err.status === 404 && err.code === 'not_found') return undefined;
      throw err;
    }
  }

  queryItems(query: ItemPageQuery = {}): Promise<Page<ItemView>> {
    return this.#json('GET', PATHS.items, { query: { ...filterQuery(query), offset: query.offset, limit: query.limit } });
  }

  summarizeItemErrors(filter: ItemFilterQuery = {}): Promise<ItemErrorSummary> {
    return this.#json('GET', PATHS.itemErrors, { query: filterQuery(filter) });
  }

  async downloadLogs(eventId: string, format: LogFormat): Promise<LogDownload> {
    const res = await this.#request('GET', PATHS.logs(eventId), { query: { format } });
    const content = await res.text();
    return {
      filename: filenameOf(res.headers.get('content-disposition')) ?? `shopsync-${eventId}.${format}`,
      contentType: res.headers.get('content-type') ?? (format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8'),
      content,
    };
  }

  async connectorState(): Promise<ConnectorState> {
    const state = await this.#json<ConnectorState>('GET', PATHS.state);
    this.#learn(state.connectorId);
    return state;
  }

  // ——— actions ———

  async retryItem(item: ItemRef): Promise<number> {
    return (await this.#json<QueuedBody>('POST', PATHS.retryItem, { body: { entity: item.entity, ref: item.ref } })).queued;
  }

  async retryFailed(filter: ItemFilterQuery = {}): Promise<number> {
    return (await this.#json<QueuedBody>('POST', PATHS.retryFailed, { body: filterQuery(filter) })).queued;
  }

  async setEnabled(enabled: boolean): Promise<void> {
    const state = await this.#json<ConnectorState>('PUT', PATHS.connector, { body: { enabled } });
    this.#learn(state.connectorId);
  }

  // ——— live changes ———

  subscribe(listener: SourceListener): () => void {
    if (this.#closed) return () => {};
    if (!this.#EventSource) throw new HttpSourceError(0, 'unsupported', 'Live updates need EventSource, which this environment lacks: pass one in the options.');
    const entry = { fn: listener };
    this.#listeners.add(entry);
    if (this.#listeners.size === 1) this.#open(true);
    return () => {
      if (!this.#listeners.delete(entry)) return;
      if (this.#listeners.size === 0) this.#shut();
    };
  }

  /** Closes the stream, cancels requests under way and drops every listener. Later calls reject. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#shut();
    this.#aborter.abort();
  }

  /** Opens the stream: `fresh` for a new subscription (no resume), else resuming after a failure. */
  #open(fresh: boolean): void {
    const ES = this.#EventSource!;
    if (fresh) {
      this.#lastEventId = '';
      this.#readBlind = false;
      this.#retryDelay = this.#reconnectMinMs;
      this.#opening = new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.#settleOpening?.(false), this.#openTimeoutMs);
        this.#settleOpening = (opened) => {
          clearTimeout(timer);
          if (!opened) this.#readBlind = true;
          this.#opening = undefined;
          this.#settleOpening = undefined;
          resolve();
        };
      });
    }
    const url = this.url + PATHS.stream + queryString(this.#baseQuery, this.#lastEventId ? { [LAST_EVENT_ID_PARAM]: this.#lastEventId } : undefined);
    const stream = new ES(url, { withCredentials: this.#credentials === 'include' });
    this.#stream = stream;
    stream.addEventListener('open', () => {
      if (stream !== this.#stream) return;
      this.#retryDelay = this.#reconnectMinMs;
      this.#settleOpening?.(true);
    });
    stream.addEventListener(STREAM_EVENTS.change, (e) => this.#onChange(stream, e as MessageEvent<string>));
    stream.addEventListener(STREAM_EVENTS.ready, (e) => this.#onHello(stream, e as MessageEvent<string>, false));
    stream.addEventListener(STREAM_EVENTS.reset, (e) => this.#onHello(stream, e as MessageEvent<string>, true));
    stream.addEventListener('error', () => this.#onError(stream));
  }

  #onChange(stream: EventSource, e: MessageEvent<string>): void {
    if (stream !== this.#stream) return;
    if (e.lastEventId) this.#lastEventId = e.lastEventId;
    const change = parse(e.data) as SourceChange | undefined;
    if (!change || typeof change.type !== 'string') return;
    this.#learn(change.connectorId);
    if (this.#readBlind) this.#missed();
    this.#emit(change);
  }

  #onHello(stream: EventSource, e: MessageEvent<string>, reset: boolean): void {
    if (stream !== this.#stream) return;
    if (e.lastEventId) this.#lastEventId = e.lastEventId;
    this.#learn((parse(e.data) as Partial<StreamHello> | undefined)?.connectorId);
    if (reset || this.#readBlind) this.#missed();
  }

  #onError(stream: EventSource): void {
    if (stream !== this.#stream) return;
    this.#settleOpening?.(false);
    // While CONNECTING the browser retries by itself, sending Last-Event-ID. CLOSED means it gave
    // up (an HTTP error, a wrong content type): reopen after a backoff, resuming by query.
    if (stream.readyState !== CLOSED) return;
    stream.close();
    this.#stream = undefined;
    const delay = this.#retryDelay * (0.5 + Math.random() / 2);
    this.#retryDelay = Math.min(this.#reconnectMaxMs, this.#retryDelay * 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#closed && this.#listeners.size > 0) this.#open(false);
    }, delay);
  }

  #missed(): void {
    this.#readBlind = false;
    this.#emit({ type: 'changesMissed', connectorId: this.#connectorId });
  }

  #shut(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stream?.close();
    this.#stream = undefined;
    this.#settleOpening?.(true);
    this.#readBlind = false;
    this.#lastEventId = '';
  }

  #emit(change: SourceChange): void {
    for (const { fn } of [...this.#listeners]) {
      try {
        fn(change);
      } catch (err) {
        // One failing listener must not starve the others.
        if (typeof reportError === 'function') reportError(err);
        else
          setTimeout(() => {
            throw err;
          });
      }
    }
  }

  #learn(connectorId: unknown): void {
    if (!this.#connectorId && typeof connectorId === 'string') this.#connectorId = connectorId;
  }

  // ——— requests ———

  async #request(method: string, path: string, { query, body }: { query?: Query; body?: unknown } = {}): Promise<Response> {
    if (this.#closed) throw new HttpSourceError(0, 'closed', 'This source has been closed.');
    if (this.#opening) await this.#opening;
    const headers: Record<string, string> = { Accept: 'application/json', ...this.#headers };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await this.#fetch(this.url + path + queryString(this.#baseQuery, query), {
        method,
        headers,
        credentials: this.#credentials,
        cache: 'no-store',
        signal: this.#aborter.signal,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      if (this.#closed) throw new HttpSourceError(0, 'closed', 'This source has been closed.', { cause: err });
      throw new HttpSourceError(0, 'network', `The sync server could not be reached (${method} ${path}).`, { cause: err });
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  async #json<T>(method: string, path: string, init?: { query?: Query; body?: unknown }): Promise<T> {
    const res = await this.#request(method, path, init);
    try {
      return (await res.json()) as T;
    } catch (err) {
      throw new HttpSourceError(res.status, 'invalid_response', `The sync server sent no JSON for ${method} ${path}.`, { cause: err });
    }
  }
}

/** Only the filter's own fields (an empty reference is no filter). */
function filterQuery(f: ItemFilterQuery): Record<string, string | undefined> {
  return { ref: f.ref || undefined, status: f.status, entity: f.entity, since: f.since };
}

function queryString(base: ReadonlyArray<[string, string]>, query: Query | undefined): string {
  const params = new URLSearchParams([...base]);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/** The file name of a `Content-Disposition` header (RFC 6266: `filename*` first). */
function filenameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      // Malformed: fall back to the plain name.
    }
  }
  return /filename\s*=\s*"([^"]*)"/i.exec(header)?.[1] ?? /filename\s*=\s*([^;]+)/i.exec(header)?.[1]?.trim();
}
