export { IndexedDbStorage } from './storage.js';
export type { IndexedDbStorageOptions } from './storage.js';
export { DB_VERSION } from './schema.js';
export { TabRunner, observeConnector } from './tab-runner.js';
export type { RunnerRole, TabRunnerOptions, RelayedMessage } from './tab-runner.js';
export { StorageBlockedError, StorageVersionChangedError, StorageVersionError, StorageQuotaError, StorageClosedError, StorageCorruptError } from './errors.js';
export type { DamagedRecord } from './errors.js';
