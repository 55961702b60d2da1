import { EventEmitter } from 'eventemitter3';
import { z } from 'zod';
import { assessApiVersion, DEFAULT_WARNING_DAYS } from '../api-version.js';
import { CONNECTION_ERROR_CODES, ConnectionError } from '../errors/connection-error.js';
import { LeaseLostError } from '../errors/lease-error.js';
import { ShopsyncError } from '../errors/shopsync-error.js';
import { stableHash } from '../hash.js';
import { newId } from '../ids.js';
import { exportLogs, type LogFormat } from '../logs/export.js';
import { remoteText } from '../logs/redact.js';
import { itemKey } from '../queue/keys.js';
import { requeueFailed } from '../queue/retry.js';
import { ChangeQueue, type EnqueueOptions, type EnqueueResult } from '../queue/queue.js';
import { ENTITY_PLURAL, SCHEMA_VERSION, totalOf, zeroCounts, type EntityCounts } from '../schemas/common.js';
import { connectorConfigSchema, type ConnectorConfig, type ConnectorConfigInput } from '../schemas/connector.js';
import type { ConfigSnapshot, GeneralError, Iteration, SyncEvent, SyncTrigger } from '../schemas/event.js';
import type { ItemStatus } from '../schemas/item.js';
import type { LogEntry } from '../schemas/log.js';
import type { QueueEntry } from '../schemas/queue.js';
import type { Lease, Page, StorageAdapter } from '../storage/adapter.js';
import { parseItemQuery, parsePageQuery, type ItemFilter, type ItemQueryInput } from '../storage/queries.js';
import { MemoryStorage } from '../storage/memory.js';
import { transition, type RunState, type StatusAction } from '../status/machine.js';
import type { GeneralErrorInput, PushResult, Target, TargetIdStore, TargetItem, ThrottleState } from '../target.js';
import { parseOrThrow } from '../validate.js';
import { backoffDelay } from './backoff.js';
import { sleep, systemClock, type Clock } from './clock.js';
import type { EngineEvents } from './events.js';
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

export type EngineTuning = z.input<typeof engineTuningSchema>;

export interface EngineOptions extends EngineTuning {
  connector: ConnectorConfigInput;
  target: Target;
  /** Defaults to a new MemoryStorage. */
  storage?: StorageAdapter;
  clock?: Clock;
}

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

interface ActiveRun {
  event: SyncEvent;
  state: RunState;
  /** Stops the run (the caller's signal, or dispose). */
  readonly stop: AbortController;
  /** Cuts short any wait between iterations (the connector was disabled). */
  wake: AbortController;
  failedAttempts: number;
  promise: Promise<SyncEvent>;
  /** Log lines the target wrote while connecting, appended after the run's own first line. */
  notes: LogEntry[];
  /** Ends the run between iterations, its event left In Progress (StartOptions.yieldSignal). */
  yieldSignal: AbortSignal | undefined;
  throttle: ThrottleState | undefined;
}

/** A general error from anything a target threw: remote text is data, scrubbed of secrets. */
function toGeneralError(err: unknown): GeneralErrorInput {
  if (err instanceof ConnectionError) {
    const out: GeneralErrorInput = { code: CONNECTION_ERROR_CODES[err.kind], message: `${remoteText(err.message)} ${err.advice}` };
    if (err.httpStatus !== undefined) out.httpStatus = err.httpStatus;
    return out;
  }
  return { code: 'internal', message: remoteText(err) };
}

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(o);
}

