/**
 * Access tokens: which ones the store accepts and in what state each is (valid, expired,
 * revoked, refused), and what the simulator keeps per rate-limit key: the leaky bucket and the
 * results of `@idempotent` mutations. Tokens are kept by their SHA-256 only, never as text (a
 * lookup by digest tells a caller's timing nothing about the tokens accepted).
 *
 * The key: a fixed token of `accessTokens` is its own legacy custom app, so its key is its
 * `tokenHash`; every token issued to an app (grants.ts) shares the app's key, `app:<clientId>`,
 * as Shopify limits per app and store, not per token.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { LeakyBucket } from './bucket.js';

/** 12 hex digits of the token's SHA-256: how the simulator tells tokens apart without keeping them. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/** The whole SHA-256 of a secret (token, refresh token, client secret), hex: what the simulator keeps of it. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The rate-limit key of an app's tokens. */
export function appKey(clientId: string): string {
  return `app:${clientId}`;
}

/** What the registry knows of one accepted token. */
export interface AccessTokenRecord {
  /** Rate-limit and idempotency key (see the file's header). */
  readonly key: string;
  /** The client id of the app it was issued to; absent for a fixed token of `accessTokens`. */
  readonly app?: string;
  /** performance.now() milliseconds from which it is expired; absent: it never expires. */
  expiresAt?: number;
  /** A public app's non-expiring offline token: refused from `nonExpiringCutoff`. */
  readonly publicNonExpiring: boolean;
  /** Uninstalled, or replaced by a refresh with the grace refresh token. */
  revoked: boolean;
  /** Called at the token's first accepted use (ends a refresh grace, grants.ts). */
  onFirstUse?: () => void;
}

/**
 * A token's state at one request: `valid`, `invalid` (unknown or missing), `expired`, `revoked`,
 * or `refused` (a public app's non-expiring token past the cutoff: HTTP 403).
 */
export type TokenState = 'valid' | 'invalid' | 'expired' | 'revoked' | 'refused';

/** What `TokenRegistry.check` finds. */
export interface TokenCheck {
  state: TokenState;
  /** The rate-limit key, for a valid token. */
  key?: string;
  /** The client id of the token's app, when it has one. */
  app?: string;
}

/** Expired records older than this are forgotten (a later use is then `invalid`, not `expired`). */
const FORGET_EXPIRED_MS = 10 * 60_000;

/** The accepted tokens (by digest) and the state kept per rate-limit key. */
export class TokenRegistry {
  readonly #records = new Map<string, AccessTokenRecord>();
  readonly #bucketSize: number;
  readonly #restoreRate: number;
  readonly #buckets = new Map<string, LeakyBucket>();
  readonly #idempotency = new Map<string, Map<string, unknown>>();

  /** `accessTokens`: the fixed tokens of legacy custom apps, each its own key. */
  constructor(accessTokens: readonly string[], bucket: { size: number; restoreRate: number }) {
    for (const t of accessTokens) this.#records.set(secretDigest(t), { key: tokenHash(t), publicNonExpiring: false, revoked: false });
    this.#bucketSize = bucket.size;
    this.#restoreRate = bucket.restoreRate;
  }

  /** Accepts a token from now on (an issued or configured app token). */
  add(token: string, record: AccessTokenRecord, now = performance.now()): void {
    for (const [digest, r] of this.#records) {
      if (r.expiresAt !== undefined && r.expiresAt + FORGET_EXPIRED_MS < now) this.#records.delete(digest);
    }
    this.#records.set(secretDigest(token), record);
  }

  /**
   * A token's state now. `pastCutoff`: whether public apps' non-expiring tokens are refused.
   * A valid token's first use calls its `onFirstUse`.
   */
  check(token: string | undefined, pastCutoff: boolean, now = performance.now()): TokenCheck {
    const r = token ? this.#records.get(secretDigest(token)) : undefined;
    if (!r) return { state: 'invalid' };
    const app = r.app !== undefined ? { app: r.app } : {};
    if (r.revoked) return { state: 'revoked', ...app };
    if (r.expiresAt !== undefined && now >= r.expiresAt) return { state: 'expired', ...app };
    if (r.publicNonExpiring && pastCutoff) return { state: 'refused', ...app };
    const first = r.onFirstUse;
    r.onFirstUse = undefined;
    first?.();
    return { state: 'valid', key: r.key, ...app };
  }

  /** The rate-limit key of a token the registry knows (even expired or revoked); its hash otherwise. */
  keyOf(token: string): string {
    return this.#records.get(secretDigest(token))?.key ?? tokenHash(token);
  }

  /** Every token issued to or configured for an app stops working. Returns how many were still working. */
  revokeApp(clientId: string): number {
    let n = 0;
    for (const r of this.#records.values()) {
      if (r.app !== clientId || r.revoked) continue;
      r.revoked = true;
      n += 1;
    }
    return n;
  }

  /** Every unexpired expiring token of an app expires now. Returns how many. */
  expireApp(clientId: string, now = performance.now()): number {
    let n = 0;
    for (const r of this.#records.values()) {
      if (r.app !== clientId || r.revoked || r.expiresAt === undefined || r.expiresAt <= now) continue;
      r.expiresAt = now;
      n += 1;
    }
    return n;
  }

  /** The leaky bucket of a rate-limit key, full when first asked for. */
  bucket(key: string): LeakyBucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = new LeakyBucket(this.#bucketSize, this.#restoreRate, performance.now());
      this.#buckets.set(key, b);
    }
    return b;
  }

  /** Results of a key's `@idempotent` mutations by idempotency key. */
  idempotency(key: string): Map<string, unknown> {
    let m = this.#idempotency.get(key);
    if (!m) this.#idempotency.set(key, (m = new Map()));
    return m;
  }
}
