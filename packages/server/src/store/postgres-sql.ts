/**
 * Every SQL statement of PostgresServerStore, in one place: the migrations of the `server_*`
 * tables, the lock they run under, and the statement each operation runs, for a schema.
 *
 * The tables live in the schema of the sync storage (@shopsync/postgres), whose `schema_version`
 * table is that storage's: these tables keep their version in their own row of `server_meta`
 * (`schema_version`). Arrays are jsonb; times bigint epoch ms; ids `COLLATE "C"` (byte order,
 * as the other stores sort them).
 */
import { createHash } from 'node:crypto';
import { VERSION_ROW } from './rules.js';

/** A schema name as an SQL identifier (names are checked at open: lowercase, digits, `_`). */
export const quoted = (schema: string): string => `"${schema.replaceAll('"', '""')}"`;

/**
 * The advisory lock key of migrations in `schema`: the first 8 bytes of SHA-256 of
 * `shopsync:migrate:<schema>`, as a signed bigint (text). It is the key @shopsync/postgres's own
 * migrations take, on purpose: the sync storage and this store may both find the schema missing
 * and create it, and two concurrent `CREATE SCHEMA IF NOT EXISTS` can fail with a duplicate key;
 * one lock makes them wait for each other instead.
 */
export function migrationLockKey(schema: string): string {
  return createHash('sha256').update(`shopsync:migrate:${schema}`).digest().readBigInt64BE(0).toString();
}

/** Version 1: the whole layout. Orders served by an index: keys and webhooks oldest first, deliveries due first (pending only) and newest first. */
const V1 = (s: string): string => `
  CREATE TABLE ${s}.server_api_keys (
    id text COLLATE "C" PRIMARY KEY,
    hash text NOT NULL,
    scopes jsonb NOT NULL,
    connector_id text COLLATE "C",
    name text,
    created_at bigint NOT NULL,
    revoked_at bigint
  );
  CREATE INDEX server_api_keys_created ON ${s}.server_api_keys (created_at, id);
  CREATE TABLE ${s}.server_settings (
    connector_id text COLLATE "C" PRIMARY KEY,
    allowed_origins jsonb NOT NULL
  );
  CREATE TABLE ${s}.server_credentials (
    connector_id text COLLATE "C" PRIMARY KEY,
    kind text NOT NULL,
    sealed text NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE ${s}.server_idempotency (
    connector_id text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    fingerprint text NOT NULL,
    state text NOT NULL,
    status integer,
    body text,
    created_at bigint NOT NULL,
    PRIMARY KEY (connector_id, key)
  );
  CREATE INDEX server_idempotency_created ON ${s}.server_idempotency (created_at);
  CREATE TABLE ${s}.server_webhooks (
    id text COLLATE "C" PRIMARY KEY,
    connector_id text COLLATE "C" NOT NULL,
    url text NOT NULL,
    events jsonb NOT NULL,
    sealed_secret text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX server_webhooks_connector ON ${s}.server_webhooks (connector_id, created_at, id);
  CREATE TABLE ${s}.server_deliveries (
    id text COLLATE "C" PRIMARY KEY,
    webhook_id text COLLATE "C" NOT NULL,
    connector_id text COLLATE "C" NOT NULL,
    type text NOT NULL,
    payload text NOT NULL,
    created_at bigint NOT NULL,
    state text NOT NULL,
    next_attempt_at bigint,
    attempts jsonb NOT NULL,
    claimed_by text COLLATE "C",
    claim_until bigint
  );
  CREATE INDEX server_deliveries_due ON ${s}.server_deliveries (next_attempt_at, id) WHERE state = 'pending';
  CREATE INDEX server_deliveries_connector ON ${s}.server_deliveries (connector_id, created_at DESC, id DESC);
  CREATE INDEX server_deliveries_webhook ON ${s}.server_deliveries (connector_id, webhook_id, created_at DESC, id DESC);
`;

/** The migrations in order: MIGRATIONS[n - 1] brings the tables from version n - 1 to n. Never edit an applied one. */
export const POSTGRES_MIGRATIONS: ReadonlyArray<(s: string) => string> = [V1];

const DELIVERY_FILTER = (webhook: boolean): string => `connector_id = $1${webhook ? ' AND webhook_id = $4' : ''}`;

