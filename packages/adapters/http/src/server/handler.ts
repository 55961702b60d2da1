import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ShopsyncError, ValidationError, type SyncSource } from '@shopsync/core';
import { parseOrThrow, remoteText } from '@shopsync/core/internal';
import { PATHS, type ErrorBody } from '../shared/protocol.js';
import { HttpError } from './http-error.js';
import { readNodeBody, readWebBody } from './body.js';
import {
  connectorBody,
  eventIdParam,
  eventsQuery,
  filterQuery,
  itemsQuery,
  logsQuery,
  noQuery,
  queryObject,
  retryFailedBody,
  lastEventIdHeader,
  retryItemBody,
  streamQuery,
} from './schemas.js';
import { scrubText, scrubValue } from './scrub.js';
import { StreamHub, type StreamSink } from './stream-hub.js';
import type { SyncAction, SyncHandler, SyncHandlerOptions, SyncRequest } from './types.js';

const optionsSchema = z
  .object({
    basePath: z
      .string()
      .max(1_000)
      .regex(/^(\/[^?#\s]*)?$/, 'expected a path starting with "/", without query or fragment')
      .default(''),
    heartbeatMs: z.number().int().min(10).max(3_600_000).default(15_000),
    retryMs: z.number().int().min(0).max(3_600_000).default(2_000),
    replayBufferSize: z.number().int().min(1).max(1_000_000).default(1_000),
    replayBufferBytes: z.number().int().min(1_024).default(8 * 1024 * 1024),
    clientBufferLimit: z.number().int().min(1).default(256 * 1024),
    maxBodyBytes: z.number().int().min(64).max(100 * 1024 * 1024).default(16 * 1024),
    secrets: z
      .union([z.array(z.string()), z.custom<() => readonly string[]>((v) => typeof v === 'function', 'expected a list of strings, or a function that returns one')])
      .default([]),
  })
  .strip();

/** Every response says what it is and is never cached: it is live data, or a log download. */
const COMMON_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } as const;
const JSON_TYPE = 'application/json; charset=utf-8';
const SSE_HEADERS = {
  ...COMMON_HEADERS,
  // no-transform: compression middleware must not hold events back to fill a block.
  'Cache-Control': 'no-store, no-transform',
  'Content-Type': 'text/event-stream; charset=utf-8',
  // Proxies (nginx) must pass events through as they come.
  'X-Accel-Buffering': 'no',
} as const;

type Reply = { kind: 'reply'; status: number; headers: Record<string, string>; body: string };
type Outcome = Reply | { kind: 'stream'; lastEventId: string | undefined };

interface Context {
  request: SyncRequest;
  /** Decoded path parameters, in route order. */
  params: string[];
  query: Record<string, string | string[]>;
  readBody: () => Promise<string>;
}

type Handle = (ctx: Context) => Promise<Outcome>;

interface Route {
  /** Path segments under the base; `:` marks a parameter. */
  segments: string[];
  methods: Partial<Record<string, Handle>>;
}

/**
 * Serves a `SyncSource` over HTTP and Server-Sent Events, framework-free: `handler.node(req, res)`
 * for Node's `http` (and Express, Fastify's raw request…), `handler.fetch(request)` for
 * fetch-style servers. Routes under `basePath`:
 *
 * | Method     | Path                        | Answer                                         |
 * |------------|-----------------------------|------------------------------------------------|
 * | GET        | /state                      | ConnectorState                                 |
 * | GET        | /events?offset&limit        | Page<SyncEvent>, newest first                  |
 * | GET        | /events/:id                 | SyncEvent, or 404                              |
 * | GET        | /events/:id/logs?format     | the log as a download (jsonl or csv)           |
 * | GET        | /items?ref&status&entity&since&offset&limit | Page<ItemView>                 |
 * | GET        | /items/errors?ref&status&entity&since | ItemErrorSummary                     |
 * | GET        | /stream                     | text/event-stream of SourceChanges             |
 * | POST       | /items/retry {entity, ref}  | { queued }              (authorize: retryItem) |
 * | POST       | /items/retry-failed {filter}| { queued }            (authorize: retryFailed) |
 * | PUT, POST  | /connector {enabled}        | ConnectorState         (authorize: setEnabled) |
 *
 * Every query and body is validated (400 naming the field), unknown routes get 404, wrong
 * methods 405 with `Allow`, actions 403 unless `authorize` says yes. Errors are JSON:
 * `{ error: { code, message, issues? } }`. No response carries a credential.
 */
export function createSyncHandler(options: SyncHandlerOptions): SyncHandler {
  const { source } = options;
  const config = parseOrThrow(optionsSchema, options, 'options', 'sync handler options');
  const basePath = config.basePath === '/' ? '' : config.basePath.replace(/\/+$/, '');
  const listed = config.secrets;
  // Asked at each use: credentials that rotate (a renewed token) are scrubbed from the moment they exist.
  const secrets = (): readonly string[] => (typeof listed === 'function' ? listed() : listed);
  const onError = options.onError ?? ((error: unknown) => console.error('[@shopsync/http]', error));
  const hub = new StreamHub(source, {
    heartbeatMs: config.heartbeatMs,
    retryMs: config.retryMs,
    replayBufferSize: config.replayBufferSize,
    replayBufferBytes: config.replayBufferBytes,
    clientBufferLimit: config.clientBufferLimit,
    secrets,
  });

  const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
    kind: 'reply',
    status,
    headers: { ...COMMON_HEADERS, 'Content-Type': JSON_TYPE, ...headers },
    body: JSON.stringify(scrubValue(value, secrets())),
  });

  const routes = defineRoutes(source, {
    json,
    authorize: async (ctx, action) => {
      if (!options.authorize) throw new HttpError(403, 'forbidden', 'Actions are turned off: the server set up no authorize hook.');
      if ((await options.authorize(ctx.request, action)) !== true) throw new HttpError(403, 'forbidden', `Not allowed: ${action}.`);
    },
    download: (download) => ({
      kind: 'reply',
      status: 200,
      headers: { ...COMMON_HEADERS, 'Content-Type': download.contentType, 'Content-Disposition': attachment(download.filename) },
      body: scrubText(download.content, secrets()),
    }),
  });

  const under = (pathname: string) => pathname === basePath || pathname.startsWith(`${basePath}/`);

  async function dispatch(request: SyncRequest, readBody: () => Promise<string>): Promise<Outcome> {
    try {
      if (hub.closed) throw new HttpError(503, 'closed', 'This sync handler has been closed.');
      const path = request.url.pathname.slice(basePath.length);
      const parts = path.split('/').slice(1);
      const route = routes.find((r) => r.segments.length === parts.length && r.segments.every((s, i) => s.startsWith(':') || s === parts[i]));
      if (!route || path === '') throw new HttpError(404, 'not_found', `No route ${path || '/'} under ${basePath || '/'}.`);
      const handle = route.methods[request.method];
      if (!handle) {
        const allow = Object.keys(route.methods).join(', ');
        throw new HttpError(405, 'method_not_allowed', `Use ${allow} for ${path}.`, { headers: { Allow: allow } });
      }
      const params = route.segments.flatMap((s, i) => (s.startsWith(':') ? [decodeParam(parts[i] ?? '', s.slice(1))] : []));
      return await handle({ request, params, query: queryObject(request.url.searchParams), readBody });
    } catch (err) {
      return errorReply(err, request);
    }
  }

  function errorReply(err: unknown, request: SyncRequest): Reply {
    const body = (code: string, message: string, issues?: ErrorBody['error']['issues']): ErrorBody => ({ error: { code, message, ...(issues ? { issues } : {}) } });
    if (err instanceof HttpError) return json(err.status, body(err.code, err.message, err.issues ? [...err.issues] : undefined), err.headers);
    if (err instanceof ValidationError) return json(400, body('invalid_input', remoteText(err.message), err.issues.map((i) => ({ path: i.path, message: remoteText(i.message) }))));
    onError(err, request);
    // Core's own errors say what to do and hold no secret (remote text is scrubbed again);
    // anything else may hold internals (paths, SQL), so it stays in the server's log.
    if (err instanceof ShopsyncError) return json(500, body(err.code, remoteText(err.message, 1_000)));
    return json(500, body('internal', 'The sync source failed; the server log has the details.'));
  }

  return {
    basePath,

    async node(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
      const url = nodeUrl(req);
      if (!url || !under(url.pathname)) return false;
      const request: SyncRequest = { kind: 'node', method: (req.method ?? 'GET').toUpperCase(), url, headers: nodeHeaders(req), native: req };
      const outcome = await dispatch(request, () => readNodeBody(req, config.maxBodyBytes));
      if (outcome.kind === 'reply') {
        if (!res.headersSent) res.writeHead(outcome.status, outcome.headers);
        res.end(outcome.body);
        return true;
      }
      if (res.destroyed) return true;
      res.writeHead(200, SSE_HEADERS);
      res.flushHeaders();
      req.socket.setNoDelay(true);
      const client = hub.attach(nodeSink(res), outcome.lastEventId);
      res.on('close', () => client.closed());
      return true;
    },

    async fetch(native: Request): Promise<Response | undefined> {
      const url = new URL(native.url);
      if (!under(url.pathname)) return undefined;
      const request: SyncRequest = { kind: 'fetch', method: native.method.toUpperCase(), url, headers: native.headers, native };
      const outcome = await dispatch(request, () => readWebBody(native, config.maxBodyBytes));
      if (outcome.kind === 'reply') return new Response(outcome.body, { status: outcome.status, headers: outcome.headers });
      const sink = webSink(config.clientBufferLimit);
      const client = hub.attach(sink, outcome.lastEventId);
      sink.onCancel = () => client.closed();
      native.signal.addEventListener('abort', () => client.end(), { once: true });
      return new Response(sink.stream, { status: 200, headers: SSE_HEADERS });
    },

    stats: () => hub.stats(),

    close(): void {
      hub.close();
    },
  };
}

