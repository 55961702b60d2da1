/**
 * The demo's catalog as a PIM would send it: images (served by the demo's own route, real PNGs),
 * texts in English, Spanish and French (titles, descriptions, SEO, alt texts, text metafields),
 * colour variants with their image, metafields, a taxonomy category and stock in two warehouses,
 * all taken by the core's schemas at enqueue and the same for a seed; exactly the chosen
 * products have an image that fails, and the route fails it as that product says.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync, crc32 } from 'node:zlib';
import { ChangeQueue, MemoryStorage, type Change } from '@shopsync/core';
import { seededRandom } from '@shopsync/core/testing';
import { TAXONOMY } from '@shopsync/shopify/simulator';
import { demoCatalog, trickle, WAREHOUSES } from '../demo/catalog.js';
import { LANGUAGES } from '../demo/catalog-texts.js';
import { IMAGE_FAULTS, IMAGE_PATH, imageFault, serveDemoImage } from '../demo/images.js';

const BASE = 'http://127.0.0.1:8080/demo-images/';
type ProductUpsert = Extract<Change, { entity: 'product'; op: 'upsert' }>;
type VariantUpsert = Extract<Change, { entity: 'variant'; op: 'upsert' }>;
type CategoryUpsert = Extract<Change, { entity: 'category'; op: 'upsert' }>;
const productsOf = (changes: readonly Change[]) => changes.filter((c): c is ProductUpsert => c.entity === 'product' && c.op === 'upsert');
const variantsOf = (changes: readonly Change[]) => changes.filter((c): c is VariantUpsert => c.entity === 'variant' && c.op === 'upsert');
const categoriesOf = (changes: readonly Change[]) => changes.filter((c): c is CategoryUpsert => c.entity === 'category' && c.op === 'upsert');
const LANGS: readonly string[] = LANGUAGES;
/** A text given in English, Spanish and French, none blank, each different from the English unless `same` allows it (the French for "Shorts" is "Shorts"). */
function trilingual(text: unknown, what: string, same = false): Record<string, string> {
  assert.ok(typeof text === 'object' && text !== null, `${what}: by language`);
  const t = text as Record<string, string>;
  assert.deepEqual(Object.keys(t), LANGS, what);
  for (const lang of LANGS) assert.ok(t[lang]!.trim().length > 0, `${what}: ${lang} is not blank`);
  if (same) return t;
  assert.notEqual(t['es'], t['en'], `${what}: Spanish differs from English`);
  assert.notEqual(t['fr'], t['en'], `${what}: French differs from English`);
  return t;
}

