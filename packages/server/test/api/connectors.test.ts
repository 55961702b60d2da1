// Removing a connector through the API: what goes (credentials, settings, webhooks, the API keys
// limited to it) and what stays (its queue and history, found again by a connector made with the
// same id, which inherits no key).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';

describe('DELETE /v1/connectors/{id}', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('removes credentials, settings, webhooks and the keys limited to it; keeps the queue; a connector made again inherits no key', async () => {
    const admin = await h.key(['admin']);
    await h.connector('gone', { allowedOrigins: ['https://erp.example.com'] });
    await h.call('PATCH', '/v1/connectors/gone', { key: admin, body: { config: { enabled: false } } });
    const limited = await h.key(['read', 'ingest'], 'gone');
    const other = await h.key(['read'], 'elsewhere');
    assert.equal((await h.call('POST', '/v1/connectors/gone/changes', { key: limited, body: [{ entity: 'product', op: 'upsert', ref: 'KEPT', data: { title: 'Kept' } }] })).status, 202);
    assert.equal((await h.call('POST', '/v1/connectors/gone/webhooks', { key: admin, body: { url: 'http://127.0.0.1:9/hook', events: ['sync.completed'] } })).status, 201);

    assert.equal((await h.call('DELETE', '/v1/connectors/gone', { key: admin })).status, 204);
    assert.equal((await h.call('GET', '/v1/connectors/gone', { key: admin })).status, 404);
    assert.equal((await h.call('GET', '/v1/connectors/gone', { key: limited })).status, 401, 'its limited key is revoked');
    const store = h.server.services.store;
    assert.equal(await store.getCredentials('gone'), undefined);
    assert.equal(await store.getSettings('gone'), undefined);
    assert.deepEqual(await store.listWebhooks('gone'), []);
    assert.equal((await h.call('GET', '/v1/connectors/elsewhere', { key: other })).status, 404, "another connector's key still authenticates (its connector does not exist)");

    const again = await h.call('POST', '/v1/connectors', { key: admin, body: { config: { id: 'gone', shopDomain: 'gone.myshopify.com', apiVersion: '2026-01', enabled: false } } });
    assert.equal(again.status, 201);
    assert.equal(again.body.credentials, null, 'no credentials carried over');
    assert.deepEqual(again.body.allowedOrigins, []);
    assert.equal((await h.call('GET', '/v1/connectors/gone', { key: limited })).status, 401, 'the old key does not come back with the id');
    assert.deepEqual(await h.server.services.storage.pendingCounts('gone'), { categories: 0, products: 1, variants: 0 }, 'the queue stayed');
  });
});
