/**
 * Stock per warehouse at several locations, and texts in the store's other languages, through
 * the engine, the target and the simulator over HTTP: what each write sends (from the request
 * log) and what the store holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectorConfigSchema, type Change, type ConnectorConfigInput, type SyncEngine, type SyncEvent } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import type { ShopifySimulator, SimulatorOptions } from '@shopsync/shopify/simulator';
import { category, engineFor, product, startSim, targetFor, variant } from './helpers.js';

function sent(sim: ShopifySimulator): { queries: Record<string, number>; mutations: Record<string, number> } {
  const out = { queries: {} as Record<string, number>, mutations: {} as Record<string, number> };
  for (const r of sim.requests) for (const f of r.fields) (r.mutations > 0 ? out.mutations : out.queries)[f] = ((r.mutations > 0 ? out.mutations : out.queries)[f] ?? 0) + 1;
  return out;
}
const errorsOf = async (engine: SyncEngine, ref: string) => (await engine.queryItems({ ref, status: 'error' })).items.flatMap((i) => i.errors);
const failed = (e: SyncEvent) => e.iterations.reduce((n, it) => n + it.failed.categories + it.failed.products + it.failed.variants, 0);

async function setup(connector: Partial<ConnectorConfigInput>, sim: Partial<SimulatorOptions>) {
  const s = await startSim(sim);
  const { engine } = engineFor(s, targetFor(s, { mediaRetryMs: 30 }), { apiVersion: '2026-07', ...connector });
  const run = async (changes: Change[]) => {
    s.clearLog();
    await engine.enqueue(changes);
    return engine.start();
  };
  return { sim: s, engine, run, close: async () => (await engine.dispose(), await s.close()) };
}

describe('stock per warehouse, at the locations the connector maps', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  let madrid: string;
  let lyon: string;
  before(async () => {
    s = await setup(
      { locations: { mad: 'Madrid', lyon: 'lyon warehouse ', ghost: 'Berlin' } },
      { locations: [{ name: 'Madrid', active: true }, { name: 'Lyon warehouse', active: true }] },
    );
    madrid = s.sim.locationByName('Madrid')!.id;
    lyon = s.sim.locationByName('Lyon warehouse')!.id;
  });
  after(async () => s.close());

  it('a new variant’s stock at two locations goes in its productSet; the event shows the mapping as resolved', async () => {
    const e = await s.run([product('LOC-1'), variant('LOC-1-A', 'LOC-1', { stock: { mad: 5, lyon: 2 } }), variant('LOC-1-B', 'LOC-1', { stock: { mad: 1 } })]);
    assert.equal(failed(e), 0);
    assert.deepEqual(sent(s.sim).mutations, { metafieldDefinitionCreate: 1, productSet: 1 });
    assert.deepEqual([s.sim.stock('LOC-1-A', madrid), s.sim.stock('LOC-1-A', lyon)], [5, 2]);
    assert.deepEqual(e.config.locations, [
      { warehouse: 'mad', location: 'Madrid', id: madrid },
      { warehouse: 'lyon', location: 'lyon warehouse', id: lyon },
      { warehouse: 'ghost', location: 'Berlin' },
    ]);
  });

  it('a location is found by its id (numeric or GID) or its name, exact or ignoring case and spaces; one the store lacks is left out', async () => {
    const lyonNumber = lyon.slice(lyon.lastIndexOf('/') + 1);
    const locations = { a: madrid, b: lyonNumber, c: 'MADRID', d: 'gid://shopify/Location/999999', e: 'Lisbon' };
    const config = parseOrThrow(connectorConfigSchema, { id: 'loc-ids', shopDomain: s.sim.shopDomain, apiVersion: '2026-07', locations }, 'connector');
    const lines: string[] = [];
    const info = await targetFor(s.sim).connect({ connectorId: 'loc-ids', config, signal: new AbortController().signal, log: (_, m) => lines.push(m) });
    assert.deepEqual(info.locationIds, { a: madrid, b: lyon, c: madrid });
    assert.equal(lines.filter((l) => /which the store does not have/.test(l)).length, 2, 'the two it lacks are said in the log');
  });

  it('without "overwrite stock", a changed quantity is not written, but a new warehouse gets its first stock (the item activated there)', async () => {
    let e = await s.run([variant('LOC-1-A', 'LOC-1', { stock: { mad: 9, lyon: 2 } })]);
    assert.equal(failed(e), 0);
    assert.deepEqual(sent(s.sim).mutations, {}, 'initialized at both: nothing to write');
    assert.equal(s.sim.stock('LOC-1-A', madrid), 5);
    e = await s.run([variant('LOC-1-B', 'LOC-1', { stock: { mad: 4, lyon: 6 } })]);
    assert.equal(failed(e), 0);
    assert.deepEqual([s.sim.stock('LOC-1-B', madrid), s.sim.stock('LOC-1-B', lyon)], [1, 6], 'Madrid kept, Lyon set the first time');
    assert.equal(sent(s.sim).mutations['inventoryActivate'], 1);
  });

  it('a warehouse with no location, or mapped to one the store lacks, fails its variant naming it; none of its stock is written', async () => {
    const e = await s.run([product('LOC-2'), variant('LOC-2-A', 'LOC-2', { stock: { mad: 1, north: 4 } }), variant('LOC-2-B', 'LOC-2', { stock: { ghost: 3 } })]);
    assert.equal(failed(e), 2);
    const a = await errorsOf(s.engine, 'LOC-2-A');
    assert.deepEqual(a.map((x) => [x.code, x.field]), [['UNMAPPED_WAREHOUSE', ['stock', 'north']]]);
    assert.match(a[0]!.message, /Warehouse "north" has no Shopify location/);
    const b = await errorsOf(s.engine, 'LOC-2-B');
    assert.match(b[0]!.message, /"ghost" is mapped to the location "Berlin", which the store does not have/);
    assert.equal(s.sim.stock('LOC-2-A', madrid), 0, 'created, with no stock of the host’s');
  });
});

describe('stock per warehouse with "overwrite stock"', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  before(async () => (s = await setup({ overwriteStock: true, locations: { a: 'A', b: 'B' } }, { locations: [{ name: 'A', active: true }, { name: 'B', active: true }] })));
  after(async () => s.close());

  it('each changed quantity is written, across products and locations in one inventorySetQuantities; a location the item is new at is activated, the rest sent again', async () => {
    const [a, b] = [s.sim.locationByName('A')!.id, s.sim.locationByName('B')!.id];
    await s.run([product('OW-1'), variant('OW-1-A', 'OW-1', { stock: { a: 1 } }), product('OW-2'), variant('OW-2-A', 'OW-2', { stock: { a: 1, b: 1 } })]);
    const e = await s.run([variant('OW-1-A', 'OW-1', { stock: { a: 3, b: 7 } }), variant('OW-2-A', 'OW-2', { stock: { a: 4, b: 1 } })]);
    assert.equal(failed(e), 0);
    // inventorySetQuantities is all or nothing: the call with OW-1-A at B (not stocked there) is
    // refused whole; the item is activated at B with its quantity, and the rest sent again.
    assert.deepEqual(sent(s.sim).mutations, { inventorySetQuantities: 2, inventoryActivate: 1 });
    assert.deepEqual([s.sim.stock('OW-1-A', a), s.sim.stock('OW-1-A', b), s.sim.stock('OW-2-A', a), s.sim.stock('OW-2-A', b)], [3, 7, 4, 1]);
    s.sim.clearLog();
    await s.run([variant('OW-1-A', 'OW-1', { stock: { a: 3, b: 7 } })]);
    assert.deepEqual(sent(s.sim).mutations, {}, 'unchanged: nothing');
  });
});

describe('translations', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  before(
    async () =>
      (s = await setup(
        { language: 'en' },
        { locales: [{ locale: 'en', primary: true, published: true }, { locale: 'es', published: true }, { locale: 'de', published: false }] },
      )),
  );
  after(async () => s.close());
  const tent = (title: Record<string, string>, extra: Record<string, unknown> = {}) =>
    product('TR-1', {
      title,
      description: { en: '<p>Light</p>', es: '<p>Ligera</p>' },
      seo: { title: { en: 'Tent', es: 'Tienda' } },
      categoryRefs: ['TR-C'],
      metafields: [{ namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Cotton', translations: { es: 'Algodón', de: 'Baumwolle' } }],
      ...extra,
    });

  it('a new product’s texts reach every enabled language: one productSet, one digest read, one translationsRegister per resource', async () => {
    const e = await s.run([tent({ en: 'Tent', es: 'Tienda', de: 'Zelt', fr: 'Tente' }), category('TR-C', { en: 'Outdoor', es: 'Exterior' })]);
    assert.equal(failed(e), 0);
    assert.deepEqual(e.config.translations, ['es', 'de']);
    const m = sent(s.sim);
    assert.equal(m.mutations['translationsRegister'], 3, 'the product, its metafield, the collection');
    assert.equal(m.queries['translatableResourcesByIds'], 1);
    const id = s.sim.product({ sku: 'TR-1' })!.id;
    const tr = (rid: string, locale: string) => Object.fromEntries(s.sim.translations(rid, locale).map((t) => [t.key, t.value]));
    assert.deepEqual(tr(id, 'es'), { title: 'Tienda', body_html: '<p>Ligera</p>', meta_title: 'Tienda' });
    assert.deepEqual(tr(id, 'de'), { title: 'Zelt' });
    assert.deepEqual(tr(s.sim.metafieldId(id, 'custom.material')!, 'de'), { value: 'Baumwolle' });
    assert.deepEqual(tr(s.sim.collection({ handle: 'outdoor' })!.id, 'es'), { title: 'Exterior' });
    // French is not enabled: one warning for the event, not an item error.
    assert.deepEqual(
      e.generalErrors.map((g) => [g.code, g.severity]),
      [['language', 'warning']],
    );
    assert.match(e.generalErrors[0]!.message, /French \(fr\)/);
  });

  it('unchanged: nothing is sent; a changed translation alone: one translationsRegister, no digest read', async () => {
    await s.run([tent({ en: 'Tent', es: 'Tienda', de: 'Zelt' })]);
    assert.deepEqual(sent(s.sim).mutations, {}, 'unchanged');
    const e = await s.run([tent({ en: 'Tent', es: 'Tienda de campaña', de: 'Zelt' })]);
    assert.equal(failed(e), 0);
    assert.deepEqual(sent(s.sim).mutations, { translationsRegister: 1 });
    assert.equal(sent(s.sim).queries['translatableResourcesByIds'], undefined);
    const id = s.sim.product({ sku: 'TR-1' })!.id;
    assert.equal(s.sim.translations(id, 'es').find((t) => t.key === 'title')?.value, 'Tienda de campaña');
  });

  it('a changed primary text makes Shopify mark translations outdated: they are registered again with the new digest', async () => {
    const e = await s.run([tent({ en: 'Dome tent', es: 'Tienda de campaña', de: 'Zelt' })]);
    assert.equal(failed(e), 0);
    const id = s.sim.product({ sku: 'TR-1' })!.id;
    const title = (locale: string) => s.sim.translations(id, locale).find((t) => t.key === 'title')!;
    assert.deepEqual([title('es').outdated, title('de').outdated], [false, false]);
    assert.equal(sent(s.sim).mutations['productSet'], 1);
  });

  it('a variant’s text metafield is translated too (its id read once)', async () => {
    const colour = { namespace: 'custom', key: 'colour_name', type: 'single_line_text_field', value: 'Forest green', translations: { es: 'Verde bosque' } };
    const e = await s.run([variant('TR-1-A', 'TR-1', { price: '10.00', metafields: [colour] })]);
    assert.equal(failed(e), 0);
    const v = s.sim.product({ sku: 'TR-1-A' })!.variants.find((x) => x.sku === 'TR-1-A')!;
    const mid = s.sim.metafieldId(v.id, 'custom.colour_name')!;
    assert.deepEqual(s.sim.translations(mid, 'es').map((t) => [t.key, t.value]), [['value', 'Verde bosque']]);
    s.sim.clearLog();
    await s.run([variant('TR-1-A', 'TR-1', { price: '10.00', metafields: [{ ...colour, translations: { es: 'Verde oscuro' } }] })]);
    assert.deepEqual(sent(s.sim).mutations, { translationsRegister: 1 }, 'the metafield unchanged: only its translation');
    assert.equal(sent(s.sim).queries['productVariant'], undefined, 'its id is known');
  });

  it('a digest gone stale between read and register (the merchant edited the text) is read again and the registration retried', async () => {
    const id = s.sim.product({ sku: 'TR-1-A' })!.id;
    // The merchant edits the SEO title in the admin after shopsync last read its digest.
    s.sim.seedProduct({ id, seo: { title: 'Dome tent, 2 people' } } as never);
    const e = await s.run([tent({ en: 'Dome tent', es: 'Tienda de campaña', de: 'Zelt' }, { seo: { title: { en: 'Tent', es: 'Tienda (2 personas)' } } })]);
    assert.equal(s.sim.product({ sku: 'TR-1-A' })!.seo.title, 'Dome tent, 2 people', 'the merchant’s text stands');
    assert.equal(failed(e), 0);
    assert.deepEqual(sent(s.sim).mutations, { translationsRegister: 2 }, 'refused as stale, then registered');
    assert.equal(sent(s.sim).queries['translatableResourcesByIds'], 1, 'the digest read again');
    assert.equal(s.sim.translations(id, 'es').find((t) => t.key === 'meta_title')?.value, 'Tienda (2 personas)');
  });
});