/** A PNG's chunks, each CRC checked; its pixels decoded (8-bit RGB, filter 0 rows only, as the demo writes them). */
function decodePng(bytes: Buffer): { width: number; height: number; pixel: (x: number, y: number) => string } {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'the PNG signature');
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(bytes.readUInt32BE(at + 8 + length), crc32(bytes.subarray(at + 4, at + 8 + length)), `the CRC of ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  const ihdr = chunks[0]!.data;
  const [width, height] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
  assert.deepEqual([...ihdr.subarray(8)], [8, 2, 0, 0, 0], '8-bit truecolour, not interlaced');
  const raw = inflateSync(chunks[1]!.data);
  assert.equal(raw.length, height * (1 + width * 3));
  const row = 1 + width * 3;
  return { width, height, pixel: (x, y) => raw.subarray(y * row + 1 + x * 3, y * row + 4 + x * 3).toString('hex') };
}

describe('demo catalog: images, metafields, SEO and taxonomy', () => {
  const catalog = demoCatalog(200, { imageBaseUrl: BASE });

  it('is taken at enqueue by the core (its schemas check images, metafield values, SEO and category)', async () => {
    const storage = new MemoryStorage();
    const result = await new ChangeQueue(storage, 'demo').enqueue(catalog.changes);
    assert.equal(result.accepted, catalog.changes.length);
    assert.deepEqual(result.pending, { categories: 30, products: 200, variants: variantsOf(catalog.changes).length });
  });

  it('is the same for a seed, another for another seed; without a base URL, the same catalog without images', () => {
    assert.deepEqual(demoCatalog(200, { imageBaseUrl: BASE }), catalog);
    assert.notDeepEqual(demoCatalog(200, { imageBaseUrl: BASE, seed: 8 }).changes, catalog.changes);
    const bare = demoCatalog(200);
    assert.deepEqual(bare.failingImages, []);
    const strip = (changes: readonly Change[]) =>
      changes.map((c) => {
        if (c.op !== 'upsert' || c.entity === 'category') return c;
        const { images, image, ...data } = c.data as Record<string, unknown>;
        void images;
        void image;
        return { ...c, data };
      });
    assert.deepEqual(strip(bare.changes), strip(catalog.changes));
    assert.ok(productsOf(bare.changes).every((p) => p.data.images === undefined));
  });

  it('every product: 1–3 images on the route, alt in en, es and fr, three shopsync metafields, SEO, a category of the simulator’s tree', () => {
    const products = productsOf(catalog.changes);
    let images = 0;
    for (const p of products) {
      const list = p.data.images ?? [];
      assert.ok(list.length >= 1 && list.length <= 3, `${p.ref}: ${list.length} images`);
      images += list.length;
      for (const img of list) {
        assert.ok(img.url.startsWith(BASE), img.url);
        trilingual(img.alt, `${p.ref}: alt`);
      }
      assert.deepEqual(
        p.data.metafields?.map((m) => `${m.namespace}.${m.key}:${m.type}`),
        ['shopsync.material:single_line_text_field', 'shopsync.care_instructions:multi_line_text_field', 'shopsync.weight:weight'],
      );
      assert.ok(p.data.seo?.title && p.data.seo.description, `${p.ref}: SEO`);
      const category = p.data.category!;
      assert.ok(TAXONOMY.has(category.startsWith('gid://') ? category : `gid://shopify/TaxonomyCategory/${category}`), `${p.ref}: ${category} is in the simulator's taxonomy`);
    }
    assert.ok(images > products.length * 1.5, `${images} images`);
  });

  it('texts in English, Spanish and French: category and product titles and descriptions, SEO, material and care as translations', () => {
    const categories = categoriesOf(catalog.changes);
    assert.equal(categories.length, 30);
    for (const c of categories) {
      trilingual(c.data.title, `${c.ref}: title`, true);
      trilingual(c.data.description, `${c.ref}: description`);
    }
    const refused = new Set(catalog.invalid.map((i) => i.ref));
    for (const p of productsOf(catalog.changes)) {
      if (p.data.title === '') assert.ok(refused.has(p.ref), `${p.ref}: a blank title is one Shopify refuses`);
      else {
        const title = trilingual(p.data.title, `${p.ref}: title`);
        // The model's name and number are the same in every language; what the product is, is translated.
        const model = /^(\w+) .* (\d+)$/.exec(title['en']!)!;
        for (const lang of LANGS) assert.ok(title[lang]!.includes(model[1]!) && title[lang]!.endsWith(` ${model[2]!}`), `${p.ref}: ${title[lang]}`);
      }
      const description = trilingual(p.data.description, `${p.ref}: description`);
      assert.match(description['fr']!, /^<p>.+<\/p><p>.+<\/p>$/);
      trilingual(p.data.seo?.title, `${p.ref}: SEO title`);
      trilingual(p.data.seo?.description, `${p.ref}: SEO description`);
      for (const key of ['material', 'care_instructions']) {
        const m = p.data.metafields!.find((x) => x.key === key)!;
        assert.equal(typeof m.value, 'string');
        const all = trilingual({ en: m.value, ...m.translations }, `${p.ref}: ${key}`);
        if (key === 'care_instructions') for (const lang of LANGS) assert.equal(all[lang]!.split('\n').length, 3, `${p.ref}: ${key} in ${lang}, three lines`);
      }
    }
  });

  it('stock in two warehouses, mad and lyon; as one number (their sum) when the store does not map them', () => {
    const variants = variantsOf(catalog.changes);
    for (const v of variants) {
      const stock = v.data.stock;
      assert.ok(typeof stock === 'object' && stock !== undefined, `${v.ref}: stock per warehouse`);
      assert.deepEqual(Object.keys(stock), [...WAREHOUSES], v.ref);
      for (const q of Object.values(stock)) assert.ok(Number.isInteger(q) && q >= 0, `${v.ref}: ${q}`);
    }
    assert.ok(variants.some((v) => (v.data.stock as Record<string, number>)['lyon'] === 0), 'Lyon is out of some');
    const single = variantsOf(demoCatalog(200, { imageBaseUrl: BASE, stockPerWarehouse: false }).changes);
    assert.deepEqual(
      single.map((v) => [v.ref, v.data.stock]),
      variants.map((v) => [v.ref, Object.values(v.data.stock as Record<string, number>).reduce((a, b) => a + b, 0)]),
    );
    // The trickle's stock changes keep each variant's shape.
    const rnd = seededRandom(5);
    for (let tick = 1; tick <= 10; tick++) {
      for (const v of variantsOf(trickle(catalog.changes, rnd, tick))) assert.deepEqual(Object.keys(v.data.stock as object), [...WAREHOUSES], v.ref);
    }
    for (const v of variantsOf(trickle(single, seededRandom(5), 1))) assert.equal(typeof v.data.stock, 'number', v.ref);
  });

  it('colour variants: each names one of its product’s images and carries its colour as a metafield', () => {
    const byRef = new Map(productsOf(catalog.changes).map((p) => [p.ref, p]));
    const coloured = variantsOf(catalog.changes).filter((v) => v.data.optionValues?.['Colour']);
    assert.ok(coloured.length >= 40, `${coloured.length} colour variants`);
    for (const v of coloured) {
      const product = byRef.get(v.parentRef)!;
      assert.deepEqual(product.data.options, ['Colour']);
      assert.ok(product.data.images?.some((img) => img.url === v.data.image), `${v.ref}: its image is its product's`);
      assert.match(v.data.metafields?.[0]?.value ?? '', /^#[0-9a-f]{6}$/);
    }
    // Different colours, different images: no two variants of a product share one.
    const images = coloured.map((v) => v.data.image);
    assert.equal(new Set(images).size, images.length);
  });

  it('exactly the chosen products have a failing image: one per fault, the same for the seed at any size from 40 products', () => {
    assert.deepEqual(catalog.failingImages.map((f) => f.fault), ['missing', 'text', 'corrupt']);
    const failing = productsOf(catalog.changes).filter((p) => p.data.images?.some((img) => imageFault(img.url)));
    assert.deepEqual(failing.map((p) => p.ref).sort(), catalog.failingImages.map((f) => f.ref).sort());
    for (const f of catalog.failingImages) {
      const product = failing.find((p) => p.ref === f.ref)!;
      assert.equal(product.data.images!.at(-1)!.url, f.url, 'the failing image comes after the good ones');
      assert.equal(f.code, IMAGE_FAULTS[f.fault].code);
      assert.ok(catalog.invalid.some((i) => i.ref === f.ref && i.why.includes(f.code)), `${f.ref} is listed as refused`);
    }
    assert.deepEqual(demoCatalog(60, { imageBaseUrl: BASE }).failingImages, catalog.failingImages);
    assert.equal(demoCatalog(10, { imageBaseUrl: BASE }).failingImages.length, 3, 'a small catalog has them too');
  });

  it('the trickle now and then rewords an alt text or weighs a product again; never a product Shopify refuses', async () => {
    const rnd = seededRandom(99);
    const byRef = new Map(productsOf(catalog.changes).map((p) => [p.ref, p]));
    const refused = new Set(catalog.invalid.map((i) => i.ref));
    let alts = 0;
    let weights = 0;
    const all: Change[] = [];
    for (let tick = 1; tick <= 40; tick++) all.push(...trickle(catalog.changes, rnd, tick));
    for (const c of productsOf(all)) {
      const before = byRef.get(c.ref);
      if (!before) continue;
      assert.ok(!refused.has(c.ref), `${c.ref} is not one Shopify refuses`);
      if (JSON.stringify(c.data.images) !== JSON.stringify(before.data.images)) alts++;
      if (JSON.stringify(c.data.metafields) !== JSON.stringify(before.data.metafields)) weights++;
      assert.deepEqual(c.data.images?.map((i) => i.url), before.data.images?.map((i) => i.url), 'the same images: nothing is uploaded again');
    }
    assert.ok(alts >= 5 && weights >= 5, `${alts} alt changes, ${weights} weight changes in 40 ticks`);
    await new ChangeQueue(new MemoryStorage(), 'demo').enqueue(all);
  });
});

