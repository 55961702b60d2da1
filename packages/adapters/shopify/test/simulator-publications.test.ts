/**
 * The simulator's sales channels (publications, named by their AppCatalog) and publishing
 * products on them; a product's SEO and taxonomy category; and a store kept in a file that holds
 * all of what a real catalog carries (files, media, variants' images, metafields, definitions,
 * publications, SEO, categories).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim } from './helpers.js';
import { defaultVariant, payload, post, titleOption } from './sim-helpers.js';

const PUBLISH = (verb: 'publishablePublish' | 'publishableUnpublish') =>
  `mutation($id: ID!, $input: [PublicationInput!]!) { ${verb}(id: $id, input: $input) { publishable { ... on Product { id } } userErrors { field message } } }`;

interface PublishPayload {
  publishable: { id: string } | null;
  userErrors: Array<{ field: string[]; message: string }>;
}

describe('simulator: publications', () => {
  let sim: ShopifySimulator;
  let publications: Array<{ id: string; title: string }>;
  before(async () => {
    sim = await startSim();
    const r = await post(sim, '{ publications(first: 10) { nodes { id catalog { __typename id title status } } } }');
    publications = (r.body.data as { publications: { nodes: Array<{ id: string; catalog: { title: string } }> } }).publications.nodes.map((n) => ({ id: n.id, title: n.catalog.title }));
  });
  after(async () => {
    await sim.close();
  });

  const publish = async (verb: 'publishablePublish' | 'publishableUnpublish', id: string, input: unknown[]) => payload<PublishPayload>(await post(sim, PUBLISH(verb), { id, input }), verb);
  const on = async (id: string) => {
    const r = await post(sim, 'query($id: ID!, $p: ID!) { product(id: $id) { publishedOnPublication(publicationId: $p) resourcePublications(first: 5) { nodes { isPublished publishDate publication { id catalog { title } } } } all: resourcePublications(first: 5, onlyPublished: false) { nodes { isPublished publication { id } } } } }', {
      id,
      p: publications[0]!.id,
    });
    return (r.body.data as { product: { publishedOnPublication: boolean; resourcePublications: { nodes: Array<{ isPublished: boolean; publication: { id: string; catalog: { title: string } } }> }; all: { nodes: Array<{ isPublished: boolean; publication: { id: string } }> } } }).product;
  };

  it('the store has Online Store, Point of Sale and Shop, each named by its AppCatalog', async () => {
    assert.deepEqual(publications.map((p) => p.title), ['Online Store', 'Point of Sale', 'Shop']);
    assert.ok(publications.every((p) => /^gid:\/\/shopify\/Publication\/\d+$/.test(p.id)));
    const one = await post(sim, 'query($id: ID!) { publication(id: $id) { id catalog { __typename title } } }', { id: publications[1]!.id });
    assert.deepEqual(one.body.data, { publication: { id: publications[1]!.id, catalog: { __typename: 'AppCatalog', title: 'Point of Sale' } } });
    const custom = await startSim({ publications: ['Online Store', 'Wholesale'] });
    try {
      const r = await post(custom, '{ publications(first: 10) { nodes { catalog { title } } } }');
      assert.deepEqual(r.body.data, { publications: { nodes: [{ catalog: { title: 'Online Store' } }, { catalog: { title: 'Wholesale' } }] } });
    } finally {
      await custom.close();
    }
  });

  it('a new product is published nowhere; publish and unpublish change that, and it reads back', async () => {
    const p = sim.seedProduct({ title: 'Tent' });
    assert.deepEqual(sim.product({ id: p.id })!.publications, []);
    assert.deepEqual(await on(p.id), { publishedOnPublication: false, resourcePublications: { nodes: [] }, all: { nodes: [] } });
    const published = await publish('publishablePublish', p.id, [{ publicationId: publications[0]!.id }, { publicationId: publications[2]!.id }]);
    assert.deepEqual(published, { publishable: { id: p.id }, userErrors: [] });
    assert.deepEqual(sim.product({ id: p.id })!.publications, ['Online Store', 'Shop']);
    const read = await on(p.id);
    assert.equal(read.publishedOnPublication, true);
    assert.deepEqual(read.resourcePublications.nodes.map((n) => [n.publication.catalog.title, n.isPublished]), [
      ['Online Store', true],
      ['Shop', true],
    ]);
    const unpublished = await publish('publishableUnpublish', p.id, [{ publicationId: publications[0]!.id }]);
    assert.deepEqual(unpublished.userErrors, []);
    assert.deepEqual(sim.product({ id: p.id })!.publications, ['Shop']);
    assert.equal((await on(p.id)).publishedOnPublication, false);
  });

  it('a publish date in the future schedules: not published yet, listed only with onlyPublished: false', async () => {
    const p = sim.seedProduct({ title: 'Stove' });
    const later = new Date(Date.now() + 86_400_000).toISOString();
    assert.deepEqual((await publish('publishablePublish', p.id, [{ publicationId: publications[0]!.id, publishDate: later }])).userErrors, []);
    const read = await on(p.id);
    assert.deepEqual([read.publishedOnPublication, read.resourcePublications.nodes, read.all.nodes], [false, [], [{ isPublished: false, publication: { id: publications[0]!.id } }]]);
    assert.deepEqual(sim.product({ id: p.id })!.publications, []);
  });

  it('an unknown product or publication is a userError, and nothing is published', async () => {
    const p = sim.seedProduct({ title: 'Lamp' });
    const unknown = await publish('publishablePublish', p.id, [{ publicationId: publications[0]!.id }, { publicationId: 'gid://shopify/Publication/999999' }, {}]);
    assert.deepEqual(unknown, {
      publishable: null,
      userErrors: [
        { field: ['input', '1', 'publicationId'], message: 'Publication does not exist' },
        { field: ['input', '2', 'publicationId'], message: "Publication can't be blank" },
      ],
    });
    assert.deepEqual(sim.product({ id: p.id })!.publications, []);
    const noProduct = await publish('publishablePublish', 'gid://shopify/Product/999999', [{ publicationId: publications[0]!.id }]);
    assert.deepEqual(noProduct, { publishable: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] });
    const r = await post(sim, 'mutation { publishablePublish(id: "not-a-gid", input: []) { userErrors { message } } }');
    assert.ok(r.body.errors, 'a malformed id is refused before anything runs');
  });
});

describe('simulator: SEO and category', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    await sim.close();
  });

  const SET = 'mutation($input: ProductSetInput!) { productSet(input: $input) { product { id seo { title description } category { id name fullName } } userErrors { code field message } } }';
  type Set = { product: { id: string; seo: { title: string | null; description: string | null }; category: { id: string; name: string; fullName: string } | null } | null; userErrors: Array<{ code: string; field: string[] }> };
  const set = async (input: Record<string, unknown>) => payload<Set>(await post(sim, SET, { input }), 'productSet');
  const TENTS = 'gid://shopify/TaxonomyCategory/sg-4-3-17';

  it('productSet sets SEO and a category of the taxonomy; they read back, and each SEO field given replaces only itself', async () => {
    const made = await set({ title: 'Tent', seo: { title: 'Two-person tent', description: 'Light and quick to pitch.' }, category: TENTS, productOptions: titleOption, variants: [defaultVariant] });
    assert.deepEqual(made.userErrors, []);
    assert.deepEqual(made.product!.seo, { title: 'Two-person tent', description: 'Light and quick to pitch.' });
    assert.deepEqual(made.product!.category, { id: TENTS, name: 'Tents', fullName: 'Sporting Goods > Outdoor Recreation > Camping & Hiking > Tents' });
    const updated = await set({ id: made.product!.id, seo: { description: 'Now lighter.' } });
    assert.deepEqual(updated.product!.seo, { title: 'Two-person tent', description: 'Now lighter.' });
    assert.equal(updated.product!.category!.id, TENTS, 'left out: unchanged');
    const cleared = await set({ id: made.product!.id, category: null, seo: { title: null } });
    assert.deepEqual([cleared.product!.category, cleared.product!.seo], [null, { title: null, description: 'Now lighter.' }]);
    const snapshot = sim.product({ id: made.product!.id })!;
    assert.deepEqual([snapshot.seo, snapshot.category], [{ title: null, description: 'Now lighter.' }, null]);
  });

  it('an unknown category is a userError on input.category, and nothing is applied', async () => {
    const count = sim.snapshot().products.length;
    for (const category of ['gid://shopify/TaxonomyCategory/zz-99', 'gid://shopify/Collection/1', 'sg-4-3-17']) {
      const r = await set({ title: 'Nowhere', category });
      assert.deepEqual(r.userErrors.map((e) => [e.code, e.field]), [['INVALID_INPUT', ['input', 'category']]], category);
    }
    assert.equal(sim.snapshot().products.length, count);
  });

  it('taxonomy.categories: the top level, children of a category, a search', async () => {
    const q = async (args: string) =>
      ((await post(sim, `{ taxonomy { categories(first: 20${args}) { nodes { id name isLeaf isRoot level parentId } } } }`)).body.data as { taxonomy: { categories: { nodes: Array<{ id: string; name: string; isLeaf: boolean; level: number }> } } }).taxonomy.categories.nodes;
    assert.deepEqual((await q('')).map((c) => c.id.split('/').pop()), ['aa', 'sg', 'lb', 'hg']);
    assert.deepEqual((await q(', childrenOf: "gid://shopify/TaxonomyCategory/sg-4-3"')).map((c) => [c.name, c.isLeaf, c.level]), [
      ['Sleeping Bags', true, 4],
      ['Tents', true, 4],
    ]);
    assert.deepEqual((await q(', search: "backpack"')).map((c) => c.name), ['Backpacks']);
  });
});

describe('simulator: a store kept in a file keeps what a real catalog carries', () => {
  it('files, media order and status, a variant image, metafields and definitions, publications, SEO and category survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-sim-catalog-'));
    const statePath = join(dir, 'store.json');
    try {
      const first = await startSim({ statePath, media: { processingMs: 5 } });
      const failing = first.failMedia({ urlIncludes: 'broken', code: 'IMAGE_DOWNLOAD_FAILURE', details: 'HTTP 404' });
      const def = await post(first, 'mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { userErrors { message } } }', { d: { namespace: 'specs', key: 'capacity', name: 'Capacity', ownerType: 'PRODUCTVARIANT', type: 'volume' } });
      assert.deepEqual((def.body.data!['metafieldDefinitionCreate'] as { userErrors: unknown[] }).userErrors, []);
      const made = first.seedProduct({
        title: 'Bottle',
        seo: { title: 'Steel bottle' },
        category: 'gid://shopify/TaxonomyCategory/hg-11-3',
        files: [{ originalSource: 'https://images.example/bottle.png', alt: 'Front' }, { originalSource: 'https://images.example/broken.png' }],
        metafields: [{ namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Steel' }],
        productOptions: titleOption,
        variants: [{ ...defaultVariant, inventoryItem: { sku: 'BOTTLE' }, file: { originalSource: 'https://images.example/bottle.png' }, metafields: [{ namespace: 'specs', key: 'capacity', value: '{"value":750,"unit":"ml"}' }] }],
      });
      failing.clear();
      const online = ((await post(first, '{ publications(first: 1) { nodes { id } } }')).body.data as { publications: { nodes: Array<{ id: string }> } }).publications.nodes[0]!.id;
      await post(first, PUBLISH('publishablePublish'), { id: made.id, input: [{ publicationId: online }] });
      await new Promise((r) => setTimeout(r, 30));
      const before = first.product({ id: made.id })!;
      const files = first.files();
      assert.deepEqual(before.media.map((m) => m.status), ['READY', 'FAILED']);
      await first.close();

      const second = await startSim({ statePath, media: { processingMs: 5 } });
      try {
        assert.deepEqual(second.product({ id: made.id }), before);
        assert.deepEqual(second.files(), files);
        assert.equal(before.variants[0]!.imageId, before.media[0]!.id);
        assert.deepEqual(before.publications, ['Online Store']);
        // The definition came back: its type still rules.
        const wrong = await post(second, 'mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { userErrors { code } } }', { m: [{ ownerId: before.variants[0]!.id, namespace: 'specs', key: 'capacity', type: 'number_integer', value: '750' }] });
        assert.deepEqual((wrong.body.data!['metafieldsSet'] as { userErrors: Array<{ code: string }> }).userErrors.map((e) => e.code), ['INVALID_TYPE']);
        // And new ids go on from where they were.
        const more = second.seedProduct({ title: 'Cup', files: [{ originalSource: 'https://images.example/cup.png' }] });
        assert.ok(!files.some((f) => f.id === more.media[0]!.id));
      } finally {
        await second.close();
      }

      // A file written before these records existed reads as a store without them.
      const old = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown> & { products: Array<Record<string, unknown>>; variants: Array<Record<string, unknown>>; definitions: Array<Record<string, unknown>> };
      for (const k of ['files', 'publications']) delete old[k];
      for (const p of old.products) for (const k of ['mediaIds', 'seo', 'categoryId', 'publications']) delete p[k];
      for (const v of old.variants) for (const k of ['mediaId', 'metafields']) delete v[k];
      for (const d of old.definitions) for (const k of ['ownerType', 'validations']) delete d[k];
      writeFileSync(statePath, JSON.stringify(old));
      const third = await startSim({ statePath });
      try {
        const p = third.product({ id: made.id })!;
        assert.deepEqual([p.media, p.seo, p.category, p.publications, p.variants[0]!.imageId, p.variants[0]!.metafields, p.metafields], [[], { title: null, description: null }, null, [], null, {}, { 'custom.material': 'Steel' }]);
        assert.deepEqual(third.files(), []);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
