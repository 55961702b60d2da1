import type { Clock } from '@shopsync/core';

/** `extensions.cost.throttleStatus`, as every Admin API answer carries it. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
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
 * Until the store has reported once, one request at a time goes out to learn the numbers.
 */
export class CostPacer {
  readonly #clock: Clock;
  readonly #maxInFlight: number;
  readonly #skewMs: number;
  #snapshot: { status: ThrottleStatus; at: number } | undefined;
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
    if (!(status.maximumAvailable > 0) || !(status.restoreRate > 0) || !Number.isFinite(status.currentlyAvailable)) return;
    this.#snapshot = { status: { ...status }, at: this.#clock.now() };
    this.#pump();
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
