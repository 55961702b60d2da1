import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { MemoryServerStore } from '../../src/store/memory-store.js';
import type { DeliveryRecord, WebhookEventType } from '../../src/store/types.js';
import { WebhookDispatcher, type WebhookDispatcherOptions } from '../../src/webhooks/dispatcher.js';
import { WebhookOutbox } from '../../src/webhooks/outbox.js';
import { newWebhookSecret, signPayload, verifySignature } from '../../src/webhooks/signature.js';
import { syncEvent } from './fixtures.js';
import { deferred, flatHeaders, startReceiver, waitFor, type Receiver } from './receiver.js';

const ALL: WebhookEventType[] = ['sync.completed', 'sync.failed', 'sync.paused', 'items.failed'];
const openSecret = async (sealed: string): Promise<string> => {
  if (!sealed.startsWith('sealed:')) throw new Error(`cannot open ${sealed}`);
  return sealed.slice('sealed:'.length);
};
const completed = (id = 'evt_1') => ({ kind: 'statusChanged', connectorId: 'acme', event: syncEvent({ id, status: 'completed', endedAt: '2026-12-01T10:05:00.000Z' }) }) as const;

interface Harness {
  store: MemoryServerStore;
  secret: string;
  outbox: WebhookOutbox;
  logs: { level: string; obj: Record<string, unknown>; msg: string }[];
  dispatcher(options?: Partial<WebhookDispatcherOptions>): WebhookDispatcher;
  delivery(id: string): Promise<DeliveryRecord>;
}

/** A store with one webhook of `acme` pointing at `url`, and dispatchers stopped when the test ends. */
async function harness(t: TestContext, url: string, receiver?: Receiver): Promise<Harness> {
  const store = new MemoryServerStore();
  const secret = newWebhookSecret();
  await store.createWebhook({ id: 'wh_1', connectorId: 'acme', url, events: ALL, sealedSecret: `sealed:${secret}`, createdAt: Date.now() });
  const logs: Harness['logs'] = [];
  const logger = { info: (obj: Record<string, unknown>, msg: string) => logs.push({ level: 'info', obj, msg }), warn: (obj: Record<string, unknown>, msg: string) => logs.push({ level: 'warn', obj, msg }) };
  const dispatchers: WebhookDispatcher[] = [];
  t.after(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await receiver?.close();
  });
  let n = 0;
  return {
    store,
    secret,
    outbox: new WebhookOutbox({ store }),
    logs,
    dispatcher(options = {}) {
      const d = new WebhookDispatcher({ store, workerId: `worker-${++n}`, openSecret, retryScheduleMs: [0, 50, 100], pollMs: 10, logger, ...options });
      dispatchers.push(d);
      return d;
    },
    delivery: async (id) => (await store.getDelivery(id))!,
  };
}

const settled = (d: DeliveryRecord | undefined): boolean => d !== undefined && d.state !== 'pending';

test('500, 500, then 200: three signed attempts with one message id, then succeeded', async (t) => {
  const receiver = await startReceiver((n) => (n <= 2 ? 500 : 200));
  const h = await harness(t, receiver.url, receiver);
  const [recorded] = await h.outbox.record(completed());
  h.dispatcher().start();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'succeeded');
  assert.deepEqual(
    delivery.attempts.map((a) => a.status),
    [500, 500, 200],
  );
  assert.ok(delivery.attempts.every((a) => a.error === undefined && a.durationMs >= 0 && a.at >= delivery.createdAt));
  assert.equal(receiver.requests.length, 3);
  for (const { headers, body } of receiver.requests) {
    assert.equal(headers['webhook-id'], recorded!.id);
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['user-agent'], 'shopsync-webhooks/1');
    assert.match(String(headers['webhook-timestamp']), /^\d+$/);
    assert.equal(body, recorded!.payload);
    assert.ok(verifySignature({ secret: h.secret, msgId: String(headers['webhook-id']), timestamp: String(headers['webhook-timestamp']), signature: String(headers['webhook-signature']), body }));
    // What an ERP's own verifier (the official library) says.
    assert.deepEqual(new Webhook(h.secret).verify(body, flatHeaders(headers)), JSON.parse(recorded!.payload));
  }
  // Neither the secret nor a signature reaches the logs or the store.
  const said = JSON.stringify(h.logs) + JSON.stringify(delivery);
  assert.equal(said.includes(h.secret.slice(6)), false);
  for (const { headers } of receiver.requests) assert.equal(said.includes(String(headers['webhook-signature']).slice(3)), false);
  assert.equal(said.includes('private answer'), false);
});

