/**
 * The `shopsync` command as a person or a container runs it: a child process
 * (`node --conditions=source --import tsx packages/server/src/cli/main.ts …`, from the repository's
 * root) with its own environment (no SHOPSYNC_* of this process), its exit code, stdout and stderr.
 * Help everywhere, usage errors exit 2, keys made once and listed without the key, migrate,
 * openapi, a bad variable named, and `serve`: a JSON log line with the URL, the API answering,
 * and a graceful exit 0 on SIGTERM while a panel stream is open.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from './support/harness.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = 'packages/server/src/cli/main.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'shopsync-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** This process's environment without the service's own variables (and PORT). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('SHOPSYNC_') || name === 'PORT') delete env[name];
  return { ...env, ...extra };
}

function start(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `shopsync …args` to its end (killed after 60 s). */
function shopsync(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = start(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A database URL in the temp folder. */
const db = (name: string) => `sqlite:${join(dir, name, 'shopsync.db')}`;

/** The keys test's database and a key it revoked: the serve test checks them against the API. */
const keysMade = { database: '', revoked: '' };

describe('shopsync --help and usage errors', () => {
  it('--help, serve --help, keys --help, --version: exit 0 with usage on stdout; an unknown command or flag: exit 2', async () => {
    const [main, serve, keys, version, command, flag] = await Promise.all([
      shopsync(['--help']),
      shopsync(['serve', '--help']),
      shopsync(['keys', '--help']),
      shopsync(['--version']),
      shopsync(['frobnicate']),
      shopsync(['serve', '--prot', '8080']),
    ]);
    for (const run of [main, serve, keys, version]) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
    }
    assert.match(main.stdout, /^shopsync 0\.1\.0: /);
    assert.match(main.stdout, /Usage: shopsync <command> \[options\]/);
    for (const command of ['serve', 'keys create\\|list\\|revoke', 'migrate', 'openapi']) assert.match(main.stdout, new RegExp(`^  ${command} `, 'm'), command);
    for (const name of ['SHOPSYNC_DATABASE_URL', 'SHOPSYNC_SECRET_KEYS', 'SHOPSYNC_PORT', 'SHOPSYNC_WEBHOOK_RETRY_MS']) assert.ok(main.stdout.includes(name), name);
    assert.match(serve.stdout, /^Usage: shopsync serve /);
    for (const flag of ['--database', '--role', '--port', '--host', '--log-level', '--concurrency']) assert.ok(serve.stdout.includes(flag), flag);
    assert.match(serve.stdout, /SIGTERM/);
    assert.match(keys.stdout, /shopsync keys create --scopes/);
    assert.match(keys.stdout, /shopsync keys list/);
    assert.match(keys.stdout, /shopsync keys revoke ID/);
    assert.equal(version.stdout, '0.1.0\n');

    for (const run of [command, flag]) {
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^shopsync: .*\nRun shopsync --help\.\n$/);
    }
    assert.match(command.stderr, /unknown command "frobnicate"/);
    assert.match(flag.stderr, /--prot/);
  });

  it('a bad environment variable or flag: exit 2 naming it, before anything is made', async () => {
    const [port, role, pg] = await Promise.all([
      shopsync(['serve', '--database', db('bad-port')], { SHOPSYNC_PORT: 'abc' }),
      shopsync(['serve', '--role', 'api', '--database', db('bad-role')]),
      shopsync(['migrate', '--database', 'postgres://127.0.0.1:1/nowhere']),
    ]);
    for (const run of [port, role, pg]) {
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^shopsync: Invalid configuration:\n {2}- /);
    }
    assert.match(port.stderr, /environment variable SHOPSYNC_PORT: expected a whole number/);
    assert.match(role.stderr, /--role: expected all on SQLite/);
    assert.match(pg.stderr, /environment variable SHOPSYNC_SECRET_KEYS: expected on PostgreSQL/);
    for (const name of ['bad-port', 'bad-role']) assert.ok(!existsSync(join(dir, name)), `${name}: nothing made`);
  });
});

