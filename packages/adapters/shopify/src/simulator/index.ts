// @shopsync/shopify/simulator: a local Shopify Admin API for tests, the demo and benchmarks.
export { ShopifySimulator } from './server.js';
export { FAULT_KINDS, TOKEN_FAULT_KINDS } from './faults.js';
export type { FaultKind, FaultOptions, TokenFaultKind, TokenFaultOptions } from './faults.js';
export type { IssuedOfflineToken, OAuthErrorCode, PresentedRefreshToken } from './grants.js';
export { TOKEN_PATH } from './oauth.js';
export type { RequestLogEntry, TokenRequestEntry } from './request-log.js';
export type { StoreSnapshot, ProductSnapshot, VariantSnapshot, CollectionSnapshot } from './inspection.js';
export { simulatorOptionsSchema, simulatorAppSchema, PLAN_PRESETS, REALISTIC_LATENCY, NON_EXPIRING_CUTOFF, DEFAULT_APP_SCOPE } from './options.js';
export type { SimulatorOptions, SimulatorConfig, SimulatorApp, Plan } from './options.js';
export { calendarPolicy, servedVersion } from './versions.js';
export type { VersionPolicy } from './versions.js';
export type { SimLocation, ProductSetArgs } from './model.js';
