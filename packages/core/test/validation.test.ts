import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, MemoryStorage, SyncEngine, ValidationError, connectorConfigSchema } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { FakeTarget } from '@shopsync/core/testing';

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };

function issuePaths(err: unknown): string[] {
  assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
  return err.issues.map((i) => i.path);
}

describe('bad input is rejected at the boundary, naming the field, and nothing is written', () => {
  it('a batch with one bad change enqueues nothing', async () => {
    const storage = new MemoryStorage();
    const queue = new ChangeQueue(storage, 'store-1');
    const batch = [
      { entity: 'category', op: 'upsert', ref: 'c1', data: { title: 'Shoes' } },
      { entity: 'product', op: 'upsert', ref: 'p1', data: { title: 42 } },
      { entity: 'variant', op: 'upsert', ref: 'v1', data: { price: '1.00' } },
    ];
    const err = await queue.enqueue(batch).catch((e: unknown) => e);
    assert.deepEqual(issuePaths(err), ['changes[1].data.title', 'changes[2].parentRef']);
    assert.match((err as Error).message, /changes\[1\]\.data\.title: .*expected/);
    assert.deepEqual(await storage.pendingCounts('store-1'), { categories: 0, products: 0, variants: 0 });
    assert.equal((await storage.queryItems('store-1', { offset: 0, limit: 10 })).total, 0);
  });

  it('names unknown entities and ops, and what was expected', async () => {
    const queue = new ChangeQueue(new MemoryStorage(), 'c');
    const err = await queue.enqueue([{ entity: 'customer', op: 'upsert', ref: 'x' }, { entity: 'product', op: 'zap', ref: 'y' }]).catch((e: unknown) => e);
    assert.deepEqual(issuePaths(err), ['changes[0].entity', 'changes[1].op']);
    assert.match((err as Error).message, /'category' \| 'product' \| 'variant'/);
  });

  it('rejects prices, references and unknown fields that Shopify would not take', async () => {
    const queue = new ChangeQueue(new MemoryStorage(), 'c');
    const err = await queue
      .enqueue([
        { entity: 'variant', op: 'upsert', ref: 'v1', parentRef: 'p1', data: { price: '12,50' } },
        { entity: 'product', op: 'upsert', ref: ' p2', data: { title: 'x' } },
        { entity: 'product', op: 'upsert', ref: 'p3', data: { title: 'x', colour: 'red' } },
        { entity: 'product', op: 'delete', ref: '' },
      ])
      .catch((e: unknown) => e);
    assert.deepEqual(issuePaths(err), ['changes[0].data.price', 'changes[1].ref', 'changes[2].data', 'changes[3].ref']);
  });

  it('a "__proto__" key in host-keyed data (option values, localized text) is refused by name, not dropped', async () => {
    const queue = new ChangeQueue(new MemoryStorage(), 'c');
    // As a host's JSON.parse makes it: an own key named __proto__.
    const batch = JSON.parse(`[
      { "entity": "variant", "op": "upsert", "ref": "v1", "parentRef": "p1", "data": { "price": "1.00", "optionValues": { "Size": "M", "__proto__": 5 } } },
      { "entity": "product", "op": "upsert", "ref": "p1", "data": { "title": { "en": "Shoe", "__proto__": { "es": "Zapato" } } } }
    ]`) as unknown;
    const err = await queue.enqueue(batch).catch((e: unknown) => e);
    assert.deepEqual(issuePaths(err), ['changes[0].data.optionValues.__proto__', 'changes[1].data.title.__proto__']);
    assert.deepEqual(await queue.pendingCounts(), { categories: 0, products: 0, variants: 0 });
  });

  it('a batch that is not an array is refused as such', async () => {
    const queue = new ChangeQueue(new MemoryStorage(), 'c');
    const err = await queue.enqueue({ entity: 'product' }).catch((e: unknown) => e);
    assert.deepEqual(issuePaths(err), ['changes']);
  });

  it('connector configuration: each bad field is named', () => {
    assert.throws(
      () => new SyncEngine({ connector: { ...connector, shopDomain: 'evil.example.com', apiVersion: '2026', language: 'English' }, target: new FakeTarget() }),
      (err: unknown) => {
        assert.deepEqual(issuePaths(err), ['connector.shopDomain', 'connector.apiVersion', 'connector.language']);
        assert.match((err as Error).message, /myshopify\.com/);
        return true;
      },
    );
  });

  it('connector configuration: defaults are filled in and unknown keys refused', () => {
    const c = parseOrThrow(connectorConfigSchema, connector, 'connector');
    assert.deepEqual(
      { enabled: c.enabled, disableDeletions: c.disableDeletions, overwriteStock: c.overwriteStock, includeEmptyCategories: c.includeEmptyCategories, language: c.language },
      { enabled: true, disableDeletions: false, overwriteStock: false, includeEmptyCategories: false, language: 'en' },
    );
    assert.throws(() => parseOrThrow(connectorConfigSchema, { ...connector, accessToken: 'x' }, 'connector'), ValidationError);
  });

  it('engine options and queries are validated too', async () => {
    assert.throws(() => new SyncEngine({ connector, target: new FakeTarget(), batchSize: 0 }), (e: unknown) => issuePaths(e)[0] === 'options.batchSize');
    const engine = new SyncEngine({ connector, target: new FakeTarget() });
    const err = await engine.queryItems({ status: 'broken' as never, limit: 5_000 }).catch((e: unknown) => e);
    assert.deepEqual(issuePaths(err), ['query.status', 'query.limit']);
    const upd = await engine.updateConfig({ overwriteStock: 'yes' as never }).catch((e: unknown) => e);
    assert.deepEqual(issuePaths(upd), ['connector.overwriteStock']);
    assert.equal(engine.config.overwriteStock, false);
  });
});
