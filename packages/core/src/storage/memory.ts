import { LeaseLostError } from '../errors/lease-error.js';
import { ShopsyncError } from '../errors/shopsync-error.js';
import { StorageClosedError } from '../errors/storage-closed-error.js';
import { newId } from '../ids.js';
import { bucketOf, BUCKET_COUNT } from '../queue/order.js';
import { planLease, runLeasePlan, type LeaseRead } from '../queue/lease-plan.js';
import { ENTITY_PLURAL, zeroCounts, type Entity, type EntityCounts } from '../schemas/common.js';
import type { SyncEvent } from '../schemas/event.js';
import type { ItemStatus } from '../schemas/item.js';
import type { LogEntry } from '../schemas/log.js';
import type { QueueEntry } from '../schemas/queue.js';
import type { AckCommit, ClaimRelease, ClaimRequest, ConnectorClaim, FleetEntry, ItemQuery, Lease, LeaseOptions, NewQueueEntry, Page, PageQuery, StorageAdapter } from './adapter.js';
import type { ConnectorRecord } from '../schemas/registry.js';
import { MemoryRegistry } from './memory-registry.js';
import { coalesce, compareEvents, compareItems, matchesItemQuery, mergeReturned, pendingItemStatus, settledItemStatus } from './rules.js';

interface HeldLease {
  expiresAt: number;
  entries: QueueEntry[];
}

const VARIANT_UPSERTS = bucketOf('variant', 'upsert');
const CATEGORY_UPSERTS = bucketOf('category', 'upsert');

function parentOf(entry: QueueEntry): string | undefined {
  return entry.change.entity === 'variant' && entry.change.op === 'upsert' ? entry.change.parentRef : undefined;
}

/**
 * One connector's data. The queue is six insertion-ordered maps, one per drain bucket, and an
 * index of the pending variant upserts by product (a lease takes a product with its variants).
 */
class ConnectorData {
  seq = 0;
  readonly buckets: Map<string, QueueEntry>[] = Array.from({ length: BUCKET_COUNT }, () => new Map());
  /** Product ref -> keys of its pending variant upserts. */
  readonly variantsOf = new Map<string, Set<string>>();
  /** A bucket whose insertion order no longer follows `seq` (an entry came back from a lease). */
  readonly unsorted: boolean[] = new Array<boolean>(BUCKET_COUNT).fill(false);
  readonly leases = new Map<string, HeldLease>();
  /** Leased key -> lease id. */
  readonly inflight = new Map<string, string>();
  readonly counts: EntityCounts = zeroCounts();
  readonly items = new Map<string, ItemStatus>();
  readonly hashes = new Map<string, string>();
  readonly targetIds = new Map<string, string>();
  readonly events = new Map<string, SyncEvent>();
  readonly logs = new Map<string, LogEntry[]>();

  /** The pending entry of a key: in its entity's upsert bucket or its delete bucket. */
  getPending(key: string, entity: Entity): QueueEntry | undefined {
    return this.buckets[bucketOf(entity, 'upsert')]!.get(key) ?? this.buckets[bucketOf(entity, 'delete')]!.get(key);
  }

  has(key: string, entity: Entity): boolean {
    return this.inflight.has(key) || this.getPending(key, entity) !== undefined;
  }

  /** Keeps `counts` exact: call with whether the key was present before a change to it. */
  recount(key: string, entity: Entity, wasPresent: boolean): void {
    const isPresent = this.has(key, entity);
    if (wasPresent !== isPresent) this.counts[ENTITY_PLURAL[entity]] += isPresent ? 1 : -1;
  }

