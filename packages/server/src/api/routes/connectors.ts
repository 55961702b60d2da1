/**
 * Connectors: their configuration and enabled flag (the registry), the origins that may embed
 * their panel, their write-only credentials, and embed tokens for the panel.
 */
import { ShopsyncError, ValidationError, type ConnectorRecord } from '@shopsync/core';
import type { z } from 'zod';
import { credentialsInputSchema, putCredentials } from '../../worker/credentials.js';
import { ApiProblem, problemSchema } from '../problem.js';
import type { ApiRoute, RouteContext } from '../route.js';
import { panelBase } from '../panels.js';
import type { Services } from '../../services.js';
import {
  connectorCreateSchema,
  connectorPageSchema,
  connectorParams,
  connectorPatchBodySchema,
  connectorSchema,
  credentialsStatusSchema,
  embedTokenRequestSchema,
  embedTokenSchema,
  pageQuery,
} from '../schemas.js';
import { hasScope } from '../../auth/access.js';

const iso = (ms: number) => new Date(ms).toISOString();
const notFound = (id: string) => new ApiProblem(404, `No connector "${id}".`);

/** A connector as the API shows it. */
async function present(s: Services, record: ConnectorRecord) {
  const id = record.config.id;
  const [settings, credentials] = await Promise.all([s.store.getSettings(id), s.store.getCredentials(id)]);
  return {
    config: record.config,
    ...(record.schedule && { schedule: record.schedule }),
    allowedOrigins: settings?.allowedOrigins ?? [],
    credentials: credentials ? { kind: credentials.kind, updatedAt: iso(credentials.updatedAt) } : null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

async function recordOf(s: Services, id: string): Promise<ConnectorRecord> {
  const record = await s.registry.get(id);
  if (!record) throw notFound(id);
  return record;
}

const errors = { 400: { description: 'Invalid input: every field at fault is named.', schema: problemSchema, media: 'application/problem+json' } };
const missing = { 404: { description: 'No such connector.', schema: problemSchema, media: 'application/problem+json' } };

/** The connector routes. */
export const connectorRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/connectors',
    operationId: 'createConnector',
    summary: 'Add a connector (one Shopify store)',
    tags: ['Connectors'],
    access: { scope: 'admin', connector: 'create' },
    body: connectorCreateSchema,
    responses: { 201: { description: 'Made.', schema: connectorSchema }, ...errors, 409: { description: 'A connector with this id exists.', schema: problemSchema, media: 'application/problem+json' } },
    async handle({ body, services: s }: RouteContext<unknown, unknown, z.output<typeof connectorCreateSchema>>) {
      const record = await s.registry.create({ config: body.config, ...(body.schedule && { schedule: body.schedule }) });
      try {
        await s.store.putSettings(record.config.id, { allowedOrigins: body.allowedOrigins });
      } catch (err) {
        // Nothing half-written: the connector goes again.
        await s.registry.remove(record.config.id).catch(() => undefined);
        throw err;
      }
      return { status: 201, body: await present(s, record), headers: { Location: `/v1/connectors/${encodeURIComponent(record.config.id)}` } };
    },
  },
  {
    method: 'GET',
    path: '/v1/connectors',
    operationId: 'listConnectors',
    summary: 'List connectors, by id',
    tags: ['Connectors'],
    access: { scope: 'read', connector: 'list' },
    query: pageQuery,
    responses: { 200: { description: 'A page of connectors.', schema: connectorPageSchema }, ...errors },
    async handle({ query, principal, services: s }: RouteContext<unknown, { offset: number; limit: number }>) {
      if (principal?.kind === 'key' && principal.connectorId !== undefined) {
        const record = await s.registry.get(principal.connectorId);
        const items = record && query.offset === 0 ? [await present(s, record)] : [];
        return { status: 200, body: { total: record ? 1 : 0, items } };
      }
      const page = await s.registry.list({ offset: query.offset, limit: query.limit });
      return { status: 200, body: { total: page.total, items: await Promise.all(page.items.map((r) => present(s, r))) } };
    },
  },
  {
    method: 'GET',
    path: '/v1/connectors/{id}',
    operationId: 'getConnector',
    summary: 'A connector',
    tags: ['Connectors'],
    access: { scope: 'read', connector: 'one' },
    params: connectorParams,
    responses: { 200: { description: 'The connector.', schema: connectorSchema }, ...missing },
    async handle({ params, services: s }: RouteContext<{ id: string }>) {
      return { status: 200, body: await present(s, await recordOf(s, params.id)) };
    },
  },
  {
    method: 'PATCH',
    path: '/v1/connectors/{id}',
    operationId: 'updateConnector',
    summary: 'Change a connector: configuration, enabled flag, schedule, allowed origins',
    tags: ['Connectors'],
    access: { scope: 'admin', connector: 'one' },
    params: connectorParams,
    body: connectorPatchBodySchema,
    responses: { 200: { description: 'The connector as changed.', schema: connectorSchema }, ...errors, ...missing },
    async handle({ params, body, services: s }: RouteContext<{ id: string }, unknown, z.output<typeof connectorPatchBodySchema>>) {
      const before = await recordOf(s, params.id);
      let record = before;
      if (body.config !== undefined || body.schedule !== undefined) {
        try {
          record = await s.registry.update(params.id, { ...(body.config && { config: body.config }), ...(body.schedule !== undefined && { schedule: body.schedule }) });
        } catch (err) {
          if (err instanceof ShopsyncError && err.code === 'connector_not_found') throw notFound(params.id);
          // core names fields from its patch ("patch.config.language"); here the patch is the body.
          if (err instanceof ValidationError) {
            const errors = err.issues.map((i) => ({ field: i.path.replace(/^patch(?=[.[]|$)/, 'body'), message: i.message }));
            throw new ApiProblem(400, `Invalid connector configuration: ${errors.slice(0, 5).map((e) => `${e.field}: ${e.message}`).join('; ')}${errors.length > 5 ? ` … and ${errors.length - 5} more` : ''}`, { errors });
          }
          throw err;
        }
      }
      if (body.allowedOrigins) await s.store.putSettings(params.id, { allowedOrigins: body.allowedOrigins });
      if (record.config.enabled !== before.config.enabled) await s.control.enabledChanged(params.id, record.config.enabled);
      return { status: 200, body: await present(s, record) };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/connectors/{id}',
    operationId: 'deleteConnector',
    summary: 'Remove a connector',
    description: 'Its credentials, settings, webhooks, idempotency records and the API keys limited to it go; its queue and history stay in the storage (a connector made again with the same id finds them).',
    tags: ['Connectors'],
    access: { scope: 'admin', connector: 'one' },
    params: connectorParams,
    responses: { 204: { description: 'Removed.' }, ...missing },
    async handle({ params, panels, services: s }: RouteContext<{ id: string }>) {
      if (!(await s.registry.remove(params.id))) throw notFound(params.id);
      await s.store.deleteConnectorData(params.id);
      // Keys limited to it go too: a connector made again with this id must not inherit them.
      const now = s.clock.now();
      for (const key of await s.store.listApiKeys()) {
        if (key.connectorId === params.id && key.revokedAt === undefined) await s.store.revokeApiKey(key.id, now);
      }
      // Panels open on it lose their stream (their reads now find no connector).
      await panels?.forget(params.id);
      return { status: 204 };
    },
  },
  {
    method: 'PUT',
    path: '/v1/connectors/{id}/credentials',
    operationId: 'putCredentials',
    summary: 'Set the connector’s Shopify credentials (write-only)',
    description: 'Sealed at rest with the service’s secret keys; never returned, logged or emitted. GET tells only which kind is set.',
    tags: ['Connectors'],
    access: { scope: 'admin', connector: 'one' },
    params: connectorParams,
    body: credentialsInputSchema,
    responses: { 200: { description: 'Set: which kind, and when.', schema: credentialsStatusSchema }, ...errors, ...missing },
    async handle({ params, body, services: s }: RouteContext<{ id: string }, unknown, z.output<typeof credentialsInputSchema>>) {
      const record = await recordOf(s, params.id);
      const now = s.clock.now();
      await putCredentials({ store: s.store, storage: s.storage, box: s.box, keys: s.secretKeys, ...(s.config.shopifyEndpoint && { endpoint: s.config.shopifyEndpoint }) }, record, body, now);
      // Changes held back by a run that could not start (no or refused credentials) go now.
      const pending = await s.storage.pendingCounts(params.id);
      if (record.config.enabled && pending.categories + pending.products + pending.variants > 0) await s.control.runRequested(params.id);
      return { status: 200, body: { kind: body.kind, updatedAt: iso(now) } };
    },
  },
  {
    method: 'GET',
    path: '/v1/connectors/{id}/credentials',
    operationId: 'getCredentials',
    summary: 'Which kind of credentials is set (never the credentials)',
    tags: ['Connectors'],
    access: { scope: 'read', connector: 'one' },
    params: connectorParams,
    responses: { 200: { description: 'The kind and when it was set.', schema: credentialsStatusSchema }, 404: { description: 'No such connector, or no credentials set.', schema: problemSchema, media: 'application/problem+json' } },
    async handle({ params, services: s }: RouteContext<{ id: string }>) {
      await recordOf(s, params.id);
      const stored = await s.store.getCredentials(params.id);
      if (!stored) throw new ApiProblem(404, `No credentials are set for connector "${params.id}".`);
      return { status: 200, body: { kind: stored.kind, updatedAt: iso(stored.updatedAt) } };
    },
  },
  {
    method: 'POST',
    path: '/v1/connectors/{id}/embed-tokens',
    operationId: 'createEmbedToken',
    summary: 'Mint a short-lived token for the panel on the ERP’s own pages',
    description: 'Give `src` to <shopsync-panel src="…"> on a page whose origin is in the connector’s allowedOrigins. `act` tokens need an admin key.',
    tags: ['Panel'],
    access: { scope: 'read', connector: 'one' },
    params: connectorParams,
    body: embedTokenRequestSchema,
    responses: { 201: { description: 'The token.', schema: embedTokenSchema }, ...errors, 403: { description: 'An act token asked with a key that is not admin.', schema: problemSchema, media: 'application/problem+json' }, ...missing },
    async handle({ params, body, principal, request, services: s }: RouteContext<{ id: string }, unknown, z.output<typeof embedTokenRequestSchema>>) {
      if (body.access === 'act' && !(principal?.kind === 'key' && hasScope(principal.scopes, 'admin'))) {
        throw new ApiProblem(403, 'Tokens with access "act" need an API key with the admin scope.');
      }
      await recordOf(s, params.id);
      const { token, expiresAt } = await s.tokens.mint(params.id, body.access, body.ttlSeconds, s.clock.now());
      const origin = `${request.protocol}://${request.host}`;
      return { status: 201, body: { token, access: body.access, expiresAt: iso(expiresAt * 1000), src: `${origin}${panelBase(params.id)}?token=${encodeURIComponent(token)}` } };
    },
  },
];
