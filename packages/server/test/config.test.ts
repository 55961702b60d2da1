/**
 * readConfig: flags over environment variables over defaults, validated once. Every variable
 * and flag is read into its field; a bad value is a ConfigError naming the variable or flag and
 * what was expected (never the value: it may be a secret); the combinations that cannot work
 * (a split role on SQLite, PostgreSQL without secret keys) are refused at start.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, ENV, FLAGS, readConfig, type ServerConfig } from '../src/config/config.js';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('base64');
/** What PostgreSQL needs besides its URL. */
const PG = { SHOPSYNC_DATABASE_URL: 'postgres://shopsync@db.internal:5432/erp', SHOPSYNC_SECRET_KEYS: `k1:${KEY_1}` };

/** The issues of the ConfigError `fn` throws (fails when it does not throw one). */
function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.name, 'ConfigError');
    assert.ok(err instanceof Error);
    for (const issue of err.issues) assert.ok(err.message.includes(issue), 'the message lists every issue');
    return err.issues;
  }
  assert.fail('expected a ConfigError');
}

describe('readConfig: defaults', () => {
  it('nothing set: one process on ./data/shopsync.db, 127.0.0.1:8080, and the documented defaults', () => {
    const config = readConfig({}, {});
    assert.deepEqual(config, {
      database: { kind: 'sqlite', path: './data/shopsync.db' },
      role: 'all',
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      concurrency: 8,
      sliceMs: 60_000,
      claimMs: 60_000,
      pollMs: 1_000,
      maxIngestBytes: 256 * 1024 * 1024,
      shutdownMs: 30_000,
    } satisfies ServerConfig);
    // Optional fields are absent, not undefined.
    for (const field of ['secretKeys', 'shopifyEndpoint', 'webhookRetryMs']) assert.ok(!(field in config), field);
  });

  it('empty environment variables count as unset; variables not its own are ignored', () => {
    const empty = Object.fromEntries(Object.keys(ENV).map((name) => [name, '']));
    assert.deepEqual(readConfig({}, { ...empty, SHOPSYNC_UNKNOWN: 'x', HOME: '/root' }), readConfig({}, {}));
  });

  it('flags left undefined are unset', () => {
    const undef = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, undefined]));
    assert.deepEqual(readConfig(undef, { SHOPSYNC_PORT: '9000' }).port, 9000);
  });
});

