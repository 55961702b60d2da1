// An iteration's outcomes settled from the lease and the target's answer: a pure function, no storage.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Change, ItemStatus, PushResult, QueueEntry, SyncEvent } from '@shopsync/core';
import { newEvent, reduceEvent } from '../src/engine/event-reducer.js';
import { itemHash, keysToCompare, planIteration } from '../src/engine/iteration/plan.js';
import { settleIteration, type SettleInput } from '../src/engine/iteration/settle.js';

const START = '2026-12-06T10:00:00.000Z';
const END = '2026-12-06T10:00:05.000Z';
const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

let seq = 0;
function entry(change: Change, force = false): QueueEntry {
  return { v: 1, key: `${change.entity}:${change.ref}`, entity: change.entity, ref: change.ref, change, force, seq: seq++, enqueuedAt: START } as QueueEntry;
}
const product = (ref: string, title = `Product ${ref}`) => entry({ entity: 'product', op: 'upsert', ref, data: { title } });
const variant = (ref: string, parentRef: string) => entry({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '9.99' } });
const category = (ref: string) => entry({ entity: 'category', op: 'upsert', ref, data: { title: `Category ${ref}` } });
const deletion = (ref: string) => entry({ entity: 'product', op: 'delete', ref });

function running(): SyncEvent {
  const event = newEvent({
    id: 'evt-1',
    connectorId: 'store-1',
    trigger: 'manual',
    startedAt: START,
    pending: { categories: 0, products: 0, variants: 0 },
    config: {
      shopDomain: 'demo.myshopify.com',
      apiVersion: { requested: '2026-01', status: 'supported', endsSoon: false },
      disableDeletions: false,
      overwriteStock: true,
      includeEmptyCategories: false,
      language: 'en',
    },
  });
  return reduceEvent(event, { type: 'connected', shop: {} });
}

function settle(leased: QueueEntry[], result: PushResult, over: Partial<SettleInput> = {}, synced = new Map<string, string>()) {
  const plan = planIteration(leased, synced, 'en');
  return settleIteration({ event: running(), leased, plan, previous: new Map(), result, notes: [], startedAt: START, endedAt: END, ...over });
}

const previousStatus = (e: QueueEntry, over: Partial<ItemStatus>): ItemStatus =>
  ({ v: 1, entity: e.entity, ref: e.ref, op: 'upsert', status: 'complete', errors: [], syncEventId: 'evt-0', updatedAt: START, consecutiveFailures: 0, ...over }) as ItemStatus;

describe('iteration plan', () => {
  it('upserts whose hash equals the last synced one are skipped; forced ones and deletions are pushed', () => {
    const same = product('P1');
    const changed = product('P2', 'New title');
    const forced = entry({ entity: 'product', op: 'upsert', ref: 'P3', data: { title: 'Product P3' } }, true);
    const gone = deletion('P4');
    const synced = new Map([
      [same.key, itemHash(same, 'en')],
      [changed.key, itemHash(product('P2'), 'en')],
      [forced.key, itemHash(forced, 'en')],
    ]);
    assert.deepEqual(keysToCompare([same, changed, forced, gone]), [same.key, changed.key]);
    const plan = planIteration([same, changed, forced, gone], synced, 'en');
    assert.deepEqual(plan.unchanged.map((e) => e.ref), ['P1']);
    assert.deepEqual(plan.toPush.map((t) => [t.ref, t.op, t.force]), [['P2', 'upsert', false], ['P3', 'upsert', true], ['P4', 'delete', false]]);
    assert.deepEqual([...plan.hashes.keys()], [same.key, changed.key, forced.key]);
  });

  it('the hash changes with the language: a store written in another language is written again', () => {
    const p = product('P1');
    assert.notEqual(itemHash(p, 'en'), itemHash(p, 'es'));
    assert.equal(planIteration([p], new Map([[p.key, itemHash(p, 'en')]]), 'es').unchanged.length, 0);
  });
});

