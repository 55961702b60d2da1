import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConnectionError,
  MemoryStorage,
  ShopsyncError,
  SyncEngine,
  type Change,
  type EngineOptions,
  type EngineEvents,
  type SyncEvent,
  type Throughput,
} from '@shopsync/core';
import { FakeTarget, ManualClock, flush } from '@shopsync/core/testing';

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

const product = (ref: string, title = `Product ${ref}`): Change => ({ entity: 'product', op: 'upsert', ref, data: { title } });
const category = (ref: string): Change => ({ entity: 'category', op: 'upsert', ref, data: { title: `Category ${ref}` } });
const variant = (ref: string, parentRef: string, price = '9.99'): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price } });
const products = (n: number, prefix = 'P') => Array.from({ length: n }, (_, i) => product(`${prefix}${String(i).padStart(4, '0')}`));

function setup(options: Partial<EngineOptions> = {}, target = new FakeTarget()) {
  const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 }, ...options });
  const seen: Array<{ name: keyof EngineEvents; payload: unknown }> = [];
  for (const name of ['statusChanged', 'iterationCompleted', 'pendingChanged', 'itemsUpdated', 'generalError', 'logsAvailable'] as const) {
    engine.on(name, (payload: unknown) => seen.push({ name, payload }));
  }
  const statuses = () => seen.filter((s) => s.name === 'statusChanged').map((s) => (s.payload as { status: string }).status);
  return { engine, target, seen, statuses };
}

const syncedTotal = (e: SyncEvent) => e.iterations.reduce((n, it) => n + it.synced.categories + it.synced.products + it.synced.variants, 0);

