/**
 * core's `Target` for a Shopify store, over the Admin GraphQL API: one write per product group,
 * cost-aware pacing, idempotent creation. With it, the credentials that give the target its
 * access token (a fixed token, expiring offline tokens renewed by refresh token, the client
 * credentials grant) and where a connector's grant is kept, sealed with the host's keys.
 *
 * The local Shopify Admin API for tests is `@shopsync/shopify/simulator`.
 * `@shopsync/shopify/internal` holds what shopsync's own benchmarks and tests share (not covered by semver).
 *
 * @packageDocumentation
 * @module @shopsync/shopify
 */

// The target.
export { ShopifyTarget } from './target/shopify-target.js';
export type { ShopifyTargetOptions } from './target/shopify-target.js';
export { INVENTORY_REASONS } from './target/options.js';
export type { ShopifyTargetOptionsInput, CredentialsFor } from './target/options.js';

// Credentials: how the target gets its access token, and where a connector's grant is kept.
export { fixedToken } from './credentials/provider.js';
export type { CredentialsProvider, TokenRequest } from './credentials/provider.js';
export { expiringToken } from './credentials/expiring-token.js';
export type { ExpiringTokenOptions, ExpiringTokenProvider, GrantInput } from './credentials/expiring-token.js';
export { clientCredentials } from './credentials/client-credentials.js';
export type { ClientCredentialsOptions, ClientCredentialsProvider } from './credentials/client-credentials.js';
export { storageTokenStore, memoryTokenStore } from './credentials/token-store.js';
export type { TokenStore, StoredGrant, StorageTokenStoreOptions } from './credentials/token-store.js';
export { SecretBox } from './credentials/secret-box.js';
export type { SecretKey } from './credentials/secret-box.js';
