/**
 * A connector's Shopify credentials as the service keeps them: write-only through the API,
 * sealed (SecretBox, AES-256-GCM, bound to the connector) in the service's store, never returned,
 * logged or emitted. Three kinds, as @shopsync/shopify has them: a fixed token, an expiring token
 * with its refresh token (the rotating grant lives sealed in the connector's sync storage, where
 * the provider renews it), and an app's client credentials.
 */
import { ConnectionError, type ConnectorRecord, type StorageAdapter } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { clientCredentials, expiringToken, fixedToken, storageTokenStore, type CredentialsProvider, type SecretBox, type SecretKey } from '@shopsync/shopify';
import { grantInputSchema } from '@shopsync/shopify/internal';
import { z } from 'zod';
import type { ServerStore } from '../store/types.js';

const clientId = z.string().min(1, "expected the app's client id").max(200, 'expected at most 200 characters');
const clientSecret = z.string().min(1, "expected the app's client secret").max(1_000, 'expected at most 1,000 characters');

/** What `PUT /v1/connectors/{id}/credentials` takes. */
export const credentialsInputSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('token'), accessToken: z.string().min(1, 'expected the Admin API access token').max(1_000, 'expected at most 1,000 characters') }).meta({ description: "A fixed Admin API access token (a legacy custom app's shpat_…)." }),
      z
        .strictObject({ kind: z.literal('refresh'), clientId, clientSecret, grant: grantInputSchema })
        .meta({ description: "An expiring offline token and its refresh token (public apps), renewed by the service with the app's client id and secret." }),
      z.strictObject({ kind: z.literal('client_credentials'), clientId, clientSecret }).meta({ description: "An app made in the Dev Dashboard: its client id and secret get 24-hour tokens (client credentials grant)." }),
    ],
    { error: 'expected kind "token", "refresh" or "client_credentials"' },
  )
  .meta({ id: 'CredentialsInput' });
/** What `PUT …/credentials` takes (see credentialsInputSchema). */
export type CredentialsInput = z.output<typeof credentialsInputSchema>;

/** What is sealed: the input without the refresh grant, which goes to the token store. */
const sealedSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('token'), accessToken: z.string() }),
  z.strictObject({ kind: z.literal('refresh'), clientId: z.string(), clientSecret: z.string() }),
  z.strictObject({ kind: z.literal('client_credentials'), clientId: z.string(), clientSecret: z.string() }),
]);

const context = (connectorId: string) => `shopsync:server-credentials:${connectorId}`;

/** What the service needs to keep and use credentials. */
export interface CredentialsDeps {
  store: ServerStore;
  storage: StorageAdapter;
  box: SecretBox;
  keys: readonly SecretKey[];
  /** Token requests go here instead of the store (the simulator). */
  endpoint?: string;
}

/**
 * Stores a connector's credentials (sealed). A refresh grant is checked and saved, sealed, in
 * the connector's storage first, so that the worker renews it from there.
 */
export async function putCredentials(deps: CredentialsDeps, record: ConnectorRecord, input: CredentialsInput, now: number): Promise<void> {
  const connectorId = record.config.id;
  if (input.kind === 'refresh') {
    const provider = expiringToken({ shopDomain: record.config.shopDomain, clientId: input.clientId, clientSecret: input.clientSecret, ...(deps.endpoint && { endpoint: deps.endpoint }), store: storageTokenStore({ storage: deps.storage, connectorId, keys: deps.keys }) });
    await provider.setGrant(input.grant);
  }
  const kept = input.kind === 'refresh' ? { kind: input.kind, clientId: input.clientId, clientSecret: input.clientSecret } : input;
  const sealed = await deps.box.seal(JSON.stringify(kept), context(connectorId));
  await deps.store.putCredentials(connectorId, { kind: input.kind, sealed, updatedAt: now });
}

/** A provider that says no credentials were set: the run ends in Error saying what to do. */
function missing(connectorId: string): CredentialsProvider {
  return {
    renewable: false,
    accessToken: async () => {
      throw new ConnectionError('auth', `No Shopify credentials are set for connector "${connectorId}": set them with PUT /v1/connectors/${connectorId}/credentials.`);
    },
    secrets: () => [],
    onRenewed: () => () => undefined,
  };
}

/** The credentials provider of a connector, from what the service keeps. */
export async function providerFor(deps: CredentialsDeps, record: ConnectorRecord): Promise<CredentialsProvider> {
  const connectorId = record.config.id;
  const stored = await deps.store.getCredentials(connectorId);
  if (!stored) return missing(connectorId);
  const kept = parseOrThrow(sealedSchema, JSON.parse(await deps.box.open(stored.sealed, context(connectorId))), 'credentials');
  if (kept.kind === 'token') return fixedToken(kept.accessToken);
  const common = { shopDomain: record.config.shopDomain, clientId: kept.clientId, clientSecret: kept.clientSecret, ...(deps.endpoint && { endpoint: deps.endpoint }), store: storageTokenStore({ storage: deps.storage, connectorId, keys: deps.keys }) };
  return kept.kind === 'refresh' ? expiringToken(common) : clientCredentials(common);
}