describe('readConfig: each environment variable', () => {
  const cases: Array<[name: keyof typeof ENV, value: string, expected: Partial<ServerConfig>, extra?: Record<string, string>]> = [
    ['SHOPSYNC_DATABASE_URL', 'sqlite:/var/lib/shopsync/db.sqlite', { database: { kind: 'sqlite', path: '/var/lib/shopsync/db.sqlite' } }],
    ['SHOPSYNC_DATABASE_URL', 'sqlite:///var/lib/shopsync/db.sqlite', { database: { kind: 'sqlite', path: '/var/lib/shopsync/db.sqlite' } }],
    ['SHOPSYNC_DATABASE_URL', 'sqlite:./shopsync.db', { database: { kind: 'sqlite', path: './shopsync.db' } }],
    ['SHOPSYNC_DATABASE_URL', 'sqlite::memory:', { database: { kind: 'sqlite', path: ':memory:' } }],
    ['SHOPSYNC_DATABASE_URL', 'postgres://shopsync:pw@db.internal:5432/erp', { database: { kind: 'postgres', url: 'postgres://shopsync:pw@db.internal:5432/erp', schema: 'shopsync' } }, { SHOPSYNC_SECRET_KEYS: `k1:${KEY_1}` }],
    ['SHOPSYNC_DATABASE_URL', 'postgresql://db.internal/erp?schema=tenant_7&sslmode=require', { database: { kind: 'postgres', url: 'postgresql://db.internal/erp?sslmode=require', schema: 'tenant_7' } }, { SHOPSYNC_SECRET_KEYS: `k1:${KEY_1}` }],
    ['SHOPSYNC_ROLE', 'api', { role: 'api' }, PG],
    ['SHOPSYNC_ROLE', 'worker', { role: 'worker' }, PG],
    ['SHOPSYNC_ROLE', 'all', { role: 'all' }],
    ['SHOPSYNC_HOST', '0.0.0.0', { host: '0.0.0.0' }],
    ['PORT', '3000', { port: 3000 }],
    ['SHOPSYNC_PORT', '0', { port: 0 }],
    ['SHOPSYNC_PORT', ' 8443 ', { port: 8443 }],
    ['SHOPSYNC_SECRET_KEYS', `k2:${KEY_2}, k1:${KEY_1}`, { secretKeys: [{ id: 'k2', key: KEY_2 }, { id: 'k1', key: KEY_1 }] }],
    ['SHOPSYNC_SHOPIFY_ENDPOINT', 'http://127.0.0.1:8081', { shopifyEndpoint: 'http://127.0.0.1:8081' }],
    ['SHOPSYNC_SHOPIFY_ENDPOINT', 'https://proxy.internal/shopify', { shopifyEndpoint: 'https://proxy.internal/shopify' }],
    ['SHOPSYNC_LOG_LEVEL', 'debug', { logLevel: 'debug' }],
    ['SHOPSYNC_LOG_LEVEL', 'silent', { logLevel: 'silent' }],
    ['SHOPSYNC_CONCURRENCY', '32', { concurrency: 32 }],
    ['SHOPSYNC_SLICE_MS', '5000', { sliceMs: 5_000 }],
    ['SHOPSYNC_CLAIM_MS', '3000', { claimMs: 3_000 }],
    ['SHOPSYNC_POLL_MS', '10', { pollMs: 10 }],
    ['SHOPSYNC_MAX_INGEST_BYTES', '1048576', { maxIngestBytes: 1_048_576 }],
    ['SHOPSYNC_SHUTDOWN_MS', '0', { shutdownMs: 0 }],
    ['SHOPSYNC_WEBHOOK_RETRY_MS', '0,5000,300000', { webhookRetryMs: [0, 5_000, 300_000] }],
  ];
  for (const [name, value, expected, extra] of cases) {
    it(`${name}=${value.length > 40 ? `${value.slice(0, 40)}…` : value}`, () => {
      const config = readConfig({}, { ...extra, [name]: value });
      for (const [field, v] of Object.entries(expected)) assert.deepEqual(config[field as keyof ServerConfig], v, field);
    });
  }

  it('every variable of ENV is covered above', () => {
    assert.deepEqual([...new Set(cases.map(([name]) => name))].sort(), Object.keys(ENV).sort());
  });

  it('SHOPSYNC_PORT wins over PORT (what platforms set)', () => {
    assert.equal(readConfig({}, { PORT: '3000', SHOPSYNC_PORT: '4000' }).port, 4000);
    // A PORT that SHOPSYNC_PORT overrides is not read at all.
    assert.equal(readConfig({}, { PORT: 'abc', SHOPSYNC_PORT: '4000' }).port, 4000);
    assert.deepEqual(issuesOf(() => readConfig({}, { PORT: 'abc' })), ['environment variable PORT: expected a whole number']);
  });
});

describe('readConfig: flags', () => {
  const cases: Array<[flag: keyof typeof FLAGS, value: string, env: Record<string, string>, expected: Partial<ServerConfig>]> = [
    ['database', 'sqlite:/tmp/flag.db', { SHOPSYNC_DATABASE_URL: 'sqlite:/tmp/env.db' }, { database: { kind: 'sqlite', path: '/tmp/flag.db' } }],
    ['role', 'worker', { ...PG, SHOPSYNC_ROLE: 'api' }, { role: 'worker' }],
    ['host', '::1', { SHOPSYNC_HOST: '0.0.0.0' }, { host: '::1' }],
    ['port', '9090', { SHOPSYNC_PORT: '8081', PORT: '8082' }, { port: 9090 }],
    ['log-level', 'warn', { SHOPSYNC_LOG_LEVEL: 'trace' }, { logLevel: 'warn' }],
    ['concurrency', '2', { SHOPSYNC_CONCURRENCY: '50' }, { concurrency: 2 }],
  ];
  for (const [flag, value, env, expected] of cases) {
    it(`--${flag} ${value} wins over the environment`, () => {
      const config = readConfig({ [flag]: value }, env);
      for (const [field, v] of Object.entries(expected)) assert.deepEqual(config[field as keyof ServerConfig], v, field);
      // And the environment alone gives its own value.
      const fromEnv = readConfig({}, env);
      for (const [field, v] of Object.entries(expected)) assert.notDeepEqual(fromEnv[field as keyof ServerConfig], v, field);
    });
  }

  it('every flag of FLAGS is covered above', () => {
    assert.deepEqual(cases.map(([flag]) => flag).sort(), Object.keys(FLAGS).sort());
  });

  it('a bad flag is named as the flag, even when the variable is fine', () => {
    assert.deepEqual(issuesOf(() => readConfig({ port: 'http' }, { SHOPSYNC_PORT: '8080' })), ['--port: expected a whole number']);
    assert.deepEqual(issuesOf(() => readConfig({ port: '' }, {})), ['--port: expected a whole number'], 'an empty flag is not port 0');
    assert.deepEqual(issuesOf(() => readConfig({ host: '' }, {})), ['--host: expected a host name or address, e.g. 127.0.0.1 or 0.0.0.0']);
    assert.deepEqual(issuesOf(() => readConfig({ 'log-level': 'INFO' }, {})), ['--log-level: expected fatal, error, warn, info, debug, trace or silent']);
    // A bad variable that a flag overrides is not read.
    assert.equal(readConfig({ port: '8080' }, { SHOPSYNC_PORT: 'http' }).port, 8080);
  });
});

