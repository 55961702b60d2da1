import type { Entity, EntityCounts } from '../schemas/common.js';
import type { SyncEvent } from '../schemas/event.js';
import type { ItemState, ItemStatus } from '../schemas/item.js';
import type { LogEntry } from '../schemas/log.js';
import type { QueueEntry } from '../schemas/queue.js';
import type { Change } from '../schemas/change.js';

/** A validated change on its way into the queue; storage assigns `seq` and `enqueuedAt`. */
export interface NewQueueEntry {
  key: string;
  entity: Entity;
  ref: string;
  change: Change;
  force: boolean;
}

export interface Lease {
  id: string;
  /** Epoch milliseconds after which the items return to the queue. */
  expiresAt: number;
  items: QueueEntry[];
}

export interface LeaseOptions {
  /** At most this many items. */
  limit: number;
  leaseMs: number;
  now: number;
}

export interface AckCommit {
  /**
   * Final outcomes of leased items (status `complete` or `error`). Leased items not named here
   * go back to the queue, as `release` would return them.
   */
  items: ItemStatus[];
  /** Last-synced hash per key: a string to store, null to forget. Keys not named are untouched. */
  hashes?: ReadonlyArray<{ key: string; hash: string | null }>;
  /**
   * The sync event as it stands after this iteration, saved in the same transaction with its
   * `pending` set to the counts the ack leaves (the same counts `ack` returns).
   */
  event?: SyncEvent;
  /** Log lines of this iteration, appended in the same transaction. */
  logs?: LogEntry[];
  now: number;
}

export interface Page<T> {
  items: T[];
  /** How many match in all, across pages. */
  total: number;
}

export interface ItemQuery {
  /** Substring of the reference, case-sensitive. */
  ref?: string;
  status?: ItemState;
  entity?: Entity;
  /** Only items updated at or after this instant (ISO). */
  since?: string;
  offset: number;
  limit: number;
}

export interface PageQuery {
  offset: number;
  limit: number;
}

/**
 * Where a connector's queue, history, item statuses, logs, hashes and id mappings live.
 * Every operation is atomic: it happens whole or not at all. Everything is keyed by connector
 * id: one storage serves many connectors, and none sees another's data.
 *
 * The behaviour every implementation must have is pinned down by `runStorageConformance`
 * (`@shopsync/core/testing`).
 */
export interface StorageAdapter {
  /**
   * Adds validated changes, coalescing per key: the newest change of a key wins; an entry keeps
   * its place in its bucket unless its op changes. A key leased to an iteration gets a separate
   * pending entry, which is not leased until that lease ends. Marks each item `pending`.
   * Returns the pending counts after the write.
   */
  enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts>;
  /**
   * Leases the next items (expired leases first return to the queue): whole product groups, as
   * `planLease` decides (a product with its variants and the categories it needs; then
   * categories no pending product needs; then deletions, children first). Null when none.
   */
  lease(connectorId: string, options: LeaseOptions): Promise<Lease | null>;
  /**
   * Ends a lease: records the outcomes, hashes, event and logs, removes finished items from the
   * queue and returns the rest. Throws LeaseLostError if the lease is unknown or expired.
   */
  ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts>;
  /** Returns every item of a lease to the queue, in place. Throws LeaseLostError if unknown. */
  release(connectorId: string, leaseId: string): Promise<EntityCounts>;
  /** Items not yet finished (queued or leased), per entity, counted without a scan. */
  pendingCounts(connectorId: string): Promise<EntityCounts>;
  /** Last-synced hashes of the given keys (absent keys are not in the map). */
  getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>>;

  saveEvent(event: SyncEvent): Promise<void>;
  getEvent(connectorId: string, eventId: string): Promise<SyncEvent | undefined>;
  /** Newest first (by start time). */
  listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>>;

  appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void>;
  /** In the order appended. */
  readLogs(connectorId: string, eventId: string): Promise<LogEntry[]>;

  getItems(connectorId: string, keys: readonly string[]): Promise<ItemStatus[]>;
  /** Most recently updated first, then by key. */
  queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>>;

  /** Target ids (e.g. Shopify GIDs) of the given keys. */
  getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>>;
  /** Sets (string) or forgets (null) target ids. */
  setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void>;

  close(): Promise<void>;
}
