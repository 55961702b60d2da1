/** Records the storage suites write and read back: a sync event as a run starts it, a log line. */
import { SCHEMA_VERSION } from '../schemas/common.js';
import type { SyncEvent } from '../schemas/event.js';
import type { LogEntry } from '../schemas/log.js';

/** The instant the suites' records are made at (2026-01-15 12:00 UTC). */
export const T0 = Date.UTC(2026, 0, 15, 12);
/** The connector the suites' records belong to. */
export const C = 'conn-a';

/** A manual sync event in progress, with nothing pending yet. */
export function event(id: string, startedAt: number, connectorId = C): SyncEvent {
  return {
    v: SCHEMA_VERSION,
    id,
    connectorId,
    status: 'in_progress',
    trigger: 'manual',
    startedAt: new Date(startedAt).toISOString(),
    pending: { categories: 0, products: 0, variants: 0 },
    generalErrors: [],
    config: {
      shopDomain: 'a.myshopify.com',
      apiVersion: { requested: '2026-01', status: 'supported', endsSoon: false },
      disableDeletions: false,
      overwriteStock: false,
      includeEmptyCategories: false,
      language: 'en',
    },
    iterations: [],
    logsAvailable: false,
    pausedAt: [],
    resumedAt: [],
  };
}

/** An info line of an event's log. */
export function log(eventId: string, message: string, at = T0): LogEntry {
  return { v: SCHEMA_VERSION, at: new Date(at).toISOString(), level: 'info', eventId, message };
}
