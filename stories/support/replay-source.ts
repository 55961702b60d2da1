/**
 * A story-only `SyncSource` that replays canned, realistic data: one connector, the sync event
 * the panel shows (in any status), the events before it, every item's latest outcome, logs, and,
 * in live mode, a run that goes on over time (pending counters fall, iterations appear, general
 * errors arrive, In Progress turns Completed). Disabling the connector pauses a running replay;
 * enabling it resumes, as the engine does.
 *
 * Nothing is held per item: an item is computed from its index, so 100,000 items cost nothing
 * until a page of them is asked for, and a filtered query scans indices once and caches the
 * matches. Everything it returns is plain JSON valid under the core's zod schemas (a node test
 * checks that). No DOM: it runs in Node as well.
 */
import {
  assessApiVersion,
  estimateRemaining,
  latestStableVersion,
  logFile,
  logsToCsv,
  logsToJsonl,
  type ConfigSnapshot,
  type ConnectorState,
  type Entity,
  type EntityCounts,
  type EventPageQuery,
  type GeneralError,
  type ItemErrorGroup,
  type ItemErrorSummary,
  type ItemFilterQuery,
  type ItemPageQuery,
  type ItemRef,
  type ItemView,
  type Iteration,
  type LogDownload,
  type LogEntry,
  type LogFormat,
  type Page,
  type SourceChange,
  type SourceListener,
  type SyncEvent,
  type SyncSource,
  type SyncStatus,
  type SyncTrigger,
} from '@shopsync/core';
import { CONNECTOR_ID, CONNECT_ERRORS, GENERAL_ERRORS, LANGUAGE_WARNING, SHOP_DOMAIN, categoryRef, itemErrorFor, productRef, variantRef } from './catalog.js';

/** The status of the event shown, or `none`: the connector has never run. */
export type ReplayStatus = SyncStatus | 'none';
/** Where the Shopify API version of the event's configuration stands. */
export type ApiStanding = 'supported' | 'ends-soon' | 'deprecated';

export interface ReplayOptions {
  status: ReplayStatus;
  /** Why the connector could not start (status `error`): bad credentials or an unreachable store. */
  connectError: 'auth' | 'reauthorize' | 'network';
  /** Items (categories, products, variants) of the event shown: synchronized, failed or still pending. */
  items: number;
  /** Iterations finished so far (all of them, when Completed). */
  iterations: number;
  /** Items still waiting (In Progress and Paused; 0 when Completed, every item on Error). */
  pending: number;
  /** General errors of the event shown so far (not on Error, which has its own). */
  generalErrors: number;
  /** The event shown recorded the warning that the host sent text in a language the store has not enabled (not on Error). */
  languageWarning: boolean;
  /** Items that failed so far. */
  failedItems: number;
  apiVersion: ApiStanding;
  disableDeletions: boolean;
  overwriteStock: boolean;
  includeEmptyCategories: boolean;
  /** The connector's language (BCP 47), a parameter of the configuration. */
  language: string;
  /** Sales channels products are published to (empty: the connector publishes nothing). */
  publications: string[];
  /** Metafield namespaces the connector owns (deletes metafields in them the host stops sending). */
  ownedMetafieldNamespaces: string[];
  /** The connector creates missing metafield definitions in the namespaces it owns. */
  createMetafieldDefinitions: boolean;
  /** The store's other published languages the event wrote translations to (empty: none recorded). */
  translations: string[];
  /**
   * Where each of the host's warehouses kept its stock: the location as configured (a name or an
   * id) and the id the store resolved (left out: not found). Empty: the connector names none.
   */
  locations: NonNullable<ConfigSnapshot['locations']>;
  /**
   * The event shown was recorded before the connector had sales channels and metafield settings:
   * its configuration lacks them, as the events of the history older than a day always do.
   */
  recordedBeforePublishing: boolean;
  /** Sync events before the one shown, in the Activity Register list. */
  history: number;
  /** Runs are scheduled: the register says when the next one starts. */
  scheduled: boolean;
  /** In Progress: go on over time, one iteration every `tickMs`, until Completed. */
  live: boolean;
  tickMs: number;
  /** "Now", epoch ms; default: when the source is created. */
  now?: number;
}

