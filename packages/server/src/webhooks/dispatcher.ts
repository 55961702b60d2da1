/**
 * The sending half of webhooks: claims due deliveries from the ServerStore's outbox, POSTs them
 * signed as Standard Webhooks, and records each attempt. Any number of dispatchers (processes)
 * may share one store: a delivery is claimed by one at a time (`claimDeliveries`), and the
 * claim outlasts an attempt, so no message is sent twice at once. Delivery is at least once: a
 * dispatcher that dies after sending but before recording leaves the claim to expire, and the
 * message is sent again with the same `webhook-id` (receivers dedupe on it, as the spec says).
 *
 * Outcomes (https://github.com/standard-webhooks/standard-webhooks, "Delivery success and failure"):
 * - 2xx: succeeded.
 * - Any other status (3xx too: redirects are not followed), no answer, or no answer within
 *   `timeoutMs`: tried again after the next delay of the schedule, or failed once it is used up.
 *   `410 Gone` is treated like the others (the spec suggests disabling the endpoint; here it
 *   fails its schedule like any endpoint that refuses, and the ERP deletes the webhook).
 *   `Retry-After` is not followed.
 * - The webhook was deleted, or its URL is not http(s): failed at once, without a request.
 *
 * Privacy: the secret is opened for each attempt and forgotten; it and the signature are never
 * logged nor stored. Response bodies are discarded unread: an attempt keeps its status and
 * duration, or a short error text when no answer came.
 */
import { performance } from 'node:perf_hooks';
import type { DeliveryAttempt, DeliveryRecord, ServerStore } from '../store/types.js';
import type { WebhookClock } from './outbox.js';
import { checkRetrySchedule, DEFAULT_RETRY_JITTER, DEFAULT_RETRY_SCHEDULE_MS, nextRetryDelay } from './retry.js';
import { signPayload } from './signature.js';

/** The part of a pino logger the dispatcher uses. */
export interface WebhookLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface WebhookDispatcherOptions {
  store: ServerStore;
  /** Names this dispatcher's claims in the store; unique per process. */
  workerId: string;
  /** Opens a webhook's sealed secret (SecretBox, bound to the webhook) into `whsec_…`. */
  openSecret: (sealed: string, webhookId: string) => Promise<string>;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Delay before each attempt (the first is due when recorded); default {@link DEFAULT_RETRY_SCHEDULE_MS}. Its length is the number of attempts. */
  retryScheduleMs?: readonly number[];
  /** A retry comes up to this fraction of its delay later (default 0.1); 0 for none. */
  retryJitter?: number;
  /** Time for the receiver to answer (default 15 s, within the spec's 15–30 s). */
  timeoutMs?: number;
  /** Attempts in flight at once (default 8). */
  concurrency?: number;
  /** Time between looks at the outbox when nothing wakes the dispatcher (default 1 s). */
  pollMs?: number;
  /** How long a claim lasts (default 60 s); at least twice `timeoutMs`, so that a claim outlives its attempt. */
  leaseMs?: number;
  logger?: WebhookLogger;
  /** Default `Date`. */
  clock?: WebhookClock;
}

/** The `user-agent` of every attempt. */
export const WEBHOOK_USER_AGENT = 'shopsync-webhooks/1';
/** The longest error text an attempt records. */
export const MAX_ATTEMPT_ERROR = 300;

/** What one attempt came to, before it is recorded. */
interface Outcome {
  status?: number;
  error?: string;
  durationMs: number;
  /** Not worth trying again (the webhook is gone, its URL unusable). */
  final?: boolean;
}

const NO_LOG: WebhookLogger = { info: () => {}, warn: () => {} };

/** Sends the outbox's deliveries; `start()` it once per process, `stop()` it on shutdown. */
export class WebhookDispatcher {
  readonly #store: ServerStore;
  readonly #worker: string;
  readonly #openSecret: (sealed: string, webhookId: string) => Promise<string>;
  readonly #fetch: typeof fetch;
  readonly #schedule: readonly number[];
  readonly #jitter: number;
  readonly #timeoutMs: number;
  readonly #concurrency: number;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #log: WebhookLogger;
  readonly #clock: WebhookClock;

