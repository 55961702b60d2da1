/**
 * The demo's first run on the simulator, without a browser: the simulator downloads each image
 * from the demo's own server (`media.fetch`), so the products whose image fails end with an item
 * error naming the image and Shopify's reason, while the others reach the store whole: published
 * on the Online Store, with their images, metafields (and their definitions), SEO and category.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncEvent } from '@shopsync/core';
import { demoCatalog } from '../demo/catalog.js';
import { IMAGE_PATH } from '../demo/images.js';
import { demoOptions } from '../demo/options.js';
import { startDemo, type Demo } from '../demo/server.js';

const PRODUCTS = 12;
/** The general errors the demo causes on purpose in its first run (a store having a bad few minutes). */
const INJECTED = new Set(['server_error', 'invalid_response']);

describe('demo: the first run on the simulator, images fetched for real', () => {
  let dir: string;
  let demo: Demo;
  let event: SyncEvent;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopsync-demo-store-'));
    const options = demoOptions(['--data', dir, '--products', String(PRODUCTS), '--latency', 'none', '--iteration-delay', '0', '--trickle', '0', '--fresh'], { PORT: '' });
    assert.ok(options !== 'help');
    demo = await startDemo(options);
    const end = Date.now() + 90_000;
    for (;;) {
      const [latest] = (await demo.engine.listEvents({ limit: 1 })).items;
      if (latest && latest.status !== 'in_progress' && latest.status !== 'paused') {
        event = latest;
        break;
      }
      assert.ok(Date.now() < end, `the first run ended in 90 s (last seen: ${latest?.status ?? 'no event'})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('completes, with no general error but those the demo injects', () => {
    assert.equal(event.status, 'completed');
    assert.deepEqual(event.generalErrors.filter((e) => !INJECTED.has(e.code)), []);
    assert.deepEqual(event.config.publications, ['Online Store']);
  });

  it('each product with a failing image has an item error naming the image and Shopify’s reason', async () => {
    const { failingImages } = demoCatalog(PRODUCTS, { imageBaseUrl: new URL(IMAGE_PATH, demo.url).href });
    assert.equal(failingImages.length, 3);
    const REASON = { missing: /could not be downloaded.*HTTP 404/, text: /file type is not supported.*text\/plain/, corrupt: /could not be processed.*not those of an image\/png/ };
    for (const f of failingImages) {
      const { items } = await demo.engine.queryItems({ entity: 'product', ref: f.ref });
      const item = items.find((i) => i.ref === f.ref)!;
      assert.equal(item.status, 'error', f.ref);
      const error = item.errors.find((e) => e.code === f.code);
      assert.ok(error, `${f.ref}: ${JSON.stringify(item.errors)}`);
      assert.ok(error.message.includes(`(${f.url}): Shopify could not process it`), error.message);
      assert.match(error.message, REASON[f.fault]);
    }
  });

  it('the other products are in the store whole: published on the Online Store, images ready, metafields, SEO, category', async () => {
    const { changes, failingImages, invalid } = demoCatalog(PRODUCTS, { imageBaseUrl: new URL(IMAGE_PATH, demo.url).href });
    const refused = new Set(invalid.map((i) => i.ref));
    const wanted = changes.filter((c) => c.entity === 'product' && c.op === 'upsert' && !refused.has(c.ref));
    assert.ok(wanted.length >= PRODUCTS - 5);
    for (const c of wanted) {
      if (c.entity !== 'product' || c.op !== 'upsert') continue;
      const { items } = await demo.engine.queryItems({ entity: 'product', ref: c.ref });
      const id = items.find((i) => i.ref === c.ref)?.shopifyId;
      assert.ok(id, `${c.ref} is in the store`);
      const p = demo.simulator!.product({ id })!;
      assert.deepEqual(p.publications, ['Online Store'], c.ref);
      assert.deepEqual(p.media.map((m) => [m.source, m.status]), c.data.images!.map((img) => [img.url, 'READY']), c.ref);
      assert.equal(p.metafields['shopsync.material'], c.data.metafields![0]!.value);
      assert.equal(p.seo.title, (c.data.seo!.title as Record<string, string>)['en']);
      assert.ok(p.category && c.data.category!.endsWith(p.category.id.split('/').pop()!), `${c.ref}: ${p.category?.id}`);
    }
    // The products whose image failed are in the store too, with their good images.
    const snapshot = demo.simulator!.snapshot();
    for (const f of failingImages) {
      const p = snapshot.products.find((x) => Object.entries(x.metafields).some(([k, v]) => k.endsWith('.shopsync_ref') && v === f.ref));
      assert.ok(p, `${f.ref} was created`);
      assert.deepEqual(
        p.media.map((m) => [m.status, m.errors[0]?.code]),
        p.media.map((m) => (m.source === f.url ? ['FAILED', f.code] : ['READY', undefined])),
        f.ref,
      );
    }
  });
});
