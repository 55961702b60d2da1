import pg from 'pg';
import { z } from 'zod';
import {
  StorageVersionError,
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
  type StorageAdapter,
  type SyncEvent,
} from '@shopsync/core';
import { connectorIdSchema, parseOrThrow } from '@shopsync/core/internal';
import { getConnectorFlag, getEvent, getItems, listEvents, pick, queryItems, readLogs } from './history.js';
import { DB_VERSION, migrate, quoted, versionOf } from './migrations.js';
import { notifyChange, notifyCommand, type ConnectorCommand } from './notify.js';
import { clientConfigOf, describeDatabase, resolveOptions, type PostgresStorageOptions } from './options.js';
import * as queue from './queue.js';
import * as registry from './registry.js';
import { statements } from './sql.js';
import { Transactions, type Db, type TxSpec } from './transaction.js';

/** Changes one process queues before it first analyzes the items table; each next ANALYZE waits for twice as many, up to a million. */
const ANALYZE_FIRST = 10_000;
const ANALYZE_MAX = 1_000_000;

const commandSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('setEnabled'), enabled: z.boolean() }), z.strictObject({ type: z.literal('start') })]);

/**
 * Storage shared by many processes, on PostgreSQL 14+ through node-postgres (`pg`): every
 * operation one transaction, versioned migrations at open under an advisory lock, and a NOTIFY
 * for every change, sent at commit (notify.ts), so that any process sees any process's run.
 *
 * Layout (migrations.ts), as @shopsync/sqlite's: one row per item, holding its pending change
 * and its last outcome; exact pending counts per connector in `meta`; a row per live lease
 * naming what it handed out. A lease hands out product groups, as core's `planLease` decides
 * (lease.ts). The writers of one connector's queue take turns on its `meta` row, so two
 * processes leasing from one connector never get the same item, nor split a product group
 * between them; connectors never wait for each other. Who waits for whom: queue.ts.
 *
 * Errors: a lost connection is retried where safe (transaction.ts), else a
 * StorageConnectionError; a read-only database, a full disk, a newer schema and a damaged record
 * each have a typed error: core's storage errors, with `backend: 'postgres'`.
 */
export class PostgresStorage implements StorageAdapter {
  readonly #pool: pg.Pool;
  /** The pool was made here (from a URL): `close()` ends it. A host's pool is never ended here. */
  readonly #ownPool: boolean;
  readonly #url: string | undefined;
  readonly #schema: string;
  readonly #tx: Transactions;
  readonly #ctx: queue.QueueContext;
  #closed = false;

  private constructor(pool: pg.Pool, ownPool: boolean, url: string | undefined, schema: string, tx: Transactions, database: string) {
    this.#pool = pool;
    this.#ownPool = ownPool;
    this.#url = url;
    this.#schema = schema;
    this.#tx = tx;
    this.#ctx = { sql: statements(schema), database };
  }

