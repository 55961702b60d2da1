/**
 * The demo's first run on the simulator, without a browser: the simulator downloads each image
 * from the demo's own server (`media.fetch`), so the products whose image fails end with an item
 * error naming the image and Shopify's reason, while the others reach the store whole: published
 * on the Online Store, with their images, metafields (and their definitions), SEO and category,
 * their Spanish as translations (the store publishes English and Spanish; the French it has not
 * enabled is one warning of the run) and their stock at the Madrid and Lyon locations.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Change, SyncEvent } from '@shopsync/core';
import { demoCatalog } from '../demo/catalog.js';
import { IMAGE_PATH } from '../demo/images.js';
import { demoOptions } from '../demo/options.js';
import { startDemo, type Demo } from '../demo/server.js';
import { SIMULATOR_LOCATIONS } from '../demo/store.js';

const PRODUCTS = 12;
/** The general errors the demo causes on purpose in its first run (a store having a bad few minutes). */
const INJECTED = new Set(['server_error', 'invalid_response']);
type ProductUpsert = Extract<Change, { entity: 'product'; op: 'upsert' }>;
type Localized = Record<string, string>;

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

  /** The store's id of an item the run wrote (undefined when it failed). */
  const idOf = async (entity: 'category' | 'product' | 'variant', ref: string) => {
    const { items } = await demo.engine.queryItems({ entity, ref });
    const item = items.find((i) => i.ref === ref);
    return item?.status === 'complete' ? item.shopifyId : undefined;
  };
  /** The catalog's products the store takes whole. */
  const wantedProducts = () => {
    const { changes, invalid } = demoCatalog(PRODUCTS, { imageBaseUrl: new URL(IMAGE_PATH, demo.url).href });
    const refused = new Set(invalid.map((i) => i.ref));
    return { changes, products: changes.filter((c): c is ProductUpsert => c.entity === 'product' && c.op === 'upsert' && !refused.has(c.ref)) };
  };

  it('completes, with no general error but those the demo injects and one warning: the store has not enabled French', () => {
    assert.equal(event.status, 'completed');
    const others = event.generalErrors.filter((e) => !INJECTED.has(e.code));
    assert.deepEqual(others.map((e) => [e.code, e.severity]), [['language', 'warning']]);
    assert.match(others[0]!.message, /^The store has not enabled French \(fr\): texts in it are not written\./);
    assert.deepEqual(event.config.publications, ['Online Store']);
  });

  it('ran in English, translating into Spanish, with each warehouse’s stock at its location of the store', () => {
    const sim = demo.simulator!;
    assert.deepEqual(sim.locales.map((l) => [l.locale, l.primary, l.published]), [['en', true, true], ['es', false, true]]);
    assert.equal(event.config.language, 'en');
    assert.deepEqual(event.config.translations, ['es']);
    assert.deepEqual(event.config.locations, [
      { warehouse: 'mad', location: 'Madrid warehouse', id: sim.locationByName(SIMULATOR_LOCATIONS.mad)!.id },
      { warehouse: 'lyon', location: 'Lyon warehouse', id: sim.locationByName(SIMULATOR_LOCATIONS.lyon)!.id },
    ]);
  });

  it('the store holds the Spanish of products, their material and care, and their collections; no French', async () => {
    const sim = demo.simulator!;
    const { changes, products } = wantedProducts();
    assert.ok(products.length >= PRODUCTS - 5);
    for (const c of products) {
      const id = (await idOf('product', c.ref))!;
      assert.ok(id, `${c.ref} is in the store`);
      const es = Object.fromEntries(sim.translations(id, 'es').map((t) => [t.key, t.value]));
      const texts = { title: c.data.title, body_html: c.data.description, meta_title: c.data.seo!.title, meta_description: c.data.seo!.description };
      assert.deepEqual(es, Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, (text as Localized)['es']])), c.ref);
      assert.ok(sim.translations(id).every((t) => t.locale === 'es' && !t.outdated), `${c.ref}: Spanish only, none outdated`);
      for (const key of ['material', 'care_instructions']) {
        const m = c.data.metafields!.find((x) => x.key === key)!;
        const metafieldId = sim.metafieldId(id, `shopsync.${key}`)!;
        assert.deepEqual(sim.translations(metafieldId).map((t) => [t.locale, t.key, t.value]), [['es', 'value', m.translations!['es']]], `${c.ref}: ${key}`);
      }
    }
    let collections = 0;
    for (const c of changes) {
      if (c.entity !== 'category' || c.op !== 'upsert') continue;
      const id = await idOf('category', c.ref);
      if (!id) continue;
      collections++;
      const es = Object.fromEntries(sim.translations(id, 'es').map((t) => [t.key, t.value]));
      assert.deepEqual(es, { title: (c.data.title as Localized)['es'], body_html: (c.data.description as Localized)['es'] }, c.ref);
    }
    assert.equal(collections, PRODUCTS, 'one collection a product in a catalog this small; the empty categories are skipped');
  });

  it('every variant the store took has its Madrid and Lyon quantities at the two locations', async () => {
    const sim = demo.simulator!;
    const madrid = sim.locationByName(SIMULATOR_LOCATIONS.mad)!.id;
    const lyon = sim.locationByName(SIMULATOR_LOCATIONS.lyon)!.id;
    const { changes } = wantedProducts();
    let checked = 0;
    for (const v of changes) {
      if (v.entity !== 'variant' || v.op !== 'upsert' || !(await idOf('variant', v.ref))) continue;
      const stock = v.data.stock as Record<string, number>;
      assert.deepEqual([sim.stock(v.ref, madrid), sim.stock(v.ref, lyon)], [stock['mad'], stock['lyon']], v.ref);
      checked++;
    }
    assert.ok(checked >= 10, `${checked} variants checked`);
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