describe('demo images: the route', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (!serveDemoImage(new URL(req.url!, 'http://x').pathname, req.method!, res)) res.writeHead(500).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${IMAGE_PATH}`;
  });
  after(() => new Promise<void>((ok) => server.close(() => ok())));

  it('serves a real PNG for a good name: a mountain of the colour its name gives', async () => {
    const r = await fetch(`${base}sku-10000-1-5b7a3a.png`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await r.arrayBuffer());
    assert.equal(Number(r.headers.get('content-length')), bytes.length);
    assert.ok(bytes.length < 2_000, `${bytes.length} bytes`);
    const png = decodePng(bytes);
    assert.deepEqual([png.width, png.height], [96, 96]);
    assert.equal(png.pixel(48, 95), '5b7a3a', 'the mountain');
    assert.notEqual(png.pixel(0, 0), '5b7a3a', 'the sky');
    const head = await fetch(`${base}sku-10000-1-5b7a3a.png`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  it('fails each catalog image as its product says: 404, text/plain, bytes that are not a PNG; every other image is a PNG', async () => {
    const { changes, failingImages } = demoCatalog(60, { imageBaseUrl: base });
    const failing = new Map(failingImages.map((f) => [f.url, f.fault]));
    for (const p of productsOf(changes)) {
      for (const img of p.data.images ?? []) {
        const r = await fetch(img.url);
        const bytes = Buffer.from(await r.arrayBuffer());
        const fault = failing.get(img.url);
        if (fault === 'missing') assert.equal(r.status, 404, img.url);
        else if (fault === 'text') assert.deepEqual([r.status, r.headers.get('content-type')], [200, 'text/plain; charset=utf-8'], img.url);
        else if (fault === 'corrupt') {
          assert.deepEqual([r.status, r.headers.get('content-type')], [200, 'image/png'], img.url);
          assert.throws(() => decodePng(bytes), /signature/);
        } else {
          assert.deepEqual([r.status, r.headers.get('content-type')], [200, 'image/png'], img.url);
          decodePng(bytes);
        }
      }
    }
    assert.equal((await fetch(`${base}..%2Fetc%2Fpasswd`)).status, 404);
    assert.equal((await fetch(`${base}anything.jpg`)).status, 404);
  });
});
