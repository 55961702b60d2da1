import {
  ChangeQueue,
  StorageReads,
  type ConnectorState,
  type EventPageQuery,
  type ItemErrorSummary,
  type ItemFilterQuery,
  type ItemPageQuery,
  type ItemRef,
  type ItemView,
  type LogDownload,
  type LogFormat,
  type Page,
  type SourceChange,
  type SourceListener,
  type SyncEvent,
  type SyncSource,
  type BackoffOptions,
} from '@shopsync/core';
import { failedItemsFilter, requeueFailed } from '@shopsync/core/internal';
import { ChangeFeed, readConnectorState, type ChangeFeedOptions } from './change-feed.js';
import type { LiveStorage } from './live-storage.js';
import { NotificationHub } from './notification-hub.js';

/**
 * What a `PostgresSyncSource` shows and how it keeps up: the storage and connector, how long
 * notifications gather before a read, and its limits.
 */
export interface PostgresSyncSourceOptions {
  /** The storage the engine writes to, from whichever process runs it. */
  storage: LiveStorage;
  connectorId: string;
  /** Notifications of this connector are gathered this long before the source reads what changed (default 50 ms). */
  debounceMs?: number;
  /** How far each read of updated items looks back for writes that committed late (default 2,000 ms). */
  itemsLookbackMs?: number;
  /** More item statuses than this changed at once: subscribers are told `changesMissed` instead of each (default 5,000). */
  maxItemsPerRead?: number;
  /** Longest time a read waits for live updates being set up, in ms (default 5,000). */
  openTimeoutMs?: number;
  /** Delays between attempts to read again after a failed read (default 250 ms to 10 s). */
  retry?: BackoffOptions;
  /** The LISTEN connection; defaults to the storage's shared one (`NotificationHub.for(storage)`). */
  notifications?: NotificationHub;
}

/**
 * A `SyncSource` over a PostgreSQL storage, live across processes: a web process shows, in the
 * panel, a run that a worker process drives, with no engine of its own.
 *
 * Reads come from the storage. Live changes come from the storage's NOTIFY (`shopsync_changes`,
 * one connection per storage, opened with the first subscriber and closed with the last): the
 * notices of this connector are gathered for `debounceMs`, then the source reads what they name
 * and tells what changed, as the engine would have (see `ChangeFeed`): an event read again is
 * compared with the snapshot last told (`diffEvent`); item statuses updated since the newest one
 * told become `itemsUpdated`; pending counts and the connector state are told when they differ.
 *
 * Nothing is missed silently: reads issued while live updates are being set up wait for them
 * (at most `openTimeoutMs`, after which the first live moment brings `changesMissed`), and when
 * the LISTEN connection drops, it is opened again with backoff and subscribers get
 * `changesMissed`, followed by what the source can tell changed in between.
 *
 * Actions reach the engine wherever it runs (see `attachWorker`): retries queue the failed items
 * again through the storage and send `start`; `setEnabled` records the flag and sends it.
 */
export class PostgresSyncSource implements SyncSource {
  readonly storage: LiveStorage;
  readonly connectorId: string;
  readonly notifications: NotificationHub;
  readonly #queue: ChangeQueue;
  readonly #reads: StorageReads;
  readonly #feedOptions: ChangeFeedOptions;
  readonly #openTimeoutMs: number;
  readonly #listeners = new Set<{ fn: SourceListener }>();
  #feed: ChangeFeed | undefined;
  #opening: Promise<void> | undefined;
  #closed = false;

