import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import {
  LeaseLostError,
  ShopsyncError,
  ENTITY_PLURAL,
  type AckCommit,
  type ClaimRelease,
  type ClaimRequest,
  type ConnectorClaim,
  type ConnectorRecord,
  type FleetEntry,
  type EntityCounts,
  type ItemQuery,
  type ItemStatus,
  type Lease,
  type LeaseOptions,
  type LogEntry,
  type NewQueueEntry,
  type Page,
  type PageQuery,
  type QueueEntry,
  type StorageAdapter,
  type SyncEvent,
} from '@shopsync/core';
import {
  compareItems,
  finishLeased,
  matchesItemQuery,
  newId,
  parseItemKey,
  queueInto,
  settledItemStatus,
  storedKeys,
  storedView,
  zeroCounts,
  type StoredItem,
} from '@shopsync/core/internal';
import { blockedError, closedError, quotaError, supersededError, tooNewError } from './errors.js';
import { readItemRows } from './item-rows.js';
import { LeaseReads, type PageHints } from './lease-reads.js';
import { IdbRegistry } from './registry.js';
import { DB_VERSION, MIGRATIONS, type EventRow, type ItemRow, type LeaseRow, type MetaRow, type ShopsyncDB } from './schema.js';

/** Where an IndexedDbStorage keeps its data (the database name) and how it opens it. */
export interface IndexedDbStorageOptions {
  /** Database name; one database serves every connector of the origin. Default `shopsync`. */
  name?: string;
  /** Schema version to open (tests of the migration path); default the newest. */
  version?: number;
}

type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<ShopsyncDB, StoreNames<ShopsyncDB>[], Mode>;


function zeroMeta(c: string): MetaRow {
  return { c, seq: 0, categories: 0, products: 0, variants: 0 };
}

const countsOf = (m: MetaRow): EntityCounts => ({ categories: m.categories, products: m.products, variants: m.variants });

function isQuotaError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'QuotaExceededError';
}

/** A change in flight: its `seq`, the lease holding it, and the change itself once its row holds a newer one (`superseded`). */
interface Flight {
  seq: number;
  lease: LeaseRow;
  superseded?: QueueEntry;
}

/** The changes in flight, by key. */
function inflightOf(leases: readonly LeaseRow[]): Map<string, Flight> {
  const inflight = new Map<string, Flight>();
  for (const lease of leases) {
    lease.keys.forEach((key, i) => inflight.set(key, { seq: lease.seqs[i]!, lease }));
    for (const entry of lease.superseded ?? []) {
      const flight = inflight.get(entry.key);
      if (flight) flight.superseded = entry;
    }
  }
  return inflight;
}

function eventRow(event: SyncEvent): EventRow {
  return { c: event.connectorId, id: event.id, s: Date.parse(event.startedAt), event };
}

/**
 * The row to store for an item: its state plus the keys of the drain-order index while a change
 * is pending, else those of the status index (one index entry or the other, see schema.ts).
 * (`byParent` needs no key of its own: it reads `pending.change.parentRef`, so it follows the
 * pending change as it is replaced or dropped.)
 */
function toRow(c: string, item: StoredItem): ItemRow {
  const keys = storedKeys(item);
  const row: ItemRow = { c, key: item.key, entity: item.entity, ref: item.ref };
  if (item.pending) row.pending = item.pending;
  if (item.lastAt !== undefined) row.lastAt = item.lastAt;
  if (item.outcome) row.outcome = item.outcome;
  if (keys.order) [row.ob, row.os] = keys.order;
  else {
    row.st = keys.status;
    row.u = keys.updated;
  }
  return row;
}

/**
 * Durable storage for browsers, on IndexedDB through idb. Every operation is one transaction:
 * it happens whole or not at all, and survives a reload, a crash or a closed tab. Leased items
 * of a page that went away return to the queue when their lease expires.
 *
 * Layout (see schema.ts): one row per item, holding its pending change (the queue: by bucket
 * and arrival through the `byOrder` index, pending variant upserts by product through
 * `byParent`) and its last outcome (the item tab: settled rows by status through `byStatus`);
 * a lease row naming the changes it handed out, so that leasing writes one row and finishing
 * an item writes its row once; exact pending counts in a meta row. An enqueue reads the rows
 * of its batch by key ranges (`readItemRows`, item-rows.ts). What a lease takes is core's `planLease`,
 * answered by `LeaseReads` (lease-reads.ts) inside the lease's transaction. The connector
 * registry and the fleet's claims: one record per connector (`IdbRegistry`, registry.ts).
 */
