/**
 * Typed errors. The classifier and the transaction runner alone (a pool that fails on cue: a
 * full disk, a read-only replica, a connection lost before or during COMMIT, a deadlock), then
 * on the server: a read-only connection, a server that is not there, and connections terminated
 * under a read and under writes (`pg_terminate_backend`), which are retried and succeed once.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageClosedError, StorageConnectionError, StorageFullError, StorageReadOnlyError, type LogEntry } from '@shopsync/core';
import { toQueueEntries } from '@shopsync/core/testing';
import { SCHEMA_VERSION } from '@shopsync/core/internal';
import { PostgresStorage } from '@shopsync/postgres';
import { classify, isConnectionLost, isRolledBackConflict } from '../src/classify.js';
import { Transactions, type ClientLike, type PoolLike, type TxSpec } from '../src/transaction.js';
import { PG_URL, newPool, pgDescribe, pgFixture } from './helpers.js';

const DB = 'schema "s" of database "d"';
const C = 'store-1';
const T0 = Date.UTC(2026, 0, 15, 12);
const pgError = (code: string, message = `error ${code}`) => Object.assign(new Error(message), { code });
const product = (ref: string) => toQueueEntries([{ entity: 'product', op: 'upsert', ref, data: { title: ref } }]).entries;

/** A pool whose clients answer each statement with what `script` says (a value to return, or an error to throw). */
function scriptedPool(script: (text: string, n: number) => unknown): { pool: PoolLike; sent: string[]; released: unknown[] } {
  const sent: string[] = [];
  const released: unknown[] = [];
  const pool: PoolLike = {
    async connect(): Promise<ClientLike> {
      return {
        async query(config) {
          sent.push(config.text);
          const out = script(config.text, sent.length);
          if (out instanceof Error) throw out;
          return { rows: [] };
        },
        release: (err) => void released.push(err),
        on: () => undefined,
        removeListener: () => undefined,
      };
    },
  };
  return { pool, sent, released };
}

const retry = { attempts: 3, baseMs: 1, maxMs: 2 };
const run = (pool: PoolLike, spec: TxSpec, body?: () => Promise<unknown>) =>
  new Transactions(pool, DB, retry, () => false).run(spec, async (db) => (body ? body() : (await db.query('SELECT 1'), 'done')));

