/**
 * What the API tests share: the panel's routes (which live in @shopsync/http, not in the route
 * table), `send` (fetch, like `h.call`, but a stream is read to its first bytes and then closed),
 * `rawSend` (node:http, the path sent untouched), and checks of problem bodies.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerOf, type Answer } from '../support/harness.js';

/** A panel route under `/v1/connectors/{id}/sync`: `read` ones take GET, `act` ones POST a body. */
export interface PanelRoute {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  kind: 'read' | 'act';
  /** A valid body (act routes). */
  body?: unknown;
  /** It answers a text/event-stream. */
  stream?: boolean;
}

/** The panel's routes the app hands to @shopsync/http. */
export const PANEL_ROUTES: readonly PanelRoute[] = [
  { method: 'GET', path: '/v1/connectors/{id}/sync/state', kind: 'read' },
  { method: 'GET', path: '/v1/connectors/{id}/sync/events', kind: 'read' },
  { method: 'GET', path: '/v1/connectors/{id}/sync/items', kind: 'read' },
  { method: 'GET', path: '/v1/connectors/{id}/sync/items/errors', kind: 'read' },
  { method: 'GET', path: '/v1/connectors/{id}/sync/stream', kind: 'read', stream: true },
  { method: 'POST', path: '/v1/connectors/{id}/sync/items/retry', kind: 'act', body: { entity: 'product', ref: 'no-such-sku' } },
  { method: 'POST', path: '/v1/connectors/{id}/sync/items/retry-failed', kind: 'act', body: {} },
  // enabled: true on an enabled connector changes nothing, whoever is allowed to send it.
  { method: 'POST', path: '/v1/connectors/{id}/sync/connector', kind: 'act', body: { enabled: true } },
  // The panel's HttpSyncSource enables and disables with PUT.
  { method: 'PUT', path: '/v1/connectors/{id}/sync/connector', kind: 'act', body: { enabled: true } },
];

/** Fills `{name}` in a route path (each value URL-encoded). */
export const fillPath = (path: string, values: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`fillPath: no value for {${name}} in ${path}`);
    return encodeURIComponent(v);
  });

export interface SendOptions {
  headers?: Record<string, string>;
  /** Sent as is when a string, else JSON-encoded. */
  body?: unknown;
  /** Content-Type of the body (default application/json when there is one). */
  type?: string;
}

/**
 * One request. A text/event-stream answer is read until its first bytes, then the connection is
 * closed (a panel that goes away); anything else is read whole and parsed when JSON.
 */
export async function send(base: string, method: string, path: string, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = options.type ?? 'application/json';
  }
  const abort = new AbortController();
  const res = await fetch(base + path, { method, headers, signal: abort.signal, ...(body !== undefined && { body }) });
  let text: string;
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    const reader = res.body!.getReader();
    const waited = new AbortController();
    const first = await Promise.race([reader.read(), sleep(2_000, undefined, { signal: waited.signal }).catch(() => undefined)]);
    waited.abort();
    text = first?.value ? Buffer.from(first.value).toString('utf8') : '';
    abort.abort();
    await reader.cancel().catch(() => undefined);
  } else {
    text = await res.text();
  }
  return answerOf(res, text);
}

/** Asserts `a` is an RFC 9457 problem with `status` (and the fields the service always adds). */
export function assertProblem(a: Answer, status: number, what = ''): void {
  assert.equal(a.status, status, `${what}: status ${a.status}, body ${a.text.slice(0, 300)}`);
  assert.match(a.headers.get('content-type') ?? '', /^application\/problem\+json/, `${what}: problem+json, got ${a.headers.get('content-type')}`);
  assert.equal(a.body?.status, status, `${what}: body.status`);
  assert.equal(typeof a.body?.type, 'string', `${what}: body.type`);
  assert.equal(typeof a.body?.title, 'string', `${what}: body.title`);
  assert.equal(typeof a.body?.detail, 'string', `${what}: body.detail`);
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given (no URL normalisation: `..` and `%2e` reach the server). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * One request over node:http, the path untouched (fetch would resolve `..` and `%2e%2e`). A
 * text/event-stream answer is read until its first bytes, then closed. If the server answers
 * before the whole body is sent (a 413) and closes, the answer still counts.
 */
export function rawSend(base: string, r: RawRequest): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers: { ...r.headers, ...(r.body !== undefined && { 'content-length': String(Buffer.byteLength(r.body)) }) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      const done = () => {
        if (settled) return;
        settled = true;
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode ?? 0, headers, text, body: parsed });
        if (stream) res.destroy();
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        if (stream) done();
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', (err) => {
      // An EPIPE/ECONNRESET after the answer came is the server closing on a body it refused.
      if (!settled) setTimeout(() => (settled ? undefined : reject(err)), 200);
    });
    if (r.body !== undefined) req.end(r.body);
    else req.end();
  });
}
