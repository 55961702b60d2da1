import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Change, EngineEvents, SyncEvent } from '@shopsync/core';
import { category, engineFor, OTHER_TOKEN, product, startSim, targetFor, TOKEN, variant } from './helpers.js';

const total = (e: SyncEvent, kind: 'synced' | 'failed' | 'skipped') =>
  e.iterations.reduce((n, it) => ({ categories: n.categories + it[kind].categories, products: n.products + it[kind].products, variants: n.variants + it[kind].variants }), { categories: 0, products: 0, variants: 0 });

describe('core engine end to end against the simulator', () => {
  it('a whole catalog: statuses, counts, iterations, item errors, general errors, logs', async () => {
    // The store publishes English and Spanish: the Spanish title of a category is its translation.
    const locales = [{ locale: 'en', primary: true, published: true }, { locale: 'es', published: true }];
    const sim = await startSim({ bucketSize: 400, restoreRate: 4_000, latency: { baseMs: 2, perMutationMs: 0.5, jitterMs: 0 }, locales });
    try {
      const target = targetFor(sim);
      const { engine } = engineFor(sim, target, { apiVersion: '2026-07' }, { batchSize: 15 });
      const seen: Array<{ name: keyof EngineEvents; payload: unknown }> = [];
      for (const name of ['statusChanged', 'iterationCompleted', 'pendingChanged', 'itemsUpdated', 'generalError', 'logsAvailable'] as const) {
        engine.on(name, (payload: unknown) => seen.push({ name, payload }));
      }
      const catalog: Change[] = [category('shoes', { en: 'Shoes', es: 'Zapatos' }, { handle: 'shoes' }), category('socks', 'Socks', { handle: 'socks' }), category('empty', 'Nothing here')];
      for (let p = 0; p < 12; p++) {
        catalog.push(product(`SKU-${p}`, { title: p === 5 ? '' : `Shoe ${p}`, categoryRefs: [p % 2 ? 'socks' : 'shoes'], options: ['Size'] }));
        for (const size of ['40', '41']) catalog.push(variant(`SKU-${p}-${size}`, `SKU-${p}`, { price: '50.00', stock: p, optionValues: p === 7 && size === '41' ? {} : { Size: size } }));
      }
      await engine.enqueue(catalog);
      // Halfway through, the store fails every attempt of one request: a general error, and the
      // items go again in a later iteration.
      let iterations = 0;
      engine.on('iterationCompleted', () => {
        if (++iterations === 2) sim.injectFault('http503', { count: 4 });
      });
      const event = await engine.start();

      assert.equal(event.status, 'completed');
      assert.deepEqual(seen.filter((s) => s.name === 'statusChanged').map((s) => (s.payload as { status: string }).status), ['in_progress', 'completed']);
      assert.deepEqual(event.pending, { categories: 0, products: 0, variants: 0 });
      assert.ok(event.iterations.length >= 3, `${event.iterations.length} iterations of at most 15 items`);
      assert.equal(seen.filter((s) => s.name === 'iterationCompleted').length, event.iterations.length);
      assert.deepEqual(total(event, 'synced'), { categories: 2, products: 11, variants: 21 });
      assert.deepEqual(total(event, 'skipped'), { categories: 1, products: 0, variants: 0 }, 'the empty category');
      assert.deepEqual(total(event, 'failed'), { categories: 0, products: 1, variants: 3 });
      assert.deepEqual(event.generalErrors.map((g) => [g.code, g.httpStatus]), [['server_error', 503]]);
      assert.ok(event.generalErrors[0]!.iteration! >= 3);
      assert.equal(seen.filter((s) => s.name === 'generalError').length, 1);

      const failed = (await engine.queryItems({ status: 'error' })).items;
      assert.deepEqual(failed.map((i) => i.ref).sort(), ['SKU-5', 'SKU-5-40', 'SKU-5-41', 'SKU-7-41']);
      assert.deepEqual(failed.find((i) => i.ref === 'SKU-5')!.errors, [{ code: 'INVALID_PRODUCT', field: ['input', 'title'], message: "Title can't be blank" }]);
      assert.equal(failed.find((i) => i.ref === 'SKU-7-41')!.errors[0]!.code, 'INVALID_VARIANT');
      // What the store holds.
      const store = sim.snapshot();
      assert.equal(store.products.length, 11);
      assert.deepEqual(store.collections.map((c) => [c.title, c.productIds.length]).sort(), [['Shoes', 6], ['Socks', 5]]);
      assert.deepEqual(sim.translations(sim.collection({ handle: 'shoes' })!.id, 'es').map((t) => [t.key, t.value]), [['title', 'Zapatos']]);
      assert.deepEqual(event.config.translations, ['es']);
      assert.equal(sim.stock('SKU-3-40'), 3);
      const complete = await engine.queryItems({ status: 'complete', entity: 'variant', limit: 100 });
      assert.equal(complete.total, 21);
      assert.ok(complete.items.every((i) => i.shopifyId?.startsWith('gid://shopify/ProductVariant/')));

      // Logs: per event, with the item and general errors, and no credential.
      const jsonl = await engine.exportLogs(event.id, 'jsonl');
      assert.match(jsonl, /Title can't be blank/);
      assert.match(jsonl, /HTTP 503/);
      assert.ok(!jsonl.includes(TOKEN));

      // The host fixes its data; the failed items go again and the run completes without errors.
      await engine.enqueue([product('SKU-5', { title: 'Shoe 5', categoryRefs: ['shoes'], options: ['Size'] }), variant('SKU-7-41', 'SKU-7', { price: '50.00', stock: 7, optionValues: { Size: '41' } })]);
      await engine.retryFailed();
      const second = await engine.start();
      assert.equal(second.status, 'completed');
      assert.deepEqual(second.generalErrors, []);
      assert.deepEqual(total(second, 'failed'), { categories: 0, products: 0, variants: 0 });
      assert.equal((await engine.queryItems({ status: 'error' })).total, 0);
      assert.equal(sim.snapshot().products.length, 12);
      assert.deepEqual(sim.product({ sku: 'SKU-7-41' })!.variants.map((v) => v.sku), ['SKU-7-40', 'SKU-7-41']);
    } finally {
      await sim.close();
    }
  });

  it('paused when the connector is disabled mid-run, resumed when enabled, nothing lost or sent twice', async () => {
    const sim = await startSim({ latency: { baseMs: 1, perMutationMs: 0, jitterMs: 0 } });
    try {
      const { engine } = engineFor(sim, targetFor(sim), {}, { batchSize: 5 });
      await engine.enqueue(Array.from({ length: 20 }, (_, i) => product(`PZ-${i}`)));
      let n = 0;
      engine.on('iterationCompleted', () => {
        if (++n === 2) void engine.setEnabled(false);
      });
      const paused = await engine.start();
      assert.equal(paused.status, 'paused');
      assert.equal(total(paused, 'synced').products, 10);
      await engine.setEnabled(true);
      const resumed = await engine.idle();
      assert.equal(resumed!.id, paused.id);
      assert.equal(resumed!.status, 'completed');
      assert.equal(total(resumed!, 'synced').products, 20);
      assert.equal(sim.snapshot().products.length, 20);
      assert.equal(sim.requests.filter((r) => r.fields.includes('productSet')).reduce((k, r) => k + r.mutations, 0), 20, 'each product sent once');
    } finally {
      await sim.close();
    }
  });

  it('Error: credentials the store refuses end the event at once', async () => {
    const sim = await startSim();
    try {
      const { engine } = engineFor(sim, targetFor(sim, { accessToken: OTHER_TOKEN }));
      await engine.enqueue([product('E-1')]);
      const event = await engine.start();
      assert.equal(event.status, 'error');
      assert.deepEqual(event.iterations, []);
      assert.deepEqual(event.generalErrors.map((g) => [g.code, g.httpStatus]), [['auth', 401]]);
      assert.match(event.generalErrors[0]!.message, /credentials/);
    } finally {
      await sim.close();
    }
  });
});
