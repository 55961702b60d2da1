import { EventEmitter } from 'eventemitter3';
import { z } from 'zod';
import { assessApiVersion, DEFAULT_WARNING_DAYS } from '../api-version.js';
import { ShopsyncError } from '../errors/shopsync-error.js';
import { exportLogs, type LogFormat } from '../logs/export.js';
import { requeueFailed } from '../queue/retry.js';
import { ChangeQueue, type EnqueueOptions, type EnqueueResult } from '../queue/queue.js';
import { totalOf } from '../schemas/common.js';
import { connectorConfigSchema, type ConnectorConfig, type ConnectorConfigInput } from '../schemas/connector.js';
import type { ConfigSnapshot, SyncEvent, SyncTrigger } from '../schemas/event.js';
import type { ItemStatus } from '../schemas/item.js';
import type { Page, StorageAdapter } from '../storage/adapter.js';
import { parseItemQuery, parsePageQuery, type ItemFilter, type ItemQueryInput } from '../storage/queries.js';
import { MemoryStorage } from '../storage/memory.js';
import type { Target, ThrottleState } from '../target.js';
import { parseOrThrow } from '../validate.js';
import { systemClock, type Clock } from './clock.js';
import type { EngineEvents } from './events.js';
import { Run, type RunHost } from './run.js';
import { estimateRemaining, type Throughput } from './throughput.js';

const engineTuningSchema = z
  .object({
    /**
     * Items leased, pushed and acknowledged per iteration (whole product groups: a product with
     * its variants is not split unless alone it is larger). 250 by default: Shopify takes up to
     * 250 items in one input list (stock quantities, collection members), so a batch of 250 lets
     * a target send an iteration's stock changes in one call.
     */
    batchSize: z.number().int().min(1).max(10_000).default(250),
    /** Pause between iterations, to pace the load on the store. */
    iterationDelayMs: z.number().int().min(0).max(3_600_000).default(0),
    /** How long an iteration may hold its items before they return to the queue. */
    leaseMs: z.number().int().min(1_000).max(86_400_000).default(300_000),
    /** Iterations in a row in which nothing could proceed before the run ends with its general errors. */
    maxFailedIterations: z.number().int().min(1).max(100).default(5),
    retryBackoff: z
      .object({ baseMs: z.number().int().min(0), maxMs: z.number().int().min(0) })
      .strict()
      .default({ baseMs: 1_000, maxMs: 30_000 }),
    /** Start a run by itself this long after changes arrive (debounced); false: only on demand. */
    autoStart: z.union([z.literal(false), z.object({ debounceMs: z.number().int().min(0) }).strict()]).default(false),
    /** Start a run at this interval when changes are pending. */
    schedule: z.union([z.literal(false), z.object({ everyMs: z.number().int().min(1_000) }).strict()]).default(false),
    /** Warn this many days before the API version's support ends. */
    apiVersionWarningDays: z.number().int().min(0).max(365).default(DEFAULT_WARNING_DAYS),
  })
  .strict();

/** How the engine paces, retries and starts runs: batch size, delays, lease, auto-start and schedule (every field optional). */
export type EngineTuning = z.input<typeof engineTuningSchema>;

/** What a SyncEngine is made with: the connector, the target it writes to, and optionally storage, a clock and tuning. */
export interface EngineOptions extends EngineTuning {
  connector: ConnectorConfigInput;
  target: Target;
  /** Defaults to a new MemoryStorage. */
  storage?: StorageAdapter;
  clock?: Clock;
}

/** How `SyncEngine.start` runs: signals that stop or yield it, the store's last rate limit, and what started it. */
export interface StartOptions {
  /** Aborting stops the run: the current iteration is cut, its items return to the queue. */
  signal?: AbortSignal;
  /**
   * Aborting ends the run between two iterations (the one under way finishes and is recorded)
   * without ending its event: it stays In Progress, and the next `start` or `recover` resumes
   * it. The fleet uses it to give a busy store's slot to waiting ones, and to stop on SIGTERM.
   */
  yieldSignal?: AbortSignal;
  /** The store's rate limit as the last runner left it (fleet): handed to the target's `connect`. */
  throttle?: ThrottleState;
  trigger?: SyncTrigger;
}

