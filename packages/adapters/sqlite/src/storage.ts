import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite, { type Database, type Statement, type Transaction } from 'better-sqlite3';
import {
  LeaseLostError,
  ShopsyncError,
  finishLeased,
  newId,
  queueInto,
  settledItemStatus,
  storedKeys,
  storedView,
  zeroCounts,
  ENTITY_PLURAL,
  type AckCommit,
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
  type StoredItem,
  type SyncEvent,
} from '@shopsync/core';
import { StorageClosedError, StorageCorruptError, StorageReadOnlyError, StorageVersionError } from './errors.js';
import { DB_VERSION, migrate } from './schema.js';

export interface SqliteStorageOptions {
  /** Path of the database file (its folder is created if missing), or `:memory:`. */
  path: string;
  /** Schema version to migrate to (tests of the migration path); default the newest. */
  version?: number;
}

interface ItemDbRow {
  key: string;
  entity: QueueEntry['entity'];
  ref: string;
  pending: string | null;
  last_at: number | null;
  outcome: string | null;
}

interface MetaRow {
  seq: number;
  categories: number;
  products: number;
  variants: number;
}

interface LeaseDbRow {
  id: string;
  expires_at: number;
  entries: string;
}

function toStored(r: ItemDbRow): StoredItem {
  const item: StoredItem = { key: r.key, entity: r.entity, ref: r.ref };
  if (r.pending !== null) item.pending = JSON.parse(r.pending) as QueueEntry;
  if (r.last_at !== null) item.lastAt = r.last_at;
  if (r.outcome !== null) item.outcome = JSON.parse(r.outcome) as ItemStatus;
  return item;
}

const countsOf = (m: MetaRow): EntityCounts => ({ categories: m.categories, products: m.products, variants: m.variants });

/** better-sqlite3 (SQLite) error codes that mean the file is not a usable database. */
const CORRUPT = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);
const READ_ONLY = new Set(['SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE']);

function classify(err: unknown, path: string): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (CORRUPT.has(code)) return new StorageCorruptError(path, { cause: err });
  if (READ_ONLY.has(code) || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return new StorageReadOnlyError(path, { cause: err });
  // mkdir of the folder: not allowed, read-only, or a file where a folder should be.
  if (['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST'].includes(code)) return new StorageReadOnlyError(path, { cause: err });
  return err;
}

/**
 * Durable embedded storage for server engines, on SQLite through better-sqlite3: WAL journal,
 * every operation one transaction, versioned migrations on open. The queue, history, item
 * statuses, logs and id mappings survive a restart or a crash of the process; items leased by a
 * process that died come back when their lease expires.
 */
export class SqliteStorage implements StorageAdapter {
  readonly path: string;
  readonly #db: Database;
  #closed = false;
  readonly #s: ReturnType<typeof prepare>;
  /** One transaction wrapper, made once: `immediate(fn)` runs `fn` as a writer from the start. */
  readonly #transaction: Transaction<(fn: () => unknown) => unknown>;
  readonly #queries = new Map<string, { page: Statement; count: Statement }>();

