import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite, { type Database, type Statement, type Transaction } from 'better-sqlite3';
import {
  ITEM_STATES,
  LeaseLostError,
  ShopsyncError,
  bucketOf,
  finishLeased,
  itemKey,
  itemStatusSchema,
  logEntrySchema,
  queueEntrySchema,
  syncEventSchema,
  parseItemKey,
  newId,
  planLease,
  queueInto,
  runLeasePlan,
  storedKeys,
  storedView,
  zeroCounts,
  ENTITY_PLURAL,
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
  type QueueEntry,
  type StorageAdapter,
  type StoredItem,
  type SyncEvent,
} from '@shopsync/core';
import { StorageClosedError, StorageCorruptError, StorageReadOnlyError, StorageVersionError } from './errors.js';
import { LeaseReads, prepareLeaseReads } from './lease.js';
import { corrupt, count, fail, instant, itemAt, json, record, rowOf, shaped, text, toEntry, type At } from './records.js';
import { SqliteRegistry, prepareRegistry } from './registry.js';
import { DB_VERSION, migrate } from './schema.js';

export interface SqliteStorageOptions {
  /** Path of the database file (its folder is created if missing), or `:memory:`. */
  path: string;
}

/** An item row as read: the pending change is stored as its parts (see schema.ts, versions 3 and 4). */
interface ItemDbRow {
  key: string;
  pending: string | null;
  force: number | null;
  enqueued_at: number | null;
  os: number | null;
  outcome: string | null;
  u: number;
}

const ITEM_COLUMNS = 'key, pending, force, enqueued_at, os, outcome, u';

interface MetaRow {
  seq: number;
  categories: number;
  products: number;
  variants: number;
}

interface LeaseDbRow {
  id: string;
  expires_at: number;
  /** JSON [key, item id, seq, key, item id, seq, ...] of what the lease handed out. */
  keys: string;
  /** JSON QueueEntry[]: handed-out entries whose row got a newer change while in flight. */
  superseded: string;
}

/** What a lease handed out, as stored: flat (key, item row id, seq) triples, so one array is parsed. */
class Handed {
  readonly #flat: Array<string | number>;
  readonly #at = new Map<string, number>();
  constructor(at: At, cell: unknown) {
    const flat = json(at, 'keys', cell);
    if (!Array.isArray(flat) || flat.length % 3 !== 0) fail(at, 'keys', 'a list of [key, item id, seq] triples', flat);
    this.#flat = flat as Array<string | number>;
    for (let i = 0; i < flat.length; i += 3) {
      if (typeof flat[i] !== 'string') fail(at, `keys[${i}]`, 'an item key', flat[i]);
      count(at, `keys[${i + 1}]`, flat[i + 1]);
      count(at, `keys[${i + 2}]`, flat[i + 2]);
      this.#at.set(flat[i] as string, i);
    }
  }
  keys(): IterableIterator<string> {
    return this.#at.keys();
  }
  has(key: string): boolean {
    return this.#at.has(key);
  }
  rowId(key: string): number {
    return this.#flat[this.#at.get(key)! + 1] as number;
  }
  seq(key: string): number {
    return this.#flat[this.#at.get(key)! + 2] as number;
  }
}

/** A lease being read or changed inside one transaction. */
interface OpenLease {
  row: LeaseDbRow;
  superseded?: QueueEntry[];
}

/** An item row as core's StoredItem: its pending change and/or its last outcome (core's itemStatusSchema), checked. */
function toStored(path: string, c: string, r: ItemDbRow): StoredItem {
  const at = itemAt(path, c, r.key);
  if (typeof r.key !== 'string') fail(at, 'key', 'an item key "type:ref"', r.key);
  const item: StoredItem = { key: r.key, ...parseItemKey(r.key) };
  if (r.pending !== null) {
    item.pending = toEntry(at, r.key, r.pending, r.force, r.os, r.enqueued_at);
    item.lastAt = instant(at, 'u', r.u);
  }
  if (r.outcome !== null) {
    const outcome = record(at, 'outcome', r.outcome, itemStatusSchema);
    if (itemKey(outcome.entity, outcome.ref) !== r.key) throw corrupt(at, 'outcome.ref', "expected the type and reference of the row's key");
    item.outcome = outcome;
  } else if (r.pending === null) {
    throw corrupt(at, 'pending', 'expected a queued change or an outcome, found neither');
  }
  return item;
}

