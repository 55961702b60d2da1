/**
 * The client credentials grant (shopify.dev, "Client credentials grant"): an app made in the Dev
 * Dashboard exchanges its client id and secret for an access token valid 24 hours, with no
 * refresh token. Since 2026-01-01 merchants can no longer make custom apps in a store's admin;
 * this is how the apps that replace them reach the store. The token is fetched again shortly
 * before it expires, and after the store refuses it.
 */
import { type Clock } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import type { z } from 'zod';
import { renewalOptionsSchema, RenewingProvider } from './renewing.js';
import { memoryTokenStore, type StoredGrant, type TokenStore } from './token-store.js';

const optionsSchema = renewalOptionsSchema(600_000);

/**
 * The store and the app's client id and secret, how early to fetch a new token, the token
 * endpoint's timeout and retries, and where to keep it between runs (in memory unless given a
 * store).
 */
export type ClientCredentialsOptions = z.input<typeof optionsSchema> & {
  /** Where the token is kept between runs and processes (default: in memory; storageTokenStore seals it in the connector's storage). */
  store?: TokenStore;
  clock?: Clock;
};

type ClientGrant = Extract<StoredGrant, { kind: 'client_credentials' }>;

/**
 * The provider `clientCredentials` returns: a 24-hour token got with the app's client id and secret,
 * fetched again before it expires or when the store refuses it.
 */
class ClientCredentialsProvider extends RenewingProvider<ClientGrant> {
  constructor(options: ClientCredentialsOptions) {
    const { store, clock, ...rest } = options;
    super({ ...parseOrThrow(optionsSchema, rest, 'options', 'client credentials options'), store: store ?? memoryTokenStore(), clock });
  }

  protected async current(): Promise<ClientGrant | undefined> {
    const stored = await this.options.store.load();
    if (stored?.kind !== 'client_credentials') return undefined;
    this.secretList.add(stored.accessToken);
    return stored;
  }

  protected async renew(_grant: ClientGrant | undefined, signal: AbortSignal): Promise<ClientGrant> {
    const answer = await this.request({ grant_type: 'client_credentials' }, signal);
    const lifetime = this.lifetimeOf(answer, 'client credentials grant');
    const t = this.clock.now();
    return { v: 1, kind: 'client_credentials', accessToken: answer.access_token, expiresAt: t + lifetime, issuedAt: t };
  }

  protected renewedMessage(grant: ClientGrant): string {
    return `Fetched a Shopify access token with the app's client credentials; it is valid until ${new Date(grant.expiresAt).toISOString()}.`;
  }
}

/** Credentials of an app made in the Dev Dashboard: its client id and secret get a 24-hour token, fetched again before it expires. */
export function clientCredentials(options: ClientCredentialsOptions): ClientCredentialsProvider {
  return new ClientCredentialsProvider(options);
}

export type { ClientCredentialsProvider };
