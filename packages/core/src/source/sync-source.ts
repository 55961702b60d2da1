/**
 * What the Activity Register reads and subscribes to, and the actions its user may take.
 *
 * Everything a source returns or emits is plain JSON data (no class instances, no Dates, no
 * functions, no `undefined` that matters), so that the same interface can be implemented over
 * HTTP + Server-Sent Events: `LocalSyncSource` serves it from an engine in the same page or
 * process; a remote client serves it from a server that wraps a `LocalSyncSource`.
 */
import type { Entity, EntityCounts } from '../schemas/common.js';
import type { GeneralError, Iteration, SyncEvent, SyncStatus } from '../schemas/event.js';
import type { ItemState, ItemStatus } from '../schemas/item.js';
import type { Page } from '../storage/adapter.js';
import type { LogFormat } from '../logs/export.js';
import type { Throughput } from '../engine/throughput.js';

/** An item as the Item Synchronization Status tab shows it: its status without the change data. */
export type ItemView = Omit<ItemStatus, 'change'>;

/** Filters of the Item Synchronization Status tab (every field optional; all must match). */
export interface ItemFilterQuery {
  /** Substring of the reference, case-sensitive. */
  ref?: string;
  status?: ItemState;
  entity?: Entity;
  /** Only items updated at or after this instant (ISO 8601). */
  since?: string;
}

/** The same query shape as `SyncEngine.queryItems`: filters plus a page. */
export interface ItemPageQuery extends ItemFilterQuery {
  offset?: number;
  /** 1 to 1,000; default 50. */
  limit?: number;
}

/** Which page of the Activity Register to read: skip `offset` events, return at most `limit`. */
export interface EventPageQuery {
  offset?: number;
  /** 1 to 1,000; default 20. */
  limit?: number;
}

/** Failed items that share a cause: the same error code, field and message. */
export interface ItemErrorGroup {
  code?: string;
  field?: string[];
  message: string;
  /** Items whose latest attempt failed with this error. */
  count: number;
}

/**
 * Failed items grouped by cause, as the Item Synchronization Status tab sums them up: how many failed,
 * how many of those failed event after event, and the largest groups.
 */
export interface ItemErrorSummary {
  /** Failed items matching the filter. */
  failedItems: number;
  /** Of those, items that failed in two or more sync events in a row. */
  repeatedFailures: number;
  /** Largest groups first. */
  groups: ItemErrorGroup[];
}

/** A log of one sync event, ready to be saved as a file. */
export interface LogDownload {
  filename: string;
  /** Media type with charset, e.g. `text/csv; charset=utf-8`. */
  contentType: string;
  content: string;
}

/** The connector as it stands now (not a snapshot of any event). */
export interface ConnectorState {
  connectorId: string;
  enabled: boolean;
  /** A sync event is being run now. */
  running: boolean;
  /** The event being run, when running. */
  runningEventId?: string;
  /** When the next scheduled run starts (ISO), where runs are scheduled. */
  nextRunAt?: string;
  /** Pace and estimated time remaining of the running event, when running. */
  throughput?: Throughput;
}

/**
 * What happened, as the source tells its subscribers: a union of past-tense facts, each naming
 * the connector and, where there is one, the sync event. Derived from the engine's events.
 */
export type SourceChange =
  | { type: 'statusChanged'; connectorId: string; eventId: string; status: SyncStatus; previous: SyncStatus | 'starting'; event: SyncEvent }
  | { type: 'iterationCompleted'; connectorId: string; eventId: string; iteration: Iteration; event: SyncEvent }
  | { type: 'pendingChanged'; connectorId: string; eventId?: string; pending: EntityCounts }
  | { type: 'itemsUpdated'; connectorId: string; eventId?: string; items: ItemView[] }
  | { type: 'generalError'; connectorId: string; eventId: string; error: GeneralError }
  | { type: 'logsAvailable'; connectorId: string; eventId: string }
  | { type: 'connectorChanged'; connectorId: string; state: ConnectorState }
  /**
   * Changes may have been lost in between (a remote source reconnected too late to be told
   * what it missed): whatever a subscriber holds should be read again. Never sent by
   * `LocalSyncSource`, which misses nothing.
   */
  | { type: 'changesMissed'; connectorId: string };

/** The name of a `SourceChange`: `statusChanged`, `itemsUpdated` and the others. */
export type SourceChangeType = SourceChange['type'];
/** A function that `subscribe` calls with each change a source tells. */
export type SourceListener = (change: SourceChange) => void;

/** An item named by its entity and reference. */
export interface ItemRef {
  entity: Entity;
  ref: string;
}

/**
 * What the widget reads and subscribes to for one connector: its sync events, item statuses and logs,
 * its state, and the actions a user may take (retry items, enable or disable the connector).
 * `LocalSyncSource` is one over an engine in the same process; `@shopsync/http/client` and
 * `@shopsync/postgres` have others.
 */
export interface SyncSource {
  readonly connectorId: string;

  /** Sync events, newest first, paginated. */
  listEvents(query?: EventPageQuery): Promise<Page<SyncEvent>>;
  /** One sync event as it stands now; undefined if unknown. */
  getEvent(eventId: string): Promise<SyncEvent | undefined>;
  /** Item statuses, most recently updated first, filtered and paginated. */
  queryItems(query?: ItemPageQuery): Promise<Page<ItemView>>;
  /** Failed items matching the filter, grouped by cause. */
  summarizeItemErrors(filter?: ItemFilterQuery): Promise<ItemErrorSummary>;
  /** A sync event's log as JSON Lines or CSV. */
  downloadLogs(eventId: string, format: LogFormat): Promise<LogDownload>;
  connectorState(): Promise<ConnectorState>;

  /** Calls `listener` with every change until the returned function is called. */
  subscribe(listener: SourceListener): () => void;

  /** Queues one failed item again. Resolves with how many items were queued (0 or 1). */
  retryItem(item: ItemRef): Promise<number>;
  /** Queues again every failed item matching the filter. Resolves with how many were queued. */
  retryFailed(filter?: ItemFilterQuery): Promise<number>;
  /** Disabling pauses a run under way; enabling resumes a paused event. */
  setEnabled(enabled: boolean): Promise<void>;
}
