#!/usr/bin/env node
/**
 * The `shopsync` command: `serve`, `keys create|list|revoke`, `migrate`, `openapi`, with
 * `--help` everywhere. Flags override environment variables (SHOPSYNC_*); a bad value stops it
 * with a message naming the flag or variable. Exit codes: 0 done, 1 failed, 2 usage.
 */
import { parseArgs } from 'node:util';
import { ConfigError, readConfig, type ServerConfig } from '../config/config.js';
import { newApiKey } from '../auth/api-keys.js';
import { createLogger, openApiDocument, startServer, VERSION } from '../serve.js';
import { openServices } from '../services.js';
import type { Scope } from '../store/types.js';

const HELP: Record<string, string> = {
  main: `shopsync ${VERSION}: keep Shopify catalogs in sync from an ERP, as a service.

Usage: shopsync <command> [options]

Commands:
  serve                 Run the REST API and a fleet worker (see shopsync serve --help)
  keys create|list|revoke   Manage API keys
  migrate               Create or upgrade the database's tables, then exit
  openapi               Print the OpenAPI 3.1 document of the API

Every command takes --database URL (default sqlite:./data/shopsync.db) and --help.
Environment: SHOPSYNC_DATABASE_URL, SHOPSYNC_SECRET_KEYS, SHOPSYNC_PORT (or PORT), SHOPSYNC_HOST,
SHOPSYNC_ROLE, SHOPSYNC_SHOPIFY_ENDPOINT, SHOPSYNC_LOG_LEVEL, SHOPSYNC_CONCURRENCY, SHOPSYNC_SLICE_MS,
SHOPSYNC_CLAIM_MS, SHOPSYNC_POLL_MS, SHOPSYNC_MAX_INGEST_BYTES, SHOPSYNC_SHUTDOWN_MS,
SHOPSYNC_WEBHOOK_RETRY_MS. Flags win over the environment.
`,
  serve: `Usage: shopsync serve [--port N] [--host H] [--database URL] [--role all|api|worker]
                      [--log-level L] [--concurrency N]

Runs the REST API (/v1, OpenAPI at /v1/openapi.json) and a fleet worker in one process.
  --database URL   sqlite:./data/shopsync.db (default; one process) or postgres://user@host:5432/db[?schema=name]
  --role ROLE      all (default), api or worker: on PostgreSQL, run several of each to scale out
  --port N         default 8080 (SHOPSYNC_PORT, PORT); 0 picks a free port
  --host H         default 127.0.0.1; 0.0.0.0 to listen on every interface
  --log-level L    fatal, error, warn, info (default), debug, trace or silent
  --concurrency N  connectors a worker drives at once (default 8)
On PostgreSQL, SHOPSYNC_SECRET_KEYS=id:base64key[,…] is required (openssl rand -base64 32); on SQLite a
key file is made beside the database when none is set. Stops gracefully on SIGTERM or SIGINT.
`,
  keys: `Usage:
  shopsync keys create --scopes ingest,read,admin [--connector ID] [--name NAME]
      Prints a new API key once (it is stored hashed: keep it now). admin includes the others.
  shopsync keys list      Lists keys (id, scopes, connector, name, created, revoked), never the keys
  shopsync keys revoke ID Revokes a key at once
Each takes --database URL.
`,
  migrate: `Usage: shopsync migrate [--database URL]

Creates or upgrades every table (the sync storage's and the service's), then exits. Safe to run from
several processes at once; serve does it too.
`,
  openapi: `Usage: shopsync openapi

Prints the OpenAPI 3.1 document of the REST API (the one served at /v1/openapi.json), to generate
clients in other languages.
`,
};

