/**
 * The HTTP end of the simulator: reading a request body (bounded), sending an answer (recording
 * its status in the log entry), the bodies Shopify answers refusals with, and waiting.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestLogEntry } from './request-log.js';

/** Shopify's answer to a wrong or missing access token (HTTP 401). */
export const UNAUTHORIZED_BODY = '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}';
/** Shopify's answer to an unknown store, path or API version (HTTP 404). */
export const NOT_FOUND_BODY = '{"errors":"Not Found"}';

/** Sends an answer (unless the connection is gone) and records its status. */
export function send(res: ServerResponse, entry: RequestLogEntry, status: number, body: string, headers: Record<string, string> = {}): void {
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
