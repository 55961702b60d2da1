/**
 * Shared by the security tests: a real socket server over `createSyncHandler`, raw HTTP requests
 * with a deadline (the handler must answer, never hang), and a scanner for a secret in every form
 * it could leak in.
 */
import { inspect } from 'node:util';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { SyncSource } from '@shopsync/core';
import type { SyncHandler, SyncHandlerOptions } from '@shopsync/http';
import { serve as serveHandler } from '../../packages/adapters/http/test/helpers.js';

export const BASE = '/api/sync';

export interface Served {
  url: string;
  port: number;
  server: Server;
  handler: SyncHandler;
  /** Errors the handler passed to `onError` (a source that threw). */
  errors: unknown[];
  close(): Promise<void>;
}

/** `createSyncHandler` over `source` on 127.0.0.1, a free port (the http package's test server); requests outside the base get 418. */
export async function serve(source: SyncSource, options: Partial<SyncHandlerOptions> = {}): Promise<Served> {
  const errors: unknown[] = [];
  const served = await serveHandler(source, { onError: (e) => errors.push(e), ...options });
  return { url: served.url, port: served.port, server: served.server, handler: served.handler, errors, close: () => served.close() };
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The status line and headers as sent (raw), for scanning. */
  head: string;
  body: Buffer;
  text: string;
  json: unknown;
}

/**
 * One request over a fresh connection, `path` sent exactly as given (no URL normalization), the
 * answer read whole (an event stream: its head only, unless `streams`). Rejects after
 * `timeoutMs`: a handler that does not answer is a failure.
 */
export function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string | number>; body?: string | Uint8Array; timeoutMs?: number; streams?: boolean } = {},
): Promise<RawResponse> {
  const { method = 'GET', headers = {}, body, timeoutMs = 5_000, streams = false } = init;
  return new Promise((resolve, reject) => {
    // Content-Length always: Node's client sends no length and no chunking for a DELETE or OPTIONS body.
    const length = body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) };
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { Connection: 'close', ...length, ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const headText = () => [`HTTP/1.1 ${res.statusCode} ${res.statusMessage}`, ...pairs(res.rawHeaders)].join('\r\n');
      if (!streams && res.headers['content-type']?.startsWith('text/event-stream')) {
        // A stream does not end: its head is the answer, and the connection is dropped.
        clearTimeout(timer);
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, headers: res.headers, head: headText(), body: Buffer.alloc(0), text: '', json: undefined });
      }
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, head: headText(), body: buf, text, json });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`${method} ${path.slice(0, 200)}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server may answer (413) and close before the whole upload is written: the answer counts.
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') return;
      fail(err);
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

function pairs(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push(`${raw[i]}: ${raw[i + 1]}`);
  return out;
}

export interface ErrorBody {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

export function errorOf(r: RawResponse): ErrorBody['error'] | undefined {
  const b = r.json as Partial<ErrorBody> | undefined;
  return b && typeof b === 'object' && b.error && typeof b.error === 'object' ? b.error : undefined;
}

/** Rejects if `p` does not settle within `ms`: a hang is a failure with a name. */
export async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: still running after ${ms} ms (a hang)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every form a secret could leak in: as is (also its URL- and JSON-escaped forms, which are the
 * same for a token of letters, digits and "_"), its secret part alone (a leak that cut the
 * prefix), base64 and base64url of both, hex of its bytes, and its UTF-16 bytes (binary files).
 */
export function secretForms(secret: string): Array<{ name: string; bytes: Buffer }> {
  const bare = secret.replace(/^shp[a-z]{2}_/, '');
  const text: Array<[string, string]> = [
    ['as is', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['secret part', bare],
    ['base64', Buffer.from(secret).toString('base64')],
    ['base64url', Buffer.from(secret).toString('base64url')],
    ['secret part, base64', Buffer.from(bare).toString('base64')],
    ['hex of its bytes', Buffer.from(secret).toString('hex')],
  ];
  const seen = new Set<string>();
  const forms: Array<{ name: string; bytes: Buffer }> = [];
  for (const [name, value] of text) {
    if (seen.has(value)) continue;
    seen.add(value);
    forms.push({ name, bytes: Buffer.from(value, 'utf8') });
  }
  forms.push({ name: 'UTF-16LE', bytes: Buffer.from(secret, 'utf16le') });
  return forms;
}

/** Where and in which form `secret` occurs in the named haystacks (case-insensitive for text forms). */
export function findSecret(secret: string, haystacks: ReadonlyArray<{ where: string; data: string | Buffer }>): string[] {
  const forms = secretForms(secret);
  const found: string[] = [];
  for (const { where, data } of haystacks) {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const lower = Buffer.from(buf.toString('latin1').toLowerCase(), 'latin1');
    for (const f of forms) {
      const hits = f.name === 'UTF-16LE' ? count(buf, f.bytes) : count(lower, Buffer.from(f.bytes.toString('latin1').toLowerCase(), 'latin1'));
      if (hits > 0) found.push(`${where}: ${hits}× ${f.name}`);
    }
  }
  return found;
}

function count(hay: Buffer, needle: Buffer): number {
  let n = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++;
  return n;
}

/** Everything written to the console until `restore()`: it is output too, and scanned. */
export function captureConsole(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m) => {
    console[m] = (...args: unknown[]) => lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 20 }))).join(' '));
  });
  return {
    lines,
    restore: () =>
      methods.forEach((m, i) => {
        console[m] = originals[i]!;
      }),
  };
}

