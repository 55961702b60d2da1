/**
 * The sync engine, framework-free (browsers and Node): a host enqueues catalog changes, an engine
 * drains them into a store in iterations and records each sync event, and a {@link SyncSource}
 * shows it all to the widget. Storage adapters implement {@link StorageAdapter}; targets
 * implement {@link Target}.
 *
 * Test helpers are in `@shopsync/core/testing`. `@shopsync/core/internal` holds what shopsync's own
 * packages share (not covered by semver).
 *
 * @packageDocumentation
 * @module @shopsync/core
 */

// What the host sends: connectors, changes and their data (zod schemas and the types inferred from them).
export { ENTITIES, ENTITY_PLURAL, totalOf } from './schemas/common.js';
export type { Entity, EntityCounts } from './schemas/common.js';
export { connectorConfigSchema } from './schemas/connector.js';
export type { ConnectorConfig, ConnectorConfigInput } from './schemas/connector.js';
export type { ConnectorRecord, NewConnector, ConnectorPatch, ConnectorSchedule } from './schemas/registry.js';
export { changeSchema, changeBatchSchema } from './schemas/change.js';
export type { Change, ChangeOp, CategoryData, ProductData, VariantData, LocalizedText, ImageData } from './schemas/change.js';
export { METAFIELD_TYPES } from './schemas/metafield.js';
export type { Metafield } from './schemas/metafield.js';

// What the engine records: sync events, item statuses, logs (schemas to check such records read from elsewhere).
export { SYNC_STATUSES, GENERAL_ERROR_CODES, syncEventSchema } from './schemas/event.js';
export type { SyncStatus, SyncEvent, SyncTrigger, GeneralError, GeneralErrorCode, Iteration, ConfigSnapshot, ApiVersionInfo } from './schemas/event.js';
export { ITEM_STATES, itemStatusSchema } from './schemas/item.js';
export type { ItemStatus, ItemError, ItemState, SkipReason } from './schemas/item.js';
export { logEntrySchema } from './schemas/log.js';
export type { LogEntry, LogLevel } from './schemas/log.js';
export type { QueueEntry } from './schemas/queue.js';

// Errors.
export { ShopsyncError } from './errors/shopsync-error.js';
export { ValidationError } from './errors/validation-error.js';
export type { ValidationIssue } from './errors/validation-error.js';
export { IllegalTransitionError } from './errors/illegal-transition-error.js';
export { ConnectionError } from './errors/connection-error.js';
export type { ConnectionErrorKind } from './errors/connection-error.js';
export { LeaseLostError } from './errors/lease-error.js';
// Storage errors: the same classes from every storage adapter (`backend` says which).
export { StorageError } from './errors/storage-error.js';
export type { StorageBackend, StorageErrorOptions } from './errors/storage-error.js';
export { StorageVersionError } from './errors/storage-version-error.js';
export { StorageBlockedError } from './errors/storage-blocked-error.js';
export { StorageClosedError } from './errors/storage-closed-error.js';
export type { StorageClosedReason } from './errors/storage-closed-error.js';
export { StorageCorruptError } from './errors/storage-corrupt-error.js';
export type { DamagedRecord } from './errors/storage-corrupt-error.js';
export { StorageReadOnlyError } from './errors/storage-read-only-error.js';
export { StorageFullError } from './errors/storage-full-error.js';
export { StorageConnectionError } from './errors/storage-connection-error.js';
export type { LostOutcome } from './errors/storage-connection-error.js';

// Shopify's API-version policy, as the Configuration section shows it.
export { assessApiVersion, latestStableVersion } from './api-version.js';
export type { ApiVersionAssessment, ApiVersionStatus } from './api-version.js';

// The queue, and the storage contract (MemoryStorage is core's own; adapters bring durable ones).
export { ChangeQueue } from './queue/queue.js';
export type { EnqueueOptions, EnqueueResult } from './queue/queue.js';
export type { RetrySelection } from './queue/retry.js';
export type { ItemKey } from './queue/keys.js';
export type { StorageAdapter, NewQueueEntry, Lease, LeaseOptions, AckCommit, Page, PageQuery, ItemQuery, ClaimRequest, ConnectorClaim, ClaimRelease, FleetEntry } from './storage/adapter.js';
export { MemoryStorage } from './storage/memory.js';

// The engine, its events, and the target it writes to.
export { SyncEngine } from './engine/engine.js';
export type { EngineOptions, EngineTuning, StartOptions, ItemFilter, ItemQueryInput } from './engine/engine.js';
export type { EngineEvents, StatusChanged, IterationCompleted, PendingChanged, ItemsUpdated, GeneralErrorOccurred, LogsAvailable } from './engine/events.js';
export { estimateRemaining } from './engine/throughput.js';
export type { Throughput } from './engine/throughput.js';
export type { Clock } from './engine/clock.js';
export type { BackoffOptions } from './engine/backoff.js';
export type {
  Target,
  TargetItem,
  TargetLog,
  TargetIdStore,
  ConnectContext,
  PushContext,
  ConnectInfo,
  ItemOutcome,
  WaitReason,
  PushResult,
  GeneralErrorInput,
  ThrottleState,
} from './target.js';

// Log downloads.
export { exportLogs, logsToCsv, logsToJsonl, logFile } from './logs/export.js';
export type { LogFormat } from './logs/export.js';

// What the widget reads: the SyncSource interface and its local implementation.
export { LocalSyncSource } from './source/local-source.js';
export { StorageReads } from './source/storage-reads.js';
export type {
  SyncSource,
  SourceChange,
  SourceChangeType,
  SourceListener,
  ConnectorState,
  EventPageQuery,
  ItemFilterQuery,
  ItemPageQuery,
  ItemView,
  ItemRef,
  ItemErrorGroup,
  ItemErrorSummary,
  LogDownload,
} from './source/sync-source.js';

// Fleet: the connector registry, and runners that drive many connectors.
export { ConnectorRegistry } from './fleet/registry.js';
export { FleetRunner } from './fleet/runner.js';
export type { FleetRunnerOptions, FleetTuning, FleetSlot, FleetStatus, FleetEvents, SlotEnded } from './fleet/runner.js';
