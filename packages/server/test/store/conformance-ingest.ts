/**
 * ServerStore conformance, part two: idempotent ingest (insert-or-get on (connector, key), the
 * takeover of a stale `started` record, finish, abandon, prune), webhooks, and
 * deleteConnectorData.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { apiKey, delivery, ids, rejectsWith, started, T0, webhook, withStore, type OpenStore } from './conformance-helpers.js';

/** Idempotent ingest. */
export function ingestCases(open: OpenStore): void {
  it('beginIdempotent inserts a new key (created) and answers what is stored for a known one (not created)', () =>
    withStore(open, async (store) => {
      const first = await store.beginIdempotent(started('c1', 'idem-1', T0, 'fp-a'), T0 - 60_000);
      assert.deepEqual(first, { created: true, record: started('c1', 'idem-1', T0, 'fp-a') });
      // The same key with another body: the stored fingerprint comes back, for the caller to refuse it.
      const again = await store.beginIdempotent(started('c1', 'idem-1', T0 + 1, 'fp-b'), T0 - 60_000);
      assert.deepEqual(again, { created: false, record: started('c1', 'idem-1', T0, 'fp-a') });
    }));

  it('the key is (connector, key): the same key under another connector is another record', () =>
    withStore(open, async (store) => {
      await store.beginIdempotent(started('c1', 'idem-1', T0), 0);
      const other = await store.beginIdempotent(started('c2', 'idem-1', T0), 0);
      assert.equal(other.created, true);
      await store.finishIdempotent('c2', 'idem-1', 202, '{"ok":true}');
      assert.equal((await store.beginIdempotent(started('c1', 'idem-1', T0), 0)).record.state, 'started');
    }));

  it('finishIdempotent stores the answer: a later begin gets state done, status and body', () =>
    withStore(open, async (store) => {
      await store.beginIdempotent(started('c1', 'idem-1', T0), 0);
      await store.finishIdempotent('c1', 'idem-1', 202, '{"accepted":3}');
      const got = await store.beginIdempotent(started('c1', 'idem-1', T0 + 5), 0);
      assert.deepEqual(got, { created: false, record: { connectorId: 'c1', key: 'idem-1', fingerprint: 'fp-1', state: 'done', status: 202, body: '{"accepted":3}', createdAt: T0 } });
    }));

  it('finishIdempotent of an unknown key stores nothing; of a done one changes nothing', () =>
    withStore(open, async (store) => {
      await store.finishIdempotent('c1', 'nope', 200, '{}');
      assert.equal((await store.beginIdempotent(started('c1', 'nope', T0), 0)).created, true);
      await store.finishIdempotent('c1', 'nope', 201, '{"first":true}');
      await store.finishIdempotent('c1', 'nope', 500, '{"second":true}');
      const got = (await store.beginIdempotent(started('c1', 'nope', T0), 0)).record;
      assert.equal(got.status, 201);
      assert.equal(got.body, '{"first":true}');
    }));

  it('a started record older than staleBefore is taken over (replaced, created); one at staleBefore or newer is not', () =>
    withStore(open, async (store) => {
      await store.beginIdempotent(started('c1', 'old', T0, 'fp-dead'), 0);
      await store.beginIdempotent(started('c1', 'edge', T0 + 100, 'fp-live'), 0);
      const taken = await store.beginIdempotent(started('c1', 'old', T0 + 500, 'fp-new'), T0 + 100);
      assert.deepEqual(taken, { created: true, record: started('c1', 'old', T0 + 500, 'fp-new') });
      const kept = await store.beginIdempotent(started('c1', 'edge', T0 + 500, 'fp-new'), T0 + 100);
      assert.deepEqual(kept, { created: false, record: started('c1', 'edge', T0 + 100, 'fp-live') });
      // The takeover is stored: the next caller sees the new record.
      assert.deepEqual((await store.beginIdempotent(started('c1', 'old', T0 + 600), T0 + 100)).record, started('c1', 'old', T0 + 500, 'fp-new'));
    }));

  it('a done record is never taken over, however old', () =>
    withStore(open, async (store) => {
      await store.beginIdempotent(started('c1', 'idem-1', T0), 0);
      await store.finishIdempotent('c1', 'idem-1', 200, '{}');
      const got = await store.beginIdempotent(started('c1', 'idem-1', T0 + 10_000), T0 + 9_000);
      assert.equal(got.created, false);
      assert.equal(got.record.state, 'done');
    }));

  it('beginIdempotent stores a started record, whatever state, status and body the record given holds', () =>
    withStore(open, async (store) => {
      const got = await store.beginIdempotent({ ...started('c1', 'idem-1', T0), state: 'done', status: 200, body: '{}' }, 0);
      assert.deepEqual(got, { created: true, record: started('c1', 'idem-1', T0) });
    }));

  it('concurrent begins of one key: exactly one is created, the others get its record', () =>
    withStore(open, async (store) => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.beginIdempotent(started('c1', 'race', T0 + i, `fp-${i}`), 0)));
      const winners = results.filter((r) => r.created);
      assert.equal(winners.length, 1);
      for (const r of results) assert.deepEqual(r.record, winners[0]!.record);
    }));

  it('abandonIdempotent forgets a started record (a retry runs again) but not a done one', () =>
    withStore(open, async (store) => {
      await store.beginIdempotent(started('c1', 'a', T0), 0);
      await store.abandonIdempotent('c1', 'a');
      assert.equal((await store.beginIdempotent(started('c1', 'a', T0 + 1, 'fp-2'), 0)).created, true);
      await store.finishIdempotent('c1', 'a', 200, '{}');
      await store.abandonIdempotent('c1', 'a');
      assert.equal((await store.beginIdempotent(started('c1', 'a', T0 + 2), 0)).record.state, 'done');
      await store.abandonIdempotent('c1', 'unknown');
    }));

  it('pruneIdempotent forgets records created before `before` (started and done), returns how many, keeps the rest', () =>
    withStore(open, async (store) => {
      await store.beginIdempotent(started('c1', 'a', T0), 0);
      await store.beginIdempotent(started('c2', 'b', T0 + 10), 0);
      await store.finishIdempotent('c2', 'b', 200, '{}');
      await store.beginIdempotent(started('c1', 'c', T0 + 20), 0);
      assert.equal(await store.pruneIdempotent(T0 + 20), 2);
      assert.equal(await store.pruneIdempotent(T0 + 20), 0);
      assert.equal((await store.beginIdempotent(started('c1', 'a', T0 + 30), 0)).created, true);
      assert.equal((await store.beginIdempotent(started('c2', 'b', T0 + 30), 0)).created, true);
      assert.equal((await store.beginIdempotent(started('c1', 'c', T0 + 30), 0)).created, false);
    }));
}