describe('readConfig: bad values name the variable and what was expected', () => {
  const cases: Array<[name: keyof typeof ENV, value: string, expected: RegExp]> = [
    ['SHOPSYNC_PORT', 'abc', /^environment variable SHOPSYNC_PORT: expected a whole number$/],
    ['SHOPSYNC_PORT', ' ', /^environment variable SHOPSYNC_PORT: expected a whole number$/],
    ['SHOPSYNC_PORT', '0x1F90', /^environment variable SHOPSYNC_PORT: expected a whole number$/],
    ['SHOPSYNC_PORT', '1e3', /^environment variable SHOPSYNC_PORT: expected a whole number$/],
    ['SHOPSYNC_PORT', '80.5', /^environment variable SHOPSYNC_PORT: expected a whole number$/],
    ['SHOPSYNC_PORT', '-1', /^environment variable SHOPSYNC_PORT: expected a whole number$/],
    ['SHOPSYNC_PORT', '65536', /^environment variable SHOPSYNC_PORT: expected at most 65535$/],
    ['SHOPSYNC_PORT', '9'.repeat(400), /^environment variable SHOPSYNC_PORT: expected /],
    ['SHOPSYNC_DATABASE_URL', 'mysql://db/erp', /^environment variable SHOPSYNC_DATABASE_URL: expected sqlite:<file> or postgres:/],
    ['SHOPSYNC_DATABASE_URL', 'sqlite:', /^environment variable SHOPSYNC_DATABASE_URL: expected a file after "sqlite:"/],
    ['SHOPSYNC_DATABASE_URL', 'postgres://db/erp?schema=Tenant-1', /^environment variable SHOPSYNC_DATABASE_URL: expected \?schema= to be lowercase/],
    ['SHOPSYNC_DATABASE_URL', 'postgres://db:port/erp', /^environment variable SHOPSYNC_DATABASE_URL: expected a PostgreSQL URL/],
    ['SHOPSYNC_ROLE', 'scheduler', /^environment variable SHOPSYNC_ROLE: expected all, api or worker$/],
    ['SHOPSYNC_HOST', ' ', /^environment variable SHOPSYNC_HOST: expected a host name or address/],
    ['SHOPSYNC_SECRET_KEYS', 'k1:short', /^environment variable SHOPSYNC_SECRET_KEYS: expected id:key pairs/],
    ['SHOPSYNC_SECRET_KEYS', KEY_1, /^environment variable SHOPSYNC_SECRET_KEYS: expected id:key pairs/],
    ['SHOPSYNC_SECRET_KEYS', ',', /^environment variable SHOPSYNC_SECRET_KEYS: expected at least one id:key pair$/],
    ['SHOPSYNC_SHOPIFY_ENDPOINT', 'ftp://127.0.0.1:8081', /^environment variable SHOPSYNC_SHOPIFY_ENDPOINT: expected an http\(s\) origin/],
    ['SHOPSYNC_SHOPIFY_ENDPOINT', 'http://127.0.0.1:8081/?x=1', /^environment variable SHOPSYNC_SHOPIFY_ENDPOINT: expected an http\(s\) origin/],
    ['SHOPSYNC_LOG_LEVEL', 'verbose', /^environment variable SHOPSYNC_LOG_LEVEL: expected fatal, error, warn, info, debug, trace or silent$/],
    ['SHOPSYNC_CONCURRENCY', '0', /^environment variable SHOPSYNC_CONCURRENCY: expected at least 1$/],
    ['SHOPSYNC_CONCURRENCY', '1001', /^environment variable SHOPSYNC_CONCURRENCY: expected at most 1000$/],
    ['SHOPSYNC_SLICE_MS', '999', /^environment variable SHOPSYNC_SLICE_MS: expected at least 1000$/],
    ['SHOPSYNC_CLAIM_MS', '2999', /^environment variable SHOPSYNC_CLAIM_MS: expected at least 3000$/],
    ['SHOPSYNC_POLL_MS', '5', /^environment variable SHOPSYNC_POLL_MS: expected at least 10$/],
    ['SHOPSYNC_MAX_INGEST_BYTES', '1023', /^environment variable SHOPSYNC_MAX_INGEST_BYTES: expected at least 1024$/],
    ['SHOPSYNC_SHUTDOWN_MS', ' ', /^environment variable SHOPSYNC_SHUTDOWN_MS: expected a whole number$/],
    ['SHOPSYNC_SHUTDOWN_MS', '600001', /^environment variable SHOPSYNC_SHUTDOWN_MS: expected at most 600000$/],
    ['SHOPSYNC_WEBHOOK_RETRY_MS', '0, 5000', /^environment variable SHOPSYNC_WEBHOOK_RETRY_MS: expected milliseconds separated by commas/],
    ['SHOPSYNC_WEBHOOK_RETRY_MS', '5s', /^environment variable SHOPSYNC_WEBHOOK_RETRY_MS: expected milliseconds separated by commas/],
  ];
  for (const [name, value, expected] of cases) {
    it(`${name}=${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value)} → ConfigError naming ${name}`, () => {
      const issues = issuesOf(() => readConfig({}, { [name]: value }));
      assert.equal(issues.length, 1, issues.join('\n'));
      assert.match(issues[0]!, expected);
    });
  }

  it('a value is never quoted back (a bad secret key or database URL may hold a secret)', () => {
    const secret = `k1:${'A'.repeat(10)}not-base64-${Buffer.alloc(8, 9).toString('hex')}`;
    for (const [name, value] of [
      ['SHOPSYNC_SECRET_KEYS', secret],
      ['SHOPSYNC_DATABASE_URL', 'mysql://root:hunter2-password@db/erp'],
    ] as const) {
      try {
        readConfig({}, { [name]: value });
        assert.fail('expected a ConfigError');
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.ok(!err.message.includes(value), err.message);
        assert.ok(!err.message.includes('hunter2'), err.message);
      }
    }
  });

  it('several bad values: each is named, in one error', () => {
    const issues = issuesOf(() => readConfig({ concurrency: 'many' }, { SHOPSYNC_PORT: 'abc', SHOPSYNC_LOG_LEVEL: 'loud', SHOPSYNC_POLL_MS: '1' }));
    assert.deepEqual(
      issues.map((i) => i.split(':')[0]).sort(),
      ['--concurrency', 'environment variable SHOPSYNC_LOG_LEVEL', 'environment variable SHOPSYNC_POLL_MS', 'environment variable SHOPSYNC_PORT'].sort(),
    );
  });
});