/** The statements of a schema's store (`s` quoted), by name. Parameters are numbered as each operation passes them. */
export function statements(s: string) {
  return {
    // migrate(): the fast check (no lock), then the locked upgrade.
    metaTable: `SELECT to_regclass('${s}.server_meta') AS t`,
    lock: `SELECT pg_advisory_xact_lock($1::bigint)`,
    schemaExists: `SELECT to_regnamespace($1) AS n`,
    createSchema: `CREATE SCHEMA IF NOT EXISTS ${s}`,
    createMeta: `CREATE TABLE IF NOT EXISTS ${s}.server_meta (name text COLLATE "C" PRIMARY KEY, value bigint NOT NULL)`,
    version: `SELECT value FROM ${s}.server_meta WHERE name = '${VERSION_ROW}'`,
    setVersion: `INSERT INTO ${s}.server_meta (name, value) VALUES ('${VERSION_ROW}', $1) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,

    insertApiKey: `INSERT INTO ${s}.server_api_keys (id, hash, scopes, connector_id, name, created_at, revoked_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)`,
    getApiKey: `SELECT * FROM ${s}.server_api_keys WHERE id = $1`,
    listApiKeys: `SELECT * FROM ${s}.server_api_keys ORDER BY created_at, id`,
    revokeApiKey: `UPDATE ${s}.server_api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,

    getSettings: `SELECT * FROM ${s}.server_settings WHERE connector_id = $1`,
    putSettings: `INSERT INTO ${s}.server_settings (connector_id, allowed_origins) VALUES ($1, $2::jsonb)
      ON CONFLICT (connector_id) DO UPDATE SET allowed_origins = excluded.allowed_origins`,
    getCredentials: `SELECT * FROM ${s}.server_credentials WHERE connector_id = $1`,
    putCredentials: `INSERT INTO ${s}.server_credentials (connector_id, kind, sealed, updated_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (connector_id) DO UPDATE SET kind = excluded.kind, sealed = excluded.sealed, updated_at = excluded.updated_at`,
    // One statement: every data-modifying WITH runs to completion, all in the statement's transaction.
    deleteConnectorData: `WITH a AS (DELETE FROM ${s}.server_settings WHERE connector_id = $1),
      b AS (DELETE FROM ${s}.server_credentials WHERE connector_id = $1),
      c AS (DELETE FROM ${s}.server_idempotency WHERE connector_id = $1),
      d AS (DELETE FROM ${s}.server_webhooks WHERE connector_id = $1)
      DELETE FROM ${s}.server_deliveries WHERE connector_id = $1`,

    // Inserted, or taken over when `started` before $5 (stale); nothing returned when the stored record stays.
    startIdempotent: `INSERT INTO ${s}.server_idempotency AS i (connector_id, key, fingerprint, state, status, body, created_at)
      VALUES ($1, $2, $3, 'started', NULL, NULL, $4)
      ON CONFLICT (connector_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'started', status = NULL, body = NULL, created_at = excluded.created_at
        WHERE i.state = 'started' AND i.created_at < $5
      RETURNING i.*`,
    getIdempotent: `SELECT * FROM ${s}.server_idempotency WHERE connector_id = $1 AND key = $2`,
    finishIdempotent: `UPDATE ${s}.server_idempotency SET state = 'done', status = $3, body = $4 WHERE connector_id = $1 AND key = $2 AND state = 'started'`,
    abandonIdempotent: `DELETE FROM ${s}.server_idempotency WHERE connector_id = $1 AND key = $2 AND state = 'started'`,
    pruneIdempotent: `DELETE FROM ${s}.server_idempotency WHERE created_at < $1`,

    insertWebhook: `INSERT INTO ${s}.server_webhooks (id, connector_id, url, events, sealed_secret, created_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6)`,
    getWebhook: `SELECT * FROM ${s}.server_webhooks WHERE id = $1`,
    listWebhooks: `SELECT * FROM ${s}.server_webhooks WHERE connector_id = $1 ORDER BY created_at, id`,
    deleteWebhook: `DELETE FROM ${s}.server_webhooks WHERE id = $1`,

    // $1: the deliveries as a JSON array of rows (one statement, all or none).
    insertDeliveries: `INSERT INTO ${s}.server_deliveries (id, webhook_id, connector_id, type, payload, created_at, state, next_attempt_at, attempts)
      SELECT id, webhook_id, connector_id, type, payload, created_at, 'pending', next_attempt_at, attempts
      FROM jsonb_to_recordset($1::jsonb) AS x(id text, webhook_id text, connector_id text, type text, payload text, created_at bigint, next_attempt_at bigint, attempts jsonb)`,
    // $1 now, $2 limit, $3 worker, $4 claim end. Rows another claimant holds locked are skipped, not waited for;
    // a row updated meanwhile is checked again against the WHERE once locked (READ COMMITTED), so a live claim is never taken.
    claimDeliveries: `WITH due AS (
        SELECT id FROM ${s}.server_deliveries
        WHERE state = 'pending' AND next_attempt_at <= $1 AND (claim_until IS NULL OR claim_until <= $1)
        ORDER BY next_attempt_at, id
        FOR UPDATE SKIP LOCKED
        LIMIT $2)
      UPDATE ${s}.server_deliveries AS d SET claimed_by = $3, claim_until = $4
      FROM due WHERE d.id = due.id
      RETURNING d.*`,
    // $1 id, $2 worker, $3 state, $4 next due time (pending only), $5 the attempt (JSON).
    recordAttempt: `UPDATE ${s}.server_deliveries
      SET state = $3, next_attempt_at = $4, attempts = attempts || jsonb_build_array($5::jsonb), claimed_by = NULL, claim_until = NULL
      WHERE id = $1 AND state = 'pending' AND claimed_by = $2
      RETURNING *`,
    getDelivery: `SELECT * FROM ${s}.server_deliveries WHERE id = $1`,
    // $1 connector, $2 limit, $3 offset (, $4 webhook). One statement, so the total and the page see one state;
    // the page is joined on the side, so an empty page still answers the total (its columns null).
    listDeliveries: (webhook: boolean): string => `SELECT t.total, p.* FROM (SELECT count(*) AS total FROM ${s}.server_deliveries WHERE ${DELIVERY_FILTER(webhook)}) AS t
      LEFT JOIN LATERAL (SELECT * FROM ${s}.server_deliveries WHERE ${DELIVERY_FILTER(webhook)} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3) AS p ON true`,
  };
}

/** The statements of one schema (see `statements`). */
export type PostgresStatements = ReturnType<typeof statements>;
