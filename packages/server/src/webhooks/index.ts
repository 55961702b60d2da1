/**
 * Outgoing webhooks, signed as Standard Webhooks: facts → messages (messages.ts) → an outbox of
 * deliveries in the ServerStore (outbox.ts) → signed POSTs with retries (dispatcher.ts).
 */
export { newWebhookSecret, signPayload, verifySignature, secretKey, SECRET_PREFIX, DEFAULT_TOLERANCE_SECONDS } from './signature.js';
export type { VerifyInput } from './signature.js';
export { messagesFor, payloadOf, MAX_GENERAL_ERRORS, MAX_ERROR_MESSAGE } from './messages.js';
export type { WebhookFact, WebhookMessage, WebhookEventData, WebhookGeneralError } from './messages.js';
export { WebhookOutbox, newMessageId } from './outbox.js';
export type { WebhookOutboxOptions, WebhookClock } from './outbox.js';
export { WebhookDispatcher, WEBHOOK_USER_AGENT, MAX_ATTEMPT_ERROR } from './dispatcher.js';
export type { WebhookDispatcherOptions, WebhookLogger } from './dispatcher.js';
export { DEFAULT_RETRY_SCHEDULE_MS, DEFAULT_RETRY_JITTER, nextRetryDelay, checkRetrySchedule } from './retry.js';