describe('settle an iteration', () => {
  it('items synced: complete, counted per entity, hashes to remember, the iteration line last', () => {
    const leased = [category('C1'), product('P1'), variant('V1', 'P1'), deletion('P9')];
    const s = settle(leased, {
      outcomes: leased.map((e) => ({ key: e.key, status: 'synced' as const, shopifyId: `gid://shopify/X/${e.ref}` })),
      generalErrors: [],
    });
    assert.equal(s.kind, 'recorded');
    if (s.kind !== 'recorded') return;
    assert.deepEqual(s.iteration, { index: 1, startedAt: START, endedAt: END, synced: { categories: 1, products: 2, variants: 1 }, failed: { categories: 0, products: 0, variants: 0 }, skipped: { categories: 0, products: 0, variants: 0 } });
    assert.deepEqual(s.items.map((i) => [i.ref, i.status, i.shopifyId, i.syncEventId, i.updatedAt]), [
      ['C1', 'complete', 'gid://shopify/X/C1', 'evt-1', END],
      ['P1', 'complete', 'gid://shopify/X/P1', 'evt-1', END],
      ['V1', 'complete', 'gid://shopify/X/V1', 'evt-1', END],
      ['P9', 'complete', 'gid://shopify/X/P9', 'evt-1', END],
    ]);
    assert.equal(s.items[2]!.parentRef, 'P1');
    assert.deepEqual(s.hashes.map((h) => [h.key, h.hash === null ? null : typeof h.hash]), [['category:C1', 'string'], ['product:P1', 'string'], ['variant:V1', 'string'], ['product:P9', null]]);
    assert.equal(s.logs.at(-1)!.message, 'Iteration 1: synchronized 1 categories, 2 products, 1 variants; 0 failed; 0 skipped.');
    assert.ok(s.logs.every((l) => l.eventId === 'evt-1' && l.iteration === 1));
  });

  it('unchanged items are skipped without a call, and keep the id the store gave them', () => {
    const p = product('P1');
    const s = settle([p], { outcomes: [], generalErrors: [] }, { previous: new Map([[p.key, previousStatus(p, { shopifyId: 'gid://shopify/Product/1' })]]) }, new Map([[p.key, itemHash(p, 'en')]]));
    assert.equal(s.kind, 'recorded');
    if (s.kind !== 'recorded') return;
    assert.equal(s.items[0]!.skipped, 'unchanged');
    assert.equal(s.items[0]!.shopifyId, 'gid://shopify/Product/1');
    assert.deepEqual(s.iteration.skipped, { categories: 0, products: 1, variants: 0 });
    assert.deepEqual(s.hashes, []);
  });

  it('a failed item: its errors scrubbed, the change kept for a retry, failures counted once per event', () => {
    const p1 = product('P1');
    const p2 = product('P2');
    const p3 = product('P3');
    const previous = new Map([
      [p1.key, previousStatus(p1, { status: 'error', consecutiveFailures: 2, syncEventId: 'evt-0' })],
      [p2.key, previousStatus(p2, { status: 'error', consecutiveFailures: 3, syncEventId: 'evt-1' })],
    ]);
    const s = settle(
      [p1, p2, p3],
      {
        outcomes: [
          { key: p1.key, status: 'failed', errors: [{ code: 'INVALID', field: ['title'], message: `Title is bad for ${TOKEN}` }] },
          { key: p2.key, status: 'failed', errors: [{ message: 'Again' }] },
          { key: p3.key, status: 'failed', errors: [] },
        ],
        generalErrors: [],
      },
      { previous },
    );
    assert.equal(s.kind, 'recorded');
    if (s.kind !== 'recorded') return;
    const [a, b, c] = s.items;
    assert.equal(a!.status, 'error');
    assert.equal(a!.consecutiveFailures, 3, 'one more than in the last event');
    assert.equal(b!.consecutiveFailures, 3, 'tried again in the same event: unchanged');
    assert.equal(c!.consecutiveFailures, 1);
    assert.deepEqual(a!.change, p1.change);
    assert.deepEqual(a!.errors[0]!.field, ['title']);
    assert.ok(!JSON.stringify(s).includes(TOKEN), 'remote text is scrubbed of secrets');
    assert.equal(c!.errors[0]!.message, 'The store rejected this item without saying why.');
    assert.deepEqual(s.iteration.failed, { categories: 0, products: 3, variants: 0 });
    assert.equal(s.hashes.length, 0, 'nothing remembered of a failure');
    const itemLine = s.logs.find((l) => l.ref === 'P1')!;
    assert.equal(itemLine.level, 'error');
    assert.equal(itemLine.code, 'INVALID');
  });

  it('a skipped empty category keeps its change (sent again with the first product naming it)', () => {
    const c = category('C1');
    const s = settle([c], { outcomes: [{ key: c.key, status: 'skipped', reason: 'empty_category' }], generalErrors: [] });
    assert.equal(s.kind, 'recorded');
    if (s.kind !== 'recorded') return;
    assert.deepEqual(s.items[0]!.change, c.change);
    assert.equal(s.logs[0]!.message, 'Skipped: empty category.');
  });

  it('outcomes for items not leased, and second outcomes for the same item, are ignored', () => {
    const p = product('P1');
    const s = settle([p], {
      outcomes: [
        { key: 'product:NOT-LEASED', status: 'synced' },
        { key: p.key, status: 'synced' },
        { key: p.key, status: 'failed', errors: [{ message: 'late' }] },
      ],
      generalErrors: [],
    });
    assert.equal(s.kind, 'recorded');
    if (s.kind === 'recorded') assert.deepEqual(s.items.map((i) => [i.ref, i.status]), [['P1', 'complete']]);
  });

  it('everything still processed by the store: waiting, the soonest retry, no iteration', () => {
    const [p1, p2] = [product('P1'), product('P2')];
    const s = settle([p1, p2], {
      outcomes: [
        { key: p1.key, status: 'waiting', reason: 'media_processing', retryAfterMs: 4_000 },
        { key: p2.key, status: 'waiting', reason: 'media_processing', retryAfterMs: 2_000 },
      ],
      generalErrors: [{ code: 'throttled', message: 'Slow down', severity: 'warning' }],
    });
    assert.equal(s.kind, 'waiting');
    if (s.kind === 'waiting') {
      assert.equal(s.waitMs, 2_000);
      assert.deepEqual(s.generalErrors.map((g) => g.severity), ['warning']);
    }
    const withError = settle([p1], { outcomes: [{ key: p1.key, status: 'waiting', reason: 'media_processing', retryAfterMs: 1 }], generalErrors: [{ code: 'network', message: 'down' }] });
    assert.equal(withError.kind, 'failed', 'a real error among waiting items counts as a failed attempt');
  });

  it('nothing proceeded: failed, with the target\'s general errors or else one saying the store gave no result', () => {
    const p = product('P1');
    const down = settle([p], { outcomes: [], generalErrors: [{ code: 'network', message: 'The store is unreachable.', httpStatus: 503 }] });
    assert.equal(down.kind, 'failed');
    assert.deepEqual(down.generalErrors.map((g) => [g.code, g.httpStatus, g.iteration, g.at]), [['network', 503, 1, END]]);
    const silent = settle([p], { outcomes: [], generalErrors: [] });
    assert.equal(silent.kind, 'failed');
    assert.deepEqual(silent.generalErrors.map((g) => [g.code, g.message]), [['internal', 'The store gave no result for 1 items; they stay queued.']]);
    assert.equal(silent.logs.at(-1)!.level, 'error');
  });

  it('a warning already recorded in the event, or twice in one answer, is recorded once', () => {
    const p = product('P1');
    const warning = { code: 'throttled' as const, message: 'Close to the rate limit.', severity: 'warning' as const };
    const event = reduceEvent(running(), { type: 'generalErrorRecorded', error: { at: START, ...warning } });
    const again = settle([p], { outcomes: [{ key: p.key, status: 'synced' }], generalErrors: [warning] }, { event });
    assert.equal(again.generalErrors.length, 0);
    const twice = settle([p], { outcomes: [{ key: p.key, status: 'synced' }], generalErrors: [warning, warning, { code: 'network', message: 'blip' }, { code: 'network', message: 'blip' }] });
    assert.deepEqual(twice.generalErrors.map((g) => g.code), ['throttled', 'network', 'network'], 'errors (not warnings) are all recorded');
    assert.deepEqual(twice.logs.filter((l) => l.code === 'throttled').map((l) => l.level), ['warn']);
  });

  it('the target\'s own lines come first, then items, general errors and the iteration line', () => {
    const p = product('P1');
    const note = { v: 1 as const, at: START, level: 'info' as const, eventId: 'evt-1', iteration: 1, message: 'Sent 1 productSet.' };
    const s = settle([p], { outcomes: [{ key: p.key, status: 'failed', errors: [{ message: 'bad' }] }], generalErrors: [{ code: 'network', message: 'blip' }] }, { notes: [note] });
    assert.deepEqual(s.logs.map((l) => l.message), ['Sent 1 productSet.', 'bad', 'blip', 'Iteration 1: synchronized 0 categories, 0 products, 0 variants; 1 failed; 0 skipped.']);
  });
});
