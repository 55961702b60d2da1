/**
 * An expiring offline access token and its refresh token (shopify.dev, "Use expiring offline
 * access tokens"; changelogs 2025-12-10 and 2026-08-28): the access token lives 60 minutes; the
 * refresh token renews it and rotates on every use. The rotated refresh token is saved before the
 * new access token is used; a refresh whose answer was lost is sent again with the same refresh
 * token, which Shopify keeps valid until the new access token is first used. A refresh token that
 * Shopify refuses for good ends the connection with a `reauthorize` error: the merchant must
 * reinstall or re-authorize the app.
 */
import { ConnectionError, ValidationError, type Clock } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { z } from 'zod';
import { renewalOptionsSchema, RenewingProvider } from './renewing.js';
import type { StoredGrant, TokenStore } from './token-store.js';

const instant = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))]);

/** The grant an app's OAuth installation gave: what the token endpoint answered, or those values with their instants. */
export const grantInputSchema = z
  .object({
    accessToken: z.string().min(1, 'expected the access token').max(4_000),
    /** When the access token expires: epoch ms or an ISO instant. In the past is fine: it is renewed at once. */
    expiresAt: instant.optional(),
    /** …or its lifetime in seconds from now, as Shopify's `expires_in` says. */
    expiresIn: z.number().positive('expected a lifetime in seconds, above 0').optional(),
    refreshToken: z.string().min(1, 'expected the refresh token').max(4_000),
    refreshTokenExpiresAt: instant.optional(),
    refreshTokenExpiresIn: z.number().positive('expected a lifetime in seconds, above 0').optional(),
  })
  .strict()
  .refine((g) => (g.expiresAt === undefined) !== (g.expiresIn === undefined), { message: 'expected one of expiresAt or expiresIn', path: ['expiresAt'] })
  .refine((g) => g.refreshTokenExpiresAt === undefined || g.refreshTokenExpiresIn === undefined, { message: 'expected at most one of refreshTokenExpiresAt or refreshTokenExpiresIn', path: ['refreshTokenExpiresAt'] });
/**
 * The grant an app's OAuth installation gave, as the token endpoint answered it or with instants:
 * access token, refresh token and when each expires.
 */
export type GrantInput = z.input<typeof grantInputSchema>;

const optionsSchema = renewalOptionsSchema(300_000);

/**
 * The store and the app's client id and secret, where the connector's grant is kept, the grant from
 * the installation, how early to renew, and the token endpoint's timeout and retries.
 */
export type ExpiringTokenOptions = z.input<typeof optionsSchema> & {
  /** Where the connector's grant is kept (storageTokenStore: sealed in the connector's storage). */
  store: TokenStore;
  /** The grant from the app's installation, used when the store holds none yet (see `setGrant` to replace it). */
  initial?: GrantInput;
  clock?: Clock;
};

type RefreshGrant = Extract<StoredGrant, { kind: 'refresh' }>;

/**
 * The provider `expiringToken` returns: an expiring offline token renewed with its refresh token
 * before it expires, the rotated refresh token saved first; `setGrant` replaces the grant after the
 * merchant authorized the app again.
 */
class ExpiringTokenProvider extends RenewingProvider<RefreshGrant> {
  readonly #initial: GrantInput | undefined;

  constructor(options: ExpiringTokenOptions) {
    const { store, initial, clock, ...rest } = options;
    super({ ...parseOrThrow(optionsSchema, rest, 'options', 'expiring token options'), store, clock });
    if (initial !== undefined) {
      const grant = parseOrThrow(grantInputSchema, initial, 'initial', 'initial grant') as GrantInput;
      const refreshEnds = grant.refreshTokenExpiresAt === undefined ? undefined : typeof grant.refreshTokenExpiresAt === 'string' ? Date.parse(grant.refreshTokenExpiresAt) : grant.refreshTokenExpiresAt;
      if (refreshEnds !== undefined && refreshEnds <= this.clock.now()) {
        throw new ValidationError('initial grant', [{ path: 'initial.refreshTokenExpiresAt', message: 'expected a time in the future: this refresh token has expired, and only authorizing the app again gives a new one' }]);
      }
      this.#initial = grant;
    }
  }

