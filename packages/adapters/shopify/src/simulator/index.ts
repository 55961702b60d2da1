/**
 * A local Shopify Admin API for tests, demos and benchmarks: `POST /admin/api/{version}/graphql.json`
 * with `X-Shopify-Access-Token`, executed against the project's subset of the Admin schema, with
 * Shopify's leaky-bucket throttle, userErrors, the token endpoint, media processing, translations
 * and locations, and faults a test injects on demand. One shop ({@link ShopifySimulator}) or many
 * from one server ({@link SimulatorFleet}). The `shopsync-simulator` command runs it.
 *
 * @packageDocumentation
 * @module @shopsync/shopify/simulator
 */
export { ShopifySimulator } from './server.js';
export { SimShop } from './shop.js';
export { SimulatorFleet } from './fleet.js';
export type { FleetStats } from './fleet.js';
export type { FleetOptions, FleetConfig, FleetShopOptions, FleetShopKey } from './fleet-options.js';
export type { FaultKind, FaultOptions, TokenFaultKind, TokenFaultOptions } from './faults.js';
export type { IssuedOfflineToken, OAuthErrorCode, PresentedRefreshToken } from './grants.js';
export type { RequestLogEntry, TokenRequestEntry } from './request-log.js';
export type { StoreSnapshot, ProductSnapshot, VariantSnapshot, CollectionSnapshot, MediaSnapshot, FileSnapshot, TranslationSnapshot, TranslatableContentSnapshot } from './inspection.js';
export type { ShopLocaleConfig, ShopLocaleRecord } from './locales.js';
export type { LocalizableContentType, TranslatableKind } from './translatable.js';
export type { MediaFaultOptions, MediaFaultHandle } from './media-fetch.js';
export type { FileErrorOut, FileStatus } from './media.js';
export type { FileErrorCode } from './model.js';
export { TAXONOMY } from './taxonomy.js';
export type { TaxonomyCategoryRecord } from './taxonomy.js';
export { PLAN_PRESETS, REALISTIC_LATENCY } from './options.js';
export type { SimulatorOptions, SimulatorConfig, SimulatorApp, Plan } from './options.js';
export type { VersionPolicy } from './versions.js';
export type { SimLocation, ProductSetArgs } from './model.js';
