/**
 * The connector registry and the fleet's claims on SQLite (src/registry.ts, schema version 5),
 * beyond core's conformance suite: what is stored survives reopening the file; a claim is one
 * walk of `registry_claim` (no sort, no scan of items); and storages sharing one WAL file (in one
 * process, then in several at once) never hold the same connector at the same time.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { type ConnectorRecord } from '@shopsync/core';
import { toQueueEntries, connectorRecord, seededRandom } from '@shopsync/core/testing';
import { SqliteStorage } from '@shopsync/sqlite';
import { prepareRegistry } from '../src/registry.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('registry');
after(() => tmp.cleanup());
const T0 = Date.UTC(2026, 0, 15, 12);
const MIN = 60_000;
const WORKER = fileURLToPath(new URL('./fixtures/claim-worker.ts', import.meta.url));
const ids = (n: number) => Array.from({ length: n }, (_, i) => `store-${String(i).padStart(2, '0')}`);
const change = (ref: string) => toQueueEntries([{ entity: 'product', op: 'upsert', ref, data: { title: ref } }]).entries;

/** `n` registered connectors, each with a change queued (work until the end of the test). */
async function fleet(path: string, n: number): Promise<string[]> {
  const s = SqliteStorage.open({ path });
  for (const id of ids(n)) {
    await s.createConnector(connectorRecord(id));
    await s.enqueue(id, change('p'), T0);
  }
  await s.close();
  return ids(n);
}

