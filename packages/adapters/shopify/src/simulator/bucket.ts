/** Shopify's leaky bucket: `size` points, refilled at `rate` per second, charged per request. */
export class LeakyBucket {
  readonly size: number;
  readonly rate: number;
  #level: number;
  #at: number;

  constructor(size: number, rate: number, now: number) {
    this.size = size;
    this.rate = rate;
    this.#level = size;
    this.#at = now;
  }

  /** Points in the bucket at `now` (performance.now() milliseconds). */
  available(now: number): number {
    return Math.min(this.size, this.#level + (this.rate * Math.max(0, now - this.#at)) / 1000);
  }

  /** Charges `points` if the bucket holds them. */
  take(points: number, now: number): boolean {
    const level = this.available(now);
    if (level < points) return false;
    this.#level = level - points;
    this.#at = now;
    return true;
  }

  /** Gives back points charged but not used (up to the bucket's size). */
  refund(points: number, now: number): void {
    this.#level = Math.min(this.size, this.available(now) + Math.max(0, points));
    this.#at = now;
  }

  /** Sets the level (tests: a bucket another app of the store drained). */
  set(points: number, now: number): void {
    this.#level = Math.max(0, Math.min(this.size, points));
    this.#at = now;
  }

  /** The bucket as Shopify reports it in `extensions.cost.throttleStatus`. */
  status(now: number): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } {
    return { maximumAvailable: this.size, currentlyAvailable: Math.floor(this.available(now)), restoreRate: this.rate };
  }
}
