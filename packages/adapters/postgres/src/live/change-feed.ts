import {
  estimateRemaining,
  type ConnectorState,
  type EntityCounts,
  type ItemStatus,
  type SourceChange,
  type SyncEvent,
  type BackoffOptions,
} from '@shopsync/core';
import { backoffDelay, toItemView } from '@shopsync/core/internal';
import { CHANGES_CHANNEL } from '../notify.js';
import { diffEvent } from './event-diff.js';
import { ItemCursor } from './item-cursor.js';
import type { ConnectorFlag, LiveStorage } from './live-storage.js';
import type { Listening, NotificationHub } from './notification-hub.js';
import { parseChangeNotice } from './notices.js';

/** How a feed reads and coalesces (the source's options, with their defaults applied). */
export interface ChangeFeedOptions {
  storage: LiveStorage;
  connectorId: string;
  notifications: NotificationHub;
  debounceMs: number;
  itemsLookbackMs: number;
  maxItemsPerRead: number;
  retry: BackoffOptions;
}

/** Newest events read when looking for events the feed does not know yet. */
const LATEST_EVENTS = 5;
/** Event snapshots kept to tell what changed in them. */
const KEPT_EVENTS = 20;
/** Items per page read, and per `itemsUpdated` change. */
const ITEM_PAGE = 1_000;

/** What the notifications since the last read say may have changed. */
interface Dirty {
  events: Set<string>;
  /** Look for events not known yet (a reconnection, a notice without an event id). */
  latest: boolean;
  items: boolean;
  pending: boolean;
  connector: boolean;
  /** Notifications may have been lost: subscribers get `changesMissed`. */
  missed: boolean;
}

type Marks = Partial<Omit<Dirty, 'events'>> & { events?: Iterable<string> };

function clean(): Dirty {
  return { events: new Set(), latest: false, items: false, pending: false, connector: false, missed: false };
}

function byStart(a: SyncEvent, b: SyncEvent): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function sameCounts(a: EntityCounts | undefined, b: EntityCounts): boolean {
  return a !== undefined && a.categories === b.categories && a.products === b.products && a.variants === b.variants;
}

/** The connector as a reader of the storage sees it: the registry's flag (enabled without a record) and the latest event. */
export function connectorStateOf(connectorId: string, record: ConnectorFlag | undefined, latest: SyncEvent | undefined): ConnectorState {
  const state: ConnectorState = { connectorId, enabled: record?.enabled ?? true, running: false };
  if (latest?.status === 'in_progress') {
    state.running = true;
    state.runningEventId = latest.id;
    state.throughput = estimateRemaining(latest);
  }
  return state;
}

/** Reads the connector state from the storage (the registry and the latest event). */
export async function readConnectorState(storage: LiveStorage, connectorId: string): Promise<ConnectorState> {
  const [record, latest] = await Promise.all([storage.getConnectorFlag(connectorId), storage.listEvents(connectorId, { offset: 0, limit: 1 })]);
  return connectorStateOf(connectorId, record, latest.items[0]);
}

/**
 * One connector's notifications turned into SourceChanges, for one subscription of a
 * `PostgresSyncSource`: LISTEN, gather notices for `debounceMs`, read what they name, compare it
 * with what was told, tell the difference. Reads run one at a time; a read that fails is asked
 * again with backoff, and nothing is recorded as told until it succeeds.
 */
export class ChangeFeed {
  readonly #o: ChangeFeedOptions;
  readonly #emit: (change: SourceChange) => void;
  readonly #listening: Listening;
  // What subscribers were told, to tell them only what changed.
  readonly #events = new Map<string, SyncEvent>();
  #pending: EntityCounts | undefined;
  #state: string | undefined;
  readonly #items: ItemCursor;
  #baselined = false;
  #dirty: Dirty = clean();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chain: Promise<void> = Promise.resolve();
  #failures = 0;
  #closed = false;
  /** Resolves once LISTEN holds and the baseline has been read (or its first attempt failed). */
  readonly live: Promise<void>;

