/**
 * The OpenAPI 3.1 document of the REST API, generated (zod-openapi) from the same route table and
 * zod schemas the app validates with, plus the panel's routes (@shopsync/http) described from
 * core's schemas. Clients in other languages are generated from it (openapi-generator, oapi-codegen…).
 */
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { problemSchema } from '../api/problem.js';
import type { ApiRoute, RouteResponse } from '../api/route.js';
import { panelPaths } from './panel-paths.js';

const SECURITY = [{ apiKey: [] }];

const problem = (description: string): RouteResponse => ({ description, schema: problemSchema, media: 'application/problem+json' });

/**
 * What the app answers on any route before its handler runs, so a route need not list them: 400
 * (a query parameter the route does not take, a malformed path parameter, a body that is not
 * JSON), 401 and 403 where credentials are asked, 413 and 415 where a body is taken. Public
 * routes that take nothing (health, the document) ignore a query, so they answer none of these.
 * A route's own description of a status wins.
 */
function commonResponses(route: ApiRoute): Record<number, RouteResponse> {
  const common: Record<number, RouteResponse> = {};
  if (route.access !== 'public' || route.params || route.query || route.body || route.bodyMedia) common[400] = problem('Invalid input: every field at fault is named.');
  if (route.access !== 'public') {
    common[401] = problem('No valid API key: missing, unknown or revoked.');
    common[403] = problem('The API key lacks the scope this route needs, or is limited to another connector.');
  }
  if (route.body || route.bodyMedia) {
    common[413] = problem('The body is too large.');
    common[415] = problem('The body is not in a media type this route takes.');
  }
  return common;
}

function operationOf(route: ApiRoute): ZodOpenApiOperationObject {
  const requestParams = {
    ...(route.params && { path: route.params }),
    ...(route.query && { query: route.query }),
    ...(route.headers && { header: route.headers }),
  };
  const content: Record<string, { schema: unknown }> = {};
  if (route.body) content['application/json'] = { schema: route.body };
  for (const [media, { schema }] of Object.entries(route.bodyMedia ?? {})) content[media] = { schema };
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description && { description: route.description }),
    tags: route.tags,
    ...(route.access === 'public' ? { security: [] } : { security: SECURITY }),
    ...(Object.keys(requestParams).length && { requestParams }),
    ...(Object.keys(content).length && { requestBody: { required: !route.body?.safeParse(undefined).success, content } }),
    responses: Object.fromEntries(
      Object.entries({ ...commonResponses(route), ...route.responses }).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema && { content: { [r.media ?? 'application/json']: { schema: r.schema } } }),
          // zod-openapi takes response headers as one zod object (a header object's `schema` is not converted).
          ...(r.headers && { headers: z.object(Object.fromEntries(Object.entries(r.headers).map(([name, h]) => [name, h.schema.meta({ description: h.description })]))) }),
        },
      ]),
    ),
  } as ZodOpenApiOperationObject;
}

/** The document (module comment). */
export function buildOpenApiDocument(routes: readonly ApiRoute[], version: string): Record<string, unknown> {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {}) as Record<string, ZodOpenApiOperationObject>;
    item[route.method.toLowerCase()] = operationOf(route);
  }
  Object.assign(paths, panelPaths());
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'shopsync',
        version,
        description:
          'Keep Shopify catalogs in sync from an ERP or PIM, in any language: add connectors, set their credentials, post catalog changes, start runs, read what happened, embed the Activity Register, and get webhooks when runs end. Errors are RFC 9457 problem details naming each field at fault.',
      },
      servers: [{ url: '/' }],
      security: SECURITY,
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (ssk_…, `shopsync keys create`); on the panel routes also an embed token, or `?token=` for EventSource.' },
        },
      },
      paths,
    },
    // Schemas without an id are inlined: generated clients get no types named __schemaN.
    { reused: 'inline' },
  ) as unknown as Record<string, unknown>;
}
