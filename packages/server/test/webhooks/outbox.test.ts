import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryServerStore } from '../../src/store/memory-store.js';
import type { WebhookRecord } from '../../src/store/types.js';
import { messagesFor, payloadOf } from '../../src/webhooks/messages.js';
import { newMessageId, WebhookOutbox } from '../../src/webhooks/outbox.js';
import { counts, iteration, syncEvent } from './fixtures.js';

const webhook = (id: string, connectorId: string, events: WebhookRecord['events']): WebhookRecord => ({
  id,
  connectorId,
  url: `https://erp.example.com/${id}`,
  events,
  sealedSecret: `sealed-${id}`,
  createdAt: 1,
});

const completed = syncEvent({ status: 'completed', endedAt: '2026-12-01T10:05:00.000Z' });

async function storeWith(...webhooks: WebhookRecord[]): Promise<MemoryServerStore> {
  const store = new MemoryServerStore();
  for (const w of webhooks) await store.createWebhook(w);
  return store;
}

test('record stores one pending delivery, due now, per webhook subscribed to the message type', async () => {
  const store = await storeWith(
    webhook('wh_all', 'acme', ['sync.completed', 'sync.failed', 'sync.paused', 'items.failed']),
    webhook('wh_done', 'acme', ['sync.completed']),
    webhook('wh_items', 'acme', ['items.failed']),
    webhook('wh_other', 'globex', ['sync.completed']),
  );
  let n = 0;
  const outbox = new WebhookOutbox({ store, clock: { now: () => 5_000 }, newId: () => `msg_${++n}` });
  const fact = { kind: 'statusChanged', connectorId: 'acme', event: completed } as const;

  const recorded = await outbox.record(fact);

  const payload = payloadOf(messagesFor(fact)[0]!);
  assert.deepEqual(
    recorded.map((d) => [d.id, d.webhookId]),
    [
      ['msg_1', 'wh_all'],
      ['msg_2', 'wh_done'],
    ],
  );
  for (const d of recorded) {
    assert.deepEqual(await store.getDelivery(d.id), { id: d.id, webhookId: d.webhookId, connectorId: 'acme', type: 'sync.completed', payload, createdAt: 5_000, state: 'pending', nextAttemptAt: 5_000, attempts: [] });
  }
  assert.equal((await store.listDeliveries({ connectorId: 'globex', offset: 0, limit: 10 })).total, 0);
});

test('record writes nothing for a fact without a message, or a connector without subscribers', async () => {
  const store = await storeWith(webhook('wh_done', 'acme', ['sync.completed']));
  const outbox = new WebhookOutbox({ store });
  const ok = iteration(1, counts(1, 1, 1), counts(0, 0, 0));
  const failing = iteration(1, counts(1, 1, 1), counts(0, 1, 0));
  assert.deepEqual(await outbox.record({ kind: 'statusChanged', connectorId: 'acme', event: syncEvent() }), []);
  assert.deepEqual(await outbox.record({ kind: 'iterationCompleted', connectorId: 'acme', event: syncEvent({ iterations: [ok] }), iteration: ok }), []);
  assert.deepEqual(await outbox.record({ kind: 'iterationCompleted', connectorId: 'acme', event: syncEvent({ iterations: [failing] }), iteration: failing }), []);
  assert.deepEqual(await outbox.record({ kind: 'statusChanged', connectorId: 'globex', event: completed }), []);
  assert.equal((await store.listDeliveries({ connectorId: 'acme', offset: 0, limit: 10 })).total, 0);
});

test('a webhook created or deleted a moment ago is honoured at the next fact', async () => {
  const store = await storeWith();
  const outbox = new WebhookOutbox({ store });
  const fact = { kind: 'statusChanged', connectorId: 'acme', event: completed } as const;
  assert.equal((await outbox.record(fact)).length, 0);
  await store.createWebhook(webhook('wh_new', 'acme', ['sync.completed']));
  assert.equal((await outbox.record(fact)).length, 1);
  await store.deleteWebhook('wh_new');
  assert.equal((await outbox.record(fact)).length, 0);
});

test('message ids are unique, prefixed msg_, and contain no "."', () => {
  const ids = new Set(Array.from({ length: 1000 }, newMessageId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^msg_[A-Za-z0-9_-]{22}$/);
});
