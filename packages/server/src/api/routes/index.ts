/** Every route of the REST API, in the order the OpenAPI document lists them. */
import type { ApiRoute } from '../route.js';
import { connectorRoutes } from './connectors.js';
import { ingestRoutes } from './ingest.js';
import { webhookRoutes } from './webhooks.js';

/** The routes of the API that are about connectors (the meta routes are added by the app). */
export function apiRoutes(): ApiRoute[] {
  return [...connectorRoutes, ...ingestRoutes, ...webhookRoutes];
}