function addCount(counts: EntityCounts, entity: QueueEntry['entity']): void {
  counts[ENTITY_PLURAL[entity]] += 1;
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
  readonly #target: Target;
  readonly #clock: Clock;
  readonly #tuning: z.output<typeof engineTuningSchema>;
  readonly #ids: TargetIdStore;
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
    this.#target = target;
    this.#clock = clock ?? systemClock;
    this.storage = storage ?? new MemoryStorage();
    this.queue = new ChangeQueue(this.storage, this.connectorId, () => this.#clock.now());
    this.#ids = {
      get: (keys) => this.storage.getTargetIds(this.connectorId, keys),
      set: (entries) => this.storage.setTargetIds(this.connectorId, entries),
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
    return this.#run ? structuredClone(this.#run.event) : undefined;
  }

  /** When the next scheduled run will start (ISO), where runs are scheduled. */
  get nextRunAt(): string | undefined {
    return this.#nextRunAt === undefined ? undefined : new Date(this.#nextRunAt).toISOString();
  }

  /** Pace of the running event so far, and the time it would need for the rest. */
  throughput(): Throughput | undefined {
    return this.#run ? estimateRemaining(this.#run.event) : undefined;
  }

  /**
   * Validates the whole batch and adds it to the queue (all or nothing). With `force`, the
   * given upserts are re-sent even if unchanged and deletions are dropped.
   */
  async enqueue(changes: unknown, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    this.#assertOpen();
    const result = await this.queue.enqueue(changes, options);
    if (result.accepted > 0) {
      if (this.#run) this.#run.event.pending = result.pending;
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
    const run: ActiveRun = {
      event: undefined as unknown as SyncEvent,
      state: 'starting',
      stop,
      wake: new AbortController(),
      failedAttempts: 0,
      promise: undefined as unknown as Promise<SyncEvent>,
      notes: [],
      yieldSignal: options.yieldSignal,
      throttle: options.throttle,
    };
    const onYield = () => run.wake.abort();
    options.yieldSignal?.addEventListener('abort', onYield, { once: true });
    this.#run = run;
    run.promise = this.#execute(run, options.trigger ?? 'manual').finally(() => {
      options.signal?.removeEventListener('abort', onAbort);
      options.yieldSignal?.removeEventListener('abort', onYield);
      if (this.#run === run) this.#run = null;
      // Enabled again while the pause was being written: resume now.
      if (run.state === 'paused' && this.#config.enabled && !this.#disposed) this.#background(this.start({ trigger: 'resume' }));
    });
    return run.promise;
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
      this.#run?.wake.abort();
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
    const run = this.#run;
    if (run) {
      run.stop.abort(new ShopsyncError('disposed', 'The engine was disposed.'));
      await run.promise.catch(() => undefined);
    }
    this.#disposed = true;
    this.removeAllListeners();
  }

  // ——— the run ———

  async #execute(run: ActiveRun, trigger: SyncTrigger): Promise<SyncEvent> {
    const latest = await this.latestEvent();
    if (latest && (latest.status === 'paused' || latest.status === 'in_progress')) return this.#resume(run, latest);

    const now = this.#clock.now();
    const pending = await this.storage.pendingCounts(this.connectorId);
    run.event = {
      v: SCHEMA_VERSION,
      id: newId('evt', now),
      connectorId: this.connectorId,
      status: 'in_progress',
      trigger,
      startedAt: new Date(now).toISOString(),
      pending,
      generalErrors: [],
      config: this.#snapshot(now),
      iterations: [],
      logsAvailable: false,
      pausedAt: [],
      resumedAt: [],
    };
    if (!(await this.#connect(run, { type: 'connectFailed' }))) return run.event;
    await this.#setState(run, { type: 'connected' });
    await this.storage.appendLogs(this.connectorId, run.event.id, [
      this.#logEntry(run, 'info', `Synchronization started (${trigger}) with ${pending.categories} categories, ${pending.products} products and ${pending.variants} variants pending.`),
      ...run.notes.splice(0),
    ]);
    return this.#drain(run);
  }

  async #resume(run: ActiveRun, event: SyncEvent): Promise<SyncEvent> {
    run.event = event;
    run.state = event.status;
    const interrupted = event.status === 'in_progress';
    const lastYield = event.yieldedAt?.at(-1);
    const yielded = interrupted && lastYield !== undefined && (event.resumedAt.at(-1) ?? '') < lastYield;
    event.resumedAt.push(new Date(this.#clock.now()).toISOString());
    if (event.status === 'paused') await this.#setState(run, { type: 'enabled' });
    else await this.storage.saveEvent(event);
    await this.storage.appendLogs(this.connectorId, event.id, [
      this.#logEntry(
        run,
        'info',
        yielded ? 'Synchronization resumed in its turn.' : interrupted ? 'Synchronization resumed after the process running it stopped.' : 'Connector enabled again: synchronization resumed.',
      ),
    ]);
    if (!(await this.#connect(run, { type: 'stopped' }))) return run.event;
    if (run.notes.length) await this.storage.appendLogs(this.connectorId, event.id, run.notes.splice(0));
    return this.#drain(run);
  }

  /** Checks the store; on failure ends the run through `onFail` with a general error. */
  async #connect(run: ActiveRun, onFail: StatusAction): Promise<boolean> {
    try {
      const info = await this.#target.connect({
        connectorId: this.connectorId,
        config: { ...this.#config },
        signal: run.stop.signal,
        log: (level, message) => run.notes.push(this.#logEntry(run, level, message)),
        ...(run.throttle && { throttle: run.throttle }),
      });
      if (run.state === 'starting') {
        const api = run.event.config.apiVersion;
        if (info.servedApiVersion) api.served = info.servedApiVersion;
        if (info.deprecationReason) api.deprecationReason = remoteText(info.deprecationReason, 2_000);
        if (info.translationLanguages) run.event.config.translations = [...info.translationLanguages];
        if (info.locationIds) for (const l of run.event.config.locations ?? []) if (info.locationIds[l.warehouse]) l.id = info.locationIds[l.warehouse];
        // Frozen for the life of the event: what it ran with, whatever the connector becomes.
        deepFreeze(run.event.config);
      }
      return true;
    } catch (err) {
      const error = this.#recordGeneralError(run, toGeneralError(err));
      run.event.endedAt = new Date(this.#clock.now()).toISOString();
      await this.#setState(run, onFail);
      await this.storage.appendLogs(this.connectorId, run.event.id, [...run.notes.splice(0), this.#logEntry(run, 'error', error.message, { code: error.code })]);
      this.#emit('generalError', { connectorId: this.connectorId, eventId: run.event.id, error });
      return false;
    }
  }

  /**
   * Drains the queue. If the storage fails meanwhile (a damaged record, a full disk: anything it
   * throws other than a lost lease), the run does not stop half-way with its event In Progress:
   * the event ends (Completed, items left queued) with a general error that carries the storage's
   * message, which names the problem. Only if even that cannot be saved does the run reject.
   */
  async #drain(run: ActiveRun): Promise<SyncEvent> {
    try {
      return await this.#drainQueue(run);
    } catch (err) {
      if (run.state !== 'in_progress') throw err;
      const error = this.#recordGeneralError(run, {
        code: 'internal',
        message: `The storage failed, so the run ended; the remaining items stay queued. ${err instanceof Error ? err.message : String(err)}`,
      });
      try {
        run.event.endedAt = new Date(this.#clock.now()).toISOString();
        await this.#setState(run, { type: 'stopped' });
        await this.storage.appendLogs(this.connectorId, run.event.id, [this.#logEntry(run, 'error', error.message, { code: error.code })]);
      } catch {
        throw err;
      }
      this.#emit('generalError', { connectorId: this.connectorId, eventId: run.event.id, error });
      return run.event;
    }
  }

  async #drainQueue(run: ActiveRun): Promise<SyncEvent> {
    for (;;) {
      if (run.stop.signal.aborted) {
        this.#recordGeneralError(run, { code: 'stopped', message: 'The synchronization was stopped before the queue was drained; the remaining items stay queued.' });
        return this.#end(run, { type: 'stopped' });
      }
      if (!this.#config.enabled) return this.#pause(run);
      if (run.yieldSignal?.aborted) return this.#yield(run);
      const lease = await this.storage.lease(this.connectorId, {
        limit: this.#tuning.batchSize,
        leaseMs: this.#tuning.leaseMs,
        now: this.#clock.now(),
      });
      if (!lease) {
        // Nothing leasable. Items still pending are leased by another runner, or by one that died:
        // wait for them (an expired lease returns its items) rather than call the queue drained.
        const pending = await this.storage.pendingCounts(this.connectorId);
        if (pending.categories + pending.products + pending.variants === 0) return this.#end(run, { type: 'drained' });
        run.event.pending = pending;
        await sleep(this.#clock, Math.min(1_000, this.#tuning.leaseMs), run.stop.signal, run.wake.signal);
        continue;
      }
      const outcome = await this.#iterate(run, lease);
      if (outcome === 'aborted') continue;
      if (typeof outcome === 'object') {
        // Everything leased is waiting for the store (images being processed): look again later.
        await sleep(this.#clock, Math.min(Math.max(outcome.waitMs, 50), 60_000), run.stop.signal, run.wake.signal);
        continue;
      }
      if (outcome === 'failed') {
        run.failedAttempts += 1;
        if (run.failedAttempts >= this.#tuning.maxFailedIterations) {
          const error = this.#recordGeneralError(run, {
            code: 'exhausted',
            message: `Nothing could be synchronized in ${run.failedAttempts} attempts in a row; the run ended and the remaining items stay queued for the next one.`,
          });
          this.#emit('generalError', { connectorId: this.connectorId, eventId: run.event.id, error });
          return this.#end(run, { type: 'stopped' });
        }
        await sleep(this.#clock, backoffDelay(run.failedAttempts - 1, this.#tuning.retryBackoff), run.stop.signal, run.wake.signal);
        continue;
      }
      run.failedAttempts = 0;
      // Pace only between iterations: when nothing is left, the run completes at once.
      if (totalOf(run.event.pending) > 0) await sleep(this.#clock, this.#tuning.iterationDelayMs, run.stop.signal, run.wake.signal);
    }
  }

  /**
   * One iteration: skip what is unchanged, push the rest, record outcomes atomically with the ack.
   * Items the store is still processing go back to the queue; when nothing else was done the
   * lease is released whole, no iteration is recorded, and the caller waits `waitMs`.
   */
  async #iterate(run: ActiveRun, lease: Lease): Promise<'ok' | 'failed' | 'aborted' | { waitMs: number }> {
    const event = run.event;
    const startedAt = this.#clock.now();
    const index = event.iterations.length + 1;
    const byKey = new Map(lease.items.map((e) => [e.key, e]));

    const hashes = new Map<string, string>();
    for (const e of lease.items) if (e.change.op === 'upsert') hashes.set(e.key, this.#hashOf(e, event.config));
    const stored = await this.storage.getHashes(
      this.connectorId,
      lease.items.filter((e) => e.change.op === 'upsert' && !e.force).map((e) => e.key),
    );
    const unchanged: QueueEntry[] = [];
    const toPush: TargetItem[] = [];
    for (const e of lease.items) {
      if (e.change.op === 'upsert' && !e.force && stored.get(e.key) === hashes.get(e.key)) unchanged.push(e);
      else toPush.push({ key: e.key, entity: e.entity, ref: e.ref, op: e.change.op, change: e.change, force: e.force });
    }

    let result: PushResult = { outcomes: [], generalErrors: [] };
    const notes: LogEntry[] = [];
    if (toPush.length > 0) {
      try {
        result = await this.#target.push(toPush, {
          connectorId: this.connectorId,
          config: event.config,
          ids: this.#ids,
          signal: run.stop.signal,
          log: (level, message) => notes.push(this.#logEntry(run, level, message, { iteration: index })),
        });
      } catch (err) {
        if (run.stop.signal.aborted) {
          await this.storage.release(this.connectorId, lease.id).catch(() => undefined);
          return 'aborted';
        }
        result = { outcomes: [], generalErrors: [toGeneralError(err)] };
      }
    }

    const endedAt = this.#clock.now();
    const endedIso = new Date(endedAt).toISOString();
    const prev = new Map<string, ItemStatus>(
      (await this.storage.getItems(this.connectorId, lease.items.map((e) => e.key))).map((s) => [itemKey(s.entity, s.ref), s]),
    );
    const synced = zeroCounts();
    const failed = zeroCounts();
    const skipped = zeroCounts();
    const statuses: ItemStatus[] = [];
    const hashUpdates: Array<{ key: string; hash: string | null }> = [];
    const logs: LogEntry[] = notes;
    const done = new Set<string>();
    const base = (e: QueueEntry): ItemStatus => {
      const p = prev.get(e.key);
      const s: ItemStatus = {
        v: SCHEMA_VERSION,
        entity: e.entity,
        ref: e.ref,
        op: e.change.op,
        status: 'complete',
        errors: [],
        syncEventId: event.id,
        updatedAt: endedIso,
        consecutiveFailures: 0,
      };
      if ('parentRef' in e.change && e.change.parentRef !== undefined) s.parentRef = e.change.parentRef;
      if (p?.shopifyId !== undefined && e.change.op === 'upsert') s.shopifyId = p.shopifyId;
      return s;
    };

    for (const e of unchanged) {
      done.add(e.key);
      addCount(skipped, e.entity);
      statuses.push({ ...base(e), skipped: 'unchanged' });
    }
    let waitMs: number | undefined;
    for (const o of result.outcomes) {
      const e = byKey.get(o.key);
      if (!e || done.has(o.key)) continue;
      done.add(o.key);
      if (o.status === 'waiting') {
        // No status: the item stays queued (and pending) until the target knows its outcome.
        waitMs = Math.min(waitMs ?? Infinity, Number.isFinite(o.retryAfterMs) ? o.retryAfterMs : 1_000);
        continue;
      }
      const s = base(e);
      if (o.status === 'synced') {
        addCount(synced, e.entity);
        if (o.shopifyId !== undefined) s.shopifyId = remoteText(o.shopifyId, 255);
        hashUpdates.push({ key: e.key, hash: e.change.op === 'upsert' ? hashes.get(e.key)! : null });
      } else if (o.status === 'skipped') {
        addCount(skipped, e.entity);
        s.skipped = o.reason;
        // An empty category waits for a product: the queue sends it again with the first that names it.
        if (o.reason === 'empty_category') s.change = e.change;
        logs.push(this.#logEntry(run, 'info', `Skipped: ${o.reason.replace(/_/g, ' ')}.`, { iteration: index, entity: e.entity, ref: e.ref, code: o.reason }));
      } else {
        addCount(failed, e.entity);
        const p = prev.get(e.key);
        s.status = 'error';
        s.errors = (o.errors.length ? o.errors : [{ message: 'The store rejected this item without saying why.' }]).map((err) => {
          const clean: ItemStatus['errors'][number] = { message: remoteText(err.message) };
          if (err.code !== undefined) clean.code = remoteText(err.code, 200);
          if (err.field !== undefined) clean.field = err.field.map((f) => remoteText(String(f), 200));
          return clean;
        });
        s.consecutiveFailures = p?.syncEventId === event.id ? Math.max(1, p.consecutiveFailures) : (p?.consecutiveFailures ?? 0) + 1;
        s.change = e.change;
        logs.push(
          this.#logEntry(run, 'error', s.errors.map((x) => x.message).join('; '), {
            iteration: index,
            entity: e.entity,
            ref: e.ref,
            ...(s.errors[0]?.code !== undefined ? { code: s.errors[0].code } : {}),
          }),
        );
      }
      statuses.push(s);
    }

    const generalErrors = result.generalErrors
      .filter((g) => g.severity !== 'warning' || !event.generalErrors.some((e) => e.severity === 'warning' && e.code === g.code && e.message === remoteText(g.message)))
      .map((g) => this.#recordGeneralError(run, { ...g, message: remoteText(g.message) }, index));
    for (const g of generalErrors) logs.push(this.#logEntry(run, g.severity === 'warning' ? 'warn' : 'error', g.message, { iteration: index, code: g.code }));

    if (statuses.length === 0 && generalErrors.every((g) => g.severity === 'warning') && waitMs !== undefined) {
      if (logs.length) await this.storage.appendLogs(this.connectorId, event.id, logs);
      if (generalErrors.length) {
        await this.storage.saveEvent(event);
        for (const error of generalErrors) this.#emit('generalError', { connectorId: this.connectorId, eventId: event.id, error });
      }
      await this.storage.release(this.connectorId, lease.id).catch((err: unknown) => {
        if (!(err instanceof LeaseLostError)) throw err;
      });
      return { waitMs };
    }
    if (statuses.length === 0) {
      if (generalErrors.length === 0) {
        const g = this.#recordGeneralError(run, { code: 'internal', message: `The store gave no result for ${toPush.length} items; they stay queued.` }, index);
        generalErrors.push(g);
        logs.push(this.#logEntry(run, 'error', g.message, { iteration: index, code: g.code }));
      }
      await this.#commit(run, lease, { items: [], event, logs, now: endedAt });
      for (const error of generalErrors) this.#emit('generalError', { connectorId: this.connectorId, eventId: event.id, error });
      return 'failed';
    }

    const iteration: Iteration = { index, startedAt: new Date(startedAt).toISOString(), endedAt: endedIso, synced, failed, skipped };
    event.iterations.push(iteration);
    const firstLogs = !event.logsAvailable;
    event.logsAvailable = true;
    logs.push(
      this.#logEntry(
        run,
        'info',
        `Iteration ${index}: synchronized ${synced.categories} categories, ${synced.products} products, ${synced.variants} variants; ` +
          `${failed.categories + failed.products + failed.variants} failed; ${skipped.categories + skipped.products + skipped.variants} skipped.`,
        { iteration: index },
      ),
    );
    if (!(await this.#commit(run, lease, { items: statuses, hashes: hashUpdates, event, logs, now: endedAt }))) {
      event.iterations.pop();
      event.logsAvailable = !firstLogs;
      return 'failed';
    }

    const snapshot = structuredClone(event);
    this.#emit('itemsUpdated', { connectorId: this.connectorId, eventId: event.id, items: structuredClone(statuses) });
    this.#emit('pendingChanged', { connectorId: this.connectorId, eventId: event.id, pending: { ...event.pending } });
    for (const error of generalErrors) this.#emit('generalError', { connectorId: this.connectorId, eventId: event.id, error });
    this.#emit('iterationCompleted', { connectorId: this.connectorId, eventId: event.id, iteration: { ...iteration }, event: snapshot });
    if (firstLogs) this.#emit('logsAvailable', { connectorId: this.connectorId, eventId: event.id });
    return 'ok';
  }

  /** Acks the lease with the event as it stands; false if the lease was lost (items already back in the queue). */
  async #commit(run: ActiveRun, lease: Lease, commit: Parameters<StorageAdapter['ack']>[2]): Promise<boolean> {
    try {
      // The ack saves the event with the pending counts it leaves; one write per iteration.
      run.event.pending = await this.storage.ack(this.connectorId, lease.id, commit);
      return true;
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      const g = this.#recordGeneralError(run, {
        code: 'timeout',
        message: `An iteration took longer than its lease (${this.#tuning.leaseMs} ms); its items went back to the queue and will be sent again.`,
      });
      run.event.pending = await this.storage.pendingCounts(this.connectorId);
      await this.storage.saveEvent(run.event);
      this.#emit('generalError', { connectorId: this.connectorId, eventId: run.event.id, error: g });
      return false;
    }
  }

  async #pause(run: ActiveRun): Promise<SyncEvent> {
    run.event.pausedAt.push(new Date(this.#clock.now()).toISOString());
    run.event.pending = await this.storage.pendingCounts(this.connectorId);
    await this.#setState(run, { type: 'disabled' });
    await this.storage.appendLogs(this.connectorId, run.event.id, [
      this.#logEntry(run, 'warn', 'Connector disabled: synchronization paused. It resumes when the connector is enabled again.'),
    ]);
    run.wake = new AbortController();
    return run.event;
  }

  /** Ends the run between iterations without ending its event: it stays In Progress, to be resumed (StartOptions.yieldSignal). */
  async #yield(run: ActiveRun): Promise<SyncEvent> {
    const e = run.event;
    (e.yieldedAt ??= []).push(new Date(this.#clock.now()).toISOString());
    e.pending = await this.storage.pendingCounts(this.connectorId);
    await this.storage.saveEvent(e);
    await this.storage.appendLogs(this.connectorId, e.id, [
      this.#logEntry(run, 'info', `Synchronization gave its turn to other stores after ${e.iterations.length} iterations; it goes on in this event in its next turn.`),
    ]);
    return e;
  }

  async #end(run: ActiveRun, action: StatusAction): Promise<SyncEvent> {
    run.event.endedAt = new Date(this.#clock.now()).toISOString();
    run.event.pending = await this.storage.pendingCounts(this.connectorId);
    await this.#setState(run, action);
    const e = run.event;
    await this.storage.appendLogs(this.connectorId, e.id, [
      this.#logEntry(run, 'info', `Synchronization ended after ${e.iterations.length} iterations with ${e.generalErrors.length} general errors.`),
    ]);
    return e;
  }

  /** Applies an action through the state machine, saves the event and tells listeners. */
  async #setState(run: ActiveRun, action: StatusAction): Promise<void> {
    const previous = run.state;
    const status = transition(previous, action);
    run.state = status;
    run.event.status = status;
    if (status === 'in_progress') delete run.event.endedAt;
    await this.storage.saveEvent(run.event);
    this.#emit('statusChanged', { connectorId: this.connectorId, eventId: run.event.id, status, previous, event: structuredClone(run.event) });
  }

  #recordGeneralError(run: ActiveRun, input: GeneralErrorInput, iteration?: number): GeneralError {
    const error: GeneralError = { at: new Date(this.#clock.now()).toISOString(), code: input.code, message: remoteText(input.message) };
    if (iteration !== undefined) error.iteration = iteration;
    if (input.httpStatus !== undefined) error.httpStatus = input.httpStatus;
    if (input.severity === 'warning') error.severity = 'warning';
    run.event.generalErrors.push(error);
    return error;
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

  /** What decides whether the store already has this item as it is: its data, parent and language. */
  #hashOf(e: QueueEntry, config: ConfigSnapshot): string {
    const c = e.change;
    return stableHash({ entity: c.entity, parentRef: 'parentRef' in c ? c.parentRef : undefined, data: 'data' in c ? c.data : undefined, language: config.language });
  }

  #logEntry(run: ActiveRun, level: LogEntry['level'], message: string, extra: Partial<Pick<LogEntry, 'iteration' | 'entity' | 'ref' | 'code'>> = {}): LogEntry {
    return { v: SCHEMA_VERSION, at: new Date(this.#clock.now()).toISOString(), level, eventId: run.event.id, ...extra, message: remoteText(message) };
  }

  #eventIdField(): { eventId?: string } {
    return this.#run?.event ? { eventId: this.#run.event.id } : {};
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
          if (pending.categories + pending.products + pending.variants > 0) this.#background(this.start({ trigger: 'schedule' }));
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