describe('SQLite connector registry', () => {
  it('records, claims and throttle states survive reopening the file, equal to what was stored', async () => {
    const path = tmp.file('reopen.sqlite');
    const a: ConnectorRecord = connectorRecord('store-a', { language: 'de', locations: { main: 'Warehouse 1' }, publications: ['Online Store'] }, { schedule: { everyMs: 15 * MIN }, credentialsRef: 'vault:shops/a' });
    const b = connectorRecord('store-b', { enabled: false });
    let s = SqliteStorage.open({ path });
    await s.createConnector(a);
    await s.createConnector(b);
    await s.enqueue('store-a', change('p1'), T0);
    const [claim] = await s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 5 });
    assert.equal(claim?.record.config.id, 'store-a');
    const throttle = { at: new Date(T0 + 10).toISOString(), capacity: 2000, available: 1500.25, restoreRate: 100 };
    await s.releaseConnector('store-a', 'w1', { now: T0 + 20, open: true, throttle, nextRunAt: T0 + 30 });
    await s.close();

    s = SqliteStorage.open({ path });
    assert.deepEqual(await s.claimConnectors({ worker: 'w2', now: T0 + 29, leaseMs: MIN, limit: 5 }), [], 'held back until nextRunAt');
    assert.equal((await s.claimConnectors({ worker: 'w2', now: T0 + 30, leaseMs: MIN, limit: 5 })).length, 1);
    await s.close();

    s = SqliteStorage.open({ path });
    assert.deepEqual(await s.getConnector('store-a'), a);
    assert.deepEqual(await s.listConnectors({ offset: 0, limit: 10 }), { items: [a, b], total: 2 });
    assert.deepEqual(await s.fleetView(T0 + 40), [{ connectorId: 'store-a', state: 'running', worker: 'w2', since: T0 + 30 }]);
    assert.deepEqual(await s.claimConnectors({ worker: 'w3', now: T0 + 40, leaseMs: MIN, limit: 5 }), [], 'w2 still holds it');
    assert.equal(await s.renewConnectorClaim('store-a', 'w2', T0 + 50, MIN), true);
    const [again] = await s.claimConnectors({ worker: 'w3', now: T0 + 50 + MIN, leaseMs: MIN, limit: 5 });
    assert.deepEqual(again, { record: a, claimUntil: T0 + 50 + 2 * MIN, throttle }, 'taken over once expired, with the throttle state the last release left');
    await s.close();
  });

  it('a claim is one walk of registry_claim in claim order, joined to the pending counts: no sort, no scan of items', async () => {
    const path = tmp.file('plan.sqlite');
    await fleet(path, 3);
    const raw = new Sqlite(path);
    const { claimable } = prepareRegistry(raw);
    const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${claimable.source}`).all({ now: T0, limit: 5 }) as Array<{ detail: string }>).map((r) => r.detail);
    assert.deepEqual(plan, ['SCAN r USING INDEX registry_claim', 'SEARCH m USING PRIMARY KEY (connector=?) LEFT-JOIN']);
    raw.close();
  });

  it('two storages on one WAL file, claiming in turn with releases, renewals and expiries, never hold the same connector at once', async () => {
    const path = tmp.file('two.sqlite');
    await fleet(path, 50);
    const storages = { A: SqliteStorage.open({ path }), B: SqliteStorage.open({ path }) };
    const random = seededRandom(18);
    const LEASE = 5_000;
    /** Who holds each connector (as the claims returned say), and until when. */
    const holder = new Map<string, { worker: string; until: number }>();
    const held = { A: new Set<string>(), B: new Set<string>() };
    const stats = { claims: 0, takeovers: 0, renewals: 0, releases: 0 };
    try {
      for (let round = 0; round < 300; round++) {
        const now = T0 + round * 1_000;
        const order = round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
        for (const w of order) {
          for (const c of await storages[w].claimConnectors({ worker: w, now, leaseMs: LEASE, limit: 5 })) {
            const id = c.record.config.id;
            const h = holder.get(id);
            assert.ok(!h || h.until <= now, `round ${round}: ${w} claimed ${id} while ${h?.worker} holds it until ${h?.until} (now ${now})`);
            // The worker that let its claim expire still thinks it holds the connector: its renewal or release below finds out.
            if (h) stats.takeovers++;
            holder.set(id, { worker: w, until: now + LEASE });
            held[w].add(id);
            stats.claims++;
          }
        }
        for (const w of order) {
          for (const id of [...held[w]]) {
            const r = random();
            if (r < 0.35) {
              // A release by a worker that lost the connector changes nothing (the next claims check it).
              await storages[w].releaseConnector(id, w, { now, open: random() < 0.5 });
              if (holder.get(id)?.worker === w) holder.delete(id);
              held[w].delete(id);
              stats.releases++;
            } else if (r < 0.7) {
              // Renewed on time, or too late: true exactly while nobody else took it.
              const renewed = await storages[w].renewConnectorClaim(id, w, now, LEASE);
              assert.equal(renewed, holder.get(id)?.worker === w, `round ${round}: ${w} renewing ${id}`);
              if (renewed) holder.set(id, { worker: w, until: now + LEASE });
              else held[w].delete(id);
              stats.renewals++;
            }
            // Else it keeps the connector without renewing: the claim expires after LEASE, and
            // either worker may take it.
          }
        }
      }
      assert.ok(stats.claims > 500 && stats.takeovers > 20 && stats.renewals > 100 && stats.releases > 100, JSON.stringify(stats));
      const view = await storages.A.fleetView(T0 + 300 * 1_000);
      const live = [...holder].filter(([, h]) => h.until > T0 + 300 * 1_000).map(([id, h]) => ({ connectorId: id, worker: h.worker }));
      assert.deepEqual(
        view.filter((e) => e.state === 'running').map((e) => ({ connectorId: e.connectorId, worker: e.worker })).sort((x, y) => (x.connectorId < y.connectorId ? -1 : 1)),
        live.sort((x, y) => (x.connectorId < y.connectorId ? -1 : 1)),
        'the other storage sees the same claims',
      );
      assert.equal(view.length, 50, 'every connector has work: running or waiting');
    } finally {
      await storages.A.close();
      await storages.B.close();
    }
  });

  it('three processes claiming at once on one WAL file never hold the same connector at once', async () => {
    const path = tmp.file('processes.sqlite');
    const holdDir = tmp.file('held');
    await fleet(path, 50);
    mkdirSync(holdDir);
    const workers = ['p1', 'p2', 'p3'].map((worker, i) => {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', WORKER], {
        env: { ...process.env, SHOPSYNC_CLAIM_WORKER: JSON.stringify({ dbPath: path, holdDir, worker, rounds: 150, seed: 100 + i }) },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let markReady!: () => void;
      const ready = new Promise<void>((r) => (markReady = r));
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('ready')) markReady();
      });
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
      return { child, ready, exited };
    });
    const timer = setTimeout(() => workers.forEach((w) => w.child.kill('SIGKILL')), 90_000);
    try {
      await Promise.race([Promise.all(workers.map((w) => w.ready)), Promise.all(workers.map((w) => w.exited))]);
      for (const w of workers) w.child.stdin.write('go\n');
      const ends = await Promise.all(workers.map((w) => w.exited));
      const results = ends.map((end) => {
        assert.equal(end.code, 0, end.out);
        return JSON.parse(end.out.trim().split('\n').at(-1)!) as { worker: string; claims: number; violations: string[] };
      });
      assert.deepEqual(results.flatMap((r) => r.violations), [], 'no connector held by two workers at once');
      for (const r of results) assert.ok(r.claims > 50, `${r.worker} claimed ${r.claims} times`);
    } finally {
      clearTimeout(timer);
    }
    const s = SqliteStorage.open({ path });
    const view = await s.fleetView(Date.now());
    assert.deepEqual([view.length, view.filter((e) => e.state === 'running')], [50, []], 'all released, all still waiting with their queued change');
    await s.close();
  });
});