  /** Replacing an entry in the same bucket keeps its map position (Map.set on a present key does). */
  putPending(entry: QueueEntry): void {
    const old = this.getPending(entry.key, entry.entity);
    const bucket = bucketOf(entry.entity, entry.change.op);
    if (old) {
      const oldBucket = bucketOf(old.entity, old.change.op);
      if (oldBucket !== bucket) this.buckets[oldBucket]!.delete(old.key);
      else if (old.seq !== entry.seq) this.unsorted[bucket] = true;
      this.#unindex(old);
    }
    this.buckets[bucket]!.set(entry.key, entry);
    const parent = parentOf(entry);
    if (parent !== undefined) {
      let keys = this.variantsOf.get(parent);
      if (!keys) this.variantsOf.set(parent, (keys = new Set()));
      keys.add(entry.key);
    }
  }

  takePending(entry: QueueEntry): void {
    this.buckets[bucketOf(entry.entity, entry.change.op)]!.delete(entry.key);
    this.#unindex(entry);
  }

  #unindex(entry: QueueEntry): void {
    const parent = parentOf(entry);
    const keys = parent === undefined ? undefined : this.variantsOf.get(parent);
    if (!keys) return;
    keys.delete(entry.key);
    if (keys.size === 0) this.variantsOf.delete(parent!);
  }

  /** Answers a lease plan's reads; `cursors` follow each bucket through one lease. */
  read(r: LeaseRead, cursors: Map<number, Iterator<QueueEntry>>): QueueEntry[] {
    if (r.read === 'variants') return [...(this.variantsOf.get(r.parentRef) ?? [])].map((k) => this.buckets[VARIANT_UPSERTS]!.get(k)!);
    if (r.read === 'categories') return r.refs.flatMap((ref) => this.buckets[CATEGORY_UPSERTS]!.get(`category:${ref}`) ?? []);
    let it = cursors.get(r.bucket);
    if (!it) {
      this.sortBucket(r.bucket);
      cursors.set(r.bucket, (it = this.buckets[r.bucket]!.values()));
    }
    const page: QueueEntry[] = [];
    while (page.length < r.size) {
      const next = it.next();
      if (next.done) break;
      page.push(next.value);
    }
    return page;
  }

  /** An entry back from a lease meets any newer change of its key; its bucket needs re-sorting. */
  returnEntry(entry: QueueEntry): void {
    const merged = mergeReturned(entry, this.getPending(entry.key, entry.entity));
    this.putPending(merged);
    this.unsorted[bucketOf(merged.entity, merged.change.op)] = true;
  }

  endLease(leaseId: string): HeldLease {
    const lease = this.leases.get(leaseId)!;
    this.leases.delete(leaseId);
    for (const e of lease.entries) this.inflight.delete(e.key);
    return lease;
  }

  reclaimExpired(now: number): void {
    for (const [id, lease] of this.leases) {
      if (lease.expiresAt > now) continue;
      this.endLease(id);
      for (const e of lease.entries) this.returnEntry(e);
    }
  }

  sortBucket(i: number): void {
    if (!this.unsorted[i]) return;
    const sorted = [...this.buckets[i]!.values()].sort((a, b) => a.seq - b.seq);
    const bucket = this.buckets[i]!;
    bucket.clear();
    for (const e of sorted) bucket.set(e.key, e);
    this.unsorted[i] = false;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The entries of `map` under `keys`, absent keys left out. */
function pick(map: ReadonlyMap<string, string>, keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const k of keys) {
    const v = map.get(k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

function setOrForget(map: Map<string, string>, entries: ReadonlyArray<{ key: string; value: string | null }>): void {
  for (const { key, value } of entries) {
    if (value === null) map.delete(key);
    else map.set(key, value);
  }
}

/**
 * Storage in memory: the embedded default. Fast and exact, but gone with the process; use a
 * durable adapter (IndexedDB in browsers, SQLite on servers) where the queue must survive.
 * Values handed in and out are copies, as a durable store's would be; queue entries, which
 * only the engine handles, are shared and must be treated as read-only.
 */
export class MemoryStorage implements StorageAdapter {
  readonly #connectors = new Map<string, ConnectorData>();
  readonly #registry = new MemoryRegistry((id) => {
    const c = this.#connectors.get(id)?.counts;
    return c ? c.categories + c.products + c.variants : 0;
  });
  #closed = false;

  #open(): MemoryRegistry {
    if (this.#closed) throw new StorageClosedError({ backend: 'memory' });
    return this.#registry;
  }

  #data(connectorId: string): ConnectorData {
    if (this.#closed) throw new StorageClosedError({ backend: 'memory' });
    let d = this.#connectors.get(connectorId);
    if (!d) {
      d = new ConnectorData();
      this.#connectors.set(connectorId, d);
    }
    return d;
  }

  async enqueue(connectorId: string, entries: readonly NewQueueEntry[], now: number): Promise<EntityCounts> {
    const d = this.#data(connectorId);
    const nowIso = iso(now);
    for (const incoming of entries) {
      const was = d.has(incoming.key, incoming.entity);
      d.putPending(coalesce(d.getPending(incoming.key, incoming.entity), incoming, ++d.seq, nowIso));
      d.items.set(incoming.key, pendingItemStatus(d.items.get(incoming.key), incoming, nowIso));
      d.recount(incoming.key, incoming.entity, was);
    }
    return { ...d.counts };
  }

  async lease(connectorId: string, options: LeaseOptions): Promise<Lease | null> {
    const d = this.#data(connectorId);
    d.reclaimExpired(options.now);
    const cursors = new Map<number, Iterator<QueueEntry>>();
    const taken = runLeasePlan(
      planLease(options.limit, (key) => d.inflight.has(key)),
      (r) => d.read(r, cursors),
    );
    if (taken.length === 0) return null;
    const id = newId('lease', options.now);
    const expiresAt = options.now + options.leaseMs;
    for (const e of taken) {
      d.takePending(e);
      d.inflight.set(e.key, id);
    }
    d.leases.set(id, { expiresAt, entries: taken });
    return { id, expiresAt, items: taken.slice() };
  }

  async ack(connectorId: string, leaseId: string, commit: AckCommit): Promise<EntityCounts> {
    const d = this.#data(connectorId);
    const lease = d.leases.get(leaseId);
    if (!lease || commit.now > lease.expiresAt) {
      if (lease) d.reclaimExpired(commit.now);
      throw new LeaseLostError(leaseId);
    }
    const outcomes = new Map<string, ItemStatus>();
    for (const item of commit.items) {
      const key = `${item.entity}:${item.ref}`;
      if (d.inflight.get(key) !== leaseId) throw new ShopsyncError('not_leased', `Item ${key} is not part of lease ${leaseId}.`);
      outcomes.set(key, item);
    }
    d.endLease(leaseId);
    for (const entry of lease.entries) {
      const outcome = outcomes.get(entry.key);
      // The commit's item objects become the store's: callers hand over fresh objects (the engine does).
      if (outcome) d.items.set(entry.key, settledItemStatus(outcome, d.getPending(entry.key, entry.entity) !== undefined));
      else d.returnEntry(entry);
      d.recount(entry.key, entry.entity, true);
    }
    setOrForget(d.hashes, (commit.hashes ?? []).map(({ key, hash }) => ({ key, value: hash })));
    if (commit.event) d.events.set(commit.event.id, { ...structuredClone(commit.event), pending: { ...d.counts } });
    if (commit.event && commit.logs?.length) this.#appendLogs(d, commit.event.id, commit.logs);
    return { ...d.counts };
  }

  async release(connectorId: string, leaseId: string): Promise<EntityCounts> {
    const d = this.#data(connectorId);
    if (!d.leases.has(leaseId)) throw new LeaseLostError(leaseId);
    const lease = d.endLease(leaseId);
    for (const entry of lease.entries) {
      d.returnEntry(entry);
      d.recount(entry.key, entry.entity, true);
    }
    return { ...d.counts };
  }

  async pendingCounts(connectorId: string): Promise<EntityCounts> {
    return { ...this.#data(connectorId).counts };
  }

  async getHashes(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return pick(this.#data(connectorId).hashes, keys);
  }

  async saveEvent(event: SyncEvent): Promise<void> {
    this.#data(event.connectorId).events.set(event.id, structuredClone(event));
  }

  async getEvent(connectorId: string, eventId: string): Promise<SyncEvent | undefined> {
    const e = this.#data(connectorId).events.get(eventId);
    return e && structuredClone(e);
  }

  async listEvents(connectorId: string, query: PageQuery): Promise<Page<SyncEvent>> {
    const all = [...this.#data(connectorId).events.values()].sort(compareEvents);
    return { items: structuredClone(all.slice(query.offset, query.offset + query.limit)), total: all.length };
  }

  async appendLogs(connectorId: string, eventId: string, entries: readonly LogEntry[]): Promise<void> {
    this.#appendLogs(this.#data(connectorId), eventId, entries);
  }

  #appendLogs(d: ConnectorData, eventId: string, entries: readonly LogEntry[]): void {
    let list = d.logs.get(eventId);
    if (!list) d.logs.set(eventId, (list = []));
    for (const e of entries) list.push(structuredClone(e));
  }

  async readLogs(connectorId: string, eventId: string): Promise<LogEntry[]> {
    return structuredClone(this.#data(connectorId).logs.get(eventId) ?? []);
  }

  async getItems(connectorId: string, keys: readonly string[]): Promise<ItemStatus[]> {
    const d = this.#data(connectorId);
    const out: ItemStatus[] = [];
    for (const k of keys) {
      const item = d.items.get(k);
      if (item) out.push(structuredClone(item));
    }
    return out;
  }

  async queryItems(connectorId: string, query: ItemQuery): Promise<Page<ItemStatus>> {
    const matched: ItemStatus[] = [];
    for (const item of this.#data(connectorId).items.values()) if (matchesItemQuery(item, query)) matched.push(item);
    matched.sort(compareItems);
    return { items: structuredClone(matched.slice(query.offset, query.offset + query.limit)), total: matched.length };
  }

  async getTargetIds(connectorId: string, keys: readonly string[]): Promise<Map<string, string>> {
    return pick(this.#data(connectorId).targetIds, keys);
  }

  async setTargetIds(connectorId: string, entries: ReadonlyArray<{ key: string; id: string | null }>): Promise<void> {
    setOrForget(this.#data(connectorId).targetIds, entries.map(({ key, id }) => ({ key, value: id })));
  }

  async createConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#open().create(record);
  }

  async updateConnector(record: ConnectorRecord): Promise<boolean> {
    return this.#open().update(record);
  }

  async deleteConnector(connectorId: string): Promise<boolean> {
    return this.#open().delete(connectorId);
  }

  async getConnector(connectorId: string): Promise<ConnectorRecord | undefined> {
    return this.#open().get(connectorId);
  }

  async listConnectors(query: PageQuery): Promise<Page<ConnectorRecord>> {
    return this.#open().list(query);
  }

  async claimConnectors(request: ClaimRequest): Promise<ConnectorClaim[]> {
    return this.#open().claim(request);
  }

  async renewConnectorClaim(connectorId: string, worker: string, now: number, leaseMs: number): Promise<boolean> {
    return this.#open().renew(connectorId, worker, now, leaseMs);
  }

  async releaseConnector(connectorId: string, worker: string, release: ClaimRelease): Promise<void> {
    this.#open().release(connectorId, worker, release);
  }

  async requestRun(connectorId: string, now: number): Promise<boolean> {
    return this.#open().requestRun(connectorId, now);
  }

  async fleetView(now: number): Promise<FleetEntry[]> {
    return this.#open().view(now);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#connectors.clear();
    this.#registry.clear();
  }
}
