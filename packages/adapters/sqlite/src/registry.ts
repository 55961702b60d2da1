/**
 * The connector registry and the fleet's claims on SQLite (schema.ts, versions 5 and 6): one `registry`
 * row per connector, under core's shared rules (registry-rules.ts). Every statement is here, named;
 * `SqliteRegistry`'s methods are synchronous and run inside the storage's transaction (claims,
 * renewals and releases in an immediate one: a writer from the start, so that a claim's read and
 * its write are one step for every connection on the file, in this process or another).
 *
 * A claim is one walk of `registry_claim` (enabled connectors, least recently claimed first, then
 * by name) joined to `meta`'s exact pending counts, stopping once it has `limit` connectors with
 * work and no live claim. The SQL states core's rules (`hasWork`, `isClaimed`) so that the walk
 * skips what they refuse; each row it yields is then checked whole (record, fleet state, counts)
 * and the rules themselves (`isClaimable`) decide.
 */
import type { Database, Statement } from 'better-sqlite3';
import {
  type ClaimRelease,
  type ClaimRequest,
  type ConnectorClaim,
  type ConnectorRecord,
  type FleetEntry,
  type Page,
  type PageQuery,
} from '@shopsync/core';
import {
  claimedState,
  connectorRecordSchema,
  fleetEntry,
  fleetStateSchema,
  formatPath,
  isClaimable,
  releasedState,
  renewedState,
  requestedState,
  throttleStateSchema,
  type FleetState,
} from '@shopsync/core/internal';
import { corrupt, count, fail, record, type At } from './records.js';

/** A registry row as read: the record, and the column a claim filters on. */
interface RecordRow {
  connector: string;
  record: unknown;
  enabled: unknown;
}

/** A registry row with its fleet state, and the connector's pending counts (`meta`, NULL when it has none). */
interface FleetRow extends RecordRow {
  open: unknown;
  claimed_by: unknown;
  claim_until: unknown;
  last_claim_at: unknown;
  last_release_at: unknown;
  next_run_at: unknown;
  run_requested_at: unknown;
  throttle: unknown;
  categories: unknown;
  products: unknown;
  variants: unknown;
}

/** The column of each FleetState field (for errors: a damaged field is named by its column). */
const COLUMN_OF: Record<keyof FleetState, string> = {
  claimedBy: 'claimed_by',
  claimUntil: 'claim_until',
  open: 'open',
  lastClaimAt: 'last_claim_at',
  lastReleaseAt: 'last_release_at',
  nextRunAt: 'next_run_at',
  runRequestedAt: 'run_requested_at',
  throttle: 'throttle',
};

const RECORD_COLUMNS = 'r.connector, r.record, r.enabled';
const FLEET_COLUMNS = `${RECORD_COLUMNS}, r.open, r.claimed_by, r.claim_until, r.last_claim_at, r.last_release_at, r.next_run_at, r.run_requested_at, r.throttle, m.categories, m.products, m.variants`;
/** registry-rules' `isClaimed`, in SQL (at `@now`). */
const CLAIMED = 'r.claimed_by IS NOT NULL AND coalesce(r.claim_until, 0) > @now';
/**
 * registry-rules' `hasWork`, in SQL (at `@now`): enabled (the condition of `registry_claim`), a run
 * open, a run requested or changes pending (`meta`'s exact counts; none without a row), and not
 * held back.
 */
const HAS_WORK =
  'r.enabled = 1 AND (r.open = 1 OR r.run_requested_at IS NOT NULL OR coalesce(m.categories + m.products + m.variants, 0) > 0) AND (r.next_run_at IS NULL OR r.next_run_at <= @now)';

/** The registry's statements: the SQL of every registry operation (prepareRegistry). */
export interface RegistryStatements {
  insert: Statement;
  update: Statement;
  delete: Statement;
  get: Statement;
  list: Statement;
  total: Statement;
  fleet: Statement;
  claimable: Statement;
  busy: Statement;
  putFleet: Statement;
}

