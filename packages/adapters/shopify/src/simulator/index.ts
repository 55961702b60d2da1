// @shopsync/shopify/simulator: a local Shopify Admin API for tests, the demo and benchmarks.
export { ShopifySimulator, FAULT_KINDS } from './server.js';
export type {
  FaultKind,
  FaultOptions,
  RequestLogEntry,
  StoreSnapshot,
  ProductSnapshot,
  VariantSnapshot,
  CollectionSnapshot,
} from './server.js';
export { simulatorOptionsSchema, PLAN_PRESETS, REALISTIC_LATENCY } from './options.js';
export type { SimulatorOptions, SimulatorConfig, Plan } from './options.js';
export { calendarPolicy, servedVersion } from './versions.js';
export type { VersionPolicy } from './versions.js';
export type { SimLocation, ProductSetArgs } from './store.js';
