/**
 * The panel's source in one process (SQLite): reads from the storage, and live changes from the
 * engine this process's worker runs for the connector while it runs one (EngineDirectory), so
 * the panel needs no engine of its own and an idle connector costs nothing. Between runs, what
 * the API does (changes queued, enabled or disabled) is told as it happens.
 *
 * On PostgreSQL the service uses @shopsync/postgres's PostgresSyncSource instead: the worker may
 * be another process, and NOTIFY tells what it does.
 */
import {
  ChangeQueue,
  LocalSyncSource,
  StorageReads,
  type ConnectorRegistry,
  type ConnectorState,
  type EntityCounts,
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
  type StorageAdapter,
  type SyncEngine,
  type SyncEvent,
  type SyncSource,
} from '@shopsync/core';
import { failedItemsFilter, requeueFailed } from '@shopsync/core/internal';
import type { FleetControl } from '../services.js';
import type { EngineDirectory } from './engine-directory.js';

/** What the source reads and acts through. */
export interface FleetSourceDeps {
  storage: StorageAdapter;
  registry: ConnectorRegistry;
  engines: EngineDirectory;
  control: FleetControl;
}

/** A connector's source in a one-process service (module comment). */
export class FleetSyncSource implements SyncSource {
  readonly connectorId: string;
  readonly #deps: FleetSourceDeps;
  readonly #queue: ChangeQueue;
  /** What the storage answers: everything the source reads while no run is under way here. */
  readonly #reads: StorageReads;
  readonly #listeners = new Set<SourceListener>();
  #live: { engine: LocalSyncSource; unsubscribe: () => void } | undefined;
  #unwatch: (() => void) | undefined;

  constructor(deps: FleetSourceDeps, connectorId: string) {
    this.#deps = deps;
    this.connectorId = connectorId;
    this.#queue = new ChangeQueue(deps.storage, connectorId);
    this.#reads = new StorageReads(deps.storage, connectorId);
  }

  /** During a run here, the engine's live event shows over the stored ones. */
  async listEvents(query: EventPageQuery = {}): Promise<Page<SyncEvent>> {
    return this.#local()?.listEvents(query) ?? this.#reads.listEvents(query);
  }

  async getEvent(eventId: string): Promise<SyncEvent | undefined> {
    return this.#local()?.getEvent(eventId) ?? this.#reads.getEvent(eventId);
  }

  async queryItems(query: ItemPageQuery = {}): Promise<Page<ItemView>> {
    return this.#reads.queryItems(query);
  }

  async summarizeItemErrors(filter: ItemFilterQuery = {}): Promise<ItemErrorSummary> {
    return this.#reads.summarizeItemErrors(filter);
  }

  async downloadLogs(eventId: string, format: LogFormat): Promise<LogDownload> {
    return this.#reads.downloadLogs(eventId, format);
  }

  async connectorState(): Promise<ConnectorState> {
    const local = this.#local();
    if (local) return local.connectorState();
    const record = await this.#deps.registry.get(this.connectorId);
    return { connectorId: this.connectorId, enabled: record?.config.enabled ?? false, running: false };
  }

  subscribe(listener: SourceListener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) {
      this.#unwatch = this.#deps.engines.watch((id, engine) => {
        if (id !== this.connectorId) return;
        this.#attach(engine);
        // The run ended: the connector is idle again.
        if (!engine) void this.connectorState().then((state) => this.#emit({ type: 'connectorChanged', connectorId: this.connectorId, state }));
      });
      this.#attach(this.#deps.engines.get(this.connectorId));
    }
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
      this.#unwatch?.();
      this.#attach(undefined);
    };
  }

  async retryItem(item: ItemRef): Promise<number> {
    return this.#queued(await requeueFailed(this.#deps.storage, this.connectorId, { items: [{ entity: item.entity, ref: item.ref }] }, (c, o) => this.#queue.enqueue(c, o)));
  }

  async retryFailed(filter: ItemFilterQuery = {}): Promise<number> {
    const failed = failedItemsFilter(filter);
    if (!failed) return 0;
    return this.#queued(await requeueFailed(this.#deps.storage, this.connectorId, { filter: failed }, (c, o) => this.#queue.enqueue(c, o)));
  }

  /** Records the flag in the registry and tells a run under way (it pauses, or resumes). */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.#deps.registry.update(this.connectorId, { config: { enabled } });
    await this.#deps.control.enabledChanged(this.connectorId, enabled);
    this.#emit({ type: 'connectorChanged', connectorId: this.connectorId, state: await this.connectorState() });
  }

  /** Changes were queued through the API: subscribers see the new pending counts. */
  pendingChanged(pending: EntityCounts): void {
    this.#emit({ type: 'pendingChanged', connectorId: this.connectorId, pending: { ...pending } });
  }

  async #queued(queued: number): Promise<number> {
    if (queued > 0) {
      this.pendingChanged(await this.#deps.storage.pendingCounts(this.connectorId));
      this.#deps.control.changesQueued(this.connectorId);
    }
    return queued;
  }

  #local(): LocalSyncSource | undefined {
    const engine = this.#deps.engines.get(this.connectorId);
    return engine && (this.#live?.engine.engine === engine ? this.#live.engine : new LocalSyncSource(engine));
  }

  #attach(engine: SyncEngine | undefined): void {
    if (this.#live?.engine.engine === engine) return;
    this.#live?.unsubscribe();
    this.#live = undefined;
    if (engine && this.#listeners.size > 0) {
      const local = new LocalSyncSource(engine);
      this.#live = { engine: local, unsubscribe: local.subscribe((change) => this.#emit(change)) };
    }
  }

  #emit(change: SourceChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
