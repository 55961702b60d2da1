/**
 * The panel's routes per connector (`/v1/connectors/{id}/sync/…`) as the OpenAPI document shows
 * them. They are @shopsync/http's protocol, the one `<shopsync-panel src>` speaks: answers are
 * core's types (SyncEvent, ItemView…), and errors the handler itself finds are
 * `{ error: { code, message, issues } }` (the widget's client reads those); errors found before a
 * request reaches the handler (401, 403) are problem details, as everywhere else.
 */
import { itemStatusSchema, syncEventSchema } from '@shopsync/core';
import { entitySchema, itemStateSchema, refSchema } from '@shopsync/core/internal';
import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { problemSchema } from '../api/problem.js';
import { connectorParams } from '../api/schemas.js';

const panelError = z
  .object({ error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }) })
  .meta({ id: 'PanelError', description: "An error of the panel's protocol (@shopsync/http)." });

const syncEvent = syncEventSchema.meta({ id: 'SyncEvent' });
const itemView = itemStatusSchema.omit({ change: true }).meta({ id: 'ItemView' });
const connectorState = z
  .object({
    connectorId: z.string(),
    enabled: z.boolean(),
    running: z.boolean(),
    runningEventId: z.string().optional(),
    nextRunAt: z.iso.datetime().optional(),
    throughput: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'ConnectorState' });
const errorSummary = z
  .object({
    failedItems: z.number().int(),
    repeatedFailures: z.number().int(),
    groups: z.array(z.object({ code: z.string().optional(), field: z.array(z.string()).optional(), message: z.string(), count: z.number().int() })),
  })
  .meta({ id: 'ItemErrorSummary' });
const queued = z.object({ queued: z.number().int() }).meta({ id: 'Queued' });

const whole = z.string().regex(/^\d{1,15}$/);
const filter = { ref: z.string().max(255).optional(), status: itemStateSchema.optional(), entity: entitySchema.optional(), since: z.iso.datetime({ offset: true }).optional() };
const page = { offset: whole.optional(), limit: whole.optional().meta({ description: '1 to 1000.' }) };

const eventParams = connectorParams.extend({ eventId: z.string().min(1).max(200) });
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const refused = {
  400: json(panelError, 'Invalid query or body: each field at fault named.'),
  401: { description: 'No valid API key or embed token.', content: { 'application/problem+json': { schema: problemSchema } } },
  403: { description: 'The key or token does not reach this connector, or this origin may not embed it.', content: { 'application/problem+json': { schema: problemSchema } } },
};
/** What the handler answers a POST whose body it cannot take. */
const bodyRefused = {
  413: json(panelError, 'The body is larger than 64 KiB.'),
  415: json(panelError, 'The body is not JSON (Content-Type: application/json).'),
};
const security = [{ apiKey: [] }];
const op = (operationId: string, summary: string, rest: Omit<ZodOpenApiOperationObject, 'operationId' | 'summary'>): ZodOpenApiOperationObject => ({ operationId, summary, tags: ['Panel'], security, ...rest });

/** Enable or disable the connector (the panel sends PUT; POST is the same). */
const setEnabled = (operationId: string) =>
  op(operationId, 'Enable or disable the connector (admin key, or an act token)', {
    requestParams: { path: connectorParams },
    requestBody: { required: true, content: { 'application/json': { schema: z.object({ enabled: z.boolean() }) } } },
    responses: { 200: json(connectorState, 'Its state after.'), ...refused, ...bodyRefused },
  });

/** The panel's paths (module comment). */
export function panelPaths(): ZodOpenApiPathsObject {
  const base = '/v1/connectors/{id}/sync';
  return {
    [`${base}/state`]: { get: op('panelState', 'The connector now: enabled, running, next run', { requestParams: { path: connectorParams }, responses: { 200: json(connectorState, 'Its state.'), ...refused } }) },
    [`${base}/events`]: {
      get: op('panelEvents', 'Sync events (the Activity Register), newest first', {
        requestParams: { path: connectorParams, query: z.object(page) },
        responses: { 200: json(z.object({ total: z.number().int(), items: z.array(syncEvent) }), 'A page of events.'), ...refused },
      }),
    },
    [`${base}/events/{eventId}`]: {
      get: op('panelEvent', 'One sync event', { requestParams: { path: eventParams }, responses: { 200: json(syncEvent, 'The event.'), 404: json(panelError, 'No such event.'), ...refused } }),
    },
    [`${base}/events/{eventId}/logs`]: {
      get: op('panelLogs', "A sync event's log, as a download", {
        requestParams: { path: eventParams, query: z.object({ format: z.enum(['jsonl', 'csv']).optional() }) },
        responses: { 200: { description: 'The log (JSON Lines or CSV), with Content-Disposition.', content: { 'application/x-ndjson': { schema: z.string() }, 'text/csv': { schema: z.string() } } }, 404: json(panelError, 'No such event.'), ...refused },
      }),
    },
    [`${base}/items`]: {
      get: op('panelItems', 'Item statuses (the Item Synchronization Status tab), most recently updated first', {
        requestParams: { path: connectorParams, query: z.object({ ...filter, ...page }) },
        responses: { 200: json(z.object({ total: z.number().int(), items: z.array(itemView) }), 'A page of items.'), ...refused },
      }),
    },
    [`${base}/items/errors`]: {
      get: op('panelItemErrors', 'Failed items grouped by cause', { requestParams: { path: connectorParams, query: z.object(filter) }, responses: { 200: json(errorSummary, 'The groups.'), ...refused } }),
    },
    [`${base}/items/retry`]: {
      post: op('panelRetryItem', 'Queue one failed item again (admin key, or an act token)', {
        requestParams: { path: connectorParams },
        requestBody: { required: true, content: { 'application/json': { schema: z.object({ entity: entitySchema, ref: refSchema }) } } },
        responses: { 200: json(queued, 'How many were queued (0 or 1).'), ...refused, ...bodyRefused },
      }),
    },
    [`${base}/items/retry-failed`]: {
      post: op('panelRetryFailed', 'Queue every failed item matching a filter again (admin key, or an act token)', {
        requestParams: { path: connectorParams },
        requestBody: { required: true, content: { 'application/json': { schema: z.object(filter) } } },
        responses: { 200: json(queued, 'How many were queued.'), ...refused, ...bodyRefused },
      }),
    },
    [`${base}/connector`]: {
      put: setEnabled('panelSetEnabled'),
      post: setEnabled('panelSetEnabledPost'),
    },
    [`${base}/stream`]: {
      get: op('panelStream', 'Live changes as Server-Sent Events (resumable with Last-Event-ID)', {
        requestParams: { path: connectorParams, query: z.object({ lastEventId: z.string().max(200).optional(), token: z.string().optional().meta({ description: 'An embed token, for EventSource (which sends no headers).' }) }) },
        responses: { 200: { description: 'An event stream: `ready`, then `change` events whose data is a SourceChange.', content: { 'text/event-stream': { schema: z.string() } } }, ...refused },
      }),
    },
  };
}
