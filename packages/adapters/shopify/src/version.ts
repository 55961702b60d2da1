/**
 * What changes between the Admin API versions this package speaks, in one place: the adapter picks
 * its documents by the version that served it, and the simulator builds its schema from the same
 * gates, so the two cannot disagree. Sources: shopify.dev changelog (read 2026-11-29).
 *
 * - 2025-04: `X-Shopify-API-Deprecated-Reason` lists the deprecated fields used (`Type.field, …`)
 *   instead of a generic URL (changelog "graphql-return-actual-deprecation-reasons").
 * - 2025-10: a product may have up to 2,048 variants (100 before), and `productSet` takes them all in
 *   one synchronous operation: its `variants` list is bounded by the product's variant limit, not by
 *   the 250-item input array rule ("create or update a maximum of 2,048 product variants in a single
 *   operation", productSet reference; the synchronous variant input limit went to the asynchronous
 *   one in 2024-07, changelog "product-set-mutation-synchronous-input-improvements"). Its cost is
 *   "dynamic complexity" from then on: 10 + 0.2 per variant + 0.4 per product or variant metafield
 *   (+ 0.6 per variant file, 1.9 per product file) instead of a fixed cost (changelog
 *   "dynamic-complexity-cost-for-productset-mutation").
 * - 2025-04: `productSet(identifier:)` upserts a product by id, handle or custom ID (changelog
 *   "productSet and customerSet mutations now support upserts"). No public schema of 2025-04 to
 *   2025-10 is at hand and the 2025-01 one lacks it, so it is gated from 2026-01, the first version
 *   whose schema has it; there `ProductSetInput.id` is deprecated ("Use `identifier` instead to get
 *   the product's ID"), and so it is here from the same version.
 * - 2026-01: `inventorySetQuantities` takes `changeFromQuantity` per quantity and accepts an
 *   `@idempotent(key:)` directive; `compareQuantity` is deprecated.
 * - 2026-04: `changeFromQuantity` must be passed explicitly (null opts out of the compare-and-swap
 *   check), `@idempotent` becomes mandatory, and the `compareQuantity`/`ignoreCompareQuantity`
 *   pair is gone (the 2026-07 reference no longer lists them; the changelog does not name the
 *   exact version of the removal, so it is gated together with the mandatory `changeFromQuantity`).
 */

/** `YYYY-MM` or `unstable` (newer than every dated version). */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'unstable') return 1;
  if (b === 'unstable') return -1;
  return a < b ? -1 : 1;
}

export function atLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/**
 * What an Admin API version has that the documents depend on (fields and arguments added or removed
 * between versions).
 */
export interface ApiFeatures {
  readonly version: string;
  /** `InventoryQuantityInput.changeFromQuantity` exists. */
  readonly changeFromQuantity: boolean;
  /** …and must be given (null to opt out of the check). */
  readonly changeFromQuantityRequired: boolean;
  /** `compareQuantity` / `ignoreCompareQuantity` exist. */
  readonly compareQuantity: boolean;
  /** The `@idempotent(key:)` directive exists. */
  readonly idempotentDirective: boolean;
  /** …and inventory mutations must carry it. */
  readonly idempotentRequired: boolean;
  /** The deprecation header names the deprecated fields used. */
  readonly deprecationList: boolean;
  readonly maxVariantsPerProduct: number;
  /**
   * The most variants the adapter sends in one productSet. From 2025-10 the version's limit; before,
   * 250 as any input array (the store's default limit was 100, but stores in Shopify's Extended
   * Variants preview took more: the store decides, and says VARIANTS_OVER_LIMIT).
   */
  readonly maxProductSetVariants: number;
  /** productSet is charged by its input (dynamic complexity), see `productSetComplexity` in cost.ts. */
  readonly productSetDynamicCost: boolean;
  /** `productSet(identifier: ProductSetIdentifiers)` exists, and `ProductSetInput.id` is deprecated. */
  readonly productSetIdentifier: boolean;
}

/** The features of an Admin API version: which fields and arguments the documents sent to it may use. */
export function featuresOf(version: string): ApiFeatures {
  return {
    version,
    changeFromQuantity: atLeast(version, '2026-01'),
    changeFromQuantityRequired: atLeast(version, '2026-04'),
    compareQuantity: !atLeast(version, '2026-04'),
    idempotentDirective: atLeast(version, '2026-01'),
    idempotentRequired: atLeast(version, '2026-04'),
    deprecationList: atLeast(version, '2025-04'),
    maxVariantsPerProduct: atLeast(version, '2025-10') ? 2_048 : 100,
    maxProductSetVariants: atLeast(version, '2025-10') ? 2_048 : MAX_INPUT_ARRAY,
    productSetDynamicCost: atLeast(version, '2025-10'),
    productSetIdentifier: atLeast(version, '2026-01'),
  };
}

/** The schema variants that exist: a version gets the schema of the newest gate at or below it. */
export const SCHEMA_GATES = ['2025-01', '2026-01', '2026-04'] as const;
export type SchemaGate = (typeof SCHEMA_GATES)[number];

export function schemaGateOf(version: string): SchemaGate {
  let gate: SchemaGate = SCHEMA_GATES[0];
  for (const g of SCHEMA_GATES) if (atLeast(version, g)) gate = g;
  return gate;
}

/** Shopify's single-query limit on requested cost. */
export const MAX_QUERY_COST = 1_000;
/** Shopify's limit on the length of any input array. */
export const MAX_INPUT_ARRAY = 250;
