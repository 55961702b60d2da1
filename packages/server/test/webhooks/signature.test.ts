import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signPayload, verifySignature } from '../../src/webhooks/signature.js';

// The vector of the spec's reference libraries ("sign function works",
// standard-webhooks/libraries/javascript/src/webhook.test.ts, same in the other languages).
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

test('signPayload reproduces the Standard Webhooks reference vector', () => {
  assert.equal(signPayload(SPEC.secret, SPEC.msgId, SPEC.timestamp, SPEC.body), SPEC.signature);
  // Without the prefix, as the reference libraries accept it.
  assert.equal(signPayload(SPEC.secret.slice('whsec_'.length), SPEC.msgId, SPEC.timestamp, SPEC.body), SPEC.signature);
});

test('signPayload equals an HMAC computed independently with node:crypto', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ type: 'sync.completed', timestamp: '2026-12-01T10:00:00.000Z', data: { n: 'é ✓' } });
  const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64')).update(`msg_abc.1764583200.${body}`, 'utf8').digest('base64');
  assert.equal(signPayload(secret, 'msg_abc', 1764583200, body), `v1,${expected}`);
  assert.equal(signPayload(secret, 'msg_abc', 1764583200, Buffer.from(body, 'utf8')), `v1,${expected}`);
});

test('newWebhookSecret is whsec_ and base64 of 32 random bytes', () => {
  const a = newWebhookSecret();
  assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
  assert.notEqual(a, newWebhookSecret());
});

test('signPayload refuses a secret that is not base64 of 24 to 64 bytes, without quoting it', () => {
  for (const bad of ['', 'whsec_', 'whsec_c2hvcnQ=', 'whsec_not base64 at all!!!!!!!!!!!!!!!', `whsec_${Buffer.alloc(65).toString('base64')}`]) {
    assert.throws(
      () => signPayload(bad, 'msg_1', 1, '{}'),
      (err: unknown) => err instanceof TypeError && (bad.length < 8 || !err.message.includes(bad)),
    );
  }
});

test('signPayload refuses a message id with a dot and a timestamp that is not whole seconds', () => {
  assert.throws(() => signPayload(SPEC.secret, 'msg.1', 1, '{}'), TypeError);
  assert.throws(() => signPayload(SPEC.secret, '', 1, '{}'), TypeError);
  assert.throws(() => signPayload(SPEC.secret, 'msg_1', 1.5, '{}'), TypeError);
});

const now = SPEC.timestamp * 1000;
const valid = { secret: SPEC.secret, msgId: SPEC.msgId, timestamp: String(SPEC.timestamp), signature: SPEC.signature, body: SPEC.body, now };

test('verifySignature accepts the reference vector, with the timestamp as sent or parsed', () => {
  assert.equal(verifySignature(valid), true);
  assert.equal(verifySignature({ ...valid, timestamp: SPEC.timestamp }), true);
  assert.equal(verifySignature({ ...valid, body: Buffer.from(SPEC.body) }), true);
});

test('verifySignature rejects a changed body, id or timestamp', () => {
  assert.equal(verifySignature({ ...valid, body: '{"test": 2432232315}' }), false);
  assert.equal(verifySignature({ ...valid, body: `${SPEC.body} ` }), false);
  assert.equal(verifySignature({ ...valid, msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJeK' }), false);
  assert.equal(verifySignature({ ...valid, timestamp: String(SPEC.timestamp + 1) }), false);
});

test('verifySignature rejects a wrong secret', () => {
  assert.equal(verifySignature({ ...valid, secret: newWebhookSecret() }), false);
});

test('verifySignature rejects a timestamp outside the tolerance, either way', () => {
  assert.equal(verifySignature({ ...valid, now: now + 300_000 }), true);
  assert.equal(verifySignature({ ...valid, now: now + 301_000 }), false);
  assert.equal(verifySignature({ ...valid, now: now - 301_000 }), false);
  assert.equal(verifySignature({ ...valid, now: now + 3_600_000, toleranceSeconds: 3_600 }), true);
});

test('verifySignature accepts a list where any v1 signature matches, and nothing else', () => {
  const other = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
  assert.equal(verifySignature({ ...valid, signature: `${other} v1a,${SPEC.signature.slice(3)} ${SPEC.signature}` }), true);
  assert.equal(verifySignature({ ...valid, signature: `${other} v1a,${SPEC.signature.slice(3)}` }), false);
  assert.equal(verifySignature({ ...valid, signature: `v2,${SPEC.signature.slice(3)}` }), false);
  for (const malformed of ['', 'v1,', 'v1', SPEC.signature.slice(0, 8), 'v1,!!!!', `v1,${SPEC.signature.slice(3, -2)}`]) {
    assert.equal(verifySignature({ ...valid, signature: malformed }), false, malformed);
  }
  for (const timestamp of ['', 'hello', '1614265330.0', '-1', ' 1614265330']) {
    assert.equal(verifySignature({ ...valid, timestamp }), false, timestamp);
  }
});

test('the official standardwebhooks verifier accepts what signPayload signs, and refuses tampering', () => {
  for (let i = 0; i < 20; i++) {
    const secret = newWebhookSecret();
    const msgId = `msg_${i}_${Math.random().toString(36).slice(2)}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'items.failed', timestamp: new Date().toISOString(), data: { i, text: 'ünïcödé "quoted" \u2028' } });
    const headers = { 'webhook-id': msgId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signPayload(secret, msgId, timestamp, body) };
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
    assert.equal(new Webhook(secret).sign(msgId, new Date(timestamp * 1000), body), headers['webhook-signature']);
    assert.throws(() => new Webhook(secret).verify(`${body} `, headers), WebhookVerificationError);
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, headers), WebhookVerificationError);
  }
});

test('verifySignature accepts what the official library signs', () => {
  const secret = newWebhookSecret();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = new Webhook(secret).sign('msg_official', new Date(timestamp * 1000), '{"a":1}');
  assert.equal(verifySignature({ secret, msgId: 'msg_official', timestamp: String(timestamp), signature, body: '{"a":1}' }), true);
});
