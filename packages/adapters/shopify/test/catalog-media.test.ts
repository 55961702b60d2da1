/**
 * Product images through the engine, the target and the simulator over HTTP: sent inside the
 * product's productSet, never uploaded twice, in the host's order; an image Shopify fails to
 * process after the answer becomes an item error of its product on a later check.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Change, SyncEngine, SyncEvent } from '@shopsync/core';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { engineFor, product, startSim, targetFor, variant } from './helpers.js';

const CDN = 'https://cdn.example.com/gear';
const img = (name: string, extra: Record<string, unknown> = {}) => ({ url: `${CDN}/${name}.jpg`, ...extra });

/** Root fields of the mutations and queries since the log was cleared. */
function sent(sim: ShopifySimulator): { queries: Record<string, number>; mutations: Record<string, number> } {
  const out = { queries: {} as Record<string, number>, mutations: {} as Record<string, number> };
  for (const r of sim.requests) for (const f of r.fields) (r.mutations > 0 ? out.mutations : out.queries)[f] = ((r.mutations > 0 ? out.mutations : out.queries)[f] ?? 0) + 1;
  return out;
}

const sources = (sim: ShopifySimulator, sku: string) => sim.product({ sku })!.media.map((m) => m.source.replace(`${CDN}/`, ''));
const failedItems = (e: SyncEvent) => e.iterations.reduce((n, it) => n + it.failed.products + it.failed.variants, 0);

