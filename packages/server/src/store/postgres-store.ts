/**
 * `PostgresServerStore`: the ServerStore in the PostgreSQL schema of the sync storage
 * (@shopsync/postgres), shared by many processes, on a pool of the host's (never ended here).
 * Each operation is one statement (its own transaction) where it can be; a claim and an attempt
 * run in a transaction so that a damaged row among those they return rolls them back whole.
 * Deliveries are independent jobs: a claim skips rows another claimant has locked (`FOR UPDATE
 * SKIP LOCKED`) rather than waiting for them. The statements are in postgres-sql.ts; every row
 * read is checked (rows.ts), int8 parsed there from node-postgres's text.
 */
import type pg from 'pg';
import { z } from 'zod';
import { ShopsyncError } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { migrationLockKey, POSTGRES_MIGRATIONS, quoted, statements, type PostgresStatements } from './postgres-sql.js';
import { POSTGRES_CELLS, rowReaders, type RowReaders } from './rows.js';
import { asPending, checkCount, closedError, damagedError, dueFirst, exists, SERVER_SCHEMA_VERSION, VERSION_ROW, versionError, type StorePlace } from './rules.js';
import type {
  ApiKeyRecord,
  ConnectorSettings,
  DeliveryAttempt,
  DeliveryRecord,
  IdempotencyRecord,
  SealedCredentials,
  ServerStore,
  StorePage,
  WebhookRecord,
} from './types.js';

/** The default schema: @shopsync/postgres's. */
export const DEFAULT_SERVER_SCHEMA = 'shopsync';

/** Options of `PostgresServerStore.open`. */
export interface PostgresServerStoreOptions {
  /** A node-postgres pool of the host's, on the database of the sync storage; the store never ends it. */
  pool: pg.Pool;
  /** The schema of the sync storage (default `shopsync`): lowercase letters, digits and `_`, starting with a letter or `_`, at most 63 characters. */
  schema?: string;
}

const optionsSchema = z.strictObject({
  pool: z.custom<pg.Pool>((v) => typeof v === 'object' && v !== null && typeof (v as pg.Pool).connect === 'function' && typeof (v as pg.Pool).query === 'function', 'expected a pg.Pool (node-postgres)'),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a PostgreSQL schema name: lowercase letters, digits and "_", starting with a letter or "_", at most 63 characters')
    .default(DEFAULT_SERVER_SCHEMA),
});

type Row = Record<string, unknown>;
type Query = (text: string, values?: unknown[]) => Promise<Row[]>;
type Next = { state: 'succeeded' | 'failed' } | { state: 'pending'; nextAttemptAt: number };

/** The id a unique violation (23505) names in its detail, `Key (id)=(msg_1) already exists.`, if it is one. */
function conflictId(err: unknown): string | undefined {
  const e = err as { code?: unknown; detail?: unknown };
  if (e.code !== '23505') return undefined;
  return (typeof e.detail === 'string' ? /^Key \(id\)=\((.*)\) already exists/.exec(e.detail)?.[1] : undefined) ?? '';
}

/** The ServerStore in the sync storage's PostgreSQL schema (many processes). */
export class PostgresServerStore implements ServerStore {
  /** The schema the tables live in. */
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #sql: PostgresStatements;
  /** The schema, as errors name it (no credentials). */
  readonly #where: StorePlace;
  readonly #read: RowReaders;
  #closed = false;

  private constructor(pool: pg.Pool, schema: string) {
    this.#pool = pool;
    this.schema = schema;
    this.#sql = statements(quoted(schema));
    const db = (pool as { options?: { database?: unknown } }).options?.database;
    this.#where = { backend: 'postgres', location: `schema "${schema}"${typeof db === 'string' ? ` of PostgreSQL database "${db}"` : ' of PostgreSQL'}` };
    this.#read = rowReaders(POSTGRES_CELLS, this.#where);
  }

  /** A store on the host's pool and schema (options checked: a ValidationError names the field). Connects at the first call; call `migrate()` first. */
  static open(options: PostgresServerStoreOptions): PostgresServerStore {
    const o = parseOrThrow(optionsSchema, options, '', 'PostgreSQL server store options');
    return new PostgresServerStore(o.pool, o.schema);
  }

  #open(): void {
    if (this.#closed) throw closedError(this.#where);
  }

