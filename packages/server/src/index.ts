/**
 * shopsync as a service (`shopsync serve`): a REST API and a fleet worker for ERPs in any
 * language. Most users run the command; these exports embed it in a Node program, and check a
 * webhook delivery's signature in a receiver written in JavaScript.
 *
 * @packageDocumentation
 * @module @shopsync/server
 */

// Starts the service (API and/or worker by role); `close()` stops it gracefully.
export { startServer, openApiDocument, createLogger, VERSION } from './serve.js';
// What a running service exposes.
export type { RunningServer } from './serve.js';
// The configuration from flags and environment variables, validated (errors name the variable).
export { readConfig, ConfigError, ENV } from './config/config.js';
// The validated configuration.
export type { ServerConfig, DatabaseTarget, Role } from './config/config.js';
// Checks a webhook delivery's signature (Standard Webhooks), for a receiver written in JavaScript.
export { verifySignature } from './webhooks/signature.js';
// The webhook event types and what a delivery's payload carries.
export type { WebhookEventType } from './store/types.js';
export type { WebhookEventData } from './webhooks/messages.js';