export type { ItemFilter, ItemQueryInput };

/** The run under way and the promise of its end. */
interface ActiveRun {
  readonly run: Run;
  /** Stops the run (the caller's signal, or dispose). */
  readonly stop: AbortController;
  readonly promise: Promise<SyncEvent>;
}

/**
 * Drains one connector's change queue into its target, in iterations, and records what
 * happened: sync events with their status, iterations, general errors and logs, and the
 * latest status of every item. One run at a time; changes enqueued during a run join it.
 *
 * Emits (eventemitter3): statusChanged, iterationCompleted, pendingChanged, itemsUpdated,
 * generalError, logsAvailable.
 */
export class SyncEngine extends EventEmitter<EngineEvents> {
  readonly connectorId: string;
  readonly storage: StorageAdapter;
  readonly queue: ChangeQueue;
  readonly #clock: Clock;
  readonly #tuning: z.output<typeof engineTuningSchema>;
  readonly #runHost: RunHost;
  #config: ConnectorConfig;
  #run: ActiveRun | null = null;
  #disposed = false;
  #cancelDebounce: (() => void) | undefined;
  #cancelSchedule: (() => void) | undefined;
  #nextRunAt: number | undefined;

  constructor(options: EngineOptions) {
    super();
    const { connector, target, storage, clock, ...tuning } = options;
    this.#config = parseOrThrow(connectorConfigSchema, connector, 'connector', 'connector configuration');
    this.#tuning = parseOrThrow(engineTuningSchema, tuning, 'options', 'engine options');
    this.connectorId = this.#config.id;
    this.#clock = clock ?? systemClock;
    this.storage = storage ?? new MemoryStorage();
    this.queue = new ChangeQueue(this.storage, this.connectorId, () => this.#clock.now());
    this.#runHost = {
      connectorId: this.connectorId,
      storage: this.storage,
      target,
      clock: this.#clock,
      tuning: this.#tuning,
      ids: {
        get: (keys) => this.storage.getTargetIds(this.connectorId, keys),
        set: (entries) => this.storage.setTargetIds(this.connectorId, entries),
      },
      config: () => this.#config,
      snapshot: (now) => this.#snapshot(now),
      emit: (name, ...args) => this.#emit(name, ...args),
    };
    this.#scheduleNext();
  }

