/**
 * The REST API on Fastify: request ids, JSON access logs (pino, tokens redacted from URLs),
 * authentication and the access rules before any handler, zod validation of params, query and
 * body, RFC 9457 problems for every error, CORS for the panel's origins, and the panel's routes
 * per connector handed to @shopsync/http.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { decide, type Access, type Principal } from '../auth/access.js';
import type { Services } from '../services.js';
import { authenticate } from './authenticate.js';
import { PanelHub } from './panels.js';
import { ApiProblem, parseInput, problem, PROBLEM_TYPE, toProblem } from './problem.js';
import type { ApiRoute } from './route.js';
import { apiRoutes } from './routes/index.js';
import { metaRoutes } from './routes/meta.js';
import { corsHeaders, isOriginAllowed, PREFLIGHT_HEADERS } from './cors.js';
import { connectorParams } from './schemas.js';
import { z } from 'zod';

/** Routes without a query schema take none. */
const noQuery = z.strictObject({});

/** What the app needs besides the services. */
export interface AppOptions {
  /** True once shutdown began: readiness answers 503 and new panel streams are refused. */
  draining: () => boolean;
  /** The OpenAPI document (`GET /v1/openapi.json`). */
  document: () => Record<string, unknown>;
}

/** A request's id: the caller's `X-Request-Id` when it is a sane one, else a new one. */
function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** The URL as logs show it: an embed token in the query replaced. */
export const redactUrl = (url: string): string => url.replace(/([?&]token=)[^&#]*/gi, '$1[REDACTED]');

function sendProblem(reply: FastifyReply, error: unknown, prefix: string, log: Services['log']): FastifyReply {
  const p = toProblem(error, prefix);
  if (p.internal) log.error({ err: error, reqId: reply.request.id }, 'Request failed');
  return reply
    .code(p.status)
    .headers(p.headers)
    .type(PROBLEM_TYPE)
    .send({ ...p.body, instance: reply.request.url.split('?')[0], requestId: reply.request.id });
}

/** Builds the API app (not listening yet). */
export async function buildApp(s: Services, options: AppOptions): Promise<{ app: FastifyInstance; panels: PanelHub }> {
  const app = Fastify({
    loggerInstance: s.log as FastifyBaseLogger,
    // Requests are logged once answered, by the hook below (URLs with tokens redacted).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: false,
    // Fastify's own refusals of a URL (bad percent-encoding, a path parameter over 100 characters) are problems too.
    frameworkErrors: (error, _request, reply) => {
      const bad = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      sendProblem(reply, bad ? new ApiProblem(400, 'Invalid path: expected valid percent-encoding (UTF-8) and path parameters of at most 100 characters.', { errors: [{ field: 'path', message: 'expected valid percent-encoding and at most 100 characters per parameter' }] }) : error, 'body', s.log);
    },
  });
  const panels = new PanelHub(s);
  // Text is no route's body: a JSON body sent as text/plain gets 415, not a confusing "expected object".
  app.removeContentTypeParser('text/plain');
  // An empty JSON body is no body (clients often send the header with nothing): routes whose body is optional take it.
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    return json(request, String(body), done);
  });

  // Every answer carries its request id; every request is logged once it is answered (streams too).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    const started = process.hrtime.bigint();
    reply.raw.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const who = (request as FastifyRequest & { principal?: Principal }).principal;
      request.log.info(
        { reqId: request.id, method: request.method, url: redactUrl(request.url), status: reply.raw.statusCode, ms: Math.round(ms * 10) / 10, ...(who && { caller: who.kind === 'key' ? `key:${who.keyId}` : `embed:${who.connectorId}` }) },
        'request',
      );
    });
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof ApiProblem) return sendProblem(reply, error, 'body', s.log);
    // Fastify's own: bad JSON, body too large, media type, empty body.
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : undefined;
    if (status) {
      const detail = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'The body is too large for this route.' : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'Send JSON (Content-Type: application/json).' : `Invalid request body: ${error.message}`;
      return sendProblem(reply, new ApiProblem(status, detail, status === 400 ? { errors: [{ field: 'body', message: 'expected a JSON body' }] } : {}), 'body', s.log);
    }
    return sendProblem(reply, error, 'body', s.log);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, new ApiProblem(404, `No route ${request.method} ${request.url.split('?')[0]}.`), 'body', s.log));

  const register = (scope: FastifyInstance, route: ApiRoute) => {
    scope.route({
      method: route.method,
      url: route.path.replace(/\{(\w+)\}/g, ':$1'),
      ...(route.bodyLimit && { bodyLimit: route.bodyLimit }),
      handler: async (request, reply) => {
        let principal: Principal | undefined;
        if (route.access !== 'public') principal = await authenticate(s, request);
        (request as FastifyRequest & { principal?: Principal }).principal = principal;
        const params = route.params ? parseInput(route.params, request.params, 'path') : {};
        if (route.access !== 'public') {
          const decision = decide(principal!, route.access, (params as { id?: string }).id);
          if (!decision.ok) throw new ApiProblem(403, decision.detail);
        }
        // Public routes (health, readiness, the document) ignore a query: probes add cache-busting parameters.
        const query = route.query ? parseInput(route.query, request.query ?? {}, 'query') : route.access === 'public' ? {} : parseInput(noQuery, request.query ?? {}, 'query');
        const body = route.body && !route.bodyMedia ? parseInput(route.body, request.body, 'body') : request.body;
        let result;
        try {
          result = await route.handle({ params, query, body, principal, requestId: request.id, log: request.log, request, services: s, panels });
        } catch (err) {
          return sendProblem(reply, err, 'body', s.log);
        }
        reply.code(result.status).headers(result.headers ?? {});
        return result.body === undefined ? reply.send() : reply.send(result.body);
      },
    });
  };

  const routes = [...apiRoutes(), ...metaRoutes(options.document, options.draining)];
  // Routes that read their body themselves (changes: JSON or NDJSON, streamed, large) get it raw.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    for (const route of routes.filter((r) => r.bodyMedia)) register(raw, route);
  });
  for (const route of routes.filter((r) => !r.bodyMedia)) register(app, route);

  // The panel's routes per connector: the caller is checked here, then @shopsync/http answers.
  await app.register(async (panel) => {
    panel.removeAllContentTypeParsers();
    // The handler reads its own body: leave the stream unread.
    panel.addContentTypeParser('*', (_req, _payload, done) => done(null));
    panel.options('/v1/connectors/:id/sync/*', async (request, reply) => {
      const id = (request.params as { id: string }).id;
      const origin = request.headers.origin;
      if (!origin || !(await isOriginAllowed(s, id, origin))) return sendProblem(reply, new ApiProblem(403, 'This origin may not embed this connector’s panel: add it to the connector’s allowedOrigins.'), 'body', s.log);
      return reply.code(204).headers({ ...corsHeaders(origin), ...PREFLIGHT_HEADERS }).send();
    });
    panel.route({
      // PUT as well as POST for …/connector: HttpSyncSource (the panel) enables and disables with PUT.
      method: ['GET', 'HEAD', 'POST', 'PUT'],
      url: '/v1/connectors/:id/sync/*',
      handler: async (request, reply) => {
        const id = (request.params as { id: string }).id;
        const url = new URL(request.raw.url ?? '/', 'http://x');
        // The origin first: an allowed page can then read every answer, refusals (401, 403) included.
        const origin = request.headers.origin;
        if (origin !== undefined) {
          if (!(await isOriginAllowed(s, id, origin))) throw new ApiProblem(403, 'This origin may not embed this connector’s panel: add it to the connector’s allowedOrigins.');
          for (const [k, v] of Object.entries(corsHeaders(origin))) reply.raw.setHeader(k, v);
        }
        const token = url.searchParams.get('token') ?? undefined;
        const principal = await authenticate(s, request, token);
        (request as FastifyRequest & { principal?: Principal }).principal = principal;
        const read = request.method === 'GET' || request.method === 'HEAD';
        const access: Access = { scope: read ? 'read' : 'admin', connector: 'one', embed: read ? 'read' : 'act' };
        const decision = decide(principal, access, id);
        if (!decision.ok) throw new ApiProblem(403, decision.detail);
        // No panel for a connector that does not exist (its source would answer for a ghost, or fail with a 500).
        parseInput(connectorParams, { id }, 'path');
        if (!(await s.registry.get(id))) throw new ApiProblem(404, `No connector "${id}".`);
        if (options.draining() && url.pathname.endsWith('/stream')) throw new ApiProblem(503, 'The service is shutting down: reconnect in a moment.', { headers: { 'Retry-After': '2' } });
        // The token is the app's business: the handler sees the rest of the query.
        url.searchParams.delete('token');
        request.raw.url = url.pathname + url.search;
        reply.raw.setHeader('X-Request-Id', request.id);
        reply.hijack();
        const answered = await panels.handle(id, request.raw, reply.raw);
        if (!answered) {
          const body = JSON.stringify({ ...problem(404, `No route ${request.method} ${url.pathname}.`), requestId: request.id });
          reply.raw.writeHead(404, { 'Content-Type': PROBLEM_TYPE }).end(body);
        }
      },
    });
  });

  return { app, panels };
}
