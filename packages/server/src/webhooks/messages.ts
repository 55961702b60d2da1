/**
 * From the engine's facts to webhook messages: pure functions, no I/O, no clock.
 *
 * | fact                                         | message          |
 * | -------------------------------------------- | ---------------- |
 * | status became `completed`                    | `sync.completed` |
 * | status became `error` (the run could not start or go on) | `sync.failed` |
 * | status became `paused` (the connector was disabled) | `sync.paused` |
 * | an iteration ended with failed items         | `items.failed`   |
 * | status `in_progress`, iteration without failures | none         |
 *
 * Payloads are thin (Standard Webhooks' "thin payload"): ids, status, times and counts, and the
 * run's general errors as code and message. Never a secret, never an item's data: a receiver
 * that wants more asks the REST API with the `eventId`.
 */
import { totalOf, type EntityCounts, type GeneralError, type Iteration, type SyncEvent } from '@shopsync/core';
import { zeroCounts } from '@shopsync/core/internal';
import type { WebhookEventType } from '../store/types.js';

/** What the engine told: a sync event changed status, or one of its iterations ended. */
export type WebhookFact =
  | { kind: 'statusChanged'; connectorId: string; event: SyncEvent }
  | { kind: 'iterationCompleted'; connectorId: string; event: SyncEvent; iteration: Iteration };

/** A general error of the run as a receiver sees it. */
export interface WebhookGeneralError {
  code: GeneralError['code'];
  message: string;
  /** Present for warnings (the run was not harmed); absent for errors. */
  severity?: 'warning';
}

/** The `data` of every message: a summary of the sync event. */
export interface WebhookEventData {
  connectorId: string;
  eventId: string;
  status: SyncEvent['status'];
  trigger: SyncEvent['trigger'];
  startedAt: string;
  endedAt?: string;
  /** Items still waiting, per entity. */
  pending: EntityCounts;
  /** Summed over the event's iterations so far. */
  synced: EntityCounts;
  failed: EntityCounts;
  /** At most 20 (`MAX_GENERAL_ERRORS`), the most recent, each message cut at 500 characters (`MAX_ERROR_MESSAGE`). */
  generalErrors: WebhookGeneralError[];
  /** `items.failed` only: the iteration that ended with failures. */
  iteration?: { index: number; startedAt: string; endedAt: string; failed: EntityCounts };
}

/** One message, before it is serialized (`payloadOf`) and sent to every subscribed webhook. */
export interface WebhookMessage {
  type: WebhookEventType;
  /** When the fact happened (ISO 8601): not when a delivery is attempted. */
  timestamp: string;
  data: WebhookEventData;
}

/** Bounds that keep a payload small (the spec recommends under 20 kB). */
export const MAX_GENERAL_ERRORS = 20;
export const MAX_ERROR_MESSAGE = 500;

/** The messages a fact produces: zero or one today, a list so that a fact may produce more. */
export function messagesFor(fact: WebhookFact): WebhookMessage[] {
  const { event } = fact;
  if (fact.kind === 'iterationCompleted') {
    const { iteration } = fact;
    if (totalOf(iteration.failed) === 0) return [];
    return [
      {
        type: 'items.failed',
        timestamp: iteration.endedAt,
        data: {
          ...summary(fact.connectorId, event, iteration),
          iteration: { index: iteration.index, startedAt: iteration.startedAt, endedAt: iteration.endedAt, failed: counts(iteration.failed) },
        },
      },
    ];
  }
  const type = STATUS_TYPES[event.status];
  if (!type) return [];
  return [{ type, timestamp: happenedAt(event), data: summary(fact.connectorId, event) }];
}

/** The exact JSON sent and signed: `{"type", "timestamp", "data"}`, minified. */
export function payloadOf(message: WebhookMessage): string {
  return JSON.stringify({ type: message.type, timestamp: message.timestamp, data: message.data });
}

const STATUS_TYPES: Record<SyncEvent['status'], WebhookEventType | undefined> = {
  in_progress: undefined,
  completed: 'sync.completed',
  error: 'sync.failed',
  paused: 'sync.paused',
};

/** When a status change happened, from the event alone: the latest pause, or the end. */
function happenedAt(event: SyncEvent): string {
  if (event.status === 'paused') return event.pausedAt.at(-1) ?? event.startedAt;
  return event.endedAt ?? event.generalErrors.at(-1)?.at ?? event.startedAt;
}

function summary(connectorId: string, event: SyncEvent, current?: Iteration): WebhookEventData {
  // The engine's snapshot already holds the iteration it reports; count it once either way.
  const iterations = current && !event.iterations.some((i) => i.index === current.index) ? [...event.iterations, current] : event.iterations;
  const data: WebhookEventData = {
    connectorId,
    eventId: event.id,
    status: event.status,
    trigger: event.trigger,
    startedAt: event.startedAt,
    pending: counts(event.pending),
    synced: total(iterations.map((i) => i.synced)),
    failed: total(iterations.map((i) => i.failed)),
    generalErrors: event.generalErrors.slice(-MAX_GENERAL_ERRORS).map(errorOf),
  };
  if (event.endedAt !== undefined) data.endedAt = event.endedAt;
  return data;
}

function errorOf(error: GeneralError): WebhookGeneralError {
  const message = error.message.length > MAX_ERROR_MESSAGE ? `${error.message.slice(0, MAX_ERROR_MESSAGE - 1)}…` : error.message;
  return error.severity === 'warning' ? { code: error.code, message, severity: 'warning' } : { code: error.code, message };
}

/** A copy with exactly the three entity keys (no stray fields from the caller's object). */
function counts(c: EntityCounts): EntityCounts {
  return { categories: c.categories, products: c.products, variants: c.variants };
}

function total(list: EntityCounts[]): EntityCounts {
  const out = zeroCounts();
  for (const c of list) {
    out.categories += c.categories;
    out.products += c.products;
    out.variants += c.variants;
  }
  return out;
}