/** Webhooks, and what deleteConnectorData removes. */
export function webhookCases(open: OpenStore): void {
  it('createWebhook / getWebhook round-trip; unknown id is undefined', () =>
    withStore(open, async (store) => {
      await store.createWebhook(webhook('wh-1', 'c1', T0));
      assert.deepEqual(await store.getWebhook('wh-1'), webhook('wh-1', 'c1', T0));
      assert.equal(await store.getWebhook('nope'), undefined);
    }));

  it('a webhook with a taken id is refused (webhook_exists), the first kept', () =>
    withStore(open, async (store) => {
      await store.createWebhook(webhook('wh-1', 'c1', T0));
      await rejectsWith(store.createWebhook(webhook('wh-1', 'c2', T0 + 1)), 'webhook_exists');
      assert.equal((await store.getWebhook('wh-1'))?.connectorId, 'c1');
    }));

  it("listWebhooks: a connector's webhooks only, oldest first (ties by id)", () =>
    withStore(open, async (store) => {
      await store.createWebhook(webhook('wh-3', 'c1', T0 + 30));
      await store.createWebhook(webhook('wh-x', 'c2', T0));
      await store.createWebhook(webhook('wh-2', 'c1', T0 + 10));
      await store.createWebhook(webhook('wh-1', 'c1', T0 + 10));
      assert.deepEqual(ids(await store.listWebhooks('c1')), ['wh-1', 'wh-2', 'wh-3']);
      assert.deepEqual(ids(await store.listWebhooks('c2')), ['wh-x']);
      assert.deepEqual(await store.listWebhooks('c3'), []);
    }));

  it('deleteWebhook: true once, then false; false for an unknown id', () =>
    withStore(open, async (store) => {
      await store.createWebhook(webhook('wh-1', 'c1', T0));
      assert.equal(await store.deleteWebhook('wh-1'), true);
      assert.equal(await store.deleteWebhook('wh-1'), false);
      assert.equal(await store.getWebhook('wh-1'), undefined);
      assert.equal(await store.deleteWebhook('nope'), false);
    }));

  it("deleteConnectorData removes the connector's settings, credentials, idempotency records, webhooks and deliveries, and nothing of another connector", () =>
    withStore(open, async (store) => {
      for (const c of ['c1', 'c2']) {
        await store.putSettings(c, { allowedOrigins: [`https://${c}.example.com`] });
        await store.putCredentials(c, { kind: 'token', sealed: `sealed-${c}`, updatedAt: T0 });
        await store.beginIdempotent(started(c, 'idem-1', T0), 0);
        await store.createWebhook(webhook(`wh-${c}`, c, T0));
        await store.addDeliveries([delivery(`d-${c}-1`, { connectorId: c, webhookId: `wh-${c}` }), delivery(`d-${c}-2`, { connectorId: c, webhookId: `wh-${c}` })]);
      }
      await store.createApiKey(apiKey('k-c1', T0, { connectorId: 'c1' }));
      await store.deleteConnectorData('c1');

      assert.equal(await store.getSettings('c1'), undefined);
      assert.equal(await store.getCredentials('c1'), undefined);
      assert.equal((await store.beginIdempotent(started('c1', 'idem-1', T0 + 1), 0)).created, true);
      assert.deepEqual(await store.listWebhooks('c1'), []);
      assert.equal(await store.getDelivery('d-c1-1'), undefined);
      assert.deepEqual(await store.listDeliveries({ connectorId: 'c1', offset: 0, limit: 10 }), { total: 0, items: [] });

      assert.deepEqual(await store.getSettings('c2'), { allowedOrigins: ['https://c2.example.com'] });
      assert.equal((await store.getCredentials('c2'))?.sealed, 'sealed-c2');
      assert.equal((await store.beginIdempotent(started('c2', 'idem-1', T0 + 1), 0)).created, false);
      assert.deepEqual(ids(await store.listWebhooks('c2')), ['wh-c2']);
      assert.equal((await store.listDeliveries({ connectorId: 'c2', offset: 0, limit: 10 })).total, 2);
      // API keys are not connector data in the sense of the doc comment: they stay (the caller revokes them).
      assert.equal((await store.getApiKey('k-c1'))?.connectorId, 'c1');
      // Nothing to remove is no error.
      await store.deleteConnectorData('c9');
    }));
}
