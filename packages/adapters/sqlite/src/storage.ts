/**
 * The storage class, `SqliteStorage`: it opens the file (options, pragmas, migrations), runs each
 * operation in one transaction and translates SQLite's errors into core's storage errors. Its
 * methods are thin: the operations are the queue's (queue.ts), the history's (history.ts) and the
 * registry's (registry.ts), over the prepared statements of statements.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite, { type Database, type Transaction } from 'better-sqlite3';
import {
  LeaseLostError,
  ShopsyncError,
  StorageClosedError,
  StorageCorruptError,
  StorageFullError,
  StorageReadOnlyError,
  StorageVersionError,
  type AckCommit,
  type ClaimRelease,
  type ClaimRequest,
  type ConnectorClaim,
  type ConnectorRecord,
  type EntityCounts,
  type FleetEntry,
  type ItemQuery,
  type ItemStatus,
  type Lease,
  type LeaseOptions,
  type LogEntry,
  type NewQueueEntry,
  type Page,
  type PageQuery,
  type StorageAdapter,
  type SyncEvent,
} from '@shopsync/core';
import { contextOf, type StorageContext } from './context.js';
import * as history from './history.js';
import * as queue from './queue.js';
import { SqliteRegistry, prepareRegistry } from './registry.js';
import { DB_VERSION, migrate } from './schema.js';

/** Where `SqliteStorage.open` keeps its database: a file path, or `:memory:`. */
export interface SqliteStorageOptions {
  /** Path of the database file (its folder is created if missing), or `:memory:`. */
  path: string;
}

