import type { DBSchema, IDBPDatabase, IDBPTransaction, IndexNames, StoreNames } from 'idb';
import type { ConnectorRecord, Entity, ItemState, LogEntry, QueueEntry, SyncEvent } from '@shopsync/core';
import type { FleetState, StoredItem } from '@shopsync/core/internal';

/**
 * One row per item key: the item's pending change while it has one and its last outcome once it
 * has one. Each index holds only the rows it serves, so that writing a row writes few index
 * entries (the cost of a write grows with them):
 * - `ob`/`os` (bucket, seq) exist only while a change is pending, so the `byOrder` index holds
 *   exactly the queue, by bucket and arrival (and answers the item tab's `pending` filter);
 * - `st`/`u` (status, updated) are written only once no change is pending (version 5; before,
 *   every row had them), so the `byStatus` index holds the settled rows, for the item tab's
 *   other status filters (a row queued before version 5 keeps its `pending` status key until
 *   it is next written; the `pending` filter reads `byOrder`, never `byStatus`);
 * - the `byParent` index (version 3) keys a row by `pending.change.parentRef`, which only a
 *   pending variant upsert has: it holds exactly the pending variant upserts, by product, and
 *   follows the pending change by itself (a variant moved to another product, a delete
 *   replacing the upsert, a finished item).
 * The item tab's entity filter reads the key range of the entity (keys are `entity:ref`).
 *
 * A row keeps its pending change while the item is in flight (the lease knows its `seq`); a
 * change that arrives meanwhile replaces `pending` with a new `seq`, which is how an ack tells
 * that a newer change waits. Finishing an item is one write: the row drops its pending change
 * and takes the outcome.
 */
export interface ItemRow extends StoredItem {
  c: string;
  ob?: number;
  os?: number;
  u?: number;
  st?: ItemState;
  /** The key of the `byEntity` index of versions 2 to 4: a row written then has it until written again; nothing reads it. */
  en?: Entity;
}

/**
 * A lease (version 5): the keys it handed out and the `seq` of each change it handed out, in
 * lease order. The rows still hold those changes, so the lease copies none of them, until a
 * newer change of an item arrives while it is in flight: then the enqueue that brings it moves
 * the change handed out from the row into `superseded`, and only those rows are read when the
 * lease ends (the change handed out meets the newer one, as core's `finishLeased` says).
 */
export interface LeaseRow {
  c: string;
  id: string;
  expiresAt: number;
  keys: string[];
  seqs: number[];
  superseded?: QueueEntry[];
}

/** A lease as versions 1 to 4 stored it: a copy of every change it handed out, and the keys that got a newer one. */
interface LeaseRowV4 {
  c: string;
  id: string;
  expiresAt: number;
  entries: QueueEntry[];
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

/** The item tab's entity index of versions 2 to 4 (`ShopsyncDB` names the indexes of today only). */
const BY_ENTITY = 'byEntity' as IndexNames<ShopsyncDB, 'items'>;

/**
 * Schema migrations, one per version, applied in order on open (idb's `upgrade`). Version 1
 * created the stores and the drain-order index; version 2 added the indexes of the item tab's
 * status and type filters; version 3 added `byParent`, the pending variant upserts by product,
 * which a lease reads to take a product with its variants (see lease-reads.ts); version 4 added
 * the connector registry's store (see registry.ts); version 5 made an item and a lease cheaper
 * to write (see `toVersion5`).
 * Creating an index indexes the rows already stored, so no migration rewrites items; version
 * 5 rewrites the leases (a few rows). A database is never changed by a migration it does not need.
 * A migration may await requests of the upgrade transaction, and the next one waits for it.
 */
export const MIGRATIONS: ReadonlyArray<(db: IDBPDatabase<ShopsyncDB>, tx: UpgradeTx) => void | Promise<void>> = [
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
    items.createIndex(BY_ENTITY, ['c', 'en', 'u']);
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
  (_db, tx) => toVersion5(tx),
];

/**
 * Version 5: an item's enqueue and its ack each write fewer index entries, and a lease no
 * longer copies the changes it hands out (issue #20: the writes per item are what IndexedDB
 * spends its time on). The `byEntity` index goes (an entity's rows are a range of keys); rows
 * are written from now on with the status keys only once settled (see `ItemRow`: the rows
 * already queued need no rewrite); a lease keeps keys and `seq`s, and the changes only of the
 * keys that got a newer change while in flight.
 */
async function toVersion5(tx: UpgradeTx): Promise<void> {
  tx.objectStore('items').deleteIndex(BY_ENTITY);
  let leases = await tx.objectStore('leases').openCursor();
  while (leases) {
    const old = leases.value as unknown as LeaseRowV4;
    const superseded = new Set(old.superseded);
    const row: LeaseRow = { c: old.c, id: old.id, expiresAt: old.expiresAt, keys: old.entries.map((e) => e.key), seqs: old.entries.map((e) => e.seq) };
    if (superseded.size > 0) row.superseded = old.entries.filter((e) => superseded.has(e.key));
    void leases.update(row);
    leases = await leases.continue();
  }
}

/** The newest schema version: the one `IndexedDbStorage.open` opens unless told otherwise. */
export const DB_VERSION = MIGRATIONS.length;
