/**
 * A fleet worker: runs the connectors of a registry that have work, a few at a time, in one
 * process; any number of processes may run one on a shared storage (PostgreSQL; SQLite in one
 * process). The storage decides who runs what (StorageAdapter.claimConnectors): a connector is
 * driven by one runner at a time, under a claim this runner renews while it runs it.
 *
 * Per claimed connector (a slot): an engine is made with the host's target, it starts or
 * resumes the connector's run, and after `sliceMs` it yields its slot between two iterations,
 * its event left In Progress, so that one huge catalog never starves the others (claims go to the
 * least recently claimed connector first); the next claim, here or elsewhere, resumes the event.
 * When the slot ends, the target's last known throttle state is stored for the next runner, and
 * the engine is dropped: an idle connector costs this process nothing.
 *
 * `stop()` (call it on SIGTERM): no new claims; every run finishes the iteration under way and
 * yields; every claim is released.
 */
import { EventEmitter } from 'eventemitter3';
import { z } from 'zod';
import { SyncEngine, type EngineTuning } from '../engine/engine.js';
import { sleep, systemClock, type Clock } from '../engine/clock.js';
import { newId } from '../ids.js';
import type { ConnectorRecord } from '../schemas/registry.js';
import type { SyncEvent } from '../schemas/event.js';
import type { ConnectorClaim, StorageAdapter } from '../storage/adapter.js';
import type { Target } from '../target.js';
import { parseOrThrow } from '../validate.js';

const fleetTuningSchema = z.strictObject({
  /** Connectors this runner drives at once. */
  concurrency: z.number().int().min(1).max(1_000).default(4),
  /** How long a connector keeps its slot before it yields to waiting ones (its event goes on in its next turn). */
  sliceMs: z.number().int().min(1_000).max(86_400_000).default(60_000),
  /** How long a claim lasts unless renewed; renewed every third of it. A runner that dies lets its connectors go after this. */
  claimMs: z.number().int().min(3_000).max(3_600_000).default(60_000),
  /** How often to look for work while slots are free. */
  pollMs: z.number().int().min(10).max(600_000).default(1_000),
});

/** How a runner paces its claims and slots (see each field). */
export type FleetTuning = z.input<typeof fleetTuningSchema>;

/** What a FleetRunner needs: the shared storage, how to reach a claimed store, and its pacing (FleetTuning). */
export interface FleetRunnerOptions extends FleetTuning {
  storage: StorageAdapter;
  /**
   * The target of a claimed connector: the host resolves `record.credentialsRef` to credentials.
   * One target may serve many connectors (a ShopifyTarget does): `suspend` lets go of each.
   */
  targetFor(record: ConnectorRecord): Target | Promise<Target>;
  /** The engines' tuning (batch size, lease, retries…). */
  engine?: EngineTuning;
  /** This runner's id in claims; default a new random one. */
  worker?: string;
  clock?: Clock;
}

/** A connector this runner drives, as `status()` shows it. */
export interface FleetSlot {
  connectorId: string;
  /** Epoch ms: when this runner claimed it. */
  since: number;
  /** Epoch ms: when it yields, unless its run ends first. */
  yieldsAt: number;
  /** The event it runs, once known. */
  eventId?: string;
}

/** What a runner is doing, for a host's page (the fleet-wide view: StorageAdapter.fleetView). */
export interface FleetStatus {
  worker: string;
  concurrency: number;
  running: FleetSlot[];
  stopping: boolean;
}

/** How a slot ended. */
export interface SlotEnded {
  connectorId: string;
  worker: string;
  /** `completed`, `paused`, `error`: the run ended; `yielded`: its event goes on in a later turn; `lost`: another runner holds it; `failed`: the slot could not run (see `error`). */
  outcome: 'completed' | 'paused' | 'error' | 'yielded' | 'lost' | 'failed';
  event?: SyncEvent;
  error?: unknown;
  /** How long it held the slot (ms). */
  heldMs: number;
}

/** Events of a runner (eventemitter3), for logs and metrics. */
export interface FleetEvents {
  claimed: (e: { connectorId: string; worker: string; at: number }) => void;
  /**
   * A slot made the engine that drives its connector, before starting it: subscribe to its
   * events here (webhooks, a live view). It is disposed before `released`.
   */
  engineCreated: (e: { connectorId: string; worker: string; engine: SyncEngine }) => void;
  released: (e: SlotEnded) => void;
  /** Storage failed while claiming or renewing: the runner goes on and tries again. */
  error: (e: { error: unknown; connectorId?: string }) => void;
}

