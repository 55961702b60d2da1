/**
 * What the two renewable providers share: a grant kept in a TokenStore, renewed shortly before it
 * expires and once after the store refuses its token, one renewal at a time per connector (the
 * store's `exclusive`), the new grant saved before its token is handed out.
 */
import { ConnectionError, type Clock } from '@shopsync/core';
import { systemClock } from '@shopsync/core/internal';
import { z } from 'zod';
import { RenewalListeners, SecretList, type CredentialsProvider, type TokenRequest } from './provider.js';
import { requestToken, type TokenAnswer, type TokenEndpointOptions } from './token-endpoint.js';
import type { StoredGrant, TokenStore } from './token-store.js';

/** The options both renewable providers take (their schema; `renewBeforeMs` defaults differ). */
export function renewalOptionsSchema(renewBeforeDefaultMs: number) {
  return z
    .object({
      shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"'),
      clientId: z.string().min(1, "expected the app's client id").max(200),
      clientSecret: z.string().min(1, "expected the app's client secret").max(1_000),
      /** Where to send token requests instead of `https://{shopDomain}` (the simulator, a proxy). */
      endpoint: z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected an http(s) origin such as "http://127.0.0.1:8080"').optional(),
      /** Renew this long before the token expires (at most a fifth of its lifetime). */
      renewBeforeMs: z.number().int().min(0).max(3_600_000).default(renewBeforeDefaultMs),
      /** Time for the token endpoint to answer. */
      timeoutMs: z.number().int().min(50).max(600_000).default(30_000),
      /** Token requests that fail (network, 5xx, timeouts) are tried this many times in all, with capped exponential backoff. */
      retry: z
        .object({ maxAttempts: z.number().int().min(1).max(20), baseMs: z.number().int().min(0).max(60_000), maxMs: z.number().int().min(0).max(600_000) })
        .strict()
        .default({ maxAttempts: 4, baseMs: 500, maxMs: 10_000 }),
    })
    .strict();
}

/** Options of the token endpoint and of renewal, as the providers take them (validated there). */
export interface RenewalOptions {
  shopDomain: string;
  clientId: string;
  clientSecret: string;
  store: TokenStore;
  endpoint?: string | undefined;
  /** Renew this long before the token expires (at most a fifth of its lifetime). */
  renewBeforeMs: number;
  timeoutMs: number;
  retry: TokenEndpointOptions['retry'];
  clock?: Clock | undefined;
}

export abstract class RenewingProvider<G extends StoredGrant> implements CredentialsProvider {
  readonly renewable = true;
  protected readonly options: RenewalOptions;
  protected readonly clock: Clock;
  protected readonly secretList = new SecretList();
  readonly #listeners = new RenewalListeners();
  #cached: G | undefined;

  constructor(options: RenewalOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.secretList.add(options.clientSecret);
  }

  /** The stored grant (or the one to start from when the store holds none), checked for this provider's kind. */
  protected abstract current(): Promise<G | undefined>;
  /** Gets the next grant from the token endpoint, starting from `grant` (undefined: none yet). */
  protected abstract renew(grant: G | undefined, signal: AbortSignal): Promise<G>;
  /** The sentence the log gets when a renewal happened. */
  protected abstract renewedMessage(grant: G): string;

  secrets(): readonly string[] {
    return this.secretList.all;
  }

  onRenewed(listener: (message: string) => void): () => void {
    return this.#listeners.add(listener);
  }

  async accessToken({ signal, refused }: TokenRequest): Promise<string> {
    signal.throwIfAborted();
    const cached = this.#cached ?? (this.#cached = await this.current());
    if (cached && this.fresh(cached) && cached.accessToken !== refused) return cached.accessToken;
    return this.options.store.exclusive(async () => {
      // Another holder (another engine of this connector) may have renewed meanwhile.
      const grant = await this.current();
      if (grant && this.fresh(grant) && grant.accessToken !== refused) {
        this.#cached = grant;
        return grant.accessToken;
      }
      const next = await this.renew(grant, signal);
      // Saved before its token is used: a rotated refresh token is lost with the process otherwise.
      await this.options.store.save(next);
      this.#cached = next;
      this.#listeners.emit(this.renewedMessage(next));
      return next.accessToken;
    });
  }

  /** Valid for longer than the renewal margin: a fifth of its lifetime, at most `renewBeforeMs`. */
  protected fresh(grant: G): boolean {
    const margin = Math.min(this.options.renewBeforeMs, (grant.expiresAt - grant.issuedAt) / 5);
    return this.clock.now() < grant.expiresAt - margin;
  }

  protected forget(): void {
    this.#cached = undefined;
  }

  /** Sends a grant to the token endpoint. */
  protected request(grant: Record<string, string>, signal: AbortSignal): Promise<TokenAnswer> {
    const o = this.options;
    return requestToken({ shopDomain: o.shopDomain, endpoint: o.endpoint, timeoutMs: o.timeoutMs, retry: o.retry, clock: this.clock }, { client_id: o.clientId, client_secret: o.clientSecret, ...grant }, this.secretList, signal);
  }

  /** The lifetime an answer gives, required. */
  protected lifetimeOf(answer: TokenAnswer, what: string): number {
    if (answer.expires_in === undefined) {
      throw new ConnectionError('unknown', `Shopify's token endpoint answered the ${what} without saying when the token expires (expires_in); the credentials were left as they were.`);
    }
    return answer.expires_in * 1000;
  }
}