describe('product images', () => {
  let sim: ShopifySimulator;
  let engine: SyncEngine;
  const run = async (changes: Change[], force = false) => {
    sim.clearLog();
    await engine.enqueue(changes, { force });
    return engine.start();
  };

  before(async () => {
    sim = await startSim({ media: { processingMs: 40, fetch: false, maxBytes: 20_000_000 } });
    engine = engineFor(sim, targetFor(sim, { mediaRetryMs: 30 }), { apiVersion: '2026-07', language: 'es' }).engine;
  });
  after(async () => {
    await engine.dispose();
    await sim.close();
  });

  it('a new product carries its images and its variants’ in its one productSet; it is done once Shopify has processed them', async () => {
    const e = await run([
      product('IMG-1', { options: ['Colour'], images: [img('tent-front', { alt: { en: 'Front', es: 'Frente' } }), img('tent-side', { position: 2 }), img('tent-back', { position: 1 })] }),
      variant('IMG-1-G', 'IMG-1', { optionValues: { Colour: 'Green' }, image: `${CDN}/tent-side.jpg` }),
      variant('IMG-1-R', 'IMG-1', { optionValues: { Colour: 'Red' }, image: `${CDN}/tent-red.jpg` }),
    ]);
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    // Sorted by position (the first image has none: its place in the list, 0), then the variant image the list lacks.
    assert.deepEqual(sources(sim, 'IMG-1-G'), ['tent-front.jpg', 'tent-back.jpg', 'tent-side.jpg', 'tent-red.jpg']);
    const p = sim.product({ sku: 'IMG-1-G' })!;
    assert.equal(p.media[0]!.alt, 'Frente', 'alt text in the connector’s language');
    assert.ok(p.media.every((m) => m.status === 'READY'));
    assert.equal(p.variants.find((v) => v.sku === 'IMG-1-G')!.imageId, p.media[2]!.id, 'the variant names the product’s image, no twin');
    assert.equal(p.variants.find((v) => v.sku === 'IMG-1-R')!.imageId, p.media[3]!.id);
    assert.equal(sim.files().length, 4, 'four sources, four files');
    const s = sent(sim);
    assert.equal(s.mutations['productSet'], 1);
    assert.ok((s.queries['files'] ?? 0) >= 1, 'the processing was checked');
    // The product was counted once, in the iteration where its images were ready; its variants in the first.
    assert.equal(e.iterations.reduce((n, it) => n + it.synced.products, 0), 1);
    assert.equal(e.iterations.reduce((n, it) => n + it.synced.variants, 0), 2);
    const [item] = (await engine.queryItems({ ref: 'IMG-1', entity: 'product' })).items;
    assert.equal(item?.status, 'complete');
  });

  it('ten re-syncs that reorder, rename, add and remove images leave exactly the product’s images, in order, with no twins', async () => {
    const lists: Array<Array<ReturnType<typeof img>>> = [
      [img('a'), img('b'), img('c')],
      [img('c'), img('a'), img('b')],
      [img('c', { alt: 'Cee' }), img('a'), img('b')],
      [img('c', { alt: 'Cee' }), img('a'), img('b'), img('d')],
      [img('a'), img('d')],
      [img('a', { position: 3 }), img('d', { position: 1 }), img('e', { position: 2 })],
      [img('e'), img('a', { contentHash: 'v2' })],
      [img('e'), img('a', { contentHash: 'v2' })],
      [img('b'), img('e'), img('a', { contentHash: 'v2' })],
      [img('b'), img('e'), img('a', { contentHash: 'v2' })],
    ];
    const uploads: number[] = [];
    for (const [i, images] of lists.entries()) {
      const before = sim.files().length;
      const e = await run([product('IMG-2', { title: `Pack ${i % 2}`, images })]);
      assert.equal(e.status, 'completed');
      assert.equal(failedItems(e), 0);
      const expected = [...images].map((x, k) => ({ x, k })).sort((a, b) => ((a.x as { position?: number }).position ?? a.k) - ((b.x as { position?: number }).position ?? b.k) || a.k - b.k).map(({ x }) => x.url.replace(`${CDN}/`, ''));
      assert.deepEqual(sources(sim, 'IMG-2'), expected, `sync ${i + 1}`);
      uploads.push(sim.files().length - before);
    }
    // New sources only: a, b, c; d; e; a again with a new content hash; b again (it had been removed).
    assert.deepEqual(uploads, [3, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
    const p = sim.product({ sku: 'IMG-2' })!;
    assert.equal(new Set(p.media.map((m) => m.id)).size, p.media.length, 'no file twice on the product');
    assert.ok(p.media.every((m) => m.status === 'READY'));
    // Files the product let go stay in the shop's Files, attached to nothing.
    assert.ok(sim.files().filter((f) => f.source.includes('/a.jpg') && f.productCount === 0).length === 1);
  });

  it('an unchanged catalog sent again writes nothing and uploads nothing, even forced', async () => {
    const changes = [product('IMG-3', { images: [img('x'), img('y')] }), variant('IMG-3-1', 'IMG-3', { image: `${CDN}/y.jpg` })];
    await run(changes);
    const files = sim.files().length;
    const again = await run(changes);
    assert.equal(again.status, 'completed');
    assert.deepEqual(sent(sim).mutations, {});
    const forced = await run(changes, true);
    assert.equal(forced.status, 'completed');
    assert.equal(sim.files().length, files, 'a forced re-send names the images by id: no upload');
    assert.equal(sent(sim).mutations['productSet'], 1);
  });

  it('images left out leave the store’s alone; an empty list removes them', async () => {
    await run([product('IMG-4', { images: [img('p'), img('q')] })]);
    await run([product('IMG-4', { title: 'Renamed' })]);
    assert.deepEqual(sources(sim, 'IMG-4'), ['p.jpg', 'q.jpg']);
    await run([product('IMG-4', { title: 'Renamed', images: [] })]);
    assert.deepEqual(sources(sim, 'IMG-4'), []);
  });

  it('an image Shopify cannot process fails its product on a later check, saying which and why; fixed, it is sent again', async () => {
    const fault = sim.failMedia({ urlIncludes: 'broken', code: 'IMAGE_DOWNLOAD_FAILURE', details: 'HTTP 404' });
    const e = await run([product('IMG-5', { images: [img('fine'), img('broken')] }), variant('IMG-5-1', 'IMG-5')]);
    fault.clear();
    assert.equal(e.status, 'completed', 'an item error does not end the run');
    assert.deepEqual(e.generalErrors, []);
    assert.equal(e.iterations.reduce((n, it) => n + it.failed.products, 0), 1);
    assert.equal(e.iterations.reduce((n, it) => n + it.synced.variants, 0), 1, 'its variants are synchronized');
    const [item] = (await engine.queryItems({ ref: 'IMG-5', entity: 'product' })).items;
    assert.equal(item?.status, 'error');
    assert.equal(item?.errors[0]?.code, 'IMAGE_DOWNLOAD_FAILURE');
    assert.deepEqual(item?.errors[0]?.field, ['images', '1']);
    assert.match(item!.errors[0]!.message, /^Image 2 \(https:\/\/cdn\.example\.com\/gear\/broken\.jpg\): Shopify could not process it: .*\(HTTP 404\)\.$/);
    // Retried (the source fixed meanwhile): the failed image is uploaded anew, the good one is not.
    const files = sim.files().length;
    sim.clearLog();
    assert.equal(await engine.retryFailed(), 1);
    const retried = await engine.start();
    assert.equal(retried.status, 'completed');
    assert.equal(failedItems(retried), 0);
    assert.equal(sim.files().length, files + 1);
    assert.deepEqual(
      sim.product({ sku: 'IMG-5-1' })!.media.map((m) => [m.source.replace(`${CDN}/`, ''), m.status]),
      [
        ['fine.jpg', 'READY'],
        ['broken.jpg', 'READY'],
      ],
    );
  });

  it('a productSet with images whose answer is lost makes no twin: the product’s media are read and matched first', async () => {
    // A new product, and then a change of its images, each productSet applied and its answer lost.
    for (const [i, images] of [[img('l1'), img('l2')], [img('l2'), img('l3'), img('l1')]].entries()) {
      sim.injectFault('http503', { field: 'productSet', afterExecute: true });
      const e = await run([product('IMG-6', { images })]);
      assert.equal(e.status, 'completed', `round ${i + 1}`);
      const errors = (await engine.queryItems({ ref: 'IMG-6', status: 'error' })).items.flatMap((x) => x.errors.map((er) => er.message));
      assert.equal(failedItems(e), 0, errors.join('; '));
    }
    assert.deepEqual(sources(sim, 'IMG-6'), ['l2.jpg', 'l3.jpg', 'l1.jpg']);
    const mine = sim.files().filter((f) => /\/l\d\.jpg$/.test(f.source));
    assert.equal(mine.length, 3, `one file per source: ${mine.map((f) => f.source).join(', ')}`);
    assert.equal(sim.snapshot().products.filter((p) => p.title === 'Product IMG-6').length, 1, 'no twin product either');
  });
});
