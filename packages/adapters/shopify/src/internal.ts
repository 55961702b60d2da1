/**
 * What shopsync's own server, benchmarks and tests share with this package and a user of it does
 * not need: the GraphQL documents the target sends, the project's subset of the Admin schema,
 * Shopify's cost rules and the per-version features. **Not covered by semver**: any release may
 * change or remove any of it. Import the public API from `@shopsync/shopify`.
 *
 * @packageDocumentation
 * @module @shopsync/shopify/internal
 */

// The grant schema the server's credentials API builds on.
export { grantInputSchema } from './credentials/expiring-token.js';

// The GraphQL documents the target sends, the schema subset and Shopify's cost rule.
export { buildDocument, opCost, productSetOp } from './documents.js';
export type { Op, OpArg, BuiltDocument } from './documents.js';
export { inventorySetQuantitiesOp } from './documents/inventory.js';
export type { QuantityInput } from './documents/inventory.js';
export { adminSchema } from './schema/schema.js';
export { requestedCost, actualCost, productSetComplexity } from './cost.js';
export { featuresOf, MAX_QUERY_COST, MAX_INPUT_ARRAY } from './version.js';
export type { ApiFeatures } from './version.js';
