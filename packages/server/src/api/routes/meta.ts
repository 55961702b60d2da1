/**
 * The service itself: liveness, readiness (the database answers and the process is not shutting
 * down) and the OpenAPI document.
 */
import { healthSchema } from '../schemas.js';
import type { ApiRoute } from '../route.js';
import { z } from 'zod';

/** The meta routes; `document` gives the OpenAPI document, `draining` whether shutdown began. */
export function metaRoutes(document: () => unknown, draining: () => boolean): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/v1/health',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tags: ['Service'],
      access: 'public',
      responses: { 200: { description: 'Alive.', schema: healthSchema } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    },
    {
      method: 'GET',
      path: '/v1/ready',
      operationId: 'ready',
      summary: 'Readiness: the database answers and the process takes requests',
      tags: ['Service'],
      access: 'public',
      responses: { 200: { description: 'Ready.', schema: healthSchema }, 503: { description: 'Not ready (shutting down, or the database does not answer).', schema: healthSchema } },
      async handle({ services: s }) {
        if (draining()) return { status: 503, body: { status: 'unavailable', checks: { process: 'shutting down' } } };
        try {
          await Promise.race([s.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000).unref())]);
          return { status: 200, body: { status: 'ok', checks: { database: 'ok' } } };
        } catch (err) {
          return { status: 503, body: { status: 'unavailable', checks: { database: (err as Error).message.slice(0, 200) } } };
        }
      },
    },
    {
      method: 'GET',
      path: '/v1/openapi.json',
      operationId: 'openapi',
      summary: 'This API as an OpenAPI 3.1 document',
      tags: ['Service'],
      access: 'public',
      responses: { 200: { description: 'The document.', schema: z.record(z.string(), z.unknown()) } },
      handle: async () => ({ status: 200, body: document() }),
    },
  ];
}