  /**
   * Opens the storage: validates the options (a ValidationError names each field at fault), makes
   * the pool if given a URL, and brings the schema to the current version (creating it if
   * missing). Throws StorageVersionError for a schema newer than this code (nothing changed),
   * StorageReadOnlyError if it must migrate a read-only database, StorageConnectionError if the
   * server cannot be reached.
   */
  /** Changes this process queued since it last analyzed the items table, and how many it waits for before the next ANALYZE. */
  #queuedSinceAnalyze = 0;
  #analyzeAfter = ANALYZE_FIRST;

  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const o = resolveOptions(options);
    const ownPool = o.pool === undefined;
    const pool = o.pool ?? new pg.Pool({ connectionString: o.url, max: o.max, application_name: 'shopsync' });
    // An idle connection that breaks is dropped by the pool; without a listener its 'error' would end the process.
    if (ownPool) pool.on('error', () => undefined);
    const database = describeDatabase(o.schema, ownPool ? { connectionString: o.url! } : clientConfigOf(pool));
    let closed = (): boolean => false;
    const tx = new Transactions(pool, database, o.retry, () => closed());
    const storage = new PostgresStorage(pool, ownPool, o.url, o.schema, tx, database);
    closed = () => storage.#closed;
    try {
      // An up-to-date schema is only read (a replica opens); else migrated under the lock.
      const found = await tx.run({ name: 'open', mode: 'read' }, (db) => versionOf(db, o.schema));
      if (found > DB_VERSION) throw new StorageVersionError({ backend: 'postgres', location: database, found, expected: DB_VERSION });
      if (found < DB_VERSION) await tx.run({ name: 'open (migrations)', mode: 'write', repeatable: true }, (db) => migrate(db, o.schema, database));
      return storage;
    } catch (err) {
      if (ownPool) await pool.end();
      throw err;
    }
  }

  /** The pool the storage queries through (the host's, or the one made from `url`). */
  get pool(): pg.Pool {
    return this.#pool;
  }

  /** The PostgreSQL schema every table lives in. */
  get schema(): string {
    return this.#schema;
  }

  /** The storage as errors name it: `schema "shopsync" of database "app" on db:5432` (no credentials). */
  get database(): string {
    return this.#ctx.database;
  }

  /** The schema version of the database. */
  async version(): Promise<number> {
    return this.#run({ name: 'version', mode: 'read' }, (db) => versionOf(db, this.#schema));
  }

  /**
   * What a new `pg.Client` needs to reach the same database (e.g. a dedicated client that
   * LISTENs): `{ connectionString }` for a storage opened from a URL, else the host pool's
   * settings without its pool-only ones. A copy.
   */
  connectionConfig(): pg.ClientConfig {
    return this.#url !== undefined ? { connectionString: this.#url, application_name: 'shopsync' } : clientConfigOf(this.#pool);
  }

  #run<T>(spec: TxSpec, fn: (db: Db) => Promise<T>): Promise<T> {
    return this.#tx.run(spec, fn);
  }

  /**
   * Repeating an enqueue changes nothing (the same change coalesces): retried even when its
   * COMMIT went unanswered. After 10,000 changes this process queued, then 20,000 more, 40,000
   * more… (at most a million), the items table is analyzed: a queue filled faster than
   * autovacuum looks (or where it is off) otherwise has its leases and acks planned without
   * statistics, as scans of every row of the connector (bench:postgres measured 20-30 ms a
   * statement at 100,000 rows, 1-5 ms with statistics). Doubling keeps the cost of ANALYZE
   * a small share of the queue's however large it grows.
   */
  async enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
    const counts = await this.#run({ name: 'enqueue', mode: 'write', repeatable: true }, (db) => queue.enqueue(this.#ctx, db, connectorId, entries, now));
    this.#queuedSinceAnalyze += entries.length;
    if (this.#queuedSinceAnalyze >= this.#analyzeAfter) {
      this.#queuedSinceAnalyze = 0;
      this.#analyzeAfter = Math.min(this.#analyzeAfter * 2, ANALYZE_MAX);
      // Statistics only: a failure (a read-only replica, a lost connection) changes nothing.
      await this.#pool.query(`ANALYZE ${quoted(this.#schema)}.items`).catch(() => undefined);
    }
    return counts;
  }

  /** Many processes may lease from one connector: they take turns (queue.ts). Not repeated after an unanswered COMMIT: a lease made then returns its items when it expires. */
  async lease(connectorId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.#run({ name: 'lease', mode: 'write' }, (db) => queue.lease(this.#ctx, db, connectorId, options));
  }

  /** Not repeated after an unanswered COMMIT (a repeat would find the lease gone): StorageConnectionError with outcome `unknown`. */
  async ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts> {
    return queue.countsOrLost(await this.#run({ name: 'ack', mode: 'write' }, (db) => queue.ack(this.#ctx, db, connectorId, leaseId, commit)));
  }

  async release(connectorId: string, leaseId: string): Promise<EntityCounts> {
    return queue.countsOrLost(await this.#run({ name: 'release', mode: 'write' }, (db) => queue.release(this.#ctx, db, connectorId, leaseId)));
  }

  async pendingCounts(connectorId: string): Promise<EntityCounts> {
    return this.#run({ name: 'pendingCounts', mode: 'read' }, (db) => queue.pendingCounts(this.#ctx, db, connectorId));
  }

  async getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#run({ name: 'getHashes', mode: 'read' }, (db) => pick(this.#ctx, db, this.#ctx.sql.getHashes, 'hashes', 'hash', connectorId, keys));
  }

  /** Saving an event again replaces it: retried even when its COMMIT went unanswered. */
  async saveEvent(event: SyncEvent): Promise<void> {
    await this.#run({ name: 'saveEvent', mode: 'write', repeatable: true }, async (db) => {
      await queue.saveEvent(this.#ctx, db, event);
      await notifyChange(db, this.#ctx.sql.notify, { c: event.connectorId, t: 'event', e: event.id });
    });
  }

  async getEvent(connectorId: string, eventId: string): Promise<SyncEvent | undefined> {
    return this.#run({ name: 'getEvent', mode: 'read' }, (db) => getEvent(this.#ctx, db, connectorId, eventId));
  }

  async listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>> {
    return this.#run({ name: 'listEvents', mode: 'snapshot' }, (db) => listEvents(this.#ctx, db, connectorId, query));
  }

  /** Appending adds lines: never repeated after an unanswered COMMIT (that would double them). */
  async appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#run({ name: 'appendLogs', mode: 'write' }, async (db) => {
      await db.query(this.#ctx.sql.addLogs, [connectorId, eventId, entries.map((e) => JSON.stringify(e))]);
      await notifyChange(db, this.#ctx.sql.notify, { c: connectorId, t: 'logs', e: eventId });
    });
  }

  async readLogs(connectorId: string, eventId: string): Promise<LogEntry[]> {
    return this.#run({ name: 'readLogs', mode: 'read' }, (db) => readLogs(this.#ctx, db, connectorId, eventId));
  }

  async getItems(connectorId: string, keys: readonly string[]): Promise<ItemStatus[]> {
    return this.#run({ name: 'getItems', mode: 'read' }, (db) => getItems(this.#ctx, db, connectorId, keys));
  }

  async queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>> {
    return this.#run({ name: 'queryItems', mode: 'snapshot' }, (db) => queryItems(this.#ctx, db, this.#schema, connectorId, query));
  }

  async getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#run({ name: 'getTargetIds', mode: 'read' }, (db) => pick(this.#ctx, db, this.#ctx.sql.getTargetIds, 'target_ids', 'id', connectorId, keys));
  }

  /** Setting ids to values: retried even when its COMMIT went unanswered. No notice (nothing a view shows). */
  async setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    const last = new Map(entries.map((e) => [e.key, e.id]));
    const set = [...last].filter((e): e is [string, string] => e[1] !== null);
    const forget = [...last].filter(([, id]) => id === null).map(([key]) => key);
    if (set.length + forget.length === 0) return;
    await this.#run({ name: 'setTargetIds', mode: 'write', repeatable: true }, async (db) => {
      if (set.length) await db.query(this.#ctx.sql.putTargetIds, [connectorId, set.map((e) => e[0]), set.map((e) => e[1])]);
      if (forget.length) await db.query(this.#ctx.sql.deleteTargetIds, [connectorId, forget]);
    });
  }

  // ——— the connector registry and the fleet's claims (registry.ts) ———

  /** Not repeated after an unanswered COMMIT (a repeat would find the connector and say false). */
  async createConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#run({ name: 'createConnector', mode: 'write' }, (db) => registry.createConnector(this.#ctx, db, record));
  }

  async updateConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#run({ name: 'updateConnector', mode: 'write', repeatable: true }, (db) => registry.updateConnector(this.#ctx, db, record));
  }

  async deleteConnector(connectorId: string): Promise<boolean> {
    return this.#run({ name: 'deleteConnector', mode: 'write' }, (db) => registry.deleteConnector(this.#ctx, db, connectorId));
  }

  async getConnector(connectorId: string): Promise<ConnectorRecord | undefined> {
    return this.#run({ name: 'getConnector', mode: 'read' }, (db) => registry.getConnector(this.#ctx, db, connectorId));
  }

  async listConnectors(query: PageQuery): Promise<Page<ConnectorRecord>> {
    return this.#run({ name: 'listConnectors', mode: 'snapshot' }, (db) => registry.listConnectors(this.#ctx, db, query));
  }

  /** One statement: connectors with work are locked with FOR UPDATE SKIP LOCKED and marked claimed (registry.ts). Not repeated after an unanswered COMMIT: a claim made then expires by itself. */
  async claimConnectors(request: ClaimRequest): Promise<ConnectorClaim[]> {
    return this.#run({ name: 'claimConnectors', mode: 'write' }, (db) => registry.claimConnectors(this.#ctx, db, request));
  }

  async renewConnectorClaim(connectorId: string, worker: string, now: number, leaseMs: number): Promise<boolean> {
    return this.#run({ name: 'renewConnectorClaim', mode: 'write', repeatable: true }, (db) => registry.renewConnectorClaim(this.#ctx, db, connectorId, worker, now, leaseMs));
  }

  async releaseConnector(connectorId: string, worker: string, release: ClaimRelease): Promise<void> {
    await this.#run({ name: 'releaseConnector', mode: 'write', repeatable: true }, (db) => registry.releaseConnector(this.#ctx, db, connectorId, worker, release));
  }

  /** One statement; repeated after an unanswered COMMIT (a request made twice is one request). */
  async requestRun(connectorId: string, now: number): Promise<boolean> {
    return this.#run({ name: 'requestRun', mode: 'write', repeatable: true }, (db) => registry.requestRun(this.#ctx, db, connectorId, now));
  }

  async fleetView(now: number): Promise<FleetEntry[]> {
    return this.#run({ name: 'fleetView', mode: 'read' }, (db) => registry.fleetView(this.#ctx, db, now));
  }

  /** Whether a connector is enabled, and since when (ISO); undefined if it was never set (the registry's record, or a flag set alone). Not part of StorageAdapter. */
  async getConnectorFlag(connectorId: string): Promise<{ enabled: boolean; updatedAt: string } | undefined> {
    return this.#run({ name: 'getConnectorFlag', mode: 'read' }, (db) => getConnectorFlag(this.#ctx, db, connectorId));
  }

  /**
   * Records whether a connector is enabled (`now`: epoch ms). When that changes, announces it
   * (`{"c", "t": "connector"}` on `shopsync_changes`). Not part of StorageAdapter.
   */
  async setConnectorEnabled(connectorId: string, enabled: boolean, now: number): Promise<void> {
    parseOrThrow(connectorIdSchema, connectorId, 'connectorId');
    parseOrThrow(z.boolean(), enabled, 'enabled');
    await this.#run({ name: 'setConnectorEnabled', mode: 'write', repeatable: true }, async (db) => {
      const changed = await db.query(this.#ctx.sql.setConnectorEnabled, [connectorId, enabled, now, new Date(now).toISOString()]);
      if (changed.length > 0) await notifyChange(db, this.#ctx.sql.notify, { c: connectorId, t: 'connector' });
    });
  }

  /**
   * Asks the worker running a connector to do something: `NOTIFY shopsync_commands` with
   * `{"c": connectorId, "cmd": command}`, in a transaction that stores nothing. Whoever listens
   * acts; nobody listening, nothing happens. Not part of StorageAdapter.
   */
  async sendCommand(connectorId: string, command: ConnectorCommand): Promise<void> {
    parseOrThrow(connectorIdSchema, connectorId, 'connectorId');
    const cmd = parseOrThrow(commandSchema, command, 'command');
    await this.#run({ name: 'sendCommand', mode: 'write', repeatable: true }, (db) => notifyCommand(db, this.#ctx.sql.notify, { c: connectorId, cmd }));
  }

  /** Closes the storage: further calls throw StorageClosedError. Ends the pool if it was made from a URL, never a host's. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownPool) await this.#pool.end();
  }
}
