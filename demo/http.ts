/** The demo server's small HTTP pieces: its page policy, the same-origin check, JSON answers, bodies, and a port it keeps. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '@shopsync/core';

/** The page may not run inline script or load anything from elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Actions change the store: only pages of this origin may ask. A browser names the requesting
 * origin on every cross-origin request (and on same-origin POSTs), so a page elsewhere cannot.
 */
export function sameOrigin(headers: { get(name: string): string | null | undefined }): boolean {
  const origin = headers.get('origin');
  const host = headers.get('host');
  const site = headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') return false;
  if (!origin) return site === 'same-origin';
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** One request header's value (the first, if it came more than once). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers with a JSON body, never cached. */
export function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

/** The request body as text; a ValidationError beyond `limit` bytes. */
export async function body(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ValidationError('request body', [{ path: '', message: `expected at most ${limit} bytes` }]);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What the demo remembers between starts, beside its database (`<data>/demo.json`). */
export interface DemoMemory {
  /** The port of the last start: asked for again, so that the page's URL and the images' addresses stay. */
  port?: number;
  /** The address the seeded catalog's images were sent with. */
  imageBaseUrl?: string;
}

/** Reads the demo's memory (empty when there is none or it cannot be read). */
export function readMemory(path: string): DemoMemory {
  if (!existsSync(path)) return {};
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as DemoMemory;
    return { ...(Number.isInteger(m.port) ? { port: m.port } : {}), ...(typeof m.imageBaseUrl === 'string' ? { imageBaseUrl: m.imageBaseUrl } : {}) };
  } catch {
    return {};
  }
}

/** Writes the demo's memory. */
export function writeMemory(path: string, memory: DemoMemory): void {
  writeFileSync(path, `${JSON.stringify(memory, null, 2)}\n`);
}

/**
 * Listens on 127.0.0.1: on `port` if given, else on `preferred` (the last start's) when it is
 * free, else on a free port. Resolves with the port.
 */
export async function listen(server: Server, port: number, preferred?: number): Promise<number> {
  const attempt = (p: number) =>
    new Promise<void>((ok, fail) => {
      const failed = (err: Error) => fail(err);
      server.once('error', failed);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', failed);
        ok();
      });
    });
  if (port === 0 && preferred) {
    try {
      await attempt(preferred);
      return preferred;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  await attempt(port);
  return (server.address() as AddressInfo).port;
}
