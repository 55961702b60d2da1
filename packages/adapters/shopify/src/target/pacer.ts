import type { Clock } from '@shopsync/core';

/** `extensions.cost.throttleStatus`, as every Admin API answer carries it. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** A throttle status and when it was known, in milliseconds of the pacer's clock. */
export interface ThrottleSnapshot {
  status: ThrottleStatus;
  at: number;
}

export interface Ticket {
  readonly cost: number;
  readonly grantedAt: number;
}

interface Waiter {
  cost: number;
  resolve: (t: Ticket) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export interface PacerOptions {
  clock: Clock;
  /** Requests in flight at most, whatever the bucket holds. */
  maxInFlight: number;
  /**
   * Requests granted up to this long before an answer's throttle status arrived are counted as
   * not yet charged in it (default 30 ms). The store charges a request once it has read and
   * parsed it, and reports the bucket as it answers another; a grant just before that answer may
   * not be in it. Too low risks an occasional THROTTLED (which corrects the picture); too high
   * makes a request wait, while the bucket fills, for points it already has.
   */
  skewMs?: number;
}

/**
 * Client side of Shopify's leaky bucket. It keeps the last `throttleStatus` the store reported,
 * lets it refill at the reported restore rate, subtracts what was sent since, and grants a request
 * only when the bucket should hold its requested cost: no request is sent to be THROTTLED, and
 * none waits longer than the bucket needs. Grants are FIFO, so large requests do not starve.
 * Until the store has reported once, one request at a time goes out to learn the numbers, unless
 * the pacer was seeded with what another runner last knew of the bucket (`seed`).
 */
export class CostPacer {
  readonly #clock: Clock;
  readonly #maxInFlight: number;
  readonly #skewMs: number;
  #snapshot: ThrottleSnapshot | undefined;
  readonly #inFlight = new Set<Ticket>();
  #waiters: Waiter[] = [];
  #cancelTimer: (() => void) | undefined;

  constructor(options: PacerOptions) {
    this.#clock = options.clock;
    this.#maxInFlight = options.maxInFlight;
    this.#skewMs = options.skewMs ?? 30;
  }

  /** The bucket's size as last reported. */
  get maximumAvailable(): number | undefined {
    return this.#snapshot?.status.maximumAvailable;
  }

  get restoreRate(): number | undefined {
    return this.#snapshot?.status.restoreRate;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Points the bucket should hold now for a new request. */
  available(now = this.#clock.now()): number | undefined {
    const snap = this.#snapshot;
    if (!snap) return undefined;
    const { maximumAvailable, currentlyAvailable, restoreRate } = snap.status;
    let reserved = 0;
    for (const t of this.#inFlight) if (t.grantedAt >= snap.at - this.#skewMs) reserved += t.cost;
    return Math.min(maximumAvailable, currentlyAvailable + (restoreRate * (now - snap.at)) / 1000) - reserved;
  }

  /** Waits until a request of `cost` may go; the ticket must be given back with `release`. */
  acquire(cost: number, signal: AbortSignal): Promise<Ticket> {
    signal.throwIfAborted();
    return new Promise<Ticket>((resolve, reject) => {
      const waiter: Waiter = {
        cost,
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          reject(signal.reason);
          this.#pump();
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** The request is over; `status` is the throttle status its answer carried, if any. */
  release(ticket: Ticket, status?: ThrottleStatus): void {
    this.#inFlight.delete(ticket);
    if (status) this.observe(status);
    else this.#pump();
  }

  /** A fresh throttle status from the store. */
  observe(status: ThrottleStatus): void {
    if (!usable(status)) return;
    this.#snapshot = { status: { ...status }, at: this.#clock.now() };
    this.#pump();
  }

  /**
   * Starts from a throttle status known elsewhere (the store's last report to the previous runner
   * of the connector), as if the store had reported it at `at` (the clock's milliseconds): the
   * bucket is taken to have refilled since then at its restore rate, up to its size, and requests
   * are paced against that from the first one, instead of going one at a time until the store
   * reports. Never more is granted than that estimate holds; a wrong one is corrected by the
   * store's first answer (a THROTTLED one included). An `at` later than now (another process's
   * clock running ahead of ours) is taken as now: nothing is assumed to have refilled yet.
   * Taken only when newer than what the pacer knows, and only a status `observe` would take;
   * returns whether it was.
   */
  seed(status: ThrottleStatus, at: number): boolean {
    if (!usable(status) || !Number.isFinite(at)) return false;
    const when = Math.min(at, this.#clock.now());
    if (this.#snapshot && this.#snapshot.at >= when) return false;
    this.#snapshot = { status: { ...status }, at: when };
    this.#pump();
    return true;
  }

  /**
   * The last throttle status known (the store's last report, or the seed if none came since) and
   * when it was known, on the pacer's clock: what the next runner may be seeded with. Undefined
   * while nothing is known. `currentlyAvailable` is as of `at`: refill it with `available()`.
   */
  snapshot(): ThrottleSnapshot | undefined {
    const snap = this.#snapshot;
    return snap && { status: { ...snap.status }, at: snap.at };
  }

  #pump(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    for (;;) {
      const head = this.#waiters[0];
      if (!head) return;
      if (this.#inFlight.size >= this.#maxInFlight) return;
      const snap = this.#snapshot;
      if (!snap) {
        if (this.#inFlight.size > 0) return;
        this.#grant(head);
        continue;
      }
      const now = this.#clock.now();
      const need = Math.min(head.cost, snap.status.maximumAvailable);
      const available = this.available(now)!;
      if (available >= need) {
        this.#grant(head);
        continue;
      }
      const waitMs = Math.max(1, Math.ceil(((need - available) * 1000) / snap.status.restoreRate));
      this.#cancelTimer = this.#clock.setTimer(() => {
        this.#cancelTimer = undefined;
        this.#pump();
      }, waitMs);
      return;
    }
  }

  #grant(waiter: Waiter): void {
    this.#waiters.shift();
    waiter.signal.removeEventListener('abort', waiter.onAbort);
    const ticket: Ticket = { cost: waiter.cost, grantedAt: this.#clock.now() };
    this.#inFlight.add(ticket);
    waiter.resolve(ticket);
  }
}

/** A status the pacer can work with: a bucket with a size and a restore rate (a zero rate would wait forever). */
function usable(status: ThrottleStatus): boolean {
  return status.maximumAvailable > 0 && Number.isFinite(status.maximumAvailable) && status.restoreRate > 0 && Number.isFinite(status.restoreRate) && Number.isFinite(status.currentlyAvailable);
}