  /** One statement, its own transaction. */
  readonly #query: Query = async (text, values) => {
    this.#open();
    return (await this.#pool.query<Row>(text, values)).rows;
  };

  /** Runs `fn` in one transaction on one connection: committed if it returns, rolled back if it throws. */
  async #tx<T>(fn: (query: Query) => Promise<T>): Promise<T> {
    this.#open();
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const out = await fn(async (text, values) => (await client.query<Row>(text, values)).rows);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      // A connection that could not roll back is dropped, not given back to the pool.
      client.release(broken);
    }
  }

  /** The version `server_meta` holds (0 without the row), checked. */
  #versionOf(rows: Row[]): number {
    const value = rows[0]?.value ?? 0;
    const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
    throw damagedError(this.#where, { table: 'server_meta', row: `name "${VERSION_ROW}"`, field: 'value', problem: `expected a version number, found ${JSON.stringify(value)}` });
  }

  /**
   * Creates or upgrades the tables (and the schema if missing). Up to date: only read, no lock.
   * Else in one transaction under an advisory lock on the schema (see migrationLockKey): ten
   * processes at once migrate it once, the others wait and find it done.
   */
  async migrate(): Promise<void> {
    const s = this.#sql;
    const [meta] = await this.#query(s.metaTable);
    if (meta?.t) {
      const found = this.#versionOf(await this.#query(s.version));
      if (found > SERVER_SCHEMA_VERSION) throw versionError(this.#where, found);
      if (found === SERVER_SCHEMA_VERSION) return;
    }
    await this.#tx(async (q) => {
      await q(s.lock, [migrationLockKey(this.schema)]);
      // Made only if missing: a role without CREATE on the database may use a schema an administrator made.
      const [ns] = await q(s.schemaExists, [quoted(this.schema)]);
      if (!ns?.n) await q(s.createSchema);
      await q(s.createMeta);
      const found = this.#versionOf(await q(`${s.version} FOR UPDATE`));
      if (found > SERVER_SCHEMA_VERSION) throw versionError(this.#where, found);
      for (let v = found + 1; v <= SERVER_SCHEMA_VERSION; v++) {
        await q(POSTGRES_MIGRATIONS[v - 1]!(quoted(this.schema)));
        await q(s.setVersion, [v]);
      }
    });
  }

  /** Closes the store: later calls throw `storage_closed`. The host's pool stays open. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    try {
      await this.#query(this.#sql.insertApiKey, [key.id, key.hash, JSON.stringify(key.scopes), key.connectorId ?? null, key.name ?? null, key.createdAt, key.revokedAt ?? null]);
    } catch (err) {
      throw conflictId(err) === undefined ? err : exists('api_key', key.id, err);
    }
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.#query(this.#sql.getApiKey, [id]);
    return row && this.#read.apiKey(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (await this.#query(this.#sql.listApiKeys)).map((r) => this.#read.apiKey(r));
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    this.#open();
    return ((await this.#pool.query(this.#sql.revokeApiKey, [id, at])).rowCount ?? 0) > 0;
  }

  async getSettings(connectorId: string): Promise<ConnectorSettings | undefined> {
    const [row] = await this.#query(this.#sql.getSettings, [connectorId]);
    return row && this.#read.settings(row);
  }

  async putSettings(connectorId: string, settings: ConnectorSettings): Promise<void> {
    await this.#query(this.#sql.putSettings, [connectorId, JSON.stringify(settings.allowedOrigins)]);
  }

  async getCredentials(connectorId: string): Promise<SealedCredentials | undefined> {
    const [row] = await this.#query(this.#sql.getCredentials, [connectorId]);
    return row && this.#read.credentials(row);
  }

  async putCredentials(connectorId: string, credentials: SealedCredentials): Promise<void> {
    await this.#query(this.#sql.putCredentials, [connectorId, credentials.kind, credentials.sealed, credentials.updatedAt]);
  }

  async deleteConnectorData(connectorId: string): Promise<void> {
    await this.#query(this.#sql.deleteConnectorData, [connectorId]);
  }

  async beginIdempotent(record: IdempotencyRecord, staleBefore: number): Promise<{ created: boolean; record: IdempotencyRecord }> {
    const s = this.#sql;
    // The stored record may be abandoned between the two statements: then the insert is tried again.
    for (let attempt = 1; ; attempt++) {
      const [started] = await this.#query(s.startIdempotent, [record.connectorId, record.key, record.fingerprint, record.createdAt, staleBefore]);
      if (started) return { created: true, record: this.#read.idempotency(started) };
      const [stored] = await this.#query(s.getIdempotent, [record.connectorId, record.key]);
      if (stored) return { created: false, record: this.#read.idempotency(stored) };
      if (attempt >= 5) throw new ShopsyncError('storage_conflict', `The idempotency record of key ${JSON.stringify(record.key)} kept changing while it was read (${attempt} attempts); try the request again.`);
    }
  }

  async finishIdempotent(connectorId: string, key: string, status: number, body: string): Promise<void> {
    await this.#query(this.#sql.finishIdempotent, [connectorId, key, status, body]);
  }

  async abandonIdempotent(connectorId: string, key: string): Promise<void> {
    await this.#query(this.#sql.abandonIdempotent, [connectorId, key]);
  }

  async pruneIdempotent(before: number): Promise<number> {
    this.#open();
    return (await this.#pool.query(this.#sql.pruneIdempotent, [before])).rowCount ?? 0;
  }

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    try {
      await this.#query(this.#sql.insertWebhook, [webhook.id, webhook.connectorId, webhook.url, JSON.stringify(webhook.events), webhook.sealedSecret, webhook.createdAt]);
    } catch (err) {
      throw conflictId(err) === undefined ? err : exists('webhook', webhook.id, err);
    }
  }

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    const [row] = await this.#query(this.#sql.getWebhook, [id]);
    return row && this.#read.webhook(row);
  }

  async listWebhooks(connectorId: string): Promise<WebhookRecord[]> {
    return (await this.#query(this.#sql.listWebhooks, [connectorId])).map((r) => this.#read.webhook(r));
  }

  async deleteWebhook(id: string): Promise<boolean> {
    this.#open();
    return ((await this.#pool.query(this.#sql.deleteWebhook, [id])).rowCount ?? 0) > 0;
  }

  async addDeliveries(deliveries: DeliveryRecord[]): Promise<void> {
    if (deliveries.length === 0) return this.#open();
    const rows = deliveries.map(asPending).map((d) => ({
      id: d.id,
      webhook_id: d.webhookId,
      connector_id: d.connectorId,
      type: d.type,
      payload: d.payload,
      created_at: d.createdAt,
      next_attempt_at: d.nextAttemptAt,
      attempts: d.attempts,
    }));
    try {
      await this.#query(this.#sql.insertDeliveries, [JSON.stringify(rows)]);
    } catch (err) {
      const id = conflictId(err);
      throw id === undefined ? err : exists('delivery', id || deliveries[0]!.id, err);
    }
  }

  async claimDeliveries(request: { worker: string; now: number; leaseMs: number; limit: number }): Promise<DeliveryRecord[]> {
    checkCount('limit', request.limit);
    if (request.limit === 0) return (this.#open(), []);
    // A damaged row among those claimed throws inside the transaction: the claim is rolled back whole.
    return this.#tx(async (q) => {
      const rows = await q(this.#sql.claimDeliveries, [request.now, request.limit, request.worker, request.now + request.leaseMs]);
      return rows.map((r) => this.#read.delivery(r)).sort(dueFirst);
    });
  }

  async recordAttempt(id: string, worker: string, attempt: DeliveryAttempt, next: Next): Promise<boolean> {
    return this.#tx(async (q) => {
      const [row] = await q(this.#sql.recordAttempt, [id, worker, next.state, next.state === 'pending' ? next.nextAttemptAt : null, JSON.stringify(attempt)]);
      if (!row) return false;
      this.#read.delivery(row); // what was written is checked: a damaged row rolls the attempt back.
      return true;
    });
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const [row] = await this.#query(this.#sql.getDelivery, [id]);
    return row && this.#read.delivery(row);
  }

  async listDeliveries(query: { connectorId: string; webhookId?: string; offset: number; limit: number }): Promise<StorePage<DeliveryRecord>> {
    checkCount('offset', query.offset);
    checkCount('limit', query.limit);
    const webhook = query.webhookId !== undefined;
    const values: unknown[] = [query.connectorId, query.limit, query.offset, ...(webhook ? [query.webhookId] : [])];
    const rows = await this.#query(this.#sql.listDeliveries(webhook), values);
    const total = Number(rows[0]?.total ?? 0);
    return { total, items: rows.filter((r) => r.id !== null).map((r) => this.#read.delivery(r)) };
  }
}
