import type { IDBPTransaction, StoreNames } from 'idb';
import {
  type ClaimRelease,
  type ClaimRequest,
  type ConnectorClaim,
  type ConnectorRecord,
  type FleetEntry,
  type Page,
  type PageQuery,
} from '@shopsync/core';
import {
  claimedState,
  compareClaimOrder,
  connectorRecordSchema,
  fleetEntry,
  fleetStateSchema,
  isClaimable,
  isClaimed,
  newFleetState,
  releasedState,
  renewedState,
  requestedState,
  type FleetState,
} from '@shopsync/core/internal';
import { connectorAt, count, fail, shaped } from './records.js';
import type { ConnectorRow, MetaRow, ShopsyncDB } from './schema.js';

type Tx<Mode extends IDBTransactionMode> = IDBPTransaction<ShopsyncDB, StoreNames<ShopsyncDB>[], Mode>;

/** Runs `fn` in one transaction over `stores`, counting its result once committed (IndexedDbStorage's). */
export type RunTx = <Mode extends IDBTransactionMode, T>(stores: StoreNames<ShopsyncDB>[], mode: Mode, fn: (tx: Tx<Mode>) => Promise<T>) => Promise<T>;

/** A connector as read back, checked: its row (written back as it was, with a new fleet state), record and fleet state. */
interface Entry {
  id: string;
  row: ConnectorRow;
  record: ConnectorRecord;
  fleet: FleetState;
}

/**
 * The connector registry and the fleet's claims on IndexedDB: one `connectors` record per
 * connector, keyed by its id, holding its registry record and its fleet state, under core's
 * shared rules (registry-rules.ts), as MemoryStorage keeps them. Each operation is one
 * transaction; a claim reads the candidates and writes their claims in one readwrite
 * transaction over `connectors` and `meta`, and IndexedDB runs readwrite transactions whose
 * stores overlap one after the other, across every connection of the origin: two tabs claiming
 * at once never both get a connector. Pending counts are the `meta` rows' (no scan of items),
 * read only for connectors whose claim depends on them.
 *
 * Every record is checked as read (core's `connectorRecordSchema`, `fleetStateSchema`; the meta
 * counts as non-negative integers): a damaged one is a StorageCorruptError naming the store,
 * the connector and the field, and the operation that met it changes nothing. An operation
 * checks what it uses: reading a record does not need its fleet state, nor an update (which
 * replaces the record) the old record; removing a connector reads nothing, so a damaged one
 * can always be removed.
 */
export class IdbRegistry {
  readonly #dbName: string;
  readonly #run: RunTx;

  constructor(dbName: string, run: RunTx) {
    this.#dbName = dbName;
    this.#run = run;
  }

