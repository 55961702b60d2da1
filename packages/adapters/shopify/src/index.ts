// @shopsync/shopify: core's Target for Shopify's Admin GraphQL API.
export { ShopifyTarget, createShopifyTarget, locationGid } from './target/shopify-target.js';
export type { ShopifyTargetOptions } from './target/shopify-target.js';
export { shopifyTargetOptionsSchema, INVENTORY_REASONS } from './target/options.js';
export type { ShopifyTargetOptionsInput, CredentialsFor } from './target/options.js';

// Credentials: how the target gets its access token, and where a connector's grant is kept.
export { fixedToken } from './credentials/provider.js';
export type { CredentialsProvider, TokenRequest } from './credentials/provider.js';
export { expiringToken, grantInputSchema } from './credentials/expiring-token.js';
export type { ExpiringTokenOptions, ExpiringTokenProvider, GrantInput } from './credentials/expiring-token.js';
export { clientCredentials } from './credentials/client-credentials.js';
export type { ClientCredentialsOptions, ClientCredentialsProvider } from './credentials/client-credentials.js';
export { storageTokenStore, memoryTokenStore, storedGrantSchema } from './credentials/token-store.js';
export type { TokenStore, StoredGrant, StorageTokenStoreOptions } from './credentials/token-store.js';
export { SecretBox } from './credentials/secret-box.js';
export type { SecretKey } from './credentials/secret-box.js';
export { CostPacer } from './target/pacer.js';
export type { ThrottleStatus, PacerOptions, Ticket } from './target/pacer.js';
export { pickText } from './target/content.js';

// The GraphQL documents the adapter sends, the schema subset and Shopify's cost rule.
export { CONNECT_QUERY, buildDocument, opCost, searchTerm, productSetOp, productArchiveOp, variantsBySkuOp, productByHandleOp, productVariantsOp } from './documents.js';
export type { Op, OpArg, BuiltDocument } from './documents.js';
export { collectionCreateOp, collectionUpdateOp, collectionDeleteOp, collectionAddProductsOp, collectionRemoveProductsOp, collectionsByOp } from './documents/collections.js';
export { inventorySetQuantitiesOp, inventoryActivateOp } from './documents/inventory.js';
export type { QuantityInput } from './documents/inventory.js';
export { documentSamples } from './documents/samples.js';
export { adminSdl } from './schema/sdl.js';
export { adminSchema } from './schema/schema.js';
export { requestedCost, actualCost, productSetComplexity, MUTATION_COST, CONNECTION_BASE_COST } from './cost.js';
export { featuresOf, compareVersions, schemaGateOf, SCHEMA_GATES, MAX_QUERY_COST, MAX_INPUT_ARRAY } from './version.js';
export type { ApiFeatures, SchemaGate } from './version.js';
