import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Entity, ItemState, LogEntry, QueueEntry, StoredItem, SyncEvent } from '@shopsync/core';

/**
 * One row per item key: the item's pending change while it has one and its last outcome once it
 * has one; `u`/`st`/`en` (updated, status, entity) are the keys of the item tab's indexes.
 *
 * A row keeps its pending change while the item is in flight (the lease holds a copy of what
 * it handed out); a change that arrives meanwhile replaces `pending` with a new `seq`, which is
 * how an ack tells that a newer change waits. `ob`/`os` (bucket, seq) exist only while a change
 * is pending, so the `byOrder` index holds exactly the queue, in drain order. Finishing an item
 * is one write: the row drops its pending change and takes the outcome.
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

export interface EventRow {
  c: string;
  id: string;
  s: number;
  event: SyncEvent;
}

export interface LogRow {
  c: string;
  e: string;
  entry: LogEntry;
}

export interface ShopsyncDB extends DBSchema {
  leases: { key: [string, string]; value: LeaseRow; indexes: { byExpiry: [string, number] } };
  meta: { key: string; value: MetaRow };
  items: {
    key: [string, string];
    value: ItemRow;
    indexes: { byOrder: [string, number, number]; byStatus: [string, ItemState, number]; byEntity: [string, Entity, number] };
  };
  hashes: { key: [string, string]; value: { c: string; key: string; hash: string } };
  targetIds: { key: [string, string]; value: { c: string; key: string; id: string } };
  events: { key: [string, string]; value: EventRow; indexes: { byStart: [string, number, string] } };
  logs: { key: number; value: LogRow; indexes: { byEvent: [string, string] } };
}

type UpgradeTx = IDBPTransaction<ShopsyncDB, StoreNames<ShopsyncDB>[], 'versionchange'>;

/**
 * Schema migrations, one per version, applied in order on open (idb's `upgrade`). Version 1
 * created the stores and the drain-order index; version 2 added the indexes of the item tab's
 * status and type filters.
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
];

export const DB_VERSION = MIGRATIONS.length;
