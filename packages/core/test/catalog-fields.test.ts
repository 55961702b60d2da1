import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, MemoryStorage, SyncEngine, ValidationError, connectorConfigSchema, type QueueEntry } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { metafieldValueProblem } from '../src/schemas/metafield.js';
import { FakeTarget } from '@shopsync/core/testing';

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };

async function enqueueError(changes: unknown[]): Promise<{ paths: string[]; message: string; storage: MemoryStorage }> {
  const storage = new MemoryStorage();
  const err = await new ChangeQueue(storage, 'c').enqueue(changes).catch((e: unknown) => e);
  assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
  assert.deepEqual(await storage.pendingCounts('c'), { categories: 0, products: 0, variants: 0 }, 'nothing is written');
  return { paths: err.issues.map((i) => i.path), message: err.message, storage };
}

const productWith = (data: Record<string, unknown>) => ({ entity: 'product', op: 'upsert', ref: 'TENT-1', data: { title: 'Tent', ...data } });
const metafield = (type: string, value: unknown) => productWith({ metafields: [{ namespace: 'custom', key: 'spec', type, value }] });

/** [type, values Shopify takes, values it refuses] */
const TYPES: Array<[string, unknown[], unknown[]]> = [
  ['single_line_text_field', ['Nylon 20D'], ['two\nlines', 5]],
  ['multi_line_text_field', ['Hand wash.\nDry flat.'], [true]],
  ['rich_text_field', [{ type: 'root', children: [] }, '{"type":"root","children":[]}'], [{ type: 'p' }, 'not json']],
  ['number_integer', [5, '-12', '9007199254740991'], [5.5, '1e3', '9007199254740993', 'five']],
  ['number_decimal', [2.5, '-0.125', '10'], ['1.1234567891', 'NaN', '1,5']],
  ['boolean', [true, 'false'], ['yes', 1]],
  ['date', ['2026-12-05'], ['2026-02-30', '05/12/2026']],
  ['date_time', ['2026-12-05T10:30:00Z', '2026-12-05T10:30:00+01:00'], ['2026-12-05', '2026-13-05T10:30:00Z']],
  ['json', [{ any: ['thing'] }, '[1,2]', 3], ['{broken']],
  ['color', ['#1A2b3C'], ['red', '#123']],
  ['url', ['https://example.com/care', 'mailto:help@example.com'], ['javascript:alert(1)', 'example.com']],
  ['weight', [{ value: 1.2, unit: 'kg' }], [{ value: 1.2, unit: 'stone' }, { value: '1.2', unit: 'kg' }]],
  ['dimension', [{ value: 210, unit: 'cm' }], [{ value: 210 }]],
  ['volume', [{ value: 0.75, unit: 'l' }], [{ value: 0.75, unit: 'pint' }]],
  ['rating', [{ value: '4.5', scale_min: '1.0', scale_max: '5.0' }, { value: 3, scale_min: 1, scale_max: 5 }], [{ value: '6', scale_min: '1', scale_max: '5' }]],
  ['money', [{ amount: '19.99', currency_code: 'EUR' }], [{ amount: 19.99, currency_code: 'EUR' }, { amount: '1', currency_code: 'euro' }]],
  ['link', [{ text: 'Manual', url: 'https://example.com/m.pdf' }], [{ text: 'Manual', url: 'ftp://x' }]],
  ['id', ['ERP-42'], ['']],
  ['product_reference', ['gid://shopify/Product/1'], ['gid://shopify/Collection/1', '1']],
  ['file_reference', ['gid://shopify/MediaImage/9', 'gid://shopify/GenericFile/9'], ['gid://shopify/Product/9']],
  ['metaobject_reference', ['gid://shopify/Metaobject/3'], ['gid://shopify/Page/3']],
  ['list.single_line_text_field', [['a', 'b'], '["a"]'], [['a\nb'], 'a,b', [1]]],
  ['list.number_integer', [[1, 2, 3]], [[1.5]]],
  ['list.weight', [[{ value: 1, unit: 'g' }]], [[{ value: 1, unit: 'ton' }]]],
  ['list.product_reference', [['gid://shopify/Product/1', 'gid://shopify/Product/2']], [['gid://shopify/Product/x']]],
];