  private constructor(path: string, db: Database) {
    this.path = path;
    this.#db = db;
    this.#s = prepare(db);
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Opens (creating or migrating) the database. Throws a typed error if it cannot. */
  static open(options: SqliteStorageOptions): SqliteStorage {
    const { path } = options;
    if (typeof path !== 'string' || path.length === 0) {
      throw new ShopsyncError('invalid_input', 'Invalid storage options: path: expected the path of a database file, or ":memory:"');
    }
    const target = options.version ?? DB_VERSION;
    if (!Number.isInteger(target) || target < 1 || target > DB_VERSION) {
      throw new ShopsyncError('invalid_input', `Invalid storage options: version: expected an integer from 1 to ${DB_VERSION}`);
    }
    let db: Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Sqlite(path, { fileMustExist: false });
      // Reading the schema version is the first read of the file: a damaged one fails here.
      const found = db.pragma('user_version', { simple: true }) as number;
      if (found > DB_VERSION) throw new StorageVersionError(path, found, DB_VERSION);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('cache_size = -65536');
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma('foreign_keys = ON');
      migrate(db, target);
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
    if (this.#closed) throw new StorageClosedError(this.path);
    return this.#db;
  }

  /** Runs `fn` in one immediate transaction (a writer from the start), translating SQLite's errors. */
  #tx<T>(fn: () => T): T {
    this.#conn();
    try {
      return this.#transaction.immediate(fn) as T;
    } catch (err) {
      throw err instanceof ShopsyncError ? err : classify(err, this.path);
    }
  }

  #meta(c: string): MetaRow {
    return (this.#s.getMeta.get(c) as MetaRow | undefined) ?? { seq: 0, categories: 0, products: 0, variants: 0 };
  }

  #loadItem(c: string, key: string): StoredItem | undefined {
    const r = this.#s.getItem.get(c, key) as ItemDbRow | undefined;
    return r && toStored(r);
  }

  /** Writes an item's row; with `insert`, only if none exists (returns whether it wrote). */
  #putItem(c: string, item: StoredItem, mode: 'upsert' | 'insert' = 'upsert'): boolean {
    const keys = storedKeys(item);
    const params = {
      c,
      key: item.key,
      entity: item.entity,
      ref: item.ref,
      pending: item.pending ? JSON.stringify(item.pending) : null,
      last_at: item.lastAt ?? null,
      ob: keys.order?.[0] ?? null,
      os: keys.order?.[1] ?? null,
      outcome: item.outcome ? JSON.stringify(item.outcome) : null,
      u: keys.updated,
      st: keys.status,
    };
    return (mode === 'insert' ? this.#s.insertItem : this.#s.putItem).run(params).changes > 0;
  }

  /** The changes in flight (leased, lease not ended), by key. */
  #inflight(c: string): Map<string, QueueEntry> {
    const out = new Map<string, QueueEntry>();
    for (const l of this.#s.allLeases.all(c) as LeaseDbRow[]) for (const e of JSON.parse(l.entries) as QueueEntry[]) out.set(e.key, e);
    return out;
  }

