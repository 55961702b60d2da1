/**
 * The HTTP end of the simulator: the server, the shop a request is for, reading a request body
 * (bounded), sending an answer (recording its status in the log entry), the bodies Shopify
 * answers refusals with, and waiting.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatorConfig } from './options.js';

/** Shopify's answer to a wrong or missing access token (HTTP 401). */
export const UNAUTHORIZED_BODY = '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}';
/** Shopify's answer to an unknown store, path or API version (HTTP 404). */
export const NOT_FOUND_BODY = '{"errors":"Not Found"}';

/** Shopify's answer to a public app's non-expiring offline token from 2027-01-01 (HTTP 403). */
export const NON_EXPIRING_BODY = '{"errors":"Non-expiring access tokens are no longer accepted for the Admin API. Start using expiring offline tokens."}';

/** A log entry's part that records the status sent. */
export interface StatusRecord {
  /** HTTP status sent; 0 when the connection was reset or dropped. */
  status: number;
}

/** Sends an answer (unless the connection is gone) and records its status. */
export function send(res: ServerResponse, entry: StatusRecord, status: number, body: string, headers: Record<string, string> = {}): void {
  entry.status = status;
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

/** The request body as text, or null when it is larger than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Resolves after `ms` (at once for 0 or less). */
export function delay(ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Where a request goes: the shop it names, and its path there. */
export interface Route {
  /** The shop's domain (lower case), or undefined when the request names none (the loopback address, no `/shops/` prefix). */
  shop: string | undefined;
  /** The path within the shop: without the `/shops/{domain}` prefix, without the query. */
  path: string;
}

/** The path prefix that names a shop: `/shops/{domain}/admin/api/…`. */
const SHOP_PREFIX = /^\/shops\/([^/?#]+)(\/[^?#]*)?/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost']);

/**
 * The shop a request is for, and its path there. A shop is named by the path prefix
 * `/shops/{domain}` (an `endpoint` with a path, or a client that cannot set headers), by
 * `X-Forwarded-Host` (what the Shopify target and the credentials' token requests send to an
 * `endpoint`: the store's domain), or else by `Host` (a client that resolves the store's domain to
 * the simulator); the loopback address as `Host` names none. A prefix and a header naming two
 * different hosts: null (answered 404, as a misdirected request).
 */
export function routeOf(req: IncomingMessage): Route | null {
  const url = req.url ?? '/';
  const forwarded = req.headers['x-forwarded-host'];
  const host = ((Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  const named = LOOPBACK.has(host) ? undefined : host;
  const prefix = url.startsWith('/shops/') ? SHOP_PREFIX.exec(url) : null;
  if (!prefix) return { shop: named, path: url.split('?')[0]! };
  const shop = prefix[1]!.toLowerCase();
  if (named !== undefined && named !== shop) return null;
  return { shop, path: prefix[2] ?? '/' };
}

/** Whether a route is for the one store of a simulator: it names this store, or none. */
export function isForStore(route: Route | null, shopDomain: string): boolean {
  return route !== null && (route.shop === undefined || route.shop === shopDomain);
}

/** Starts an HTTP server on `host:port` (0: a free one) that answers with `handler`; resolves with it and its origin. */
export async function listen(host: string, port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}

/** Stops a server: it takes no more connections, and held and open ones are dropped. */
export function stopServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The configured latency: a base per request, time per mutation, random jitter. */
export function latencyMs(latency: SimulatorConfig['latency'], mutations: number): number {
  return latency.baseMs + latency.perMutationMs * mutations + (latency.jitterMs ? Math.random() * latency.jitterMs : 0);
}