describe('shopsync keys, migrate, openapi', () => {
  it('keys create prints the key once on stdout; keys list shows it without the key; keys revoke revokes it', async () => {
    const database = db('keys');
    const made = await shopsync(['keys', 'create', '--scopes', 'ingest,read', '--name', 'ERP import', '--database', database]);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^ssk_[A-Za-z0-9_-]+\n$/, 'the key, alone on stdout');
    const key = made.stdout.trim();
    const id = /API key (\S+) \(ingest, read\)/.exec(made.stderr)?.[1];
    assert.ok(id, made.stderr);
    assert.match(made.stderr, /shown once/);
    assert.ok(!made.stderr.includes(key), 'the key only on stdout');

    const listed = await shopsync(['keys', 'list', '--database', database]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.ok(!listed.stdout.includes(key), 'the key is never listed');
    assert.ok(!listed.stdout.includes('ssk_'), 'nor any part of it that starts a key');
    const lines = listed.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ID\s+SCOPES\s+CONNECTOR\s+NAME\s+CREATED\s+REVOKED$/);
    assert.equal(lines.length, 2);
    assert.ok(lines[1]!.startsWith(`${id} `), listed.stdout);
    assert.match(lines[1]!, /ingest,read\s+-\s+ERP import\s+\d{4}-\d\d-\d\dT[\d:.]+Z\s+-$/);

    const revoked = await shopsync(['keys', 'revoke', id, '--database', database]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, `Revoked ${id}.\n`);
    const after = await shopsync(['keys', 'list', '--database', database]);
    assert.match(after.stdout.trim().split('\n')[1]!, /\d{4}-\d\d-\d\dT[\d:.]+Z\s+\d{4}-\d\d-\d\dT[\d:.]+Z$/, 'REVOKED has a time');
    keysMade.database = database;
    keysMade.revoked = key;

    const [again, badScopes, verb] = await Promise.all([
      shopsync(['keys', 'revoke', id, '--database', database]),
      shopsync(['keys', 'create', '--scopes', 'read,root', '--database', db('bad-scopes')]),
      shopsync(['keys', 'rotate', '--database', db('bad-verb')]),
    ]);
    for (const run of [again, badScopes, verb]) {
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
    }
    assert.match(again.stderr, new RegExp(`no live key "${id}"`));
    assert.match(badScopes.stderr, /^shopsync: --scopes: expected a comma-separated list of ingest, read, admin \(not root\)/);
    assert.match(verb.stderr, /^shopsync: keys: unknown command "rotate" \(create, list or revoke\)/);
    // A usage error makes no database.
    for (const name of ['bad-scopes', 'bad-verb']) assert.ok(!existsSync(join(dir, name)), `${name}: nothing made`);
  });

  it('migrate makes the database (named by the flag or SHOPSYNC_DATABASE_URL) and exits 0', async () => {
    const [byFlag, byEnv] = await Promise.all([shopsync(['migrate', '--database', db('migrate')]), shopsync(['migrate'], { SHOPSYNC_DATABASE_URL: db('migrate-env') })]);
    assert.equal(byFlag.code, 0, byFlag.stderr);
    assert.equal(byFlag.stdout, `Migrated ${join(dir, 'migrate', 'shopsync.db')}.\n`);
    assert.equal(byEnv.code, 0, byEnv.stderr);
    assert.equal(byEnv.stdout, `Migrated ${join(dir, 'migrate-env', 'shopsync.db')}.\n`);
    for (const name of ['migrate', 'migrate-env']) assert.ok(existsSync(join(dir, name, 'shopsync.db')), name);
  });

  it('openapi prints the OpenAPI 3.1 document as JSON', async () => {
    const run = await shopsync(['openapi']);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { openapi: string; info: { version: string }; paths: Record<string, unknown> };
    assert.equal(doc.openapi, '3.1.0');
    assert.equal(doc.info.version, '0.1.0');
    assert.ok(doc.paths['/v1/connectors/{id}/changes']);
    assert.ok(doc.paths['/v1/connectors/{id}/sync/stream']);
  });
});

