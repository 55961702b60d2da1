/**
 * The simulator's languages: the shop's locales (`options.locales`, `shopLocales`), what can be
 * translated (products, collections, text metafields: `translatableResource`,
 * `translatableResourcesByIds`, `translatableResources`, nested resources), translationsRegister
 * and translationsRemove with Shopify's error codes, translations going outdated when the content
 * changes, and translations kept in the store's file. Every document is checked against Shopify's
 * real schemas first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { adminSchema } from '@shopsync/shopify/internal';
import { ShopifySimulator } from '@shopsync/shopify/simulator';
import { optionsFromArgs, UsageError } from '../src/simulator/cli.js';
import { startSim, TOKEN } from './helpers.js';
import { defaultVariant, errorCodes, payload, post, realSchemaProblems, titleOption } from './sim-helpers.js';

const LOCALES = [
  { locale: 'en', primary: true, published: true },
  { locale: 'es', published: true },
  { locale: 'fr', published: false },
];

const DOCS = {
  shopLocales: 'query { all: shopLocales { locale name primary published } published: shopLocales(published: true) { locale } }',
  resource: `query($id: ID!, $locale: String!) { translatableResource(resourceId: $id) {
    resourceId
    translatableContent { key value digest locale type }
    translations(locale: $locale) { key locale value outdated updatedAt }
    outdated: translations(locale: $locale, outdated: true) { key }
    nestedTranslatableResources(first: 10) { nodes { resourceId translatableContent { key value digest type } } }
  } }`,
  byIds: `query($ids: [ID!]!, $first: Int!, $after: String) { translatableResourcesByIds(resourceIds: $ids, first: $first, after: $after) {
    edges { cursor node { resourceId translatableContent { key value digest } translations(locale: "es") { key value outdated } } }
    nodes { resourceId }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`,
  byType: `query($type: TranslatableResourceType!, $first: Int!, $after: String) { translatableResources(resourceType: $type, first: $first, after: $after) {
    nodes { resourceId translatableContent { key value } }
    pageInfo { hasNextPage endCursor }
  } }`,
  withoutFirst: 'query { translatableResources(resourceType: PRODUCT) { nodes { resourceId } } }',
  register: `mutation($id: ID!, $t: [TranslationInput!]!) { translationsRegister(resourceId: $id, translations: $t) {
    translations { key locale value outdated updatedAt }
    userErrors { field message code }
  } }`,
  remove: `mutation($id: ID!, $keys: [String!]!, $locales: [String!]!, $markets: [ID!]) { translationsRemove(resourceId: $id, translationKeys: $keys, locales: $locales, marketIds: $markets) {
    translations { key locale value }
    userErrors { field message code }
  } }`,
  productSet: 'mutation($input: ProductSetInput!) { productSet(input: $input) { product { id metafields(first: 5) { nodes { id key type } } variants(first: 5) { nodes { id metafields(first: 5) { nodes { id key } } } } } userErrors { code field message } } }',
  productUpdate: 'mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { product { id title handle } userErrors { field message } } }',
  metafieldsSet: 'mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id } userErrors { code field message } } }',
  collectionCreate: 'mutation($i: CollectionInput!) { collectionCreate(input: $i) { collection { id } userErrors { field message } } }',
  collectionUpdate: 'mutation($i: CollectionInput!) { collectionUpdate(input: $i) { collection { id } userErrors { field message } } }',
  collectionDelete: 'mutation($i: CollectionDeleteInput!) { collectionDelete(input: $i) { deletedCollectionId userErrors { field message } } }',
};

interface Content {
  key: string;
  value: string | null;
  digest: string | null;
  locale: string;
  type: string;
}
interface TranslationRead {
  key: string;
  locale: string;
  value: string;
  outdated: boolean;
  updatedAt: string;
}
interface Resource {
  resourceId: string;
  translatableContent: Content[];
  translations: TranslationRead[];
  outdated: Array<{ key: string }>;
  nestedTranslatableResources: { nodes: Array<{ resourceId: string; translatableContent: Content[] }> };
}
interface RegisterPayload {
  translations: TranslationRead[] | null;
  userErrors: Array<{ field: string[]; message: string; code: string }>;
}
interface ProductSetPayload {
  product: { id: string; metafields: { nodes: Array<{ id: string; key: string; type: string }> }; variants: { nodes: Array<{ id: string; metafields: { nodes: Array<{ id: string; key: string }> } }> } } | null;
  userErrors: unknown[];
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('simulator: translations', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ locales: LOCALES });
  });
  after(async () => {
    await sim.close();
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}, version?: string) => post(sim, query, variables, version ? { version } : {});
  const resource = async (id: string, locale = 'es', version?: string) => (await gql(DOCS.resource, { id, locale }, version)).body.data!['translatableResource'] as Resource | null;
  const register = async (id: string, t: unknown[], version?: string) => payload<RegisterPayload>(await gql(DOCS.register, { id, t }, version), 'translationsRegister');
  const digestOf = async (id: string, key: string) => (await resource(id))!.translatableContent.find((c) => c.key === key)!.digest!;
  const productSet = async (input: Record<string, unknown>) => payload<ProductSetPayload>(await gql(DOCS.productSet, { input }), 'productSet');
  const tent = async (extra: Record<string, unknown> = {}) =>
    (await productSet({ title: 'Tent', descriptionHtml: '<p>Two people</p>', productType: 'Camping', seo: { title: 'Tent SEO' }, productOptions: titleOption, variants: [defaultVariant], ...extra })).product!;

  it("every document is valid against Shopify's real 2025-01, 2026-01 and 2026-04 schemas, and against the simulator's", (t) => {
    for (const gate of ['2025-01', '2026-01', '2026-04']) {
      for (const [name, doc] of Object.entries(DOCS)) assert.deepEqual(validate(adminSchema(gate), parse(doc)).map((e) => e.message), [], `${gate} ${name}`);
    }
    const problems = realSchemaProblems(t, DOCS);
    if (problems) assert.deepEqual(problems, []);
  });

  it('shopLocales lists the shop\'s locales with their English names; published: true only the published ones', async () => {
    const r = await gql(DOCS.shopLocales);
    assert.deepEqual(r.body.data, {
      all: [
        { locale: 'en', name: 'English', primary: true, published: true },
        { locale: 'es', name: 'Spanish', primary: false, published: true },
        { locale: 'fr', name: 'French', primary: false, published: false },
      ],
      published: [{ locale: 'en' }, { locale: 'es' }],
    });
    assert.deepEqual(sim.locales.map((l) => l.locale), ['en', 'es', 'fr']);
    const plain = await startSim();
    try {
      assert.deepEqual((await post(plain, DOCS.shopLocales)).body.data, { all: [{ locale: 'en', name: 'English', primary: true, published: true }], published: [{ locale: 'en' }] });
    } finally {
      await plain.close();
    }
  });

  it('the locales option is validated: exactly one primary, each once, a known language, the primary published', async () => {
    const bad = async (locales: unknown, pattern: RegExp) =>
      assert.rejects(ShopifySimulator.start({ accessTokens: [TOKEN], locales: locales as never }), (err: Error) => pattern.test(err.message) || assert.fail(err.message));
    await bad([{ locale: 'en', primary: true }, { locale: 'es', primary: true }], /exactly one primary/);
    await bad([{ locale: 'es' }], /exactly one primary/);
    await bad([{ locale: 'en', primary: true }, { locale: 'en' }], /each locale once/);
    await bad([{ locale: 'en', primary: true }, { locale: 'xx' }], /not a known language/);
    await bad([{ locale: 'en', primary: true }, { locale: 'pt-br' }], /pt-BR/);
    await bad([{ locale: 'en', primary: true, published: false }], /always published/);
    await bad([], /locales/);
  });

  it("a product's translatable content: its six keys, in the primary locale, typed, with a SHA-256 digest; empty ones are null", async () => {
    const p = await tent();
    const r = (await resource(p.id))!;
    assert.equal(r.resourceId, p.id);
    assert.deepEqual(
      r.translatableContent.map((c) => [c.key, c.value, c.type, c.locale]),
      [
        ['title', 'Tent', 'SINGLE_LINE_TEXT_FIELD', 'en'],
        ['body_html', '<p>Two people</p>', 'HTML', 'en'],
        ['handle', 'tent', 'URI', 'en'],
        ['product_type', 'Camping', 'SINGLE_LINE_TEXT_FIELD', 'en'],
        ['meta_title', 'Tent SEO', 'SINGLE_LINE_TEXT_FIELD', 'en'],
        ['meta_description', null, 'MULTI_LINE_TEXT_FIELD', 'en'],
      ],
    );
    for (const c of r.translatableContent) assert.equal(c.digest, c.value === null ? null : sha256(c.value), c.key);
    assert.deepEqual(r.translations, []);
    assert.deepEqual(sim.translatableContent(p.id)!.map((c) => c.digest), r.translatableContent.map((c) => c.digest));
    // The digest follows the content.
    await productSet({ id: p.id, title: 'Tent 2' });
    const after = (await resource(p.id))!.translatableContent.find((c) => c.key === 'title')!;
    assert.equal(after.digest, sha256('Tent 2'));
    assert.notEqual(after.digest, r.translatableContent[0]!.digest);
    // Not translatable here: a variant, a file; unknown: null.
    assert.equal(await resource(sim.product({ id: p.id })!.variants[0]!.id), null);
    assert.equal(await resource('gid://shopify/Product/999999'), null);
    assert.deepEqual(errorCodes(await gql(DOCS.resource, { id: 'not-a-gid', locale: 'es' })), ['argumentLiteralsIncompatible']);
  });

  it('register, then read back (GraphQL and sim.translations); registering again replaces; an unpublished locale takes translations too', async () => {
    const p = await tent({ title: 'Lamp', handle: 'lamp' });
    const digest = await digestOf(p.id, 'title');
    const r = await register(p.id, [
      { locale: 'es', key: 'title', value: 'Lámpara', translatableContentDigest: digest },
      { locale: 'fr', key: 'title', value: 'Lampe', translatableContentDigest: digest },
    ]);
    assert.deepEqual(r.userErrors, []);
    assert.deepEqual(r.translations!.map((t) => [t.locale, t.key, t.value, t.outdated]), [
      ['es', 'title', 'Lámpara', false],
      ['fr', 'title', 'Lampe', false],
    ]);
    assert.ok(!Number.isNaN(Date.parse(r.translations![0]!.updatedAt)));
    assert.deepEqual((await resource(p.id, 'es'))!.translations.map((t) => [t.key, t.locale, t.value, t.outdated]), [['title', 'es', 'Lámpara', false]]);
    assert.deepEqual((await resource(p.id, 'fr'))!.translations.map((t) => t.value), ['Lampe']);
    assert.deepEqual(sim.translations(p.id, 'es').map((t) => ({ locale: t.locale, key: t.key, value: t.value, outdated: t.outdated })), [{ locale: 'es', key: 'title', value: 'Lámpara', outdated: false }]);
    assert.equal(sim.translations(p.id).length, 2);
    const again = await register(p.id, [{ locale: 'es', key: 'title', value: 'Lámpara de mesa', translatableContentDigest: digest }]);
    assert.deepEqual(again.userErrors, []);
    assert.deepEqual(sim.translations(p.id, 'es').map((t) => t.value), ['Lámpara de mesa']);
    // A translated handle is a handle.
    const handle = await register(p.id, [{ locale: 'es', key: 'handle', value: 'Lámpara de Mesa!', translatableContentDigest: await digestOf(p.id, 'handle') }]);
    assert.deepEqual(handle.translations!.map((t) => t.value), ['lampara-de-mesa']);
    // Any version reads the same.
    assert.deepEqual((await resource(p.id, 'es', '2026-07'))!.translations.map((t) => t.key), ['title', 'handle']);
  });

  it("each error with Shopify's code and field path; one bad translation and nothing of the call is saved", async () => {
    const p = await tent({ title: 'Stove', handle: 'stove' });
    const digest = await digestOf(p.id, 'title');
    const one = async (t: Record<string, unknown>) => register(p.id, [{ locale: 'es', key: 'title', value: 'Estufa', translatableContentDigest: digest, ...t }]);
    const missing = await register('gid://shopify/Product/999999', [{ locale: 'es', key: 'title', value: 'x', translatableContentDigest: digest }]);
    assert.deepEqual([missing.translations, missing.userErrors.map((e) => [e.code, e.field])], [null, [['RESOURCE_NOT_FOUND', ['resourceId']]]]);
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ locale: 'de' }, 'INVALID_LOCALE_FOR_SHOP', 'locale'],
      [{ locale: 'en' }, 'INVALID_LOCALE_FOR_SHOP', 'locale'],
      [{ key: 'vendor' }, 'INVALID_KEY_FOR_MODEL', 'key'],
      [{ translatableContentDigest: sha256('Something else') }, 'INVALID_TRANSLATABLE_CONTENT', 'translatableContentDigest'],
      [{ value: '  ' }, 'BLANK', 'value'],
      [{ marketId: 'gid://shopify/Market/1' }, 'MARKET_DOES_NOT_EXIST', 'marketId'],
    ];
    for (const [input, code, field] of cases) {
      const r = await one(input);
      assert.deepEqual([r.translations, r.userErrors.map((e) => [e.code, e.field])], [null, [[code, ['translations', '0', field]]]], JSON.stringify(input));
    }
    assert.equal((await one({ translatableContentDigest: 'nope' })).userErrors[0]!.message, 'Translatable content hash is invalid');
    // A key whose content is empty has nothing to translate.
    const empty = await register(p.id, [{ locale: 'es', key: 'meta_description', value: 'Algo', translatableContentDigest: sha256('') }]);
    assert.deepEqual(empty.userErrors.map((e) => e.code), ['INVALID_TRANSLATABLE_CONTENT']);
    // All or nothing: the good translations of a call with a bad one are not saved.
    const mixed = await register(p.id, [
      { locale: 'es', key: 'title', value: 'Estufa', translatableContentDigest: digest },
      { locale: 'fr', key: 'title', value: 'Poêle', translatableContentDigest: 'stale' },
      { locale: 'fr', key: 'body_html', value: '<p>x</p>', translatableContentDigest: await digestOf(p.id, 'body_html') },
    ]);
    assert.deepEqual([mixed.translations, mixed.userErrors.map((e) => [e.code, e.field])], [null, [['INVALID_TRANSLATABLE_CONTENT', ['translations', '1', 'translatableContentDigest']]]]);
    assert.deepEqual(sim.translations(p.id), []);
    // More than 250 translations: refused before anything runs.
    const many = Array.from({ length: 251 }, () => ({ locale: 'es', key: 'title', value: 'x', translatableContentDigest: digest }));
    assert.deepEqual(errorCodes(await gql(DOCS.register, { id: p.id, t: many })), ['MAX_INPUT_SIZE_EXCEEDED']);
  });

  it('a mutation costs 10 (+1 per object selected); a page of resources 2 + first × (node)', async () => {
    const p = await tent({ title: 'Cup', handle: 'cup' });
    const r = await gql(DOCS.register, { id: p.id, t: [{ locale: 'es', key: 'title', value: 'Taza', translatableContentDigest: await digestOf(p.id, 'title') }] });
    assert.equal(r.body.extensions!.cost!.requestedQueryCost, 12);
    const q = await gql(DOCS.byIds, { ids: [p.id], first: 10 });
    // edges: 10 × (node 1 + translatableContent 1 + translations 1) beats nodes 10 × 1.
    assert.equal(q.body.extensions!.cost!.requestedQueryCost, 2 + 10 * 3);
    assert.ok(q.body.extensions!.cost!.actualQueryCost! < 32);
  });

  it('a productSet changing the title makes the title translations outdated (kept), the others stay current; registering the new digest makes it current', async () => {
    const p = await tent({ title: 'Chair', handle: 'chair' });
    await register(p.id, [
      { locale: 'es', key: 'title', value: 'Silla', translatableContentDigest: await digestOf(p.id, 'title') },
      { locale: 'es', key: 'body_html', value: '<p>Dos personas</p>', translatableContentDigest: await digestOf(p.id, 'body_html') },
    ]);
    await productSet({ id: p.id, title: 'Folding chair' });
    const r = (await resource(p.id))!;
    assert.deepEqual(r.translations.map((t) => [t.key, t.value, t.outdated]), [
      ['title', 'Silla', true],
      ['body_html', '<p>Dos personas</p>', false],
    ]);
    assert.deepEqual(r.outdated, [{ key: 'title' }]);
    assert.deepEqual(sim.translations(p.id, 'es').filter((t) => t.outdated).map((t) => t.key), ['title']);
    const current = await register(p.id, [{ locale: 'es', key: 'title', value: 'Silla plegable', translatableContentDigest: await digestOf(p.id, 'title') }]);
    assert.deepEqual(current.translations!.map((t) => [t.value, t.outdated]), [['Silla plegable', false]]);
    assert.deepEqual((await resource(p.id))!.outdated, []);
    // productUpdate changes content too: the handle and SEO title.
    await register(p.id, [
      { locale: 'es', key: 'handle', value: 'silla', translatableContentDigest: await digestOf(p.id, 'handle') },
      { locale: 'es', key: 'meta_title', value: 'Silla SEO', translatableContentDigest: await digestOf(p.id, 'meta_title') },
    ]);
    const updated = await gql(DOCS.productUpdate, { p: { id: p.id, handle: 'folding-chair', seo: { title: 'Chair SEO' } } });
    assert.deepEqual(payload<{ product: { handle: string } }>(updated, 'productUpdate').product.handle, 'folding-chair');
    assert.deepEqual((await resource(p.id))!.outdated.map((t) => t.key).sort(), ['handle', 'meta_title']);
    // productUpdate's rules: a blank title, a handle already taken.
    const taken = await gql(DOCS.productUpdate, { p: { id: p.id, title: ' ', handle: 'tent' } });
    assert.deepEqual(payload<{ userErrors: Array<{ field: string[] }> }>(taken, 'productUpdate').userErrors.map((e) => e.field), [['title'], ['handle']]);
  });

  it('collections: five keys; collectionUpdate outdates, collectionDelete deletes the translations', async () => {
    const created = await gql(DOCS.collectionCreate, { i: { title: 'Summer', descriptionHtml: '<p>Sun</p>' } });
    const id = payload<{ collection: { id: string } }>(created, 'collectionCreate').collection.id;
    const r = (await resource(id))!;
    assert.deepEqual(r.translatableContent.map((c) => [c.key, c.value, c.type]), [
      ['title', 'Summer', 'SINGLE_LINE_TEXT_FIELD'],
      ['body_html', '<p>Sun</p>', 'HTML'],
      ['handle', 'summer', 'URI'],
      ['meta_title', null, 'SINGLE_LINE_TEXT_FIELD'],
      ['meta_description', null, 'MULTI_LINE_TEXT_FIELD'],
    ]);
    assert.deepEqual((await register(id, [{ locale: 'es', key: 'title', value: 'Verano', translatableContentDigest: r.translatableContent[0]!.digest }])).userErrors, []);
    await gql(DOCS.collectionUpdate, { i: { id, title: 'Summer sale' } });
    assert.deepEqual(sim.translations(id).map((t) => [t.value, t.outdated]), [['Verano', true]]);
    await gql(DOCS.collectionDelete, { i: { id } });
    assert.equal(await resource(id), null);
    assert.deepEqual(sim.translations(id), []);
  });

  it("text metafields: a product's are nested under it; a variant's are reached by their id; a value change outdates; a removed metafield's translations go", async () => {
    const text = (key: string, value: string, type = 'single_line_text_field') => ({ namespace: 'custom', key, type, value });
    const p = (await productSet({
      title: 'Boots',
      handle: 'boots',
      metafields: [text('material', 'Leather'), text('care', 'Wipe clean.\nDry slowly.', 'multi_line_text_field'), { namespace: 'custom', key: 'size', type: 'number_integer', value: '42' }],
      productOptions: titleOption,
      variants: [{ ...defaultVariant, inventoryItem: { sku: 'BOOTS-1' }, metafields: [text('fit', 'Narrow')] }],
    }))!.product!;
    const material = sim.metafieldId(p.id, 'custom.material')!;
    const care = sim.metafieldId(p.id, 'custom.care')!;
    const fit = sim.metafieldId(p.variants.nodes[0]!.id, 'custom.fit')!;
    assert.ok(material && care && fit);
    // Nested: the product's text metafields (not the number, not the variant's).
    const nested = (await resource(p.id))!.nestedTranslatableResources.nodes;
    assert.deepEqual(nested.map((n) => [n.resourceId, n.translatableContent.map((c) => [c.key, c.value, c.type])]), [
      [material, [['value', 'Leather', 'SINGLE_LINE_TEXT_FIELD']]],
      [care, [['value', 'Wipe clean.\nDry slowly.', 'MULTI_LINE_TEXT_FIELD']]],
    ]);
    assert.equal(await resource(sim.metafieldId(p.id, 'custom.size')!), null, 'a number metafield is not translatable');
    // The variant's by its id, with translatableResourcesByIds.
    const byIds = await gql(DOCS.byIds, { ids: [fit, material], first: 5 });
    const nodes = (byIds.body.data!['translatableResourcesByIds'] as { edges: Array<{ node: { resourceId: string; translatableContent: Content[] } }> }).edges.map((e) => e.node);
    assert.deepEqual(nodes.map((n) => [n.resourceId, n.translatableContent[0]!.value]), [
      [fit, 'Narrow'],
      [material, 'Leather'],
    ]);
    const reg = await register(fit, [{ locale: 'es', key: 'value', value: 'Estrecho', translatableContentDigest: nodes[0]!.translatableContent[0]!.digest }]);
    assert.deepEqual(reg.userErrors, []);
    await register(material, [{ locale: 'es', key: 'value', value: 'Cuero', translatableContentDigest: sha256('Leather') }]);
    assert.deepEqual(sim.translations(material), [{ locale: 'es', key: 'value', value: 'Cuero', outdated: false, updatedAt: sim.translations(material)[0]!.updatedAt }]);
    // metafieldsSet changes the value: outdated.
    const set = await gql(DOCS.metafieldsSet, { m: [{ ownerId: p.variants.nodes[0]!.id, ...text('fit', 'Wide') }] });
    assert.deepEqual(payload<{ userErrors: unknown[] }>(set, 'metafieldsSet').userErrors, []);
    assert.deepEqual(sim.translations(fit).map((t) => [t.value, t.outdated]), [['Estrecho', true]]);
    // All metafields, by type.
    const all = await gql(DOCS.byType, { type: 'METAFIELD', first: 10 });
    const ids = (all.body.data!['translatableResources'] as { nodes: Array<{ resourceId: string }> }).nodes.map((n) => n.resourceId);
    for (const id of [material, care, fit]) assert.ok(ids.includes(id), id);
    // productSet without the material metafield deletes it, and its translations.
    await productSet({ id: p.id, metafields: [text('care', 'Wipe clean.\nDry slowly.', 'multi_line_text_field')] });
    assert.equal(await resource(material), null);
    assert.deepEqual(sim.translations(material), []);
    const gone = await register(material, [{ locale: 'es', key: 'value', value: 'Cuero', translatableContentDigest: sha256('Leather') }]);
    assert.deepEqual(gone.userErrors.map((e) => e.code), ['RESOURCE_NOT_FOUND']);
  });

  it('connections: edges with cursors, pages by first/after, resources by type, unknown ids left out', async () => {
    const a = await tent({ title: 'Alpha', handle: 'alpha' });
    const b = await tent({ title: 'Beta', handle: 'beta' });
    const first = await gql(DOCS.byIds, { ids: [a.id, 'gid://shopify/Product/999999', b.id, a.id], first: 1 });
    const page1 = first.body.data!['translatableResourcesByIds'] as { edges: Array<{ cursor: string; node: { resourceId: string } }>; nodes: Array<{ resourceId: string }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } };
    assert.deepEqual(page1.nodes, [{ resourceId: a.id }]);
    assert.equal(page1.edges[0]!.cursor, page1.pageInfo.endCursor);
    assert.deepEqual([page1.pageInfo.hasNextPage, page1.pageInfo.hasPreviousPage, page1.pageInfo.startCursor === page1.pageInfo.endCursor], [true, false, true]);
    const second = await gql(DOCS.byIds, { ids: [a.id, b.id], first: 1, after: page1.pageInfo.endCursor });
    const page2 = second.body.data!['translatableResourcesByIds'] as typeof page1;
    assert.deepEqual([page2.nodes, page2.pageInfo.hasNextPage, page2.pageInfo.hasPreviousPage], [[{ resourceId: b.id }], false, true]);
    const products = await gql(DOCS.byType, { type: 'PRODUCT', first: 250 });
    const listed = (products.body.data!['translatableResources'] as { nodes: Array<{ resourceId: string }> }).nodes.map((n) => n.resourceId);
    assert.ok(listed.includes(a.id) && listed.includes(b.id) && listed.indexOf(a.id) < listed.indexOf(b.id));
    assert.deepEqual((await gql(DOCS.byType, { type: 'PAGE', first: 5 })).body.data, { translatableResources: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } });
    assert.deepEqual(errorCodes(await gql(DOCS.withoutFirst)), ['BAD_REQUEST'], 'first is required');
  });

  it('translationsRemove deletes the translations of these keys in these locales and answers them; bad keys, locales and markets are userErrors', async () => {
    const p = await tent({ title: 'Bowl', handle: 'bowl' });
    const title = await digestOf(p.id, 'title');
    await register(p.id, [
      { locale: 'es', key: 'title', value: 'Cuenco', translatableContentDigest: title },
      { locale: 'fr', key: 'title', value: 'Bol', translatableContentDigest: title },
      { locale: 'es', key: 'product_type', value: 'Acampada', translatableContentDigest: await digestOf(p.id, 'product_type') },
    ]);
    const remove = async (keys: string[], locales: string[], markets?: string[]) =>
      payload<{ translations: Array<{ key: string; locale: string; value: string }> | null; userErrors: Array<{ code: string; field: string[] }> }>(await gql(DOCS.remove, { id: p.id, keys, locales, markets }), 'translationsRemove');
    const bad = await remove(['vendor', 'title'], ['en', 'de'], ['gid://shopify/Market/1']);
    assert.deepEqual(bad.translations, null);
    assert.deepEqual(bad.userErrors.map((e) => [e.code, e.field]), [
      ['MARKET_DOES_NOT_EXIST', ['marketIds', '0']],
      ['INVALID_LOCALE_FOR_SHOP', ['locales', '0']],
      ['INVALID_LOCALE_FOR_SHOP', ['locales', '1']],
      ['INVALID_KEY_FOR_MODEL', ['translationKeys', '0']],
    ]);
    assert.equal(sim.translations(p.id).length, 3);
    const removed = await remove(['title'], ['es']);
    assert.deepEqual(removed, { translations: [{ key: 'title', locale: 'es', value: 'Cuenco' }], userErrors: [] });
    assert.deepEqual(sim.translations(p.id).map((t) => `${t.locale}:${t.key}`), ['fr:title', 'es:product_type']);
    const missing = await payload<{ userErrors: Array<{ code: string }> }>(await gql(DOCS.remove, { id: 'gid://shopify/Collection/999999', keys: ['title'], locales: ['es'] }), 'translationsRemove');
    assert.deepEqual(missing.userErrors.map((e) => e.code), ['RESOURCE_NOT_FOUND']);
  });

  it("deleting a product deletes its translations and its metafields' translations", async () => {
    const p = (await productSet({ title: 'Kettle', handle: 'kettle', metafields: [{ namespace: 'custom', key: 'note', type: 'single_line_text_field', value: 'Hot' }], productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'KETTLE' } }] })).product!;
    const note = sim.metafieldId(p.id, 'custom.note')!;
    sim.seedTranslation(p.id, 'es', 'title', 'Hervidor');
    sim.seedTranslation(note, 'fr', 'value', 'Chaud');
    assert.throws(() => sim.seedTranslation(p.id, 'de', 'title', 'Wasserkocher'), /not enabled/);
    assert.equal(sim.translations(p.id).length + sim.translations(note).length, 2);
    assert.ok(sim.removeProduct({ id: p.id }));
    assert.deepEqual([sim.translations(p.id), sim.translations(note)], [[], []]);
  });
});

describe('simulator: translations in the store file, and locales on the command line', () => {
  it('translations survive a restart; those of a locale no longer in the options go', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-translations-'));
    const statePath = join(dir, 'store.json');
    try {
      const first = await startSim({ statePath, locales: LOCALES });
      const p = first.seedProduct({ title: 'Mug', metafields: [{ namespace: 'custom', key: 'glaze', type: 'single_line_text_field', value: 'Blue' }] });
      const glaze = first.metafieldId(p.id, 'custom.glaze')!;
      first.seedTranslation(p.id, 'es', 'title', 'Taza');
      first.seedTranslation(p.id, 'fr', 'title', 'Tasse');
      first.seedTranslation(glaze, 'es', 'value', 'Azul');
      await first.close();
      const second = await startSim({ statePath, locales: LOCALES });
      try {
        assert.deepEqual(second.translations(p.id).map((t) => [t.locale, t.value, t.outdated]), [
          ['es', 'Taza', false],
          ['fr', 'Tasse', false],
        ]);
        assert.deepEqual(second.translations(glaze).map((t) => t.value), ['Azul']);
      } finally {
        await second.close();
      }
      const third = await startSim({ statePath, locales: [{ locale: 'en', primary: true }, { locale: 'es' }] });
      try {
        assert.deepEqual(third.translations(p.id).map((t) => t.locale), ['es']);
        assert.deepEqual(third.locales.map((l) => [l.locale, l.published]), [
          ['en', true],
          ['es', false],
        ]);
      } finally {
        await third.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--locales: the first is primary, :unpublished hides one from buyers', () => {
    const options = optionsFromArgs(['--locales', 'en,es,fr:unpublished'], { SHOPSYNC_SIMULATOR_TOKEN: TOKEN });
    assert.notEqual(options, 'help');
    assert.deepEqual(options !== 'help' && options.locales, [
      { locale: 'en', primary: true, published: true },
      { locale: 'es', primary: false, published: true },
      { locale: 'fr', primary: false, published: false },
    ]);
    assert.equal((optionsFromArgs([], { SHOPSYNC_SIMULATOR_TOKEN: TOKEN }) as { locales?: unknown }).locales, undefined, 'not given: the default (English)');
    assert.throws(() => optionsFromArgs(['--locales', 'en:unpublished,es'], { SHOPSYNC_SIMULATOR_TOKEN: TOKEN }), UsageError);
    assert.throws(() => optionsFromArgs(['--locales', 'en;es'], { SHOPSYNC_SIMULATOR_TOKEN: TOKEN }), UsageError);
  });
});
