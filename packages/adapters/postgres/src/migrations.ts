/**
 * Versioned migrations, applied at open in one transaction under a transaction-level advisory
 * lock derived from the schema name: ten processes starting at once on an empty database migrate
 * it once (the first takes the lock and migrates; the others wait, then find it done). The table
 * `schema_version` records each version applied and when. A schema at a newer version than this
 * code knows is refused with a StorageVersionError, and nothing is changed.
 *
 * A database that needs nothing is only read (no lock, no write), so a read-only replica of an
 * up-to-date database opens.
 *
 * To add version N+1: append its SQL to MIGRATIONS (never edit an applied one), and add rows in
 * the old format to test/migrations.test.ts's `atVersion` so its upgrade is tested.
 */
import { createHash } from 'node:crypto';
import type { Db } from './transaction.js';
import { StorageVersionError } from '@shopsync/core';

/** One migration: its SQL for a schema (the name already quoted: `"shopsync"`). */
export type Migration = (s: string) => string;

/**
 * Version 1, the whole layout (version 2 moved what a lease handed out into its row).
 *
 * `items`: one row per item key (`key` = `type:ref`), holding its pending change while it has one,
 * as its parts (`pending`: the change's JSON, `force`, `enqueued_at`, `ob` its drain bucket, `os`
 * its seq, `vp` the product of a variant upsert), and its last outcome (JSON). `u`/`st` are what
 * the item tab sorts and filters on. While the item is leased, `lease_id` names the lease and
 * `lease_seq` the seq it handed out; if the row takes a newer change meanwhile, `flying` keeps a
 * copy of the entry handed out (JSON). The pending rows of a drain bucket are found in seq order
 * through `items_order`, the pending variant upserts of a product through `items_parent`, a
 * lease's rows through `items_leased`.
 *
 * `meta`: per connector, the last seq given and exact pending counts (queued or leased), so
 * counts are never a scan. `leases`: the live leases and when they expire. `connector`: whether a
 * connector is enabled (the registry that a web process and workers share). Keys and ids are
 * `COLLATE "C"`: byte order, as core sorts and compares them, whatever the database's locale.
 */
const V1: Migration = (s) => `
  CREATE TABLE ${s}.connector (
    id text COLLATE "C" PRIMARY KEY,
    enabled boolean NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE ${s}.meta (
    connector text COLLATE "C" PRIMARY KEY,
    seq bigint NOT NULL,
    categories integer NOT NULL,
    products integer NOT NULL,
    variants integer NOT NULL
  );
  CREATE TABLE ${s}.items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connector text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    pending text,
    force boolean,
    enqueued_at bigint,
    ob smallint,
    os bigint,
    vp text COLLATE "C",
    outcome text,
    u bigint NOT NULL,
    st text NOT NULL,
    lease_id text COLLATE "C",
    lease_seq bigint,
    flying text,
    CONSTRAINT items_key UNIQUE (connector, key)
  );
  CREATE INDEX items_order ON ${s}.items (connector, ob, os) WHERE ob IS NOT NULL;
  CREATE INDEX items_parent ON ${s}.items (connector, vp) WHERE vp IS NOT NULL;
  CREATE INDEX items_leased ON ${s}.items (connector, lease_id) WHERE lease_id IS NOT NULL;
  CREATE INDEX items_updated ON ${s}.items (connector, u DESC, key);
  CREATE INDEX items_status ON ${s}.items (connector, st, u DESC, key);
  CREATE TABLE ${s}.leases (
    connector text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    expires_at bigint NOT NULL,
    PRIMARY KEY (connector, id)
  );
  CREATE TABLE ${s}.hashes (
    connector text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (connector, key)
  );
  CREATE TABLE ${s}.target_ids (
    connector text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    id text NOT NULL,
    PRIMARY KEY (connector, key)
  );
  CREATE TABLE ${s}.events (
    connector text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    started_at bigint NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (connector, id)
  );
  CREATE INDEX events_started ON ${s}.events (connector, started_at DESC, id DESC);
  CREATE TABLE ${s}.logs (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connector text COLLATE "C" NOT NULL,
    event_id text COLLATE "C" NOT NULL,
    body text NOT NULL
  );
  CREATE INDEX logs_event ON ${s}.logs (connector, event_id, seq);
`;

/**
 * Version 2: a lease row says what it handed out, and item rows no longer do.
 *
 * `leases` gains `ids`, `keys` and `seqs` (the rows it handed out, their keys and the seq of the
 * change each had) and `superseded` (JSON list, or null: the entries it handed out whose rows
 * have since taken a newer change, as @shopsync/sqlite keeps them). A lease is then one INSERT
 * instead of an UPDATE of every row it hands out, an update that moved each row's entries in all
 * six indexes (bench:postgres: 7 ms of every 250-item lease); a row is in flight when a live
 * lease names it. `items` loses `lease_id`, `lease_seq`, `flying` and the index `items_leased`.
 * Leases live when the schema is upgraded keep what they handed out.
 */
