/**
 * Webhooks through the service: subscribed over the REST API, fed by real runs against the Shopify
 * simulator, delivered to a real HTTP receiver on 127.0.0.1, and checked with the official
 * `standardwebhooks` verifier and the secret the API showed once. Retries keep the message's
 * webhook-id (the harness sets SHOPSYNC_WEBHOOK_RETRY_MS=0,100,200: three attempts), the delivery
 * log shows each attempt, secrets never come back, and a connector without credentials fails its
 * run with a `sync.failed` message.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { eventually, startHarness, type Harness } from '../support/harness.js';
import { flatHeaders, startReceiver, type Received, type Receiver } from '../webhooks/receiver.js';

let h: Harness;
let admin: string;
const receivers: Receiver[] = [];

before(async () => {
  h = await startHarness();
  admin = await h.key(['admin']);
});
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await h?.close();
});

/** A receiver answering `status(n)` to its n-th request (closed when the file ends). */
async function receiver(status: (n: number) => number = () => 204): Promise<Receiver> {
  const r = await startReceiver((n) => status(n));
  receivers.push(r);
  return r;
}

/** A webhook of `connectorId` to `url`: its id and the secret shown once. */
async function subscribe(connectorId: string, url: string, events: string[]): Promise<{ id: string; secret: string }> {
  const made = await h.call('POST', `/v1/connectors/${connectorId}/webhooks`, { key: admin, body: { url, events } });
  assert.equal(made.status, 201, made.text);
  assert.match(made.body.secret as string, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
  assert.match(made.body.id as string, /^wh_/);
  assert.deepEqual(made.body.events, events);
  return { id: made.body.id as string, secret: made.body.secret as string };
}

interface Message {
  type: string;
  timestamp: string;
  data: {
    connectorId: string;
    eventId: string;
    status: string;
    trigger: string;
    pending: Record<string, number>;
    synced: Record<string, number>;
    failed: Record<string, number>;
    generalErrors: Array<{ code: string; message: string }>;
    iteration?: { index: number; failed: Record<string, number> };
  };
}

/** The request's payload, verified with the official Standard Webhooks verifier (throws when the signature is wrong). */
function verified(secret: string, request: Received): Message {
  return new Webhook(secret).verify(request.body, flatHeaders(request.headers)) as Message;
}

interface Delivery {
  id: string;
  webhookId: string;
  type: string;
  state: 'pending' | 'succeeded' | 'failed';
  nextAttemptAt?: string;
  attempts: Array<{ at: string; status?: number; error?: string; durationMs: number }>;
  payload: string;
}

async function deliveries(connectorId: string, webhookId: string): Promise<Delivery[]> {
  const page = await h.call('GET', `/v1/connectors/${connectorId}/webhooks/${webhookId}/deliveries`, { key: admin });
  assert.equal(page.status, 200, page.text);
  assert.equal(page.body.total, page.body.items.length);
  return page.body.items as Delivery[];
}

const post = (connectorId: string, changes: unknown[]) => h.call('POST', `/v1/connectors/${connectorId}/changes`, { key: admin, body: changes });

describe('webhooks through the service', () => {
  it('a run with an item Shopify refuses: the receiver gets items.failed and sync.completed, signed as Standard Webhooks', { timeout: 30_000 }, async () => {
    await h.connector('hooked');
    const r = await receiver();
    const { id, secret } = await subscribe('hooked', r.url, ['sync.completed', 'items.failed']);

    const posted = await post('hooked', [
      { entity: 'product', op: 'upsert', ref: 'TENT', data: { title: 'Tent' } },
      // Valid for shopsync, refused by Shopify with a userError ("Title can't be blank").
      { entity: 'product', op: 'upsert', ref: 'BLANK', data: { title: '' } },
    ]);
    assert.equal(posted.status, 202, posted.text);

    await eventually(async () => r.requests.some((q) => verified(secret, q).type === 'sync.completed'), 20_000, 'sync.completed');
    const messages = r.requests.map((q) => ({ id: String(q.headers['webhook-id']), message: verified(secret, q), request: q }));
    assert.deepEqual(messages.map((m) => m.message.type).sort(), ['items.failed', 'sync.completed']);

    const completed = messages.find((m) => m.message.type === 'sync.completed')!.message;
    assert.equal(completed.data.connectorId, 'hooked');
    assert.equal(completed.data.status, 'completed');
    assert.equal(completed.data.trigger, 'changes');
    assert.deepEqual(completed.data.synced, { categories: 0, products: 1, variants: 0 });
    assert.deepEqual(completed.data.failed, { categories: 0, products: 1, variants: 0 });
    assert.deepEqual(completed.data.pending, { categories: 0, products: 0, variants: 0 });
    const failed = messages.find((m) => m.message.type === 'items.failed')!.message;
    assert.equal(failed.data.eventId, completed.data.eventId);
    assert.deepEqual(failed.data.iteration?.failed, { categories: 0, products: 1, variants: 0 });
    // The event the message names is the one the API shows, and the item's error is there.
    const event = await h.call('GET', `/v1/connectors/hooked/sync/events/${completed.data.eventId}`, { key: admin });
    assert.equal(event.status, 200);
    assert.equal(event.body.status, 'completed');
    const items = await h.call('GET', '/v1/connectors/hooked/sync/items?status=error', { key: admin });
    assert.deepEqual(items.body.items.map((i: { ref: string }) => i.ref), ['BLANK']);

    for (const { id: msgId, request } of messages) {
      assert.match(msgId, /^msg_/);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.match(String(request.headers['webhook-signature']), /^v1,/);
      // A tampered body or another secret does not verify.
      assert.throws(() => new Webhook(secret).verify(request.body.replace('"hooked"', '"other"'), flatHeaders(request.headers)));
      assert.throws(() => new Webhook('whsec_' + Buffer.alloc(32, 1).toString('base64')).verify(request.body, flatHeaders(request.headers)));
    }
    assert.notEqual(messages[0]!.id, messages[1]!.id, 'each message has its own webhook-id');

    // The delivery log: one succeeded delivery per message, the payload exactly as sent and signed.
    const log = await eventually(async () => {
      const list = await deliveries('hooked', id);
      return list.length === 2 && list.every((d) => d.state === 'succeeded') && list;
    }, 10_000, 'both deliveries recorded');
    for (const d of log) {
      const sent = messages.find((m) => m.id === d.id);
      assert.ok(sent, `delivery ${d.id} was received`);
      assert.equal(d.payload, sent.request.body);
      assert.equal(d.webhookId, id);
      assert.equal(d.type, sent.message.type);
      assert.equal(d.attempts.length, 1);
      assert.equal(d.attempts[0]!.status, 204);
      assert.equal(d.nextAttemptAt, undefined);
    }
  });

  it('a receiver that fails twice, then answers 200: the same webhook-id three times, the log shows 500, 500, 200 and succeeded', { timeout: 30_000 }, async () => {
    await h.connector('flaky');
    const r = await receiver((n) => (n <= 2 ? 500 : 200));
    const { id, secret } = await subscribe('flaky', r.url, ['sync.completed']);
    assert.equal((await post('flaky', [{ entity: 'product', op: 'upsert', ref: 'LAMP', data: { title: 'Lamp' } }])).status, 202);

    const [delivery] = await eventually(async () => {
      const list = await deliveries('flaky', id);
      return list.length === 1 && list[0]!.state !== 'pending' && list;
    }, 20_000, 'the delivery to settle');
    assert.equal(delivery!.state, 'succeeded');
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status),
      [500, 500, 200],
    );
    const times = delivery!.attempts.map((a) => Date.parse(a.at));
    assert.ok(times[0]! <= times[1]! && times[1]! <= times[2]!, 'attempts in order');
    assert.ok(delivery!.attempts.every((a) => a.durationMs >= 0 && a.error === undefined));

    assert.equal(r.requests.length, 3);
    assert.deepEqual(
      r.requests.map((q) => q.headers['webhook-id']),
      [delivery!.id, delivery!.id, delivery!.id],
    );
    // Each attempt is signed afresh, and every one verifies; the body is the same bytes each time.
    for (const q of r.requests) assert.equal(verified(secret, q).type, 'sync.completed');
    assert.equal(new Set(r.requests.map((q) => q.body)).size, 1);
    assert.equal(delivery!.payload, r.requests[0]!.body);
  });

  it('a receiver that never succeeds: three attempts, then failed; the log says so', { timeout: 30_000 }, async () => {
    await h.connector('down');
    const r = await receiver(() => 503);
    const { id } = await subscribe('down', r.url, ['sync.completed']);
    assert.equal((await post('down', [{ entity: 'product', op: 'upsert', ref: 'MUG', data: { title: 'Mug' } }])).status, 202);

    const [delivery] = await eventually(async () => {
      const list = await deliveries('down', id);
      return list.length === 1 && list[0]!.state !== 'pending' && list;
    }, 20_000, 'the delivery to settle');
    assert.equal(delivery!.state, 'failed');
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status),
      [503, 503, 503],
    );
    assert.equal(delivery!.nextAttemptAt, undefined);
    assert.equal(r.requests.length, 3);
  });

  it('a receiver that does not listen: each attempt records the error, no status', { timeout: 30_000 }, async () => {
    await h.connector('nobody');
    const r = await receiver();
    const url = r.url;
    await r.close();
    const { id } = await subscribe('nobody', url, ['sync.completed']);
    assert.equal((await post('nobody', [{ entity: 'product', op: 'upsert', ref: 'CUP', data: { title: 'Cup' } }])).status, 202);
    const [delivery] = await eventually(async () => {
      const list = await deliveries('nobody', id);
      return list.length === 1 && list[0]!.state !== 'pending' && list;
    }, 20_000, 'the delivery to settle');
    assert.equal(delivery!.state, 'failed');
    assert.equal(delivery!.attempts.length, 3);
    for (const a of delivery!.attempts) {
      assert.equal(a.status, undefined);
      assert.match(a.error ?? '', /ECONNREFUSED|fetch failed/);
    }
  });

  it('secrets never come back: not in the list of webhooks, the delivery log, nor the connector', { timeout: 30_000 }, async () => {
    await h.connector('private');
    const r = await receiver();
    const first = await subscribe('private', r.url, ['sync.completed']);
    const second = await subscribe('private', `${r.url}?second=1`, ['sync.failed', 'sync.paused']);
    assert.notEqual(first.secret, second.secret);
    assert.equal((await post('private', [{ entity: 'product', op: 'upsert', ref: 'BOX', data: { title: 'Box' } }])).status, 202);
    await eventually(async () => (await deliveries('private', first.id)).some((d) => d.state === 'succeeded'), 20_000, 'a delivery');

    const list = await h.call('GET', '/v1/connectors/private/webhooks', { key: admin });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items.map((w: { id: string }) => w.id).sort(), [first.id, second.id].sort());
    for (const w of list.body.items as Array<Record<string, unknown>>) assert.deepEqual(Object.keys(w).sort(), ['createdAt', 'events', 'id', 'url']);
    const texts = [
      list.text,
      (await h.call('GET', `/v1/connectors/private/webhooks/${first.id}/deliveries`, { key: admin })).text,
      (await h.call('GET', `/v1/connectors/private/webhooks/${second.id}/deliveries`, { key: admin })).text,
      (await h.call('GET', '/v1/connectors/private', { key: admin })).text,
      (await h.call('GET', '/v1/connectors', { key: admin })).text,
      ...r.requests.map((q) => JSON.stringify(q)),
    ];
    for (const secret of [first.secret, second.secret]) {
      const key = secret.slice('whsec_'.length);
      for (const text of texts) {
        assert.ok(!text.includes(key), `a secret in ${text.slice(0, 200)}`);
      }
    }
    // A read key sees the list (without secrets too); a key of another connector does not.
    const reader = await h.key(['read'], 'private');
    const seen = await h.call('GET', '/v1/connectors/private/webhooks', { key: reader });
    assert.equal(seen.status, 200);
    assert.ok(!seen.text.includes('secret'));
    const outsider = await h.key(['admin'], 'hooked');
    assert.equal((await h.call('GET', '/v1/connectors/private/webhooks', { key: outsider })).status, 403);
  });

  it('a connector without credentials: its run ends in Error and the receiver gets a signed sync.failed saying what to do', { timeout: 30_000 }, async () => {
    const made = await h.call('POST', '/v1/connectors', { key: admin, body: { config: { id: 'no-creds', shopDomain: 'no-creds.myshopify.com', apiVersion: '2026-01' } } });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.body.credentials, null);
    const r = await receiver();
    const { secret } = await subscribe('no-creds', r.url, ['sync.failed', 'sync.completed']);
    // A run asked for (nothing pending); with changes pending, see the next test.
    const asked = await h.call('POST', '/v1/connectors/no-creds/sync', { key: admin, body: {} });
    assert.equal(asked.status, 202, asked.text);

    await eventually(async () => r.requests.length > 0, 20_000, 'a webhook');
    const message = verified(secret, r.requests[0]!);
    assert.equal(message.type, 'sync.failed');
    assert.equal(message.data.connectorId, 'no-creds');
    assert.equal(message.data.status, 'error');
    assert.equal(message.data.trigger, 'manual');
    assert.ok(
      message.data.generalErrors.some((g) => g.message.includes('PUT /v1/connectors/no-creds/credentials')),
      JSON.stringify(message.data.generalErrors),
    );
    const event = await h.call('GET', `/v1/connectors/no-creds/sync/events/${message.data.eventId}`, { key: admin });
    assert.equal(event.body.status, 'error');
    // One run, one message: the connector is not run again until asked or given changes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(r.requests.length, 1);
    assert.equal((await h.call('GET', '/v1/connectors/no-creds/sync/events', { key: admin })).body.total, 1);
  });

  // Skipped: core's FleetRunner releases a connector whose run ended in Error (`outcome: 'error'`)
  // without a pause (`nextRun` pauses only `failed` slots), so a connector with changes pending
  // and no credentials is claimed again at once, forever, all in microtasks: the process starves
  // (no timer, no request is served again, a sync event and a sync.failed delivery per turn).
  it('a connector without credentials and changes pending: one sync.failed, and the service goes on answering', { timeout: 30_000 }, async () => {
    const made = await h.call('POST', '/v1/connectors', { key: admin, body: { config: { id: 'no-creds-pending', shopDomain: 'no-creds-pending.myshopify.com', apiVersion: '2026-01' } } });
    assert.equal(made.status, 201, made.text);
    const r = await receiver();
    const { secret } = await subscribe('no-creds-pending', r.url, ['sync.failed']);
    assert.equal((await post('no-creds-pending', [{ entity: 'product', op: 'upsert', ref: 'PEN', data: { title: 'Pen' } }])).status, 202);
    await eventually(async () => r.requests.length > 0, 20_000, 'a webhook');
    assert.equal(verified(secret, r.requests[0]!).type, 'sync.failed');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await h.call('GET', '/v1/health')).status, 200);
    assert.equal(r.requests.length, 1, 'one failed run, not one per poll');
    assert.equal((await h.call('GET', '/v1/connectors/no-creds-pending/sync/events', { key: admin })).body.total, 1);
  });

  it('a webhook sees only its own connector, and a deleted one gets nothing more', { timeout: 30_000 }, async () => {
    await h.connector('watched');
    await h.connector('unwatched');
    const r = await receiver();
    const { id, secret } = await subscribe('watched', r.url, ['sync.completed']);
    assert.equal((await post('unwatched', [{ entity: 'product', op: 'upsert', ref: 'A', data: { title: 'A' } }])).status, 202);
    assert.equal((await post('watched', [{ entity: 'product', op: 'upsert', ref: 'B', data: { title: 'B' } }])).status, 202);
    await eventually(async () => r.requests.length > 0, 20_000, 'a webhook');
    // The unwatched connector's run has ended too by now, or ends soon: give it a moment.
    await eventually(async () => {
      const events = await h.call('GET', '/v1/connectors/unwatched/sync/events', { key: admin });
      return events.body.items.some((e: { status: string }) => e.status === 'completed');
    }, 20_000, 'the other run');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      r.requests.map((q) => verified(secret, q).data.connectorId),
      ['watched'],
    );

    const gone = await h.call('DELETE', `/v1/connectors/watched/webhooks/${id}`, { key: admin });
    assert.equal(gone.status, 204);
    assert.equal((await h.call('GET', `/v1/connectors/watched/webhooks/${id}/deliveries`, { key: admin })).status, 404);
    assert.equal((await post('watched', [{ entity: 'product', op: 'upsert', ref: 'C', data: { title: 'C' } }])).status, 202);
    await eventually(async () => {
      const events = await h.call('GET', '/v1/connectors/watched/sync/events', { key: admin });
      return events.body.items.filter((e: { status: string }) => e.status === 'completed').length === 2;
    }, 20_000, 'the second run');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(r.requests.length, 1);
  });
});