interface Slot extends FleetSlot {
  record: ConnectorRecord;
  yieldRun: AbortController;
  cancelYieldTimer: () => void;
  lost: boolean;
  done: Promise<void>;
}

/**
 * A slot that could not run, or whose run could not start (its event ended in Error: credentials
 * refused, store unreachable), waits this long before its connector is claimed again: a store
 * that refuses us is not asked again and again, nor an Error event recorded each time.
 */
const FAILED_PAUSE_MS = 30_000;

/** When the connector may be claimed again: after a pause if its slot failed or its run could not start, at its schedule's next turn once its run completed, else as soon as it has work. */
function nextRun(outcome: SlotEnded['outcome'], record: ConnectorRecord, now: number): { nextRunAt?: number } {
  if (outcome === 'failed' || outcome === 'error') return { nextRunAt: now + FAILED_PAUSE_MS };
  if (outcome === 'completed' && record.schedule) return { nextRunAt: now + record.schedule.everyMs };
  return {};
}

/** Runs the registry's connectors that have work (module comment). */
export class FleetRunner extends EventEmitter<FleetEvents> {
  readonly worker: string;
  readonly #storage: StorageAdapter;
  readonly #targetFor: FleetRunnerOptions['targetFor'];
  readonly #engine: EngineTuning;
  readonly #clock: Clock;
  readonly #t: z.output<typeof fleetTuningSchema>;
  readonly #slots = new Map<string, Slot>();
  #stop = new AbortController();
  #wake = new AbortController();
  #loop: Promise<void> | undefined;
  #cancelRenew: (() => void) | undefined;

