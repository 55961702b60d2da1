/**
 * `SqliteServerStore`: the ServerStore in the SQLite file of the sync storage (@shopsync/sqlite),
 * on a connection of its own (WAL, a busy timeout, as the sync storage's own pragmas), for a
 * service of one process. Its tables are `server_*`, versioned by their row in `server_meta`
 * (the file's `user_version` is the sync storage's). better-sqlite3 is synchronous: each method
 * runs its statements at once, those of more than one in one transaction (immediate: a writer
 * from the start, so two processes on the file wait on the busy timeout rather than fail midway).
 * The statements are in sqlite-sql.ts; every row read is checked (rows.ts).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite, { type Database, type Transaction } from 'better-sqlite3';
import { ShopsyncError } from '@shopsync/core';
import { rowReaders, SQLITE_CELLS, type RowReaders } from './rows.js';
import { asPending, checkCount, closedError, damagedError, dueFirst, exists, SERVER_SCHEMA_VERSION, VERSION_ROW, versionError, type StorePlace } from './rules.js';
import { META, prepare, SQLITE_MIGRATIONS, type Statements } from './sqlite-sql.js';
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

/** The pragmas of the store's connection: those of @shopsync/sqlite that concern a connection (WAL, waits on a busy file). */
export const SQLITE_PRAGMAS: readonly string[] = ['journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 5000'];

/** Options of `SqliteServerStore.open`. */
export interface SqliteServerStoreOptions {
  /** The database file, the one the sync storage (@shopsync/sqlite) uses; created if missing. */
  path: string;
}

type Row = Record<string, unknown>;
type Next = { state: 'succeeded' | 'failed' } | { state: 'pending'; nextAttemptAt: number };

