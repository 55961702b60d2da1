// The stories' replay source serves what the core would: every event, item and log line valid
// under the core's zod schemas, counts that add up, a live run that ends Completed, and large
// catalogs without delay.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itemStatusSchema, logEntrySchema, syncEventSchema, totalOf, type SourceChange, type SyncEvent } from '@shopsync/core';
import { STOCK_LOCATIONS, UNRESOLVED_LOCATION } from '../support/catalog.js';
import { ReplaySource, type ReplayOptions } from '../support/replay-source.js';

const SCENARIOS: Array<[string, Partial<ReplayOptions>]> = [
  ['completed', {}],
  ['completed with errors', { generalErrors: 7, failedItems: 120 }],
  ['error, bad credentials', { status: 'error', connectError: 'auth' }],
  ['error, store unreachable', { status: 'error', connectError: 'network' }],
  ['error, authorization ended', { status: 'error', connectError: 'reauthorize' }],
  ['in progress', { status: 'in_progress', items: 2_400, iterations: 3, pending: 1_800, failedItems: 9, generalErrors: 1 }],
  ['paused', { status: 'paused', items: 3_600, iterations: 6, pending: 2_350 }],
  ['no sync yet', { status: 'none', items: 1_240, history: 0 }],
  ['deprecated API version', { apiVersion: 'deprecated' }],
  ['API version ending soon', { apiVersion: 'ends-soon' }],
  ['recorded before publishing settings existed', { recordedBeforePublishing: true }],
  ['nothing published', { publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false }],
  ['translations and stock locations', { translations: ['es', 'fr'], locations: [...STOCK_LOCATIONS, UNRESOLVED_LOCATION] }],
  ['a language warning', { languageWarning: true }],
  ['a language warning and errors', { languageWarning: true, generalErrors: 3, failedItems: 40 }],
  ['in progress with a language warning', { status: 'in_progress', items: 2_400, iterations: 3, pending: 1_800, languageWarning: true }],
  ['tiny catalog', { items: 3, iterations: 5, failedItems: 1 }],
  ['empty catalog', { items: 0 }],
];

async function allItems(source: ReplaySource) {
  const out = [];
  for (let offset = 0; ; offset += 1_000) {
    const page = await source.queryItems({ offset, limit: 1_000 });
    out.push(...page.items);
    if (offset + 1_000 >= page.total) return out;
  }
}

