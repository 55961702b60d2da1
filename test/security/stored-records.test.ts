/**
 * Stored records read back: a database written by the engine is damaged row by row behind the
 * adapter's back (better-sqlite3 on the same file: text where JSON was, JSON of the wrong shape,
 * wrong types, negative counts, blobs), then read through SqliteStorage, the engine, its
 * LocalSyncSource and createSyncHandler. Whatever the damage: no crash of the process, no hang,
 * and HTTP answers a safe 500 at worst, the server staying up. And the stronger promise: every
 * read answers data the core's schemas accept, or a typed error (StorageCorruptError) that names
 * the table, the row and the field; a damaged record is never served or sent to the store as if
 * it were sound, and a run over a damaged queue ends with a general error naming it.
 * (A file that is not a database at all is covered by packages/adapters/sqlite/test/files.test.ts.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  ConnectorRegistry,
  LocalSyncSource,
  ShopsyncError,
  StorageCorruptError,
  SyncEngine,
  itemStatusSchema,
  logEntrySchema,
  syncEventSchema,
  type Change,
  type SyncEvent,
  type SyncSource,
} from '@shopsync/core';
import { connectorRecordSchema } from '@shopsync/core/internal';
import { FakeTarget } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { BASE, send, serve, within } from './helpers.js';

const SEED = Number(process.env['SHOPSYNC_FC_SEED'] ?? Date.now() % 2 ** 31);
const C = 'store-1';
const connector = { id: C, shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });
const variant = (ref: string, parentRef: string): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '1.00' } });

/** A database as the engine leaves it: events, logs, outcomes (some failed), hashes, ids, and changes still queued. */
async function seed(path: string): Promise<string[]> {
  const storage = SqliteStorage.open({ path });
  const target = new FakeTarget({ outcomes: (item) => (item.ref.endsWith('3') ? { errors: [{ code: 'INVALID', field: ['input', 'title'], message: 'Title is bad' }] } : 'synced') });
  const engine = new SyncEngine({ connector, target, storage, batchSize: 4, retryBackoff: { baseMs: 0, maxMs: 0 } });
  await engine.enqueue([{ entity: 'category', op: 'upsert', ref: 'cat', data: { title: 'Cat' } }, ...['P1', 'P2', 'P3'].map(product), variant('V1', 'P1'), variant('V3', 'P3')]);
  const first = await engine.start();
  await engine.enqueue([product('P4'), product('P13'), { entity: 'product', op: 'delete', ref: 'P2' }]);
  const second = await engine.start();
  await engine.enqueue([product('P5'), variant('V5', 'P5')]);
  // In the registry, claimed once and let go with a throttle state: every column of the registry holds something to damage.
  await new ConnectorRegistry(storage).create({ config: connector, schedule: { everyMs: 3_600_000 }, credentialsRef: 'vault:demo' });
  await storage.claimConnectors({ worker: 'w1', now: Date.now(), leaseMs: 60_000, limit: 1 });
  await storage.releaseConnector(C, 'w1', { now: Date.now(), open: true, throttle: { at: new Date().toISOString(), capacity: 2_000, available: 1_500, restoreRate: 100 }, nextRunAt: Date.now() });
  await engine.dispose();
  await storage.close();
  return [first.id, second.id];
}

/** Copies a database (and its journal files) to `to`. */
function copyDb(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

interface Damage {
  table: string;
  column: string;
  row: number;
  value: unknown;
}

/** Writes `value` into one cell behind the adapter's back; false when SQLite refuses it (a constraint). */
function damage(path: string, d: Damage): { done: boolean; where: string } {
  const db = new Database(path);
  try {
    const rows = db.prepare(`SELECT * FROM "${d.table}"`).all() as Array<Record<string, unknown>>;
    if (rows.length === 0) return { done: false, where: `${d.table}: empty` };
    const row = rows[d.row % rows.length]!;
    const cols = Object.keys(row);
    const where = cols.map((c) => `"${c}" IS ?`).join(' AND ');
    const r = db.prepare(`UPDATE "${d.table}" SET "${d.column}" = ? WHERE ${where}`).run(d.value as never, ...(cols.map((c) => row[c]) as never[]));
    return { done: r.changes > 0, where: `${d.table}.${d.column} of ${JSON.stringify(row).slice(0, 160)}` };
  } catch {
    return { done: false, where: `${d.table}.${d.column}: refused by SQLite` };
  } finally {
    db.close();
  }
}

/** Tables and columns of the seeded file, read from the file (the layout may change; the test follows it). */
function layout(path: string): Array<{ table: string; columns: string[] }> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>).map((t) => t.name);
    return tables.map((table) => ({ table, columns: (db.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string }>).map((c) => c.name) }));
  } finally {
    db.close();
  }
}