  constructor(options: FleetRunnerOptions) {
    super();
    const { storage, targetFor, engine, worker, clock, ...tuning } = options;
    this.#t = parseOrThrow(fleetTuningSchema, tuning, 'fleet', 'fleet options');
    this.#storage = storage;
    this.#targetFor = targetFor;
    this.#engine = engine ?? {};
    this.#clock = clock ?? systemClock;
    this.worker = worker ?? newId('worker', this.#clock.now());
  }

  /** Starts claiming and running connectors. */
  start(): void {
    if (this.#loop) return;
    this.#loop = this.#run();
    this.#scheduleRenewal();
  }

  /** What this runner drives now. */
  status(): FleetStatus {
    return {
      worker: this.worker,
      concurrency: this.#t.concurrency,
      running: [...this.#slots.values()].map((s) => ({ connectorId: s.connectorId, since: s.since, yieldsAt: s.yieldsAt, ...(s.eventId && { eventId: s.eventId }) })),
      stopping: this.#stop.signal.aborted,
    };
  }

  /** Looks for work now rather than at the next poll (a host that just queued changes or asked for a run). */
  wake(): void {
    this.#wake.abort();
  }

  /**
   * Stops: no new claims; every run finishes the iteration under way, then yields (its event goes
   * on under the next claim, here or in another process); every claim is released. Resolves
   * when all of that is done.
   */
  async stop(): Promise<void> {
    this.#stop.abort();
    for (const s of this.#slots.values()) s.yieldRun.abort();
    await this.#loop;
    // Claims are renewed until the last iteration under way has ended and its claim is released.
    await Promise.all([...this.#slots.values()].map((s) => s.done));
    this.#cancelRenew?.();
  }

  async #run(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      const free = this.#t.concurrency - this.#slots.size;
      if (free > 0) {
        try {
          const claims = await this.#storage.claimConnectors({ worker: this.worker, now: this.#clock.now(), leaseMs: this.#t.claimMs, limit: free });
          // Claimed while stop() was called: let them go unrun (their work waits for the next runner).
          if (this.#stop.signal.aborted) {
            await this.#releaseUnrun(claims);
            break;
          }
          for (const claim of claims) this.#startSlot(claim);
          // Every slot taken, or more work than slots: look again as soon as one frees.
          if (claims.length === free) continue;
        } catch (error) {
          this.emit('error', { error });
        }
      }
      this.#wake = new AbortController();
      await sleep(this.#clock, this.#t.pollMs, this.#stop.signal, this.#wake.signal);
    }
  }

  async #releaseUnrun(claims: readonly ConnectorClaim[]): Promise<void> {
    const now = this.#clock.now();
    for (const c of claims) {
      try {
        await this.#storage.releaseConnector(c.record.config.id, this.worker, { now, open: true, ...(c.throttle && { throttle: c.throttle }) });
      } catch (error) {
        this.emit('error', { error, connectorId: c.record.config.id });
      }
    }
  }

  #startSlot(claim: ConnectorClaim): void {
    const now = this.#clock.now();
    const id = claim.record.config.id;
    if (this.#slots.has(id)) return;
    const yieldRun = new AbortController();
    const slot: Slot = { connectorId: id, record: claim.record, since: now, yieldsAt: now + this.#t.sliceMs, yieldRun, cancelYieldTimer: () => undefined, lost: false, done: Promise.resolve() };
    slot.cancelYieldTimer = this.#clock.setTimer(() => yieldRun.abort(), this.#t.sliceMs);
    this.#slots.set(id, slot);
    this.emit('claimed', { connectorId: id, worker: this.worker, at: now });
    slot.done = this.#drive(slot, claim).finally(() => {
      slot.cancelYieldTimer();
      this.#slots.delete(id);
      this.#wake.abort();
    });
  }

  /**
   * Runs one slot to its end, then releases the claim with what the next runner needs. A run
   * requested (the claim's `runRequestedAt`) starts even with nothing pending; once a run started,
   * the release says the request was handled (one made since survives: another run follows).
   */
  async #drive(slot: Slot, { throttle, runRequestedAt: requested }: ConnectorClaim): Promise<void> {
    let target: Target | undefined;
    let engine: SyncEngine | undefined;
    let ended: Omit<SlotEnded, 'heldMs' | 'connectorId' | 'worker'>;
    try {
      target = await this.#targetFor(slot.record);
      engine = new SyncEngine({ ...this.#engine, connector: slot.record.config, target, storage: this.#storage, clock: this.#clock });
      engine.on('statusChanged', (c) => (slot.eventId = c.eventId));
      this.emit('engineCreated', { connectorId: slot.connectorId, worker: this.worker, engine });
      const latest = await engine.latestEvent();
      const resume = latest?.status === 'in_progress' || latest?.status === 'paused';
      const pending = await this.#storage.pendingCounts(slot.connectorId);
      if (!resume && requested === undefined && pending.categories + pending.products + pending.variants === 0) ended = { outcome: 'completed' };
      else {
        const event = await engine.start({ trigger: resume ? 'resume' : requested !== undefined ? 'manual' : 'changes', yieldSignal: slot.yieldRun.signal, ...(throttle && { throttle }) });
        ended = { outcome: slot.lost ? 'lost' : event.status === 'in_progress' ? 'yielded' : event.status, event };
      }
    } catch (error) {
      ended = { outcome: slot.lost ? 'lost' : 'failed', error };
    }
    const last = target?.suspend?.(slot.connectorId);
    await engine?.dispose();
    const now = this.#clock.now();
    const open = ended.outcome === 'yielded' || ended.outcome === 'paused' || ended.outcome === 'failed' || ended.outcome === 'lost';
    try {
      if (!slot.lost) {
        await this.#storage.releaseConnector(slot.connectorId, this.worker, {
          now,
          open,
          ...((last ?? throttle) && { throttle: last ?? throttle }),
          ...nextRun(ended.outcome, slot.record, now),
          ...(ended.event && requested !== undefined && { runRequestHandled: requested }),
        });
      }
    } catch (error) {
      // The claim expires by itself; the next runner resumes the event.
      this.emit('error', { error, connectorId: slot.connectorId });
    }
    this.emit('released', { ...ended, connectorId: slot.connectorId, worker: this.worker, heldMs: now - slot.since });
  }

  /** Renews every slot's claim each third of `claimMs`; a claim lost (another runner holds the connector) ends its run at once. */
  #scheduleRenewal(): void {
    this.#cancelRenew = this.#clock.setTimer(() => {
      void this.#renewAll().finally(() => {
        if (!this.#stop.signal.aborted || this.#slots.size > 0) this.#scheduleRenewal();
      });
    }, Math.floor(this.#t.claimMs / 3));
  }

  async #renewAll(): Promise<void> {
    const now = this.#clock.now();
    await Promise.all(
      [...this.#slots.values()].map(async (slot) => {
        try {
          if (await this.#storage.renewConnectorClaim(slot.connectorId, this.worker, now, this.#t.claimMs)) return;
          slot.lost = true;
          slot.yieldRun.abort();
        } catch (error) {
          this.emit('error', { error, connectorId: slot.connectorId });
        }
      }),
    );
  }
}