  /** The connector configuration in force now (each event keeps its own snapshot). */
  get config(): Readonly<ConnectorConfig> {
    return { ...this.#config };
  }

  get running(): boolean {
    return this.#run !== null;
  }

  /** The event being run, as it stands now. */
  get currentEvent(): SyncEvent | undefined {
    return this.#run?.run.event ? structuredClone(this.#run.run.event) : undefined;
  }

  /** When the next scheduled run will start (ISO), where runs are scheduled. */
  get nextRunAt(): string | undefined {
    return this.#nextRunAt === undefined ? undefined : new Date(this.#nextRunAt).toISOString();
  }

  /** Pace of the running event so far, and the time it would need for the rest. */
  throughput(): Throughput | undefined {
    return this.#run?.run.event ? estimateRemaining(this.#run.run.event) : undefined;
  }

  /**
   * Validates the whole batch and adds it to the queue (all or nothing). With `force`, the
   * given upserts are re-sent even if unchanged and deletions are dropped.
   */
  async enqueue(changes: unknown, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    this.#assertOpen();
    const result = await this.queue.enqueue(changes, options);
    if (result.accepted > 0) {
      this.#run?.run.countPending(result.pending);
      this.#emit('pendingChanged', { connectorId: this.connectorId, ...this.#eventIdField(), pending: result.pending });
      this.#debounceStart();
    }
    return result;
  }

  /**
   * Starts a run, or joins the one under way. A paused event, or one left in progress by a
   * process that stopped, is resumed rather than a new one started. Resolves with the event
   * when the run ends: completed, error, or paused.
   */
  start(options: StartOptions = {}): Promise<SyncEvent> {
    this.#assertOpen();
    if (this.#run) return this.#run.promise;
    if (!this.#config.enabled) {
      return Promise.reject(new ShopsyncError('connector_disabled', 'The connector is disabled: enable it to synchronize.'));
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort(options.signal?.reason);
    if (options.signal?.aborted) stop.abort(options.signal.reason);
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const run = new Run(this.#runHost, { signal: stop.signal, yieldSignal: options.yieldSignal, throttle: options.throttle });
    const onYield = () => run.interrupt();
    options.yieldSignal?.addEventListener('abort', onYield, { once: true });
    const active: ActiveRun = {
      run,
      stop,
      promise: run.execute(options.trigger ?? 'manual').finally(() => {
        options.signal?.removeEventListener('abort', onAbort);
        options.yieldSignal?.removeEventListener('abort', onYield);
        if (this.#run === active) this.#run = null;
        // Enabled again while the pause was being written: resume now.
        if (run.state === 'paused' && this.#config.enabled && !this.#disposed) this.#background(this.start({ trigger: 'resume' }));
      }),
    };
    this.#run = active;
    return active.promise;
  }

  /**
   * Call once when the host starts (or restarts): an event left In Progress by a process that
   * stopped is resumed, and so is a Paused one if the connector is enabled. Its items leased by
   * the dead process return to the queue when their lease expires. Resolves with the event when
   * that run ends, or undefined when there was nothing to resume.
   */
  async recover(): Promise<SyncEvent | undefined> {
    this.#assertOpen();
    if (this.#run) return this.#run.promise;
    const latest = await this.latestEvent();
    if (!latest || !this.#config.enabled || (latest.status !== 'in_progress' && latest.status !== 'paused')) return undefined;
    return this.start({ trigger: 'resume' });
  }

  /** Resolves when no run is under way (with the event the last run ended with, if any). */
  async idle(): Promise<SyncEvent | undefined> {
    let last: SyncEvent | undefined;
    while (this.#run) last = await this.#run.promise;
    return last;
  }

  /**
   * Disabling pauses a run under way: the current iteration finishes, then the event is Paused.
   * Enabling resumes a paused event, the same one, automatically.
   */
  async setEnabled(enabled: boolean): Promise<void> {
    await this.updateConfig({ enabled });
  }

  /** Changes the connector configuration; a running event keeps the snapshot it started with. */
  async updateConfig(patch: Partial<Omit<ConnectorConfigInput, 'id'>>): Promise<void> {
    this.#assertOpen();
    const next = parseOrThrow(connectorConfigSchema, { ...this.#config, ...patch, id: this.#config.id }, 'connector', 'connector configuration');
    const wasEnabled = this.#config.enabled;
    this.#config = next;
    if (wasEnabled && !next.enabled) {
      this.#cancelDebounce?.();
      this.#run?.run.interrupt();
    } else if (!wasEnabled && next.enabled && !this.#run) {
      const latest = await this.latestEvent();
      if (latest?.status === 'paused') this.#background(this.start({ trigger: 'resume' }));
    }
  }

  /** The newest sync event of this connector. */
  async latestEvent(): Promise<SyncEvent | undefined> {
    return (await this.storage.listEvents(this.connectorId, { offset: 0, limit: 1 })).items[0];
  }

  async listEvents(query: { offset?: number; limit?: number } = {}): Promise<Page<SyncEvent>> {
    return this.storage.listEvents(this.connectorId, parsePageQuery(query));
  }

  async getEvent(eventId: string): Promise<SyncEvent | undefined> {
    return this.storage.getEvent(this.connectorId, eventId);
  }

  /** Item statuses filtered by reference substring (case-sensitive), status, entity and date; paginated. */
  async queryItems(query: ItemQueryInput = {}): Promise<Page<ItemStatus>> {
    return this.storage.queryItems(this.connectorId, parseItemQuery(query));
  }

  /** The event's log as a JSONL or CSV document. */
  async exportLogs(eventId: string, format: LogFormat): Promise<string> {
    return exportLogs(await this.storage.readLogs(this.connectorId, eventId), format);
  }

  /** Queues failed items again with the change last attempted. Returns how many were queued. */
  async retryItems(items: ReadonlyArray<{ entity: string; ref: string }>): Promise<number> {
    return requeueFailed(this.storage, this.connectorId, { items }, (changes, options) => this.enqueue(changes, options));
  }

  /** Queues again every failed item that matches the filter (the Item tab's current filter). */
  async retryFailed(filter: ItemFilter = {}): Promise<number> {
    return requeueFailed(this.storage, this.connectorId, { filter }, (changes, options) => this.enqueue(changes, options));
  }

  /** Stops timers and any run under way (its items stay queued). The storage stays open. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#cancelDebounce?.();
    this.#cancelSchedule?.();
    this.#nextRunAt = undefined;
    const active = this.#run;
    if (active) {
      active.stop.abort(new ShopsyncError('disposed', 'The engine was disposed.'));
      await active.promise.catch(() => undefined);
    }
    this.#disposed = true;
    this.removeAllListeners();
  }

  #snapshot(now: number): ConfigSnapshot {
    const c = this.#config;
    const a = assessApiVersion(c.apiVersion, new Date(now), this.#tuning.apiVersionWarningDays);
    const snapshot: ConfigSnapshot = {
      shopDomain: c.shopDomain,
      apiVersion: { requested: c.apiVersion, status: a.status, endsSoon: a.endsSoon },
      disableDeletions: c.disableDeletions,
      overwriteStock: c.overwriteStock,
      includeEmptyCategories: c.includeEmptyCategories,
      language: c.language,
      publications: [...c.publications],
      ownedMetafieldNamespaces: [...c.ownedMetafieldNamespaces],
      createMetafieldDefinitions: c.createMetafieldDefinitions,
    };
    if (a.supportEndsAt !== undefined) snapshot.apiVersion.supportEndsAt = a.supportEndsAt;
    if (c.locationId !== undefined) snapshot.locationId = c.locationId;
    const locations = Object.entries(c.locations);
    if (locations.length) snapshot.locations = locations.map(([warehouse, location]) => ({ warehouse, location }));
    return snapshot;
  }

  #eventIdField(): { eventId?: string } {
    return this.#run?.run.event ? { eventId: this.#run.run.event.id } : {};
  }

  #debounceStart(): void {
    const auto = this.#tuning.autoStart;
    if (auto === false || !this.#config.enabled || this.#disposed) return;
    this.#cancelDebounce?.();
    this.#cancelDebounce = this.#clock.setTimer(() => {
      this.#cancelDebounce = undefined;
      if (!this.#run && this.#config.enabled && !this.#disposed) this.#background(this.start({ trigger: 'changes' }));
    }, auto.debounceMs);
  }

  #scheduleNext(): void {
    const schedule = this.#tuning.schedule;
    if (schedule === false || this.#disposed) return;
    this.#nextRunAt = this.#clock.now() + schedule.everyMs;
    this.#cancelSchedule = this.#clock.setTimer(() => {
      void (async () => {
        if (!this.#run && this.#config.enabled && !this.#disposed) {
          const pending = await this.storage.pendingCounts(this.connectorId);
          if (totalOf(pending) > 0) this.#background(this.start({ trigger: 'schedule' }));
        }
        this.#scheduleNext();
      })();
    }, schedule.everyMs);
  }

  /** A run started by the engine itself: failures surface as uncaught errors, never silently. */
  #background(p: Promise<unknown>): void {
    p.catch((err: unknown) => {
      if (err instanceof ShopsyncError && err.code === 'connector_disabled') return;
      queueMicrotask(() => {
        throw err;
      });
    });
  }

  /** Listeners are the host's code: one that throws must not break the run. */
  #emit<K extends keyof EngineEvents>(name: K, ...args: EngineEvents[K]): void {
    try {
      (this.emit as (n: K, ...a: EngineEvents[K]) => boolean)(name, ...args);
    } catch (err) {
      queueMicrotask(() => {
        throw err;
      });
    }
  }

  #assertOpen(): void {
    if (this.#disposed) throw new ShopsyncError('disposed', 'This engine has been disposed.');
  }
}

export function createEngine(options: EngineOptions): SyncEngine {
  return new SyncEngine(options);
}