/** Text that was JSON, cut; JSON of other shapes; other types; bytes. */
const garbage = fc.oneof(
  fc.constantFrom('', '{', '{"v":1,', 'null', '[]', '{}', '42', '"text"', 'true', '{"status":"in_progress"}', '{"entity":"product","op":"upsert"}', '{"v":1,"at":"yesterday","level":"error","message":5}', '[1,2', '{"errors":"x"}', 'not json at all', '\u0000'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(-1, -5, 0, 2 ** 53, -(2 ** 31), 1.5, Number.MAX_SAFE_INTEGER),
  fc.constant(null),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
);

interface Report {
  /** Reads that threw something other than a ShopsyncError (typed error). */
  untyped: string[];
  /** Reads that returned records the core's schemas refuse: damaged data served as if sound. */
  unsound: string[];
  /** HTTP answers other than 200, 404 or a safe 500. */
  http: string[];
}

/** Every read of the source and the handler, each within a deadline. */
async function readBack(source: SyncSource, storage: SqliteStorage, eventIds: readonly string[]): Promise<Report> {
  const report: Report = { untyped: [], unsound: [], http: [] };
  const call = async <T>(what: string, fn: () => Promise<T>, check?: (value: T) => void) => {
    let value: T;
    try {
      value = await within(5_000, what, fn());
    } catch (err) {
      if (err instanceof Error && err.message.includes('(a hang)')) throw err;
      if (!(err instanceof ShopsyncError)) report.untyped.push(`${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 200));
      return;
    }
    try {
      check?.(value);
    } catch (err) {
      report.unsound.push(`${what}: ${String(err instanceof Error ? err.message : err).slice(0, 200)}`);
    }
  };
  const events = (v: { items: unknown[] }) => v.items.forEach((e) => syncEventSchema.parse(e));
  const items = (v: { items: unknown[] }) => v.items.forEach((i) => itemStatusSchema.omit({ change: true }).parse(i));
  const counts = (c: Record<string, number>) => Object.values(c).forEach((n) => assert.ok(Number.isInteger(n) && n >= 0, `count ${n}`));
  await call('pendingCounts', () => storage.pendingCounts(C), counts);
  await call('connectorState', () => source.connectorState());
  await call('listEvents', () => source.listEvents({ limit: 1_000 }), events);
  for (const id of eventIds) {
    await call(`getEvent ${id}`, () => source.getEvent(id), (e) => e === undefined || syncEventSchema.parse(e));
    await call(`logs ${id}`, () => storage.readLogs(C, id), (lines) => lines.forEach((l) => logEntrySchema.parse(l)));
    for (const format of ['jsonl', 'csv'] as const) await call(`downloadLogs ${id} ${format}`, () => source.downloadLogs(id, format));
  }
  for (const status of [undefined, 'pending', 'complete', 'error'] as const) await call(`queryItems ${status}`, () => source.queryItems({ limit: 1_000, ...(status ? { status } : {}) }), items);
  await call('queryItems variant', () => source.queryItems({ entity: 'variant' }), items);
  await call('summarizeItemErrors', () => source.summarizeItemErrors());
  await call('getConnector', () => storage.getConnector(C), (r) => r === undefined || connectorRecordSchema.parse(r));
  await call('listConnectors', () => storage.listConnectors({ offset: 0, limit: 10 }), (p) => p.items.forEach((r) => connectorRecordSchema.parse(r)));
  await call('fleetView', () => storage.fleetView(Date.now()));
  await call('claimConnectors', () => storage.claimConnectors({ worker: 'w2', now: Date.now() + 3_600_000, leaseMs: 60_000, limit: 5 }), (cs) => cs.forEach((c) => connectorRecordSchema.parse(c.record)));

  const served = await serve(source);
  try {
    const paths = ['/state', '/events?limit=1000', '/items?limit=1000', '/items?status=error', '/items?status=pending', '/items/errors', ...eventIds.flatMap((id) => [`/events/${id}`, `/events/${id}/logs`, `/events/${id}/logs?format=csv`])];
    for (const path of paths) {
      const r = await send(served.port, BASE + path);
      const body = r.json as { error?: { code?: string; message?: string } } | undefined;
      if (r.status === 200 || r.status === 404) continue;
      // A 500 says what core says (a typed error) or a generic text: never a parser's or SQLite's own words.
      if (r.status === 500 && body?.error && !/SyntaxError|Unexpected token|in JSON|SQLITE_|TypeError|Cannot read/i.test(body.error.message ?? '')) continue;
      report.http.push(`${path}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    assert.equal((await send(served.port, `${BASE}/nope`)).status, 404, 'the server is still up');
  } finally {
    await served.close();
  }
  return report;
}

describe('stored records read back: damaged rows in the SQLite file', () => {
  let dir: string;
  let template: string;
  let eventIds: string[];
  let tables: Array<{ table: string; columns: string[] }>;
  let n = 0;
  /** A fresh copy of the seeded database, damaged by `fn`, opened. */
  const damaged = (fn: (path: string) => void) => {
    const path = join(dir, `copy-${++n}.sqlite`);
    copyDb(template, path);
    fn(path);
    return path;
  };
  const exec = (sql: string) => (path: string) => {
    const db = new Database(path);
    db.exec(sql);
    db.close();
  };
  const open = (path: string) => {
    const storage = SqliteStorage.open({ path });
    const target = new FakeTarget();
    const engine = new SyncEngine({ connector, target, storage, retryBackoff: { baseMs: 0, maxMs: 0 }, maxFailedIterations: 2 });
    const close = async () => {
      await engine.dispose();
      await storage.close();
    };
    return { storage, target, engine, source: new LocalSyncSource(engine), close };
  };

  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopsync-stored-'));
    template = join(dir, 'template.sqlite');
    eventIds = await seed(template);
    tables = layout(template);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
  });
  after(() => {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    rmSync(dir, { recursive: true, force: true });
  });

  it('any cell of any table damaged: every read settles, HTTP answers 200, 404 or a safe 500, the process and server stay up', async () => {
    assert.ok(tables.length >= 5, `tables found: ${tables.map((t) => t.table)}`);
    let applied = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), garbage, async (t, c, row, value) => {
        const { table, columns } = tables[t % tables.length]!;
        const d: Damage = { table, column: columns[c % columns.length]!, row, value };
        let where = '';
        const path = damaged((p) => {
          const r = damage(p, d);
          where = r.where;
          if (r.done) applied++;
        });
        const opened = open(path);
        try {
          const report = await readBack(opened.source, opened.storage, eventIds);
          assert.deepEqual(report.http, [], `${where} = ${JSON.stringify(value)}: HTTP`);
          assert.deepEqual(uncaught, [], `${where}: nothing uncaught`);
        } finally {
          await opened.close();
        }
      }),
      { numRuns: 80, seed: SEED },
    );
    assert.ok(applied > 40, `${applied} runs damaged a cell`);
  });

  it('a run over a damaged queue settles (an abort stops it at worst) and the process stays up', async () => {
    const cases: Array<[string, string]> = [
      ['a queued change that is not JSON', "UPDATE items SET pending = '{oops' WHERE pending IS NOT NULL"],
      ['a queued change of the wrong type', 'UPDATE items SET pending = 42 WHERE pending IS NOT NULL'],
      ['an event that is not JSON', "UPDATE events SET body = '{'"],
      ['an outcome that is not JSON', "UPDATE items SET outcome = 'x' WHERE outcome IS NOT NULL"],
    ];
    for (const [what, sql] of cases) {
      const opened = open(damaged(exec(sql)));
      try {
        const settled = await within(10_000, what, opened.engine.start({ signal: AbortSignal.timeout(3_000) }).then(() => 'ran', (e: unknown) => e));
        assert.ok(settled === 'ran' || settled instanceof Error, `${what}: ${String(settled)}`);
      } finally {
        await opened.close();
      }
    }
    assert.deepEqual(uncaught, []);
  });

  it('a damaged cell is a typed error naming what is wrong, or data the core’s schemas accept: never a SyntaxError, never unsound records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), garbage, async (t, c, row, value) => {
        const { table, columns } = tables[t % tables.length]!;
        let where = '';
        const opened = open(damaged((p) => (where = damage(p, { table, column: columns[c % columns.length]!, row, value }).where)));
        try {
          const report = await readBack(opened.source, opened.storage, eventIds);
          assert.deepEqual([...report.untyped, ...report.unsound], [], `${where} = ${JSON.stringify(value)}`);
        } finally {
          await opened.close();
        }
      }),
      { numRuns: 40, seed: SEED },
    );
  });

  it('an event of the wrong shape is refused, not listed as if sound', async () => {
    const opened = open(damaged(exec('UPDATE events SET body = \'{"status":"in_progress"}\'')));
    try {
      const listed = await opened.source.listEvents().then((p) => p.items, (e: unknown) => e);
      assert.ok(listed instanceof StorageCorruptError, `listed: ${JSON.stringify(listed).slice(0, 200)}`);
      assert.equal(listed.table, 'events');
      assert.match(listed.row ?? '', /connector "store-1", id "evt/);
      assert.match(listed.field ?? '', /^body\./);
      assert.match(listed.message, /Restore the database from a backup/);
    } finally {
      await opened.close();
    }
  });

  it('a queued change of the wrong shape is never sent to the store: the run ends with a general error naming it', async () => {
    const opened = open(damaged(exec('UPDATE items SET pending = \'{"entity":"product","op":"upsert"}\' WHERE pending IS NOT NULL')));
    try {
      const event = await within(10_000, 'run', opened.engine.start({ signal: AbortSignal.timeout(3_000) }));
      const sent = opened.target.pushedItems.filter((i) => i.change.op === 'upsert' && !('data' in i.change));
      assert.deepEqual(sent.map((i) => i.key), [], 'upserts without data were pushed');
      assert.equal(event.status, 'completed');
      assert.match(event.generalErrors.at(-1)?.message ?? '', /table items, connector "store-1", key "[a-z]+:\w+", field pending/);
      assert.deepEqual(await opened.storage.pendingCounts(C), { categories: 0, products: 1, variants: 1 }, 'nothing was marked synced');
    } finally {
      await opened.close();
    }
  });

  it('pending counts that disagree with the queue do not hold a run forever', async () => {
    const race = (p: Promise<unknown>) => Promise.race([p.catch((e: unknown) => e), new Promise<'still running'>((r) => setTimeout(() => r('still running'), 3_000))]);
    // Negative: refused when read, before the run begins.
    let opened = open(damaged(exec('UPDATE meta SET products = -5')));
    try {
      const ended = await race(opened.engine.start());
      assert.notEqual(ended, 'still running', 'the run waits for items that do not exist');
      assert.ok(ended instanceof StorageCorruptError && ended.table === 'meta' && ended.field === 'products', String(ended));
    } finally {
      await opened.close();
    }
    // More than the queue holds, and no lease anywhere: the run drains what there is, then ends with a general error.
    opened = open(damaged(exec('UPDATE meta SET products = 50')));
    try {
      const ended = await race(opened.engine.start());
      assert.notEqual(ended, 'still running', 'the run waits for items that do not exist');
      const event = ended as SyncEvent;
      assert.equal(event.status, 'completed', String(ended));
      assert.match(event.generalErrors.at(-1)?.message ?? '', /table meta, connector "store-1", field products: 49 pending, but no queued change/);
      assert.deepEqual(opened.target.pushedItems.map((i) => i.key).sort(), ['product:P5', 'variant:V5'], 'what was queued was sent');
    } finally {
      await opened.close();
    }
  });
});
