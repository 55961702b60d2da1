/**
 * What shopsync's own packages share and a user of them does not need: the rules every durable
 * storage adapter applies (stored items, lease plans, the fleet's claims), the request and
 * record schemas the server and the HTTP adapter build on, and small helpers (hashing, ids,
 * backoff, redaction). **Not covered by semver**: any release may change or remove any of it.
 * Import the public API from `@shopsync/core`.
 *
 * @packageDocumentation
 * @module @shopsync/core/internal
 */

// Schemas the server, the HTTP adapter and the storage adapters build on.
export { SCHEMA_VERSION, entitySchema, countsSchema, refSchema, isoDate, zeroCounts } from './schemas/common.js';
export { connectorIdSchema } from './schemas/connector.js';
export { connectorRecordSchema, connectorScheduleSchema } from './schemas/registry.js';
export { categoryDataSchema, productDataSchema, variantDataSchema } from './schemas/change.js';
export { itemStateSchema } from './schemas/item.js';
export { queueEntrySchema } from './schemas/queue.js';
export { parseOrThrow, formatPath } from './validate.js';
export { CONNECTION_ERROR_CODES } from './errors/connection-error.js';
export type { RunState } from './status/machine.js';

// The queue's rules, as every durable adapter applies them.
export { requeueFailed } from './queue/retry.js';
export { itemKey, parseItemKey } from './queue/keys.js';
export { bucketOf } from './queue/order.js';
export { planLease, runLeasePlan, runLeasePlanAsync } from './queue/lease-plan.js';
export type { LeasePlan, LeaseRead } from './queue/lease-plan.js';
export { settledItemStatus, matchesItemQuery, compareItems } from './storage/rules.js';
export { queueInto, finishLeased, storedView, storedKeys } from './storage/stored-item.js';
export type { StoredItem } from './storage/stored-item.js';
export { LazyQueueEntry } from './storage/lazy-entry.js';
export { recordChecks, rowOf } from './storage/stored-record.js';
export type { RecordChecks, RecordPlace, RecordSchema } from './storage/stored-record.js';

// The fleet's claims, as every durable adapter keeps them.
export {
  fleetStateSchema,
  throttleStateSchema,
  newFleetState,
  isClaimed,
  isClaimable,
  compareClaimOrder,
  claimedState,
  renewedState,
  releasedState,
  requestedState,
  fleetEntry,
} from './storage/registry-rules.js';
export type { FleetState } from './storage/registry-rules.js';

// What a SyncSource over storage (PostgreSQL's, the server's) reads like the local one.
export { toItemView, cleanItemFilter, failedItemsFilter } from './source/item-reads.js';

// Small helpers.
export { systemClock, sleep } from './engine/clock.js';
export { backoffDelay } from './engine/backoff.js';
export { stableHash, canonicalJson } from './hash.js';
export { redactLiterals, redactSecrets, remoteText } from './logs/redact.js';
export { newId } from './ids.js';
