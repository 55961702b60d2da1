import type { EntityCounts } from '../schemas/common.js';
import type { GeneralError, Iteration, SyncEvent, SyncStatus } from '../schemas/event.js';
import type { ItemStatus } from '../schemas/item.js';

/**
 * Payload of `statusChanged`: a sync event changed status (started, ended, paused, resumed).
 * Payloads of the engine's events are stable: hosts and the widget rely on them.
 */
export interface StatusChanged {
  connectorId: string;
  eventId: string;
  status: SyncStatus;
  /** `starting` when the event has just been created. */
  previous: SyncStatus | 'starting';
  event: SyncEvent;
}

/** Payload of `iterationCompleted`: an iteration was recorded; `event` is the event with it. */
export interface IterationCompleted {
  connectorId: string;
  eventId: string;
  iteration: Iteration;
  event: SyncEvent;
}

/** Payload of `pendingChanged`: the items waiting per entity changed (changes arrived, or an iteration finished some). */
export interface PendingChanged {
  connectorId: string;
  /** The running event, if any. */
  eventId?: string;
  pending: EntityCounts;
}

/** Payload of `itemsUpdated`: the latest status of these items changed (the Item Synchronization Status tab). */
export interface ItemsUpdated {
  connectorId: string;
  eventId?: string;
  items: ItemStatus[];
}

/** Payload of `generalError`: a problem of the run as a whole was recorded in the event. */
export interface GeneralErrorOccurred {
  connectorId: string;
  eventId: string;
  error: GeneralError;
}

/** Payload of `logsAvailable`: the event's log can be downloaded from now on (its first iteration ended). */
export interface LogsAvailable {
  connectorId: string;
  eventId: string;
}

/** The engine's events by name, with their payloads: what `engine.on(name, listener)` takes. */
export interface EngineEvents {
  statusChanged: [StatusChanged];
  iterationCompleted: [IterationCompleted];
  pendingChanged: [PendingChanged];
  itemsUpdated: [ItemsUpdated];
  generalError: [GeneralErrorOccurred];
  logsAvailable: [LogsAvailable];
}