describe('sync engine', () => {
  it('Completed: drains the queue in iterations, a product with its category and variants, and records everything', async () => {
    const { engine, target, seen, statuses } = setup({ batchSize: 4 });
    const p1: Change = { entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'Product P1', categoryRefs: ['C1'] } };
    await engine.enqueue([variant('V1', 'P1'), p1, category('C1'), category('C2'), variant('V2', 'P1'), product('P2')]);
    const event = await engine.start();

    assert.equal(event.status, 'completed');
    assert.deepEqual(statuses(), ['in_progress', 'completed']);
    assert.equal(event.iterations.length, 2);
    assert.deepEqual(event.iterations[0]!.synced, { categories: 1, products: 1, variants: 2 });
    assert.deepEqual(event.iterations[1]!.synced, { categories: 1, products: 1, variants: 0 });
    assert.deepEqual(event.pending, { categories: 0, products: 0, variants: 0 });
    assert.equal(event.logsAvailable, true);
    assert.ok(event.endedAt);
    assert.deepEqual(
      target.pushedItems.map((i) => i.key),
      ['category:C1', 'product:P1', 'variant:V1', 'variant:V2', 'product:P2', 'category:C2'],
    );
    assert.deepEqual(await engine.getEvent(event.id), event);
    const items = await engine.queryItems({ status: 'complete' });
    assert.equal(items.total, 6);
    assert.ok(items.items.every((i) => i.shopifyId?.startsWith('gid://fake/') && i.syncEventId === event.id));
    assert.equal(seen.filter((s) => s.name === 'iterationCompleted').length, 2);
    assert.equal(seen.filter((s) => s.name === 'logsAvailable').length, 1, 'logsAvailable once, after the first iteration');
    const pendings = seen.filter((s) => s.name === 'pendingChanged').map((s) => (s.payload as { pending: { categories: number; products: number; variants: number } }).pending);
    assert.deepEqual(pendings.at(-1), { categories: 0, products: 0, variants: 0 });
  });

  it('a category skipped as empty comes back with the first product that names it, counted where its collection is made', async () => {
    // The fake store skips a category unless a product of the same push names it (as Shopify's target does).
    const target = new FakeTarget({ outcomes: () => 'synced' });
    target.options.outcomes = (item) => {
      const push = target.pushes.at(-1) ?? [];
      const named = push.some((p) => p.change.entity === 'product' && p.change.op === 'upsert' && p.change.data.categoryRefs?.includes(item.ref));
      return item.entity === 'category' && !named ? { skip: 'empty_category' } : 'synced';
    };
    const { engine } = setup({}, target);
    await engine.enqueue([category('C1')]);
    const first = await engine.start();
    assert.deepEqual(first.iterations[0]!.skipped, { categories: 1, products: 0, variants: 0 });
    const [skipped] = (await engine.queryItems({ entity: 'category' })).items;
    assert.equal(skipped?.skipped, 'empty_category');

    const p1: Change = { entity: 'product', op: 'upsert', ref: 'P1', data: { title: 'P1', categoryRefs: ['C1'] } };
    const result = await engine.enqueue([p1]);
    assert.equal(result.accepted, 1);
    assert.deepEqual(result.pending, { categories: 1, products: 1, variants: 0 }, 'the category is queued again with its product');
    const second = await engine.start();
    assert.deepEqual(second.iterations.map((it) => it.synced), [{ categories: 1, products: 1, variants: 0 }]);
    assert.deepEqual(target.pushes.at(-1)!.map((i) => i.key), ['category:C1', 'product:P1']);
    const [made] = (await engine.queryItems({ entity: 'category' })).items;
    assert.equal(made?.status, 'complete');
    assert.equal(made?.skipped, undefined);
    assert.ok(made?.shopifyId);
    assert.equal(made?.syncEventId, second.id);

    // Named again, the category is not queued again: it is no longer skipped.
    assert.deepEqual((await engine.enqueue([{ ...p1, data: { title: 'P1 again', categoryRefs: ['C1'] } }])).pending, { categories: 0, products: 1, variants: 0 });
  });

  it('Error: a refused connection ends the event at once with a general error and no iterations', async () => {
    const { engine, statuses } = setup({}, new FakeTarget({ connectError: 'auth' }));
    await engine.enqueue(products(3));
    const event = await engine.start();
    assert.equal(event.status, 'error');
    assert.deepEqual(statuses(), ['error']);
    assert.equal(event.iterations.length, 0);
    assert.equal(event.generalErrors.length, 1);
    assert.equal(event.generalErrors[0]!.code, 'auth');
    assert.equal(event.generalErrors[0]!.httpStatus, 401);
    assert.match(event.generalErrors[0]!.message, /credentials/);
    assert.deepEqual(event.pending, { categories: 0, products: 3, variants: 0 });
    assert.equal(event.logsAvailable, false);
    assert.equal((await engine.latestEvent())?.status, 'error');
  });

  it('an unreachable store is a network error, told apart from bad credentials', async () => {
    const { engine } = setup({}, new FakeTarget({ connectError: 'network' }));
    await engine.enqueue(products(1));
    const event = await engine.start();
    assert.equal(event.status, 'error');
    assert.equal(event.generalErrors[0]!.code, 'network');
    assert.match(event.generalErrors[0]!.message, /network connection/);
  });

  it('Paused: disabling mid-run finishes the iteration, pauses; enabling resumes the same event with exact counts', async () => {
    const target = new FakeTarget();
    const { engine, statuses } = setup({ batchSize: 10 }, target);
    await engine.enqueue(products(50));
    target.onPush = async (_items, n) => {
      if (n === 2) await engine.setEnabled(false);
    };
    const paused = await engine.start();
    assert.equal(paused.status, 'paused');
    assert.equal(paused.iterations.length, 2, 'the iteration under way finished');
    assert.equal(syncedTotal(paused), 20);
    assert.deepEqual(paused.pending, { categories: 0, products: 30, variants: 0 });
    assert.equal(paused.pausedAt.length, 1);
    assert.equal(paused.endedAt, undefined);
    await assert.rejects(engine.start(), /disabled/);

    target.onPush = undefined;
    await engine.setEnabled(true);
    const resumed = await engine.idle();
    assert.ok(resumed);
    assert.equal(resumed.id, paused.id, 'the same event resumes');
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(statuses(), ['in_progress', 'paused', 'in_progress', 'completed']);
    assert.equal(resumed.iterations.length, 5);
    assert.equal(syncedTotal(resumed), 50);
    assert.equal(resumed.resumedAt.length, 1);
    const pushed = target.pushedItems.map((i) => i.key);
    assert.equal(pushed.length, 50, 'no item sent twice');
    assert.equal(new Set(pushed).size, 50, 'no item lost');
    assert.equal((await engine.listEvents()).total, 1);
  });

  it('changes enqueued during a sync join it', async () => {
    const target = new FakeTarget();
    const { engine } = setup({ batchSize: 5 }, target);
    await engine.enqueue(products(10));
    target.onPush = async (_items, n) => {
      if (n === 1) await engine.enqueue([...products(3, 'NEW'), product('P0009', 'renamed')]);
    };
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.equal(syncedTotal(event), 13);
    assert.equal((await engine.listEvents()).total, 1);
    const p9 = target.pushedItems.filter((i) => i.key === 'product:P0009');
    assert.equal(p9.length, 1, 'coalesced into the pending entry');
    assert.deepEqual((p9[0]!.change as { data: unknown }).data, { title: 'renamed' });
  });

  it('general errors do not stop the run while items can proceed', async () => {
    const target = new FakeTarget();
    const { engine } = setup({ batchSize: 5 }, target);
    await engine.enqueue(products(10));
    target.failNextPush({ code: 'throttled', message: 'Throttled' }, { leaveItems: true });
    target.failNextPush({ code: 'server_error', message: 'One request answered 503', httpStatus: 503 }, { leaveItems: false });
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.deepEqual(
      event.generalErrors.map((g) => [g.code, g.iteration]),
      [
        ['throttled', 1],
        ['server_error', 1],
      ],
    );
    assert.equal(syncedTotal(event), 10);
    assert.equal(event.iterations.length, 2, 'the attempt that finished nothing is not an iteration');
  });

  it('a run where nothing can proceed ends Completed with its general errors; items stay queued', async () => {
    const target = new FakeTarget();
    const { engine } = setup({ batchSize: 5, maxFailedIterations: 3 }, target);
    await engine.enqueue(products(4));
    for (let i = 0; i < 3; i++) target.throwOnNextPush(new ConnectionError('auth', `Invalid API key or access token (unrecognized login or wrong password) ${TOKEN}`, { httpStatus: 401 }));
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.deepEqual(
      event.generalErrors.map((g) => g.code),
      ['auth', 'auth', 'auth', 'exhausted'],
    );
    assert.ok(!JSON.stringify(event).includes(TOKEN), 'the token never reaches the event');
    assert.deepEqual(event.pending, { categories: 0, products: 4, variants: 0 });
    assert.equal(event.iterations.length, 0);
    const next = await engine.start();
    assert.equal(next.status, 'completed');
    assert.equal(syncedTotal(next), 4, 'the next run sends them');
  });

  it('item errors: recorded with the store’s words, counted per event in a row, retried on request', async () => {
    const target = new FakeTarget({
      outcomes: {
        'product:P0001': { errors: [{ code: 'TAKEN', field: ['input', 'handle'], message: `Handle has already been taken <script>alert(1)</script> ${TOKEN}` }] },
        'variant:V1': { errors: [{ message: 'Price must be positive' }] },
      },
    });
    const { engine } = setup({}, target);
    await engine.enqueue([...products(3), variant('V1', 'P0000')]);
    const first = await engine.start();
    assert.equal(first.status, 'completed');
    assert.deepEqual(first.iterations[0]!.failed, { categories: 0, products: 1, variants: 1 });
    assert.equal(first.generalErrors.length, 0, 'item errors are not general errors');
    const failed = await engine.queryItems({ status: 'error' });
    assert.equal(failed.total, 2);
    const p1 = failed.items.find((i) => i.ref === 'P0001')!;
    assert.equal(p1.errors[0]!.code, 'TAKEN');
    assert.deepEqual(p1.errors[0]!.field, ['input', 'handle']);
    assert.match(p1.errors[0]!.message, /<script>alert\(1\)<\/script>/, 'kept as text, verbatim');
    assert.ok(!p1.errors[0]!.message.includes(TOKEN));
    assert.equal(p1.consecutiveFailures, 1);

    assert.equal(await engine.retryItems([{ entity: 'product', ref: 'P0001' }]), 1);
    assert.equal((await engine.queryItems({ status: 'pending' })).total, 1);
    await engine.start();
    assert.equal((await engine.queryItems({ ref: 'P0001' })).items[0]!.consecutiveFailures, 2);

    target.options.outcomes = {};
    assert.equal(await engine.retryFailed({ entity: 'variant' }), 1);
    const third = await engine.start();
    assert.equal(syncedTotal(third), 1);
    const v1 = (await engine.queryItems({ ref: 'V1' })).items[0]!;
    assert.equal(v1.status, 'complete');
    assert.equal(v1.consecutiveFailures, 0);
    assert.deepEqual(v1.errors, []);
    assert.equal(await engine.retryFailed(), 1, 'P0001 is still failed');
  });

  it('skip unchanged: an upsert equal to the last synced data completes without reaching the store', async () => {
    const target = new FakeTarget();
    const { engine } = setup({}, target);
    await engine.enqueue([{ entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P1', data: { price: '5.00', optionValues: { Size: 'M', Colour: 'Red' } } }, product('P1')]);
    await engine.start();
    assert.equal(target.pushedItems.length, 2);

    await engine.enqueue([{ entity: 'variant', op: 'upsert', ref: 'V1', parentRef: 'P1', data: { optionValues: { Colour: 'Red', Size: 'M' }, price: '5.00' } }, product('P1', 'New title')]);
    const second = await engine.start();
    assert.deepEqual(
      target.pushes.at(-1)!.map((i) => i.key),
      ['product:P1'],
      'only the changed product is sent; key order does not matter',
    );
    assert.deepEqual(second.iterations[0]!.skipped, { categories: 0, products: 0, variants: 1 });
    const v1 = (await engine.queryItems({ ref: 'V1' })).items[0]!;
    assert.equal(v1.status, 'complete');
    assert.equal(v1.skipped, 'unchanged');
  });

  it('force refresh re-sends every given item whatever its hash, and never sends deletions', async () => {
    const target = new FakeTarget();
    const { engine } = setup({}, target);
    await engine.enqueue([product('P1'), product('P2')]);
    await engine.start();
    const result = await engine.enqueue([product('P1'), product('P2'), { entity: 'product', op: 'delete', ref: 'P3' }], { force: true });
    assert.equal(result.accepted, 2);
    assert.equal(result.ignoredDeletions, 1);
    const event = await engine.start();
    assert.deepEqual(
      target.pushes.at(-1)!.map((i) => [i.key, i.op, i.force]),
      [
        ['product:P1', 'upsert', true],
        ['product:P2', 'upsert', true],
      ],
    );
    assert.equal(syncedTotal(event), 2);
  });

  it('deletions go after upserts and forget the synced hash, so a re-created item is sent again', async () => {
    const target = new FakeTarget();
    const { engine } = setup({}, target);
    await engine.enqueue([product('P1')]);
    await engine.start();
    await engine.enqueue([{ entity: 'product', op: 'delete', ref: 'P1' }, product('P2')]);
    await engine.start();
    assert.deepEqual(
      target.pushes.at(-1)!.map((i) => [i.key, i.op]),
      [
        ['product:P2', 'upsert'],
        ['product:P1', 'delete'],
      ],
    );
    assert.equal(target.store.has('product:P1'), false);
    await engine.enqueue([product('P1')]);
    await engine.start();
    assert.deepEqual(
      target.pushes.at(-1)!.map((i) => i.key),
      ['product:P1'],
    );
  });

  it('an AbortSignal stops the run: the iteration is cut, its items stay queued, nothing is counted', async () => {
    const target = new FakeTarget({ latencyMs: 200 });
    const { engine } = setup({ batchSize: 5 }, target);
    await engine.enqueue(products(10));
    const controller = new AbortController();
    target.onPush = (_items, n) => {
      if (n === 2) setTimeout(() => controller.abort(), 20);
    };
    const event = await engine.start({ signal: controller.signal });
    assert.equal(event.status, 'completed');
    assert.equal(event.iterations.length, 1);
    assert.equal(syncedTotal(event), 5);
    assert.equal(event.generalErrors.at(-1)!.code, 'stopped');
    assert.deepEqual(event.pending, { categories: 0, products: 5, variants: 0 });
    target.onPush = undefined;
    target.options.latencyMs = 0;
    const next = await engine.start();
    assert.equal(syncedTotal(next), 5);
  });

  it('items leased by a runner that died are waited for, not abandoned: the event completes only when they are synced', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const target = new FakeTarget();
    const engine = new SyncEngine({ connector, target, storage, clock, batchSize: 10, leaseMs: 5_000 });
    await engine.enqueue(products(6));
    const dead = await storage.lease(connector.id, { limit: 2, leaseMs: 5_000, now: clock.now() });
    assert.equal(dead?.items.length, 2);
    let ended: SyncEvent | undefined;
    const endedEvent = () => ended;
    void engine.start().then((e) => (ended = e));
    await clock.advance(1_000);
    assert.equal(endedEvent(), undefined, 'still waiting for the leased items');
    assert.equal(target.pushedItems.length, 4);
    await clock.advance(4_000);
    await engine.idle();
    const event = endedEvent();
    assert.ok(event);
    assert.equal(event.status, 'completed');
    assert.equal(syncedTotal(event), 6);
    assert.deepEqual(event.pending, { categories: 0, products: 0, variants: 0 });
  });

  it('recover() on restart resumes the event a stopped process left In Progress, and does nothing otherwise', async () => {
    const storage = new MemoryStorage();
    const dying = new FakeTarget();
    const first = new SyncEngine({ connector, target: dying, storage, batchSize: 3, leaseMs: 1_000 });
    await first.enqueue(products(6));
    dying.onPush = async (_items, n) => {
      if (n === 2) await new Promise(() => undefined); // the process "dies" in its second iteration
    };
    void first.start();
    for (let i = 0; i < 100 && dying.pushes.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const interrupted = await new SyncEngine({ connector, target: new FakeTarget(), storage }).latestEvent();
    assert.equal(interrupted?.status, 'in_progress');

    const target = new FakeTarget();
    const restarted = new SyncEngine({ connector, target, storage, batchSize: 3, leaseMs: 1_000 });
    const event = await restarted.recover();
    assert.ok(event);
    assert.equal(event.id, interrupted?.id);
    assert.equal(event.status, 'completed');
    assert.equal(syncedTotal(event), 6, 'three before the crash, three after their lease expired');
    assert.equal(event.trigger, 'manual', 'the event keeps what started it');
    assert.equal(await restarted.recover(), undefined, 'nothing left to resume');
  });

  it('paces iterations: batchSize items each, iterationDelayMs apart, and no wait after the last', async () => {
    const clock = new ManualClock();
    const target = new FakeTarget();
    const engine = new SyncEngine({ connector, target, clock, batchSize: 2, iterationDelayMs: 10_000 });
    await engine.enqueue(products(5));
    const run = engine.start();
    await clock.advance(0);
    assert.deepEqual(target.pushes.map((p) => p.length), [2], 'one batch, then a pause');
    await clock.advance(9_999);
    assert.equal(target.pushes.length, 1);
    await clock.advance(1);
    assert.deepEqual(target.pushes.map((p) => p.length), [2, 2]);
    await clock.advance(10_000);
    const event = await run;
    assert.deepEqual(target.pushes.map((p) => p.length), [2, 2, 1]);
    assert.deepEqual(event.iterations.map((it) => Date.parse(it.startedAt) - Date.parse(event.startedAt)), [0, 10_000, 20_000]);
  });

  it('one run at a time: a second start joins the first', async () => {
    const { engine, target } = setup({}, new FakeTarget({ latencyMs: 20 }));
    await engine.enqueue(products(3));
    const [a, b] = await Promise.all([engine.start(), engine.start()]);
    assert.equal(a.id, b.id);
    assert.equal(target.connects.length, 1);
  });

  it('the configuration snapshot is taken at start and frozen for that event', async () => {
    const target = new FakeTarget({ servedApiVersion: '2025-10', deprecationReason: `Version 2025-01 is unsupported ${TOKEN}` });
    const engine = new SyncEngine({
      connector: { ...connector, apiVersion: '2025-01', overwriteStock: true, language: 'es', locationId: 'gid://shopify/Location/1' },
      target,
    });
    await engine.enqueue(products(2));
    target.onPush = async () => {
      await engine.updateConfig({ overwriteStock: false, language: 'en', apiVersion: '2026-10' });
    };
    const event = await engine.start();
    assert.equal(event.config.overwriteStock, true);
    assert.equal(event.config.language, 'es');
    assert.equal(event.config.locationId, 'gid://shopify/Location/1');
    assert.equal(event.config.apiVersion.requested, '2025-01');
    assert.equal(event.config.apiVersion.served, '2025-10');
    assert.equal(event.config.apiVersion.status, 'deprecated');
    assert.ok(event.config.apiVersion.supportEndsAt);
    assert.match(event.config.apiVersion.deprecationReason!, /unsupported \[REDACTED\]/);
    assert.equal(engine.config.language, 'en');
    const next = await engine.enqueue(products(1, 'X')).then(() => engine.start());
    assert.equal(next.config.language, 'en');
    assert.equal(next.config.apiVersion.status, 'supported');
  });

  it('logs: JSONL and CSV per event, item and general errors included, no credential', async () => {
    const target = new FakeTarget({ outcomes: { 'product:P0000': { errors: [{ code: 'INVALID', message: `=HYPERLINK("x") bad, "quoted" X-Shopify-Access-Token: ${TOKEN}` }] } } });
    const { engine } = setup({ batchSize: 2 }, target);
    await engine.enqueue(products(3));
    target.failNextPush({ code: 'server_error', message: `HTTP 502 with header X-Shopify-Access-Token: ${TOKEN}`, httpStatus: 502 }, { leaveItems: false });
    const event = await engine.start();
    const jsonl = await engine.exportLogs(event.id, 'jsonl');
    const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { level: string; ref?: string; code?: string; message: string });
    assert.ok(lines.some((l) => l.level === 'error' && l.ref === 'P0000' && l.code === 'INVALID'));
    assert.ok(lines.some((l) => l.level === 'error' && l.code === 'server_error'));
    assert.ok(lines.some((l) => /Iteration 2/.test(l.message)));
    const csv = await engine.exportLogs(event.id, 'csv');
    assert.ok(csv.startsWith('at,level,eventId,iteration,entity,ref,code,message\r\n'));
    assert.match(csv, /"'=HYPERLINK\(""x""\) bad, ""quoted""/, 'formula neutralised, quotes doubled');
    for (const text of [jsonl, csv, JSON.stringify(event), JSON.stringify(await engine.queryItems())]) assert.ok(!text.includes(TOKEN));
  });

  it('throughput so far gives an estimate of the time remaining', async () => {
    const target = new FakeTarget({ latencyMs: 10 });
    const { engine } = setup({ batchSize: 5 }, target);
    await engine.enqueue(products(20));
    let estimate: Throughput | undefined;
    engine.on('iterationCompleted', ({ iteration }) => {
      if (iteration.index === 2) estimate = engine.throughput();
    });
    await engine.start();
    assert.ok(estimate);
    assert.equal(estimate.processed, 10);
    assert.equal(estimate.remaining, 10);
    assert.ok(estimate.itemsPerSecond! > 0);
    assert.ok(estimate.etaMs! > 0);
  });

  it('starts by itself when changes arrive (debounced) and on a schedule', async () => {
    const clock = new ManualClock();
    const target = new FakeTarget();
    const engine = new SyncEngine({ connector, target, clock, autoStart: { debounceMs: 1_000 }, schedule: { everyMs: 60_000 } });
    assert.equal(engine.nextRunAt, new Date(clock.now() + 60_000).toISOString());
    await engine.enqueue(products(1));
    await clock.advance(500);
    await engine.enqueue(products(2, 'Q'));
    await clock.advance(999);
    assert.equal(target.connects.length, 0, 'debounced');
    await clock.advance(1);
    await engine.idle();
    assert.equal(target.connects.length, 1);
    assert.equal((await engine.latestEvent())?.trigger, 'changes');
    assert.equal(target.pushedItems.length, 3);

    await engine.setEnabled(false);
    await engine.enqueue(products(1, 'R'));
    await clock.advance(2_000);
    assert.equal(target.connects.length, 1, 'a disabled connector does not start');
    await engine.setEnabled(true);
    await clock.advance(60_000);
    await engine.idle();
    assert.equal((await engine.latestEvent())?.trigger, 'schedule');
    assert.equal(target.pushedItems.length, 4);
    await engine.dispose();
    assert.equal(engine.nextRunAt, undefined);
    assert.equal(clock.pendingTimers, 0);
    await flush();
  });

  it('one storage, many connectors: engines do not see each other', async () => {
    const storage = new MemoryStorage();
    const a = new SyncEngine({ connector, target: new FakeTarget(), storage });
    const b = new SyncEngine({ connector: { ...connector, id: 'store-2', shopDomain: 'other.myshopify.com' }, target: new FakeTarget(), storage });
    await a.enqueue(products(3));
    await b.enqueue(products(1));
    const ea = await a.start();
    assert.equal(syncedTotal(ea), 3);
    assert.deepEqual(await b.queue.pendingCounts(), { categories: 0, products: 1, variants: 0 });
    assert.equal((await b.listEvents()).total, 0);
  });

  it('a storage that fails mid-run (a damaged record) ends the run with a general error naming it, never a hang', async () => {
    class DamagedStorage extends MemoryStorage {
      leases = 0;
      override async lease(...args: Parameters<MemoryStorage['lease']>) {
        if (++this.leases === 2) throw new ShopsyncError('storage_corrupt', 'table meta, field products: damaged.');
        return super.lease(...args);
      }
    }
    const storage = new DamagedStorage();
    const { engine, seen, statuses } = setup({ storage, batchSize: 2 });
    await engine.enqueue(products(3));
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.deepEqual(statuses(), ['in_progress', 'completed']);
    assert.equal(event.iterations.length, 1);
    assert.equal(event.generalErrors.length, 1);
    assert.equal(event.generalErrors[0]!.code, 'internal');
    assert.match(event.generalErrors[0]!.message, /storage failed.*table meta, field products: damaged/);
    assert.ok(event.endedAt);
    assert.deepEqual(await engine.getEvent(event.id), event, 'the ended event is saved');
    assert.equal(seen.filter((s) => s.name === 'generalError').length, 1);
    assert.deepEqual(await engine.queue.pendingCounts(), { categories: 0, products: 1, variants: 0 }, 'the rest stays queued');
    assert.equal(engine.running, false);
  });
});