/** better-sqlite3 (SQLite) error codes that mean the file is not a usable database. */
const CORRUPT = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
const READ_ONLY = new Set(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE']);
/** The disk (or the file system's quota) is full: SQLITE_FULL, or ENOSPC making the folder. */
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

function classify(err: unknown, path: string): unknown {
  const code = (err as { code?: string }).code ?? '';
  const where = { backend: 'sqlite', location: path, cause: err } as const;
  if (CORRUPT.has(code)) return new StorageCorruptError(where);
  if (FULL.has(code)) return new StorageFullError(where);
  if (READ_ONLY.has(code) || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return new StorageReadOnlyError(where);
  // mkdir of the folder: not allowed, read-only, or a file where a folder should be.
  if (['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(code)) return new StorageReadOnlyError(where);
  return err;
}

/**
 * Durable embedded storage for server engines, on SQLite through better-sqlite3: WAL journal,
 * every operation one transaction, versioned migrations on open. The queue, history, item
 * statuses, logs and id mappings survive a restart or a crash of the process; items leased by a
 * process that died come back when their lease expires.
 *
 * Layout (schema.ts): one row per item, holding its pending change (by drain bucket and seq
 * through the `items_order` index; a variant upsert also by its product, through `items_parent`)
 * and its last outcome (the item tab, through `items_done` once finished); a lease row listing
 * the keys it handed out. A lease hands out product groups, as core's `planLease` decides
 * (lease.ts answers its reads). Enqueueing a new item writes its row once; an ack rewrites each
 * finished row once, without reading it, unless a newer change arrived meanwhile.
 */
export class SqliteStorage implements StorageAdapter {
  readonly path: string;
  readonly #db: Database;
  #closed = false;
  /** The statements and what the connection remembers (context.ts), passed to queue.ts and history.ts. */
  readonly #ctx: StorageContext;
  /** The connector registry and the fleet's claims (registry.ts). */
  readonly #registry: SqliteRegistry;
  /** One transaction wrapper, made once: `immediate(fn)` runs `fn` as a writer from the start. */
  readonly #transaction: Transaction<(fn: () => unknown) => unknown>;

  private constructor(path: string, db: Database) {
    this.path = path;
    this.#db = db;
    this.#ctx = contextOf(db, path);
    this.#registry = new SqliteRegistry(prepareRegistry(db), path);
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Opens (creating or migrating) the database. Throws a typed error if it cannot. */
  static open(options: SqliteStorageOptions): SqliteStorage {
    const { path } = options;
    if (typeof path !== 'string' || path.length === 0) {
      throw new ShopsyncError('invalid_input', 'Invalid storage options: path: expected the path of a database file, or ":memory:"');
    }
    let db: Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Sqlite(path, { fileMustExist: false });
      // Reading the schema version is the first read of the file: a damaged one fails here.
      const found = db.pragma('user_version', { simple: true }) as number;
      if (found > DB_VERSION) throw new StorageVersionError({ backend: 'sqlite', location: path, found, expected: DB_VERSION });
      for (const pragma of PRAGMAS) db.pragma(pragma);
      migrate(db);
      return new SqliteStorage(path, db);
    } catch (err) {
      db?.close();
      if (err instanceof ShopsyncError) throw err;
      throw classify(err, path);
    }
  }

  /** The schema version of the open database. */
  get version(): number {
    return this.#conn().pragma('user_version', { simple: true }) as number;
  }

  #conn(): Database {
    if (this.#closed) throw new StorageClosedError({ backend: 'sqlite', location: this.path });
    return this.#db;
  }

  /**
   * Runs `fn` in one transaction, translating SQLite's errors: immediate (a writer from the start)
   * unless said otherwise; `deferred` for reads that must see one state (a page and its total).
   */
  #tx<T>(fn: () => T, mode: 'immediate' | 'deferred' = 'immediate'): T {
    this.#conn();
    try {
      return this.#transaction[mode](fn) as T;
    } catch (err) {
      // A connector numbered in the failed transaction was rolled back with it.
      this.#ctx.cids.clear();
      throw err instanceof ShopsyncError ? err : classify(err, this.path);
    }
  }

  /** Runs `fn`, a read, without a transaction of its own, once the storage is known to be open. */
  #read<T>(fn: (ctx: StorageContext) => T): T {
    this.#conn();
    return fn(this.#ctx);
  }

  // ——— the queue: queue.ts, each one immediate transaction ———

  async enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
    return this.#tx(() => queue.enqueue(this.#ctx, connectorId, entries, now));
  }

  async lease(connectorId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.#tx(() => queue.lease(this.#ctx, connectorId, options));
  }

  /** A lost lease is refused after the commit: an expired lease's items return to the queue even so. */
  async ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts> {
    const counts = this.#tx(() => queue.ack(this.#ctx, connectorId, leaseId, commit));
    if (!counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async release(connectorId: string, leaseId: string): Promise<EntityCounts> {
    const counts = this.#tx(() => queue.release(this.#ctx, connectorId, leaseId));
    if (!counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async pendingCounts(connectorId: string): Promise<EntityCounts> {
    return this.#read((ctx) => queue.pendingCounts(ctx, connectorId));
  }

  // ——— what happened: history.ts ———

  async getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#read((ctx) => history.getHashes(ctx, connectorId, keys));
  }

  async saveEvent(event: SyncEvent): Promise<void> {
    this.#tx(() => history.saveEvent(this.#ctx, event));
  }

  async getEvent(connectorId: string, eventId: string): Promise<SyncEvent | undefined> {
    return this.#read((ctx) => history.getEvent(ctx, connectorId, eventId));
  }

  async listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>> {
    return this.#read((ctx) => history.listEvents(ctx, connectorId, query));
  }

  async appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void> {
    this.#tx(() => history.appendLogs(this.#ctx, connectorId, eventId, entries));
  }

  async readLogs(connectorId: string, eventId: string): Promise<LogEntry[]> {
    return this.#read((ctx) => history.readLogs(ctx, connectorId, eventId));
  }

  async getItems(connectorId: string, keys: readonly string[]): Promise<ItemStatus[]> {
    return this.#read((ctx) => history.getItems(ctx, connectorId, keys));
  }

  async queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>> {
    return this.#read((ctx) => history.queryItems(ctx, connectorId, query));
  }

  async getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#read((ctx) => history.getTargetIds(ctx, connectorId, keys));
  }

  async setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    this.#tx(() => history.setTargetIds(this.#ctx, connectorId, entries));
  }

  // ——— the connector registry and the fleet's claims: registry.ts, each one transaction ———

  async createConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#tx(() => this.#registry.create(record));
  }

  async updateConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#tx(() => this.#registry.update(record));
  }

  async deleteConnector(connectorId: string): Promise<boolean> {
    return this.#tx(() => this.#registry.delete(connectorId));
  }

  async getConnector(connectorId: string): Promise<ConnectorRecord | undefined> {
    return this.#tx(() => this.#registry.get(connectorId), 'deferred');
  }

  async listConnectors(query: PageQuery): Promise<Page<ConnectorRecord>> {
    return this.#tx(() => this.#registry.list(query), 'deferred');
  }

  /** Immediate: two storages on one file (two processes) never claim the same connector. */
  async claimConnectors(request: ClaimRequest): Promise<ConnectorClaim[]> {
    return this.#tx(() => this.#registry.claim(request));
  }

  async renewConnectorClaim(connectorId: string, worker: string, now: number, leaseMs: number): Promise<boolean> {
    return this.#tx(() => this.#registry.renew(connectorId, worker, now, leaseMs));
  }

  async releaseConnector(connectorId: string, worker: string, release: ClaimRelease): Promise<void> {
    this.#tx(() => this.#registry.release(connectorId, worker, release));
  }

  async requestRun(connectorId: string, now: number): Promise<boolean> {
    return this.#tx(() => this.#registry.requestRun(connectorId, now));
  }

  async fleetView(now: number): Promise<FleetEntry[]> {
    return this.#tx(() => this.#registry.view(now), 'deferred');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

/**
 * WAL with synchronous=NORMAL: a commit is durable against a crash of the process (the crash
 * test kills it); a power loss may lose the last commits, never consistency. The bench's raw
 * baseline runs with these same pragmas.
 */
export const PRAGMAS: readonly string[] = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000', 'cache_size = -65536', 'wal_autocheckpoint = 10000', 'foreign_keys = ON'];