  #running = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The claim in progress, if any: one at a time. */
  #polling: Promise<void> | undefined;
  /** Poll again as soon as the current claim ends (woken meanwhile, or the last claim was full). */
  #again = false;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: WebhookDispatcherOptions) {
    this.#store = options.store;
    this.#worker = options.workerId;
    this.#openSecret = options.openSecret;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#schedule = [...(options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS)];
    this.#jitter = options.retryJitter ?? DEFAULT_RETRY_JITTER;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#concurrency = options.concurrency ?? 8;
    this.#pollMs = options.pollMs ?? 1_000;
    this.#leaseMs = options.leaseMs ?? 60_000;
    this.#log = options.logger ?? NO_LOG;
    this.#clock = options.clock ?? Date;
    checkRetrySchedule(this.#schedule);
    if (!Number.isInteger(this.#concurrency) || this.#concurrency < 1) throw new RangeError('concurrency must be a whole number of at least 1.');
    if (!(this.#timeoutMs > 0) || !(this.#pollMs > 0)) throw new RangeError('timeoutMs and pollMs must be positive numbers of milliseconds.');
    if (!(this.#leaseMs >= 2 * this.#timeoutMs)) {
      throw new RangeError(`leaseMs (${this.#leaseMs}) must be at least twice timeoutMs (${this.#timeoutMs}), or a claim could end while its attempt still waits and another dispatcher send the message again.`);
    }
  }

  /** Starts polling the outbox (at once, then every `pollMs` and whenever woken). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.wake();
  }

  /** Looks at the outbox now, e.g. after the outbox recorded deliveries. Ignored when stopped. */
  wake(): void {
    if (!this.#running) return;
    if (this.#polling) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#again = false;
    this.#polling = this.#poll().finally(() => {
      this.#polling = undefined;
      if (!this.#running) return;
      if (this.#again) this.wake();
      else this.#timer = setTimeout(() => this.wake(), this.#pollMs);
    });
  }

  /** Stops claiming; resolves once the attempts in flight have finished and been recorded. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // A claim in progress still starts what it claimed: leaving it claimed would delay it by a lease.
    await this.#polling;
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  async #poll(): Promise<void> {
    const free = this.#concurrency - this.#inFlight.size;
    if (free <= 0) return; // an attempt that ends wakes the dispatcher
    let batch: DeliveryRecord[];
    try {
      batch = await this.#store.claimDeliveries({ worker: this.#worker, now: this.#clock.now(), leaseMs: this.#leaseMs, limit: free });
    } catch (err) {
      this.#log.warn({ worker: this.#worker, error: describe(err) }, 'Could not claim webhook deliveries; trying again at the next poll.');
      return;
    }
    for (const delivery of batch) {
      const attempt: Promise<void> = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(attempt);
        this.wake();
      });
      this.#inFlight.add(attempt);
    }
    if (batch.length === free) this.#again = true; // more may be due
  }

  /** One attempt of a claimed delivery, recorded. Never rejects. */
  async #deliver(delivery: DeliveryRecord): Promise<void> {
    const at = this.#clock.now();
    let outcome: Outcome;
    try {
      outcome = await this.#attempt(delivery, at);
    } catch (err) {
      outcome = { error: short(`Unexpected error: ${describe(err)}`), durationMs: 0 };
    }
    const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status <= 299;
    const attempt: DeliveryAttempt = { at, durationMs: outcome.durationMs };
    if (outcome.status !== undefined) attempt.status = outcome.status;
    if (outcome.error !== undefined) attempt.error = outcome.error;

    const attempts = delivery.attempts.length + 1;
    const delay = ok || outcome.final ? undefined : nextRetryDelay(this.#schedule, attempts, this.#jitter);
    const next = ok ? ({ state: 'succeeded' } as const) : delay === undefined ? ({ state: 'failed' } as const) : ({ state: 'pending', nextAttemptAt: this.#clock.now() + delay } as const);
    const fields = { worker: this.#worker, deliveryId: delivery.id, webhookId: delivery.webhookId, connectorId: delivery.connectorId, type: delivery.type, attempt: attempts, ...attempt, state: next.state };

    try {
      const held = await this.#store.recordAttempt(delivery.id, this.#worker, attempt, next);
      if (!held) this.#log.warn(fields, 'Webhook attempt not recorded: the claim had ended; another dispatcher may send the message again.');
      else if (ok) this.#log.info(fields, 'Webhook delivered.');
      else this.#log.warn(fields, next.state === 'failed' ? 'Webhook delivery failed; no attempts left.' : 'Webhook attempt failed; it will be tried again.');
    } catch (err) {
      this.#log.warn({ ...fields, recordError: describe(err) }, 'Could not record a webhook attempt; the message will be sent again when its claim ends.');
    }
  }

  async #attempt(delivery: DeliveryRecord, at: number): Promise<Outcome> {
    const webhook = await this.#store.getWebhook(delivery.webhookId);
    if (!webhook) return { error: 'The webhook no longer exists.', durationMs: 0, final: true };
    const url = httpUrl(webhook.url);
    if (!url) return { error: 'The webhook URL is not an http or https URL.', durationMs: 0, final: true };

    let secret: string;
    try {
      secret = await this.#openSecret(webhook.sealedSecret, webhook.id);
    } catch {
      // The reason stays unsaid: it might quote what it could not open.
      return { error: 'The webhook secret could not be opened.', durationMs: 0 };
    }
    const timestamp = Math.floor(at / 1000);
    const signature = signPayload(secret, delivery.id, timestamp, delivery.payload);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    const started = performance.now();
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': WEBHOOK_USER_AGENT,
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature,
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: controller.signal,
      });
      const durationMs = Math.round(performance.now() - started);
      // Unread (privacy); cancelled so that the connection is freed.
      await response.body?.cancel().catch(() => {});
      if (response.status >= 300 && response.status <= 399) return { status: response.status, error: 'Redirects are not followed: register the final URL.', durationMs };
      return { status: response.status, durationMs };
    } catch (err) {
      const durationMs = Math.round(performance.now() - started);
      const text = controller.signal.aborted ? `No answer within ${this.#timeoutMs} ms.` : describe(err);
      return { error: short(redact(text, [signature, secret])), durationMs };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The URL when it is http(s), else undefined (the API validates too; a stored record may predate a rule). */
function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** An error as one line: fetch's `fetch failed` says little without its cause (`connect ECONNREFUSED …`). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause.message || (err.cause as { code?: string }).code : undefined;
  return cause ? `${err.message}: ${cause}` : err.message;
}

function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  return out;
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ATTEMPT_ERROR ? `${line.slice(0, MAX_ATTEMPT_ERROR - 1)}…` : line;
}
