import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ConnectorRecord, Entity, FleetState, ItemState, LogEntry, QueueEntry, StoredItem, SyncEvent } from '@shopsync/core';

/**
 * One row per item key: the item's pending change while it has one and its last outcome once it
 * has one; `u`/`st`/`en` (updated, status, entity) are the keys of the item tab's indexes.
 *
 * A row keeps its pending change while the item is in flight (the lease holds a copy of what
 * it handed out); a change that arrives meanwhile replaces `pending` with a new `seq`, which is
 * how an ack tells that a newer change waits. `ob`/`os` (bucket, seq) exist only while a change
 * is pending, so the `byOrder` index holds exactly the queue, by bucket and arrival. The
 * `byParent` index (version 3) keys a row by `pending.change.parentRef`, which only a pending
 * variant upsert has: it holds exactly the pending variant upserts, by product, and follows
 * the pending change by itself (a variant moved to another product, a delete replacing the
 * upsert, a finished item). Finishing an item is one write: the row drops its pending change
 * and takes the outcome.
 */
export interface ItemRow extends StoredItem {
  c: string;
  ob?: number;
  os?: number;
  u: number;
  st: ItemState;
  en: Entity;
}

/** A lease and the changes it handed out (as they were when leased). */
export interface LeaseRow {
  c: string;
  id: string;
  expiresAt: number;
  entries: QueueEntry[];
  /** Keys of this lease that got a newer change while in flight: only their rows need reading when it ends. */
  superseded?: string[];
}

/** Per connector: exact pending counts (rows with a pending change) and the arrival counter. */
export interface MetaRow {
  c: string;
  seq: number;
  categories: number;
  products: number;
  variants: number;
}

/** A sync event, with its start time (epoch ms) as the key of the history's order. */
export interface EventRow {
  c: string;
  id: string;
  s: number;
  event: SyncEvent;
}

/** One log line of a sync event; the store's auto-increment key keeps them in the order added. */
export interface LogRow {
  c: string;
  e: string;
  entry: LogEntry;
}

/**
 * A connector of the registry (version 4): its record, and what the fleet keeps beside it (who
 * claims it, until when, what the last runner left, a host's run request). Its pending counts are
 * its `meta` row's. Fleet fields added later (`runRequestedAt`) are optional and in no index: a
 * record written before them reads as having none, with no new version.
 */
export interface ConnectorRow {
  c: string;
  record: ConnectorRecord;
  fleet: FleetState;
}

/** The database's stores and indexes, as idb types them. `c` is the connector id everywhere. */
export interface ShopsyncDB extends DBSchema {
  leases: { key: [string, string]; value: LeaseRow; indexes: { byExpiry: [string, number] } };
  meta: { key: string; value: MetaRow };
  items: {
    key: [string, string];
    value: ItemRow;
    indexes: {
      byOrder: [string, number, number];
      byStatus: [string, ItemState, number];
      byEntity: [string, Entity, number];
      /** [connector, product ref] of a pending variant upsert (keyed by `pending.change.parentRef`). */
      byParent: [string, string];
    };
  };
  hashes: { key: [string, string]; value: { c: string; key: string; hash: string } };
  targetIds: { key: [string, string]; value: { c: string; key: string; id: string } };
  events: { key: [string, string]; value: EventRow; indexes: { byStart: [string, number, string] } };
  logs: { key: number; value: LogRow; indexes: { byEvent: [string, string] } };
  connectors: { key: string; value: ConnectorRow };
}

type UpgradeTx = IDBPTransaction<ShopsyncDB, StoreNames<ShopsyncDB>[], 'versionchange'>;

/**
 * Schema migrations, one per version, applied in order on open (idb's `upgrade`). Version 1
 * created the stores and the drain-order index; version 2 added the indexes of the item tab's
 * status and type filters; version 3 added `byParent`, the pending variant upserts by product,
 * which a lease reads to take a product with its variants (see lease-reads.ts); version 4 added
 * the connector registry's store (see registry.ts).
 * Creating an index indexes the rows already stored, so no migration rewrites rows.
 * A database is never changed by a migration it does not need.
 */
export const MIGRATIONS: ReadonlyArray<(db: IDBPDatabase<ShopsyncDB>, tx: UpgradeTx) => void> = [
  (db) => {
    db.createObjectStore('leases', { keyPath: ['c', 'id'] }).createIndex('byExpiry', ['c', 'expiresAt']);
    db.createObjectStore('meta', { keyPath: 'c' });
    db.createObjectStore('items', { keyPath: ['c', 'key'] }).createIndex('byOrder', ['c', 'ob', 'os']);
    db.createObjectStore('hashes', { keyPath: ['c', 'key'] });
    db.createObjectStore('targetIds', { keyPath: ['c', 'key'] });
    db.createObjectStore('events', { keyPath: ['c', 'id'] }).createIndex('byStart', ['c', 's', 'id']);
    db.createObjectStore('logs', { autoIncrement: true }).createIndex('byEvent', ['c', 'e']);
  },
  (_db, tx) => {
    const items = tx.objectStore('items');
    items.createIndex('byStatus', ['c', 'st', 'u']);
    items.createIndex('byEntity', ['c', 'en', 'u']);
  },
  (_db, tx) => {
    // Only a variant upsert's change has a `parentRef`: a row is in this index exactly while it
    // holds one pending, under its product. The rows already queued are indexed as it is created.
    tx.objectStore('items').createIndex('byParent', ['c', 'pending.change.parentRef']);
  },
  (db) => {
    // The registry starts empty: a connector that already has a queue joins it when created (its counts are in `meta`).
    db.createObjectStore('connectors', { keyPath: 'c' });
  },
];

/** The newest schema version: the one `IndexedDbStorage.open` opens unless told otherwise. */
export const DB_VERSION = MIGRATIONS.length;
