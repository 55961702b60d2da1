/**
 * The connector registry and the fleet's claims, as every StorageAdapter must keep them: part of
 * `runStorageConformance`.
 */
import { toQueueEntries } from '../queue/queue.js';
import { SCHEMA_VERSION } from '../schemas/common.js';
import { connectorConfigSchema, type ConnectorConfigInput } from '../schemas/connector.js';
import type { ConnectorRecord, ConnectorSchedule } from '../schemas/registry.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { deepEqual, equal, ok } from './assert.js';

const T0 = Date.UTC(2026, 0, 15, 12);
const MIN = 60_000;

/** A registry record for `id` (configuration defaults filled in). */
export function connectorRecord(id: string, config: Partial<ConnectorConfigInput> = {}, extra: { schedule?: ConnectorSchedule; credentialsRef?: string } = {}): ConnectorRecord {
  const at = new Date(T0).toISOString();
  return { v: SCHEMA_VERSION, config: connectorConfigSchema.parse({ id, shopDomain: `${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.myshopify.com`, apiVersion: '2026-01', ...config }), ...extra, createdAt: at, updatedAt: at };
}

const change = (ref: string) => toQueueEntries([{ entity: 'product', op: 'upsert', ref, data: { title: ref } }]).entries;

/** Registers the registry's tests with the suite's `describe` and `test` (a fresh storage each). */
export function registryConformance(describe: (name: string, fn: () => void) => unknown, test: (name: string, fn: (s: StorageAdapter) => Promise<void>) => unknown): void {
  describe('connector registry', () => {
    test('creates, reads, lists by id, replaces and removes records; the same id twice is refused', async (s) => {
      const a = connectorRecord('store-a', { language: 'de', locations: { main: 'Warehouse 1' } }, { schedule: { everyMs: 15 * MIN }, credentialsRef: 'vault:shops/a' });
      const b = connectorRecord('store-b');
      equal(await s.createConnector(b), true);
      equal(await s.createConnector(a), true);
      equal(await s.createConnector({ ...a, config: { ...a.config, language: 'fr' } }), false, 'the id exists');
      deepEqual(await s.getConnector('store-a'), a);
      equal(await s.getConnector('store-z'), undefined);
      const page = await s.listConnectors({ offset: 0, limit: 1 });
      deepEqual([page.items.map((r) => r.config.id), page.total], [['store-a'], 2]);
      deepEqual((await s.listConnectors({ offset: 1, limit: 10 })).items.map((r) => r.config.id), ['store-b']);
      const changed: ConnectorRecord = { ...a, config: { ...a.config, enabled: false }, updatedAt: new Date(T0 + MIN).toISOString() };
      delete changed.schedule;
      equal(await s.updateConnector(changed), true);
      deepEqual(await s.getConnector('store-a'), changed);
      equal(await s.updateConnector(connectorRecord('store-z')), false, 'no such connector');
      equal(await s.getConnector('store-z'), undefined, 'an update creates nothing');
      equal(await s.deleteConnector('store-a'), true);
      equal(await s.deleteConnector('store-a'), false);
      deepEqual((await s.listConnectors({ offset: 0, limit: 10 })).items.map((r) => r.config.id), ['store-b']);
    });

    test('a connector is claimed when it has work, by one worker at a time, until its claim expires', async (s) => {
      await s.createConnector(connectorRecord('store-a'));
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 10 }), [], 'nothing pending, nothing open');
      await s.enqueue('store-a', change('p1'), T0);
      const [claim] = await s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 10 });
      ok(claim);
      equal(claim.record.config.id, 'store-a');
      equal(claim.claimUntil, T0 + MIN);
      deepEqual(await s.claimConnectors({ worker: 'w2', now: T0 + 1_000, leaseMs: MIN, limit: 10 }), [], 'held by w1');
      equal(await s.renewConnectorClaim('store-a', 'w1', T0 + 30_000, MIN), true);
      deepEqual(await s.claimConnectors({ worker: 'w2', now: T0 + MIN + 1_000, leaseMs: MIN, limit: 10 }), [], 'renewed until T0 + 90 s');
      // w1 stops renewing (it died): once the claim expires, w2 takes the connector.
      deepEqual((await s.claimConnectors({ worker: 'w2', now: T0 + 2 * MIN, leaseMs: MIN, limit: 10 })).map((c) => c.record.config.id), ['store-a']);
      equal(await s.renewConnectorClaim('store-a', 'w1', T0 + 2 * MIN, MIN), false, 'w1 lost it');
      await s.releaseConnector('store-a', 'w1', { now: T0 + 2 * MIN, open: false });
      deepEqual(await s.claimConnectors({ worker: 'w3', now: T0 + 2 * MIN + 1, leaseMs: MIN, limit: 10 }), [], "w1's release changed nothing: w2 holds it");
    });

    test('released: claimed again while changes are pending or its run is open, never while disabled', async (s) => {
      await s.createConnector(connectorRecord('store-a'));
      await s.enqueue('store-a', change('p1'), T0);
      await s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 1 });
      await s.releaseConnector('store-a', 'w1', { now: T0 + 1, open: false });
      equal((await s.claimConnectors({ worker: 'w2', now: T0 + 2, leaseMs: MIN, limit: 1 })).length, 1, 'still pending');
      const lease = await s.lease('store-a', { limit: 10, leaseMs: MIN, now: T0 + 3 });
      ok(lease);
      await s.ack('store-a', lease.id, { items: [{ v: SCHEMA_VERSION, entity: 'product', ref: 'p1', op: 'upsert', status: 'complete', errors: [], syncEventId: 'e', updatedAt: new Date(T0).toISOString(), consecutiveFailures: 0 }], now: T0 + 4 });
      await s.releaseConnector('store-a', 'w2', { now: T0 + 5, open: true });
      equal((await s.claimConnectors({ worker: 'w1', now: T0 + 6, leaseMs: MIN, limit: 1 })).length, 1, 'nothing pending, but its run is open');
      await s.releaseConnector('store-a', 'w1', { now: T0 + 7, open: false });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 8, leaseMs: MIN, limit: 1 }), [], 'nothing pending, run ended');
      await s.enqueue('store-a', change('p2'), T0 + 9);
      const r = (await s.getConnector('store-a'))!;
      await s.updateConnector({ ...r, config: { ...r.config, enabled: false } });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 10, leaseMs: MIN, limit: 1 }), [], 'disabled');
    });

    test('least recently claimed first; at most `limit`; a schedule holds pending changes until due', async (s) => {
      for (const id of ['s1', 's2', 's3']) {
        await s.createConnector(connectorRecord(id));
        await s.enqueue(id, change('p'), T0);
      }
      await s.createConnector(connectorRecord('s4', {}, { schedule: { everyMs: 10 * MIN } }));
      await s.enqueue('s4', change('p'), T0);
      deepEqual((await s.claimConnectors({ worker: 'w', now: T0, leaseMs: MIN, limit: 2 })).map((c) => c.record.config.id), ['s1', 's2']);
      await s.releaseConnector('s1', 'w', { now: T0 + 1, open: true });
      await s.releaseConnector('s2', 'w', { now: T0 + 2, open: true });
      deepEqual((await s.claimConnectors({ worker: 'w', now: T0 + 3, leaseMs: MIN, limit: 10 })).map((c) => c.record.config.id), ['s3', 's4', 's1', 's2'], 'never claimed first, then by last claim');
      await s.releaseConnector('s4', 'w', { now: T0 + 4, open: false, nextRunAt: T0 + 10 * MIN });
      for (const id of ['s1', 's2', 's3']) await s.releaseConnector(id, 'w', { now: T0 + 4, open: false });
      deepEqual((await s.claimConnectors({ worker: 'w', now: T0 + 5 * MIN, leaseMs: 60 * MIN, limit: 10 })).map((c) => c.record.config.id), ['s1', 's2', 's3'], 's4 waits for its schedule');
      deepEqual((await s.claimConnectors({ worker: 'w', now: T0 + 10 * MIN, leaseMs: MIN, limit: 10 })).map((c) => c.record.config.id), ['s4']);
    });

    test('the throttle state a runner leaves goes to the next claim; the fleet view shows who runs and who waits', async (s) => {
      await s.createConnector(connectorRecord('s1'));
      await s.createConnector(connectorRecord('s2'));
      await s.createConnector(connectorRecord('idle'));
      await s.enqueue('s1', change('p'), T0);
      await s.enqueue('s2', change('p'), T0);
      const [c1] = await s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 1 });
      equal(c1!.throttle, undefined);
      const throttle = { at: new Date(T0 + 500).toISOString(), capacity: 2000, available: 120.5, restoreRate: 100 };
      deepEqual(await s.fleetView(T0 + 100), [
        { connectorId: 's2', state: 'waiting', since: T0 },
        { connectorId: 's1', state: 'running', worker: 'w1', since: T0 },
      ].sort((a, b) => a.since - b.since || (a.connectorId < b.connectorId ? -1 : 1)));
      await s.releaseConnector('s1', 'w1', { now: T0 + 1_000, open: true, throttle });
      const claims = await s.claimConnectors({ worker: 'w2', now: T0 + 2_000, leaseMs: MIN, limit: 2 });
      deepEqual(claims.map((c) => [c.record.config.id, c.throttle]), [['s2', undefined], ['s1', throttle]]);
      await s.releaseConnector('s1', 'w2', { now: T0 + 3_000, open: true });
      equal((await s.claimConnectors({ worker: 'w3', now: T0 + 4_000, leaseMs: MIN, limit: 1 }))[0]?.throttle?.available, 120.5, 'kept when the next release says nothing new');
    });

    test('a run requested: claimed with nothing pending, the claim carries it; the release that handled it clears it, one made during the run survives', async (s) => {
      await s.createConnector(connectorRecord('store-a'));
      equal(await s.requestRun('store-z', T0), false, 'not in the registry');
      equal(await s.getConnector('store-z'), undefined, 'a request creates nothing');
      equal(await s.requestRun('store-a', T0 + 1), true);
      deepEqual(await s.fleetView(T0 + 2), [{ connectorId: 'store-a', state: 'waiting', since: T0 }], 'waiting for a run, nothing pending');
      const [first] = await s.claimConnectors({ worker: 'w1', now: T0 + 2, leaseMs: MIN, limit: 10 });
      ok(first, 'claimed with nothing pending');
      equal(first.runRequestedAt, T0 + 1);
      await s.releaseConnector('store-a', 'w1', { now: T0 + 3, open: false, runRequestHandled: T0 + 1 });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 4, leaseMs: MIN, limit: 10 }), [], 'handled: not claimed again');
      deepEqual(await s.fleetView(T0 + 4), []);

      equal(await s.requestRun('store-a', T0 + 5), true);
      equal((await s.claimConnectors({ worker: 'w1', now: T0 + 6, leaseMs: MIN, limit: 10 }))[0]?.runRequestedAt, T0 + 5);
      equal(await s.requestRun('store-a', T0 + 7), true, 'asked again while it runs');
      // A schedule's next turn does not hold back a run asked for after the claim.
      await s.releaseConnector('store-a', 'w1', { now: T0 + 8, open: false, runRequestHandled: T0 + 5, nextRunAt: T0 + 10 * MIN });
      const [again] = await s.claimConnectors({ worker: 'w2', now: T0 + 9, leaseMs: MIN, limit: 10 });
      equal(again?.runRequestedAt, T0 + 7, 'the request made during the run survived its release');
      await s.releaseConnector('store-a', 'w2', { now: T0 + 10, open: false, runRequestHandled: T0 + 7 });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 11, leaseMs: MIN, limit: 10 }), []);

      // A release that ran nothing for it (no runRequestHandled) leaves the request, and another claim finds it.
      await s.requestRun('store-a', T0 + 12);
      await s.claimConnectors({ worker: 'w1', now: T0 + 13, leaseMs: MIN, limit: 10 });
      await s.releaseConnector('store-a', 'w1', { now: T0 + 14, open: false });
      equal((await s.claimConnectors({ worker: 'w2', now: T0 + 15, leaseMs: MIN, limit: 10 }))[0]?.runRequestedAt, T0 + 12);
    });

    test("a run request waits while its connector is disabled, lifts a hold, keeps the newest time, and outlasts a failed slot's pause", async (s) => {
      await s.createConnector(connectorRecord('off', { enabled: false }));
      equal(await s.requestRun('off', T0), true);
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 1, leaseMs: MIN, limit: 10 }), [], 'disabled');
      deepEqual(await s.fleetView(T0 + 1), []);
      const off = (await s.getConnector('off'))!;
      await s.updateConnector({ ...off, config: { ...off.config, enabled: true } });
      deepEqual((await s.claimConnectors({ worker: 'w1', now: T0 + 2, leaseMs: MIN, limit: 10 })).map((c) => [c.record.config.id, c.runRequestedAt]), [['off', T0]], 'enabled: its request is run');

      await s.createConnector(connectorRecord('held'));
      await s.enqueue('held', change('p1'), T0);
      await s.claimConnectors({ worker: 'w1', now: T0 + 3, leaseMs: MIN, limit: 1 });
      await s.releaseConnector('held', 'w1', { now: T0 + 4, open: false, nextRunAt: T0 + 10 * MIN });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 5, leaseMs: MIN, limit: 10 }), [], 'held until its next turn');
      equal(await s.requestRun('held', T0 + 200), true);
      equal(await s.requestRun('held', T0 + 100), true, 'an older request (another clock) is covered by the newer');
      const [lifted] = await s.claimConnectors({ worker: 'w1', now: T0 + 300, leaseMs: MIN, limit: 10 });
      deepEqual([lifted?.record.config.id, lifted?.runRequestedAt], ['held', T0 + 200], 'the hold is lifted; the newest request kept');

      // The slot failed (its run never started): the request stays, behind the pause the release sets.
      await s.releaseConnector('held', 'w1', { now: T0 + 400, open: true, nextRunAt: T0 + 30_000 });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 29_999, leaseMs: MIN, limit: 10 }), [], 'paused');
      equal((await s.claimConnectors({ worker: 'w1', now: T0 + 30_000, leaseMs: MIN, limit: 10 }))[0]?.runRequestedAt, T0 + 200, 'then claimed with the request');
      // A request in the claim's own millisecond counts as one the claim may have seen: a failed slot's pause holds it.
      await s.requestRun('held', T0 + 30_000);
      await s.releaseConnector('held', 'w1', { now: T0 + 30_001, open: true, nextRunAt: T0 + 60_000 });
      deepEqual(await s.claimConnectors({ worker: 'w1', now: T0 + 59_999, leaseMs: MIN, limit: 10 }), [], 'paused');
      equal((await s.claimConnectors({ worker: 'w1', now: T0 + 60_000, leaseMs: MIN, limit: 10 }))[0]?.runRequestedAt, T0 + 30_000);
    });

    test('connectors are isolated: a claim, a release or a removal of one leaves the others as they were', async (s) => {
      await s.createConnector(connectorRecord('s1'));
      await s.createConnector(connectorRecord('s2'));
      await s.enqueue('s1', change('p'), T0);
      await s.enqueue('s2', change('p'), T0);
      await s.claimConnectors({ worker: 'w1', now: T0, leaseMs: MIN, limit: 1 });
      equal(await s.renewConnectorClaim('s2', 'w1', T0, MIN), false, 'w1 holds s1 only');
      await s.releaseConnector('s2', 'w1', { now: T0, open: false });
      equal(await s.deleteConnector('s1'), true);
      deepEqual((await s.claimConnectors({ worker: 'w2', now: T0 + 1, leaseMs: MIN, limit: 10 })).map((c) => c.record.config.id), ['s2']);
      deepEqual(await s.pendingCounts('s1'), { categories: 0, products: 1, variants: 0 }, 'removing a connector keeps its queue');
    });
  });
}