class UsageError extends Error {}

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function parse<O extends Record<string, { type: 'string' }>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, database: { type: 'string' }, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function configFrom(values: Record<string, unknown>, extra: Record<string, string | undefined> = {}): ServerConfig {
  const flags: Record<string, string | undefined> = { database: values['database'] as string | undefined, ...extra };
  return readConfig(flags, process.env);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parse(args, { port: { type: 'string' }, host: { type: 'string' }, role: { type: 'string' }, 'log-level': { type: 'string' }, concurrency: { type: 'string' } });
  if (values.help) return void out(HELP['serve']!);
  const config = configFrom(values, { port: values.port, host: values.host, role: values.role, 'log-level': values['log-level'], concurrency: values.concurrency });
  const log = createLogger(config.logLevel);
  const server = await startServer(config, { log });
  let signals = 0;
  const stop = (signal: string) => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, 'Second signal: exiting now');
      process.exit(1);
    }
    log.info({ signal }, 'Signal received');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function keys(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { scopes: { type: 'string' }, connector: { type: 'string' }, name: { type: 'string' } });
  const [verb, id] = positionals;
  if (values.help || !verb) return void out(HELP['keys']!);
  // Usage is checked before the database is opened (or made): a typo makes no files.
  if (verb !== 'create' && verb !== 'list' && verb !== 'revoke') throw new UsageError(`keys: unknown command "${verb}" (create, list or revoke)`);
  if (verb === 'revoke' && !id) throw new UsageError('keys revoke: expected the key id (shopsync keys list shows them)');
  const scopes = (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (verb === 'create') {
    const bad = scopes.filter((s) => !['ingest', 'read', 'admin'].includes(s));
    if (scopes.length === 0 || bad.length) throw new UsageError(`--scopes: expected a comma-separated list of ingest, read, admin${bad.length ? ` (not ${bad.join(', ')})` : ''}`);
    if (values.connector !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(values.connector)) throw new UsageError('--connector: expected a connector id (1-64 letters, digits, "_", "." or "-")');
    if (values.name !== undefined && (values.name.length === 0 || values.name.length > 100)) throw new UsageError('--name: expected 1-100 characters');
  }
  const config = configFrom(values, { 'log-level': 'warn' });
  const services = await openServices({ ...config, logLevel: 'warn' }, createLogger('warn', process.stderr as never));
  try {
    if (verb === 'create') {
      const { key, record } = newApiKey({ scopes: scopes as Scope[], now: Date.now(), ...(values.connector && { connectorId: values.connector }), ...(values.name && { name: values.name }) });
      await services.store.createApiKey(record);
      process.stderr.write(`API key ${record.id} (${record.scopes.join(', ')}${record.connectorId ? `, connector ${record.connectorId}` : ''}). It is shown once; store it now:\n`);
      out(key);
    } else if (verb === 'list') {
      const list = await services.store.listApiKeys();
      out(['ID            SCOPES              CONNECTOR         NAME              CREATED                   REVOKED', ...list.map((k) => [k.id.padEnd(13), k.scopes.join(',').padEnd(19), (k.connectorId ?? '-').padEnd(17), (k.name ?? '-').padEnd(17), new Date(k.createdAt).toISOString().padEnd(25), k.revokedAt ? new Date(k.revokedAt).toISOString() : '-'].join(' '))].join('\n'));
    } else {
      if (!(await services.store.revokeApiKey(id!, Date.now()))) throw new UsageError(`keys revoke: no live key "${id}"`);
      out(`Revoked ${id}.`);
    }
  } finally {
    await services.close();
  }
}

async function migrate(args: string[]): Promise<void> {
  const { values } = parse(args, {});
  if (values.help) return void out(HELP['migrate']!);
  const config = configFrom(values);
  const services = await openServices({ ...config, logLevel: 'warn' }, createLogger('warn', process.stderr as never));
  await services.close();
  out(`Migrated ${config.database.kind === 'sqlite' ? config.database.path : `PostgreSQL schema ${config.database.schema}`}.`);
}

/** Runs the command line (module comment). */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') return void out(HELP['main']!);
    if (command === '--version' || command === '-v') return void out(VERSION);
    if (command === 'serve') return await serve(rest);
    if (command === 'keys') return await keys(rest);
    if (command === 'migrate') return await migrate(rest);
    if (command === 'openapi') {
      if (rest.includes('--help') || rest.includes('-h')) return void out(HELP['openapi']!);
      return void out(JSON.stringify(openApiDocument(), null, 2));
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`shopsync: ${err.message}\nRun shopsync --help.\n`);
      process.exitCode = 2;
    } else if (err instanceof ConfigError) {
      process.stderr.write(`shopsync: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`shopsync: ${(err as Error).message ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}

await main(process.argv.slice(2));
