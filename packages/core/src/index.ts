// Schemas (zod) and the types inferred from them.
export {
  SCHEMA_VERSION,
  ENTITIES,
  ENTITY_PLURAL,
  entitySchema,
  countsSchema,
  refSchema,
  isoDate,
  zeroCounts,
  totalOf,
} from './schemas/common.js';
export type { Entity, EntityCounts } from './schemas/common.js';
export { connectorConfigSchema, apiVersionSchema, languageSchema, connectorIdSchema } from './schemas/connector.js';
export type { ConnectorConfig, ConnectorConfigInput } from './schemas/connector.js';
export { connectorRecordSchema, newConnectorSchema, connectorPatchSchema, connectorScheduleSchema, credentialsRefSchema } from './schemas/registry.js';
export type { ConnectorRecord, NewConnector, ConnectorPatch, ConnectorSchedule } from './schemas/registry.js';
export {
  changeSchema,
  changeBatchSchema,
  categoryDataSchema,
  productDataSchema,
  variantDataSchema,
  localizedTextSchema,
  imageSchema,
  imageUrlSchema,
  seoSchema,
  taxonomyCategorySchema,
} from './schemas/change.js';
export type { Change, ChangeOp, CategoryData, ProductData, VariantData, LocalizedText, ImageData } from './schemas/change.js';
export { metafieldSchema, metafieldListSchema, metafieldNamespaceSchema, metafieldValueProblem, METAFIELD_TYPES } from './schemas/metafield.js';
export type { Metafield } from './schemas/metafield.js';
export {
  SYNC_STATUSES,
  GENERAL_ERROR_CODES,
  syncStatusSchema,
  syncEventSchema,
  generalErrorSchema,
  iterationSchema,
  configSnapshotSchema,
  apiVersionInfoSchema,
  syncTriggerSchema,
} from './schemas/event.js';
export type {
  SyncStatus,
  SyncEvent,
  GeneralError,
  GeneralErrorCode,
  Iteration,
  ConfigSnapshot,
  ApiVersionInfo,
  SyncTrigger,
} from './schemas/event.js';
export { ITEM_STATES, itemStatusSchema, itemErrorSchema, itemStateSchema, skipReasonSchema } from './schemas/item.js';
export type { ItemStatus, ItemError, ItemState, SkipReason } from './schemas/item.js';
export { logEntrySchema, logLevelSchema } from './schemas/log.js';
export type { LogEntry, LogLevel } from './schemas/log.js';
export { queueEntrySchema } from './schemas/queue.js';
export type { QueueEntry } from './schemas/queue.js';

// Errors.
export { ShopsyncError } from './errors/shopsync-error.js';
export { ValidationError } from './errors/validation-error.js';
export type { ValidationIssue } from './errors/validation-error.js';
export { IllegalTransitionError } from './errors/illegal-transition-error.js';
export { ConnectionError, CONNECTION_ERROR_CODES } from './errors/connection-error.js';
export type { ConnectionErrorKind } from './errors/connection-error.js';
export { LeaseLostError } from './errors/lease-error.js';
export { parseOrThrow, formatPath } from './validate.js';

// Status machine and API-version policy.
export { transition, canTransition, isTerminal, STATUS_ACTIONS, RUN_STATES } from './status/machine.js';
export type { RunState, StatusAction, StatusActionType } from './status/machine.js';
export { assessApiVersion, latestStableVersion, releaseInstant, DEFAULT_WARNING_DAYS } from './api-version.js';
export type { ApiVersionAssessment, ApiVersionStatus } from './api-version.js';

// Queue and storage.
export { ChangeQueue, toQueueEntries } from './queue/queue.js';
export type { EnqueueOptions, EnqueueResult } from './queue/queue.js';
export { changesToRetry, requeueFailed } from './queue/retry.js';
export type { RetrySelection } from './queue/retry.js';
export { itemKey, parseItemKey } from './queue/keys.js';
export type { ItemKey } from './queue/keys.js';
export { bucketOf } from './queue/order.js';
export { planLease, runLeasePlan, runLeasePlanAsync, LEASE_ORDER } from './queue/lease-plan.js';
export type { LeasePlan, LeaseRead } from './queue/lease-plan.js';
export { parseItemQuery, parsePageQuery } from './storage/queries.js';
export type { StorageAdapter, NewQueueEntry, Lease, LeaseOptions, AckCommit, Page, PageQuery, ItemQuery, ClaimRequest, ConnectorClaim, ClaimRelease, FleetEntry } from './storage/adapter.js';
export {
  fleetStateSchema,
  throttleStateSchema,
  newFleetState,
  isClaimed,
  hasWork,
  isClaimable,
  compareClaimOrder,
  claimedState,
  renewedState,
  releasedState,
  requestedState,
  fleetEntry,
} from './storage/registry-rules.js';
export type { FleetState } from './storage/registry-rules.js';
export {
  coalesce,
  mergeReturned,
  pendingItemStatus,
  settledItemStatus,
  matchesItemQuery,
  compareItems,
  compareEvents,
} from './storage/rules.js';
export { MemoryStorage } from './storage/memory.js';
export { queueInto, finishLeased, storedView, storedKeys } from './storage/stored-item.js';
export { LazyQueueEntry } from './storage/lazy-entry.js';
export type { StoredItem } from './storage/stored-item.js';
export { recordChecks, rowOf } from './storage/stored-record.js';
export type { RecordChecks, RecordPlace, RecordSchema } from './storage/stored-record.js';

// Engine and target.
export { SyncEngine, createEngine } from './engine/engine.js';
export type { EngineOptions, EngineTuning, StartOptions, ItemFilter, ItemQueryInput } from './engine/engine.js';
export type { EngineEvents, StatusChanged, IterationCompleted, PendingChanged, ItemsUpdated, GeneralErrorOccurred, LogsAvailable } from './engine/events.js';
export { estimateRemaining } from './engine/throughput.js';
export type { Throughput } from './engine/throughput.js';
export { systemClock, sleep } from './engine/clock.js';
export type { Clock } from './engine/clock.js';
export { backoffDelay } from './engine/backoff.js';
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

// Hashing, logs.
export { stableHash, canonicalJson } from './hash.js';
export { exportLogs, logsToCsv, logsToJsonl, logFile, csvCell, LOG_CSV_COLUMNS } from './logs/export.js';
export type { LogFormat } from './logs/export.js';
export { redactLiterals, redactSecrets, remoteText } from './logs/redact.js';
export { newId } from './ids.js';

// What the widget reads: the SyncSource interface and its local implementation.
export { LocalSyncSource } from './source/local-source.js';
export { summarizeItemErrors, toItemView, cleanItemFilter } from './source/item-reads.js';
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
