/**
 * Every SQL statement of SqliteServerStore, in one place: the migrations of the `server_*`
 * tables and the statements each operation runs (prepared once, named for what they do).
 *
 * The tables live in the sync storage's file beside @shopsync/sqlite's, whose `user_version`
 * belongs to that storage: these tables keep their version in their own row of `server_meta`
 * (`schema_version`). Arrays are JSON text; times are INTEGER epoch ms.
 */
import type { Database, Statement } from 'better-sqlite3';
import { VERSION_ROW } from './rules.js';

/** Version 1: the whole layout. Orders served by an index: keys and webhooks oldest first, deliveries due first (pending only) and newest first. */
const V1 = `
  CREATE TABLE server_api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    connector_id TEXT,
    name TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX server_api_keys_created ON server_api_keys (created_at, id);
  CREATE TABLE server_settings (
    connector_id TEXT PRIMARY KEY NOT NULL,
    allowed_origins TEXT NOT NULL
  );
  CREATE TABLE server_credentials (
    connector_id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    sealed TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE server_idempotency (
    connector_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (connector_id, key)
  );
  CREATE INDEX server_idempotency_created ON server_idempotency (created_at);
  CREATE TABLE server_webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    connector_id TEXT NOT NULL,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    sealed_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX server_webhooks_connector ON server_webhooks (connector_id, created_at, id);
  CREATE TABLE server_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    webhook_id TEXT NOT NULL,
    connector_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at INTEGER,
    attempts TEXT NOT NULL,
    claimed_by TEXT,
    claim_until INTEGER
  );
  CREATE INDEX server_deliveries_due ON server_deliveries (next_attempt_at, id) WHERE state = 'pending';
  CREATE INDEX server_deliveries_connector ON server_deliveries (connector_id, created_at DESC, id DESC);
  CREATE INDEX server_deliveries_webhook ON server_deliveries (connector_id, webhook_id, created_at DESC, id DESC);
`;

/** The migrations in order: MIGRATIONS[n - 1] brings the tables from version n - 1 to n. Never edit an applied one. */
export const SQLITE_MIGRATIONS: readonly string[] = [V1];

/** The statements of migrate(), run inside one immediate transaction. */
export const META = {
  create: `CREATE TABLE IF NOT EXISTS server_meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)`,
  version: `SELECT value FROM server_meta WHERE name = '${VERSION_ROW}'`,
  setVersion: `INSERT INTO server_meta (name, value) VALUES ('${VERSION_ROW}', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
};

const DUE = `state = 'pending' AND next_attempt_at <= @now AND (claim_until IS NULL OR claim_until <= @now)`;
const OF_CONNECTOR = 'connector_id = @connectorId';
const OF_WEBHOOK = 'connector_id = @connectorId AND webhook_id = @webhookId';

/** The statements of the operations, by name (SQL text). */
const SQL = {
  insertApiKey: `INSERT INTO server_api_keys (id, hash, scopes, connector_id, name, created_at, revoked_at)
    VALUES (@id, @hash, @scopes, @connectorId, @name, @createdAt, @revokedAt)`,
  getApiKey: `SELECT * FROM server_api_keys WHERE id = ?`,
  listApiKeys: `SELECT * FROM server_api_keys ORDER BY created_at, id`,
  revokeApiKey: `UPDATE server_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`,

  getSettings: `SELECT * FROM server_settings WHERE connector_id = ?`,
  putSettings: `INSERT INTO server_settings (connector_id, allowed_origins) VALUES (?, ?)
    ON CONFLICT (connector_id) DO UPDATE SET allowed_origins = excluded.allowed_origins`,
  getCredentials: `SELECT * FROM server_credentials WHERE connector_id = ?`,
  putCredentials: `INSERT INTO server_credentials (connector_id, kind, sealed, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (connector_id) DO UPDATE SET kind = excluded.kind, sealed = excluded.sealed, updated_at = excluded.updated_at`,
  deleteSettings: `DELETE FROM server_settings WHERE connector_id = ?`,
  deleteCredentials: `DELETE FROM server_credentials WHERE connector_id = ?`,
  deleteIdempotency: `DELETE FROM server_idempotency WHERE connector_id = ?`,
  deleteWebhooks: `DELETE FROM server_webhooks WHERE connector_id = ?`,
  deleteDeliveries: `DELETE FROM server_deliveries WHERE connector_id = ?`,

  getIdempotent: `SELECT * FROM server_idempotency WHERE connector_id = ? AND key = ?`,
  startIdempotent: `INSERT INTO server_idempotency (connector_id, key, fingerprint, state, status, body, created_at)
    VALUES (@connectorId, @key, @fingerprint, 'started', NULL, NULL, @createdAt)
    ON CONFLICT (connector_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'started', status = NULL, body = NULL, created_at = excluded.created_at`,
  finishIdempotent: `UPDATE server_idempotency SET state = 'done', status = ?, body = ? WHERE connector_id = ? AND key = ? AND state = 'started'`,
  abandonIdempotent: `DELETE FROM server_idempotency WHERE connector_id = ? AND key = ? AND state = 'started'`,
  pruneIdempotent: `DELETE FROM server_idempotency WHERE created_at < ?`,

  insertWebhook: `INSERT INTO server_webhooks (id, connector_id, url, events, sealed_secret, created_at)
    VALUES (@id, @connectorId, @url, @events, @sealedSecret, @createdAt)`,
  getWebhook: `SELECT * FROM server_webhooks WHERE id = ?`,
  listWebhooks: `SELECT * FROM server_webhooks WHERE connector_id = ? ORDER BY created_at, id`,
  deleteWebhook: `DELETE FROM server_webhooks WHERE id = ?`,

  insertDelivery: `INSERT INTO server_deliveries (id, webhook_id, connector_id, type, payload, created_at, state, next_attempt_at, attempts, claimed_by, claim_until)
    VALUES (@id, @webhookId, @connectorId, @type, @payload, @createdAt, 'pending', @nextAttemptAt, @attempts, NULL, NULL)`,
  claimDeliveries: `UPDATE server_deliveries SET claimed_by = @worker, claim_until = @until
    WHERE id IN (SELECT id FROM server_deliveries WHERE ${DUE} ORDER BY next_attempt_at, id LIMIT @limit)
    RETURNING *`,
  getClaimed: `SELECT * FROM server_deliveries WHERE id = ? AND state = 'pending' AND claimed_by = ?`,
  recordAttempt: `UPDATE server_deliveries SET state = @state, next_attempt_at = @nextAttemptAt, attempts = @attempts, claimed_by = NULL, claim_until = NULL WHERE id = @id`,
  getDelivery: `SELECT * FROM server_deliveries WHERE id = ?`,
  countDeliveries: `SELECT count(*) AS n FROM server_deliveries WHERE ${OF_CONNECTOR}`,
  listDeliveries: `SELECT * FROM server_deliveries WHERE ${OF_CONNECTOR} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
  countWebhookDeliveries: `SELECT count(*) AS n FROM server_deliveries WHERE ${OF_WEBHOOK}`,
  listWebhookDeliveries: `SELECT * FROM server_deliveries WHERE ${OF_WEBHOOK} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
} as const;

/** The prepared statements, by the names of SQL. */
export type Statements = { readonly [K in keyof typeof SQL]: Statement };

/** Prepares every statement on `db` (its tables must exist: after migrate). */
export function prepare(db: Database): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, text]) => [name, db.prepare(text)])) as unknown as Statements;
}
