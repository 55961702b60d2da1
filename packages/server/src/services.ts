/**
 * The parts of a running service, opened once from its configuration: the sync storage (SQLite
 * or PostgreSQL), the connector registry on it, the service's own store on the same database,
 * the secret box and embed tokens from the secret keys, and what tells the worker(s) about
 * changes made through the API (`FleetControl`).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConnectorRegistry, type StorageAdapter } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { SecretBox } from '@shopsync/shopify';
import { SqliteStorage } from '@shopsync/sqlite';
import pg from 'pg';
import type { Logger } from 'pino';
import { EmbedTokens } from './auth/embed-tokens.js';
import type { ServerConfig } from './config/config.js';
import { EngineDirectory } from './live/engine-directory.js';
import { PostgresServerStore } from './store/postgres-store.js';
import { SqliteServerStore } from './store/sqlite-store.js';
import type { ServerStore } from './store/types.js';

/** Tells whoever runs connectors what the API changed. */
export interface FleetControl {
  /** A run was asked for: the connector is claimable now. */
  runRequested(connectorId: string): Promise<void>;
  /** The connector was enabled or disabled: a run under way pauses, a paused one resumes. */
  enabledChanged(connectorId: string, enabled: boolean): Promise<void>;
  /** Changes were queued. */
  changesQueued(connectorId: string): void;
}

/** The service's parts (module comment). */
export interface Services {
  config: ServerConfig;
  log: Logger;
  clock: { now(): number };
  storage: StorageAdapter;
  /** The same storage when it is PostgreSQL (live sources, commands). */
  postgres?: PostgresStorage;
  registry: ConnectorRegistry;
  store: ServerStore;
  box: SecretBox;
  secretKeys: Array<{ id: string; key: string }>;
  tokens: EmbedTokens;
  /** Engines running in this process (the worker's), for live panels and commands. */
  engines: EngineDirectory;
  control: FleetControl;
  /** Whether the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The secret keys: configured, or for SQLite a key file beside the database, made on first
 * start (0600), so that `shopsync serve` needs no setup; its path is logged, never the key.
 */
function secretKeysOf(config: ServerConfig, log: Logger): Array<{ id: string; key: string }> {
  if (config.secretKeys) return config.secretKeys;
  if (config.database.kind !== 'sqlite') throw new Error('SHOPSYNC_SECRET_KEYS is required on PostgreSQL');
  const file = config.database.path === ':memory:' ? undefined : join(dirname(config.database.path), 'shopsync.secret-key');
  if (!file) return [{ id: 'local', key: randomBytes(32).toString('base64') }];
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      log.warn({ file }, 'No SHOPSYNC_SECRET_KEYS set: made a secret key file beside the database. Keep it with the database (credentials are sealed with it), or set SHOPSYNC_SECRET_KEYS.');
    } catch (err) {
      // Another process (a `keys create` beside a first `serve`) made it first: use theirs.
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
  chmodSync(file, 0o600);
  const [id, key] = readFileSync(file, 'utf8').trim().split(':');
  if (!id || !key || Buffer.from(key, 'base64').length !== 32) throw new Error(`The secret key file ${file} is damaged: expected "id:base64 of 32 bytes".`);
  return [{ id, key }];
}

/** Opens the storage, the registry, the service's store and the keys; `migrate` first if asked. */
export async function openServices(config: ServerConfig, log: Logger, options: { control?: (s: Omit<Services, 'control'>) => FleetControl } = {}): Promise<Services> {
  const clock = { now: () => Date.now() };
  const secretKeys = secretKeysOf(config, log);
  let storage: StorageAdapter;
  let postgres: PostgresStorage | undefined;
  let store: ServerStore;
  let pool: pg.Pool | undefined;
  if (config.database.kind === 'sqlite') {
    if (config.database.path !== ':memory:') mkdirSync(dirname(config.database.path), { recursive: true });
    storage = SqliteStorage.open({ path: config.database.path });
    store = SqliteServerStore.open({ path: config.database.path });
  } else {
    pool = new pg.Pool({ connectionString: config.database.url, max: 10, application_name: `shopsync-${config.role}` });
    // An idle connection that breaks is dropped by the pool; without a listener its 'error' would end the process.
    pool.on('error', (err) => log.warn({ err: err.message }, 'A pooled PostgreSQL connection broke; it is replaced.'));
    postgres = await PostgresStorage.open({ pool, schema: config.database.schema });
    storage = postgres;
    store = PostgresServerStore.open({ pool, schema: config.database.schema });
  }
  await store.migrate();
  const base = {
    config,
    log,
    clock,
    storage,
    ...(postgres && { postgres }),
    registry: new ConnectorRegistry(storage),
    store,
    box: SecretBox.create(secretKeys),
    secretKeys,
    tokens: new EmbedTokens(secretKeys),
    engines: new EngineDirectory(),
    async ping() {
      if (pool) await pool.query('SELECT 1');
      else await storage.pendingCounts('shopsync-readiness');
    },
    async close() {
      await store.close();
      await storage.close();
      await pool?.end();
    },
  };
  const control = options.control?.(base) ?? localControl(base);
  return { ...base, control };
}

/**
 * FleetControl in one process (SQLite, or PostgreSQL with API and worker together): the run
 * request is stored, and a running engine is told directly; on PostgreSQL the other processes
 * are told too (NOTIFY), so an API process reaches the worker that runs the connector.
 */
export function localControl(s: Omit<Services, 'control'>): FleetControl {
  return {
    async runRequested(connectorId) {
      await s.storage.requestRun(connectorId, s.clock.now());
      s.engines.wakeRunners();
    },
    async enabledChanged(connectorId, enabled) {
      await s.engines.get(connectorId)?.setEnabled(enabled);
      await s.postgres?.sendCommand(connectorId, { type: 'setEnabled', enabled });
    },
    changesQueued() {
      s.engines.wakeRunners();
    },
  };
}