interface RouteHelpers {
  json: (status: number, value: unknown) => Reply;
  authorize: (ctx: Context, action: SyncAction) => Promise<void>;
  download: (download: Awaited<ReturnType<SyncSource['downloadLogs']>>) => Reply;
}

/** The routes of the table above (the stream is added by the handler, which owns the hub). */
function defineRoutes(source: SyncSource, { json, authorize, download }: RouteHelpers): Route[] {
  const path = (p: string) => p.split('/').slice(1);
  const body = async (ctx: Context): Promise<unknown> => {
    const type = ctx.request.headers.get('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON, with Content-Type: application/json.');
    const text = await ctx.readBody();
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(400, 'invalid_input', 'Invalid body: expected a JSON document.', { issues: [{ path: 'body', message: 'expected a JSON document' }] });
    }
  };
  const eventOr404 = async (id: string) => {
    const event = await source.getEvent(id);
    if (!event) throw new HttpError(404, 'not_found', `No sync event ${id}.`);
    return event;
  };
  return [
    {
      segments: path(PATHS.state),
      methods: {
        GET: async (ctx) => {
          parseOrThrow(noQuery, ctx.query, 'query');
          return json(200, await source.connectorState());
        },
      },
    },
    {
      segments: path(PATHS.events),
      methods: { GET: async (ctx) => json(200, await source.listEvents(parseOrThrow(eventsQuery, ctx.query, 'query'))) },
    },
    {
      segments: ['events', ':id'],
      methods: {
        GET: async (ctx) => {
          parseOrThrow(noQuery, ctx.query, 'query');
          return json(200, await eventOr404(eventId(ctx)));
        },
      },
    },
    {
      segments: ['events', ':id', 'logs'],
      methods: {
        GET: async (ctx) => {
          const { format } = parseOrThrow(logsQuery, ctx.query, 'query');
          const id = eventId(ctx);
          await eventOr404(id);
          return download(await source.downloadLogs(id, format));
        },
      },
    },
    {
      segments: path(PATHS.items),
      methods: { GET: async (ctx) => json(200, await source.queryItems(parseOrThrow(itemsQuery, ctx.query, 'query'))) },
    },
    {
      segments: path(PATHS.itemErrors),
      methods: { GET: async (ctx) => json(200, await source.summarizeItemErrors(parseOrThrow(filterQuery, ctx.query, 'query'))) },
    },
    {
      segments: path(PATHS.retryItem),
      methods: {
        POST: async (ctx) => {
          await authorize(ctx, 'retryItem');
          const item = parseOrThrow(retryItemBody, await body(ctx), 'body');
          return json(200, { queued: await source.retryItem(item) });
        },
      },
    },
    {
      segments: path(PATHS.retryFailed),
      methods: {
        POST: async (ctx) => {
          await authorize(ctx, 'retryFailed');
          const filter = parseOrThrow(retryFailedBody, await body(ctx), 'body');
          return json(200, { queued: await source.retryFailed(filter) });
        },
      },
    },
    {
      segments: path(PATHS.stream),
      methods: {
        GET: async (ctx) => {
          const { lastEventId } = parseOrThrow(streamQuery, ctx.query, 'query');
          // The header (a browser's own reconnect) wins over the query (a client's first connect).
          const header = ctx.request.headers.get('last-event-id') ?? undefined;
          parseOrThrow(lastEventIdHeader, header === undefined ? {} : { 'last-event-id': header }, 'headers');
          return { kind: 'stream', lastEventId: header ?? lastEventId };
        },
      },
    },
    {
      segments: path(PATHS.connector),
      methods: Object.fromEntries(
        ['PUT', 'POST'].map((m) => [
          m,
          async (ctx: Context) => {
            await authorize(ctx, 'setEnabled');
            const { enabled } = parseOrThrow(connectorBody, await body(ctx), 'body');
            await source.setEnabled(enabled);
            return json(200, await source.connectorState());
          },
        ]),
      ),
    },
  ];
}

