/**
 * One run of a connector: the imperative shell around the event reducer and the iteration's
 * phases. It leases, pushes, commits and sleeps; what the event becomes is `reduceEvent`'s,
 * what the items become is `settleIteration`'s. Made and owned by SyncEngine.
 */
import { LeaseLostError } from '../errors/lease-error.js';
import { newId } from '../ids.js';
import { itemKey } from '../queue/keys.js';
import { totalOf } from '../schemas/common.js';
import type { ConnectorConfig } from '../schemas/connector.js';
import type { ConfigSnapshot, GeneralError, SyncEvent, SyncTrigger } from '../schemas/event.js';
import type { ItemStatus } from '../schemas/item.js';
import type { LogEntry } from '../schemas/log.js';
import type { AckCommit, Lease, StorageAdapter } from '../storage/adapter.js';
import type { RunState } from '../status/machine.js';
import type { PushResult, Target, TargetIdStore, ThrottleState } from '../target.js';
import { backoffDelay } from './backoff.js';
import { sleep, type Clock } from './clock.js';
import { newEvent, reduceEvent, wasYielded, type EventAction, type ShopFacts } from './event-reducer.js';
import type { EngineEvents } from './events.js';
import { ENGINE_ERRORS, generalError, generalErrorFromThrown } from './general-errors.js';
import { keysToCompare, planIteration } from './iteration/plan.js';
import { settleIteration } from './iteration/settle.js';
import { endedSentence, logEntry, PAUSED_SENTENCE, resumedSentence, startedSentence, yieldedSentence, type LogContext } from './log-lines.js';

/** The engine's tuning a run needs. */
export interface RunTuning {
  batchSize: number;
  iterationDelayMs: number;
  leaseMs: number;
  maxFailedIterations: number;
  retryBackoff: { baseMs: number; maxMs: number };
}

/** What a run uses of its engine. */
export interface RunHost {
  readonly connectorId: string;
  readonly storage: StorageAdapter;
  readonly target: Target;
  readonly clock: Clock;
  readonly tuning: RunTuning;
  readonly ids: TargetIdStore;
  /** The connector as it is now: disabling it mid-run pauses the run. */
  config(): ConnectorConfig;
  /** The configuration snapshot a new event starts with. */
  snapshot(now: number): ConfigSnapshot;
  emit<K extends keyof EngineEvents>(name: K, ...args: EngineEvents[K]): void;
}

/** How a run was started (StartOptions as the run keeps them). */
export interface RunOptions {
  /** Aborts the run: the current iteration is cut, its items return to the queue. */
  signal: AbortSignal;
  yieldSignal: AbortSignal | undefined;
  throttle: ThrottleState | undefined;
}

type IterationResult = 'ok' | 'failed' | 'aborted' | { waitMs: number };

/** A run under way: its event as it stands, and the loop that drains the queue into the target. */
export class Run {
  /** The event as it stands (replaced, never changed in place). */
  event!: SyncEvent;
  /** `starting` until the connection is checked, then the event's status. */
  state: RunState = 'starting';
  readonly #host: RunHost;
  readonly #options: RunOptions;
  /** Cuts short any wait between iterations (the connector was disabled, or the slot must be given up). */
  #wake = new AbortController();
  #failedAttempts = 0;
  /** Lines the target wrote while connecting, appended after the run's own first line. */
  #notes: LogEntry[] = [];

  constructor(host: RunHost, options: RunOptions) {
    this.#host = host;
    this.#options = options;
  }

  /** Ends any wait between iterations now, so that the run sees a change of the connector. */
  interrupt(): void {
    this.#wake.abort();
  }

  /** Changes arrived during the run: the event's pending counts follow (saved with the next write). */
  countPending(pending: SyncEvent['pending']): void {
    if (this.event) this.#apply({ type: 'pendingCounted', pending });
  }