/** The entries a lease row copied (`superseded`), each as core's queueEntrySchema accepts it. */
function supersededOf(at: At, cell: unknown): QueueEntry[] {
  const list = json(at, 'superseded', cell);
  if (!Array.isArray(list)) return fail(at, 'superseded', 'a list of queue entries', list);
  return list.map((e, i) => {
    const entry = shaped(at, `superseded[${i}]`, e, queueEntrySchema);
    if (entry.key !== itemKey(entry.entity, entry.ref)) throw corrupt(at, `superseded[${i}].key`, 'expected the type and reference of the entry');
    return entry;
  });
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

/** The `vp` column of a pending change: a variant upsert's product, else null (schema.ts, version 4). */
const productOf = (c: QueueEntry['change']): string | null => (c.entity === 'variant' && c.op === 'upsert' ? c.parentRef : null);

/**
 * A new item's row id is the next in its range of ids (range × 2^28 onwards), one range per drain
 * bucket except that product and variant upserts share one (a lease takes a product with its
 * variants): rows are laid out in about the order they will be leased, so a lease reads, and its
 * ack rewrites, neighbouring rows (fewer pages per transaction) rather than scattered ones. Ids
 * stay below 2^31, small integers for V8 (leases list them). A full range falls back to SQLite's choice.
 */
const ID_SPAN = 2 ** 28;
const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const PRODUCT_UPSERTS = bucketOf('product', 'upsert');
const idRangeOf = (bucket: number): number => (bucket === VARIANT_UPSERTS ? PRODUCT_UPSERTS : bucket);

/** The item tab's sort: newest first, then by key (= type, then reference, as keys are `type:ref`). */
const ITEM_ORDER = 'ORDER BY u DESC, key';

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
  readonly #s: ReturnType<typeof prepare>;
  /** The connector registry and the fleet's claims (registry.ts). */
  readonly #registry: SqliteRegistry;
  /** One transaction wrapper, made once: `immediate(fn)` runs `fn` as a writer from the start. */
  readonly #transaction: Transaction<(fn: () => unknown) => unknown>;
  readonly #queries = new Map<string, { page: Statement; count: Statement }>();
  /** Connector name -> its number in `connectors` (items name their connector by it). Only committed ones. */
  readonly #cids = new Map<string, number>();
  /** The last `updatedAt` parsed: an ack's outcomes mostly share one. */
  #lastTime = { iso: '', ms: 0 };

  private constructor(path: string, db: Database) {
    this.path = path;
    this.#db = db;
    this.#s = prepare(db);
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
      if (found > DB_VERSION) throw new StorageVersionError(path, found, DB_VERSION);
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
    if (this.#closed) throw new StorageClosedError(this.path);
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
      this.#cids.clear();
      throw err instanceof ShopsyncError ? err : classify(err, this.path);
    }
  }

  /** The connector's counts, each a non-negative integer (else StorageCorruptError). */
  #meta(c: string): MetaRow {
    const m = this.#s.getMeta.get(c) as MetaRow | undefined;
    if (!m) return { seq: 0, categories: 0, products: 0, variants: 0 };
    const at = this.#at('meta', c);
    return { seq: count(at, 'seq', m.seq), categories: count(at, 'categories', m.categories), products: count(at, 'products', m.products), variants: count(at, 'variants', m.variants) };
  }

  /** A row of `table`, for errors: the connector's (meta), or one named by `name` = `value`. */
  #at(table: string, c: string, name?: string, value?: string | number): At {
    return { path: this.path, table, row: () => (name === undefined ? `connector ${JSON.stringify(c)}` : rowOf(c, name, value!)) };
  }

  #putMeta(c: string, m: MetaRow): void {
    this.#s.putMeta.run(c, m.seq, m.categories, m.products, m.variants);
  }

  /** The number of connector `name` in `connectors`; with `create`, numbered now if it has none. */
  #cid(name: string, create = false): number | undefined {
    let id = this.#cids.get(name) ?? (this.#s.getCid.get(name) as number | undefined);
    if (id === undefined && create) id = Number(this.#s.addCid.run(name).lastInsertRowid);
    if (id !== undefined) this.#cids.set(name, id);
    return id;
  }

  #loadItem(c: string, key: string): StoredItem | undefined {
    const cid = this.#cid(c);
    const r = cid === undefined ? undefined : (this.#s.getItem.get(cid, key) as ItemDbRow | undefined);
    return r && toStored(this.path, c, r);
  }

  #putItem(c: string, item: StoredItem): void {
    const keys = storedKeys(item);
    const p = item.pending;
    this.#s.putItem.run(
      this.#cid(c, true),
      item.key,
      p ? JSON.stringify(p.change) : null,
      p ? Number(p.force) : null,
      p ? Date.parse(p.enqueuedAt) : null,
      keys.order?.[0] ?? null,
      keys.order?.[1] ?? null,
      p ? productOf(p.change) : null,
      item.outcome ? JSON.stringify(item.outcome) : null,
      keys.updated,
      keys.status,
    );
  }

  /** Epoch ms of an ISO instant, remembering the last one. */
  #time(iso: string): number {
    if (iso !== this.#lastTime.iso) this.#lastTime = { iso, ms: Date.parse(iso) };
    return this.#lastTime.ms;
  }

  /** The changes in flight (leased, lease not ended): key -> [seq, lease]. */
  #inflight(c: string): Map<string, [number, OpenLease]> {
    const out = new Map<string, [number, OpenLease]>();
    for (const row of this.#s.allLeases.all(c) as LeaseDbRow[]) {
      const lease: OpenLease = { row };
      const handed = new Handed(this.#at('leases', c, 'id', row.id), row.keys);
      for (const key of handed.keys()) out.set(key, [handed.seq(key), lease]);
    }
    return out;
  }

  async enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
    return this.#tx(() => {
      const m = this.#meta(connectorId);
      const inflight = this.#inflight(connectorId);
      const cid = this.#cid(connectorId, true);
      // Stored in ms, as the ISO instant a queue entry records (whole ms).
      const enqueuedAt = Date.parse(new Date(now).toISOString());
      const touched = new Set<OpenLease>();
      const lastId: number[] = [];
      for (const e of entries) {
        // Most keys are new: insert at once, and only read the row when one exists.
        const bucket = bucketOf(e.entity, e.change.op);
        const range = idRangeOf(bucket);
        const next = (lastId[range] ??= this.#s.lastId.get({ start: range * ID_SPAN, end: (range + 1) * ID_SPAN }) as number) + 1;
        const id = next < (range + 1) * ID_SPAN ? next : null;
        const fresh = this.#s.insertItem.run(id, cid, e.key, JSON.stringify(e.change), Number(e.force), enqueuedAt, bucket, m.seq + 1, productOf(e.change), now);
        if (fresh.changes > 0) {
          if (id !== null) lastId[range] = id;
          m.seq += 1;
          m[ENTITY_PLURAL[e.entity]] += 1;
          continue;
        }
        const before = this.#loadItem(connectorId, e.key)!;
        const [flyingSeq, lease] = inflight.get(e.key) ?? [];
        // The row still holds the change in flight: the lease keeps a copy, as the row is about to take a newer one.
        const flying = before.pending && before.pending.seq === flyingSeq ? before.pending : undefined;
        if (flying && lease) {
          (lease.superseded ??= supersededOf(this.#at('leases', connectorId, 'id', lease.row.id), lease.row.superseded)).push(flying);
          touched.add(lease);
        }
        const { row, added } = queueInto(before, e, flying, ++m.seq, now);
        if (added) m[ENTITY_PLURAL[e.entity]] += 1;
        this.#putItem(connectorId, row);
      }
      for (const lease of touched) this.#s.setSuperseded.run(JSON.stringify(lease.superseded), connectorId, lease.row.id);
      this.#putMeta(connectorId, m);
      return countsOf(m);
    });
  }

  async lease(connectorId: string, options: LeaseOptions): Promise<Lease | null> {
    return this.#tx(() => {
      this.#reclaimExpired(connectorId, options.now);
      const inflight = this.#inflight(connectorId);
      const cid = this.#cid(connectorId);
      if (cid === undefined) {
        this.#assertDrained(connectorId, inflight.size);
        return null;
      }
      // Product groups, as core's planLease decides; rows in flight keep their place, the plan steps over them.
      const reads = new LeaseReads(this.#s.lease, this.path, connectorId, cid);
      // A damaged change refuses the whole lease (nothing is handed out): never sent half-read.
      const { items, keys } = reads.handOut(runLeasePlan(planLease(options.limit, (key) => inflight.has(key)), reads.read));
      if (items.length === 0) {
        this.#assertDrained(connectorId, inflight.size);
        return null;
      }
      const id = newId('lease', options.now);
      const expiresAt = options.now + options.leaseMs;
      this.#s.putLease.run(connectorId, id, expiresAt, JSON.stringify(keys));
      return { id, expiresAt, items };
    });
  }

  /**
   * Nothing leasable: with no lease in flight either, the counts must say nothing is pending. If
   * they do not, `meta` (or the rows' drain columns) disagree with the queue, and a runner would
   * wait for items that never come: refused with a StorageCorruptError instead.
   */
  #assertDrained(c: string, inflight: number): void {
    if (inflight > 0) return;
    const m = this.#meta(c);
    for (const field of ['categories', 'products', 'variants'] as const) {
      if (m[field] > 0) throw corrupt(this.#at('meta', c), field, `${m[field]} pending, but no queued change of that type can be leased and none is leased (the counts or the items' drain columns are damaged)`);
    }
  }

  #reclaimExpired(c: string, now: number): void {
    for (const lease of this.#s.expiredLeases.all(c, now) as LeaseDbRow[]) {
      const removed = this.#endLease(c, lease, new Map(), undefined, now);
      this.#takeFromCounts(c, removed);
    }
  }

  #takeFromCounts(c: string, removed: EntityCounts): MetaRow {
    const m = this.#meta(c);
    if (removed.categories + removed.products + removed.variants === 0) return m;
    for (const field of ['categories', 'products', 'variants'] as const) {
      m[field] -= removed[field];
      // More finished than counted: the counts disagree with the queue (the transaction is rolled back).
      if (m[field] < 0) throw corrupt(this.#at('meta', c), field, `${m[field] + removed[field]} pending, but ${removed[field]} left the queue`);
    }
    this.#putMeta(c, m);
    return m;
  }

  /**
   * Ends a lease: finished items take their outcome; the others are pending again, in place.
   * Returns what left the queue. `handed` is what the lease handed out (needed with outcomes only).
   */
  #endLease(c: string, lease: LeaseDbRow, outcomes: ReadonlyMap<string, ItemStatus>, handed: Handed | undefined, now: number): EntityCounts {
    const removed = zeroCounts();
    const superseded = new Map(supersededOf(this.#at('leases', c, 'id', lease.id), lease.superseded).map((e) => [e.key, e]));
    for (const [key, outcome] of outcomes) {
      const seq = handed!.seq(key);
      if (!superseded.has(key)) {
        // No newer change waits: the row still holds the leased change (same seq), rewritten without reading it.
        const done = this.#s.finishCurrent.run(JSON.stringify(outcome), this.#time(outcome.updatedAt), outcome.status, handed!.rowId(key), seq);
        if (done.changes > 0) {
          removed[ENTITY_PLURAL[outcome.entity]] += 1;
          continue;
        }
      }
      const row = this.#leasedItem(c, lease, key);
      if (!row.pending && !superseded.has(key)) throw corrupt(itemAt(this.path, c, key), 'pending', 'expected the change its lease handed out, found none');
      // With an outcome, only the seq of the leased change matters (is the row's change newer?).
      this.#finish(c, row, superseded.get(key) ?? { ...row.pending!, seq }, outcome, now, removed);
    }
    // Unanswered items whose row took a newer change meet it; the others are pending again as they are.
    for (const [key, leased] of superseded) if (!outcomes.has(key)) this.#finish(c, this.#leasedItem(c, lease, key), leased, undefined, now, removed);
    this.#s.deleteLease.run(c, lease.id);
    return removed;
  }

  /** The row of an item a lease names: it must exist. */
  #leasedItem(c: string, lease: LeaseDbRow, key: string): StoredItem {
    const row = this.#loadItem(c, key);
    if (!row) throw corrupt(this.#at('leases', c, 'id', lease.id), 'keys', `expected items that exist, found ${JSON.stringify(key)}, which has no row`);
    return row;
  }

  #finish(c: string, row: StoredItem, leased: QueueEntry, outcome: ItemStatus | undefined, now: number, removed: EntityCounts): void {
    const done = finishLeased(row, leased, outcome, now);
    if (done.removed) removed[ENTITY_PLURAL[row.entity]] += 1;
    if (done.changed) this.#putItem(c, done.row);
  }

  async ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts> {
    let lost = false;
    const counts = this.#tx(() => {
      const lease = this.#s.getLease.get(connectorId, leaseId) as LeaseDbRow | undefined;
      if (lease) instant(this.#at('leases', connectorId, 'id', leaseId), 'expires_at', lease.expires_at);
      if (!lease || commit.now > lease.expires_at) {
        // An expired lease: its items return now (committed), then the ack is refused.
        if (lease) this.#reclaimExpired(connectorId, commit.now);
        lost = true;
        return undefined;
      }
      const handed = new Handed(this.#at('leases', connectorId, 'id', leaseId), lease.keys);
      const outcomes = new Map<string, ItemStatus>();
      for (const item of commit.items) {
        const key = `${item.entity}:${item.ref}`;
        if (!handed.has(key)) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leaseId}.`);
        outcomes.set(key, item);
      }
      const m = this.#takeFromCounts(connectorId, this.#endLease(connectorId, lease, outcomes, handed, commit.now));
      for (const { key, hash } of commit.hashes ?? []) {
        if (hash === null) this.#s.deleteHash.run(connectorId, key);
        else this.#s.putHash.run(connectorId, key, hash);
      }
      const counts = countsOf(m);
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
      return countsOf(this.#takeFromCounts(connectorId, this.#endLease(connectorId, lease, new Map(), undefined, lease.expires_at)));
    });
    if (lost || !counts) throw new LeaseLostError(leaseId);
    return counts;
  }

  async pendingCounts(connectorId: string): Promise<EntityCounts> {
    this.#conn();
    return countsOf(this.#meta(connectorId));
  }

  async getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#pick(this.#s.getHash, connectorId, keys, (r: { hash: unknown }, k) => text(this.#at('hashes', connectorId, 'key', k), 'hash', r.hash));
  }

  #pick<R>(stmt: Statement, c: string, keys: readonly string[], value: (r: R, key: string) => string): Map<string, string> {
    this.#conn();
    const out = new Map<string, string>();
    for (const k of keys) {
      const r = stmt.get(c, k) as R | undefined;
      if (r !== undefined) out.set(k, value(r, k));
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
    const r = this.#conn() && (this.#s.getEvent.get(connectorId, eventId) as { id: string; body: unknown } | undefined);
    return r ? this.#event(connectorId, r) : undefined;
  }

  async listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>> {
    this.#conn();
    const rows = this.#s.listEvents.all(connectorId, query.limit, query.offset) as Array<{ id: string; body: unknown }>;
    const total = (this.#s.countEvents.get(connectorId) as { n: number }).n;
    return { items: rows.map((r) => this.#event(connectorId, r)), total };
  }

  /** An events row's body, as core's syncEventSchema accepts it, and the event of that row. */
  #event(c: string, r: { id: string; body: unknown }): SyncEvent {
    const at = this.#at('events', c, 'id', r.id);
    const event = record(at, 'body', r.body, syncEventSchema);
    if (event.id !== r.id || event.connectorId !== c) throw corrupt(at, event.id !== r.id ? 'body.id' : 'body.connectorId', "expected the row's event id and connector");
    return event;
  }

  async appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void> {
    this.#tx(() => {
      for (const entry of entries) this.#s.addLog.run(connectorId, eventId, JSON.stringify(entry));
    });
  }

  async readLogs(connectorId: string, eventId: string): Promise<LogEntry[]> {
    this.#conn();
    return (this.#s.readLogs.all(connectorId, eventId) as Array<{ seq: number; body: unknown }>).map((r) => record(this.#at('logs', connectorId, 'seq', r.seq), 'body', r.body, logEntrySchema));
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

  /**
   * Filtered and paged in SQL, in the order core's `compareItems` defines (newest first, then
   * type, then reference). A row is either pending (in `items_order`) or finished (in
   * `items_done`, by status): each status wanted is one part, read from its index, and the parts
   * are merged. A type filter is, for pending rows, their two drain buckets; for finished ones,
   * the range of keys `type:…` of `items_key`.
   */
  async queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>> {
    const db = this.#conn();
    const cid = this.#cid(connectorId);
    if (cid === undefined) return { items: [], total: 0 };
    const params: Record<string, unknown> = { c: cid, limit: query.limit, offset: query.offset, n: query.offset + query.limit };
    const filters: string[] = [];
    const { entity, since, ref } = query;
    if (entity !== undefined) Object.assign(params, { upsertBucket: bucketOf(entity, 'upsert'), deleteBucket: bucketOf(entity, 'delete'), from: `${entity}:`, to: `${entity};` });
    if (since !== undefined) {
      filters.push('u >= @since');
      params.since = Date.parse(since);
    }
    if (ref !== undefined && ref !== '') {
      // instr() is case-sensitive, as the filter must be; the reference is the key after its type.
      filters.push("instr(substr(key, instr(key, ':') + 1), @ref) > 0");
      params.ref = ref;
    }
    const statuses = query.status !== undefined ? [query.status] : ITEM_STATES;
    const shape = `${statuses.join()}|${entity !== undefined}|${filters.join(' AND ')}`;
    // At most 4 statuses × 8 filter combinations: each pair of statements is prepared once.
    let q = this.#queries.get(shape);
    if (!q) {
      const parts = statuses.map((st) => {
        // `st <> 'pending'` is the partial index's condition: it makes `items_done` usable.
        const where = st === 'pending' ? ['connector = @c', 'ob IS NOT NULL'] : ['connector = @c', "st <> 'pending'", `st = '${st}'`];
        if (entity !== undefined) where.push(st === 'pending' ? 'ob IN (@upsertBucket, @deleteBucket)' : 'key >= @from AND key < @to');
        return [...where, ...filters].join(' AND ');
      });
      const keys =
        parts.length === 1
          ? `SELECT key, u FROM items WHERE ${parts[0]} ${ITEM_ORDER} LIMIT @limit OFFSET @offset`
          : `SELECT key, u FROM (${parts.map((w) => `SELECT * FROM (SELECT key, u FROM items WHERE ${w} ${ITEM_ORDER} LIMIT @n)`).join(' UNION ALL ')}) ${ITEM_ORDER} LIMIT @limit OFFSET @offset`;
      const columns = ITEM_COLUMNS.split(', ').map((col) => `i.${col}`);
      q = {
        page: db.prepare(`WITH page AS (${keys}) SELECT ${columns.join(', ')} FROM page JOIN items AS i ON i.connector = @c AND i.key = page.key ORDER BY page.u DESC, page.key`),
        count: db.prepare(`SELECT ${parts.map((w) => `(SELECT count(*) FROM items WHERE ${w})`).join(' + ')}`).pluck(),
      };
      this.#queries.set(shape, q);
    }
    // better-sqlite3 refuses named values a statement does not use.
    const used = (stmt: Statement) => Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`@${k}\\b`).test(stmt.source)));
    const rows = q.page.all(used(q.page)) as ItemDbRow[];
    const total = q.count.get(used(q.count)) as number;
    return { items: rows.map((r) => storedView(toStored(this.path, connectorId, r))), total };
  }

  async getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.#pick(this.#s.getTargetId, connectorId, keys, (r: { id: unknown }, k) => text(this.#at('target_ids', connectorId, 'key', k), 'id', r.id));
  }

  async setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    this.#tx(() => {
      for (const { key, id } of entries) {
        if (id === null) this.#s.deleteTargetId.run(connectorId, key);
        else this.#s.putTargetId.run(connectorId, key, id);
      }
    });
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

function prepare(db: Database) {
  return {
    // A connector's number in `connectors` (items name their connector by it); the registry is registry.ts.
    getCid: db.prepare('SELECT id FROM connectors WHERE name = ?').pluck(),
    addCid: db.prepare('INSERT INTO connectors (name) VALUES (?)'),
    getMeta: db.prepare('SELECT seq, categories, products, variants FROM meta WHERE connector = ?'),
    putMeta: db.prepare(
      'INSERT INTO meta (connector, seq, categories, products, variants) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (connector) DO UPDATE SET seq = excluded.seq, categories = excluded.categories, products = excluded.products, variants = excluded.variants',
    ),
    getItem: db.prepare(`SELECT ${ITEM_COLUMNS} FROM items WHERE connector = ? AND key = ?`),
    putItem: db.prepare(
      'INSERT INTO items (connector, key, pending, force, enqueued_at, ob, os, vp, outcome, u, st) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (connector, key) DO UPDATE SET pending = excluded.pending, force = excluded.force, enqueued_at = excluded.enqueued_at, ob = excluded.ob, os = excluded.os, vp = excluded.vp, outcome = excluded.outcome, u = excluded.u, st = excluded.st',
    ),
    insertItem: db.prepare(
      "INSERT INTO items (id, connector, key, pending, force, enqueued_at, ob, os, vp, u, st) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (connector, key) DO NOTHING",
    ),
    // The last id in a bucket's range (its start if none).
    lastId: db.prepare('SELECT coalesce(max(id), @start) FROM items WHERE id >= @start AND id < @end').pluck(),
    finishCurrent: db.prepare(
      'UPDATE items SET pending = NULL, force = NULL, enqueued_at = NULL, ob = NULL, os = NULL, vp = NULL, outcome = ?, u = ?, st = ? WHERE id = ? AND os = ?',
    ),
    lease: prepareLeaseReads(db),
    allLeases: db.prepare('SELECT id, expires_at, keys, superseded FROM leases WHERE connector = ?'),
    expiredLeases: db.prepare('SELECT id, expires_at, keys, superseded FROM leases WHERE connector = ? AND expires_at <= ? ORDER BY expires_at'),
    getLease: db.prepare('SELECT id, expires_at, keys, superseded FROM leases WHERE connector = ? AND id = ?'),
    putLease: db.prepare("INSERT INTO leases (connector, id, expires_at, keys, superseded) VALUES (?, ?, ?, ?, '[]')"),
    setSuperseded: db.prepare('UPDATE leases SET superseded = ? WHERE connector = ? AND id = ?'),
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
    getEvent: db.prepare('SELECT id, body FROM events WHERE connector = ? AND id = ?'),
    listEvents: db.prepare('SELECT id, body FROM events WHERE connector = ? ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?'),
    countEvents: db.prepare('SELECT count(*) AS n FROM events WHERE connector = ?'),
    addLog: db.prepare('INSERT INTO logs (connector, event_id, body) VALUES (?, ?, ?)'),
    readLogs: db.prepare('SELECT seq, body FROM logs WHERE connector = ? AND event_id = ? ORDER BY seq'),
  };
}