  create(record: ConnectorRecord): Promise<boolean> {
    return this.#run(['connectors'], 'readwrite', async (tx) => {
      const store = tx.objectStore('connectors');
      if ((await store.getKey(record.config.id)) !== undefined) return false;
      void store.add({ c: record.config.id, record, fleet: newFleetState() });
      return true;
    });
  }

  update(record: ConnectorRecord): Promise<boolean> {
    return this.#run(['connectors'], 'readwrite', async (tx) => {
      const store = tx.objectStore('connectors');
      const row = await store.get(record.config.id);
      if (!row) return false;
      void store.put({ c: record.config.id, record, fleet: this.#fleet(row) });
      return true;
    });
  }

  delete(connectorId: string): Promise<boolean> {
    return this.#run(['connectors'], 'readwrite', async (tx) => {
      const store = tx.objectStore('connectors');
      if ((await store.getKey(connectorId)) === undefined) return false;
      void store.delete(connectorId);
      return true;
    });
  }

  get(connectorId: string): Promise<ConnectorRecord | undefined> {
    return this.#run(['connectors'], 'readonly', async (tx) => {
      const row = await tx.objectStore('connectors').get(connectorId);
      return row && this.#record(row);
    });
  }

  /** By id: the store's key order (UTF-16 code units, as core's sort). */
  list(query: PageQuery): Promise<Page<ConnectorRecord>> {
    return this.#run(['connectors'], 'readonly', async (tx) => {
      const store = tx.objectStore('connectors');
      const total = await store.count();
      const items: ConnectorRecord[] = [];
      let cursor = query.limit > 0 ? await store.openCursor() : null;
      if (cursor && query.offset > 0) cursor = await cursor.advance(query.offset);
      while (cursor && items.length < query.limit) {
        items.push(this.#record(cursor.value));
        cursor = await cursor.continue();
      }
      return { items, total };
    });
  }

  claim(r: ClaimRequest): Promise<ConnectorClaim[]> {
    return this.#run(['connectors', 'meta'], 'readwrite', async (tx) => {
      const entries = await this.#entries(tx);
      const pending = await this.#pending(tx, entries, r.now);
      const chosen = entries
        .filter((e) => isClaimable(e.record, e.fleet, pending.get(e.id) ?? 0, r.now))
        .sort(compareClaimOrder)
        .slice(0, r.limit);
      const store = tx.objectStore('connectors');
      return chosen.map((e) => {
        const fleet = claimedState(e.fleet, r.worker, r.now, r.leaseMs);
        void store.put({ ...e.row, fleet });
        const claim: ConnectorClaim = { record: e.record, claimUntil: fleet.claimUntil! };
        if (fleet.throttle) claim.throttle = { ...fleet.throttle };
        if (fleet.runRequestedAt !== undefined) claim.runRequestedAt = fleet.runRequestedAt;
        return claim;
      });
    });
  }

  renew(connectorId: string, worker: string, now: number, leaseMs: number): Promise<boolean> {
    return this.#change(connectorId, (fleet) => renewedState(fleet, worker, now, leaseMs));
  }

  async release(connectorId: string, worker: string, release: ClaimRelease): Promise<void> {
    await this.#change(connectorId, (fleet) => releasedState(fleet, worker, release));
  }

  requestRun(connectorId: string, now: number): Promise<boolean> {
    return this.#change(connectorId, (fleet) => requestedState(fleet, now));
  }

  view(now: number): Promise<FleetEntry[]> {
    return this.#run(['connectors', 'meta'], 'readonly', async (tx) => {
      const entries = await this.#entries(tx);
      const pending = await this.#pending(tx, entries, now);
      return entries
        .map((e) => fleetEntry(e.record, e.fleet, pending.get(e.id) ?? 0, now))
        .filter((x): x is FleetEntry => x !== undefined)
        .sort((a, b) => a.since - b.since || (a.connectorId < b.connectorId ? -1 : 1));
    });
  }

  /** Sets a connector's fleet state to `next(fleet)` in one transaction; false (nothing written) when there is no connector or `next` gives nothing. */
  #change(connectorId: string, next: (fleet: FleetState) => FleetState | undefined): Promise<boolean> {
    return this.#run(['connectors'], 'readwrite', async (tx) => {
      const store = tx.objectStore('connectors');
      const row = await store.get(connectorId);
      const fleet = row ? next(this.#fleet(row)) : undefined;
      if (!row || !fleet) return false;
      void store.put({ ...row, fleet });
      return true;
    });
  }

  /** Every connector, checked. */
  async #entries(tx: Tx<IDBTransactionMode>): Promise<Entry[]> {
    return (await tx.objectStore('connectors').getAll()).map((row) => ({ id: row.c, row, record: this.#record(row), fleet: this.#fleet(row) }));
  }

  /**
   * Pending items (queued or leased) of the connectors whose claim depends on them (enabled,
   * unclaimed, no run open nor requested), from their `meta` rows; a connector without one has none.
   */
  async #pending(tx: Tx<IDBTransactionMode>, entries: readonly Entry[], now: number): Promise<Map<string, number>> {
    const ids = entries.filter((e) => e.record.config.enabled && !e.fleet.open && e.fleet.runRequestedAt === undefined && !isClaimed(e.fleet, now)).map((e) => e.id);
    const meta = tx.objectStore('meta');
    const rows = await Promise.all(ids.map((id) => meta.get(id)));
    return new Map(ids.map((id, i) => [id, this.#counted(id, rows[i])]));
  }

  #counted(connectorId: string, row: MetaRow | undefined): number {
    if (!row) return 0;
    const at = connectorAt(this.#dbName, 'meta', connectorId);
    return count(at, 'categories', row.categories) + count(at, 'products', row.products) + count(at, 'variants', row.variants);
  }

  #record(row: ConnectorRow): ConnectorRecord {
    const at = connectorAt(this.#dbName, 'connectors', row.c);
    const record = shaped(at, 'record', row.record, connectorRecordSchema);
    if (record.config.id !== row.c) fail(at, 'record.config.id', `${JSON.stringify(row.c)}, the key of its record`, record.config.id);
    return record;
  }

  #fleet(row: ConnectorRow): FleetState {
    return shaped(connectorAt(this.#dbName, 'connectors', row.c), 'fleet', row.fleet, fleetStateSchema);
  }
}