  constructor(options: PostgresSyncSourceOptions) {
    this.storage = options.storage;
    this.connectorId = options.connectorId;
    this.notifications = options.notifications ?? NotificationHub.for(options.storage);
    this.#queue = new ChangeQueue(options.storage, options.connectorId);
    this.#reads = new StorageReads(options.storage, options.connectorId);
    this.#openTimeoutMs = options.openTimeoutMs ?? 5_000;
    this.#feedOptions = {
      storage: options.storage,
      connectorId: options.connectorId,
      notifications: this.notifications,
      debounceMs: options.debounceMs ?? 50,
      itemsLookbackMs: options.itemsLookbackMs ?? 2_000,
      maxItemsPerRead: options.maxItemsPerRead ?? 5_000,
      retry: options.retry ?? { baseMs: 250, maxMs: 10_000 },
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ——— reads: core's StorageReads, once live updates are set up ———

  async listEvents(query: EventPageQuery = {}): Promise<Page<SyncEvent>> {
    await this.#ready();
    return this.#reads.listEvents(query);
  }

  async getEvent(eventId: string): Promise<SyncEvent | undefined> {
    await this.#ready();
    return this.#reads.getEvent(eventId);
  }

  async queryItems(query: ItemPageQuery = {}): Promise<Page<ItemView>> {
    await this.#ready();
    return this.#reads.queryItems(query);
  }

  async summarizeItemErrors(filter: ItemFilterQuery = {}): Promise<ItemErrorSummary> {
    await this.#ready();
    return this.#reads.summarizeItemErrors(filter);
  }

  /** No change told follows a download, so it need not wait for live updates being set up. */
  async downloadLogs(eventId: string, format: LogFormat): Promise<LogDownload> {
    return this.#reads.downloadLogs(eventId, format);
  }

  /**
   * The connector now: enabled as the registry says (enabled when it has no record), running
   * when its latest event is In Progress. `nextRunAt` is the worker's to know, never set here.
   */
  async connectorState(): Promise<ConnectorState> {
    await this.#ready();
    return readConnectorState(this.storage, this.connectorId);
  }

  // ——— actions ———

  async retryItem(item: ItemRef): Promise<number> {
    const queued = await requeueFailed(this.storage, this.connectorId, { items: [{ entity: item.entity, ref: item.ref }] }, (c, o) => this.#queue.enqueue(c, o));
    return this.#started(queued);
  }

  async retryFailed(filter: ItemFilterQuery = {}): Promise<number> {
    const failed = failedItemsFilter(filter);
    if (!failed) return 0;
    return this.#started(await requeueFailed(this.storage, this.connectorId, { filter: failed }, (c, o) => this.#queue.enqueue(c, o)));
  }

  /** Records the flag (the registry outlives any process) and tells the process that runs the connector. */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.storage.setConnectorEnabled(this.connectorId, enabled, Date.now());
    await this.storage.sendCommand(this.connectorId, { type: 'setEnabled', enabled });
    this.#feed?.connectorTouched();
  }

  /** The queued items join a run under way, or the worker starts one. */
  async #started(queued: number): Promise<number> {
    if (queued > 0) await this.storage.sendCommand(this.connectorId, { type: 'start' });
    return queued;
  }

  // ——— live changes ———

  subscribe(listener: SourceListener): () => void {
    if (this.#closed) return () => {};
    const entry = { fn: listener };
    this.#listeners.add(entry);
    if (this.#listeners.size === 1) this.#open();
    return () => {
      if (!this.#listeners.delete(entry)) return;
      if (this.#listeners.size === 0) void this.#shut();
    };
  }

  /** Stops live changes and drops every listener; resolves once its LISTEN is given up. The storage stays open (it is the caller's). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await this.#shut();
  }

  /** Reads wait for live updates being set up, so that no change falls between a read and the first change told. */
  async #ready(): Promise<void> {
    if (this.#opening) await this.#opening;
  }

  #open(): void {
    const feed = new ChangeFeed(this.#feedOptions, (change) => this.#emit(change));
    this.#feed = feed;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let blind = false;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        blind = true;
        resolve();
      }, this.#openTimeoutMs);
    });
    const opening: Promise<void> = Promise.race([feed.live, late]).finally(() => {
      clearTimeout(timer);
      if (this.#opening === opening) this.#opening = undefined;
    });
    this.#opening = opening;
    // Reads were answered before changes could be told: what they returned may be older than the first change.
    void feed.live.then(() => {
      if (blind) feed.missed();
    });
  }

  #shut(): Promise<void> {
    const feed = this.#feed;
    this.#feed = undefined;
    this.#opening = undefined;
    return feed?.close() ?? Promise.resolve();
  }

  #emit(change: SourceChange): void {
    for (const { fn } of [...this.#listeners]) {
      try {
        fn(change);
      } catch (err) {
        // One failing listener must not starve the others; its error is not swallowed either.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