describe('shopsync serve', () => {
  it('logs its URL as JSON, answers, and on SIGTERM exits 0 within seconds while a panel stream is open', { timeout: 60_000 }, async () => {
    // The keys test's database: its revoked key must be refused, a key made now accepted.
    const database = keysMade.database || db('serve');
    const admin = (await shopsync(['keys', 'create', '--scopes', 'admin', '--database', database])).stdout.trim();
    assert.match(admin, /^ssk_/);

    const child = start(['serve', '--port', '0', '--database', database], { SHOPSYNC_LOG_LEVEL: 'info', SHOPSYNC_POLL_MS: '50' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    const lines: Array<Record<string, unknown>> = [];
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const listening = new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        let nl: number;
        while ((nl = stdout.indexOf('\n')) >= 0) {
          const line = stdout.slice(0, nl);
          stdout = stdout.slice(nl + 1);
          let parsed: Record<string, unknown>;
          try {
            parsed = JSON.parse(line) as Record<string, unknown>;
          } catch {
            reject(new Error(`a log line that is not JSON: ${line}`));
            return;
          }
          lines.push(parsed);
          if (parsed['msg'] === 'API listening') resolve(parsed['url'] as string);
        }
      });
      void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
    });
    try {
      const url = await listening;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const line = lines.find((l) => l['msg'] === 'API listening')!;
      assert.equal(line['level'], 30);
      assert.equal(line['role'], 'all');
      assert.equal(line['database'], 'sqlite');
      assert.equal(line['service'], 'shopsync');
      assert.match(String(line['time']), /^\d{4}-\d\d-\d\dT/);

      const health = await call(url, 'GET', '/v1/health');
      assert.equal(health.status, 200);
      assert.deepEqual(health.body, { status: 'ok' });
      assert.equal((await call(url, 'GET', '/v1/ready')).status, 200);
      // The keys made by the command line: the live one works, the revoked one does not.
      assert.equal((await call(url, 'GET', '/v1/connectors', { key: admin })).status, 200);
      if (keysMade.revoked) assert.equal((await call(url, 'GET', '/v1/connectors', { key: keysMade.revoked })).status, 401);
      const made = await call(url, 'POST', '/v1/connectors', { key: admin, body: { config: { id: 'cli-co', shopDomain: 'cli-co.myshopify.com', apiVersion: '2026-01' } } });
      assert.equal(made.status, 201, made.text);

      // A panel stream, open when the signal comes.
      const stream = await fetch(`${url}/v1/connectors/cli-co/sync/stream`, { headers: { authorization: `Bearer ${admin}` } });
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      const body = stream.body!.getReader();
      const first = await body.read();
      assert.ok(!first.done);
      const ended = (async () => {
        for (;;) if ((await body.read()).done) return true;
      })().catch(() => true);

      const signalled = Date.now();
      child.kill('SIGTERM');
      const { code, signal } = await exited;
      const tookMs = Date.now() - signalled;
      assert.equal(signal, null, stderr);
      assert.equal(code, 0, stderr);
      assert.ok(tookMs < 5_000, `took ${tookMs} ms to stop`);
      assert.equal(await ended, true, 'the stream ended');
      await new Promise((r) => setTimeout(r, 50));
      const messages = lines.map((l) => l['msg']);
      for (const msg of ['Signal received', 'Shutting down: finishing what is under way', 'Stopped']) assert.ok(messages.includes(msg), `${msg} in ${messages.join(' | ')}`);
      // Request lines are logged, their caller by key id, never the key.
      assert.ok(lines.some((l) => l['msg'] === 'request' && l['url'] === '/v1/health' && l['status'] === 200));
      assert.ok(!JSON.stringify(lines).includes(admin), 'the key is not logged');
      await assert.rejects(fetch(`${url}/v1/health`), 'nothing listens any more');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