test('a receiver that never answers 2xx: failed once the schedule is used up', async (t) => {
  const receiver = await startReceiver(() => 503);
  const h = await harness(t, receiver.url, receiver);
  const [recorded] = await h.outbox.record(completed());
  h.dispatcher().start();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'failed');
  assert.deepEqual(
    delivery.attempts.map((a) => a.status),
    [503, 503, 503],
  );
  assert.equal(delivery.nextAttemptAt, undefined);
  assert.equal(receiver.requests.length, 3);
  assert.ok(h.logs.some((l) => l.level === 'warn' && l.obj.state === 'failed'));
});

test('a hanging receiver hits the timeout: the attempt records no status and a short error', async (t) => {
  const receiver = await startReceiver(() => new Promise<number>(() => {}));
  const h = await harness(t, receiver.url, receiver);
  const [recorded] = await h.outbox.record(completed());
  h.dispatcher({ timeoutMs: 100, retryScheduleMs: [0] }).start();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'failed');
  assert.equal(delivery.attempts.length, 1);
  assert.equal(delivery.attempts[0]?.status, undefined);
  assert.equal(delivery.attempts[0]?.error, 'No answer within 100 ms.');
});

test('an unreachable receiver: the error is short and holds no signature', async (t) => {
  // A port that was free a moment ago: nothing listens there now.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const h = await harness(t, `http://127.0.0.1:${port}/hook`);
  const [recorded] = await h.outbox.record(completed());
  h.dispatcher({ retryScheduleMs: [0, 0] }).start();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'failed');
  assert.equal(delivery.attempts.length, 2);
  for (const attempt of delivery.attempts) {
    assert.equal(attempt.status, undefined);
    assert.match(attempt.error ?? '', /ECONNREFUSED/);
    assert.ok((attempt.error ?? '').length <= 300);
    const signature = signPayload(h.secret, recorded!.id, Math.floor(attempt.at / 1000), recorded!.payload);
    assert.equal(attempt.error?.includes(signature.slice(3)), false);
  }
});

test('redirects are not followed: a 3xx is a failed attempt', async (t) => {
  const receiver = await startReceiver(() => 307);
  const h = await harness(t, receiver.url, receiver);
  const [recorded] = await h.outbox.record(completed());
  h.dispatcher({ retryScheduleMs: [0] }).start();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'failed');
  assert.equal(delivery.attempts[0]?.status, 307);
  assert.equal(receiver.requests.length, 1);
});

test('a URL that is not http(s), or a deleted webhook: failed at once, without a request', async (t) => {
  const h = await harness(t, 'ftp://erp.example.com/hook');
  const [bad] = await h.outbox.record(completed());
  await h.store.createWebhook({ id: 'wh_gone', connectorId: 'acme', url: 'http://127.0.0.1:9/never', events: ALL, sealedSecret: 'sealed:x', createdAt: Date.now() });
  const recorded = await h.outbox.record(completed('evt_2'));
  const gone = recorded.find((d) => d.webhookId === 'wh_gone')!;
  await h.store.deleteWebhook('wh_gone');
  h.dispatcher().start();

  await waitFor('both deliveries to settle', async () => settled(await h.store.getDelivery(bad!.id)) && settled(await h.store.getDelivery(gone.id)));
  assert.deepEqual((await h.delivery(bad!.id)).attempts.map((a) => [a.status, a.error]), [[undefined, 'The webhook URL is not an http or https URL.']]);
  assert.deepEqual((await h.delivery(gone.id)).attempts.map((a) => [a.status, a.error]), [[undefined, 'The webhook no longer exists.']]);
  assert.equal((await h.delivery(gone.id)).state, 'failed');
});