const V2: Migration = (s) => `
  ALTER TABLE ${s}.leases ADD COLUMN ids bigint[], ADD COLUMN keys text[], ADD COLUMN seqs bigint[], ADD COLUMN superseded text;
  UPDATE ${s}.leases AS l SET ids = f.ids, keys = f.keys, seqs = f.seqs, superseded = f.superseded
    FROM (SELECT connector, lease_id, array_agg(id ORDER BY key) AS ids, array_agg(key ORDER BY key) AS keys, array_agg(lease_seq ORDER BY key) AS seqs,
            '[' || string_agg(flying, ',' ORDER BY key) || ']' AS superseded
          FROM ${s}.items WHERE lease_id IS NOT NULL GROUP BY connector, lease_id) AS f
    WHERE l.connector = f.connector AND l.id = f.lease_id;
  UPDATE ${s}.leases SET ids = '{}', keys = '{}', seqs = '{}' WHERE ids IS NULL;
  ALTER TABLE ${s}.leases ALTER COLUMN ids SET NOT NULL, ALTER COLUMN keys SET NOT NULL, ALTER COLUMN seqs SET NOT NULL;
  DROP INDEX ${s}.items_leased;
  ALTER TABLE ${s}.items DROP COLUMN lease_id, DROP COLUMN lease_seq, DROP COLUMN flying;
`;

/**
 * Version 3: the connector registry and the fleet's claims (issue #18), in `connector`, whose
 * rows so far held only an enabled flag. `record`: the registry's record (JSON; null for a
 * connector whose flag alone was set); `claimed_by`/`claim_until`: the worker whose claim holds
 * it; `open`: a run may be under way; `last_claim_at` (claim order), `last_release_at`,
 * `next_run_at` (not claimed before), `throttle` (JSON: the store's rate limit as the last runner
 * left it). The claim index serves the claim's order over the registered, enabled connectors.
 */
const V3: Migration = (s) => `
  ALTER TABLE ${s}.connector ADD COLUMN record text, ADD COLUMN claimed_by text COLLATE "C", ADD COLUMN claim_until bigint,
    ADD COLUMN open boolean NOT NULL DEFAULT false, ADD COLUMN last_claim_at bigint, ADD COLUMN last_release_at bigint,
    ADD COLUMN next_run_at bigint, ADD COLUMN throttle text;
  CREATE INDEX connector_claim ON ${s}.connector (last_claim_at NULLS FIRST, id) WHERE record IS NOT NULL AND enabled;
`;

/**
 * Version 4: a host's run requests (core's StorageAdapter.requestRun). `run_requested_at`: epoch
 * ms of the newest request no run has handled yet, else null. A requested connector has work (the
 * claim statement); `connector_claim` serves its claim as before. Rows keep their fleet state and
 * have no request.
 */
const V4: Migration = (s) => `
  ALTER TABLE ${s}.connector ADD COLUMN run_requested_at bigint;
`;

/** The migrations in order: MIGRATIONS[n - 1] brings a schema from version n - 1 to n. */
export const MIGRATIONS: readonly Migration[] = [V1, V2, V3, V4];

/** The schema version this code writes and reads (the number of migrations). */
export const DB_VERSION = MIGRATIONS.length;

/** A schema name as an SQL identifier (names are checked by options.ts: lowercase, digits, `_`). */
export const quoted = (schema: string): string => `"${schema.replaceAll('"', '""')}"`;

/**
 * The advisory lock key that migrations of `schema` take: the first 8 bytes of SHA-256 of
 * `shopsync:migrate:<schema>`, as a signed bigint (text). The same in every process and version.
 */
export function migrationLockKey(schema: string): string {
  return createHash('sha256').update(`shopsync:migrate:${schema}`).digest().readBigInt64BE(0).toString();
}

/** The version a schema is at: 0 when it has no `schema_version` table (a fresh schema). */
export async function versionOf(db: Db, schema: string): Promise<number> {
  const [t] = await db.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`${quoted(schema)}.schema_version`]);
  if (!t?.t) return 0;
  const [row] = await db.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${quoted(schema)}.schema_version`);
  return row?.v ?? 0;
}

/**
 * Brings `schema` to `target` (default the newest): run inside a transaction (`db`), which it
 * locks first. Returns the versions applied (none when another process had done it). Throws a
 * StorageVersionError, changing nothing, for a schema newer than this code knows.
 */
export async function migrate(db: Db, schema: string, database: string, target = DB_VERSION): Promise<number[]> {
  const s = quoted(schema);
  await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [migrationLockKey(schema)]);
  // Made only if missing: a role without CREATE on the database may use a schema an administrator made.
  const [ns] = await db.query<{ n: string | null }>('SELECT to_regnamespace($1) AS n', [s]);
  if (!ns?.n) await db.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await db.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const from = await versionOf(db, schema);
  if (from > DB_VERSION) throw new StorageVersionError({ backend: 'postgres', location: database, found: from, expected: DB_VERSION });
  const applied: number[] = [];
  for (let v = from + 1; v <= target; v++) {
    await db.query(MIGRATIONS[v - 1]!(s));
    await db.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [v]);
    applied.push(v);
  }
  return applied;
}
