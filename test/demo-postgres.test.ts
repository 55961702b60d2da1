/**
 * The demo on PostgreSQL (`--database postgres://…`): its first run completes with the queue and
 * the history in the demo's schema, a second start on the same schema finds that history (and
 * serves it over HTTP), and `--fresh` drops it. Each test run uses a schema of its own, dropped at
 * the end; without a PostgreSQL server the suite skips, except under CI=true.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncEvent } from '@shopsync/core';
import { PostgresStorage } from '@shopsync/postgres';
import { demoOptions, type DemoOptions } from '../demo/options.js';
import { startDemo, type Demo } from '../demo/server.js';
import { PG_URL, pgFixture, unreachable } from '../packages/adapters/postgres/test/helpers.js';

const PRODUCTS = 6;
const CONNECTOR = 'northwall';
const pg = pgFixture('demo');

/** The latest event once it is neither In Progress nor Paused. */
async function runEnded(demo: Demo): Promise<SyncEvent> {
  const end = Date.now() + 60_000;
  for (;;) {
    const [latest] = (await demo.engine.listEvents({ limit: 1 })).items;
    if (latest && latest.status !== 'in_progress' && latest.status !== 'paused') return latest;
    assert.ok(Date.now() < end, `the run ended in 60 s (last seen: ${latest?.status ?? 'no event'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('demo: on PostgreSQL (--database)', { skip: unreachable ?? false }, () => {
  const schema = pg.schema();
  let dir: string;
  let options: DemoOptions;
  const demos: Demo[] = [];
  const start = async (fresh: boolean, lines: string[] = []) => {
    const demo = await startDemo({ ...options, fresh }, (line) => lines.push(line));
    demos.push(demo);
    return demo;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'shopsync-demo-pg-'));
    const parsed = demoOptions(['--data', dir, '--database', PG_URL, '--products', String(PRODUCTS), '--latency', 'none', '--iteration-delay', '0', '--trickle', '0'], { PORT: '' });
    assert.ok(parsed !== 'help' && parsed.database.kind === 'postgres');
    // The demo's own schema is shopsync_demo; this test's is a fresh one, dropped at the end.
    options = { ...parsed, database: { ...parsed.database, schema } };
  });
  after(async () => {
    for (const d of demos) await d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let first: SyncEvent;

  it('runs the first sync with the queue and the history in the schema: Completed, the items in PostgreSQL', async () => {
    const lines: string[] = [];
    const demo = await start(true, lines);
    first = await runEnded(demo);
    assert.equal(first.status, 'completed');
    assert.ok(lines.some((l) => l.includes(`PostgreSQL: schema "${schema}"`)), lines.join('\n'));
    // Read from the database by a storage of its own: what the demo wrote is there.
    const storage = await PostgresStorage.open({ url: PG_URL, schema, max: 1 });
    try {
      assert.deepEqual((await storage.listEvents(CONNECTOR, { offset: 0, limit: 10 })).items.map((e) => [e.id, e.status]), [[first.id, 'completed']]);
      assert.deepEqual(await storage.pendingCounts(CONNECTOR), { categories: 0, products: 0, variants: 0 });
      const items = await storage.queryItems(CONNECTOR, { offset: 0, limit: 1_000 });
      assert.ok(items.total > PRODUCTS * 2, `${items.total} item statuses`);
      assert.ok(items.items.some((i) => i.status === 'complete') && items.items.some((i) => i.status === 'error'), 'complete items, and those the store refuses');
      assert.ok((await storage.readLogs(CONNECTOR, first.id)).length > 0, 'its log');
    } finally {
      await storage.close();
    }
    await demo.close();
  });

  it('a second start on the same schema finds that history, seeds nothing, and serves it over HTTP', async () => {
    assert.ok(first, 'the first test ran');
    const lines: string[] = [];
    const demo = await start(false, lines);
    assert.ok(lines.includes(`1 earlier sync events in schema "${schema}" of database "${new URL(PG_URL).pathname.slice(1)}" on ${new URL(PG_URL).host}.`), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('Seeded')), 'not seeded again');
    const listed = await demo.engine.listEvents({ limit: 10 });
    assert.deepEqual(listed.items.map((e) => e.id), [first.id]);
    const res = await fetch(new URL('api/sync/events', demo.url), { headers: { 'Sec-Fetch-Site': 'same-origin' } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { items: SyncEvent[] };
    assert.deepEqual(body.items.map((e) => [e.id, e.status]), [[first.id, 'completed']]);
    await demo.close();
  });

  it('--fresh drops the schema: the history is gone and the catalog is seeded again', async () => {
    const lines: string[] = [];
    const demo = await start(true, lines);
    assert.ok(lines.some((l) => l.startsWith('Seeded')), lines.join('\n'));
    assert.equal(await demo.engine.getEvent(first.id), undefined, 'the earlier event is gone');
    await demo.close();
  });
});
