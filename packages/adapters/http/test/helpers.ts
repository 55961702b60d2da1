/** A real server for the handler's tests: node:http on a free port, an engine behind it, an SSE reader. */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { LocalSyncSource, SyncEngine, type Change, type EngineOptions, type SourceChange, type SourceListener, type SyncSource } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { createSyncHandler, type SyncHandler, type SyncHandlerOptions } from '@shopsync/http';

export const BASE = '/api/sync';
export const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
export const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });
export const products = (n: number, prefix = 'P') => Array.from({ length: n }, (_, i) => product(`${prefix}${String(i).padStart(3, '0')}`));

export interface TestServer {
  url: string;
  port: number;
  server: Server;
  handler: SyncHandler;
  source: SyncSource;
  /** Requests the handler did not take (outside its base path). */
  fellThrough: string[];
  close(): Promise<void>;
}

/** Serves `source` through `createSyncHandler` on 127.0.0.1; requests outside the base get 418. */
export async function serve(source: SyncSource, options: Partial<SyncHandlerOptions> = {}): Promise<TestServer> {
  const handler = createSyncHandler({ source, basePath: BASE, onError: () => {}, ...options });
  const fellThrough: string[] = [];
  const server = createServer((req, res) => {
    void handler.node(req, res).then((handled) => {
      if (handled) return;
      fellThrough.push(req.url ?? '');
      res.writeHead(418, { 'Content-Type': 'text/plain' });
      res.end('not the handler');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    handler,
    source,
    fellThrough,
    close: async () => {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An engine on a FakeTarget and memory storage, its LocalSyncSource, served. */
export async function serveEngine(engineOptions: Partial<EngineOptions> = {}, handlerOptions: Partial<SyncHandlerOptions> = {}, target = new FakeTarget()) {
  const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 }, batchSize: 5, ...engineOptions });
  const source = new LocalSyncSource(engine);
  const server = await serve(source, handlerOptions);
  return {
    ...server,
    engine,
    target,
    source,
    close: async () => {
      await server.close();
      await engine.dispose();
    },
  };
}

/** A source whose changes the test emits by hand; reads are not needed by the stream tests. */
export class ManualSource implements SyncSource {
  readonly connectorId = 'manual-1';
  readonly #listeners = new Set<SourceListener>();
  emit(change: SourceChange): void {
    for (const l of [...this.#listeners]) l(change);
  }
  subscribe(listener: SourceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  get subscribers(): number {
    return this.#listeners.size;
  }
  listEvents = unused;
  getEvent = unused;
  queryItems = unused;
  summarizeItemErrors = unused;
  downloadLogs = unused;
  connectorState = unused;
  retryItem = unused;
  retryFailed = unused;
  setEnabled = unused;
}
async function unused(): Promise<never> {
  throw new Error('not used by this test');
}

/** A pending-counts change of the manual source, numbered so that tests can tell them apart. */
export const pendingChange = (n: number, padding = ''): SourceChange =>
  ({ type: 'pendingChanged', connectorId: 'manual-1', pending: { categories: n, products: 0, variants: 0 }, ...(padding ? { padding } : {}) }) as SourceChange;

export interface SseMessage {
  id: string;
  event: string;
  data: string;
}

/** A stream read over a raw HTTP request, parsed as Server-Sent Events. */
export interface SseReader {
  res: IncomingMessage;
  socket: Socket;
  status: number;
  headers: IncomingMessage['headers'];
  messages: SseMessage[];
  comments: string[];
  retry: number | undefined;
  ended: boolean;
  /** The `change` messages' data, parsed. */
  changes(): Array<SourceChange & { id: string }>;
  /** Resolves when `test` holds (checked after every chunk), rejects after `ms`. */
  until(test: () => boolean, ms?: number, what?: string): Promise<void>;
  /** Drops the connection at once, as a network failure would. */
  drop(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Accept: 'text/event-stream', ...headers } }, (res) => {
      const waiters = new Set<() => void>();
      const check = () => waiters.forEach((w) => w());
      let buffer = '';
      const reader: SseReader = {
        res,
        socket: res.socket,
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages: [],
        comments: [],
        retry: undefined,
        ended: false,
        changes: () => reader.messages.filter((m) => m.event === 'change').map((m) => ({ ...(JSON.parse(m.data) as SourceChange), id: m.id })),
        until: (test, ms = 5_000, what = 'condition') =>
          new Promise<void>((ok, fail) => {
            if (test()) return ok();
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              fail(new Error(`timed out waiting for ${what}`));
            }, ms);
            const waiter = () => {
              if (!test()) return;
              clearTimeout(timer);
              waiters.delete(waiter);
              ok();
            };
            waiters.add(waiter);
          }),
        drop: () => {
          res.socket.destroy();
        },
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const msg: SseMessage = { id: '', event: 'message', data: '' };
          let isMessage = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
            else if (line.startsWith('retry: ')) reader.retry = Number(line.slice(7));
            else {
              const [field, ...rest] = line.split(': ');
              const value = rest.join(': ');
              if (field === 'id') msg.id = value;
              else if (field === 'event') msg.event = value;
              else if (field === 'data') {
                msg.data = value;
                isMessage = true;
              }
            }
          }
          if (isMessage) reader.messages.push(msg);
        }
        check();
      });
      const end = () => {
        reader.ended = true;
        check();
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
      resolve(reader);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Polls `test` until it holds. */
export async function until(test: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** JSON request against the test server, answering status, headers and parsed body. */
export async function call(base: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const res = await fetch(base + path, {
    ...rest,
    ...(json !== undefined ? { body: JSON.stringify(json), headers: { 'Content-Type': 'application/json', ...(rest.headers as Record<string, string>) } } : {}),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, text, body: body as { error?: { code: string; message: string; issues?: Array<{ path: string; message: string }> } } & Record<string, unknown> };
}
