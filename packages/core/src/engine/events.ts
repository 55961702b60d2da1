import type { EntityCounts } from '../schemas/common.js';
import type { GeneralError, Iteration, SyncEvent, SyncStatus } from '../schemas/event.js';
import type { ItemStatus } from '../schemas/item.js';

/** Payloads of the engine's events. Stable: hosts and the widget rely on them. */
export interface StatusChanged {
  connectorId: string;
  eventId: string;
  status: SyncStatus;
  /** `starting` when the event has just been created. */
  previous: SyncStatus | 'starting';
  event: SyncEvent;
}

export interface IterationCompleted {
  connectorId: string;
  eventId: string;
  iteration: Iteration;
  event: SyncEvent;
}

export interface PendingChanged {
  connectorId: string;
  /** The running event, if any. */
  eventId?: string;
  pending: EntityCounts;
}

export interface ItemsUpdated {
  connectorId: string;
  eventId?: string;
  items: ItemStatus[];
}

export interface GeneralErrorOccurred {
  connectorId: string;
  eventId: string;
  error: GeneralError;
}

export interface LogsAvailable {
  connectorId: string;
  eventId: string;
}

export interface EngineEvents {
  statusChanged: [StatusChanged];
  iterationCompleted: [IterationCompleted];
  pendingChanged: [PendingChanged];
  itemsUpdated: [ItemsUpdated];
  generalError: [GeneralErrorOccurred];
  logsAvailable: [LogsAvailable];
}
