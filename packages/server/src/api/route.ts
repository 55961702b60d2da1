/**
 * A route of the REST API as data: method, path, who may call it, the zod schemas of what it
 * takes and answers, and its handler. The app registers routes from this table and the OpenAPI
 * document is generated from the same table, so the two cannot drift apart.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Access, Principal } from '../auth/access.js';
import type { Services } from '../services.js';
import type { PanelHub } from './panels.js';

/** What a handler gets: the parsed input, the caller, and the service's parts. */
export interface RouteContext<P = Record<string, string>, Q = unknown, B = unknown> {
  params: P;
  query: Q;
  body: B;
  /** The caller (absent on public routes). */
  principal: Principal | undefined;
  requestId: string;
  log: FastifyBaseLogger;
  request: FastifyRequest;
  services: Services;
  /** The panel handlers (a one-process panel is told of changes queued). */
  panels: PanelHub | undefined;
}

/** What a handler answers: JSON `body` (or none), with extra headers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A documented response. */
export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Media type (default application/json). */
  media?: string;
  headers?: Record<string, { description: string; schema: z.ZodType }>;
}

/** A route of the API (module comment). */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI style: `/v1/connectors/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** `public`: no credentials asked (health, the document). */
  access: Access | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The JSON body. */
  body?: z.ZodType;
  /** Other media types the body may come in (documented; the handler reads them). */
  bodyMedia?: Record<string, { schema: z.ZodType; description?: string }>;
  /** Headers the route reads (documented). */
  headers?: z.ZodObject;
  /** Largest body in bytes (default 1 MiB). */
  bodyLimit?: number;
  responses: Record<number, RouteResponse>;
  // The table holds routes of every input type; each handler types its own context.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handle(ctx: RouteContext<any, any, any>): Promise<RouteResult>;
}