function eventId(ctx: Context): string {
  return parseOrThrow(eventIdParam, ctx.params[0], 'params.id');
}

function decodeParam(segment: string, name: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'invalid_input', `Invalid params.${name}: malformed URI encoding.`, { issues: [{ path: `params.${name}`, message: 'malformed URI encoding' }] });
  }
}

/** `Content-Disposition` for a download: a plain ASCII name, and the exact one in RFC 5987 form. */
function attachment(filename: string): string {
  const plain = filename.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200) || 'shopsync-log';
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 200))}`;
}

function nodeUrl(req: IncomingMessage): URL | undefined {
  const host = req.headers.host;
  for (const origin of [host ? `http://${host}` : undefined, 'http://localhost']) {
    if (!origin) continue;
    try {
      return new URL(req.url ?? '/', origin);
    } catch {
      // A malformed Host header: fall back to a neutral origin.
    }
  }
  return undefined;
}

function nodeHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // Node accepted a header that the Fetch standard does not: leave it out.
    }
  }
  return headers;
}

function nodeSink(res: ServerResponse): StreamSink {
  return {
    write: (chunk) => {
      if (!res.destroyed && !res.writableEnded) res.write(chunk);
    },
    buffered: () => (res.destroyed ? 0 : res.writableLength),
    onDrain: (fn) => void res.once('drain', fn),
    end: () => res.end(),
    destroy: () => res.destroy(),
  };
}

interface WebSink extends StreamSink {
  readonly stream: ReadableStream<Uint8Array>;
  onCancel: (() => void) | undefined;
}

/** A stream for a fetch Response: its queue (in bytes, up to the client limit) is the client's buffer. */
function webSink(limit: number): WebSink {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let drain: (() => void) | undefined;
  let open = true;
  const sink: WebSink = {
    stream: new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          controller = c;
        },
        // Called whenever the queue has room again: the client is reading.
        pull: () => {
          const fn = drain;
          drain = undefined;
          fn?.();
        },
        cancel: () => {
          open = false;
          sink.onCancel?.();
        },
      },
      { highWaterMark: limit, size: (chunk) => chunk.byteLength },
    ),
    onCancel: undefined,
    write: (chunk) => {
      if (open) controller.enqueue(chunk);
    },
    buffered: () => (open ? Math.max(0, limit - (controller.desiredSize ?? 0)) : 0),
    onDrain: (fn) => {
      drain = fn;
    },
    end: () => {
      if (!open) return;
      open = false;
      controller.close();
    },
    destroy: () => {
      if (!open) return;
      open = false;
      controller.error(new Error('The client fell too far behind the stream.'));
    },
  };
  return sink;
}