export const REPLAY_DEFAULTS: ReplayOptions = {
  status: 'completed',
  connectError: 'auth',
  items: 1_840,
  iterations: 8,
  pending: 0,
  generalErrors: 0,
  languageWarning: false,
  failedItems: 0,
  apiVersion: 'supported',
  disableDeletions: true,
  overwriteStock: false,
  includeEmptyCategories: false,
  language: 'en',
  publications: ['Online Store', 'Point of Sale'],
  ownedMetafieldNamespaces: ['shopsync'],
  createMetafieldDefinitions: true,
  translations: [],
  locations: [],
  recordedBeforePublishing: false,
  history: 9,
  scheduled: true,
  live: false,
  tickMs: 1_500,
};

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const CONNECT_MS = 1_200;
const GAP_MS = 250;
/** Items of a category, product, variant partition. */
const CATEGORY_SHARE = 0.02;
const CATEGORY_CAP = 48;
const PRODUCT_SHARE = 0.24;
/** Item-level lines kept in a downloadable log. */
const LOG_ITEM_LINES = 5_000;
/** Events of the history before this one (older than a day) were recorded before the publishing settings existed. */
const FIRST_EVENT_BEFORE_PUBLISHING = 5;

const iso = (ms: number) => new Date(ms).toISOString();
const zero = (): EntityCounts => ({ categories: 0, products: 0, variants: 0 });
const plural: Record<Entity, keyof EntityCounts> = { category: 'categories', product: 'products', variant: 'variants' };
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.floor(Number.isFinite(n) ? n : lo)));