  async enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
    return this.#tx(() => {
      const m = this.#meta(connectorId);
      const inflight = this.#inflight(connectorId);
      const seen = new Map<string, StoredItem>();
      for (const e of entries) {
        let before = seen.get(e.key);
        if (!before) {
          // Most keys are new: insert at once, and only read the row when one exists.
          const fresh = queueInto(undefined, e, undefined, m.seq + 1, now).row;
          if (this.#putItem(connectorId, fresh, 'insert')) {
            m.seq += 1;
            m[ENTITY_PLURAL[e.entity]] += 1;
            seen.set(e.key, fresh);
            continue;
          }
          before = this.#loadItem(connectorId, e.key);
        }
        const { row, added } = queueInto(before, e, inflight.get(e.key), ++m.seq, now);
        if (added) m[ENTITY_PLURAL[e.entity]] += 1;
        this.#putItem(connectorId, row);
        seen.set(e.key, row);
      }
      this.#s.putMeta.run({ c: connectorId, ...m });
      return countsOf(m);
    });
  }

  async lease(connectorId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.#tx(() => {
      this.#reclaimExpired(connectorId, options.now);
      const inflight = this.#inflight(connectorId);
      // Rows in flight keep their place in the order: read enough to step over them.
      const rows = this.#s.nextInOrder.all(connectorId, options.limit + inflight.size) as Array<{ key: string; pending: string }>;
      const items = rows
        .filter((r) => !inflight.has(r.key))
        .slice(0, options.limit)
        .map((r) => JSON.parse(r.pending) as QueueEntry);
      if (items.length === 0) return null;
      const id = newId('lease', options.now);
      const expiresAt = options.now + options.leaseMs;
      this.#s.putLease.run(connectorId, id, expiresAt, JSON.stringify(items));
      return { id, expiresAt, items };
    });
  }

  #reclaimExpired(c: string, now: number): void {
    for (const l of this.#s.expiredLeases.all(c, now) as LeaseDbRow[]) this.#endLease(c, l, new Map(), now);
  }

  /** Ends a lease: finished items take their outcome; the others are pending again. Returns what left the queue. */
  #endLease(c: string, lease: LeaseDbRow, outcomes: ReadonlyMap<string, ItemStatus>, now: number, entries = JSON.parse(lease.entries) as QueueEntry[]): EntityCounts {
    const removed = zeroCounts();
    for (const entry of entries) {
      const outcome = outcomes.get(entry.key);
      if (outcome) {
        // The common case in one statement: no newer change waits (the row's pending seq is the leased one).
        const settled = settledItemStatus(outcome, false);
        const done = this.#s.finishCurrent.run({ c, key: entry.key, os: entry.seq, outcome: JSON.stringify(settled), u: Date.parse(settled.updatedAt), st: settled.status });
        if (done.changes > 0) {
          removed[ENTITY_PLURAL[entry.entity]] += 1;
          continue;
        }
      }
      const done = finishLeased(this.#loadItem(c, entry.key)!, entry, outcome, now);
      if (done.removed) removed[ENTITY_PLURAL[entry.entity]] += 1;
      if (done.changed) this.#putItem(c, done.row);
    }
    this.#s.deleteLease.run(c, lease.id);
    if (removed.categories + removed.products + removed.variants > 0) {
      const m = this.#meta(c);
      this.#s.putMeta.run({ c, seq: m.seq, categories: m.categories - removed.categories, products: m.products - removed.products, variants: m.variants - removed.variants });
    }
    return removed;
  }

  async ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts> {
    let lost = false;
    const counts = this.#tx(() => {
      const lease = this.#s.getLease.get(connectorId, leaseId) as LeaseDbRow | undefined;
      if (!lease || commit.now > lease.expires_at) {
        // An expired lease: its items return now (committed), then the ack is refused.
        if (lease) this.#reclaimExpired(connectorId, commit.now);
        lost = true;
        return undefined;
      }
      const entries = JSON.parse(lease.entries) as QueueEntry[];
      const leased = new Set(entries.map((e) => e.key));
      const outcomes = new Map<string, ItemStatus>();
      for (const item of commit.items) {
        const key = `${item.entity}:${item.ref}`;
        if (!leased.has(key)) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leaseId}.`);
        outcomes.set(key, item);
      }
      this.#endLease(connectorId, lease, outcomes, commit.now, entries);
      for (const { key, hash } of commit.hashes ?? []) {
        if (hash === null) this.#s.deleteHash.run(connectorId, key);
        else this.#s.putHash.run(connectorId, key, hash);
      }
      const counts = countsOf(this.#meta(connectorId));
      if (commit.event) {
        this.#saveEvent({ ...commit.event, pending: counts });
        for (const entry of commit.logs ?? []) this.#s.addLog.run(connectorId, commit.event.id, JSON.stringify(entry));
      }
      return counts;
    });
    if (lost || !counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async release(connectorId: string, leaseId: string): Promise<EntityCounts> {
    let lost = false;
    const counts = this.#tx(() => {
      const lease = this.#s.getLease.get(connectorId, leaseId) as LeaseDbRow | undefined;
      if (!lease) {
        lost = true;
        return undefined;
      }
      this.#endLease(connectorId, lease, new Map(), lease.expires_at);
      return countsOf(this.#meta(connectorId));
    });
    if (lost || !counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async pendingCounts(connectorId: string): Promise<EntityCounts> {
    this.#conn();
    return countsOf(this.#meta(connectorId));
  }

  async getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#pick(this.#s.getHash, connectorId, keys, (r: { hash: string }) => r.hash);
  }

  #pick<R>(stmt: Statement, c: string, keys: readonly string[], value: (r: R) => string): Map<string, string> {
    this.#conn();
    const out = new Map<string, string>();
    for (const k of keys) {
      const r = stmt.get(c, k) as R | undefined;
      if (r !== undefined) out.set(k, value(r));
    }
    return out;
  }

  #saveEvent(event: SyncEvent): void {
    this.#s.putEvent.run(event.connectorId, event.id, Date.parse(event.startedAt), JSON.stringify(event));
  }

  async saveEvent(event: SyncEvent): Promise<void> {
    this.#tx(() => this.#saveEvent(event));
  }

  async getEvent(connectorId: string, eventId: string): Promise<SyncEvent | undefined> {
    const r = this.#conn() && (this.#s.getEvent.get(connectorId, eventId) as { body: string } | undefined);
    return r ? (JSON.parse(r.body) as SyncEvent) : undefined;
  }

  async listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>> {
    this.#conn();
    const rows = this.#s.listEvents.all(connectorId, query.limit, query.offset) as Array<{ body: string }>;
    const total = (this.#s.countEvents.get(connectorId) as { n: number }).n;
    return { items: rows.map((r) => JSON.parse(r.body) as SyncEvent), total };
  }

  async appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void> {
    this.#tx(() => {
      for (const entry of entries) this.#s.addLog.run(connectorId, eventId, JSON.stringify(entry));
    });
  }

  async readLogs(connectorId: string, eventId: string): Promise<LogEntry[]> {
    this.#conn();
    return (this.#s.readLogs.all(connectorId, eventId) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as LogEntry);
  }

  async getItems(connectorId: string, keys: readonly string[]): Promise<ItemStatus[]> {
    this.#conn();
    const out: ItemStatus[] = [];
    for (const k of keys) {
      const item = this.#loadItem(connectorId, k);
      if (item) out.push(storedView(item));
    }
    return out;
  }

  /** Filtered and paged in SQL, in the order core's `compareItems` defines (newest first, then entity, then reference). */
  async queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>> {
    const db = this.#conn();
    const where = ['connector = @c'];
    const params: Record<string, unknown> = { c: connectorId, limit: query.limit, offset: query.offset };
    if (query.status !== undefined) {
      where.push('st = @st');
      params.st = query.status;
    }
    if (query.entity !== undefined) {
      where.push('entity = @entity');
      params.entity = query.entity;
    }
    if (query.since !== undefined) {
      where.push('u >= @since');
      params.since = Date.parse(query.since);
    }
    if (query.ref !== undefined && query.ref !== '') {
      // instr() is case-sensitive, as the filter must be.
      where.push('instr(ref, @ref) > 0');
      params.ref = query.ref;
    }
    const clause = where.join(' AND ');
    // At most 16 filter combinations: each pair of statements is prepared once.
    let q = this.#queries.get(clause);
    if (!q) {
      q = {
        page: db.prepare(`SELECT key, entity, ref, pending, last_at, outcome FROM items WHERE ${clause} ORDER BY u DESC, entity ASC, ref ASC LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT count(*) AS n FROM items WHERE ${clause}`),
      };
      this.#queries.set(clause, q);
    }
    const rows = q.page.all(params) as ItemDbRow[];
    const { limit: _limit, offset: _offset, ...countParams } = params;
    const total = (q.count.get(countParams) as { n: number }).n;
    return { items: rows.map((r) => storedView(toStored(r))), total };
  }

  async getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#pick(this.#s.getTargetId, connectorId, keys, (r: { id: string }) => r.id);
  }

  async setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    this.#tx(() => {
      for (const { key, id } of entries) {
        if (id === null) this.#s.deleteTargetId.run(connectorId, key);
        else this.#s.putTargetId.run(connectorId, key, id);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }
}

function prepare(db: Database) {
  return {
    getMeta: db.prepare('SELECT seq, categories, products, variants FROM meta WHERE connector = ?'),
    putMeta: db.prepare(
      'INSERT INTO meta (connector, seq, categories, products, variants) VALUES (@c, @seq, @categories, @products, @variants) ' +
        'ON CONFLICT (connector) DO UPDATE SET seq = excluded.seq, categories = excluded.categories, products = excluded.products, variants = excluded.variants',
    ),
    getItem: db.prepare('SELECT key, entity, ref, pending, last_at, outcome FROM items WHERE connector = ? AND key = ?'),
    putItem: db.prepare(
      'INSERT INTO items (connector, key, entity, ref, pending, last_at, ob, os, outcome, u, st) VALUES (@c, @key, @entity, @ref, @pending, @last_at, @ob, @os, @outcome, @u, @st) ' +
        'ON CONFLICT (connector, key) DO UPDATE SET pending = excluded.pending, last_at = excluded.last_at, ob = excluded.ob, os = excluded.os, outcome = excluded.outcome, u = excluded.u, st = excluded.st',
    ),
    insertItem: db.prepare(
      'INSERT INTO items (connector, key, entity, ref, pending, last_at, ob, os, outcome, u, st) VALUES (@c, @key, @entity, @ref, @pending, @last_at, @ob, @os, @outcome, @u, @st) ON CONFLICT (connector, key) DO NOTHING',
    ),
    finishCurrent: db.prepare(
      'UPDATE items SET pending = NULL, last_at = NULL, ob = NULL, os = NULL, outcome = @outcome, u = @u, st = @st WHERE connector = @c AND key = @key AND os = @os',
    ),
    nextInOrder: db.prepare('SELECT key, pending FROM items WHERE connector = ? AND ob IS NOT NULL ORDER BY ob, os LIMIT ?'),
    allLeases: db.prepare('SELECT id, expires_at, entries FROM leases WHERE connector = ?'),
    expiredLeases: db.prepare('SELECT id, expires_at, entries FROM leases WHERE connector = ? AND expires_at <= ? ORDER BY expires_at'),
    getLease: db.prepare('SELECT id, expires_at, entries FROM leases WHERE connector = ? AND id = ?'),
    putLease: db.prepare('INSERT INTO leases (connector, id, expires_at, entries) VALUES (?, ?, ?, ?)'),
    deleteLease: db.prepare('DELETE FROM leases WHERE connector = ? AND id = ?'),
    getHash: db.prepare('SELECT hash FROM hashes WHERE connector = ? AND key = ?'),
    putHash: db.prepare('INSERT INTO hashes (connector, key, hash) VALUES (?, ?, ?) ON CONFLICT (connector, key) DO UPDATE SET hash = excluded.hash'),
    deleteHash: db.prepare('DELETE FROM hashes WHERE connector = ? AND key = ?'),
    getTargetId: db.prepare('SELECT id FROM target_ids WHERE connector = ? AND key = ?'),
    putTargetId: db.prepare('INSERT INTO target_ids (connector, key, id) VALUES (?, ?, ?) ON CONFLICT (connector, key) DO UPDATE SET id = excluded.id'),
    deleteTargetId: db.prepare('DELETE FROM target_ids WHERE connector = ? AND key = ?'),
    putEvent: db.prepare(
      'INSERT INTO events (connector, id, started_at, body) VALUES (?, ?, ?, ?) ON CONFLICT (connector, id) DO UPDATE SET started_at = excluded.started_at, body = excluded.body',
    ),
    getEvent: db.prepare('SELECT body FROM events WHERE connector = ? AND id = ?'),
    listEvents: db.prepare('SELECT body FROM events WHERE connector = ? ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?'),
    countEvents: db.prepare('SELECT count(*) AS n FROM events WHERE connector = ?'),
    addLog: db.prepare('INSERT INTO logs (connector, event_id, body) VALUES (?, ?, ?)'),
    readLogs: db.prepare('SELECT body FROM logs WHERE connector = ? AND event_id = ? ORDER BY seq'),
  };
}