describe('ReplaySource', () => {
  for (const [name, options] of SCENARIOS) {
    it(`${name}: events, items and logs are valid, and their counts agree`, async () => {
      const source = new ReplaySource({ history: 12, ...options });
      const { items: events, total } = await source.listEvents({ limit: 1_000 });
      assert.equal(events.length, total);
      for (const e of events) syncEventSchema.parse(e);
      const shown = events[0];
      if (options.status === 'none') assert.equal(shown, undefined);
      else assert.equal(shown?.status, options.status ?? 'completed');

      const items = await allItems(source);
      assert.equal(items.length, options.items ?? 1_840);
      for (const item of items) itemStatusSchema.parse(item);
      assert.equal(new Set(items.map((i) => `${i.entity}:${i.ref}`)).size, items.length, 'references are unique');
      for (let i = 1; i < items.length; i++) assert.ok(items[i - 1]!.updatedAt >= items[i]!.updatedAt, 'most recently updated first');

      if (shown) {
        const pending = items.filter((i) => i.status === 'pending').length;
        assert.equal(totalOf(shown.pending), pending, 'pending counts are the pending items');
        const failed = shown.iterations.reduce((n, it) => n + totalOf(it.failed), 0);
        assert.equal(failed, items.filter((i) => i.status === 'error').length, 'failed counts are the failed items');
        if (options.failedItems !== undefined && options.status !== 'error') assert.equal(failed, Math.min(options.failedItems, items.length));
        const summary = await source.summarizeItemErrors();
        assert.equal(summary.failedItems, failed);
        assert.equal(
          summary.groups.reduce((n, g) => n + g.count, 0),
          failed,
          'each failed item has one cause',
        );
        for (const e of events) {
          const log = await source.downloadLogs(e.id, 'jsonl');
          const lines = log.content.trim().split('\n').filter(Boolean);
          assert.ok(lines.length > 0);
          for (const line of lines) logEntrySchema.parse(JSON.parse(line));
          assert.match((await source.downloadLogs(e.id, 'csv')).content, /^at,level,eventId,iteration,entity,ref,code,message\r\n/);
        }
      }
    });
  }

  it('filters items as the engine does, and groups failed items by cause, largest first', async () => {
    const source = new ReplaySource({ items: 12_000, iterations: 60, failedItems: 1_284 });
    const failed = await source.queryItems({ status: 'error', limit: 1_000 });
    assert.equal(failed.total, 1_284);
    assert.ok(failed.items.every((i) => i.status === 'error' && i.errors.length === 1));
    const variants = await source.queryItems({ entity: 'variant', ref: 'TRN-', limit: 5 });
    assert.ok(variants.total > 0 && variants.items.every((i) => i.entity === 'variant' && i.ref.includes('TRN-') && i.parentRef && i.ref.startsWith(i.parentRef)));
    const summary = await source.summarizeItemErrors();
    assert.ok(summary.groups.length >= 5);
    assert.deepEqual(
      summary.groups.map((g) => g.count),
      summary.groups.map((g) => g.count).sort((a, b) => b - a),
    );
    assert.ok(summary.repeatedFailures > 0 && summary.repeatedFailures < summary.failedItems);
    const failedCategories = (await source.queryItems({ status: 'error', entity: 'category' })).total;
    assert.ok(failedCategories > 0);
    assert.equal(await source.retryFailed({ entity: 'category' }), failedCategories);
    assert.equal((await source.queryItems({ status: 'error', entity: 'category' })).total, 0, 'retried items are pending again');
  });

  it('sales channels and metafield settings: in the recent events, absent from those recorded before they existed', async () => {
    const { items: events } = await new ReplaySource({ history: 9 }).listEvents({ limit: 100 });
    const recorded = events.map((e) => 'publications' in e.config && 'ownedMetafieldNamespaces' in e.config && 'createMetafieldDefinitions' in e.config);
    const without = events.map((e) => !('publications' in e.config || 'ownedMetafieldNamespaces' in e.config || 'createMetafieldDefinitions' in e.config));
    assert.deepEqual(events[0]!.config.publications, ['Online Store', 'Point of Sale']);
    assert.deepEqual(events[0]!.config.ownedMetafieldNamespaces, ['shopsync']);
    assert.equal(events[0]!.config.createMetafieldDefinitions, true);
    const firstWithout = without.indexOf(true);
    assert.ok(firstWithout > 1, 'the event shown and the latest ones have them');
    assert.ok(recorded.slice(0, firstWithout).every(Boolean) && without.slice(firstWithout).every(Boolean), 'older events have none of them');

    const old = new ReplaySource({ recordedBeforePublishing: true }).snapshot()!;
    assert.equal(old.config.publications, undefined);
    assert.equal(old.config.ownedMetafieldNamespaces, undefined);
    assert.equal(old.config.createMetafieldDefinitions, undefined);
  });

  it('translations, stock locations and the language warning: recorded as the engine records them', async () => {
    const source = new ReplaySource({ history: 9, translations: ['es', 'fr'], locations: STOCK_LOCATIONS, languageWarning: true, generalErrors: 1 });
    const { items: events } = await source.listEvents({ limit: 100 });
    assert.deepEqual(events[0]!.config.translations, ['es', 'fr']);
    assert.deepEqual(events[0]!.config.locations, STOCK_LOCATIONS);
    assert.ok(events.some((e) => e.config.translations === undefined && e.config.locations === undefined), 'older events have neither');
    const warnings = events[0]!.generalErrors.filter((g) => g.severity === 'warning');
    assert.equal(warnings.length, 1, 'recorded once');
    assert.equal(warnings[0]!.code, 'language');
    assert.equal(events[0]!.status, 'completed');
    const log = (await source.downloadLogs(events[0]!.id, 'jsonl')).content.trim().split('\n').map((l) => JSON.parse(l) as { level: string; code?: string });
    assert.equal(log.find((e) => e.code === 'language')?.level, 'warn', 'logged as a warning');

    const plain = new ReplaySource().snapshot()!;
    assert.equal(plain.config.translations, undefined);
    assert.equal(plain.config.locations, undefined);
    assert.ok(plain.generalErrors.every((g) => g.severity === undefined));
  });

  it('products fail on their images and metafields too, with the code, field and message Shopify gives', async () => {
    const source = new ReplaySource({ items: 12_000, iterations: 60, failedItems: 1_284 });
    const codes = new Map((await source.summarizeItemErrors({ entity: 'product' })).groups.map((g) => [g.code, g]));
    assert.deepEqual(codes.get('IMAGE_DOWNLOAD_FAILURE')?.field, ['images', '1']);
    assert.match(codes.get('IMAGE_DOWNLOAD_FAILURE')!.message, /^Image 2 \(https:\/\/\S{80,}\): Shopify could not download it: HTTP 404\.$/);
    assert.deepEqual(codes.get('INVALID_METAFIELD')?.field, ['metafields', '0', 'value']);
    assert.match(codes.get('METAFIELD_DEFINITION_MISSING')!.message, /^Metafield custom\.designer \(metaobject_reference\) needs a metafield definition in the store/);
    assert.equal(codes.get('METAFIELD_DEFINITION_MISSING')!.field, undefined);
  });

  it('100,000 items and 1,000 iterations are served at once (items are computed, not stored)', async () => {
    const t0 = performance.now();
    const big = new ReplaySource({ items: 100_000, iterations: 400, failedItems: 2_150 });
    const first = await big.queryItems({ offset: 0, limit: 100 });
    const last = await big.queryItems({ offset: 99_900, limit: 100 });
    const filtered = await big.queryItems({ status: 'error', offset: 0, limit: 100 });
    await big.summarizeItemErrors();
    const long = new ReplaySource({ items: 48_000, iterations: 1_000 });
    const event = long.snapshot()!;
    const ms = performance.now() - t0;
    assert.equal(first.total, 100_000);
    assert.equal(last.items.length, 100);
    assert.equal(filtered.total, 2_150);
    assert.equal(event.iterations.length, 1_000);
    assert.ok(ms < 2_000, `took ${Math.round(ms)} ms`);
  });

  it('live: pending counts fall, iterations appear, a general error arrives, and In Progress turns Completed', async () => {
    const source = new ReplaySource({ status: 'in_progress', live: true, tickMs: 50, items: 1_000, iterations: 2, pending: 600, generalErrors: 1 });
    const changes: SourceChange[] = [];
    const done = new Promise<SyncEvent>((resolve) =>
      source.subscribe((c) => {
        changes.push(c);
        if (c.type === 'statusChanged' && c.status === 'completed') resolve(c.event);
      }),
    );
    const event = await done;
    const pending = changes.filter((c) => c.type === 'pendingChanged').map((c) => totalOf(c.pending));
    assert.deepEqual(pending, [...pending].sort((a, b) => b - a), 'pending only falls');
    assert.equal(pending.at(-1), 0);
    assert.equal(event.iterations.length, 2 + 3);
    assert.equal(event.generalErrors.length, 2);
    assert.equal(changes.filter((c) => c.type === 'generalErrorOccurred').length, 1);
    assert.ok(event.endedAt);
    syncEventSchema.parse(event);
    assert.equal((await source.queryItems({ status: 'pending' })).total, 0);
    assert.equal((await source.connectorState()).running, false);
  });

  it('disabling the connector pauses a live run; enabling it resumes the same event', async () => {
    const source = new ReplaySource({ status: 'in_progress', live: true, tickMs: 50, items: 1_000, iterations: 2, pending: 600 });
    const statuses: string[] = [];
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const stop = source.subscribe((c) => {
      if (c.type !== 'statusChanged') return;
      statuses.push(c.status);
      if (c.status === 'completed') resolveDone();
    });
    await source.setEnabled(false);
    const paused = source.snapshot()!;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(source.snapshot()!.iterations.length, paused.iterations.length, 'nothing runs while paused');
    await source.setEnabled(true);
    await done;
    stop();
    assert.deepEqual(statuses, ['paused', 'in_progress', 'completed']);
    const event = source.snapshot()!;
    assert.equal(event.id, paused.id);
    assert.equal(event.pausedAt.length, 1);
    assert.equal(event.resumedAt.length, 1);
  });
});
