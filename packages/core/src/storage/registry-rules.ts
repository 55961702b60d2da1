/**
 * The rules of the connector registry's claims, as pure functions over a connector's fleet
 * state, shared by the adapters that keep that state as a record (memory, SQLite, IndexedDB);
 * PostgreSQL says the same in SQL. What a claim means: StorageAdapter.claimConnectors.
 */
import { z } from 'zod';
import { isoDate } from '../schemas/common.js';
import type { ConnectorRecord } from '../schemas/registry.js';
import type { ThrottleState } from '../target.js';
import type { ClaimRelease, FleetEntry } from './adapter.js';

/** What the fleet keeps per connector beside its record. Times are epoch ms. */
export interface FleetState {
  /** The worker holding the connector, while its claim lives. */
  claimedBy?: string;
  claimUntil?: number;
  /** A run may be under way: claim the connector again even with nothing pending. */
  open: boolean;
  lastClaimAt?: number;
  lastReleaseAt?: number;
  /** Not claimed before then: a schedule's next turn, or a pause after a slot that failed. */
  nextRunAt?: number;
  /** A host asked for a run (StorageAdapter.requestRun) at this time, and no run has handled it yet: claim the connector even with nothing pending. */
  runRequestedAt?: number;
  throttle?: ThrottleState;
}

const ms = z.number().int().nonnegative();
/** A stored ThrottleState, checked as read back. */
export const throttleStateSchema = z.strictObject({
  at: isoDate,
  capacity: z.number().positive(),
  available: z.number().nonnegative(),
  restoreRate: z.number().nonnegative(),
});
/** A stored FleetState, checked as read back. */
export const fleetStateSchema = z.strictObject({
  claimedBy: z.string().min(1).optional(),
  claimUntil: ms.optional(),
  open: z.boolean(),
  lastClaimAt: ms.optional(),
  lastReleaseAt: ms.optional(),
  nextRunAt: ms.optional(),
  runRequestedAt: ms.optional(),
  throttle: throttleStateSchema.optional(),
});

/** The state of a connector just added to the registry. */
export const newFleetState = (): FleetState => ({ open: false });

/** Whether a claim holds the connector at `now`. */
export const isClaimed = (f: FleetState, now: number): boolean => f.claimedBy !== undefined && (f.claimUntil ?? 0) > now;

/** Whether the connector has work now: enabled, a run open, changes pending or a run requested, and not held back (`nextRunAt`). */
export function hasWork(record: ConnectorRecord, f: FleetState, pending: number, now: number): boolean {
  return record.config.enabled && (f.open || pending > 0 || f.runRequestedAt !== undefined) && (f.nextRunAt === undefined || f.nextRunAt <= now);
}

/** Whether a worker may claim the connector now. */
export const isClaimable = (record: ConnectorRecord, f: FleetState, pending: number, now: number): boolean => hasWork(record, f, pending, now) && !isClaimed(f, now);

/** Claim order: least recently claimed first (never claimed before all), then by id. */
export function compareClaimOrder(a: { id: string; fleet: FleetState }, b: { id: string; fleet: FleetState }): number {
  const x = a.fleet.lastClaimAt ?? -1;
  const y = b.fleet.lastClaimAt ?? -1;
  return x !== y ? x - y : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The state once `worker` claims the connector. */
export const claimedState = (f: FleetState, worker: string, now: number, leaseMs: number): FleetState => ({ ...f, claimedBy: worker, claimUntil: now + leaseMs, lastClaimAt: now, open: true });

/** The state once `worker` renews its claim; undefined when another worker holds the connector or nobody does. */
export function renewedState(f: FleetState, worker: string, now: number, leaseMs: number): FleetState | undefined {
  return f.claimedBy === worker ? { ...f, claimUntil: now + leaseMs } : undefined;
}

/**
 * The state once a host asks for a run at `now`: the newest request is kept (a run that handles
 * it handles every older one), and any hold is lifted (`nextRunAt`), whoever holds the claim.
 */
export function requestedState(f: FleetState, now: number): FleetState {
  const next: FleetState = { ...f, runRequestedAt: Math.max(f.runRequestedAt ?? now, now) };
  delete next.nextRunAt;
  return next;
}

/**
 * The state once `worker` lets the connector go; undefined when it no longer holds it (nothing
 * changes). A run request survives unless the release handled it (`runRequestHandled` at or after
 * it); one made after the claim (a host asked again while the run went on) also lifts the
 * release's hold, as it would lift a hold made before it.
 */
export function releasedState(f: FleetState, worker: string, r: ClaimRelease): FleetState | undefined {
  if (f.claimedBy !== worker) return undefined;
  const next: FleetState = { open: r.open, lastReleaseAt: r.now };
  if (f.lastClaimAt !== undefined) next.lastClaimAt = f.lastClaimAt;
  const throttle = r.throttle ?? f.throttle;
  if (throttle) next.throttle = throttle;
  const request = f.runRequestedAt;
  const survives = request !== undefined && (r.runRequestHandled === undefined || request > r.runRequestHandled);
  if (survives) next.runRequestedAt = request;
  // Made after the claim (not in the same millisecond: the claim may have seen it, and a slot that failed must keep its pause).
  const askedSinceClaim = survives && (f.lastClaimAt === undefined || request > f.lastClaimAt);
  if (r.nextRunAt !== undefined && !askedSinceClaim) next.nextRunAt = r.nextRunAt;
  return next;
}

/** The connector as fleetView shows it, or undefined when it has no work and nobody holds it. */
export function fleetEntry(record: ConnectorRecord, f: FleetState, pending: number, now: number): FleetEntry | undefined {
  const id = record.config.id;
  if (isClaimed(f, now)) return { connectorId: id, state: 'running', worker: f.claimedBy!, since: f.lastClaimAt ?? now };
  if (!hasWork(record, f, pending, now)) return undefined;
  return { connectorId: id, state: 'waiting', since: f.lastReleaseAt ?? Date.parse(record.createdAt) };
}