/** Prepares the registry's statements (once per connection). */
export function prepareRegistry(db: Database): RegistryStatements {
  return {
    insert: db.prepare('INSERT INTO registry (connector, record, enabled) VALUES (?, ?, ?) ON CONFLICT (connector) DO NOTHING'),
    /** Replaces the record; the fleet state stays. */
    update: db.prepare('UPDATE registry SET record = ?, enabled = ? WHERE connector = ?'),
    delete: db.prepare('DELETE FROM registry WHERE connector = ?'),
    get: db.prepare(`SELECT ${RECORD_COLUMNS} FROM registry AS r WHERE r.connector = ?`),
    list: db.prepare(`SELECT ${RECORD_COLUMNS} FROM registry AS r ORDER BY r.connector LIMIT ? OFFSET ?`),
    total: db.prepare('SELECT count(*) FROM registry').pluck(),
    /** A connector's row with its fleet state and counts. */
    fleet: db.prepare(`SELECT ${FLEET_COLUMNS} FROM registry AS r LEFT JOIN meta AS m ON m.connector = r.connector WHERE r.connector = @connector`),
    /** Claimable connectors in claim order (`registry_claim`: no sort; NULL, never claimed, first), read until a claim has enough. */
    claimable: db.prepare(`SELECT ${FLEET_COLUMNS} FROM registry AS r LEFT JOIN meta AS m ON m.connector = r.connector WHERE ${HAS_WORK} AND NOT (${CLAIMED}) ORDER BY r.last_claim_at, r.connector`),
    /** Connectors claimed or with work (fleetView): a scan, then core's `fleetEntry` decides. */
    busy: db.prepare(`SELECT ${FLEET_COLUMNS} FROM registry AS r LEFT JOIN meta AS m ON m.connector = r.connector WHERE (${CLAIMED}) OR (${HAS_WORK})`),
    /** Writes a connector's whole fleet state. */
    putFleet: db.prepare(
      'UPDATE registry SET open = @open, claimed_by = @claimedBy, claim_until = @claimUntil, last_claim_at = @lastClaimAt, last_release_at = @lastReleaseAt, next_run_at = @nextRunAt, run_requested_at = @runRequestedAt, throttle = @throttle WHERE connector = @connector',
    ),
  };
}

/** A record as stored: its JSON, and `enabled`. */
const columnsOf = (r: ConnectorRecord): [string, number] => [JSON.stringify(r), r.config.enabled ? 1 : 0];

/** A checked registry row: its record, fleet state and pending count. */
interface Entry {
  record: ConnectorRecord;
  fleet: FleetState;
  pending: number;
}

/** The registry of one database file (`path`, for errors). */
export class SqliteRegistry {
  readonly #s: RegistryStatements;
  readonly #path: string;

  constructor(s: RegistryStatements, path: string) {
    this.#s = s;
    this.#path = path;
  }

  /** The new row's fleet state is the table's defaults (`open` 0, the rest NULL): core's `newFleetState()`. */
  create(record: ConnectorRecord): boolean {
    return this.#s.insert.run(record.config.id, ...columnsOf(record)).changes > 0;
  }

  update(record: ConnectorRecord): boolean {
    return this.#s.update.run(...columnsOf(record), record.config.id).changes > 0;
  }

  delete(connectorId: string): boolean {
    return this.#s.delete.run(connectorId).changes > 0;
  }

  get(connectorId: string): ConnectorRecord | undefined {
    const row = this.#s.get.get(connectorId) as RecordRow | undefined;
    return row && this.#record(row);
  }