const isPrimaryKeyConflict = (err: unknown): boolean => (err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

/** The ServerStore in the sync storage's SQLite file (one process). */
export class SqliteServerStore implements ServerStore {
  /** The database file. */
  readonly path: string;
  readonly #db: Database;
  /** The file, as the service's own messages name it. */
  readonly #database: string;
  /** The file, as core's storage errors name it. */
  readonly #where: StorePlace;
  readonly #read: RowReaders;
  /** One transaction wrapper, made once: `immediate(fn)` runs `fn` as a writer from the start. */
  readonly #transaction: Transaction<(fn: () => unknown) => unknown>;
  #statements: Statements | undefined;
  #closed = false;

  private constructor(path: string, db: Database) {
    this.path = path;
    this.#db = db;
    this.#database = `the SQLite file ${path}`;
    this.#where = { backend: 'sqlite', location: path };
    this.#read = rowReaders(SQLITE_CELLS, this.#where);
    this.#transaction = db.transaction((fn: () => unknown) => fn());
  }

  /** Opens a connection to the file (creating it and its folder if missing). Call `migrate()` before the other methods. */
  static open(options: SqliteServerStoreOptions): SqliteServerStore {
    const { path } = options;
    if (typeof path !== 'string' || path.length === 0) throw new ShopsyncError('invalid_input', 'Invalid server store options: path: expected the path of a database file, or ":memory:"');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Sqlite(path);
    try {
      for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteServerStore(path, db);
  }

  #conn(): Database {
    if (this.#closed) throw closedError(this.#where);
    return this.#db;
  }

  /** The prepared statements, made at the first use after migrate() (their tables must exist). */
  get #sql(): Statements {
    const db = this.#conn();
    if (this.#statements) return this.#statements;
    try {
      return (this.#statements = prepare(db));
    } catch (err) {
      if (/no such table/.test((err as Error).message)) throw new ShopsyncError('storage_not_migrated', `The shopsync service's tables are missing in ${this.#database}: call migrate() first.`, { cause: err });
      throw err;
    }
  }

  /** Runs `fn` as one transaction (rolled back if it throws): immediate, or deferred for reads that must see one state. */
  #tx<T>(fn: () => T, mode: 'immediate' | 'deferred' = 'immediate'): T {
    this.#conn();
    return this.#transaction[mode](fn) as T;
  }

  /** Creates or upgrades the `server_*` tables, under an immediate transaction (another process waits). */
  async migrate(): Promise<void> {
    const db = this.#conn();
    this.#tx(() => {
      db.exec(META.create);
      const row = db.prepare(META.version).get() as { value: unknown } | undefined;
      const found = row === undefined ? 0 : row.value;
      if (typeof found !== 'number' || !Number.isSafeInteger(found) || found < 0) {
        throw damagedError(this.#where, { table: 'server_meta', row: `name "${VERSION_ROW}"`, field: 'value', problem: `expected a version number, found ${JSON.stringify(found)}` });
      }
      if (found > SERVER_SCHEMA_VERSION) throw versionError(this.#where, found);
      for (let v = found + 1; v <= SERVER_SCHEMA_VERSION; v++) {
        db.exec(SQLITE_MIGRATIONS[v - 1]!);
        db.prepare(META.setVersion).run(v);
      }
    });
  }

  /** Closes the connection (the file stays, and the sync storage's connection with it). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  async createApiKey(key: ApiKeyRecord): Promise<void> {
    try {
      this.#sql.insertApiKey.run({ id: key.id, hash: key.hash, scopes: JSON.stringify(key.scopes), connectorId: key.connectorId ?? null, name: key.name ?? null, createdAt: key.createdAt, revokedAt: key.revokedAt ?? null });
    } catch (err) {
      throw isPrimaryKeyConflict(err) ? exists('api_key', key.id, err) : err;
    }
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#sql.getApiKey.get(id) as Row | undefined;
    return row && this.#read.apiKey(row);
  }

  async listApiKeys(): Promise<ApiKeyRecord[]> {
    return (this.#sql.listApiKeys.all() as Row[]).map((r) => this.#read.apiKey(r));
  }

  async revokeApiKey(id: string, at: number): Promise<boolean> {
    return this.#sql.revokeApiKey.run(at, id).changes > 0;
  }

  async getSettings(connectorId: string): Promise<ConnectorSettings | undefined> {
    const row = this.#sql.getSettings.get(connectorId) as Row | undefined;
    return row && this.#read.settings(row);
  }

  async putSettings(connectorId: string, settings: ConnectorSettings): Promise<void> {
    this.#sql.putSettings.run(connectorId, JSON.stringify(settings.allowedOrigins));
  }

  async getCredentials(connectorId: string): Promise<SealedCredentials | undefined> {
    const row = this.#sql.getCredentials.get(connectorId) as Row | undefined;
    return row && this.#read.credentials(row);
  }

  async putCredentials(connectorId: string, credentials: SealedCredentials): Promise<void> {
    this.#sql.putCredentials.run(connectorId, credentials.kind, credentials.sealed, credentials.updatedAt);
  }

  async deleteConnectorData(connectorId: string): Promise<void> {
    const s = this.#sql;
    this.#tx(() => {
      for (const st of [s.deleteSettings, s.deleteCredentials, s.deleteIdempotency, s.deleteWebhooks, s.deleteDeliveries]) st.run(connectorId);
    });
  }

  async beginIdempotent(record: IdempotencyRecord, staleBefore: number): Promise<{ created: boolean; record: IdempotencyRecord }> {
    const s = this.#sql;
    return this.#tx(() => {
      const row = s.getIdempotent.get(record.connectorId, record.key) as Row | undefined;
      if (row) {
        const stored = this.#read.idempotency(row);
        if (!(stored.state === 'started' && stored.createdAt < staleBefore)) return { created: false, record: stored };
      }
      s.startIdempotent.run({ connectorId: record.connectorId, key: record.key, fingerprint: record.fingerprint, createdAt: record.createdAt });
      const started: IdempotencyRecord = { connectorId: record.connectorId, key: record.key, fingerprint: record.fingerprint, state: 'started', createdAt: record.createdAt };
      return { created: true, record: started };
    });
  }

  async finishIdempotent(connectorId: string, key: string, status: number, body: string): Promise<void> {
    this.#sql.finishIdempotent.run(status, body, connectorId, key);
  }

  async abandonIdempotent(connectorId: string, key: string): Promise<void> {
    this.#sql.abandonIdempotent.run(connectorId, key);
  }

  async pruneIdempotent(before: number): Promise<number> {
    return this.#sql.pruneIdempotent.run(before).changes;
  }

  async createWebhook(webhook: WebhookRecord): Promise<void> {
    try {
      this.#sql.insertWebhook.run({ id: webhook.id, connectorId: webhook.connectorId, url: webhook.url, events: JSON.stringify(webhook.events), sealedSecret: webhook.sealedSecret, createdAt: webhook.createdAt });
    } catch (err) {
      throw isPrimaryKeyConflict(err) ? exists('webhook', webhook.id, err) : err;
    }
  }

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    const row = this.#sql.getWebhook.get(id) as Row | undefined;
    return row && this.#read.webhook(row);
  }

  async listWebhooks(connectorId: string): Promise<WebhookRecord[]> {
    return (this.#sql.listWebhooks.all(connectorId) as Row[]).map((r) => this.#read.webhook(r));
  }

  async deleteWebhook(id: string): Promise<boolean> {
    return this.#sql.deleteWebhook.run(id).changes > 0;
  }

  async addDeliveries(deliveries: DeliveryRecord[]): Promise<void> {
    const s = this.#sql;
    this.#tx(() => {
      for (const d of deliveries.map(asPending)) {
        try {
          s.insertDelivery.run({ id: d.id, webhookId: d.webhookId, connectorId: d.connectorId, type: d.type, payload: d.payload, createdAt: d.createdAt, nextAttemptAt: d.nextAttemptAt, attempts: JSON.stringify(d.attempts) });
        } catch (err) {
          throw isPrimaryKeyConflict(err) ? exists('delivery', d.id, err) : err;
        }
      }
    });
  }

  async claimDeliveries(request: { worker: string; now: number; leaseMs: number; limit: number }): Promise<DeliveryRecord[]> {
    checkCount('limit', request.limit);
    const s = this.#sql;
    if (request.limit === 0) return [];
    // A damaged row among those claimed throws inside the transaction: the claim is rolled back whole.
    return this.#tx(() => {
      const rows = s.claimDeliveries.all({ worker: request.worker, until: request.now + request.leaseMs, now: request.now, limit: request.limit }) as Row[];
      return rows.map((r) => this.#read.delivery(r)).sort(dueFirst);
    });
  }

  async recordAttempt(id: string, worker: string, attempt: DeliveryAttempt, next: Next): Promise<boolean> {
    const s = this.#sql;
    return this.#tx(() => {
      const row = s.getClaimed.get(id, worker) as Row | undefined;
      if (!row) return false;
      const attempts = [...this.#read.delivery(row).attempts, attempt];
      s.recordAttempt.run({ id, state: next.state, nextAttemptAt: next.state === 'pending' ? next.nextAttemptAt : null, attempts: JSON.stringify(attempts) });
      return true;
    });
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const row = this.#sql.getDelivery.get(id) as Row | undefined;
    return row && this.#read.delivery(row);
  }

  async listDeliveries(query: { connectorId: string; webhookId?: string; offset: number; limit: number }): Promise<StorePage<DeliveryRecord>> {
    checkCount('offset', query.offset);
    checkCount('limit', query.limit);
    const s = this.#sql;
    const [count, list] = query.webhookId === undefined ? [s.countDeliveries, s.listDeliveries] : [s.countWebhookDeliveries, s.listWebhookDeliveries];
    const where = query.webhookId === undefined ? { connectorId: query.connectorId } : { connectorId: query.connectorId, webhookId: query.webhookId };
    // Deferred: the count and the page read one state of the file.
    return this.#tx(() => {
      const { n } = count.get(where) as { n: number };
      const items = (list.all({ ...where, offset: query.offset, limit: query.limit }) as Row[]).map((r) => this.#read.delivery(r));
      return { total: n, items };
    }, 'deferred');
  }
}
