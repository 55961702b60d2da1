/**
 * The fleet: the connector registry as hosts use it, and FleetRunner claiming, yielding,
 * resuming, stopping and handing throttle state on, with a manual clock and memory storage.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorRegistry, FleetRunner, MemoryStorage, ValidationError, type Change, type ConnectContext, type SlotEnded, type StorageAdapter, type Target, type ThrottleState } from '@shopsync/core';
import { toQueueEntries, FakeTarget, ManualClock, flush } from '@shopsync/core/testing';
import { sleep } from '@shopsync/core/internal';

const products = (n: number, prefix = 'P'): Change[] => Array.from({ length: n }, (_, i) => ({ entity: 'product', op: 'upsert', ref: `${prefix}${i + 1}`, data: { title: `${prefix} ${i + 1}` } }));

/** A target whose pushes take `pushMs` on the manual clock, and which remembers the throttle state each connect was given. */
class ClockedTarget extends FakeTarget {
  readonly seeds: Array<ThrottleState | undefined> = [];
  suspended: string[] = [];
  constructor(clock: ManualClock, pushMs: number, readonly leave?: ThrottleState) {
    super();
    this.onPush = () => sleep(clock, pushMs);
  }
  override async connect(ctx: ConnectContext) {
    this.seeds.push(ctx.throttle);
    return super.connect(ctx);
  }
  suspend(connectorId: string): ThrottleState | undefined {
    this.suspended.push(connectorId);
    return this.leave;
  }
}

async function setup(storage: StorageAdapter, clock: ManualClock, connectors: Record<string, number>) {
  const registry = new ConnectorRegistry(storage, { clock });
  for (const [id, n] of Object.entries(connectors)) {
    await registry.create({ config: { id, shopDomain: `${id}.myshopify.com`, apiVersion: '2026-01' } });
    await storage.enqueue(id, toQueueEntries(products(n, id)).entries, clock.now());
  }
  return registry;
}

/** Advances the clock until `done()` or `maxMs` of clock time passed. */
async function runUntil(clock: ManualClock, done: () => boolean, maxMs = 600_000, stepMs = 250): Promise<void> {
  for (let t = 0; t < maxMs && !done(); t += stepMs) await clock.advance(stepMs);
  assert.ok(done(), 'did not finish in time');
}

describe('ConnectorRegistry', () => {
  it('creates, changes and removes connectors, checking every field; a token as credentials reference is refused', async () => {
    const clock = new ManualClock();
    const registry = new ConnectorRegistry(new MemoryStorage(), { clock });
    const a = await registry.create({ config: { id: 'store-a', shopDomain: 'a.myshopify.com', apiVersion: '2026-01' }, schedule: { everyMs: 900_000 }, credentialsRef: 'vault:shops/a' });
    assert.equal(a.config.language, 'en', 'defaults filled in');
    await assert.rejects(registry.create({ config: { id: 'store-a', shopDomain: 'a.myshopify.com', apiVersion: '2026-01' } }), { code: 'connector_exists' });
    await assert.rejects(registry.create({ config: { id: 'b', shopDomain: 'b.example.com', apiVersion: '26-1' } }), (e: unknown) => e instanceof ValidationError && /config\.shopDomain/.test(e.message) && /config\.apiVersion/.test(e.message));
    await assert.rejects(registry.create({ config: { id: 'c', shopDomain: 'c.myshopify.com', apiVersion: '2026-01' }, credentialsRef: 'shpat_0123456789abcdef' }), (e: unknown) => e instanceof ValidationError && /credentialsRef.*not a token/.test(e.message));
    await clock.advance(1_000);
    const changed = await registry.update('store-a', { config: { language: 'de' }, schedule: null });
    assert.equal(changed.config.language, 'de');
    assert.equal(changed.config.shopDomain, 'a.myshopify.com', 'other fields kept');
    assert.equal(changed.schedule, undefined);
    assert.equal(changed.updatedAt, new Date(clock.now()).toISOString());
    await assert.rejects(registry.update('store-a', { config: { language: 'Deutsch' } }), (e: unknown) => e instanceof ValidationError && /patch\.config\.language/.test(e.message));
    await assert.rejects(registry.update('store-a', { config: { id: 'other' } }), (e: unknown) => e instanceof ValidationError && /patch\.config\.id/.test(e.message));
    assert.deepEqual(await registry.get('store-a'), changed, 'a refused change wrote nothing');
    await assert.rejects(registry.update('nope', { config: { language: 'de' } }), { code: 'connector_not_found' });
    assert.deepEqual((await registry.list()).items.map((r) => r.config.id), ['store-a']);
    assert.equal(await registry.remove('store-a'), true);
    assert.equal((await registry.list()).total, 0);
  });
});

