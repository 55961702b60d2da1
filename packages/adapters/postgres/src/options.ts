/**
 * The options of `PostgresStorage.open`, validated with zod: a ValidationError names each field
 * at fault (`storage.schema: …`). Also how the storage describes its database in messages (never
 * with a password), and what a new `pg.Client` needs to reach the same database.
 */
import type pg from 'pg';
import { z } from 'zod';
import { ValidationError } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import type { RetryOptions } from './transaction.js';

/** The default PostgreSQL schema every table lives in. */
export const DEFAULT_SCHEMA = 'shopsync';

/** The default retry of operations after a lost connection: 4 attempts, waits from 50 ms up to 1 s. */
export const DEFAULT_RETRY: Readonly<RetryOptions> = { attempts: 4, baseMs: 50, maxMs: 1_000 };

interface Common {
  /**
   * The PostgreSQL schema every table lives in (created if missing), default `shopsync`:
   * lowercase letters, digits and `_`, starting with a letter or `_`, at most 63 characters.
   * Storages on different schemas of one database share nothing (tests, tenants).
   */
  schema?: string;
  /** Retries after a lost connection (see transaction.ts); default DEFAULT_RETRY. */
  retry?: Partial<RetryOptions>;
}

/** Options of `PostgresStorage.open`: a pool the host supplies (and keeps: `close()` leaves it open), or a URL to make one from. */
export type PostgresStorageOptions =
  | (Common & {
      /** A node-postgres pool of the host's; the storage never ends it. */
      pool: pg.Pool;
      url?: never;
      max?: never;
    })
  | (Common & {
      /** A connection URL, e.g. `postgres://user@host:5432/db`; the storage makes a pool from it, and ends it at `close()`. */
      url: string;
      /** Connections of that pool at most; default 10 (node-postgres's). */
      max?: number;
      pool?: never;
    });

const poolLike = z.custom<pg.Pool>(
  (v) => typeof v === 'object' && v !== null && typeof (v as pg.Pool).connect === 'function' && typeof (v as pg.Pool).query === 'function',
  'expected a pg.Pool (node-postgres)',
);

const common = {
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a PostgreSQL schema name: lowercase letters, digits and "_", starting with a letter or "_", at most 63 characters')
    .default(DEFAULT_SCHEMA),
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(20).optional(),
      baseMs: z.number().int().min(0).max(60_000).optional(),
      maxMs: z.number().int().min(0).max(300_000).optional(),
    })
    .optional(),
};

const poolOptionsSchema = z.strictObject({ pool: poolLike, ...common });
const urlOptionsSchema = z.strictObject({
  url: z.string().regex(/^(postgres|postgresql|socket):/, 'expected a connection URL such as postgres://user@host:5432/database'),
  max: z.number().int().min(1).max(1_000).optional(),
  ...common,
});

/** Options as validated: one of pool or url, the schema, the retry. */
export interface ResolvedOptions {
  pool?: pg.Pool;
  url?: string;
  max?: number;
  schema: string;
  retry: RetryOptions;
}

const WHAT = 'PostgreSQL storage options';

/** Validates the options (a ValidationError names each field at fault). */
export function resolveOptions(input: unknown): ResolvedOptions {
  const has = (key: string) => typeof input === 'object' && input !== null && key in input;
  if (has('pool') === has('url')) {
    const message = has('pool') ? 'give either pool or url, not both' : 'expected pool (a pg.Pool of yours) or url (a connection URL)';
    throw new ValidationError(WHAT, [{ path: 'storage', message }]);
  }
  const o = has('pool') ? parseOrThrow(poolOptionsSchema, input, 'storage', WHAT) : parseOrThrow(urlOptionsSchema, input, 'storage', WHAT);
  return { ...o, retry: { ...DEFAULT_RETRY, ...o.retry } };
}

/** `schema "x" of database "y" on host:port`, from a client config: what messages name. */
export function describeDatabase(schema: string, config: pg.ClientConfig): string {
  let { host, port, database } = config;
  if (config.connectionString) {
    try {
      const u = new URL(config.connectionString);
      host ??= decodeURIComponent(u.hostname) || u.searchParams.get('host') || undefined;
      port ??= u.port ? Number(u.port) : undefined;
      database ??= decodeURIComponent(u.pathname.replace(/^\//, '')) || u.searchParams.get('db') || undefined;
    } catch {
      // Not a URL WHATWG can read (a socket path): named without it.
    }
  }
  const where = typeof host === 'string' && host !== '' ? ` on ${host}${port ? `:${port}` : ''}` : '';
  return `schema "${schema}" of database${database ? ` "${database}"` : ''}${where}`;
}

/** Pool-only settings: a single client neither needs nor accepts them. */
const POOL_ONLY = ['max', 'min', 'idleTimeoutMillis', 'maxUses', 'maxLifetimeSeconds', 'allowExitOnIdle', 'log', 'Client', 'Promise', 'onConnect'] as const;

/** What a new `pg.Client` needs to reach the database a pool reaches (a copy: changing it changes nothing here). */
export function clientConfigOf(pool: pg.Pool): pg.ClientConfig {
  const config: Record<string, unknown> = { ...(pool.options as unknown as Record<string, unknown>) };
  for (const key of POOL_ONLY) delete config[key];
  return config as pg.ClientConfig;
}
