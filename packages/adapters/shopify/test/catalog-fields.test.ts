/**
 * Metafields, SEO, taxonomy category and sales channels through the engine, the target and the
 * simulator over HTTP: what each write sends (from the request log) and what the store holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError, type Change, type ConnectorConfigInput, type SyncEngine, type SyncEvent } from '@shopsync/core';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { engineFor, product, remove, startSim, targetFor, variant } from './helpers.js';
import { post } from './sim-helpers.js';

function sent(sim: ShopifySimulator): { queries: Record<string, number>; mutations: Record<string, number> } {
  const out = { queries: {} as Record<string, number>, mutations: {} as Record<string, number> };
  for (const r of sim.requests) for (const f of r.fields) (r.mutations > 0 ? out.mutations : out.queries)[f] = ((r.mutations > 0 ? out.mutations : out.queries)[f] ?? 0) + 1;
  return out;
}
const mf = (key: string, type: string, value: unknown, namespace = 'custom') => ({ namespace, key, type, value });
const errorsOf = async (engine: SyncEngine, ref: string) => (await engine.queryItems({ ref, status: 'error' })).items.flatMap((i) => i.errors);
const total = (e: SyncEvent, k: 'synced' | 'failed') => e.iterations.reduce((n, it) => n + it[k].products + it[k].variants, 0);

async function setup(connector: Partial<ConnectorConfigInput> = {}) {
  const sim = await startSim();
  const { engine } = engineFor(sim, targetFor(sim, { mediaRetryMs: 30 }), { apiVersion: '2026-07', ...connector });
  const run = async (changes: Change[]) => {
    sim.clearLog();
    await engine.enqueue(changes);
    return engine.start();
  };
  return { sim, engine, run, close: async () => (await engine.dispose(), await sim.close()) };
}

describe('metafields', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  before(async () => (s = await setup({ ownedMetafieldNamespaces: ['shopsync'] })));
  after(async () => s.close());

  it('a new product carries its metafields and its variants’ in its productSet, typed as Shopify writes them', async () => {
    const e = await s.run([
      product('MF-1', { metafields: [mf('material', 'single_line_text_field', 'Ripstop nylon'), mf('weight', 'weight', { value: 1.2, unit: 'kg' }), mf('layers', 'number_integer', 2, 'shopsync'), mf('care', 'multi_line_text_field', 'Air dry.\nNo bleach.', 'shopsync')] }),
      variant('MF-1-A', 'MF-1', { metafields: [mf('colour', 'color', '#2E7D32')] }),
    ]);
    assert.equal(e.status, 'completed');
    assert.equal(total(e, 'failed'), 0);
    assert.deepEqual(sent(s.sim).mutations, { metafieldDefinitionCreate: 1, productSet: 1 });
    const p = s.sim.product({ sku: 'MF-1-A' })!;
    assert.equal(p.metafields['custom.material'], 'Ripstop nylon');
    assert.equal(p.metafields['custom.weight'], '{"value":1.2,"unit":"kg"}');
    assert.equal(p.metafields['shopsync.layers'], '2');
    assert.equal(p.variants[0]!.metafields['custom.colour'], '#2E7D32');
  });

  it('a changed value is one metafieldsSet (no productSet); unchanged, nothing is written', async () => {
    const data = { metafields: [mf('material', 'single_line_text_field', 'Polyester'), mf('weight', 'weight', { value: 1.2, unit: 'kg' }), mf('layers', 'number_integer', 3, 'shopsync'), mf('care', 'multi_line_text_field', 'Air dry.\nNo bleach.', 'shopsync')] };
    const e = await s.run([product('MF-1', data), variant('MF-1-A', 'MF-1', { metafields: [mf('colour', 'color', '#1B5E20')] })]);
    assert.equal(total(e, 'failed'), 0);
    assert.deepEqual(sent(s.sim).mutations, { metafieldsSet: 1 }, 'product and variant in one call');
    const p = s.sim.product({ sku: 'MF-1-A' })!;
    assert.equal(p.metafields['custom.material'], 'Polyester');
    assert.equal(p.metafields['shopsync.layers'], '3');
    assert.equal(p.variants[0]!.metafields['custom.colour'], '#1B5E20');
    await s.run([product('MF-1', data), variant('MF-1-A', 'MF-1', { metafields: [mf('colour', 'color', '#1B5E20')] })]);
    assert.deepEqual(sent(s.sim).mutations, {});
  });

  it('a metafield the host stops sending is deleted only in an owned namespace; the merchant’s own metafields are never touched', async () => {
    const id = s.sim.product({ sku: 'MF-1-A' })!.id;
    const set = await post(s.sim, 'mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { message } } }', { m: [{ ownerId: id, namespace: 'merchant', key: 'note', type: 'single_line_text_field', value: 'Staff pick' }] }, { version: '2026-01' });
    assert.deepEqual((set.body.data as { metafieldsSet: { userErrors: unknown[] } }).metafieldsSet.userErrors, []);
    // `care` (owned namespace) and `material` (not owned) are no longer sent.
    const e = await s.run([product('MF-1', { title: 'Tent', metafields: [mf('weight', 'weight', { value: 1.2, unit: 'kg' }), mf('layers', 'number_integer', 3, 'shopsync')] })]);
    assert.equal(total(e, 'failed'), 0);
    assert.deepEqual(sent(s.sim).mutations, { productSet: 1, metafieldsDelete: 1 }, 'the title changed (productSet, which carries no metafields), one owned metafield deleted');
    const p = s.sim.product({ sku: 'MF-1-A' })!;
    assert.equal(p.metafields['shopsync.care'], undefined);
    assert.equal(p.metafields['custom.material'], 'Polyester', 'not ours to delete');
    assert.equal(p.metafields['merchant.note'], 'Staff pick');
    assert.equal(p.metafields['shopsync.layers'], '3');
  });

  it('a bad value is refused at enqueue, naming the field; nothing is queued', async () => {
    const err = await s.engine.enqueue([product('MF-2', { metafields: [mf('layers', 'number_integer', 'two')] })]).catch((x: unknown) => x);
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(err.issues.map((i) => i.path), ['changes[0].data.metafields[0].value']);
    assert.equal((await s.engine.queryItems({ ref: 'MF-2' })).total, 0);
  });

  it('a metaobject reference without a definition in the store fails its product, saying what to do; nothing of it is written', async () => {
    const e = await s.run([product('MF-3', { metafields: [mf('designer', 'metaobject_reference', 'gid://shopify/Metaobject/7')] }), variant('MF-3-A', 'MF-3')]);
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    const [error] = await errorsOf(s.engine, 'MF-3');
    assert.equal(error?.code, 'METAFIELD_DEFINITION_MISSING');
    assert.match(error!.message, /custom\.designer \(metaobject_reference\) needs a metafield definition .*Settings › Custom data › Products/);
    assert.equal(s.sim.product({ sku: 'MF-3-A' }), undefined);
    assert.deepEqual(sent(s.sim).mutations, {});
  });

  it('a type that differs from the store’s definition fails its product before anything is sent', async () => {
    const def = await post(s.sim, 'mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { userErrors { message } } }', { d: { namespace: 'custom', key: 'grade', name: 'Grade', ownerType: 'PRODUCT', type: 'number_integer' } }, { version: '2026-01' });
    assert.deepEqual((def.body.data as { metafieldDefinitionCreate: { userErrors: unknown[] } }).metafieldDefinitionCreate.userErrors, []);
    // Not checked ahead (the type needs no definition and the namespace is not owned): the store says so.
    const e = await s.run([product('MF-4', { metafields: [mf('grade', 'single_line_text_field', 'A')] })]);
    assert.equal(total(e, 'failed'), 1);
    const [error] = await errorsOf(s.engine, 'MF-4');
    assert.equal(error?.code, 'INVALID_METAFIELD');
    assert.match(error!.message, /^Metafield custom\.grade \(single_line_text_field\): .*definition/i);
    assert.equal(s.sim.product({ sku: 'MF-4' }), undefined);
  });
});

describe('metafield definitions made where the connector asks for them', () => {
  it('one definition per owned key, made once for every product that needs it; other namespaces get none', async () => {
    const s = await setup({ ownedMetafieldNamespaces: ['shopsync'], createMetafieldDefinitions: true });
    try {
      const e = await s.run(
        ['D-1', 'D-2', 'D-3'].map((ref) => product(ref, { metafields: [mf('fabric', 'single_line_text_field', 'Wool', 'shopsync'), mf('note', 'single_line_text_field', 'x')] })),
      );
      assert.equal(total(e, 'failed'), 0);
      assert.equal(sent(s.sim).mutations['metafieldDefinitionCreate'], 2, 'the custom ID definition, and shopsync.fabric once');
      const defs = await post(s.sim, '{ metafieldDefinitions(ownerType: PRODUCT, first: 10) { nodes { namespace key name type { name } } } }', {}, { version: '2026-01' });
      const nodes = (defs.body.data as { metafieldDefinitions: { nodes: Array<{ namespace: string; key: string; name: string; type: { name: string } }> } }).metafieldDefinitions.nodes;
      assert.deepEqual(
        nodes.filter((n) => n.namespace === 'shopsync').map((n) => [n.key, n.name, n.type.name]),
        [['fabric', 'Fabric', 'single_line_text_field']],
      );
      await s.run([product('D-4', { metafields: [mf('fabric', 'single_line_text_field', 'Silk', 'shopsync')] })]);
      assert.equal(sent(s.sim).mutations['metafieldDefinitionCreate'], undefined, 'known: not made or read again');
      assert.equal(sent(s.sim).queries['metafieldDefinitions'], 1, 'the connection check’s only');
    } finally {
      await s.close();
    }
  });
});

describe('SEO and taxonomy category', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  before(async () => (s = await setup({ language: 'es' })));
  after(async () => s.close());

  it('go in the productSet; a change is a productSet, an unchanged re-sync writes nothing', async () => {
    await s.run([product('SEO-1', { seo: { title: { en: 'Trail tent', es: 'Tienda trail' }, description: 'Two people' }, category: 'sg' })]);
    let p = s.sim.product({ sku: 'SEO-1' })!;
    assert.deepEqual(p.seo, { title: 'Tienda trail', description: 'Two people' });
    assert.equal(p.category?.id, 'gid://shopify/TaxonomyCategory/sg');
    await s.run([product('SEO-1', { seo: { title: 'Tienda ligera' }, category: 'gid://shopify/TaxonomyCategory/aa' })]);
    assert.deepEqual(sent(s.sim).mutations, { productSet: 1 });
    p = s.sim.product({ sku: 'SEO-1' })!;
    assert.equal(p.seo.title, 'Tienda ligera');
    assert.equal(p.category?.id, 'gid://shopify/TaxonomyCategory/aa');
    await s.run([product('SEO-1', { seo: { title: 'Tienda ligera' }, category: 'gid://shopify/TaxonomyCategory/aa' })]);
    assert.deepEqual(sent(s.sim).mutations, {});
    // Removed: an empty SEO text clears it, a null category takes the product out of the taxonomy.
    await s.run([product('SEO-1', { seo: { title: '', description: '' }, category: null })]);
    assert.deepEqual(sent(s.sim).mutations, { productSet: 1 });
    p = s.sim.product({ sku: 'SEO-1' })!;
    assert.deepEqual([p.seo.title ?? '', p.seo.description ?? ''], ['', '']);
    assert.equal(p.category, null);
  });

  it('an unknown category is an item error of its product, not a general one', async () => {
    const e = await s.run([product('SEO-2', { category: 'zz-99' }), product('SEO-3', { category: 'sg' })]);
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.generalErrors, []);
    assert.equal(total(e, 'failed'), 1);
    assert.equal(total(e, 'synced'), 1);
    const [error] = await errorsOf(s.engine, 'SEO-2');
    assert.deepEqual(error?.field, ['input', 'category']);
  });
});

describe('sales channels', () => {
  it('new products are published to the connector’s channels once; archived ones are unpublished; a deleted one too', async () => {
    const s = await setup({ publications: ['Online Store', 'Point of Sale'] });
    try {
      const e = await s.run([product('PUB-1'), product('PUB-2'), variant('PUB-2-A', 'PUB-2')]);
      assert.equal(total(e, 'failed'), 0);
      assert.deepEqual(sent(s.sim).mutations, { metafieldDefinitionCreate: 1, productSet: 2, publishablePublish: 2 });
      assert.deepEqual(s.sim.product({ sku: 'PUB-1' })!.publications.sort(), ['Online Store', 'Point of Sale']);
      await s.run([product('PUB-1', { title: 'Renamed' })]);
      assert.equal(sent(s.sim).mutations['publishablePublish'], undefined, 'published once');
      await s.run([product('PUB-1', { title: 'Renamed', status: 'archived' })]);
      assert.deepEqual(s.sim.product({ sku: 'PUB-1' })!.publications, []);
      await s.run([remove('product', 'PUB-2')]);
      assert.equal(s.sim.product({ sku: 'PUB-2-A' })!.status, 'ARCHIVED');
      assert.deepEqual(s.sim.product({ sku: 'PUB-2-A' })!.publications, []);
    } finally {
      await s.close();
    }
  });

  it('a channel the store does not have is a general error, said once a run; products are still synchronized and published to the others', async () => {
    const s = await setup({ publications: ['Online Store', 'Moon Shop'] });
    try {
      const e = await s.run([product('PUB-3'), product('PUB-4')]);
      assert.equal(e.status, 'completed');
      assert.equal(total(e, 'synced'), 2);
      assert.deepEqual(
        e.generalErrors.map((g) => g.code),
        ['configuration'],
      );
      assert.match(e.generalErrors[0]!.message, /no sales channel named "Moon Shop" \(it has: Online Store, Point of Sale, Shop\)/);
      assert.deepEqual(s.sim.product({ sku: 'PUB-3' })!.publications, ['Online Store']);
      assert.deepEqual(e.config.publications, ['Online Store', 'Moon Shop'], 'the event shows the configuration it ran with');
    } finally {
      await s.close();
    }
  });
});