  constructor(options: ChangeFeedOptions, emit: (change: SourceChange) => void) {
    this.#o = options;
    this.#emit = emit;
    this.#items = new ItemCursor(options.itemsLookbackMs);
    this.#listening = options.notifications.listen(CHANGES_CHANNEL, {
      notify: (payload) => this.#onNotice(payload),
      reconnected: () => this.missed(),
    });
    // The first read once LISTEN holds is the baseline: what subscribers are taken to know.
    this.live = this.#listening.ready.then(() => this.#flushNow());
  }

  /** Subscribers may have missed changes: tell `changesMissed`, then whatever can be seen to have changed. */
  missed(): void {
    this.#mark({ missed: true, latest: true, items: true, pending: true, connector: true, events: this.#events.keys() }, 0);
  }

  /** The connector state may have changed (an action of this process): read it soon. */
  connectorTouched(): void {
    this.#mark({ connector: true });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#listening.close();
  }

  #onNotice(payload: string): void {
    const notice = parseChangeNotice(payload);
    if (!notice || notice.connectorId !== this.#o.connectorId) return;
    const withEvent = notice.eventId !== undefined ? { events: [notice.eventId], connector: true } : {};
    switch (notice.type) {
      case 'enqueued':
        return this.#mark({ items: true, pending: true });
      case 'acked':
        return this.#mark({ items: true, pending: true, ...withEvent });
      case 'released':
        return this.#mark({ pending: true });
      case 'event':
        return this.#mark(notice.eventId !== undefined ? withEvent : { latest: true, connector: true });
      case 'connector':
        return this.#mark({ connector: true });
      case 'leased':
      case 'logs':
        // Leased items stay pending; appended log lines change no event (`logsAvailable` is saved with the event).
        return;
      case 'unknown':
        // A write this version does not know: read everything a reader shows.
        return this.#mark({ latest: true, items: true, pending: true, connector: true });
    }
  }

  #mark(what: Marks, delay = this.#o.debounceMs): void {
    if (this.#closed) return;
    const d = this.#dirty;
    for (const id of what.events ?? []) d.events.add(id);
    d.latest ||= what.latest === true;
    d.items ||= what.items === true;
    d.pending ||= what.pending === true;
    d.connector ||= what.connector === true;
    d.missed ||= what.missed === true;
    // A burst is read once, `delay` after its first notice (a steady stream is read at that pace, never starved).
    if (this.#timer !== undefined) {
      if (delay > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#flushNow();
    }, delay);
  }

  /** Reads run one at a time, in order. */
  #flushNow(): Promise<void> {
    const run = this.#chain.then(() => this.#flush());
    this.#chain = run;
    return run;
  }

  async #flush(): Promise<void> {
    if (this.#closed) return;
    const d = this.#dirty;
    this.#dirty = clean();
    try {
      const changes = this.#baselined ? await this.#readChanges(d) : await this.#readBaseline(d);
      this.#failures = 0;
      if (!this.#closed) for (const change of changes) this.#emit(change);
    } catch {
      // Nothing told, nothing recorded: ask the same again later.
      this.#mark(d, backoffDelay(this.#failures++, this.#o.retry));
    }
  }

  /** What subscribers are taken to know when live updates start: read and recorded, not told. */
  async #readBaseline(d: Dirty): Promise<SourceChange[]> {
    const { storage, connectorId } = this.#o;
    const [events, pending, state, newest] = await Promise.all([
      storage.listEvents(connectorId, { offset: 0, limit: LATEST_EVENTS }),
      storage.pendingCounts(connectorId),
      readConnectorState(storage, connectorId),
      storage.queryItems(connectorId, { offset: 0, limit: 1 }),
    ]);
    const from = newest.items[0]?.updatedAt;
    const window = from !== undefined ? await this.#readItems(new Date(Date.parse(from) - this.#items.lookbackMs).toISOString()) : undefined;
    this.#events.clear();
    for (const e of events.items) this.#remember(e);
    this.#pending = pending;
    this.#state = JSON.stringify(state);
    this.#items.reset(from);
    if (window) this.#items.record(window.items);
    this.#baselined = true;
    return d.missed ? [{ type: 'changesMissed', connectorId }] : [];
  }

  /** Reads what the notices name; records it and returns what changed, in the engine's order. */
  async #readChanges(d: Dirty): Promise<SourceChange[]> {
    const { storage, connectorId } = this.#o;
    const read = new Map<string, SyncEvent>();
    if (d.latest) for (const e of (await storage.listEvents(connectorId, { offset: 0, limit: LATEST_EVENTS })).items) read.set(e.id, e);
    for (const id of d.events) {
      if (read.has(id)) continue;
      const e = await storage.getEvent(connectorId, id);
      if (e) read.set(id, e);
    }
    const events = [...read.values()].sort(byStart);
    const items = d.items ? await this.#readItems(this.#items.since()) : undefined;
    const pending = d.pending ? await storage.pendingCounts(connectorId) : undefined;
    const state = d.connector || read.size > 0 ? await readConnectorState(storage, connectorId) : undefined;

    const out: SourceChange[] = [];
    if (d.missed || items?.overflow) out.push({ type: 'changesMissed', connectorId });
    const running = this.#runningEvent(events);
    const eventIdField = running ? { eventId: running.id } : {};
    const fresh = items && !items.overflow ? this.#items.fresh(items.items) : [];
    for (let i = 0; i < fresh.length; i += ITEM_PAGE) {
      out.push({ type: 'itemsUpdated', connectorId, ...eventIdField, items: fresh.slice(i, i + ITEM_PAGE).map(toItemView) });
    }
    if (pending && !sameCounts(this.#pending, pending)) out.push({ type: 'pendingChanged', connectorId, ...eventIdField, pending: { ...pending } });
    for (const e of events) out.push(...diffEvent(this.#events.get(e.id), e));
    const stateJson = state && JSON.stringify(state);
    if (state && stateJson !== this.#state) out.push({ type: 'connectorChanged', connectorId, state });

    // Recorded only once everything was read: a failed read leaves the feed as it was.
    for (const e of events) this.#remember(e);
    if (pending) this.#pending = pending;
    if (stateJson !== undefined) this.#state = stateJson;
    if (items?.overflow) this.#items.reset(items.items[0]?.updatedAt);
    if (items) this.#items.record(items.items);
    return out;
  }

  /** Item statuses updated since `since` (all of them without), newest first, up to `maxItemsPerRead` or a page more. */
  async #readItems(since: string | undefined): Promise<{ items: ItemStatus[]; overflow: boolean }> {
    const { storage, connectorId, maxItemsPerRead } = this.#o;
    const items: ItemStatus[] = [];
    for (let offset = 0; ; offset += ITEM_PAGE) {
      const page = await storage.queryItems(connectorId, { ...(since !== undefined ? { since } : {}), offset, limit: ITEM_PAGE });
      items.push(...page.items);
      if (page.items.length < ITEM_PAGE) return { items, overflow: false };
      if (items.length >= maxItemsPerRead) return { items, overflow: true };
    }
  }

  /** The newest event known, when it is In Progress. */
  #runningEvent(read: readonly SyncEvent[]): SyncEvent | undefined {
    let latest: SyncEvent | undefined;
    for (const e of [...this.#events.values(), ...read]) if (!latest || byStart(latest, e) <= 0) latest = e;
    return latest?.status === 'in_progress' ? latest : undefined;
  }

  #remember(event: SyncEvent): void {
    this.#events.set(event.id, event);
    if (this.#events.size <= KEPT_EVENTS) return;
    const oldest = [...this.#events.values()].sort(byStart)[0];
    if (oldest) this.#events.delete(oldest.id);
  }
}