pgDescribe('PostgreSQL typed errors', () => {
  it('the classifier: read-only (25006), disk full (53100), lost connections, conflicts rolled back, anything else as it is', () => {
    const readOnly = classify(pgError('25006', 'cannot execute INSERT in a read-only transaction'), DB);
    assert.ok(readOnly instanceof StorageReadOnlyError && readOnly.code === 'storage_read_only' && /read-only \(a replica/.test(readOnly.message));
    const full = classify(pgError('53100', 'could not extend file: No space left on device'), DB);
    assert.ok(full instanceof StorageFullError && full.code === 'storage_full' && /disk .* is full/.test(full.message) && full.message.includes(DB));
    for (const lost of [pgError('ECONNRESET'), pgError('ECONNREFUSED'), pgError('57P01'), pgError('57P03'), pgError('08006'), pgError('08001'), new Error('Connection terminated unexpectedly')]) {
      assert.ok(isConnectionLost(lost), String(lost));
    }
    assert.ok(!isConnectionLost(pgError('23505')) && !isConnectionLost(new Error('something else')));
    assert.ok(isRolledBackConflict(pgError('40P01')) && isRolledBackConflict(pgError('40001')) && !isRolledBackConflict(pgError('23505')));
    const other = pgError('23505');
    assert.equal(classify(other, DB), other);
  });

  it('a full disk mid-write: StorageFullError, rolled back, not tried again', async () => {
    const { pool, sent } = scriptedPool((text) => (text.startsWith('INSERT') ? pgError('53100') : undefined));
    const tx = new Transactions(pool, DB, retry, () => false);
    await assert.rejects(
      tx.run({ name: 'enqueue', mode: 'write' }, async (db) => db.query('INSERT INTO x VALUES (1)')),
      (err: unknown) => err instanceof StorageFullError,
    );
    assert.deepEqual(sent, ['BEGIN', 'INSERT INTO x VALUES (1)', 'ROLLBACK']);
  });

  it('a read whose connection is lost is tried again; after the last attempt, a StorageConnectionError (nothing written, retryable)', async () => {
    let fails = 2;
    const flaky = scriptedPool(() => (fails-- > 0 ? pgError('ECONNRESET') : undefined));
    assert.equal(await run(flaky.pool, { name: 'getEvent', mode: 'read' }), 'done');
    assert.equal(flaky.released.filter((e) => e instanceof Error).length, 2, 'the broken clients were destroyed, not pooled');
    const down = scriptedPool(() => pgError('57P01', 'terminating connection due to administrator command'));
    await assert.rejects(run(down.pool, { name: 'getEvent', mode: 'read' }), (err: unknown) => {
      assert.ok(err instanceof StorageConnectionError);
      assert.deepEqual([err.code, err.outcome, err.retryable, err.attempts, err.operation], ['storage_unreachable', 'not_committed', true, 3, 'getEvent']);
      assert.match(err.message, /could not be reached for getEvent \(3 attempts\); nothing of it was written/);
      return true;
    });
  });

  it('a write whose connection is lost before COMMIT is tried again (the server rolled it back)', async () => {
    let bodies = 0;
    const { pool, sent } = scriptedPool((text, n) => (text === 'INSERT' && n < 3 ? pgError('08006') : undefined));
    assert.equal(await new Transactions(pool, DB, retry, () => false).run({ name: 'appendLogs', mode: 'write' }, async (db) => (++bodies, await db.query('INSERT'), bodies)), 2);
    assert.deepEqual(sent, ['BEGIN', 'INSERT', 'BEGIN', 'INSERT', 'COMMIT'], 'no ROLLBACK on a lost connection: the server did it');
  });

  it('a write whose COMMIT goes unanswered: surfaced as outcome unknown unless it is safe to repeat', async () => {
    let bodies = 0;
    const lostAtCommit = () => scriptedPool((text, n) => (text === 'COMMIT' && n < 4 ? new Error('Connection terminated unexpectedly') : undefined)).pool;
    await assert.rejects(
      run(lostAtCommit(), { name: 'ack', mode: 'write' }, async () => void bodies++),
      (err: unknown) => err instanceof StorageConnectionError && err.outcome === 'unknown' && !err.retryable && err.code === 'storage_outcome_unknown' && /may or may not have been saved/.test(err.message),
    );
    assert.equal(bodies, 1, 'never blindly repeated');
    assert.equal(await run(lostAtCommit(), { name: 'saveEvent', mode: 'write', repeatable: true }), 'done', 'a repeatable write is repeated');
  });

  it('a transaction rolled back to break a deadlock is tried again; other errors are thrown as they are', async () => {
    let n = 0;
    assert.equal(await run(scriptedPool(() => (n++ === 1 ? pgError('40P01') : undefined)).pool, { name: 'lease', mode: 'write' }), 'done');
    const unique = scriptedPool((t) => (t === 'SELECT 1' ? pgError('23505') : undefined));
    await assert.rejects(run(unique.pool, { name: 'x', mode: 'write' }), { code: '23505' });
    assert.deepEqual(unique.sent, ['BEGIN', 'SELECT 1', 'ROLLBACK'], 'once, rolled back');
  });

  const pg = pgFixture('errors');

  it('a read-only connection (default_transaction_read_only, as on a replica): reads work, writes are StorageReadOnlyError, nothing written', async () => {
    const schema = pg.schema();
    const writer = await PostgresStorage.open({ pool: pg.pool, schema });
    await writer.enqueue(C, product('P1'), T0);
    const readOnly = newPool(PG_URL, { max: 2, options: '-c default_transaction_read_only=on' });
    try {
      const s = await PostgresStorage.open({ pool: readOnly, schema });
      assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
      assert.equal((await s.queryItems(C, { offset: 0, limit: 10 })).total, 1);
      const refused = (err: unknown) => err instanceof StorageReadOnlyError && err.code === 'storage_read_only' && err.message.includes(schema);
      await assert.rejects(s.enqueue(C, product('P2'), T0), refused);
      await assert.rejects(s.lease(C, { limit: 10, leaseMs: 60_000, now: T0 }), refused);
      await assert.rejects(s.setTargetIds(C, [{ key: 'product:P1', id: 'gid://x' }]), refused);
      assert.deepEqual(await writer.pendingCounts(C), { categories: 0, products: 1, variants: 0 }, 'nothing written');
      await s.close();
      // A schema that needs migrating cannot be made on a read-only server.
      await assert.rejects(PostgresStorage.open({ pool: readOnly, schema: pg.schema() }), StorageReadOnlyError);
    } finally {
      await readOnly.end();
      await writer.close();
    }
  });

  it('a server that is not there: StorageConnectionError after the retries', async () => {
    await assert.rejects(
      PostgresStorage.open({ url: 'postgres://postgres@127.0.0.1:1/test', retry: { attempts: 2, baseMs: 1, maxMs: 5 } }),
      (err: unknown) => err instanceof StorageConnectionError && err.attempts === 2 && err.outcome === 'not_committed' && !err.message.includes('postgres://'),
    );
  });

  /** Blocks `table` from another transaction, runs `op` (which waits for it), terminates the storage's connections, then unblocks. */
  async function terminatedUnder<T>(app: string, table: string, op: () => Promise<T>): Promise<{ result: T; terminated: number }> {
    const holder = await pg.pool.connect();
    await holder.query('BEGIN');
    await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const pending = op();
    pending.catch(() => undefined);
    let terminated = 0;
    try {
      for (let i = 0; i < 200 && terminated === 0; i++) {
        await sleep(10);
        const { rows } = await pg.pool.query<{ n: number }>(
          "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
          [app],
        );
        terminated = rows[0]!.n;
      }
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    return { result: await pending, terminated };
  }

  it('a connection terminated under a read (pg_terminate_backend): the read is tried again and succeeds', async () => {
    const schema = pg.schema();
    const app = `shopsync-read-${process.pid}`;
    const s = await PostgresStorage.open({ url: `${PG_URL}?application_name=${app}`, max: 2, schema });
    try {
      await s.saveEvent({ v: SCHEMA_VERSION, id: 'evt_1', connectorId: C, status: 'in_progress', trigger: 'manual', startedAt: new Date(T0).toISOString(), pending: { categories: 0, products: 0, variants: 0 }, generalErrors: [], config: { shopDomain: 'a.myshopify.com', apiVersion: { requested: '2026-01', status: 'supported', endsSoon: false }, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en' }, iterations: [], logsAvailable: false, pausedAt: [], resumedAt: [] });
      const { result, terminated } = await terminatedUnder(app, `"${schema}".events`, () => s.getEvent(C, 'evt_1'));
      assert.equal(terminated, 1, 'the read’s connection was terminated while it waited');
      assert.equal(result?.id, 'evt_1');
    } finally {
      await s.close();
    }
  });

  it('connections terminated under writes before COMMIT: enqueue and appendLogs are tried again and happen once', async () => {
    const schema = pg.schema();
    const app = `shopsync-write-${process.pid}`;
    const s = await PostgresStorage.open({ url: `${PG_URL}?application_name=${app}`, max: 2, schema });
    try {
      const enq = await terminatedUnder(app, `"${schema}".meta`, () => s.enqueue(C, product('P1'), T0));
      assert.equal(enq.terminated, 1);
      assert.deepEqual(enq.result, { categories: 0, products: 1, variants: 0 });
      const line: LogEntry = { v: SCHEMA_VERSION, at: new Date(T0).toISOString(), level: 'info', eventId: 'evt_1', message: 'once' };
      const logs = await terminatedUnder(app, `"${schema}".logs`, () => s.appendLogs(C, 'evt_1', [line]));
      assert.equal(logs.terminated, 1);
      assert.deepEqual((await s.readLogs(C, 'evt_1')).map((l) => l.message), ['once']);
      assert.deepEqual(await s.pendingCounts(C), { categories: 0, products: 1, variants: 0 });
    } finally {
      await s.close();
    }
  });

  it('a closed storage refuses every call with StorageClosedError; the host pool stays open', async () => {
    const s = await PostgresStorage.open({ pool: pg.pool, schema: pg.schema() });
    await s.close();
    await s.close();
    await assert.rejects(s.pendingCounts(C), (err: unknown) => err instanceof StorageClosedError && err.code === 'storage_closed');
    assert.equal((await pg.pool.query('SELECT 1 AS one')).rows[0].one, 1);
  });
});
