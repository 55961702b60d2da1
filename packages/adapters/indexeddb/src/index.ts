/**
 * Durable storage for `@shopsync/core` in the browser, on IndexedDB ({@link IndexedDbStorage}),
 * and one engine runner across the tabs of an origin ({@link TabRunner}), the other tabs
 * following its run ({@link observeConnector}).
 *
 * @packageDocumentation
 * @module @shopsync/indexeddb
 */
export { IndexedDbStorage } from './storage.js';
export type { IndexedDbStorageOptions } from './storage.js';
export { TabRunner, observeConnector } from './tab-runner.js';
export type { RunnerRole, TabRunnerOptions, RelayedMessage } from './tab-runner.js';
