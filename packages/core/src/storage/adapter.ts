import type { Entity, EntityCounts } from '../schemas/common.js';
import type { SyncEvent } from '../schemas/event.js';
import type { ItemState, ItemStatus } from '../schemas/item.js';
import type { LogEntry } from '../schemas/log.js';
import type { QueueEntry } from '../schemas/queue.js';
import type { Change } from '../schemas/change.js';
import type { ConnectorRecord } from '../schemas/registry.js';
import type { ThrottleState } from '../target.js';

/** A validated change on its way into the queue; storage assigns `seq` and `enqueuedAt`. */
export interface NewQueueEntry {
  key: string;
  entity: Entity;
  ref: string;
  change: Change;
  force: boolean;
}

/**
 * Items handed to one iteration: no other run gets them until `expiresAt`. The iteration acknowledges
 * or releases them; if it never does, they return to the queue when the lease expires.
 */
export interface Lease {
  id: string;
  /** Epoch milliseconds after which the items return to the queue. */
  expiresAt: number;
  items: QueueEntry[];
}

/** What a lease asks for: at most `limit` items, held for `leaseMs` from `now`. */
export interface LeaseOptions {
  /** At most this many items. */
  limit: number;
  leaseMs: number;
  now: number;
}

/**
 * What an iteration acknowledges, in one transaction: the final statuses of its items, their new
 * hashes, the sync event as it stands, and the iteration's log lines.
 */
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

/** One page of a longer list, with the number of matches in all. */
export interface Page<T> {
  items: T[];
  /** How many match in all, across pages. */
  total: number;
}

/**
 * Which item statuses to read: filters (reference substring, state, kind, updated since) and a page,
 * defaults applied.
 */
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

/** Which page of a list to read: skip `offset` entries, return at most `limit`. */
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

  // ——— the connector registry and the fleet's claims (fleet/) ———

  /** Adds a connector to the registry. False (nothing written) when one of that id exists. */
  createConnector(record: ConnectorRecord): Promise<boolean>;
  /** Replaces a connector's record (its claim and fleet state stay). False when there is none. */
  updateConnector(record: ConnectorRecord): Promise<boolean>;
  /** Removes a connector from the registry (its queue and history stay). False when there was none. */
  deleteConnector(connectorId: string): Promise<boolean>;
  getConnector(connectorId: string): Promise<ConnectorRecord | undefined>;
  /** By id. */
  listConnectors(query: PageQuery): Promise<Page<ConnectorRecord>>;
  /**
   * Claims for `worker` up to `limit` enabled connectors that have work and no live claim: a run
   * may be open (`open`), changes are pending or a run was requested (`requestRun`), and no
   * release held it back until later (`nextRunAt`: a schedule's next turn, a pause after a
   * failure). Least recently claimed first. Each claim lasts `leaseMs` from `now` unless renewed;
   * while it lives no other worker can claim the connector. The connector is marked open.
   */
  claimConnectors(request: ClaimRequest): Promise<ConnectorClaim[]>;
  /** Extends `worker`'s claim to `now + leaseMs`. False when the claim was lost (another worker holds the connector). */
  renewConnectorClaim(connectorId: string, worker: string, now: number, leaseMs: number): Promise<boolean>;
  /**
   * Ends `worker`'s claim, recording what the next runner needs. Nothing happens if `worker` no
   * longer holds it. The run request stays unless the release handled it (`runRequestHandled`).
   */
  releaseConnector(connectorId: string, worker: string, release: ClaimRelease): Promise<void>;
  /**
   * Asks for a run of the connector now, even with nothing pending (a host's "sync now"): records
   * the request (`ConnectorClaim.runRequestedAt`: the newest request is kept) and lifts any hold
   * (`nextRunAt`), so that the connector is claimed as soon as it is enabled and unclaimed. A
   * request made while a claim holds it survives that claim's release: another run follows.
   * False (nothing written) when the connector is not in the registry.
   */
  requestRun(connectorId: string, now: number): Promise<boolean>;
  /** Connectors that have work, claimed or waiting (for a host's view of the fleet). */
  fleetView(now: number): Promise<FleetEntry[]>;

  close(): Promise<void>;
}

/** What a worker asks of `claimConnectors`. */
export interface ClaimRequest {
  /** The claiming worker's id (unique per process). */
  worker: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/** A claimed connector: its record, and what the last runner left for the next. */
export interface ConnectorClaim {
  record: ConnectorRecord;
  /** Epoch ms until which the claim holds unless renewed. */
  claimUntil: number;
  /** The store's rate limit as the last runner left it. */
  throttle?: ThrottleState;
  /** Epoch ms of the run request the claim found (`requestRun`): run even with nothing pending, then say so in the release (`runRequestHandled`). */
  runRequestedAt?: number;
}

/** What a worker records as it lets a connector go. */
export interface ClaimRelease {
  now: number;
  /** A run is still under way (its event In Progress, or Paused): claim the connector again even with nothing pending. */
  open: boolean;
  throttle?: ThrottleState;
  /**
   * Not claimed again before this (epoch ms): a schedule's next turn, or a pause after a failure.
   * Absent: as soon as it has work. A run requested after the claim is not held back.
   */
  nextRunAt?: number;
  /**
   * The claim's `runRequestedAt`, once a run started for it: the stored request is cleared if it
   * is not newer (one made during the run survives, and another run follows). Absent: it stays.
   */
  runRequestHandled?: number;
}

/** A connector with work, as `fleetView` sees it. */
export interface FleetEntry {
  connectorId: string;
  /** `running`: a live claim holds it; `waiting`: it has work (a run open, changes pending or a run requested) and nobody runs it. */
  state: 'running' | 'waiting';
  /** The worker holding it (running). */
  worker?: string;
  /** Epoch ms: since when it runs (its claim), or since when it waits (its last release, else its creation). */
  since: number;
}
