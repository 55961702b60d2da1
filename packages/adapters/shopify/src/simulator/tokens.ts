/**
 * Access tokens: which ones the store accepts (compared by hash, in constant time), and what the
 * simulator keeps per token: its leaky bucket and the results of its `@idempotent` mutations.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { LeakyBucket } from './bucket.js';

/** 12 hex digits of the token's SHA-256: how the simulator tells tokens apart without keeping them. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/** The accepted tokens and each token's state, keyed by `tokenHash`. */
export class TokenRegistry {
  readonly #accepted: Buffer[];
  readonly #bucketSize: number;
  readonly #restoreRate: number;
  readonly #buckets = new Map<string, LeakyBucket>();
  readonly #idempotency = new Map<string, Map<string, unknown>>();

  constructor(accessTokens: readonly string[], bucket: { size: number; restoreRate: number }) {
    this.#accepted = accessTokens.map((t) => Buffer.from(tokenHash(t)));
    this.#bucketSize = bucket.size;
    this.#restoreRate = bucket.restoreRate;
  }

  /** Whether the store accepts this token. */
  accepts(token: string | undefined): boolean {
    if (!token) return false;
    const h = Buffer.from(tokenHash(token));
    return this.#accepted.some((t) => t.length === h.length && timingSafeEqual(t, h));
  }

  /** The leaky bucket of a token (by hash), full when first asked for. */
  bucket(key: string): LeakyBucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = new LeakyBucket(this.#bucketSize, this.#restoreRate, performance.now());
      this.#buckets.set(key, b);
    }
    return b;
  }

  /** Results of a token's `@idempotent` mutations by key. */
  idempotency(key: string): Map<string, unknown> {
    let m = this.#idempotency.get(key);
    if (!m) this.#idempotency.set(key, (m = new Map()));
    return m;
  }
}