  /** Runs: resumes the latest event if it is Paused or In Progress, else starts a new one. Resolves with the event as the run leaves it. */
  async execute(trigger: SyncTrigger): Promise<SyncEvent> {
    const { storage, connectorId } = this.#host;
    const latest = (await storage.listEvents(connectorId, { offset: 0, limit: 1 })).items[0];
    if (latest && (latest.status === 'paused' || latest.status === 'in_progress')) return this.#resume(latest);

    const now = this.#host.clock.now();
    const pending = await storage.pendingCounts(connectorId);
    this.event = newEvent({ id: newId('evt', now), connectorId, trigger, startedAt: iso(now), pending, config: this.#host.snapshot(now) });
    const shop = await this.#connect();
    if (!shop) return this.event;
    await this.#changeStatus({ type: 'connected', shop });
    await storage.appendLogs(connectorId, this.event.id, [this.#line('info', startedSentence(trigger, pending)), ...this.#notes.splice(0)]);
    return this.#drain();
  }

  async #resume(event: SyncEvent): Promise<SyncEvent> {
    const { storage, connectorId } = this.#host;
    this.event = event;
    this.state = event.status;
    const why = event.status === 'paused' ? 'enabled' : wasYielded(event) ? 'yielded' : 'interrupted';
    const resumed: EventAction = { type: 'resumed', at: this.#now() };
    if (event.status === 'paused') await this.#changeStatus(resumed);
    else await storage.saveEvent(this.#apply(resumed));
    await storage.appendLogs(connectorId, event.id, [this.#line('info', resumedSentence(why))]);
    if (!(await this.#connect())) return this.event;
    if (this.#notes.length) await storage.appendLogs(connectorId, event.id, this.#notes.splice(0));
    return this.#drain();
  }

  /** Checks the store. On failure the event ends (Error if new, Completed if resumed) with a general error; resolves undefined. */
  async #connect(): Promise<ShopFacts | undefined> {
    const { storage, connectorId, target } = this.#host;
    try {
      return await target.connect({
        connectorId,
        config: { ...this.#host.config() },
        signal: this.#options.signal,
        log: (level, message) => this.#notes.push(this.#line(level, message)),
        ...(this.#options.throttle && { throttle: this.#options.throttle }),
      });
    } catch (err) {
      const error = generalError(generalErrorFromThrown(err), this.#now());
      if (this.state === 'starting') await this.#changeStatus({ type: 'connectFailed', at: error.at, error });
      else {
        this.#apply({ type: 'generalErrorRecorded', error });
        await this.#changeStatus({ type: 'ended', at: error.at, reason: 'stopped' });
      }
      await storage.appendLogs(connectorId, this.event.id, [...this.#notes.splice(0), this.#line('error', error.message, { code: error.code })]);
      this.#tellGeneralErrors([error]);
      return undefined;
    }
  }

  /**
   * Drains the queue. If the storage fails meanwhile (a damaged record, a full disk: anything it
   * throws other than a lost lease), the run does not stop half-way with its event In Progress:
   * the event ends (Completed, items left queued) with a general error that carries the storage's
   * message, which names the problem. Only if even that cannot be saved does the run reject.
   */
  async #drain(): Promise<SyncEvent> {
    try {
      return await this.#drainQueue();
    } catch (err) {
      if (this.state !== 'in_progress') throw err;
      const error = generalError(ENGINE_ERRORS.storageFailed(err), this.#now());
      try {
        this.#apply({ type: 'generalErrorRecorded', error });
        await this.#changeStatus({ type: 'ended', at: error.at, reason: 'stopped' });
        await this.#host.storage.appendLogs(this.#host.connectorId, this.event.id, [this.#line('error', error.message, { code: error.code })]);
      } catch {
        throw err;
      }
      this.#tellGeneralErrors([error]);
      return this.event;
    }
  }

  async #drainQueue(): Promise<SyncEvent> {
    const { storage, connectorId, tuning, clock } = this.#host;
    const { signal } = this.#options;
    for (;;) {
      if (signal.aborted) {
        this.#apply({ type: 'generalErrorRecorded', error: generalError(ENGINE_ERRORS.stopped(), this.#now()) });
        return this.#end('stopped');
      }
      if (!this.#host.config().enabled) return this.#pause();
      if (this.#options.yieldSignal?.aborted) return this.#yield();
      const lease = await storage.lease(connectorId, { limit: tuning.batchSize, leaseMs: tuning.leaseMs, now: clock.now() });
      if (!lease) {
        // Nothing leasable. Items still pending are leased by another runner, or by one that died:
        // wait for them (an expired lease returns its items) rather than call the queue drained.
        const pending = await storage.pendingCounts(connectorId);
        if (totalOf(pending) === 0) return this.#end('drained');
        this.#apply({ type: 'pendingCounted', pending });
        await this.#sleep(Math.min(1_000, tuning.leaseMs));
        continue;
      }
      const outcome = await this.#iterate(lease);
      if (outcome === 'aborted') continue;
      if (typeof outcome === 'object') {
        // Everything leased is waiting for the store (images being processed): look again later.
        await this.#sleep(Math.min(Math.max(outcome.waitMs, 50), 60_000));
        continue;
      }
      if (outcome === 'failed') {
        this.#failedAttempts += 1;
        if (this.#failedAttempts >= tuning.maxFailedIterations) {
          const error = generalError(ENGINE_ERRORS.exhausted(this.#failedAttempts), this.#now());
          this.#apply({ type: 'generalErrorRecorded', error });
          this.#tellGeneralErrors([error]);
          return this.#end('stopped');
        }
        await this.#sleep(backoffDelay(this.#failedAttempts - 1, tuning.retryBackoff));
        continue;
      }
      this.#failedAttempts = 0;
      // Pace only between iterations: when nothing is left, the run completes at once.
      if (totalOf(this.event.pending) > 0) await this.#sleep(tuning.iterationDelayMs);
    }
  }

  /**
   * One iteration: plan (skip what is unchanged), push the rest, settle the outcomes, and commit
   * them atomically with the ack. When everything pushed is still being processed by the store,
   * the lease is released whole, no iteration is recorded, and the caller waits `waitMs`.
   */
  async #iterate(lease: Lease): Promise<IterationResult> {
    const { storage, connectorId, target } = this.#host;
    const startedAt = this.#now();
    const index = this.event.iterations.length + 1;
    const plan = planIteration(lease.items, await storage.getHashes(connectorId, keysToCompare(lease.items)), this.event.config.language);

    let result: PushResult = { outcomes: [], generalErrors: [] };
    const notes: LogEntry[] = [];
    if (plan.toPush.length > 0) {
      try {
        result = await target.push(plan.toPush, {
          connectorId,
          config: this.event.config,
          ids: this.#host.ids,
          signal: this.#options.signal,
          log: (level, message) => notes.push(this.#line(level, message, { iteration: index })),
        });
      } catch (err) {
        if (this.#options.signal.aborted) {
          await storage.release(connectorId, lease.id).catch(() => undefined);
          return 'aborted';
        }
        result = { outcomes: [], generalErrors: [generalErrorFromThrown(err)] };
      }
    }

    const endedAtMs = this.#host.clock.now();
    const previous = new Map<string, ItemStatus>(
      (await storage.getItems(connectorId, lease.items.map((e) => e.key))).map((s) => [itemKey(s.entity, s.ref), s]),
    );
    const settled = settleIteration({ event: this.event, leased: lease.items, plan, previous, result, notes, startedAt, endedAt: iso(endedAtMs) });
    for (const error of settled.generalErrors) this.#apply({ type: 'generalErrorRecorded', error });

    if (settled.kind === 'waiting') {
      if (settled.logs.length) await storage.appendLogs(connectorId, this.event.id, settled.logs);
      if (settled.generalErrors.length) {
        await storage.saveEvent(this.event);
        this.#tellGeneralErrors(settled.generalErrors);
      }
      await storage.release(connectorId, lease.id).catch((err: unknown) => {
        if (!(err instanceof LeaseLostError)) throw err;
      });
      return { waitMs: settled.waitMs };
    }
    if (settled.kind === 'failed') {
      await this.#commit(lease, { items: [], event: this.event, logs: settled.logs, now: endedAtMs });
      this.#tellGeneralErrors(settled.generalErrors);
      return 'failed';
    }

    const firstLogs = !this.event.logsAvailable;
    const next = reduceEvent(this.event, { type: 'iterationRecorded', iteration: settled.iteration });
    if (!(await this.#commit(lease, { items: settled.items, hashes: settled.hashes, event: next, logs: settled.logs, now: endedAtMs }))) return 'failed';

    const host = this.#host;
    const eventId = this.event.id;
    host.emit('itemsUpdated', { connectorId, eventId, items: structuredClone(settled.items) });
    host.emit('pendingChanged', { connectorId, eventId, pending: { ...this.event.pending } });
    this.#tellGeneralErrors(settled.generalErrors);
    host.emit('iterationCompleted', { connectorId, eventId, iteration: structuredClone(settled.iteration), event: structuredClone(this.event) });
    if (firstLogs) host.emit('logsAvailable', { connectorId, eventId });
    return 'ok';
  }

  /**
   * Acks the lease with `commit.event`, which becomes the run's event with the pending counts the
   * ack leaves. False if the lease was lost (its items are back in the queue): the event stays as
   * it was, with a general error saying so.
   */
  async #commit(lease: Lease, commit: AckCommit & { event: SyncEvent }): Promise<boolean> {
    const { storage, connectorId } = this.#host;
    try {
      // The ack saves the event with the pending counts it leaves; one write per iteration.
      const pending = await storage.ack(connectorId, lease.id, commit);
      this.event = reduceEvent(commit.event, { type: 'pendingCounted', pending });
      return true;
    } catch (err) {
      if (!(err instanceof LeaseLostError)) throw err;
      const error = generalError(ENGINE_ERRORS.leaseExpired(this.#host.tuning.leaseMs), this.#now());
      this.#apply({ type: 'generalErrorRecorded', error });
      this.#apply({ type: 'pendingCounted', pending: await storage.pendingCounts(connectorId) });
      await storage.saveEvent(this.event);
      this.#tellGeneralErrors([error]);
      return false;
    }
  }

  async #pause(): Promise<SyncEvent> {
    const { storage, connectorId } = this.#host;
    const at = this.#now();
    await this.#changeStatus({ type: 'paused', at, pending: await storage.pendingCounts(connectorId) });
    await storage.appendLogs(connectorId, this.event.id, [this.#line('warn', PAUSED_SENTENCE)]);
    this.#wake = new AbortController();
    return this.event;
  }

  /** Ends the run between iterations without ending its event: it stays In Progress, to be resumed (StartOptions.yieldSignal). */
  async #yield(): Promise<SyncEvent> {
    const { storage, connectorId } = this.#host;
    const at = this.#now();
    await storage.saveEvent(this.#apply({ type: 'yielded', at, pending: await storage.pendingCounts(connectorId) }));
    await storage.appendLogs(connectorId, this.event.id, [this.#line('info', yieldedSentence(this.event.iterations.length))]);
    return this.event;
  }

  async #end(reason: 'drained' | 'stopped'): Promise<SyncEvent> {
    const { storage, connectorId } = this.#host;
    const at = this.#now();
    await this.#changeStatus({ type: 'ended', at, reason, pending: await storage.pendingCounts(connectorId) });
    const e = this.event;
    await storage.appendLogs(connectorId, e.id, [this.#line('info', endedSentence(e.iterations.length, e.generalErrors.length))]);
    return e;
  }

  #apply(action: EventAction): SyncEvent {
    this.event = reduceEvent(this.event, action);
    return this.event;
  }

  /** Applies an action that changes the status, saves the event and tells listeners. */
  async #changeStatus(action: EventAction): Promise<void> {
    const previous = this.state;
    this.#apply(action);
    this.state = this.event.status;
    await this.#host.storage.saveEvent(this.event);
    const { connectorId } = this.#host;
    this.#host.emit('statusChanged', { connectorId, eventId: this.event.id, status: this.event.status, previous, event: structuredClone(this.event) });
  }

  #tellGeneralErrors(errors: readonly GeneralError[]): void {
    for (const error of errors) this.#host.emit('generalError', { connectorId: this.#host.connectorId, eventId: this.event.id, error });
  }

  #sleep(ms: number): Promise<void> {
    return sleep(this.#host.clock, ms, this.#options.signal, this.#wake.signal);
  }

  #now(): string {
    return iso(this.#host.clock.now());
  }

  #line(level: LogEntry['level'], message: string, context: LogContext = {}): LogEntry {
    return logEntry(this.event.id, this.#now(), level, message, context);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
