/**
 * The service's configuration: command-line flags over environment variables (twelve-factor)
 * over defaults, validated once at start. An error names the flag or variable at fault and what
 * was expected, and the service does not start half-configured.
 */
import { z } from 'zod';

/** Where the service keeps everything: a SQLite file (one process) or PostgreSQL (many). */
export type DatabaseTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };

/** What `shopsync serve` runs: the API, the fleet worker, or both in one process. */
export type Role = 'all' | 'api' | 'worker';

/** The validated configuration. */
export interface ServerConfig {
  database: DatabaseTarget;
  role: Role;
  host: string;
  port: number;
  /**
   * Keys that seal credentials and webhook secrets and sign embed tokens: the first seals and
   * signs, all open and verify (rotation). Absent for SQLite: a key file beside the database is
   * made on first start.
   */
  secretKeys?: Array<{ id: string; key: string }>;
  /** Shopify requests go here instead of each store's own domain (the simulator, a proxy). */
  shopifyEndpoint?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Connectors a worker drives at once, and how long each keeps its slot. */
  concurrency: number;
  sliceMs: number;
  /** How long a fleet claim lasts unless renewed (a dead worker's connectors wait this long). */
  claimMs: number;
  /** How often an idle worker looks for work. */
  pollMs: number;
  /** Largest request body of `POST …/changes`, in bytes. */
  maxIngestBytes: number;
  /** Time allowed for requests under way to finish at shutdown. */
  shutdownMs: number;
  /** Webhook retry schedule (ms between attempts); default Standard Webhooks' suggestion. */
  webhookRetryMs?: number[];
}

/** Environment variables, each with the config field it sets. */
export const ENV = {
  SHOPSYNC_DATABASE_URL: 'database',
  SHOPSYNC_ROLE: 'role',
  SHOPSYNC_HOST: 'host',
  // PORT (what platforms set) first; SHOPSYNC_PORT wins over it.
  PORT: 'port',
  SHOPSYNC_PORT: 'port',
  SHOPSYNC_SECRET_KEYS: 'secretKeys',
  SHOPSYNC_SHOPIFY_ENDPOINT: 'shopifyEndpoint',
  SHOPSYNC_LOG_LEVEL: 'logLevel',
  SHOPSYNC_CONCURRENCY: 'concurrency',
  SHOPSYNC_SLICE_MS: 'sliceMs',
  SHOPSYNC_CLAIM_MS: 'claimMs',
  SHOPSYNC_POLL_MS: 'pollMs',
  SHOPSYNC_MAX_INGEST_BYTES: 'maxIngestBytes',
  SHOPSYNC_SHUTDOWN_MS: 'shutdownMs',
  SHOPSYNC_WEBHOOK_RETRY_MS: 'webhookRetryMs',
} as const;

/** Flags of `shopsync serve`, each with the config field it sets. */
export const FLAGS = {
  database: 'database',
  role: 'role',
  host: 'host',
  port: 'port',
  'log-level': 'logLevel',
  concurrency: 'concurrency',
} as const;

/**
 * A whole number written in decimal digits. Not `z.coerce.number()`: it reads "" and " " as 0
 * (`--port ""` would listen on a random port, a blank SHOPSYNC_SHUTDOWN_MS would allow no time
 * to finish), and "0x1F90" or "1e3" as numbers nobody meant.
 */
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number({ error: 'expected a whole number' }).min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));

const databaseSchema = z
  .string()
  .min(1)
  .transform((value, ctx): DatabaseTarget => {
    if (value.startsWith('sqlite:')) {
      const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
      if (!path) ctx.addIssue({ code: 'custom', message: 'expected a file after "sqlite:", e.g. sqlite:./data/shopsync.db' });
      return { kind: 'sqlite', path };
    }
    if (/^postgres(ql)?:\/\//.test(value)) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a PostgreSQL URL such as postgres://user@host:5432/db' });
        return z.NEVER;
      }
      const schema = url.searchParams.get('schema') ?? 'shopsync';
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) ctx.addIssue({ code: 'custom', message: 'expected ?schema= to be lowercase letters, digits and "_" (at most 63)' });
      url.searchParams.delete('schema');
      return { kind: 'postgres', url: url.toString(), schema };
    }
    ctx.addIssue({ code: 'custom', message: 'expected sqlite:<file> or postgres://user@host:5432/db' });
    return z.NEVER;
  });

