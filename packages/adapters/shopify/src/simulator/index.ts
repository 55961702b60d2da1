// @shopsync/shopify/simulator: a local Shopify Admin API for tests, the demo and benchmarks.
export { ShopifySimulator } from './server.js';
export { FAULT_KINDS } from './faults.js';
export type { FaultKind, FaultOptions } from './faults.js';
export type { RequestLogEntry } from './request-log.js';
export type { StoreSnapshot, ProductSnapshot, VariantSnapshot, CollectionSnapshot } from './inspection.js';
export { simulatorOptionsSchema, PLAN_PRESETS, REALISTIC_LATENCY } from './options.js';
export type { SimulatorOptions, SimulatorConfig, Plan } from './options.js';
export { calendarPolicy, servedVersion } from './versions.js';
export type { VersionPolicy } from './versions.js';
export type { SimLocation, ProductSetArgs } from './model.js';
