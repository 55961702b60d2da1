/**
 * The connector registry and the fleet's claims (core's StorageAdapter: createConnector …
 * fleetView) in the `connector` table (migrations.ts versions 3 and 4), each inside the transaction
 * storage.ts opens. A claim is one statement: the connectors with work are picked and locked
 * with FOR UPDATE SKIP LOCKED (two workers claiming at once take different ones) and marked
 * claimed. The registry's `enabled` is also the row's flag column, which the live side reads and
 * `setConnectorEnabled` sets; a change of it is announced (`connector`).
 */
import {
  type ClaimRelease,
  type ClaimRequest,
  type ConnectorClaim,
  type ConnectorRecord,
  type FleetEntry,
  type Page,
  type PageQuery,
} from '@shopsync/core';
import { connectorRecordSchema, fleetEntry, throttleStateSchema, type FleetState } from '@shopsync/core/internal';
import { notifyChange } from './notify.js';
import { rowAt, type QueueContext } from './queue.js';
import { corrupt, count, record } from './records.js';
import type { Db } from './transaction.js';

const at = (ctx: QueueContext, id: string) => rowAt(ctx.database, 'connector', id);

/** The record of a `connector` row, checked (a damaged one is a StorageCorruptError naming the row). */
function recordOf(ctx: QueueContext, r: { id: string; record: unknown }): ConnectorRecord {
  const rec = record(at(ctx, r.id), 'record', r.record, connectorRecordSchema);
  if (rec.config.id !== r.id) throw corrupt(at(ctx, r.id), 'record.config.id', "expected the row's id");
  return rec;
}

const nullable = (v: unknown) => v === null || v === undefined;

/** A row's fleet columns as core's FleetState, checked. */
function fleetOf(ctx: QueueContext, r: Record<string, unknown>): FleetState {
  const a = at(ctx, String(r.id));
  const f: FleetState = { open: r.open === true };
  if (typeof r.open !== 'boolean') throw corrupt(a, 'open', 'expected true or false');
  if (!nullable(r.claimed_by)) {
    if (typeof r.claimed_by !== 'string' || r.claimed_by === '') throw corrupt(a, 'claimed_by', 'expected a worker id');
    f.claimedBy = r.claimed_by;
  }
  for (const [column, field] of [
    ['claim_until', 'claimUntil'],
    ['last_claim_at', 'lastClaimAt'],
    ['last_release_at', 'lastReleaseAt'],
    ['next_run_at', 'nextRunAt'],
    ['run_requested_at', 'runRequestedAt'],
  ] as const) {
    if (!nullable(r[column])) f[field] = count(a, column, r[column]);
  }
  if (!nullable(r.throttle)) f.throttle = record(a, 'throttle', r.throttle, throttleStateSchema);
  return f;
}

export async function createConnector(ctx: QueueContext, db: Db, r: ConnectorRecord): Promise<boolean> {
  const made = await db.query(ctx.sql.createConnector, [r.config.id, r.config.enabled, Date.parse(r.updatedAt), JSON.stringify(r)]);
  if (made.length > 0) await notifyChange(db, ctx.sql.notify, { c: r.config.id, t: 'connector' });
  return made.length > 0;
}

export async function updateConnector(ctx: QueueContext, db: Db, r: ConnectorRecord): Promise<boolean> {
  const [row] = await db.query<{ was: boolean }>(ctx.sql.updateConnector, [r.config.id, r.config.enabled, Date.parse(r.updatedAt), JSON.stringify(r)]);
  if (!row) return false;
  await notifyChange(db, ctx.sql.notify, { c: r.config.id, t: 'connector' });
  return true;
}

export async function deleteConnector(ctx: QueueContext, db: Db, id: string): Promise<boolean> {
  const gone = await db.query(ctx.sql.deleteConnector, [id]);
  if (gone.length > 0) await notifyChange(db, ctx.sql.notify, { c: id, t: 'connector' });
  return gone.length > 0;
}

export async function getConnector(ctx: QueueContext, db: Db, id: string): Promise<ConnectorRecord | undefined> {
  const [r] = await db.query<{ id: string; record: unknown }>(ctx.sql.getRecord, [id]);
  return r && recordOf(ctx, r);
}

export async function listConnectors(ctx: QueueContext, db: Db, q: PageQuery): Promise<Page<ConnectorRecord>> {
  const rows = await db.query<{ id: string; record: unknown }>(ctx.sql.listRecords, [q.limit, q.offset]);
  const [n] = await db.query<{ n: number }>(ctx.sql.countRecords);
  return { items: rows.map((r) => recordOf(ctx, r)), total: n?.n ?? 0 };
}

export async function claimConnectors(ctx: QueueContext, db: Db, q: ClaimRequest): Promise<ConnectorClaim[]> {
  const rows = await db.query<{ id: string; record: unknown; claim_until: unknown; throttle: unknown; run_requested_at: unknown; prev: number | null }>(ctx.sql.claimConnectors, [q.worker, q.now, q.leaseMs, q.limit]);
  // In claim order (RETURNING has none of its own).
  rows.sort((a, b) => (a.prev ?? -1) - (b.prev ?? -1) || (a.id < b.id ? -1 : 1));
  return rows.map((r) => {
    const claim: ConnectorClaim = { record: recordOf(ctx, r), claimUntil: count(at(ctx, r.id), 'claim_until', r.claim_until) };
    if (!nullable(r.throttle)) claim.throttle = record(at(ctx, r.id), 'throttle', r.throttle, throttleStateSchema);
    if (!nullable(r.run_requested_at)) claim.runRequestedAt = count(at(ctx, r.id), 'run_requested_at', r.run_requested_at);
    return claim;
  });
}

export async function renewConnectorClaim(ctx: QueueContext, db: Db, id: string, worker: string, now: number, leaseMs: number): Promise<boolean> {
  return (await db.query(ctx.sql.renewClaim, [id, worker, now + leaseMs])).length > 0;
}

export async function releaseConnector(ctx: QueueContext, db: Db, id: string, worker: string, r: ClaimRelease): Promise<void> {
  await db.query(ctx.sql.releaseClaim, [id, worker, r.open, r.now, r.throttle ? JSON.stringify(r.throttle) : null, r.nextRunAt ?? null, r.runRequestHandled ?? null]);
}

export async function requestRun(ctx: QueueContext, db: Db, id: string, now: number): Promise<boolean> {
  return (await db.query(ctx.sql.requestRun, [id, now])).length > 0;
}

export async function fleetView(ctx: QueueContext, db: Db, now: number): Promise<FleetEntry[]> {
  const rows = await db.query<Record<string, unknown> & { id: string; record: unknown; pending: number }>(ctx.sql.fleetRows);
  return rows
    .map((r) => fleetEntry(recordOf(ctx, r), fleetOf(ctx, r), Number(r.pending), now))
    .filter((e): e is FleetEntry => e !== undefined)
    .sort((a, b) => a.since - b.since || (a.connectorId < b.connectorId ? -1 : 1));
}
