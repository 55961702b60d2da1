/**
 * The simulator's metafields of products and variants: productSet's lists (the owner's metafields
 * become exactly those given), metafieldsSet (upsert, 25 at most, all or nothing),
 * metafieldsDelete, every type's values checked by Shopify's rules, and definitions (their type
 * wins; metaobject and mixed references need one).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim } from './helpers.js';
import { defaultVariant, payload, post, titleOption } from './sim-helpers.js';

const SET = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  metafields { id namespace key type value ownerType createdAt updatedAt owner { ... on Product { id } ... on ProductVariant { id } } }
  userErrors { field message code elementIndex }
} }`;
const DELETE = 'mutation($m: [MetafieldIdentifierInput!]!) { metafieldsDelete(metafields: $m) { deletedMetafields { ownerId namespace key } userErrors { field message } } }';
const DEFINE = 'mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { id namespace key ownerType type { name } } userErrors { code field message } } }';
const PRODUCT_SET = `mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id metafields(first: 20) { nodes { id namespace key type value } } variants(first: 5) { nodes { id metafields(first: 10) { nodes { id key value } } } } }
  userErrors { code field message }
} }`;

interface SetPayload {
  metafields: Array<{ id: string; namespace: string; key: string; type: string; value: string; ownerType: string; owner: { id: string } }> | null;
  userErrors: Array<{ field: string[]; message: string; code: string; elementIndex: number | null }>;
}
interface ProductSetPayload {
  product: { id: string; metafields: { nodes: Array<{ id: string; namespace: string; key: string; type: string; value: string }> }; variants: { nodes: Array<{ id: string; metafields: { nodes: Array<{ id: string; key: string; value: string }> } }> } } | null;
  userErrors: Array<{ code: string; field: string[]; message: string }>;
}

describe('simulator: metafields', () => {
  let sim: ShopifySimulator;
  let productId: string, variantId: string, collectionId: string, fileId: string;
  before(async () => {
    sim = await startSim({ media: { processingMs: 1 } });
    const p = sim.seedProduct({ title: 'Anchor', files: [{ originalSource: 'https://images.example/anchor.png' }], productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'ANCHOR' } }] });
    productId = p.id;
    variantId = p.variants[0]!.id;
    fileId = p.media[0]!.id;
    collectionId = sim.seedCollection({ title: 'Gear' }).id;
  });
  after(async () => {
    await sim.close();
  });

  const set = async (m: unknown[]) => payload<SetPayload>(await post(sim, SET, { m }), 'metafieldsSet');
  const productSet = async (input: Record<string, unknown>) => payload<ProductSetPayload>(await post(sim, PRODUCT_SET, { input }), 'productSet');
  const define = async (d: Record<string, unknown>) =>
    payload<{ createdDefinition: { id: string; ownerType: string; type: { name: string } } | null; userErrors: Array<{ code: string; field: string[]; message: string }> }>(await post(sim, DEFINE, { d }), 'metafieldDefinitionCreate');

  it('productSet: the product\'s and each variant\'s metafields become exactly those given (the others are deleted; kept ones keep their id)', async () => {
    const mf = (key: string, value: string) => ({ namespace: 'custom', key, type: 'single_line_text_field', value });
    const made = await productSet({ title: 'Stove', metafields: [mf('brand', 'Ember'), mf('fuel', 'gas')], productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'STOVE-1' }, metafields: [mf('burner', 'one')] }] });
    assert.deepEqual(made.userErrors, []);
    const brand = made.product!.metafields.nodes.find((m) => m.key === 'brand')!;
    const v = made.product!.variants.nodes[0]!;
    const updated = await productSet({ id: made.product!.id, metafields: [mf('brand', 'Ember 2'), mf('colour', 'red')], productOptions: titleOption, variants: [{ ...defaultVariant, id: v.id, metafields: [] }] });
    assert.deepEqual(updated.userErrors, []);
    assert.deepEqual(updated.product!.metafields.nodes.map((m) => [m.key, m.value]), [['brand', 'Ember 2'], ['colour', 'red']]);
    assert.equal(updated.product!.metafields.nodes[0]!.id, brand.id, 'the same metafield, updated');
    assert.deepEqual(sim.product({ id: made.product!.id })!.metafields, { 'custom.brand': 'Ember 2', 'custom.colour': 'red' });
    assert.deepEqual(sim.product({ sku: 'STOVE-1' })!.variants[0]!.metafields, {}, 'an empty list deletes them all');
    // Left out: unchanged.
    await productSet({ id: made.product!.id, title: 'Stove 2' });
    assert.deepEqual(Object.keys(sim.product({ id: made.product!.id })!.metafields), ['custom.brand', 'custom.colour']);
    // A metafield named by its id takes its namespace and key from it; an id that is not the owner's is refused.
    const colour = updated.product!.metafields.nodes[1]!;
    const byId = await productSet({ id: made.product!.id, metafields: [{ id: colour.id, value: 'blue' }] });
    assert.deepEqual(byId.product!.metafields.nodes.map((m) => [m.id, m.key, m.value]), [[colour.id, 'colour', 'blue']]);
    const foreign = await productSet({ id: made.product!.id, metafields: [{ id: brand.id, value: 'x' }] });
    assert.deepEqual(foreign.userErrors.map((e) => [e.code, e.field]), [['INVALID_METAFIELD', ['input', 'metafields', '0', 'id']]]);
  });

  it('productSet: a bad value is INVALID_METAFIELD on its path, the product\'s or the variant\'s; nothing is applied', async () => {
    const bad = await productSet({
      title: 'Bad',
      metafields: [{ namespace: 'custom', key: 'weight', type: 'weight', value: '{"value":1,"unit":"stone"}' }],
      productOptions: titleOption,
      variants: [{ ...defaultVariant, metafields: [{ namespace: 'custom', key: 'ok', type: 'number_integer', value: '1' }, { namespace: 'custom', key: 'colour', type: 'color', value: 'red' }] }],
    });
    assert.equal(bad.product, null);
    assert.deepEqual(
      bad.userErrors.map((e) => [e.code, e.field]),
      [
        ['INVALID_METAFIELD', ['input', 'variants', '0', 'metafields', '1', 'value']],
        ['INVALID_METAFIELD', ['input', 'metafields', '0', 'value']],
      ],
    );
    assert.match(bad.userErrors[1]!.message, /unit one of oz, lb, g, kg/);
    assert.match(bad.userErrors[0]!.message, /#RRGGBB/);
    const blank = await productSet({ title: 'No type', metafields: [{ namespace: 'custom', key: 'untyped', value: 'x' }] });
    assert.deepEqual(blank.userErrors.map((e) => [e.code, e.field]), [['INVALID_METAFIELD', ['input', 'metafields', '0', 'type']]]);
    assert.match(blank.userErrors[0]!.message, /can't be blank/);
  });

  it('metafieldsSet upserts on products and variants and answers the metafields with their owner', async () => {
    const first = await set([
      { ownerId: productId, namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Steel' },
      { ownerId: variantId, namespace: 'custom', key: 'capacity', type: 'volume', value: '{"value":750,"unit":"ml"}' },
    ]);
    assert.deepEqual(first.userErrors, []);
    assert.deepEqual(first.metafields!.map((m) => [m.key, m.ownerType, m.owner.id]), [
      ['material', 'PRODUCT', productId],
      ['capacity', 'PRODUCTVARIANT', variantId],
    ]);
    const again = await set([{ ownerId: productId, namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Titanium' }]);
    assert.equal(again.metafields![0]!.id, first.metafields![0]!.id, 'upserted: the same metafield');
    const read = await post(sim, 'query($id: ID!, $v: ID!) { product(id: $id) { metafield(namespace: "custom", key: "material") { value } } productVariants(first: 1, query: "sku:ANCHOR") { nodes { metafield(namespace: "custom", key: "capacity") { value type } } } v: product(id: $v) { id } }', { id: productId, v: productId });
    assert.deepEqual(read.body.data!['product'], { metafield: { value: 'Titanium' } });
    assert.deepEqual(read.body.data!['productVariants'], { nodes: [{ metafield: { value: '{"value":750,"unit":"ml"}', type: 'volume' } }] });
  });

  it('metafieldsSet takes at most 25, and is all or nothing', async () => {
    const many = Array.from({ length: 26 }, (_, i) => ({ ownerId: productId, namespace: 'bulk', key: `k${i}`, type: 'number_integer', value: String(i) }));
    const over = await set(many);
    assert.deepEqual(over.userErrors.map((e) => [e.code, e.field]), [['LESS_THAN_OR_EQUAL_TO', ['metafields']]]);
    assert.deepEqual(over.metafields, []);
    assert.equal(sim.product({ id: productId })!.metafields['bulk.k0'], undefined);
    assert.deepEqual((await set(many.slice(0, 25))).userErrors, []);
    const mixed = await set([
      { ownerId: productId, namespace: 'atomic', key: 'good', type: 'boolean', value: 'true' },
      { ownerId: productId, namespace: 'atomic', key: 'bad', type: 'boolean', value: 'yes' },
      { ownerId: 'gid://shopify/Product/999999', namespace: 'atomic', key: 'orphan', type: 'boolean', value: 'true' },
    ]);
    assert.deepEqual(
      mixed.userErrors.map((e) => [e.code, e.field, e.elementIndex]),
      [
        ['INVALID_VALUE', ['metafields', '1', 'value'], 1],
        ['INVALID_VALUE', ['metafields', '2', 'ownerId'], 2],
      ],
    );
    assert.equal(sim.product({ id: productId })!.metafields['atomic.good'], undefined, 'the good one was not written either');
  });

  it('metafieldsDelete deletes those that exist and answers null for the others', async () => {
    await set([
      { ownerId: productId, namespace: 'gone', key: 'one', type: 'single_line_text_field', value: '1' },
      { ownerId: variantId, namespace: 'gone', key: 'two', type: 'single_line_text_field', value: '2' },
    ]);
    const r = await post(sim, DELETE, {
      m: [
        { ownerId: productId, namespace: 'gone', key: 'one' },
        { ownerId: productId, namespace: 'gone', key: 'never' },
        { ownerId: variantId, namespace: 'gone', key: 'two' },
      ],
    });
    assert.deepEqual(r.body.data!['metafieldsDelete'], {
      deletedMetafields: [{ ownerId: productId, namespace: 'gone', key: 'one' }, null, { ownerId: variantId, namespace: 'gone', key: 'two' }],
      userErrors: [],
    });
    assert.equal(sim.product({ id: productId })!.metafields['gone.one'], undefined);
    const wrongOwner = await post(sim, DELETE, { m: [{ ownerId: collectionId, namespace: 'gone', key: 'one' }] });
    assert.deepEqual((wrongOwner.body.data!['metafieldsDelete'] as { userErrors: Array<{ field: string[] }> }).userErrors.map((e) => e.field), [['metafields', '0', 'ownerId']]);
  });

  // [type, a good value, a bad value]; references point at records of the store where it keeps them.
  const TABLE = (): Array<[string, string, string]> => [
    ['single_line_text_field', 'Two-person tent', 'two\nlines'],
    ['multi_line_text_field', 'line one\nline two', ''],
    ['rich_text_field', '{"type":"root","children":[{"type":"paragraph","children":[{"type":"text","value":"Hi"}]}]}', '{"type":"paragraph","children":[]}'],
    ['number_integer', '-42', '4.2'],
    ['number_decimal', '4.25', '4,25'],
    ['boolean', 'false', 'yes'],
    ['date', '2026-12-05', '2026-02-30'],
    ['date_time', '2026-12-05T10:30:00', '2026-12-05 10:30'],
    ['json', '{"layers":[1,2]}', '{layers:1}'],
    ['color', '#1a2B3c', 'red'],
    ['url', 'https://example.com/guide', 'ftp://example.com/guide'],
    ['weight', '{"value":2.5,"unit":"kg"}', '{"value":2.5,"unit":"stone"}'],
    ['dimension', '{"value":25,"unit":"cm"}', '{"value":"25","unit":"cm"}'],
    ['volume', '{"value":750,"unit":"us_fl_oz"}', '{"value":750,"unit":"pint"}'],
    ['rating', '{"value":"4.5","scale_min":"1.0","scale_max":"5.0"}', '{"value":"6.0","scale_min":"1.0","scale_max":"5.0"}'],
    ['money', '{"amount":"5.99","currency_code":"EUR"}', '{"amount":5.99,"currency_code":"EUR"}'],
    ['link', '{"text":"Guide","url":"https://example.com"}', '{"text":"Guide","url":"javascript:alert(1)"}'],
    ['id', 'ERP-0042', 'a\nb'],
    ['product_reference', productId, 'gid://shopify/Product/999999'],
    ['variant_reference', variantId, productId],
    ['collection_reference', collectionId, 'gid://shopify/Collection/999999'],
    ['file_reference', fileId, 'https://images.example/anchor.png'],
    ['page_reference', 'gid://shopify/Page/12', 'gid://shopify/Blog/12'],
    ['customer_reference', 'gid://shopify/Customer/5', '5'],
    ['company_reference', 'gid://shopify/Company/5', 'gid://shopify/Customer/5'],
    ['list.single_line_text_field', '["a","b"]', '"a"'],
    ['list.number_integer', '[1,2,3]', '[1,2.5]'],
    ['list.number_decimal', '["1.5","2"]', '["1.5","x"]'],
    ['list.date', '["2026-12-05"]', '["05/12/2026"]'],
    ['list.date_time', '["2026-12-05T10:00:00Z"]', '["2026-12-05"]'],
    ['list.color', '["#ffffff","#000000"]', '["#fff"]'],
    ['list.url', '["https://a.example","mailto:x@a.example"]', '["a.example"]'],
    ['list.weight', '[{"value":1,"unit":"g"}]', '[{"value":1,"unit":"ton"}]'],
    ['list.dimension', '[{"value":1,"unit":"in"}]', '[{"unit":"in"}]'],
    ['list.volume', '[{"value":1,"unit":"l"}]', '{"value":1,"unit":"l"}'],
    ['list.rating', '[{"value":"1","scale_min":"0","scale_max":"5"}]', '[{"value":"1"}]'],
    ['list.link', '[{"text":"A","url":"https://a.example"}]', '[{"text":"A","url":"nope"}]'],
    ['list.product_reference', `["${productId}"]`, '["gid://shopify/Product/999999"]'],
    ['list.variant_reference', `["${variantId}"]`, `["${collectionId}"]`],
    ['list.collection_reference', `["${collectionId}"]`, `["${productId}"]`],
    ['list.file_reference', `["${fileId}"]`, '["gid://shopify/MediaImage/999999"]'],
    ['list.page_reference', '["gid://shopify/Page/1"]', '[1]'],
    ['list.customer_reference', '["gid://shopify/Customer/1"]', '["gid://shopify/Customer/x"]'],
    ['list.company_reference', '["gid://shopify/Company/1"]', '["gid://shopify/Product/1"]'],
  ];

  it('every type takes its good values and refuses bad ones, saying what was expected', async () => {
    for (const [type, good, bad] of TABLE()) {
      const key = `t_${type.replace('.', '_')}`;
      const ok = await set([{ ownerId: productId, namespace: 'types', key, type, value: good }]);
      assert.deepEqual(ok.userErrors, [], `${type} takes ${good}`);
      assert.equal(sim.product({ id: productId })!.metafields[`types.${key}`], good);
      const refused = await set([{ ownerId: productId, namespace: 'types', key, type, value: bad }]);
      assert.deepEqual(refused.userErrors.map((e) => [e.code, e.field]), [[bad === '' ? 'BLANK' : 'INVALID_VALUE', ['metafields', '0', 'value']]], `${type} refuses ${JSON.stringify(bad)}`);
      if (bad !== '') assert.match(refused.userErrors[0]!.message, /^Value must be /, type);
      assert.equal(sim.product({ id: productId })!.metafields[`types.${key}`], good, `${type}: the good value stays`);
    }
    for (const type of ['string', 'integer', 'list.boolean', 'list.json', 'list.money', 'list.rich_text_field', 'list.id', 'list.list.color']) {
      const r = await set([{ ownerId: productId, namespace: 'types', key: 'unknown', type, value: 'x' }]);
      assert.deepEqual(r.userErrors.map((e) => [e.code, e.field]), [['INVALID_TYPE', ['metafields', '0', 'type']]], type);
    }
    const untyped = await set([{ ownerId: productId, namespace: 'types', key: 'untyped', value: 'x' }]);
    assert.deepEqual(untyped.userErrors.map((e) => [e.code, e.field]), [['BLANK', ['metafields', '0', 'type']]]);
  });

  it('under a definition a metafield has its type: another type is refused, none takes the definition\'s', async () => {
    const d = await define({ namespace: 'specs', key: 'packed_weight', name: 'Packed weight', ownerType: 'PRODUCT', type: 'weight' });
    assert.deepEqual(d.userErrors, []);
    assert.deepEqual([d.createdDefinition!.ownerType, d.createdDefinition!.type.name], ['PRODUCT', 'weight']);
    const wrong = await set([{ ownerId: productId, namespace: 'specs', key: 'packed_weight', type: 'number_decimal', value: '1.2' }]);
    assert.deepEqual(wrong.userErrors.map((e) => [e.code, e.field]), [['INVALID_TYPE', ['metafields', '0', 'type']]]);
    assert.match(wrong.userErrors[0]!.message, /must match its definition's: specs\.packed_weight is weight/);
    const typeless = await set([{ ownerId: productId, namespace: 'specs', key: 'packed_weight', value: '{"value":1.2,"unit":"kg"}' }]);
    assert.deepEqual([typeless.userErrors, typeless.metafields![0]!.type], [[], 'weight']);
    const viaProductSet = await productSet({ id: productId, metafields: [{ namespace: 'specs', key: 'packed_weight', type: 'single_line_text_field', value: 'heavy' }] });
    assert.deepEqual(viaProductSet.userErrors.map((e) => [e.code, e.field]), [['INVALID_METAFIELD', ['input', 'metafields', '0', 'type']]]);
    // The definition is the product's: a variant's metafield of that namespace and key is free.
    assert.deepEqual((await set([{ ownerId: variantId, namespace: 'specs', key: 'packed_weight', type: 'number_decimal', value: '1.2' }])).userErrors, []);
  });

  it('metaobject and mixed references need a definition: refused without one, accepted under one', async () => {
    const ref = 'gid://shopify/Metaobject/77';
    for (const type of ['metaobject_reference', 'list.metaobject_reference', 'mixed_reference', 'list.mixed_reference']) {
      const value = type.startsWith('list.') ? JSON.stringify([ref]) : ref;
      const refused = await set([{ ownerId: productId, namespace: 'refs', key: type.replace('.', '_'), type, value }]);
      assert.deepEqual(refused.userErrors.map((e) => [e.code, e.field]), [['INVALID_TYPE', ['metafields', '0', 'type']]], type);
      assert.match(refused.userErrors[0]!.message, /metafield definition is required/);
    }
    const noValidation = await define({ namespace: 'refs', key: 'fabric', name: 'Fabric', ownerType: 'PRODUCT', type: 'metaobject_reference' });
    assert.deepEqual(noValidation.userErrors.map((e) => [e.code, e.field]), [['INVALID_OPTION', ['definition', 'validations']]]);
    const defined = await define({ namespace: 'refs', key: 'fabric', name: 'Fabric', ownerType: 'PRODUCT', type: 'metaobject_reference', validations: [{ name: 'metaobject_definition_id', value: 'gid://shopify/MetaobjectDefinition/1' }] });
    assert.deepEqual(defined.userErrors, []);
    assert.deepEqual((await set([{ ownerId: productId, namespace: 'refs', key: 'fabric', value: ref }])).userErrors, []);
    const malformed = await set([{ ownerId: productId, namespace: 'refs', key: 'fabric', value: 'gid://shopify/Product/1' }]);
    assert.deepEqual(malformed.userErrors.map((e) => e.code), ['INVALID_VALUE']);
  });

  it('definitions: per owner type, TAKEN once made, listed by owner type and paged', async () => {
    const variantDef = await define({ namespace: 'specs', key: 'packed_weight', name: 'Variant packed weight', ownerType: 'PRODUCTVARIANT', type: 'weight' });
    assert.deepEqual([variantDef.userErrors, variantDef.createdDefinition!.ownerType], [[], 'PRODUCTVARIANT']);
    const taken = await define({ namespace: 'specs', key: 'packed_weight', name: 'Again', ownerType: 'PRODUCTVARIANT', type: 'weight' });
    assert.deepEqual(taken.userErrors.map((e) => [e.code, e.field]), [['TAKEN', ['definition', 'key']]]);
    const unknownType = await define({ namespace: 'specs', key: 'odd', name: 'Odd', ownerType: 'PRODUCT', type: 'list.boolean' });
    assert.deepEqual(unknownType.userErrors.map((e) => e.code), ['INCLUSION']);
    const list = async (ownerType: string, after: string | null = null) =>
      (
        (await post(sim, 'query($o: MetafieldOwnerType!, $after: String) { metafieldDefinitions(ownerType: $o, first: 1, after: $after) { nodes { namespace key name ownerType type { name } } pageInfo { hasNextPage endCursor } } }', { o: ownerType, after })).body.data as {
          metafieldDefinitions: { nodes: Array<{ key: string; name: string; ownerType: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
        }
      ).metafieldDefinitions;
    const variants = await list('PRODUCTVARIANT');
    assert.deepEqual([variants.nodes.map((n) => [n.name, n.ownerType]), variants.pageInfo.hasNextPage], [[['Variant packed weight', 'PRODUCTVARIANT']], false]);
    const firstPage = await list('PRODUCT');
    assert.equal(firstPage.pageInfo.hasNextPage, true);
    const second = await list('PRODUCT', firstPage.pageInfo.endCursor);
    assert.notDeepEqual(second.nodes, firstPage.nodes);
    // A variant metafield there now has to be a weight.
    const wrong = await set([{ ownerId: variantId, namespace: 'specs', key: 'packed_weight', type: 'number_decimal', value: '1.3' }]);
    assert.deepEqual(wrong.userErrors.map((e) => e.code), ['INVALID_TYPE']);
  });

  it('variant metafields read back through ProductVariant.metafields, with namespace and keys', async () => {
    await set([
      { ownerId: variantId, namespace: 'read', key: 'a_one', type: 'single_line_text_field', value: 'A' },
      { ownerId: variantId, namespace: 'read', key: 'b_two', type: 'single_line_text_field', value: 'B' },
      { ownerId: variantId, namespace: 'other', key: 'c_three', type: 'single_line_text_field', value: 'C' },
    ]);
    const r = await post(sim, 'query($id: ID!) { product(id: $id) { variants(first: 1) { nodes { byNamespace: metafields(first: 5, namespace: "read") { nodes { key } } byKeys: metafields(first: 5, keys: ["other.c_three", "read.b_two"]) { nodes { key owner { ... on ProductVariant { id } } } } } } } }', { id: productId });
    const node = (r.body.data as { product: { variants: { nodes: Array<{ byNamespace: { nodes: Array<{ key: string }> }; byKeys: { nodes: Array<{ key: string; owner: { id: string } }> } }> } } }).product.variants.nodes[0]!;
    assert.deepEqual(node.byNamespace.nodes.map((n) => n.key), ['a_one', 'b_two']);
    assert.deepEqual(node.byKeys.nodes.map((n) => [n.key, n.owner.id]), [
      ['b_two', variantId],
      ['c_three', variantId],
    ]);
  });
});
