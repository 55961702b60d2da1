/**
 * Webhooks per connector: subscribe a URL to `sync.completed`, `sync.failed`, `sync.paused`,
 * `items.failed`; its signing secret is shown once and kept sealed; deliveries and their
 * attempts can be read back.
 */
import { randomBytes } from 'node:crypto';
import { newWebhookSecret } from '../../webhooks/signature.js';
import type { DeliveryRecord, WebhookRecord } from '../../store/types.js';
import { ApiProblem, problemSchema } from '../problem.js';
import type { ApiRoute, RouteContext } from '../route.js';
import { connectorParams, deliveryPageSchema, pageQuery, webhookCreateSchema, webhookListSchema, webhookParams, webhookSchema } from '../schemas.js';
import type { Services } from '../../services.js';
import type { z } from 'zod';

const iso = (ms: number) => new Date(ms).toISOString();
const problem = (description: string) => ({ description, schema: problemSchema, media: 'application/problem+json' });
/** What the secret is sealed for: its webhook. */
export const webhookSecretContext = (webhookId: string): string => `shopsync:webhook-secret:${webhookId}`;

const show = (w: WebhookRecord) => ({ id: w.id, url: w.url, events: w.events, createdAt: iso(w.createdAt) });
const showDelivery = (d: DeliveryRecord) => ({
  id: d.id,
  webhookId: d.webhookId,
  type: d.type,
  createdAt: iso(d.createdAt),
  state: d.state,
  ...(d.state === 'pending' && d.nextAttemptAt !== undefined && { nextAttemptAt: iso(d.nextAttemptAt) }),
  attempts: d.attempts.map((a) => ({ at: iso(a.at), ...(a.status !== undefined && { status: a.status }), ...(a.error !== undefined && { error: a.error }), durationMs: a.durationMs })),
  payload: d.payload,
});

async function connectorMustExist(s: Services, id: string): Promise<void> {
  if (!(await s.registry.get(id))) throw new ApiProblem(404, `No connector "${id}".`);
}

async function webhookOf(s: Services, connectorId: string, webhookId: string): Promise<WebhookRecord> {
  const w = await s.store.getWebhook(webhookId);
  if (!w || w.connectorId !== connectorId) throw new ApiProblem(404, `No webhook "${webhookId}" on connector "${connectorId}".`);
  return w;
}

/** The webhook routes. */
export const webhookRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/connectors/{id}/webhooks',
    operationId: 'createWebhook',
    summary: 'Subscribe a URL to the connector’s run outcomes',
    description: 'Deliveries are signed as Standard Webhooks says (webhook-id, webhook-timestamp, webhook-signature: HMAC-SHA256 with the secret) and retried with backoff until the receiver answers 2xx.',
    tags: ['Webhooks'],
    access: { scope: 'admin', connector: 'one' },
    params: connectorParams,
    body: webhookCreateSchema,
    responses: { 201: { description: 'Made; `secret` is shown this once.', schema: webhookSchema }, 400: problem('Invalid input.'), 404: problem('No such connector.') },
    async handle({ params, body, services: s }: RouteContext<{ id: string }, unknown, z.output<typeof webhookCreateSchema>>) {
      await connectorMustExist(s, params.id);
      const id = `wh_${randomBytes(12).toString('base64url')}`;
      const secret = newWebhookSecret();
      const record: WebhookRecord = { id, connectorId: params.id, url: body.url, events: body.events, sealedSecret: await s.box.seal(secret, webhookSecretContext(id)), createdAt: s.clock.now() };
      await s.store.createWebhook(record);
      return { status: 201, body: { ...show(record), secret } };
    },
  },
  {
    method: 'GET',
    path: '/v1/connectors/{id}/webhooks',
    operationId: 'listWebhooks',
    summary: 'The connector’s webhooks (without secrets)',
    tags: ['Webhooks'],
    access: { scope: 'read', connector: 'one' },
    params: connectorParams,
    responses: { 200: { description: 'Its webhooks.', schema: webhookListSchema }, 404: problem('No such connector.') },
    async handle({ params, services: s }: RouteContext<{ id: string }>) {
      await connectorMustExist(s, params.id);
      return { status: 200, body: { items: (await s.store.listWebhooks(params.id)).map(show) } };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/connectors/{id}/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    summary: 'Unsubscribe a webhook (its pending deliveries are not sent)',
    tags: ['Webhooks'],
    access: { scope: 'admin', connector: 'one' },
    params: webhookParams,
    responses: { 204: { description: 'Removed.' }, 404: problem('No such webhook.') },
    async handle({ params, services: s }: RouteContext<{ id: string; webhookId: string }>) {
      await webhookOf(s, params.id, params.webhookId);
      await s.store.deleteWebhook(params.webhookId);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/v1/connectors/{id}/webhooks/{webhookId}/deliveries',
    operationId: 'listDeliveries',
    summary: 'A webhook’s deliveries and their attempts, newest first',
    tags: ['Webhooks'],
    access: { scope: 'read', connector: 'one' },
    params: webhookParams,
    query: pageQuery,
    responses: { 200: { description: 'A page of deliveries.', schema: deliveryPageSchema }, 400: problem('Invalid query.'), 404: problem('No such webhook.') },
    async handle({ params, query, services: s }: RouteContext<{ id: string; webhookId: string }, { offset: number; limit: number }>) {
      await webhookOf(s, params.id, params.webhookId);
      const page = await s.store.listDeliveries({ connectorId: params.id, webhookId: params.webhookId, offset: query.offset, limit: query.limit });
      return { status: 200, body: { total: page.total, items: page.items.map(showDelivery) } };
    },
  },
];
