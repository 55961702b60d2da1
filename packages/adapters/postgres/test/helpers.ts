/**
 * PostgreSQL for the tests: the server at SHOPSYNC_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test), a fresh schema (or database) per suite or test, each
 * dropped when its file ends. When the server cannot be reached the suites skip with a one-line
 * reason, except under CI=true, where the file fails.
 */
import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import pg from 'pg';

/** The server the tests use. */
export const PG_URL = process.env.SHOPSYNC_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without its password, for messages. */
export const shownUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/** Why the PostgreSQL suites skip: undefined when the server answers. */
export const unreachable: string | undefined = await (async () => {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    const reason = `PostgreSQL unreachable at ${shownUrl(PG_URL)} (${(err as Error).message || (err as { code?: string }).code}): set SHOPSYNC_TEST_PG_URL, or start the server`;
    if (process.env.CI === 'true') throw new Error(`${reason}. Under CI=true the PostgreSQL suites fail instead of skipping.`, { cause: err });
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
})();

/** `describe`, skipped (with the reason) when PostgreSQL is unreachable. */
export const pgDescribe = (name: string, fn: () => void): unknown => describe(name, { skip: unreachable ?? false }, fn);

/** A unique name for a test schema or database: `shopsync_t_<label>_<random>`. */
export const uniqueName = (label: string): string => `shopsync_t_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(5).toString('hex')}`;

/** A pool on `url` whose idle connections may break without ending the process. */
export function newPool(url = PG_URL, config: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, ...config });
  pool.on('error', () => undefined);
  return pool;
}

/**
 * A test file's PostgreSQL: an admin pool, schemas made on demand (names only: the storage
 * creates them) and dropped when the file ends, as are databases made with `database()`.
 */
export function pgFixture(label: string) {
  const admin = newPool();
  const schemas = new Set<string>();
  const databases = new Set<string>();
  const fixture = {
    /** A pool for the storages of the file (a host's pool: the storage never ends it). */
    pool: admin,
    /** A fresh schema name, dropped at the end of the file. */
    schema(): string {
      const name = uniqueName(label);
      schemas.add(name);
      return name;
    },
    async dropSchema(name: string): Promise<void> {
      // A process of the test may still be letting go of it (a deadlock, 40P01, is tried again).
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== '40P01' || attempt >= 3) throw err;
        }
      }
      schemas.delete(name);
    },
    /** A fresh database and its URL, dropped at the end of the file. */
    async database(): Promise<{ name: string; url: string }> {
      const name = uniqueName(label);
      await admin.query(`CREATE DATABASE "${name}"`);
      databases.add(name);
      const url = new URL(PG_URL);
      url.pathname = `/${name}`;
      return { name, url: url.toString() };
    },
    /** Ends every connection to the given database (WITH FORCE) and drops it. */
    async dropDatabase(name: string): Promise<void> {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      databases.delete(name);
    },
  };
  after(async () => {
    if (!unreachable) {
      for (const name of schemas) await fixture.dropSchema(name);
      for (const name of databases) await fixture.dropDatabase(name);
    }
    await admin.end();
  });
  return fixture;
}

/** The rows of every table of a schema, as JSON text per row, by table (for scans). */
export async function dumpSchema(pool: pg.Pool, schema: string): Promise<Map<string, string[]>> {
  const tables = await pool.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema]);
  const out = new Map<string, string[]>();
  for (const { t } of tables.rows) {
    const rows = await pool.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM "${schema}"."${t}" AS x`);
    out.set(t, rows.rows.map((r) => r.r));
  }
  return out;
}