/** A version `months` before `version` (both `YYYY-MM`). */
function shiftVersion(version: string, months: number): string {
  const [y, m] = version.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Deterministic id in the engine's format: `evt_` + base-36 time + 16 hex digits. */
function eventId(ms: number, seed: number): string {
  let h = (seed + 1) * 2_654_435_761;
  let hex = '';
  for (let i = 0; i < 2; i++) {
    h = Math.imul(h ^ (h >>> 15), 2_246_822_519) >>> 0;
    hex += h.toString(16).padStart(8, '0');
  }
  return `evt_${Math.floor(ms).toString(36).padStart(9, '0')}${hex}`;
}

/** The options a configuration snapshot is made of. */
export type ConfigOptions = Pick<
  ReplayOptions,
  | 'apiVersion'
  | 'disableDeletions'
  | 'overwriteStock'
  | 'includeEmptyCategories'
  | 'language'
  | 'publications'
  | 'ownedMetafieldNamespaces'
  | 'createMetafieldDefinitions'
  | 'translations'
  | 'locations'
  | 'recordedBeforePublishing'
>;

/**
 * The configuration snapshot, with the API version standing as asked at `at`; without the
 * publishing and metafield settings, translations and stock locations when it was
 * `recordedBeforePublishing`, as the engine's older events are (and without translations or
 * locations when there are none).
 */
export function configSnapshot(o: ConfigOptions, at: number): ConfigSnapshot {
  const latest = latestStableVersion(new Date(at));
  const oldestSupported = shiftVersion(latest, -9);
  const requested = o.apiVersion === 'supported' ? latest : o.apiVersion === 'ends-soon' ? oldestSupported : shiftVersion(latest, -12);
  // A window of 92 days: a quarter, so that the oldest supported version always ends "soon".
  const a = assessApiVersion(requested, new Date(at), 92);
  return {
    shopDomain: SHOP_DOMAIN,
    apiVersion: {
      requested,
      // Shopify serves the oldest supported version for one it no longer supports ("fall forward").
      served: a.status === 'deprecated' ? oldestSupported : requested,
      status: a.status,
      ...(a.supportEndsAt ? { supportEndsAt: a.supportEndsAt } : {}),
      endsSoon: a.endsSoon,
    },
    disableDeletions: o.disableDeletions,
    overwriteStock: o.overwriteStock,
    includeEmptyCategories: o.includeEmptyCategories,
    language: o.language,
    locationId: 'gid://shopify/Location/68431200321',
    ...(o.recordedBeforePublishing
      ? {}
      : {
          publications: [...o.publications],
          ownedMetafieldNamespaces: [...o.ownedMetafieldNamespaces],
          createMetafieldDefinitions: o.createMetafieldDefinitions,
          ...(o.translations.length ? { translations: [...o.translations] } : {}),
          ...(o.locations.length ? { locations: o.locations.map((l) => ({ ...l })) } : {}),
        }),
  };
}

interface Current {
  event: SyncEvent;
  /** Start index of each finished iteration, and the end of the last one (length iterations + 1). */
  bounds: number[];
  /** Items processed (a prefix of the processing order). */
  processed: number;
}

/**
 * The replay. `options` shape it (see `ReplayOptions`); anything left out takes `REPLAY_DEFAULTS`.
 */
export class ReplaySource implements SyncSource {
  readonly connectorId = CONNECTOR_ID;
  readonly options: ReplayOptions;

  /** Items, by entity, in processing order: categories, then products, then variants. */
  readonly #n: number;
  readonly #categories: number;
  readonly #products: number;
  /** Failure density: `#failNum` failures every `#failDen` items. */
  readonly #failNum: number;
  readonly #failDen: number;
  readonly #now: number;
  readonly #config: ConfigSnapshot;
  readonly #history: SyncEvent[];
  #current: Current | undefined;
  #enabled: boolean;
  #batch: number;
  /** Live iteration at which the one general error of a live run arrives. */
  #liveErrorAt = -1;
  readonly #retried = new Set<number>();
  readonly #listeners = new Set<SourceListener>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastTick = 0;
  /** Bumped on every change of items, so cached query results are dropped. */
  #version = 0;
  #cache: { key: string; version: number; indices: Int32Array } | undefined;
  #summary: { version: number; summary: ItemErrorSummary } | undefined;

  constructor(options: Partial<ReplayOptions> = {}) {
    const o = { ...REPLAY_DEFAULTS, ...options };
    this.options = o;
    this.#now = Math.floor((o.now ?? Date.now()) / SECOND) * SECOND;
    const n = (this.#n = clamp(o.items, 0, 1_000_000));
    this.#categories = n === 0 ? 0 : Math.min(CATEGORY_CAP, Math.max(1, Math.round(n * CATEGORY_SHARE)));
    this.#products = Math.round((n - this.#categories) * PRODUCT_SHARE);
    if (this.#products === 0) this.#products = n - this.#categories;

    const status = o.status;
    const pending = status === 'completed' ? 0 : status === 'in_progress' || status === 'paused' ? clamp(o.pending, 0, n) : n;
    const processed = n - pending;
    const iterations = processed === 0 ? 0 : clamp(o.iterations, 1, processed);
    const failed = clamp(o.failedItems, 0, processed || n);
    this.#failNum = failed;
    this.#failDen = processed || n || 1;
    this.#batch = iterations > 0 ? Math.ceil(processed / iterations) : Math.max(1, Math.min(200, Math.ceil(n / 10)));
    this.#enabled = status !== 'paused';
    this.#config = configSnapshot(o, this.#now);

    const startedAt = this.#startOf(status, iterations, processed);
    this.#current = status === 'none' ? undefined : this.#buildCurrent(status, startedAt, iterations, processed);
    this.#history = status === 'none' ? [] : this.#buildHistory(clamp(o.history, 0, 10_000), startedAt);
    if (o.live && status === 'in_progress' && o.generalErrors > 0) {
      this.#liveErrorAt = iterations + Math.max(1, Math.ceil(Math.ceil(pending / this.#batch) / 2));
    }
  }

  // ——— the data ———

  /** The event shown, as it stands (a copy); undefined when no sync has run. */
  snapshot(): SyncEvent | undefined {
    return this.#current && structuredClone(this.#current.event);
  }

  /** When the event shown started: long enough ago for its iterations to have run. */
  #startOf(status: ReplayStatus, iterations: number, processed: number): number {
    const busy = CONNECT_MS + this.#durations(iterations, processed).reduce((a, d) => a + d + GAP_MS, 0);
    switch (status) {
      case 'completed':
        return this.#now - 4 * MINUTE - busy;
      case 'in_progress':
        return this.#now - 800 - busy;
      case 'paused':
        return this.#now - 7 * MINUTE - busy;
      default:
        return this.#now - 2 * MINUTE;
    }
  }

  /** How long each iteration took: about 9 ms an item, with some jitter. */
  #durations(iterations: number, processed: number): number[] {
    return Array.from({ length: iterations }, (_, k) => {
      const size = Math.floor(((k + 1) * processed) / iterations) - Math.floor((k * processed) / iterations);
      return clamp(size * 9, 600, 20_000) + ((k * 7_919) % 5) * 80;
    });
  }

  #buildCurrent(status: SyncStatus, startedAt: number, iterations: number, processed: number): Current {
    const o = this.options;
    const id = eventId(startedAt, 0);
    const bounds = [0];
    const its: Iteration[] = [];
    const durations = this.#durations(iterations, processed);
    let t = startedAt + CONNECT_MS;
    for (let k = 0; k < iterations; k++) {
      const end = Math.floor(((k + 1) * processed) / iterations);
      its.push(this.#iteration(k + 1, bounds[k]!, end, t, t + durations[k]!));
      bounds.push(end);
      t += durations[k]! + GAP_MS;
    }
    const generalErrors: GeneralError[] = [];
    if (status === 'error') {
      generalErrors.push({ ...CONNECT_ERRORS[o.connectError], at: iso(startedAt + CONNECT_MS) });
    } else {
      // Recorded once, when the first batch carrying the language reached the store.
      if (o.languageWarning) generalErrors.push({ ...LANGUAGE_WARNING, at: its[0]?.endedAt ?? iso(startedAt + CONNECT_MS), ...(its[0] ? { iteration: 1 } : {}) });
      const g = clamp(o.generalErrors, 0, 1_000);
      for (let i = 0; i < g; i++) {
        const it = iterations > 0 ? its[Math.min(iterations - 1, Math.floor((i * iterations) / g))]! : undefined;
        const base = GENERAL_ERRORS[i % GENERAL_ERRORS.length]!;
        generalErrors.push({ ...base, at: it ? it.endedAt : iso(startedAt + CONNECT_MS + i * SECOND), ...(it ? { iteration: it.index } : {}) });
      }
    }
    const event: SyncEvent = {
      v: 1,
      id,
      connectorId: CONNECTOR_ID,
      status,
      trigger: 'schedule',
      startedAt: iso(startedAt),
      pending: this.#pendingFrom(processed),
      generalErrors,
      config: this.#config,
      iterations: its,
      logsAvailable: iterations > 0,
      pausedAt: status === 'paused' ? [iso(this.#now - 7 * MINUTE)] : [],
      resumedAt: [],
    };
    if (status === 'completed') event.endedAt = iso(t);
    if (status === 'error') event.endedAt = iso(startedAt + CONNECT_MS + 400);
    return { event, bounds, processed };
  }

  /** The counts of items `from` to `to` (processing order) as one iteration. */
  #iteration(index: number, from: number, to: number, startedAt: number, endedAt: number): Iteration {
    const synced = zero();
    const failed = zero();
    const skipped = zero();
    for (let j = from; j < to; j++) {
      const key = plural[this.#entityOf(j)];
      if (this.#fails(j)) failed[key] += 1;
      else if (this.#skips(j)) skipped[key] += 1;
      else synced[key] += 1;
    }
    return { index, startedAt: iso(startedAt), endedAt: iso(endedAt), synced, failed, skipped };
  }

  /** Pending counts when the first `processed` items are done. */
  #pendingFrom(processed: number): EntityCounts {
    const c = this.#categories;
    const p = this.#products;
    return {
      categories: Math.max(0, c - processed),
      products: Math.max(0, c + p - Math.max(processed, c)),
      variants: this.#n - Math.max(processed, c + p),
    };
  }

  /** Earlier events: every six hours, a mix of what a connector's register shows. */
  #buildHistory(count: number, before: number): SyncEvent[] {
    const out: SyncEvent[] = [];
    for (let h = 1; h <= count; h++) {
      const kind = h % 6;
      const startedAt = before - h * 6 * HOUR + ((h * 7_919) % 90) * SECOND;
      const trigger: SyncTrigger = kind === 1 ? 'changes' : kind === 5 ? 'manual' : 'schedule';
      const iterations: Iteration[] = [];
      const n = kind === 3 ? 0 : 1 + (h % 4);
      let t = startedAt + CONNECT_MS;
      for (let k = 1; k <= n; k++) {
        const products = 12 + ((h * 13 + k * 7) % 40);
        const variants = products * 3 + (k % 3);
        const failedProducts = kind === 1 && k === 1 ? 3 : 0;
        const failedVariants = kind === 1 ? 2 + (k % 2) : 0;
        const dur = (products + variants) * 9 + 300;
        iterations.push({
          index: k,
          startedAt: iso(t),
          endedAt: iso(t + dur),
          synced: { categories: k === 1 ? h % 3 : 0, products, variants },
          failed: { categories: 0, products: failedProducts, variants: failedVariants },
          skipped: { categories: 0, products: k === 1 ? 4 : 0, variants: k === 1 ? 9 : 0 },
        });
        t += dur + GAP_MS;
      }
      const generalErrors: GeneralError[] =
        kind === 3
          ? [{ ...CONNECT_ERRORS.network, message: 'Could not connect to the store: connect ETIMEDOUT 23.227.38.65:443.', at: iso(startedAt + CONNECT_MS) }]
          : kind === 2
            ? [{ ...GENERAL_ERRORS[0]!, at: iterations[0]!.endedAt, iteration: 1 }]
            : [];
      out.push({
        v: 1,
        id: eventId(startedAt, h),
        connectorId: CONNECTOR_ID,
        status: kind === 3 ? 'error' : 'completed',
        trigger,
        startedAt: iso(startedAt),
        endedAt: iso(kind === 3 ? startedAt + CONNECT_MS + 400 : t),
        pending: kind === 3 ? { categories: 0, products: 6, variants: 19 } : zero(),
        generalErrors,
        config: h >= FIRST_EVENT_BEFORE_PUBLISHING ? configSnapshot({ ...this.options, recordedBeforePublishing: true }, this.#now) : this.#config,
        iterations,
        logsAvailable: n > 0,
        pausedAt: kind === 4 ? [iso(startedAt + 2 * SECOND)] : [],
        resumedAt: kind === 4 ? [iso(startedAt + 4 * MINUTE)] : [],
      });
    }
    return out;
  }

  // ——— items, computed from their index ———

  #entityOf(j: number): Entity {
    return j < this.#categories ? 'category' : j < this.#categories + this.#products ? 'product' : 'variant';
  }

  #fails(j: number): boolean {
    return Math.floor(((j + 1) * this.#failNum) / this.#failDen) > Math.floor((j * this.#failNum) / this.#failDen);
  }

  #skips(j: number): boolean {
    return j % 13 === 7;
  }

  #refOf(j: number): string {
    if (j < this.#categories) return categoryRef(j);
    if (j < this.#categories + this.#products) return productRef(j - this.#categories);
    const v = j - this.#categories - this.#products;
    return variantRef(v % this.#products, Math.floor(v / this.#products));
  }

  /** The iteration (0-based) that processed item `j`. */
  #iterationOf(j: number): number {
    const b = this.#current!.bounds;
    let lo = 0;
    let hi = b.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b[mid]! <= j) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  #updatedAtMs(j: number): number {
    const cur = this.#current;
    if (cur && j < cur.processed) {
      const k = this.#iterationOf(j);
      return Date.parse(cur.event.iterations[k]!.endedAt) - (cur.bounds[k + 1]! - 1 - j);
    }
    const start = cur ? Date.parse(cur.event.startedAt) : this.#now;
    return start - 90 * SECOND - j;
  }

  /** Item `j` of the processing order, as the Item Synchronization Status tab shows it. */
  #item(j: number): ItemView {
    const cur = this.#current;
    const entity = this.#entityOf(j);
    const ref = this.#refOf(j);
    const item: ItemView = { v: 1, entity, ref, op: 'upsert', status: 'pending', errors: [], updatedAt: iso(this.#updatedAtMs(j)), consecutiveFailures: 0 };
    if (entity === 'variant') item.parentRef = ref.split('-').slice(0, 2).join('-');
    if (!cur || j >= cur.processed) return item;
    item.syncEventId = cur.event.id;
    if (this.#fails(j)) {
      const nth = Math.floor((j * this.#failNum) / this.#failDen);
      item.errors = [itemErrorFor(entity, nth)];
      item.consecutiveFailures = nth % 4 === 0 ? 3 : 1;
      item.status = this.#retried.has(j) ? 'pending' : 'error';
      return item;
    }
    item.status = 'complete';
    if (this.#skips(j)) item.skipped = 'unchanged';
    const gid = entity === 'category' ? 'Collection' : entity === 'product' ? 'Product' : 'ProductVariant';
    item.shopifyId = `gid://shopify/${gid}/${(entity === 'variant' ? 44_120_000_000_000 : 8_930_000_000_000) + j}`;
    return item;
  }

  /** Index in processing order of the `i`th item, most recently updated first. */
  #order(i: number): number {
    const done = this.#current?.processed ?? 0;
    return i < done ? done - 1 - i : i;
  }

  #matches(j: number, q: ItemFilterQuery, since: number): boolean {
    if (q.entity !== undefined && this.#entityOf(j) !== q.entity) return false;
    if (q.ref && !this.#refOf(j).includes(q.ref)) return false;
    if (q.status !== undefined && this.#statusOf(j) !== q.status) return false;
    if (since && this.#updatedAtMs(j) < since) return false;
    return true;
  }

  #statusOf(j: number): ItemView['status'] {
    const cur = this.#current;
    if (!cur || j >= cur.processed) return 'pending';
    if (this.#fails(j)) return this.#retried.has(j) ? 'pending' : 'error';
    return 'complete';
  }

  /** Processing indices of the items matching `q`, in table order (cached per filter and change). */
  #select(q: ItemFilterQuery): Int32Array {
    const key = JSON.stringify([q.ref ?? '', q.status ?? '', q.entity ?? '', q.since ?? '']);
    if (this.#cache?.key === key && this.#cache.version === this.#version) return this.#cache.indices;
    const since = q.since ? Date.parse(q.since) : 0;
    const out = new Int32Array(this.#n);
    let count = 0;
    for (let i = 0; i < this.#n; i++) {
      const j = this.#order(i);
      if (this.#matches(j, q, since)) out[count++] = j;
    }
    const indices = out.slice(0, count);
    this.#cache = { key, version: this.#version, indices };
    return indices;
  }

  async queryItems(query: ItemPageQuery = {}): Promise<Page<ItemView>> {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = clamp(query.limit ?? 50, 1, 1_000);
    const filtered = Boolean(query.ref || query.status || query.entity || query.since);
    if (!filtered) {
      const items: ItemView[] = [];
      for (let i = offset; i < Math.min(this.#n, offset + limit); i++) items.push(this.#item(this.#order(i)));
      return { total: this.#n, items };
    }
    const indices = this.#select(query);
    return { total: indices.length, items: Array.from(indices.subarray(offset, offset + limit), (j) => this.#item(j)) };
  }

  async summarizeItemErrors(filter: ItemFilterQuery = {}): Promise<ItemErrorSummary> {
    const plain = !filter.ref && !filter.entity && !filter.since;
    if (plain && this.#summary?.version === this.#version) return structuredClone(this.#summary.summary);
    const groups = new Map<string, ItemErrorGroup>();
    let failedItems = 0;
    let repeatedFailures = 0;
    for (const j of this.#select({ ...filter, status: 'error' })) {
      const item = this.#item(j);
      failedItems += 1;
      if (item.consecutiveFailures >= 2) repeatedFailures += 1;
      for (const e of item.errors) {
        const key = JSON.stringify([e.code ?? null, e.field ?? null, e.message]);
        const g = groups.get(key);
        if (g) g.count += 1;
        else groups.set(key, { ...(e.code ? { code: e.code } : {}), ...(e.field ? { field: e.field } : {}), message: e.message, count: 1 });
      }
    }
    const summary = { failedItems, repeatedFailures, groups: [...groups.values()].sort((a, b) => b.count - a.count) };
    if (plain) this.#summary = { version: this.#version, summary };
    return structuredClone(summary);
  }

  // ——— events, connector, logs ———

  #events(): SyncEvent[] {
    return this.#current ? [this.#current.event, ...this.#history] : this.#history;
  }

  async listEvents(query: EventPageQuery = {}): Promise<Page<SyncEvent>> {
    const all = this.#events();
    const offset = Math.max(0, query.offset ?? 0);
    const limit = clamp(query.limit ?? 20, 1, 1_000);
    return { total: all.length, items: structuredClone(all.slice(offset, offset + limit)) };
  }

  async getEvent(id: string): Promise<SyncEvent | undefined> {
    const e = this.#events().find((x) => x.id === id);
    return e && structuredClone(e);
  }

  async connectorState(): Promise<ConnectorState> {
    return this.connectorSnapshot();
  }

  /** The connector as it stands (what `connectorState` resolves with), at once. */
  connectorSnapshot(): ConnectorState {
    const ev = this.#current?.event;
    const state: ConnectorState = { connectorId: CONNECTOR_ID, enabled: this.#enabled, running: false };
    if (ev?.status === 'in_progress') Object.assign(state, { running: true, runningEventId: ev.id, throughput: estimateRemaining(ev) });
    if (this.options.scheduled && ev?.status !== 'in_progress') {
      state.nextRunAt = iso(this.#current ? Math.max(Date.parse(this.#current.event.startedAt) + 6 * HOUR, this.#now + 15 * MINUTE) : this.#now + 15 * MINUTE);
    }
    return state;
  }

  /** The log of one event, built from what it did, in the engine's words. */
  logs(id: string): LogEntry[] {
    const ev = this.#events().find((x) => x.id === id);
    if (!ev) return [];
    const entry = (at: string, level: LogEntry['level'], message: string, extra: Partial<LogEntry> = {}): LogEntry => ({ v: 1, at, level, eventId: id, ...extra, message });
    const p = ev.iterations.reduce(
      (c, it) => ({
        categories: c.categories + it.synced.categories + it.failed.categories + it.skipped.categories,
        products: c.products + it.synced.products + it.failed.products + it.skipped.products,
        variants: c.variants + it.synced.variants + it.failed.variants + it.skipped.variants,
      }),
      { ...ev.pending },
    );
    const out = [entry(ev.startedAt, 'info', `Synchronization started (${ev.trigger}) with ${p.categories} categories, ${p.products} products and ${p.variants} variants pending.`)];
    const cur = this.#current?.event.id === id ? this.#current : undefined;
    let itemLines = 0;
    for (const it of ev.iterations) {
      if (cur) {
        const k = it.index - 1;
        for (let j = cur.bounds[k]!; j < cur.bounds[k + 1]! && itemLines < LOG_ITEM_LINES; j++) {
          const item = this.#item(j);
          if (item.errors.length) {
            itemLines += 1;
            out.push(entry(item.updatedAt, 'error', item.errors.map((e) => e.message).join('; '), { iteration: it.index, entity: item.entity, ref: item.ref, ...(item.errors[0]?.code ? { code: item.errors[0].code } : {}) }));
          } else if (item.skipped) {
            itemLines += 1;
            out.push(entry(item.updatedAt, 'info', `Skipped: ${item.skipped}.`, { iteration: it.index, entity: item.entity, ref: item.ref, code: item.skipped }));
          }
        }
      }
      for (const g of ev.generalErrors.filter((x) => x.iteration === it.index)) out.push(entry(g.at, g.severity === 'warning' ? 'warn' : 'error', g.message, { iteration: it.index, code: g.code }));
      const sum = (c: EntityCounts) => c.categories + c.products + c.variants;
      out.push(
        entry(
          it.endedAt,
          'info',
          `Iteration ${it.index}: synchronized ${it.synced.categories} categories, ${it.synced.products} products, ${it.synced.variants} variants; ${sum(it.failed)} failed; ${sum(it.skipped)} skipped.`,
          { iteration: it.index },
        ),
      );
    }
    for (const g of ev.generalErrors.filter((x) => x.iteration === undefined)) out.push(entry(g.at, g.severity === 'warning' ? 'warn' : 'error', g.message, { code: g.code }));
    for (const at of ev.pausedAt) out.push(entry(at, 'warn', 'Connector disabled: synchronization paused. It resumes when the connector is enabled again.'));
    for (const at of ev.resumedAt) out.push(entry(at, 'info', 'Connector enabled again: synchronization resumed.'));
    if (ev.endedAt && ev.status !== 'error') {
      out.push(entry(ev.endedAt, 'info', `Synchronization ended after ${ev.iterations.length} iterations with ${ev.generalErrors.length} general errors.`));
    }
    return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  async downloadLogs(id: string, format: LogFormat): Promise<LogDownload> {
    const entries = this.logs(id);
    return { ...logFile(id, format), content: format === 'csv' ? logsToCsv(entries) : logsToJsonl(entries) };
  }

  // ——— changes over time ———

  subscribe(listener: SourceListener): () => void {
    this.#listeners.add(listener);
    this.#schedule();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  #emit(change: SourceChange) {
    for (const l of [...this.#listeners]) l(structuredClone(change));
  }

  /** A live replay runs while someone watches it (a story shown), and stops when nobody does. */
  #schedule() {
    const ev = this.#current?.event;
    if (this.#timer !== undefined || this.#listeners.size === 0 || ev?.status !== 'in_progress') return;
    if (!this.options.live && ev.resumedAt.length === 0) return;
    this.#lastTick ||= Date.now();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#tick();
      this.#schedule();
    }, Math.max(50, this.options.tickMs));
  }

  #stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One iteration of the live run: items leave the queue, a block appears, maybe the end. */
  #tick() {
    const cur = this.#current!;
    const ev = cur.event;
    const now = Date.now();
    const from = cur.processed;
    const to = Math.min(this.#n, from + this.#batch);
    if (to > from) {
      const it = this.#iteration(ev.iterations.length + 1, from, to, Math.max(this.#lastTick, now - this.options.tickMs), now - 40);
      ev.iterations.push(it);
      cur.bounds.push(to);
      cur.processed = to;
      ev.pending = this.#pendingFrom(to);
      this.#version += 1;
      const base = { connectorId: CONNECTOR_ID, eventId: ev.id };
      this.#emit({ type: 'itemsUpdated', ...base, items: Array.from({ length: to - from }, (_, i) => this.#item(from + i)) });
      this.#emit({ type: 'pendingChanged', ...base, pending: { ...ev.pending } });
      if (it.index === this.#liveErrorAt) {
        const error: GeneralError = { ...GENERAL_ERRORS[ev.generalErrors.length % GENERAL_ERRORS.length]!, at: it.endedAt, iteration: it.index };
        ev.generalErrors.push(error);
        this.#emit({ type: 'generalErrorOccurred', ...base, error });
      }
      const first = !ev.logsAvailable;
      ev.logsAvailable = true;
      this.#emit({ type: 'iterationCompleted', ...base, iteration: it, event: ev });
      if (first) this.#emit({ type: 'logsBecameAvailable', ...base });
    }
    this.#lastTick = now;
    if (cur.processed >= this.#n) {
      ev.endedAt = iso(now);
      this.#setStatus('completed');
    } else {
      this.#emit({ type: 'connectorChanged', connectorId: CONNECTOR_ID, state: this.connectorSnapshot() });
    }
  }

  #setStatus(status: SyncStatus) {
    const ev = this.#current!.event;
    const previous = ev.status;
    ev.status = status;
    if (status === 'in_progress') delete ev.endedAt;
    this.#emit({ type: 'statusChanged', connectorId: CONNECTOR_ID, eventId: ev.id, status, previous, event: ev });
    this.#emit({ type: 'connectorChanged', connectorId: CONNECTOR_ID, state: this.connectorSnapshot() });
  }

  // ——— actions ———

  async setEnabled(enabled: boolean): Promise<void> {
    if (enabled === this.#enabled) return;
    this.#enabled = enabled;
    const ev = this.#current?.event;
    if (!enabled && ev?.status === 'in_progress') {
      this.#stop();
      ev.pausedAt.push(iso(Date.now()));
      this.#setStatus('paused');
    } else if (enabled && ev?.status === 'paused') {
      ev.resumedAt.push(iso(Date.now()));
      this.#lastTick = Date.now();
      this.#setStatus('in_progress');
      this.#schedule();
    } else {
      this.#emit({ type: 'connectorChanged', connectorId: CONNECTOR_ID, state: this.connectorSnapshot() });
    }
  }

  async retryItem(item: ItemRef): Promise<number> {
    const j = this.#select({ ref: item.ref, entity: item.entity, status: 'error' }).find((x) => this.#refOf(x) === item.ref);
    return j === undefined ? 0 : this.#retry([j]);
  }

  async retryFailed(filter: ItemFilterQuery = {}): Promise<number> {
    if (filter.status !== undefined && filter.status !== 'error') return 0;
    return this.#retry([...this.#select({ ...filter, status: 'error' })]);
  }

  #retry(indices: number[]): number {
    if (indices.length === 0) return 0;
    for (const j of indices) this.#retried.add(j);
    this.#version += 1;
    this.#emit({ type: 'itemsUpdated', connectorId: CONNECTOR_ID, items: indices.slice(0, 1_000).map((j) => this.#item(j)) });
    return indices.length;
  }
}