describe('readConfig: combinations refused at start', () => {
  it('--role api or worker on SQLite is refused, naming the flag (or the variable)', () => {
    for (const role of ['api', 'worker']) {
      const issues = issuesOf(() => readConfig({ role }, {}));
      assert.equal(issues.length, 1);
      assert.match(issues[0]!, /^--role: expected all on SQLite .*PostgreSQL/);
      assert.match(issuesOf(() => readConfig({}, { SHOPSYNC_ROLE: role, SHOPSYNC_DATABASE_URL: 'sqlite:/tmp/x.db' }))[0]!, /^environment variable SHOPSYNC_ROLE: expected all on SQLite/);
    }
    assert.equal(readConfig({ role: 'all' }, {}).role, 'all');
  });

  it('PostgreSQL without SHOPSYNC_SECRET_KEYS is refused, naming it and how to make a key', () => {
    for (const [flags, env] of [
      [{}, { SHOPSYNC_DATABASE_URL: PG.SHOPSYNC_DATABASE_URL }],
      [{ database: PG.SHOPSYNC_DATABASE_URL }, {}],
      [{ database: PG.SHOPSYNC_DATABASE_URL }, { SHOPSYNC_SECRET_KEYS: '' }],
    ] as const) {
      const issues = issuesOf(() => readConfig(flags, env));
      assert.equal(issues.length, 1);
      assert.match(issues[0]!, /^environment variable SHOPSYNC_SECRET_KEYS: expected on PostgreSQL/);
      assert.match(issues[0]!, /openssl rand -base64 32/);
    }
  });

  it('PostgreSQL with secret keys and a split role is fine', () => {
    const config = readConfig({ role: 'api' }, PG);
    assert.equal(config.role, 'api');
    assert.deepEqual(config.database, { kind: 'postgres', url: 'postgres://shopsync@db.internal:5432/erp', schema: 'shopsync' });
    assert.deepEqual(config.secretKeys, [{ id: 'k1', key: KEY_1 }]);
  });
});