  /** By id; run in one read transaction (the page and its total agree). */
  list(query: PageQuery): Page<ConnectorRecord> {
    const rows = this.#s.list.all(query.limit, query.offset) as RecordRow[];
    return { items: rows.map((r) => this.#record(r)), total: this.#s.total.get() as number };
  }

  claim(r: ClaimRequest): ConnectorClaim[] {
    // Read first (a connection writes nothing while a statement iterates), then claim.
    const picked: Array<[string, Entry]> = [];
    if (r.limit > 0) {
      for (const row of this.#s.claimable.iterate({ now: r.now }) as IterableIterator<FleetRow>) {
        const e = this.#entry(row);
        // The rules have the last word (the SQL says the same of every row that passes the checks).
        if (isClaimable(e.record, e.fleet, e.pending, r.now)) picked.push([row.connector, e]);
        if (picked.length >= r.limit) break;
      }
    }
    return picked.map(([connector, e]) => {
      const fleet = claimedState(e.fleet, r.worker, r.now, r.leaseMs);
      this.#putFleet(connector, fleet);
      const claim: ConnectorClaim = { record: e.record, claimUntil: fleet.claimUntil! };
      if (fleet.throttle) claim.throttle = fleet.throttle;
      if (fleet.runRequestedAt !== undefined) claim.runRequestedAt = fleet.runRequestedAt;
      return claim;
    });
  }

  renew(connectorId: string, worker: string, now: number, leaseMs: number): boolean {
    const fleet = this.#fleetOf(connectorId);
    const next = fleet && renewedState(fleet, worker, now, leaseMs);
    if (!next) return false;
    this.#putFleet(connectorId, next);
    return true;
  }

  release(connectorId: string, worker: string, release: ClaimRelease): void {
    const fleet = this.#fleetOf(connectorId);
    const next = fleet && releasedState(fleet, worker, release);
    if (next) this.#putFleet(connectorId, next);
  }

  requestRun(connectorId: string, now: number): boolean {
    const fleet = this.#fleetOf(connectorId);
    if (!fleet) return false;
    this.#putFleet(connectorId, requestedState(fleet, now));
    return true;
  }

  /** Connectors claimed or with work: oldest first (running since its claim, waiting since its last release or creation), then by id. */
  view(now: number): FleetEntry[] {
    return (this.#s.busy.all({ now }) as FleetRow[])
      .map((row) => {
        const e = this.#entry(row);
        return fleetEntry(e.record, e.fleet, e.pending, now);
      })
      .filter((x): x is FleetEntry => x !== undefined)
      .sort((a, b) => a.since - b.since || (a.connectorId < b.connectorId ? -1 : 1));
  }

  /** Where a registry row is, for errors. */
  #at(table: 'registry' | 'meta', connector: string): At {
    return { path: this.#path, table, row: () => `connector ${JSON.stringify(connector)}` };
  }

  /**
   * A row's record, as core's connectorRecordSchema accepts it, of the row's connector, and with
   * `enabled` saying what it says: a row it misfiles would be claimed while disabled, or never.
   */
  #record(row: RecordRow): ConnectorRecord {
    const at = this.#at('registry', row.connector);
    const r = record(at, 'record', row.record, connectorRecordSchema);
    if (r.config.id !== row.connector) fail(at, 'record.config.id', `${JSON.stringify(row.connector)}, the row's connector`, r.config.id);
    const enabled = r.config.enabled ? 1 : 0;
    if (row.enabled !== enabled) fail(at, 'enabled', `${enabled}, as the record's config.enabled`, row.enabled);
    return r;
  }

  /** A row's fleet state, as core's fleetStateSchema accepts it; a damaged field is named by its column. */
  #fleet(row: FleetRow): FleetState {
    const at = this.#at('registry', row.connector);
    const open = row.open === 1 ? true : row.open === 0 ? false : fail(at, 'open', '0 or 1', row.open);
    const state: Record<string, unknown> = { open };
    const optional = { claimedBy: row.claimed_by, claimUntil: row.claim_until, lastClaimAt: row.last_claim_at, lastReleaseAt: row.last_release_at, nextRunAt: row.next_run_at, runRequestedAt: row.run_requested_at };
    for (const [field, cell] of Object.entries(optional)) if (cell !== null) state[field] = cell;
    if (row.throttle !== null) state.throttle = record(at, 'throttle', row.throttle, throttleStateSchema);
    const parsed = fleetStateSchema.safeParse(state);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const [field, ...rest] = issue.path;
    throw corrupt(at, formatPath(COLUMN_OF[field as keyof FleetState] ?? String(field), rest), issue.message);
  }

  /** A row checked whole: record, fleet state, and the connector's pending count (`meta`, exact: no scan of items). */
  #entry(row: FleetRow): Entry {
    const record = this.#record(row);
    const fleet = this.#fleet(row);
    let pending = 0;
    if (row.products !== null || row.categories !== null || row.variants !== null) {
      const at = this.#at('meta', row.connector);
      pending = count(at, 'categories', row.categories) + count(at, 'products', row.products) + count(at, 'variants', row.variants);
    }
    return { record, fleet, pending };
  }

  /** The fleet state of a registered connector (undefined when it is not registered). */
  #fleetOf(connectorId: string): FleetState | undefined {
    const row = this.#s.fleet.get({ connector: connectorId }) as FleetRow | undefined;
    return row && this.#fleet(row);
  }

  #putFleet(connector: string, f: FleetState): void {
    this.#s.putFleet.run({
      connector,
      open: f.open ? 1 : 0,
      claimedBy: f.claimedBy ?? null,
      claimUntil: f.claimUntil ?? null,
      lastClaimAt: f.lastClaimAt ?? null,
      lastReleaseAt: f.lastReleaseAt ?? null,
      nextRunAt: f.nextRunAt ?? null,
      runRequestedAt: f.runRequestedAt ?? null,
      throttle: f.throttle ? JSON.stringify(f.throttle) : null,
    });
  }
}
