/** A real HTTP receiver on 127.0.0.1 for the webhook tests, and small helpers around it. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: Received[];
  /** Requests being answered right now, per `webhook-id`, and the most ever seen at once for one id. */
  maxConcurrentPerId: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:0 and answers each request with the status `answer` gives (1-based
 * count of requests so far); a promise that never settles leaves the request hanging.
 */
export async function startReceiver(answer: (n: number, request: Received) => number | Promise<number>): Promise<Receiver> {
  const open = new Map<string, number>();
  const receiver: Receiver = { url: '', requests: [], maxConcurrentPerId: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      receiver.requests.push(request);
      const id = String(req.headers['webhook-id']);
      open.set(id, (open.get(id) ?? 0) + 1);
      receiver.maxConcurrentPerId = Math.max(receiver.maxConcurrentPerId, open.get(id) ?? 0);
      void Promise.resolve(answer(receiver.requests.length, request)).then((status) => {
        open.set(id, (open.get(id) ?? 1) - 1);
        // A body the dispatcher must not keep.
        res.writeHead(status, { 'content-type': 'text/plain', location: '/elsewhere' }).end('private answer of the receiver');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shopsync`;
  receiver.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** Headers as the official verifier takes them. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Waits until `check` answers true (polled every 5 ms); fails after `limitMs`, naming `what`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for: ${what}`);
    await sleep(5);
  }
}

/** A promise and its resolver. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