describe('real catalogs: images, metafields, SEO and category are checked before they are queued', () => {
  it('a full product and variant are taken, and metafield values are kept in Shopify’s text form', async () => {
    const storage = new MemoryStorage();
    await new ChangeQueue(storage, 'c').enqueue([
      productWith({
        images: [
          { url: 'https://cdn.example.com/tent-side.jpg', alt: { en: 'Side', es: 'Lateral' }, position: 1, contentHash: 'sha256:ab12' },
          { url: 'http://cdn.example.com/tent-front.jpg' },
        ],
        seo: { title: { en: 'Trail tent', es: 'Tienda de trekking' }, description: 'Two people, 1.2 kg.' },
        category: 'sg-4-3',
        metafields: [
          { namespace: 'custom', key: 'weight', type: 'weight', value: { value: 1.2, unit: 'kg' } },
          { namespace: 'custom', key: 'layers', type: 'number_integer', value: 2 },
          { namespace: 'custom', key: 'score', type: 'rating', value: { value: 4, scale_min: 1, scale_max: 5 } },
          { namespace: 'custom', key: 'tags', type: 'list.single_line_text_field', value: ['light', 'dry'] },
        ],
      }),
      {
        entity: 'variant',
        op: 'upsert',
        ref: 'TENT-1-GRN',
        parentRef: 'TENT-1',
        data: { price: '199.00', image: 'https://cdn.example.com/tent-side.jpg', metafields: [{ namespace: 'custom', key: 'colour_hex', type: 'color', value: '#2E7D32' }] },
      },
    ]);
    const entries: QueueEntry[] = [];
    for (const key of ['product:TENT-1', 'variant:TENT-1-GRN']) {
      const lease = await storage.lease('c', { limit: 1, leaseMs: 60_000, now: Date.now() });
      entries.push(...(lease?.items ?? []));
      assert.ok(lease?.items.some((i) => i.key === key));
    }
    const product = entries[0]!.change;
    assert.ok(product.entity === 'product' && product.op === 'upsert');
    assert.deepEqual(
      product.data.metafields?.map((m) => m.value),
      ['{"value":1.2,"unit":"kg"}', '2', '{"value":"4","scale_min":"1","scale_max":"5"}', '["light","dry"]'],
    );
    assert.equal(product.data.images?.[0]?.contentHash, 'sha256:ab12');
  });

  for (const [type, good, bad] of TYPES) {
    it(`${type}: takes ${good.length} forms, refuses ${bad.length}`, async () => {
      for (const value of good) assert.equal(metafieldValueProblem(type, value), undefined, `${type} ${JSON.stringify(value)} should be taken`);
      for (const value of bad) {
        const { paths, message } = await enqueueError([metafield(type, value)]);
        assert.deepEqual(paths, ['changes[0].data.metafields[0].value'], `${type} ${JSON.stringify(value)}`);
        assert.match(message, new RegExp(`expected .*\\(type ${type.replace('.', '\\.')}\\)`));
      }
    });
  }

  it('names what is wrong: unknown type, bad namespace or key, a key twice, images twice or not http, a bad category', async () => {
    const { paths, message } = await enqueueError([
      productWith({
        metafields: [
          { namespace: 'custom', key: 'a1', type: 'integer', value: 1 },
          { namespace: 'c', key: 'ok', type: 'boolean', value: true },
          { namespace: 'custom', key: 'has space', type: 'boolean', value: true },
          { namespace: 'custom', key: 'dup', type: 'boolean', value: true },
          { namespace: 'custom', key: 'dup', type: 'boolean', value: false },
        ],
        images: [{ url: 'https://x.example/a.jpg' }, { url: 'https://x.example/a.jpg' }, { url: 'file:///etc/passwd' }, { url: 'https://x.example/b.jpg', rotate: 90 }],
        category: 'Tents',
        seo: { title: 'x', keywords: 'y' },
      }),
      { entity: 'variant', op: 'upsert', ref: 'V', parentRef: 'TENT-1', data: { price: '1.00', image: 'not a url' } },
    ]);
    assert.deepEqual(paths.sort(), [
      'changes[0].data.category',
      'changes[0].data.images[1].url',
      'changes[0].data.images[2].url',
      'changes[0].data.images[3]',
      'changes[0].data.metafields[0].type',
      'changes[0].data.metafields[1].namespace',
      'changes[0].data.metafields[2].key',
      'changes[0].data.metafields[4].key',
      'changes[0].data.seo',
      'changes[1].data.image',
    ]);
    assert.match(message, /taxonomy category id/);
    assert.match(message, /each image URL once/);
    assert.match(message, /custom\.dup is also metafield 4/);
  });

  it('a null category takes a product out of the taxonomy; an empty image list removes its images', async () => {
    const storage = new MemoryStorage();
    await new ChangeQueue(storage, 'c').enqueue([productWith({ category: null, images: [], metafields: [] })]);
    assert.deepEqual(await storage.pendingCounts('c'), { categories: 0, products: 1, variants: 0 });
  });

  it('the connector names its sales channels and owned namespaces; each event’s configuration snapshot shows them', async () => {
    const config = parseOrThrow(connectorConfigSchema, connector, 'connector');
    assert.deepEqual([config.publications, config.ownedMetafieldNamespaces, config.createMetafieldDefinitions], [[], [], false], 'defaults: publish nothing, own nothing');
    assert.throws(() => parseOrThrow(connectorConfigSchema, { ...connector, publications: ['Online Store', 'Online Store'] }, 'connector'), /publications: expected each sales channel once/);
    assert.throws(() => parseOrThrow(connectorConfigSchema, { ...connector, ownedMetafieldNamespaces: ['a b'] }, 'connector'), /ownedMetafieldNamespaces\[0\]/);

    const engine = new SyncEngine({
      connector: { ...connector, publications: ['Online Store', 'Point of Sale'], ownedMetafieldNamespaces: ['shopsync'], createMetafieldDefinitions: true },
      target: new FakeTarget(),
    });
    await engine.enqueue([productWith({})]);
    const event = await engine.start();
    assert.deepEqual(event.config.publications, ['Online Store', 'Point of Sale']);
    assert.deepEqual(event.config.ownedMetafieldNamespaces, ['shopsync']);
    assert.equal(event.config.createMetafieldDefinitions, true);
    await engine.dispose();
  });
});