test('a secret that cannot be opened is retried like a failed attempt, and its reason is not recorded', async (t) => {
  const receiver = await startReceiver(() => 200);
  const h = await harness(t, receiver.url, receiver);
  const [recorded] = await h.outbox.record(completed());
  let calls = 0;
  h.dispatcher({
    openSecret: async (sealed) => {
      if (++calls === 1) throw new Error(`key ring unavailable for ${sealed}`);
      return openSecret(sealed);
    },
  }).start();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'succeeded');
  assert.deepEqual(delivery.attempts.map((a) => [a.status, a.error]), [[undefined, 'The webhook secret could not be opened.'], [200, undefined]]);
});

test('wake() sends at once what the outbox just recorded', async (t) => {
  const receiver = await startReceiver(() => 204);
  const h = await harness(t, receiver.url, receiver);
  const dispatcher = h.dispatcher({ pollMs: 600_000 });
  // start() claims at once (the outbox is empty then); the next poll would come in ten minutes.
  dispatcher.start();
  const [recorded] = await h.outbox.record(completed());
  dispatcher.wake();

  await waitFor('the delivery to settle', async () => settled(await h.store.getDelivery(recorded!.id)));
  assert.equal((await h.delivery(recorded!.id)).state, 'succeeded');
});

test('two dispatchers on one store never send one message twice at once, and each message is delivered', async (t) => {
  // Each message fails once, then succeeds: every message is claimed twice, by either dispatcher.
  const seen = new Set<string>();
  const receiver = await startReceiver(async (_n, request) => {
    await new Promise((resolve) => setTimeout(resolve, 15));
    const id = String(request.headers['webhook-id']);
    if (seen.has(id)) return 200;
    seen.add(id);
    return 500;
  });
  const h = await harness(t, receiver.url, receiver);
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) ids.push(...(await h.outbox.record(completed(`evt_${i}`))).map((d) => d.id));
  const options = { retryScheduleMs: [0, 0], retryJitter: 0, concurrency: 4, pollMs: 5 };
  h.dispatcher(options).start();
  h.dispatcher(options).start();

  await waitFor('every delivery to settle', async () => (await Promise.all(ids.map((id) => h.store.getDelivery(id)))).every(settled));
  assert.equal(receiver.maxConcurrentPerId, 1);
  assert.equal(receiver.requests.length, 60);
  for (const id of ids) {
    const d = await h.delivery(id);
    assert.equal(d.state, 'succeeded');
    assert.deepEqual(
      d.attempts.map((a) => a.status),
      [500, 200],
    );
  }
  // Both took part: each claimed its first four at start, before any other poll.
  assert.deepEqual(new Set(h.logs.map((l) => l.obj.worker)), new Set(['worker-1', 'worker-2']));
});

test('stop() waits for an attempt in flight, which is recorded', async (t) => {
  const arrived = deferred();
  const release = deferred<number>();
  const receiver = await startReceiver(() => {
    arrived.resolve();
    return release.promise;
  });
  const h = await harness(t, receiver.url, receiver);
  const [recorded] = await h.outbox.record(completed());
  const dispatcher = h.dispatcher();
  dispatcher.start();
  await arrived.promise;

  let stopped = false;
  const stopping = dispatcher.stop().then(() => (stopped = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stopped, false, 'stop() resolved while an attempt was in flight');
  assert.equal((await h.delivery(recorded!.id)).attempts.length, 0);
  release.resolve(200);
  await stopping;

  const delivery = await h.delivery(recorded!.id);
  assert.equal(delivery.state, 'succeeded');
  assert.deepEqual(
    delivery.attempts.map((a) => a.status),
    [200],
  );
});

test('the options are checked: a claim must outlive its attempt', () => {
  const store = new MemoryServerStore();
  assert.throws(() => new WebhookDispatcher({ store, workerId: 'w', openSecret, timeoutMs: 30_000, leaseMs: 45_000 }), /leaseMs/);
  assert.throws(() => new WebhookDispatcher({ store, workerId: 'w', openSecret, retryScheduleMs: [] }), /retryScheduleMs/);
  assert.throws(() => new WebhookDispatcher({ store, workerId: 'w', openSecret, concurrency: 0 }), /concurrency/);
});
