/**
 * A running `shopsync serve` for the tests, in this process: the multi-shop Shopify simulator
 * (every *.myshopify.com domain is a shop accepting TOKEN), the service on a free port over a
 * fresh SQLite file or a fresh PostgreSQL schema, API keys made on demand, and a `call` helper
 * that speaks HTTP to it as any client would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SimulatorFleet } from '@shopsync/shopify/simulator';
import { readConfig, startServer, type RunningServer } from '@shopsync/server';
import pg from 'pg';
import { newApiKey } from '../../src/auth/api-keys.js';
import type { Scope } from '../../src/store/types.js';

/** The access token every simulated shop accepts. */
export const TOKEN = 'shpat_harness_token_0123456789';
/** The server the PostgreSQL harness uses. */
export const PG_URL = process.env.SHOPSYNC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Secret keys for PostgreSQL (required there): fixed, test-only. */
export const TEST_SECRET_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

/** An HTTP answer: status, headers, and the body parsed when JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers' fields freely; each asserts what it reads
  body: any;
}

export interface CallOptions {
  /** An API key or embed token sent as Bearer (none: no Authorization header). */
  key?: string;
  /** JSON-encoded unless a string. */
  body?: unknown;
  type?: string;
  headers?: Record<string, string>;
}

export interface Harness {
  url: string;
  server: RunningServer;
  fleet: SimulatorFleet;
  /** A new API key with these scopes (limited to one connector when given). */
  key(scopes: Scope[], connectorId?: string): Promise<string>;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** Makes a connector with credentials set (admin key), on shop `<id>.myshopify.com`. */
  connector(id: string, extra?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  database?: 'sqlite' | 'postgres';
  /** More environment variables for the service's configuration. */
  env?: Record<string, string>;
  role?: 'all' | 'api' | 'worker';
}

/** Sends one request to `url + path`. */
export async function call(url: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers['authorization'] = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= options.type ?? 'application/json';
  }
  const res = await fetch(url + path, { method, headers, ...(body !== undefined && { body }) });
  return answerOf(res, await res.text());
}

/** An answer from a response and its text (the body parsed when it is JSON). */
export function answerOf(res: { status: number; headers: Headers }, text: string): Answer {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Starts the simulator and the service (module comment). */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fleet = await SimulatorFleet.start({ shops: 'any', accessTokens: [TOKEN] });
  let database: string;
  let cleanup: () => Promise<void>;
  if (options.database === 'postgres') {
    const schema = `shopsync_t_server_${randomBytes(5).toString('hex')}`;
    const url = new URL(PG_URL);
    url.searchParams.set('schema', schema);
    database = url.toString();
    cleanup = async () => {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-server-'));
    database = `sqlite:${join(dir, 'shopsync.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const env = {
    SHOPSYNC_SHOPIFY_ENDPOINT: fleet.url,
    SHOPSYNC_POLL_MS: '50',
    SHOPSYNC_LOG_LEVEL: 'silent',
    SHOPSYNC_WEBHOOK_RETRY_MS: '0,100,200',
    ...(options.database === 'postgres' && { SHOPSYNC_SECRET_KEYS: TEST_SECRET_KEYS }),
    ...options.env,
  };
  const config = readConfig({ port: '0', database, ...(options.role && { role: options.role }) }, env);
  const server = await startServer(config);
  const url = server.url ?? '';
  const harness: Harness = {
    url,
    server,
    fleet,
    async key(scopes, connectorId) {
      const { key, record } = newApiKey({ scopes, now: Date.now(), ...(connectorId !== undefined && { connectorId }) });
      await server.services.store.createApiKey(record);
      return key;
    },
    call: (method, path, o) => call(url, method, path, o),
    async connector(id, extra = {}) {
      const admin = await harness.key(['admin']);
      const made = await harness.call('POST', '/v1/connectors', { key: admin, body: { config: { id, shopDomain: `${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.myshopify.com`, apiVersion: '2026-01' }, ...extra } });
      if (made.status !== 201) throw new Error(`connector ${id}: ${made.status} ${made.text}`);
      const creds = await harness.call('PUT', `/v1/connectors/${id}/credentials`, { key: admin, body: { kind: 'token', accessToken: TOKEN } });
      if (creds.status !== 200) throw new Error(`credentials ${id}: ${creds.status} ${creds.text}`);
    },
    async close() {
      await server.close();
      await fleet.close();
      await cleanup();
    },
  };
  return harness;
}

/** Polls `fn` until it returns a truthy value (or fails after `ms`). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 20_000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
