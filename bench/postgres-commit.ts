/**
 * What core's engine commits when it acknowledges an iteration in which every item synced
 * (engine.ts `#iterate` → `#commit`), for the PostgreSQL benchmark and its drain processes: per
 * item a `complete` status (the event's id, the store's id), per upsert its content hash, the
 * event with the new iteration appended (saved whole, as the engine saves it every iteration),
 * and the iteration's one log line. Not included: the engine's reads around the ack
 * (`getHashes`, `getItems`), which are operations of their own.
 */
import { type AckCommit, type ItemStatus, type Lease, type LogEntry, type NewQueueEntry, type SyncEvent } from '@shopsync/core';
import { SCHEMA_VERSION, newId, stableHash, zeroCounts } from '@shopsync/core/internal';

/** The content hash the engine stores for each upsert (`#hashOf`, language `en`), computed before anything is timed. */
export function hashesOf(entries: readonly NewQueueEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of entries) {
    const c = e.change;
    if (c.op === 'upsert') out.set(e.key, stableHash({ entity: c.entity, parentRef: 'parentRef' in c ? c.parentRef : undefined, data: c.data, language: 'en' }));
  }
  return out;
}

/** One run's event for a connector, and the ack commit of each iteration. */
export class EngineCommits {
  readonly event: SyncEvent;
  #shopifyIds = 0;

  constructor(connectorId: string, startedAt: number) {
    this.event = {
      v: SCHEMA_VERSION,
      id: newId('evt', startedAt),
      connectorId,
      status: 'in_progress',
      trigger: 'changes',
      startedAt: new Date(startedAt).toISOString(),
      pending: zeroCounts(),
      generalErrors: [],
      config: {
        shopDomain: 'bench.myshopify.com',
        apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false },
        disableDeletions: false,
        overwriteStock: false,
        includeEmptyCategories: false,
        language: 'en',
      },
      iterations: [],
      logsAvailable: false,
      pausedAt: [],
      resumedAt: [],
    };
  }

  /** The commit of the lease's iteration, every item synced; appends the iteration to the event. */
  commit(lease: Lease, hashes: ReadonlyMap<string, string>, startedAt: number, now: number): AckCommit {
    const event = this.event;
    const at = new Date(now).toISOString();
    const index = event.iterations.length + 1;
    const synced = zeroCounts();
    const items: ItemStatus[] = [];
    const hashUpdates: Array<{ key: string; hash: string | null }> = [];
    for (const e of lease.items) {
      const c = e.change;
      const s: ItemStatus = { v: SCHEMA_VERSION, entity: e.entity, ref: e.ref, op: c.op, status: 'complete', errors: [], syncEventId: event.id, updatedAt: at, consecutiveFailures: 0 };
      if ('parentRef' in c && c.parentRef !== undefined) s.parentRef = c.parentRef;
      if (c.op === 'upsert') s.shopifyId = `gid://shopify/${e.entity === 'variant' ? 'ProductVariant' : 'Product'}/${++this.#shopifyIds}`;
      items.push(s);
      hashUpdates.push({ key: e.key, hash: c.op === 'upsert' ? hashes.get(e.key)! : null });
      synced[e.entity === 'category' ? 'categories' : e.entity === 'product' ? 'products' : 'variants'] += 1;
    }
    event.iterations.push({ index, startedAt: new Date(startedAt).toISOString(), endedAt: at, synced, failed: zeroCounts(), skipped: zeroCounts() });
    event.logsAvailable = true;
    const log: LogEntry = {
      v: SCHEMA_VERSION,
      at,
      level: 'info',
      eventId: event.id,
      iteration: index,
      message: `Iteration ${index}: synchronized ${synced.categories} categories, ${synced.products} products, ${synced.variants} variants; 0 failed; 0 skipped.`,
    };
    return { items, hashes: hashUpdates, event, logs: [log], now };
  }
}

/** The lighter commit bench:sqlite acknowledges with: the items' `complete` statuses alone. */
export function itemsOnlyCommit(lease: Lease, now: number): AckCommit {
  const at = new Date(now).toISOString();
  return { items: lease.items.map((e): ItemStatus => ({ v: SCHEMA_VERSION, entity: e.entity, ref: e.ref, op: e.change.op, status: 'complete', errors: [], syncEventId: 'evt', updatedAt: at, consecutiveFailures: 0 })), now };
}
