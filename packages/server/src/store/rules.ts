/**
 * What the three ServerStore implementations share beside their storage: the orders they answer
 * in, the checks of a page request, and the errors they throw for a taken id, a closed store, a
 * newer schema and a damaged row (the last three core's storage errors, as the sync storages
 * throw them). The memory store applies the orders with these comparators; the SQL stores write
 * the same orders as `ORDER BY` (ids compared byte-wise: `COLLATE "C"` in PostgreSQL, SQLite's
 * BINARY), so that the conformance suite holds for all three.
 */
import { ShopsyncError, StorageClosedError, StorageCorruptError, StorageVersionError, type DamagedRecord, type StorageBackend } from '@shopsync/core';
import type { ApiKeyRecord, DeliveryRecord, WebhookRecord } from './types.js';

/** The version of the `server_*` tables this code writes, kept in `server_meta` (name `schema_version`). */
export const SERVER_SCHEMA_VERSION = 1;

/** The row of `server_meta` holding the version of the `server_*` tables. */
export const VERSION_ROW = 'schema_version';

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** API keys and webhooks as listed: oldest first, then by id. */
export const oldestFirst = (a: ApiKeyRecord | WebhookRecord, b: ApiKeyRecord | WebhookRecord): number => a.createdAt - b.createdAt || byText(a.id, b.id);

/** Deliveries as listed: newest first, then by id descending. */
export const newestFirst = (a: DeliveryRecord, b: DeliveryRecord): number => b.createdAt - a.createdAt || byText(b.id, a.id);

/** Deliveries as claimed: oldest due first, then by id. */
export const dueFirst = (a: DeliveryRecord, b: DeliveryRecord): number => (a.nextAttemptAt ?? 0) - (b.nextAttemptAt ?? 0) || byText(a.id, b.id);

/** Whether a pending delivery may be claimed at `now`: due, and free (never claimed, or its claim expired). */
export const claimable = (d: DeliveryRecord, now: number): boolean =>
  d.state === 'pending' && d.nextAttemptAt !== undefined && d.nextAttemptAt <= now && (d.claimUntil === undefined || d.claimUntil <= now);

/** Refuses an offset or a limit that is not a whole number ≥ 0 (`listDeliveries`, `claimDeliveries`). */
export function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ShopsyncError('invalid_input', `${name}: expected a whole number of at least 0, found ${JSON.stringify(value)}`);
  }
}

/** The error for a record whose id is taken: `api_key_exists`, `webhook_exists`, `delivery_exists`. Nothing was written. */
export function exists(what: 'api_key' | 'webhook' | 'delivery', id: string, cause?: unknown): ShopsyncError {
  const label = { api_key: 'An API key', webhook: 'A webhook', delivery: 'A delivery' }[what];
  return new ShopsyncError(`${what}_exists`, `${label} with the id ${JSON.stringify(id)} exists already; nothing was written. Use a new id.`, cause === undefined ? undefined : { cause });
}

/** Which store an error names: core's storage errors with its backend and where it lives (never a password). */
export interface StorePlace {
  backend: StorageBackend;
  location?: string;
}

/** The error for a call on a closed store. */
export const closedError = (where: StorePlace): StorageClosedError => new StorageClosedError(where);

/** The error for `server_*` tables written by a newer version of shopsync. Nothing was changed. */
export const versionError = (where: StorePlace, found: number): StorageVersionError => new StorageVersionError({ ...where, found, expected: SERVER_SCHEMA_VERSION });

/** The error for a row of the `server_*` tables that does not have the shape the service wrote: nothing damaged is used, and the read or claim that met it changes nothing. */
export const damagedError = (where: StorePlace, record: DamagedRecord): StorageCorruptError => new StorageCorruptError({ ...where, record });

/** `value` without its keys set to `undefined` (stored records never hold them, so that records compare alike in every store). */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * A delivery as added: `pending`, due at its `nextAttemptAt` (or at its creation when it has
 * none), unclaimed, with the attempts it came with. The SQL stores write the same.
 */
export function asPending(d: DeliveryRecord): DeliveryRecord {
  return compact({
    id: d.id,
    webhookId: d.webhookId,
    connectorId: d.connectorId,
    type: d.type,
    payload: d.payload,
    createdAt: d.createdAt,
    state: 'pending' as const,
    nextAttemptAt: d.nextAttemptAt ?? d.createdAt,
    attempts: d.attempts.map((a) => compact({ ...a })),
  });
}
