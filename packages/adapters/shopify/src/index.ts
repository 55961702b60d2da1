// @shopsync/shopify: core's Target for Shopify's Admin GraphQL API.
export { ShopifyTarget, createShopifyTarget, locationGid } from './target/shopify-target.js';
export type { ShopifyTargetOptions } from './target/shopify-target.js';
export { shopifyTargetOptionsSchema, INVENTORY_REASONS } from './target/options.js';
export type { ShopifyTargetOptionsInput } from './target/options.js';
export { CostPacer } from './target/pacer.js';
export type { ThrottleStatus, PacerOptions, Ticket } from './target/pacer.js';
export { pickText } from './target/content.js';

// The GraphQL documents the adapter sends, the schema subset and Shopify's cost rule.
export {
  CONNECT_QUERY,
  buildDocument,
  documentSamples,
  opCost,
  searchTerm,
  productSetOp,
  productArchiveOp,
  collectionCreateOp,
  collectionUpdateOp,
  collectionDeleteOp,
  collectionAddProductsOp,
  collectionRemoveProductsOp,
  inventorySetQuantitiesOp,
  inventoryActivateOp,
  variantsBySkuOp,
  productByHandleOp,
  productVariantsOp,
  collectionsByOp,
} from './documents.js';
export type { Op, OpArg, BuiltDocument, QuantityInput } from './documents.js';
export { adminSdl } from './schema/sdl.js';
export { adminSchema } from './schema/schema.js';
export { requestedCost, actualCost, productSetComplexity, MUTATION_COST, CONNECTION_BASE_COST } from './cost.js';
export { featuresOf, compareVersions, schemaGateOf, SCHEMA_GATES, MAX_QUERY_COST, MAX_INPUT_ARRAY } from './version.js';
export type { ApiFeatures, SchemaGate } from './version.js';