  /** Replaces the stored grant (after the merchant authorized the app again). */
  async setGrant(input: GrantInput): Promise<void> {
    const grant = this.#toStored(parseOrThrow(grantInputSchema, input, 'grant', 'grant') as GrantInput);
    await this.options.store.exclusive(() => this.options.store.save(grant));
    this.forget();
  }

  protected async current(): Promise<RefreshGrant | undefined> {
    const stored = await this.options.store.load();
    if (stored && stored.kind !== 'refresh') {
      throw new ConnectionError('auth', 'The stored Shopify credentials are a client-credentials token, not a refresh token: use the clientCredentials provider, or set the grant again.');
    }
    if (stored) {
      this.secretList.add(stored.accessToken, stored.refreshToken);
      return stored;
    }
    if (!this.#initial) return undefined;
    const grant = this.#toStored(this.#initial);
    await this.options.store.save(grant);
    return grant;
  }

  protected async renew(grant: RefreshGrant | undefined, signal: AbortSignal): Promise<RefreshGrant> {
    if (!grant) {
      throw new ConnectionError('reauthorize', 'No Shopify credentials are stored for this connector: give it the grant of the app\'s installation (the access and refresh tokens).');
    }
    const now = this.clock.now();
    if (grant.refreshTokenExpiresAt !== undefined && grant.refreshTokenExpiresAt <= now) {
      throw new ConnectionError('reauthorize', `The refresh token expired at ${new Date(grant.refreshTokenExpiresAt).toISOString()}: the app's authorization with this store has ended.`);
    }
    const answer = await this.request({ grant_type: 'refresh_token', refresh_token: grant.refreshToken }, signal);
    const lifetime = this.lifetimeOf(answer, 'refresh');
    if (answer.refresh_token === undefined) {
      throw new ConnectionError('unknown', "Shopify's token endpoint answered the refresh without a new refresh token; the credentials were left as they were.");
    }
    const t = this.clock.now();
    const next: RefreshGrant = { v: 1, kind: 'refresh', accessToken: answer.access_token, expiresAt: t + lifetime, issuedAt: t, refreshToken: answer.refresh_token };
    if (answer.refresh_token_expires_in !== undefined) next.refreshTokenExpiresAt = t + answer.refresh_token_expires_in * 1000;
    return next;
  }

  protected renewedMessage(grant: RefreshGrant): string {
    return `Renewed the Shopify access token with its refresh token (the refresh token rotated); the new one is valid until ${new Date(grant.expiresAt).toISOString()}.`;
  }

  #toStored(input: GrantInput): RefreshGrant {
    const now = this.clock.now();
    const at = (v: number | string | undefined) => (typeof v === 'string' ? Date.parse(v) : v);
    const expiresAt = input.expiresIn !== undefined ? now + input.expiresIn * 1000 : at(input.expiresAt)!;
    const refreshTokenExpiresAt = input.refreshTokenExpiresIn !== undefined ? now + input.refreshTokenExpiresIn * 1000 : at(input.refreshTokenExpiresAt);
    if (refreshTokenExpiresAt !== undefined && refreshTokenExpiresAt <= now) {
      throw new ConnectionError('reauthorize', `The refresh token given expired at ${new Date(refreshTokenExpiresAt).toISOString()}: the merchant must authorize the app again for new credentials.`);
    }
    this.secretList.add(input.accessToken, input.refreshToken);
    const grant: RefreshGrant = { v: 1, kind: 'refresh', accessToken: input.accessToken, expiresAt, issuedAt: Math.min(now, expiresAt), refreshToken: input.refreshToken };
    if (refreshTokenExpiresAt !== undefined) grant.refreshTokenExpiresAt = refreshTokenExpiresAt;
    return grant;
  }
}

/**
 * Credentials of a public app (or any app with expiring offline tokens): the access token is
 * renewed with the refresh token shortly before it expires and after the store refuses it; the
 * grant lives in `store` (sealed in the connector's storage with storageTokenStore).
 */
export function expiringToken(options: ExpiringTokenOptions): ExpiringTokenProvider {
  return new ExpiringTokenProvider(options);
}

export type { ExpiringTokenProvider };