describe('FleetRunner', () => {
  it('a busy connector yields its slot after its time slice, the others run, and its event goes on in its next turn', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    await setup(storage, clock, { 'a-big': 20, 'b-small': 2, 'c-small': 2 });
    const target = new ClockedTarget(clock, 1_000);
    const runner = new FleetRunner({ storage, clock, targetFor: () => target, concurrency: 1, sliceMs: 3_000, pollMs: 100, engine: { batchSize: 2 } });
    const ended: SlotEnded[] = [];
    runner.on('released', (e) => ended.push(e));
    // engineCreated hands out each slot's engine before its run: its events can be watched from the start.
    const watched: string[] = [];
    runner.on('engineCreated', ({ connectorId, engine }) => {
      assert.equal(engine.running, false, 'handed out before its run starts');
      engine.on('statusChanged', (c) => watched.push(`${connectorId}:${c.status}`));
    });
    runner.start();
    await runUntil(clock, () => ended.filter((e) => e.connectorId === 'a-big').at(-1)?.outcome === 'completed');
    assert.deepEqual(
      watched.filter((w) => !w.endsWith(':in_progress')),
      ['b-small:completed', 'c-small:completed', 'a-big:completed'],
      'every run watched through engineCreated, to its end',
    );
    await runner.stop();
    const order = ended.map((e) => `${e.connectorId}:${e.outcome}`);
    assert.deepEqual(order.slice(0, 3), ['a-big:yielded', 'b-small:completed', 'c-small:completed'], 'the small stores ran while the big one waited its turn');
    assert.ok(ended.filter((e) => e.connectorId === 'a-big').every((e, i, all) => e.outcome === (i === all.length - 1 ? 'completed' : 'yielded')));
    assert.ok(ended.every((e) => e.heldMs <= 3_000 + 1_000 + 250), 'a slot ends within its slice plus the iteration under way');
    const events = await storage.listEvents('a-big', { offset: 0, limit: 10 });
    assert.equal(events.total, 1, 'one event, resumed turn after turn');
    const event = events.items[0]!;
    assert.equal(event.status, 'completed');
    assert.equal(event.yieldedAt?.length, ended.filter((e) => e.connectorId === 'a-big' && e.outcome === 'yielded').length);
    assert.equal(event.iterations.length, 10);
    const logs = (await storage.readLogs('a-big', event.id)).map((l) => l.message);
    assert.ok(logs.some((m) => /gave its turn to other stores after \d+ iterations/.test(m)));
    assert.ok(logs.some((m) => m === 'Synchronization resumed in its turn.'));
    assert.equal(target.store.size, 24, 'every product of every store was sent');
    assert.deepEqual(runner.status().running, [], 'no engine kept for idle connectors');
    assert.deepEqual([...new Set(target.suspended)].sort(), ['a-big', 'b-small', 'c-small'], 'the target let go of each connector');
  });

  it('never more slots than its concurrency; two runners on one storage never drive one connector at once', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const sizes = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`s${String(i).padStart(2, '0')}`, 1 + (i % 4) * 3]));
    await setup(storage, clock, sizes);
    const target = new ClockedTarget(clock, 500);
    const held = new Map<string, string>();
    let most = 0;
    let overlaps = 0;
    const runners = ['w1', 'w2'].map((worker) => new FleetRunner({ storage, clock, worker, targetFor: () => target, concurrency: 3, sliceMs: 2_000, pollMs: 100, engine: { batchSize: 2 } }));
    const ended: SlotEnded[] = [];
    for (const r of runners) {
      r.on('claimed', (e) => {
        if (held.has(e.connectorId)) overlaps++;
        held.set(e.connectorId, e.worker);
        most = Math.max(most, r.status().running.length);
      });
      r.on('released', (e) => {
        held.delete(e.connectorId);
        ended.push(e);
      });
      r.start();
    }
    await runUntil(clock, () => Object.keys(sizes).every((id) => ended.some((e) => e.connectorId === id && e.outcome === 'completed')));
    await Promise.all(runners.map((r) => r.stop()));
    assert.equal(overlaps, 0);
    assert.ok(most <= 3, `at most 3 slots a runner (saw ${most})`);
    assert.ok(new Set(ended.map((e) => e.worker)).size === 2, 'both runners worked');
    assert.equal(target.store.size, Object.values(sizes).reduce((a, b) => a + b, 0));
  });

  it('a runner that dies mid-run: once its claim expires another claims the connector, resumes the same event and finishes it', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    await setup(storage, clock, { big: 10 });
    // The dying runner's storage: from `dead` on, nothing it does reaches the shared storage.
    let dead = false;
    const dying = new Proxy(storage, {
      get(t, p) {
        const v = Reflect.get(t, p, t) as unknown;
        return typeof v === 'function' ? (...args: unknown[]) => (dead ? new Promise(() => undefined) : (v as (...a: unknown[]) => unknown).apply(t, args)) : v;
      },
    });
    const t1 = new ClockedTarget(clock, 1_000);
    const first = new FleetRunner({ storage: dying, clock, worker: 'first', targetFor: () => t1, sliceMs: 600_000, claimMs: 30_000, pollMs: 100, engine: { batchSize: 2, leaseMs: 5_000 } });
    first.start();
    await runUntil(clock, () => t1.pushes.length >= 2);
    dead = true;
    const t2 = new ClockedTarget(clock, 1_000);
    const second = new FleetRunner({ storage, clock, worker: 'second', targetFor: () => t2, sliceMs: 600_000, claimMs: 30_000, pollMs: 1_000, engine: { batchSize: 2, leaseMs: 5_000 } });
    const ended: SlotEnded[] = [];
    second.on('released', (e) => ended.push(e));
    second.start();
    await clock.advance(10_000);
    assert.equal(t2.pushes.length, 0, 'the claim of the dead runner still holds');
    await runUntil(clock, () => ended.some((e) => e.outcome === 'completed'), 600_000, 1_000);
    await second.stop();
    const events = await storage.listEvents('big', { offset: 0, limit: 10 });
    assert.equal(events.total, 1, 'the same event, resumed');
    assert.equal(events.items[0]!.status, 'completed');
    assert.equal(new Set([...t1.store.keys(), ...t2.store.keys()]).size, 10, 'every product sent, by one or the other');
    assert.deepEqual(await storage.pendingCounts('big'), { categories: 0, products: 0, variants: 0 });
  });

  it('stop() lets the iteration under way finish, releases its claims with the run open, and the next runner resumes the event', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    await setup(storage, clock, { big: 10 });
    const throttle: ThrottleState = { at: new Date(clock.now()).toISOString(), capacity: 2_000, available: 40, restoreRate: 100 };
    const t1 = new ClockedTarget(clock, 1_000, throttle);
    const first = new FleetRunner({ storage, clock, worker: 'first', targetFor: () => t1, sliceMs: 600_000, pollMs: 100, engine: { batchSize: 2 } });
    const ended: SlotEnded[] = [];
    first.on('released', (e) => ended.push(e));
    first.start();
    await runUntil(clock, () => t1.pushes.length === 2);
    const stopped = first.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await flush();
    assert.equal(done, false, 'the iteration under way is not cut');
    await runUntil(clock, () => done);
    assert.deepEqual(ended.map((e) => e.outcome), ['yielded']);
    assert.equal(t1.pushes.length, 2, 'no iteration started after stop()');
    const [event] = (await storage.listEvents('big', { offset: 0, limit: 1 })).items;
    assert.equal(event!.status, 'in_progress');
    assert.equal(event!.iterations.length, 2, 'the iteration under way was recorded');
    assert.deepEqual(await storage.fleetView(clock.now()), [{ connectorId: 'big', state: 'waiting', since: clock.now() }]);
    const t2 = new ClockedTarget(clock, 1_000);
    const second = new FleetRunner({ storage, clock, worker: 'second', targetFor: () => t2, pollMs: 100, engine: { batchSize: 2 } });
    const ended2: SlotEnded[] = [];
    second.on('released', (e) => ended2.push(e));
    second.start();
    await runUntil(clock, () => ended2.length > 0);
    await second.stop();
    assert.equal(ended2[0]!.outcome, 'completed');
    assert.equal(ended2[0]!.event!.id, event!.id, 'the same event');
    assert.deepEqual(t2.seeds, [throttle], "the next runner's target started from the throttle state the last one left");
  });

  it('stop() while a claim is on its way: what it claims is let go unrun, and stop() does not wait for a run', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    await setup(storage, clock, { big: 20 });
    let letClaimAnswer: () => void = () => undefined;
    const held = new Promise<void>((r) => (letClaimAnswer = r));
    const slow = new Proxy(storage, {
      get(t, p) {
        const v = Reflect.get(t, p, t) as unknown;
        if (p === 'claimConnectors') return async (...args: unknown[]) => ((await held, (v as (...a: unknown[]) => unknown).apply(t, args)));
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    const target = new ClockedTarget(clock, 1_000);
    const runner = new FleetRunner({ storage: slow, clock, targetFor: () => target, pollMs: 100 });
    const ended: SlotEnded[] = [];
    runner.on('released', (e) => ended.push(e));
    runner.start();
    await flush();
    const stopped = runner.stop();
    letClaimAnswer();
    await stopped;
    assert.equal(target.pushes.length, 0, 'nothing ran');
    assert.deepEqual(ended, [], 'no slot started');
    assert.deepEqual(await storage.fleetView(clock.now()), [{ connectorId: 'big', state: 'waiting', since: clock.now() }], 'released, its work waiting');
  });

  it('a connector with a schedule: after a run completes, changes that arrive wait for its next turn', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const registry = await setup(storage, clock, { timed: 2 });
    await registry.update('timed', { schedule: { everyMs: 600_000 } });
    const target = new ClockedTarget(clock, 100);
    // Polls every 30 s: minutes of clock time pass here, each timer firing costs real time (flush).
    const runner = new FleetRunner({ storage, clock, targetFor: () => target, pollMs: 30_000 });
    const ended: SlotEnded[] = [];
    runner.on('released', (e) => ended.push(e));
    runner.start();
    await runUntil(clock, () => ended.length === 1);
    const doneAt = clock.now();
    await storage.enqueue('timed', toQueueEntries(products(1, 'later')).entries, clock.now());
    await clock.advance(300_000);
    assert.equal(ended.length, 1, 'not before its next turn');
    await runUntil(clock, () => ended.length === 2, 900_000, 5_000);
    await runner.stop();
    assert.ok(clock.now() - doneAt >= 600_000, 'run at its next turn');
    assert.deepEqual(ended.map((e) => e.outcome), ['completed', 'completed']);
    assert.equal(target.store.size, 3);
  });

  describe('a run requested (StorageAdapter.requestRun, a host\'s "sync now")', () => {
    /** A runner over `queued` products queued for connector `c` (none: nothing to do until asked). */
    async function requested(queued: number, targetFor?: () => Target) {
      const clock = new ManualClock();
      const storage = new MemoryStorage();
      const registry = new ConnectorRegistry(storage, { clock });
      await registry.create({ config: { id: 'c', shopDomain: 'c.myshopify.com', apiVersion: '2026-01' } });
      if (queued > 0) await storage.enqueue('c', toQueueEntries(products(queued)).entries, clock.now());
      const target = new ClockedTarget(clock, 1_000);
      const runner = new FleetRunner({ storage, clock, targetFor: targetFor ?? (() => target), pollMs: 1_000, engine: { batchSize: 2 } });
      const ended: SlotEnded[] = [];
      runner.on('released', (e) => ended.push(e));
      const events = async () => (await storage.listEvents('c', { offset: 0, limit: 10 })).items.reverse().map((e) => `${e.trigger}:${e.status}`);
      return { clock, storage, target, runner, ended, events };
    }

    it('with nothing queued: the runner starts a manual run, which completes, and runs nothing more', async () => {
      const { clock, storage, runner, ended, events } = await requested(0);
      runner.start();
      await clock.advance(5_000);
      assert.equal(ended.length, 0, 'nothing queued, nothing asked: not claimed');
      assert.equal(await storage.requestRun('c', clock.now()), true);
      await runUntil(clock, () => ended.length === 1);
      await clock.advance(5_000);
      await runner.stop();
      assert.deepEqual(ended.map((e) => e.outcome), ['completed'], 'run once: the release handled the request');
      assert.deepEqual(await events(), ['manual:completed']);
      assert.deepEqual(await storage.fleetView(clock.now()), []);
    });

    it('with changes queued: the run it starts is manual, and sends them', async () => {
      const { clock, storage, target, runner, ended, events } = await requested(3);
      await storage.requestRun('c', clock.now());
      runner.start();
      await runUntil(clock, () => ended.length === 1);
      await runner.stop();
      assert.deepEqual(await events(), ['manual:completed']);
      assert.equal(target.store.size, 3);
    });

    it('asked again while it runs: another run follows the one under way, then no more', async () => {
      const { clock, storage, target, runner, ended, events } = await requested(6);
      await storage.requestRun('c', clock.now());
      runner.start();
      await runUntil(clock, () => target.pushes.length === 1);
      assert.equal(await storage.requestRun('c', clock.now()), true);
      await runUntil(clock, () => ended.length === 2, 30_000);
      await clock.advance(5_000);
      await runner.stop();
      assert.deepEqual(ended.map((e) => e.outcome), ['completed', 'completed'], 'its release handled the first request only');
      assert.deepEqual(await events(), ['manual:completed', 'manual:completed'], 'the run asked for, then the one asked for meanwhile');
      assert.equal(target.store.size, 6);
    });

    it('a slot that could not run keeps the request: after its pause, the run asked for happens', async () => {
      let calls = 0;
      const { clock, storage, runner, ended, events } = await requested(0, () => {
        if (++calls === 1) throw new Error('no credentials yet');
        return new ClockedTarget(clock, 1_000);
      });
      await storage.requestRun('c', clock.now());
      runner.start();
      await clock.advance(29_000);
      assert.deepEqual(ended.map((e) => e.outcome), ['failed'], 'paused after the failure');
      await runUntil(clock, () => ended.length === 2, 60_000, 1_000);
      await runner.stop();
      assert.deepEqual(ended.map((e) => e.outcome), ['failed', 'completed']);
      assert.deepEqual(await events(), ['manual:completed']);
    });
  });

  it('a slot that cannot run (no target) leaves its connector alone for a while, then tries again; a disabled connector is not run', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const registry = await setup(storage, clock, { flaky: 2, off: 2 });
    await registry.update('off', { config: { enabled: false } });
    let calls = 0;
    const target = new ClockedTarget(clock, 100);
    const runner = new FleetRunner({
      storage,
      clock,
      pollMs: 1_000,
      targetFor: (r) => {
        calls++;
        if (calls === 1) throw new Error(`no credentials for ${r.credentialsRef ?? r.config.id}`);
        return target;
      },
    });
    const ended: SlotEnded[] = [];
    runner.on('released', (e) => ended.push(e));
    runner.start();
    await clock.advance(10_000);
    assert.deepEqual(ended.map((e) => `${e.connectorId}:${e.outcome}`), ['flaky:failed']);
    assert.match(String(ended[0]!.error), /no credentials for flaky/);
    await runUntil(clock, () => ended.length === 2, 600_000, 1_000);
    await runner.stop();
    assert.deepEqual(ended.map((e) => `${e.connectorId}:${e.outcome}`), ['flaky:failed', 'flaky:completed']);
    assert.deepEqual(await storage.pendingCounts('off'), { categories: 0, products: 2, variants: 0 }, 'the disabled connector was left alone');
  });

  it('a run that cannot start (the store refuses the credentials) ends in Error once, then waits before the connector is tried again', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    await setup(storage, clock, { refused: 2 });
    const target = new ClockedTarget(clock, 100);
    target.options.connectError = 'auth';
    const runner = new FleetRunner({ storage, clock, pollMs: 1_000, targetFor: () => target });
    const ended: SlotEnded[] = [];
    runner.on('released', (e) => ended.push(e));
    runner.start();
    await clock.advance(10_000);
    assert.deepEqual(ended.map((e) => e.outcome), ['error'], 'one Error event in 10 s, not one per poll');
    target.options.connectError = undefined;
    await runUntil(clock, () => ended.length === 2, 600_000, 1_000);
    await runner.stop();
    assert.deepEqual(ended.map((e) => e.outcome), ['error', 'completed'], 'tried again after the pause, and the changes went');
    assert.deepEqual((await storage.listEvents('refused', { offset: 0, limit: 10 })).items.map((e) => e.status), ['completed', 'error']);
  });
});
