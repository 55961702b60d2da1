import type { SyncEngine } from '../engine/engine.js';
import type { EngineEvents } from '../engine/events.js';
import { estimateRemaining } from '../engine/throughput.js';
import type { LogFormat } from '../logs/export.js';
import type { SyncEvent } from '../schemas/event.js';
import type { Page } from '../storage/adapter.js';
import { failedItemsFilter, toItemView } from './item-reads.js';
import { StorageReads } from './storage-reads.js';
import type {
  ConnectorState,
  EventPageQuery,
  ItemErrorSummary,
  ItemFilterQuery,
  ItemPageQuery,
  ItemRef,
  ItemView,
  LogDownload,
  SourceChange,
  SourceListener,
  SyncSource,
} from './sync-source.js';

/** Plain data only: a deep copy that a JSON round trip would not change. */
function plain<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A `SyncSource` over a `SyncEngine` (and its storage) in the same page or process. It is also
 * what a server wraps to serve the same interface over HTTP and Server-Sent Events. Reads come
 * from the engine's storage (`StorageReads`, as every source reads), with the engine's event in
 * progress shown over its stored copy.
 */
export class LocalSyncSource implements SyncSource {
  readonly engine: SyncEngine;
  readonly #reads: StorageReads;
  readonly #listeners = new Set<SourceListener>();

  constructor(engine: SyncEngine) {
    this.engine = engine;
    this.#reads = new StorageReads(engine.storage, engine.connectorId);
  }

  get connectorId(): string {
    return this.engine.connectorId;
  }

  async listEvents(query: EventPageQuery = {}): Promise<Page<SyncEvent>> {
    const page = await this.#reads.listEvents(query);
    const current = this.engine.currentEvent;
    return plain({ ...page, items: page.items.map((e) => (current && e.id === current.id ? current : e)) });
  }

  async getEvent(eventId: string): Promise<SyncEvent | undefined> {
    const current = this.engine.currentEvent;
    if (current?.id === eventId) return current;
    return this.#reads.getEvent(eventId);
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
    const current = this.engine.currentEvent;
    return this.#state(current);
  }

  subscribe(listener: SourceListener): () => void {
    const engine = this.engine;
    const emit = (change: SourceChange) => {
      listener(change);
    };
    const handlers: { [K in keyof EngineEvents]: (...args: EngineEvents[K]) => void } = {
      statusChanged: (p) => {
        emit({ type: 'statusChanged', connectorId: p.connectorId, eventId: p.eventId, status: p.status, previous: p.previous, event: plain(p.event) });
        emit({ type: 'connectorChanged', connectorId: p.connectorId, state: this.#state(p.event) });
      },
      iterationCompleted: (p) => {
        emit({ type: 'iterationCompleted', connectorId: p.connectorId, eventId: p.eventId, iteration: plain(p.iteration), event: plain(p.event) });
        emit({ type: 'connectorChanged', connectorId: p.connectorId, state: this.#state(p.event) });
      },
      pendingChanged: (p) => emit({ type: 'pendingChanged', connectorId: p.connectorId, ...(p.eventId !== undefined ? { eventId: p.eventId } : {}), pending: { ...p.pending } }),
      itemsUpdated: (p) =>
        emit({ type: 'itemsUpdated', connectorId: p.connectorId, ...(p.eventId !== undefined ? { eventId: p.eventId } : {}), items: p.items.map((i) => plain(toItemView(i))) }),
      generalError: (p) => emit({ type: 'generalError', connectorId: p.connectorId, eventId: p.eventId, error: plain(p.error) }),
      logsAvailable: (p) => emit({ type: 'logsAvailable', connectorId: p.connectorId, eventId: p.eventId }),
    };
    for (const [name, fn] of Object.entries(handlers)) engine.on(name as keyof EngineEvents, fn as never);
    this.#listeners.add(listener);
    return () => {
      for (const [name, fn] of Object.entries(handlers)) engine.off(name as keyof EngineEvents, fn as never);
      this.#listeners.delete(listener);
    };
  }

  async retryItem(item: ItemRef): Promise<number> {
    return this.engine.retryItems([{ entity: item.entity, ref: item.ref }]);
  }

  async retryFailed(filter: ItemFilterQuery = {}): Promise<number> {
    const failed = failedItemsFilter(filter);
    return failed ? this.engine.retryFailed(failed) : 0;
  }

  async setEnabled(enabled: boolean): Promise<void> {
    await this.engine.setEnabled(enabled);
    const state = await this.connectorState();
    for (const listener of [...this.#listeners]) listener({ type: 'connectorChanged', connectorId: this.connectorId, state });
  }

  /**
   * The connector now. During a status change the engine still holds the run that is ending,
   * so "running" follows the event the change is about when there is one.
   */
  #state(event: SyncEvent | undefined): ConnectorState {
    const engine = this.engine;
    const state: ConnectorState = { connectorId: engine.connectorId, enabled: engine.config.enabled, running: false };
    const nextRunAt = engine.nextRunAt;
    if (nextRunAt !== undefined) state.nextRunAt = nextRunAt;
    if (event && event.status === 'in_progress' && engine.running) {
      state.running = true;
      state.runningEventId = event.id;
      state.throughput = estimateRemaining(event);
    }
    return state;
  }
}
