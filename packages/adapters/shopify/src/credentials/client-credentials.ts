/**
 * The client credentials grant (shopify.dev, "Client credentials grant"): an app made in the Dev
 * Dashboard exchanges its client id and secret for an access token valid 24 hours, with no
 * refresh token. Since 2026-01-01 merchants can no longer make custom apps in a store's admin;
 * this is how the apps that replace them reach the store. The token is fetched again shortly
 * before it expires, and after the store refuses it.
 */
import { parseOrThrow, type Clock } from '@shopsync/core';
import { z } from 'zod';
import { RenewingProvider } from './renewing.js';
import { memoryTokenStore, type StoredGrant, type TokenStore } from './token-store.js';

const optionsSchema = z
  .object({
    shopDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'expected a store domain such as "my-store.myshopify.com"'),
    clientId: z.string().min(1, "expected the app's client id").max(200),
    clientSecret: z.string().min(1, "expected the app's client secret").max(1_000),
    endpoint: z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected an http(s) origin such as "http://127.0.0.1:8080"').optional(),
    renewBeforeMs: z.number().int().min(0).max(3_600_000).default(600_000),
    timeoutMs: z.number().int().min(50).max(600_000).default(30_000),
    retry: z
      .object({ maxAttempts: z.number().int().min(1).max(20), baseMs: z.number().int().min(0).max(60_000), maxMs: z.number().int().min(0).max(600_000) })
      .strict()
      .default({ maxAttempts: 4, baseMs: 500, maxMs: 10_000 }),
  })
  .strict();

export type ClientCredentialsOptions = z.input<typeof optionsSchema> & {
  /** Where the token is kept between runs and processes (default: in memory; storageTokenStore seals it in the connector's storage). */
  store?: TokenStore;
  clock?: Clock;
};

type ClientGrant = Extract<StoredGrant, { kind: 'client_credentials' }>;

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
