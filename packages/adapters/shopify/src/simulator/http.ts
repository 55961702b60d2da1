/**
 * The HTTP end of the simulator: the host a request is for, reading a request body (bounded),
 * sending an answer (recording its status in the log entry), the bodies Shopify answers refusals
 * with, and waiting.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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

/** Whether a request is for this store: its domain (`Host` or `X-Forwarded-Host`), or the loopback address. */
export function isForStore(req: IncomingMessage, shopDomain: string): boolean {
  const forwarded = req.headers['x-forwarded-host'];
  const host = ((Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return host === shopDomain || host === '127.0.0.1' || host === 'localhost';
}

/** The configured latency: a base per request, time per mutation, random jitter. */
export function latencyMs(latency: SimulatorConfig['latency'], mutations: number): number {
  return latency.baseMs + latency.perMutationMs * mutations + (latency.jitterMs ? Math.random() * latency.jitterMs : 0);
}