const secretKeysSchema = z.string().transform((value, ctx) => {
  const keys: Array<{ id: string; key: string }> = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z0-9_-]{1,64}):([A-Za-z0-9+/_-]+={0,2})$/.exec(part);
    if (!m || Buffer.from(m[2]!, 'base64').length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'expected id:key pairs separated by commas, each key 32 bytes in base64 (openssl rand -base64 32), the first one sealing' });
      return z.NEVER;
    }
    keys.push({ id: m[1]!, key: m[2]! });
  }
  if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'expected at least one id:key pair' });
  return keys;
});

const configSchema = z.strictObject({
  database: z.string().default('sqlite:./data/shopsync.db').pipe(databaseSchema),
  role: z.enum(['all', 'api', 'worker'], { error: 'expected all, api or worker' }).default('all'),
  host: z.string().trim().min(1, 'expected a host name or address, e.g. 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  port: int(0, 65_535).default(8080),
  secretKeys: secretKeysSchema.optional(),
  shopifyEndpoint: z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'expected an http(s) origin such as http://127.0.0.1:8081').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected fatal, error, warn, info, debug, trace or silent' }).default('info'),
  concurrency: int(1, 1_000).default(8),
  sliceMs: int(1_000, 86_400_000).default(60_000),
  claimMs: int(3_000, 3_600_000).default(60_000),
  pollMs: int(10, 600_000).default(1_000),
  maxIngestBytes: int(1_024, 1_073_741_824).default(256 * 1024 * 1024),
  shutdownMs: int(0, 600_000).default(30_000),
  webhookRetryMs: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'expected milliseconds separated by commas, e.g. 0,5000,300000')
    .transform((s) => s.split(',').map(Number))
    .optional(),
});

/** A configuration that could not be read: each issue names the flag or variable. */
export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/**
 * Reads the configuration from flags (`--port 8080` as `{ port: '8080' }`) and environment
 * variables; flags win. Throws a ConfigError naming every flag or variable at fault.
 */
export function readConfig(flags: Record<string, string | undefined>, env: Record<string, string | undefined>): ServerConfig {
  const raw: Record<string, string> = {};
  const origin = new Map<string, string>();
  for (const [name, field] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      raw[field] = value;
      origin.set(field, `environment variable ${name}`);
    }
  }
  for (const [flag, field] of Object.entries(FLAGS)) {
    const value = flags[flag];
    if (value !== undefined) {
      raw[field] = value;
      origin.set(field, `--${flag}`);
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${origin.get(String(i.path[0])) ?? String(i.path[0])}: ${i.message}`));
  }
  const c = parsed.data;
  if (c.database.kind === 'postgres' && !c.secretKeys) {
    throw new ConfigError([
      'environment variable SHOPSYNC_SECRET_KEYS: expected on PostgreSQL (every process must seal and sign with the same keys), e.g. SHOPSYNC_SECRET_KEYS=k1:$(openssl rand -base64 32)',
    ]);
  }
  if (c.role !== 'all' && c.database.kind === 'sqlite') {
    throw new ConfigError([`${origin.get('role') ?? '--role'}: expected all on SQLite (one process keeps a SQLite file); use PostgreSQL to run API and workers apart`]);
  }
  const { secretKeys, shopifyEndpoint, webhookRetryMs, ...rest } = c;
  return { ...rest, ...(secretKeys && { secretKeys }), ...(shopifyEndpoint && { shopifyEndpoint }), ...(webhookRetryMs && { webhookRetryMs }) };
}
