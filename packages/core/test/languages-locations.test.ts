import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, MemoryStorage, SyncEngine, ValidationError, connectorConfigSchema } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { FakeTarget } from '@shopsync/core/testing';

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const variant = (stock: unknown) => ({ entity: 'variant', op: 'upsert', ref: 'TENT-1-S', parentRef: 'TENT-1', data: { price: '10.00', stock } });
const product = (metafields: unknown[]) => ({ entity: 'product', op: 'upsert', ref: 'TENT-1', data: { title: { en: 'Tent', es: 'Tienda' }, metafields } });

async function refused(changes: unknown[]): Promise<string> {
  const storage = new MemoryStorage();
  const err = await new ChangeQueue(storage, 'c').enqueue(changes).catch((e: unknown) => e);
  assert.ok(err instanceof ValidationError, `expected a ValidationError, got ${String(err)}`);
  assert.deepEqual(await storage.pendingCounts('c'), { categories: 0, products: 0, variants: 0 }, 'nothing is written');
  return err.message;
}

describe('stock per warehouse and text in several languages', () => {
  it('a variant’s stock is one number or a quantity per warehouse', async () => {
    const storage = new MemoryStorage();
    await new ChangeQueue(storage, 'c').enqueue([variant(4), { ...variant({ madrid: 5, lyon: 0 }), ref: 'TENT-1-M' }]);
    assert.deepEqual(await storage.pendingCounts('c'), { categories: 0, products: 0, variants: 2 });
    assert.match(await refused([variant({})]), /stock: expected at least one warehouse/);
    assert.match(await refused([variant({ madrid: 1.5 })]), /stock\.madrid: expected a whole number/);
    assert.match(await refused([variant('5')]), /stock: expected a number or an object/);
    assert.match(await refused([variant(JSON.parse('{"__proto__": 3}'))]), /__proto__/);
  });

  it('text metafields carry translations; other types refuse them, naming the field', async () => {
    const storage = new MemoryStorage();
    await new ChangeQueue(storage, 'c').enqueue([product([{ namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Cotton', translations: { es: 'Algodón' } }])]);
    assert.equal(await storage.pendingCounts('c').then((c) => c.products), 1);
    const message = await refused([product([{ namespace: 'custom', key: 'weight', type: 'number_integer', value: 5, translations: { es: '5' } }])]);
    assert.match(message, /metafields\[0\]\.translations: expected translations only for text types/);
    assert.match(await refused([product([{ namespace: 'custom', key: 'material', type: 'single_line_text_field', value: 'Cotton', translations: { Spanish: 'Algodón' } }])]), /language tag/);
  });

  it('the connector maps warehouses to locations; each event’s snapshot shows the mapping, resolved, and the languages translated', async () => {
    const config = parseOrThrow(connectorConfigSchema, connector, 'connector');
    assert.deepEqual(config.locations, {}, 'default: no warehouses');
    assert.throws(() => parseOrThrow(connectorConfigSchema, { ...connector, locations: { madrid: '' } }, 'connector'), /locations\.madrid: expected a location name or id/);

    const target = new FakeTarget({ connectInfo: { translationLanguages: ['es'], locationIds: { madrid: 'gid://shopify/Location/2' } } });
    const engine = new SyncEngine({ connector: { ...connector, locations: { madrid: 'Madrid warehouse', lyon: 'gid://shopify/Location/3' } }, target });
    await engine.enqueue([variant({ madrid: 5 })]);
    const event = await engine.start();
    assert.deepEqual(event.config.translations, ['es']);
    assert.deepEqual(event.config.locations, [
      { warehouse: 'madrid', location: 'Madrid warehouse', id: 'gid://shopify/Location/2' },
      { warehouse: 'lyon', location: 'gid://shopify/Location/3' },
    ]);
    await engine.dispose();
  });

  it('a warning of the store (a language it has not enabled) is recorded once per event, and the run goes on', async () => {
    const warning = { code: 'language', severity: 'warning', message: 'The store has not enabled French (fr): its texts were not written.' } as const;
    const target = new FakeTarget();
    target.failNextPush(warning, { leaveItems: false }).failNextPush(warning, { leaveItems: false });
    const engine = new SyncEngine({ connector, target, batchSize: 1 });
    await engine.enqueue([variant(1), { ...variant(2), ref: 'TENT-1-M' }, { ...variant(3), ref: 'TENT-1-L' }]);
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.equal(event.iterations.length, 3);
    assert.deepEqual(
      event.generalErrors.map((g) => [g.code, g.severity, g.message]),
      [['language', 'warning', warning.message]],
    );
    const logs = await engine.storage.readLogs(connector.id, event.id);
    assert.equal(logs.filter((l) => l.level === 'warn' && l.message === warning.message).length, 1);
    await engine.dispose();
  });
});
