/**
 * The writing half of webhooks: turns a fact into one delivery per subscribed webhook, stored
 * as `pending` in the ServerStore's outbox. Sending is the WebhookDispatcher's job, in this
 * process or another: the outbox only writes, so a fact is never lost to a receiver that is
 * down, and a crash between the fact and the send only delays it.
 */
import { randomBytes } from 'node:crypto';
import type { DeliveryRecord, ServerStore } from '../store/types.js';
import { messagesFor, payloadOf, type WebhookFact } from './messages.js';

/** A source of epoch milliseconds. */
export interface WebhookClock {
  now(): number;
}

export interface WebhookOutboxOptions {
  store: ServerStore;
  /** Default `Date`. */
  clock?: WebhookClock;
  /** Message ids (`webhook-id`); default {@link newMessageId}. Must contain no `.` (the signed content is `id.timestamp.body`). */
  newId?: () => string;
}

/** A message id: `msg_` + 16 random bytes, base64url (no `.`, safe in a header). */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * Records deliveries for the engine's facts. Subscriptions are read from the store on every
 * fact that produces a message (no cache: a webhook created or deleted a moment ago is
 * honoured at once, and facts that produce a message are few: a handful per run).
 */
export class WebhookOutbox {
  readonly #store: ServerStore;
  readonly #clock: WebhookClock;
  readonly #newId: () => string;

  constructor(options: WebhookOutboxOptions) {
    this.#store = options.store;
    this.#clock = options.clock ?? Date;
    this.#newId = options.newId ?? newMessageId;
  }

  /**
   * Stores one pending delivery, due now, for every webhook of the fact's connector that
   * subscribes to a message the fact produces; answers them (empty when none), so that the
   * caller can wake a dispatcher. The payload stored is the exact JSON that is signed and sent,
   * the same for every webhook; each delivery has its own message id.
   */
  async record(fact: WebhookFact): Promise<DeliveryRecord[]> {
    const messages = messagesFor(fact);
    if (messages.length === 0) return [];
    const webhooks = await this.#store.listWebhooks(fact.connectorId);
    if (webhooks.length === 0) return [];

    const now = this.#clock.now();
    const deliveries: DeliveryRecord[] = [];
    for (const message of messages) {
      const payload = payloadOf(message);
      for (const webhook of webhooks) {
        if (!webhook.events.includes(message.type)) continue;
        deliveries.push({
          id: this.#newId(),
          webhookId: webhook.id,
          connectorId: fact.connectorId,
          type: message.type,
          payload,
          createdAt: now,
          state: 'pending',
          nextAttemptAt: now,
          attempts: [],
        });
      }
    }
    if (deliveries.length > 0) await this.#store.addDeliveries(deliveries);
    return deliveries;
  }
}
