/**
 * Standard Webhooks signatures, symmetric scheme (HMAC-SHA256, signature identifier `v1`):
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 *
 * The signed content is `${msgId}.${timestamp}.${body}`, keyed with the base64-decoded secret
 * (shown to people as `whsec_<base64>`), and sent as `webhook-signature: v1,<base64>`. The
 * header is a space-separated list so that a secret can be rotated without downtime; a
 * receiver accepts the message if any `v1` signature matches.
 *
 * Node's crypto only: this module runs in the service, never in a browser.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The prefix of a symmetric Standard Webhooks secret. */
export const SECRET_PREFIX = 'whsec_';

/** Default tolerance between a message's timestamp and the receiver's clock, either way (the spec's libraries use 5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** The spec asks for at least 24 random bytes (192 bits) and at most 64 (512 bits). */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** HMAC-SHA256 output length. */
const SIGNATURE_BYTES = 32;

/** A new signing secret: `whsec_` + base64 of 32 random bytes. Shown once to whoever registers the webhook; stored sealed. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The key bytes of a secret, with or without its `whsec_` prefix (as the official libraries
 * accept it). Throws a TypeError, which never quotes the secret, when it is not base64 of 24 to
 * 64 bytes.
 */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  // Buffer.from(…, 'base64') silently skips characters it does not know: check the alphabet first.
  const key = BASE64.test(encoded) && encoded.length % 4 === 0 ? Buffer.from(encoded, 'base64') : undefined;
  if (!key || key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new TypeError(`A webhook secret must be "${SECRET_PREFIX}" followed by base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes; create one with newWebhookSecret().`);
  }
  return key;
}

function checkMeta(msgId: string, timestampSeconds: number): void {
  // A `.` in the id would let one signed content be read as another (the spec's warning).
  if (msgId.length === 0 || msgId.includes('.')) throw new TypeError('A webhook message id must be non-empty and contain no ".".');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new TypeError('A webhook timestamp must be whole seconds since the epoch.');
}

function hmac(key: Buffer, msgId: string, timestampSeconds: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.`).update(body).digest();
}

/**
 * The `webhook-signature` value of a message: `v1,<base64 HMAC-SHA256>` over
 * `${msgId}.${timestampSeconds}.${body}`. `body` must be exactly the bytes that are sent.
 */
export function signPayload(secret: string, msgId: string, timestampSeconds: number, body: string | Uint8Array): string {
  checkMeta(msgId, timestampSeconds);
  return `v1,${hmac(secretKey(secret), msgId, timestampSeconds, body).toString('base64')}`;
}

/** What a receiver got: the three `webhook-*` headers and the raw body. */
export interface VerifyInput {
  secret: string;
  /** `webhook-id`. */
  msgId: string;
  /** `webhook-timestamp`: whole seconds since the epoch, as sent (a string) or parsed. */
  timestamp: string | number;
  /** `webhook-signature`: one or more `v<n>,<base64>` separated by spaces. */
  signature: string;
  /** The raw body, never a re-serialized parse of it. */
  body: string | Uint8Array;
  /** The receiver's clock, epoch ms (default `Date.now()`). */
  now?: number;
  /** Accepted distance between `timestamp` and `now`, either way (default 300 s). */
  toleranceSeconds?: number;
}

/**
 * True when one of the `v1` signatures in the header matches and the timestamp is within
 * tolerance of `now`. Comparisons are constant-time; signatures of other schemes (`v1a`, …)
 * are skipped. A malformed header, id or timestamp answers false; only an unusable secret
 * throws (a configuration error, not a forged message).
 */
export function verifySignature(input: VerifyInput): boolean {
  const key = secretKey(input.secret);
  const timestamp = typeof input.timestamp === 'number' ? input.timestamp : /^\d{1,15}$/.test(input.timestamp) ? Number(input.timestamp) : NaN;
  if (!Number.isSafeInteger(timestamp) || input.msgId.length === 0 || input.msgId.includes('.')) return false;
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return false;

  const expected = hmac(key, input.msgId, timestamp, input.body);
  let matched = false;
  for (const part of input.signature.split(' ')) {
    const comma = part.indexOf(',');
    if (comma < 0 || part.slice(0, comma) !== 'v1') continue;
    const encoded = part.slice(comma + 1);
    if (!BASE64.test(encoded)) continue;
    const candidate = Buffer.from(encoded, 'base64');
    // timingSafeEqual needs equal lengths; the length of a signature is no secret.
    if (candidate.length === SIGNATURE_BYTES && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}