export class IndexedDbStorage implements StorageAdapter {
  readonly name: string;
  #db: IDBPDatabase<ShopsyncDB> | undefined;
  #closedBecause: ShopsyncError | undefined;
  readonly #registry: IdbRegistry;
  /** Per connector, how much of each bucket its last lease looked at (a hint, see lease-reads.ts). */
  readonly #pageHints = new Map<string, PageHints>();

  private constructor(name: string) {
    this.name = name;
    this.#registry = new IdbRegistry(name, (stores, mode, fn) => this.#tx(stores, mode, fn));
  }

  /** Opens (creating or upgrading) the database. Rejects with a typed error if it cannot. */
  static async open(options: IndexedDbStorageOptions = {}): Promise<IndexedDbStorage> {
    const name = options.name ?? 'shopsync';
    const version = options.version ?? DB_VERSION;
    if (!Number.isInteger(version) || version < 1 || version > DB_VERSION) {
      throw new ShopsyncError('invalid_input', `Invalid storage options: version: expected an integer from 1 to ${DB_VERSION}`);
    }
    const storage = new IndexedDbStorage(name);
    let rejectBlocked: ((err: Error) => void) | undefined;
    const blocked = new Promise<never>((_, reject) => (rejectBlocked = reject));
    let giveUp = false;
    const opening = openDB<ShopsyncDB>(name, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        // In order, each after the requests of the one before; a failed one aborts the upgrade, so the open fails.
        void (async () => {
          for (let v = oldVersion; v < (newVersion ?? version); v++) await MIGRATIONS[v]!(db, tx);
        })().catch(() => {
          try {
            tx.abort();
          } catch {
            // Already aborted.
          }
        });
      },
      blocked() {
        // Another tab holds an older version open. Refuse now; if the open completes later,
        // when that tab lets go, the late connection is closed at once (below).
        giveUp = true;
        rejectBlocked?.(blockedError(name, version));
      },
      blocking() {
        // A newer version wants to open in another tab: step aside rather than block it.
        storage.#shutDown(supersededError(name));
      },
      terminated() {
        // The browser closed the connection (site data cleared, or a storage failure).
        storage.#shutDown(closedError(name, 'lost'));
      },
    }).then(
      (db) => {
        if (giveUp) db.close();
        return db;
      },
      (err: unknown) => {
        if (err instanceof DOMException && err.name === 'VersionError') throw tooNewError(name, version, err);
        if (isQuotaError(err)) throw quotaError(err);
        throw err;
      },
    );
    opening.catch(() => undefined);
    storage.#db = await Promise.race([opening, blocked]);
    return storage;
  }

  /** The schema version of the open database. */
  get version(): number {
    return this.#conn().version;
  }

  #shutDown(reason: ShopsyncError): void {
    if (this.#closedBecause) return;
    this.#closedBecause = reason;
    this.#db?.close();
    this.#db = undefined;
  }

  #conn(): IDBPDatabase<ShopsyncDB> {
    if (this.#closedBecause) throw this.#closedBecause;
    if (!this.#db) throw closedError(this.name, 'closed');
    return this.#db;
  }

  /** Runs `fn` in one transaction; the result counts only once the transaction has committed. */
  async #tx<Mode extends IDBTransactionMode, T>(stores: StoreNames<ShopsyncDB>[], mode: Mode, fn: (tx: Tx<Mode>) => Promise<T>): Promise<T> {
    const tx = this.#conn().transaction(stores, mode) as unknown as Tx<Mode>;
    try {
      const result = await fn(tx);
      await tx.done;
      return result;
    } catch (err) {
      try {
        tx.abort();
      } catch {
        // Already finished or aborted.
      }
      await tx.done.catch(() => undefined);
      if (isQuotaError(err) || (err instanceof DOMException && err.name === 'AbortError' && isQuotaError(tx.error))) {
        throw quotaError(err);
      }
      throw err;
    }
  }

  async enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
    return this.#tx(['items', 'leases', 'meta'], 'readwrite', async (tx) => {
      const items = tx.objectStore('items');
      const [meta, rows, leases] = await Promise.all([
        tx.objectStore('meta').get(connectorId),
        readItemRows(items, connectorId, [...new Set(entries.map((e) => e.key))]),
        this.#leases(tx, connectorId),
      ]);
      const inflight = inflightOf(leases);
      const m = meta ?? zeroMeta(connectorId);
      const touched = new Set<LeaseRow>();
      for (const e of entries) {
        const before = rows.get(e.key);
        const flight = inflight.get(e.key);
        if (flight && !flight.superseded && before?.pending?.seq === flight.seq) {
          // The row is about to take a newer change than the one in flight: the lease keeps that one from now on.
          flight.superseded = before.pending;
          (flight.lease.superseded ??= []).push(before.pending);
          touched.add(flight.lease);
        }
        const { row, added } = queueInto(before, e, flight?.superseded, ++m.seq, now);
        if (added) m[ENTITY_PLURAL[e.entity]] += 1;
        rows.set(e.key, toRow(connectorId, row));
      }
      for (const row of rows.values()) void items.put(row);
      for (const lease of touched) void tx.objectStore('leases').put(lease);
      void tx.objectStore('meta').put(m);
      return countsOf(m);
    });
  }

  /** The leases not ended yet. */
  #leases(tx: Tx<IDBTransactionMode>, connectorId: string): Promise<LeaseRow[]> {
    return tx.objectStore('leases').index('byExpiry').getAll(IDBKeyRange.bound([connectorId, -Infinity], [connectorId, Infinity]));
  }

  async lease(connectorId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.#tx(['items', 'leases', 'meta'], 'readwrite', async (tx) => {
      const inflight = inflightOf(await this.#reclaimExpired(tx, connectorId, options.now));
      // Core decides what to take (whole product groups); its reads are answered in this transaction.
      const flying = (key: string) => inflight.has(key);
      const reads = new LeaseReads(tx, connectorId, flying, this.#pageHints.get(connectorId));
      const leased = await reads.plan(options.limit);
      this.#pageHints.set(connectorId, reads.looked);
      if (leased.length === 0) return null;
      const id = newId('lease', options.now);
      const expiresAt = options.now + options.leaseMs;
      void tx.objectStore('leases').put({ c: connectorId, id, expiresAt, keys: leased.map((e) => e.key), seqs: leased.map((e) => e.seq) });
      return { id, expiresAt, items: leased };
    });
  }

  /** Ends every lease that expired by `now` (its items are pending again, in place); returns the others. */
  async #reclaimExpired(tx: Tx<'readwrite'>, connectorId: string, now: number): Promise<LeaseRow[]> {
    const leases = await this.#leases(tx, connectorId);
    await Promise.all(leases.filter((l) => l.expiresAt <= now).map((l) => this.#endLease(tx, l, new Map(), now)));
    return leases.filter((l) => l.expiresAt > now);
  }

  /**
   * Ends a lease inside `tx`: a finished item takes its outcome and leaves the queue unless a
   * newer change of it waits; the others are pending again (meeting any newer change of theirs).
   * Returns how many items left the queue, per entity.
   */
  async #endLease(tx: Tx<'readwrite'>, lease: LeaseRow, outcomes: ReadonlyMap<string, ItemStatus>, now: number): Promise<EntityCounts> {
    const c = lease.c;
    const items = tx.objectStore('items');
    const superseded = lease.superseded ?? [];
    const handedOut = new Set(superseded.map((e) => e.key));
    const removed = zeroCounts();
    // The rows of the others still hold the change this lease handed out: they are known without reading.
    for (const key of lease.keys) {
      const outcome = outcomes.get(key);
      if (!outcome || handedOut.has(key)) continue; // no outcome: pending again, in place
      const { entity, ref } = parseItemKey(key);
      void items.put(toRow(c, { key, entity, ref, outcome: settledItemStatus(outcome, false) }));
      removed[ENTITY_PLURAL[entity]] += 1;
    }
    // Rows that got a newer change while in flight are read: the outcome or the returned change meets it.
    const rows = await Promise.all(superseded.map((e) => items.get([c, e.key])));
    superseded.forEach((entry, i) => {
      const done = finishLeased(rows[i]!, entry, outcomes.get(entry.key), now);
      if (done.removed) removed[ENTITY_PLURAL[entry.entity]] += 1;
      if (done.changed) void items.put(toRow(c, done.row));
    });
    void tx.objectStore('leases').delete([c, lease.id]);
    return removed;
  }

  async ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts> {
    let lost = false;
    const counts = await this.#tx(['items', 'leases', 'meta', 'hashes', 'events', 'logs'], 'readwrite', async (tx) => {
      const [lease, meta] = await Promise.all([tx.objectStore('leases').get([connectorId, leaseId]), tx.objectStore('meta').get(connectorId)]);
      if (!lease || commit.now > lease.expiresAt) {
        // An expired lease: its items return now (committed), then the ack is refused.
        if (lease) await this.#reclaimExpired(tx, connectorId, commit.now);
        lost = true;
        return undefined;
      }
      const leased = new Set(lease.keys);
      const outcomes = new Map<string, ItemStatus>();
      for (const item of commit.items) {
        const key = `${item.entity}:${item.ref}`;
        if (!leased.has(key)) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leaseId}.`);
        outcomes.set(key, item);
      }
      const removed = await this.#endLease(tx, lease, outcomes, commit.now);
      const hashes = tx.objectStore('hashes');
      for (const { key, hash } of commit.hashes ?? []) void (hash === null ? hashes.delete([connectorId, key]) : hashes.put({ c: connectorId, key, hash }));
      const m = meta ?? zeroMeta(connectorId);
      m.categories -= removed.categories;
      m.products -= removed.products;
      m.variants -= removed.variants;
      void tx.objectStore('meta').put(m);
      if (commit.event) {
        void tx.objectStore('events').put(eventRow({ ...commit.event, pending: countsOf(m) }));
        const logs = tx.objectStore('logs');
        for (const entry of commit.logs ?? []) void logs.add({ c: connectorId, e: commit.event.id, entry });
      }
      return countsOf(m);
    });
    if (lost || !counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async release(connectorId: string, leaseId: string): Promise<EntityCounts> {
    let lost = false;
    const counts = await this.#tx(['items', 'leases', 'meta'], 'readwrite', async (tx) => {
      const [lease, meta] = await Promise.all([tx.objectStore('leases').get([connectorId, leaseId]), tx.objectStore('meta').get(connectorId)]);
      if (!lease) {
        lost = true;
        return undefined;
      }
      await this.#endLease(tx, lease, new Map(), lease.expiresAt);
      return countsOf(meta ?? zeroMeta(connectorId));
    });
    if (lost || !counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async pendingCounts(connectorId: string): Promise<EntityCounts> {
    return countsOf((await this.#conn().get('meta', connectorId)) ?? zeroMeta(connectorId));
  }

  async getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#tx(['hashes'], 'readonly', async (tx) => {
      const store = tx.objectStore('hashes');
      const rows = await Promise.all(keys.map((k) => store.get([connectorId, k])));
      return new Map(rows.flatMap((r) => (r ? [[r.key, r.hash] as [string, string]] : [])));
    });
  }

  async saveEvent(event: SyncEvent): Promise<void> {
    await this.#tx(['events'], 'readwrite', async (tx) => {
      void tx.objectStore('events').put(eventRow(event));
    });
  }

  async getEvent(connectorId: string, eventId: string): Promise<SyncEvent | undefined> {
    return (await this.#conn().get('events', [connectorId, eventId]))?.event;
  }

  async listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>> {
    return this.#tx(['events'], 'readonly', async (tx) => {
      const index = tx.objectStore('events').index('byStart');
      const range = IDBKeyRange.bound([connectorId, -Infinity, ''], [connectorId, Infinity, '\uffff']);
      const total = await index.count(range);
      const events: SyncEvent[] = [];
      let cursor = await index.openCursor(range, 'prev');
      if (cursor && query.offset > 0) cursor = await cursor.advance(query.offset);
      while (cursor && events.length < query.limit) {
        events.push(cursor.value.event);
        cursor = await cursor.continue();
      }
      return { items: events, total };
    });
  }

  async appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void> {
    await this.#tx(['logs'], 'readwrite', async (tx) => {
      const logs = tx.objectStore('logs');
      for (const entry of entries) void logs.add({ c: connectorId, e: eventId, entry });
    });
  }

  async readLogs(connectorId: string, eventId: string): Promise<LogEntry[]> {
    // Index order is (index key, primary key): entries of one event come back in the order added.
    return (await this.#conn().getAllFromIndex('logs', 'byEvent', [connectorId, eventId])).map((r) => r.entry);
  }

  async getItems(connectorId: string, keys: readonly string[]): Promise<ItemStatus[]> {
    return this.#tx(['items'], 'readonly', async (tx) => {
      const store = tx.objectStore('items');
      const rows = await Promise.all(keys.map((k) => store.get([connectorId, k])));
      return rows.flatMap((r) => (r ? [storedView(r)] : []));
    });
  }

  async queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>> {
    const since = query.since === undefined ? -Infinity : Date.parse(query.since);
    // The most selective index narrows the read; the rest of the filter and the order are core's.
    const rows = await this.#tx(['items'], 'readonly', async (tx) => {
      const store = tx.objectStore('items');
      // Pending rows are exactly the drain order's; the others are in `byStatus`, by status and time.
      if (query.status === 'pending') return store.index('byOrder').getAll(IDBKeyRange.bound([connectorId, -Infinity, -Infinity], [connectorId, Infinity, Infinity]));
      if (query.status !== undefined) {
        return store.index('byStatus').getAll(IDBKeyRange.bound([connectorId, query.status, since], [connectorId, query.status, Infinity]));
      }
      // Item keys begin with their entity (`product:P1`): an entity's rows are one range of keys (';' follows ':').
      if (query.entity !== undefined) return store.getAll(IDBKeyRange.bound([connectorId, `${query.entity}:`], [connectorId, `${query.entity};`], false, true));
      return store.getAll(IDBKeyRange.bound([connectorId, ''], [connectorId, '\uffff']));
    });
    const matched = rows.map(storedView).filter((i) => matchesItemQuery(i, query));
    matched.sort(compareItems);
    return { items: matched.slice(query.offset, query.offset + query.limit), total: matched.length };
  }

  async getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#tx(['targetIds'], 'readonly', async (tx) => {
      const store = tx.objectStore('targetIds');
      const rows = await Promise.all(keys.map((k) => store.get([connectorId, k])));
      return new Map(rows.flatMap((r) => (r ? [[r.key, r.id] as [string, string]] : [])));
    });
  }

  async setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    await this.#tx(['targetIds'], 'readwrite', async (tx) => {
      const store = tx.objectStore('targetIds');
      for (const { key, id } of entries) void (id === null ? store.delete([connectorId, key]) : store.put({ c: connectorId, key, id }));
    });
  }

  // ——— the connector registry and the fleet's claims (registry.ts) ———

  createConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#registry.create(record);
  }

  updateConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#registry.update(record);
  }

  deleteConnector(connectorId: string): Promise<boolean> {
    return this.#registry.delete(connectorId);
  }

  getConnector(connectorId: string): Promise<ConnectorRecord | undefined> {
    return this.#registry.get(connectorId);
  }

  listConnectors(query: PageQuery): Promise<Page<ConnectorRecord>> {
    return this.#registry.list(query);
  }

  claimConnectors(request: ClaimRequest): Promise<ConnectorClaim[]> {
    return this.#registry.claim(request);
  }

  renewConnectorClaim(connectorId: string, worker: string, now: number, leaseMs: number): Promise<boolean> {
    return this.#registry.renew(connectorId, worker, now, leaseMs);
  }

  releaseConnector(connectorId: string, worker: string, release: ClaimRelease): Promise<void> {
    return this.#registry.release(connectorId, worker, release);
  }

  requestRun(connectorId: string, now: number): Promise<boolean> {
    return this.#registry.requestRun(connectorId, now);
  }

  fleetView(now: number): Promise<FleetEntry[]> {
    return this.#registry.view(now);
  }

  async close(): Promise<void> {
    this.#shutDown(closedError(this.name, 'closed'));
  }
}
