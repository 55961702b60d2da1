/**
 * The server side of the browser tests, running inside web-test-runner's Node process: an engine
 * on a FakeTarget and memory storage, served by `createSyncHandler` under `/shopsync-test/api`,
 * on the test page's own origin (so no CORS). Browser tests drive it with the server command
 * `shopsync-http` (see wtr.mjs, which bundles this file from source with esbuild).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalSyncSource, SyncEngine, type Change, type SourceChange } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { createSyncHandler, type SyncHandler } from '@shopsync/http';

export const PREFIX = '/shopsync-test';
export const BASE = `${PREFIX}/api`;

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });

interface World {
  engine: SyncEngine;
  target: FakeTarget;
  source: LocalSyncSource;
  handler: SyncHandler;
  /** Every change the source emitted since the last `mark`. */
  changes: SourceChange[];
  unsubscribe: () => void;
  streams: Set<ServerResponse>;
  run: Promise<unknown> | undefined;
  /** Resolves the push held by a gated run. */
  release: (() => void) | undefined;
  held: Promise<void> | undefined;
}

let world: World | undefined;

function newHandler(source: LocalSyncSource): SyncHandler {
  return createSyncHandler({
    source,
    basePath: BASE,
    retryMs: 200,
    heartbeatMs: 1_000,
    // What a host would do for a cookie session: actions only from its own pages.
    authorize: (request) => request.headers.get('sec-fetch-site') === 'same-origin',
    onError: () => {},
  });
}

async function reset(): Promise<void> {
  await dispose();
  const target = new FakeTarget({ outcomes: (i) => (i.ref.startsWith('BAD') ? { errors: [{ code: 'INVALID', field: ['price'], message: 'Price must be positive' }] } : 'synced') });
  const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 }, batchSize: 3 });
  const source = new LocalSyncSource(engine);
  const changes: SourceChange[] = [];
  const unsubscribe = source.subscribe((c) => changes.push(c));
  world = { engine, target, source, handler: newHandler(source), changes, unsubscribe, streams: new Set(), run: undefined, release: undefined, held: undefined };
}

async function dispose(): Promise<void> {
  if (!world) return;
  const w = world;
  world = undefined;
  w.release?.();
  w.handler.close();
  w.unsubscribe();
  await w.run?.catch(() => undefined);
  await w.engine.dispose();
}

function current(): World {
  if (!world) throw new Error('no test world: send { action: "reset" } first');
  return world;
}

/** Koa middleware: requests under PREFIX go to the handler, straight on Node's req/res. */
export async function handle(ctx: { path: string; req: IncomingMessage; res: ServerResponse; respond?: boolean }, next: () => Promise<unknown>): Promise<unknown> {
  if (!ctx.path.startsWith(`${PREFIX}/`)) return next();
  ctx.respond = false;
  const w = world;
  if (!w) {
    ctx.res.writeHead(503, { 'Content-Type': 'text/plain' }).end('no test world');
    return undefined;
  }
  if (ctx.path === `${BASE}/stream`) {
    w.streams.add(ctx.res);
    ctx.res.on('close', () => w.streams.delete(ctx.res));
  }
  if (!(await w.handler.node(ctx.req, ctx.res))) ctx.res.writeHead(404, { 'Content-Type': 'text/plain' }).end('outside the handler');
  return undefined;
}

export type Command =
  | { action: 'reset' }
  | { action: 'enqueue'; count: number; prefix?: string }
  /** Runs to the end. */
  | { action: 'run' }
  /** Starts a run whose second push waits for `release`; resolves once it waits. */
  | { action: 'run-gated' }
  | { action: 'release' }
  | { action: 'set-enabled'; enabled: boolean }
  /** Forgets the recorded changes. */
  | { action: 'mark' }
  | { action: 'changes' }
  /** Cuts every open stream, as a network failure would. */
  | { action: 'drop-streams' }
  /** A new handler on the same source: a server restart, as far as ids go. */
  | { action: 'restart-handler' }
  | { action: 'stats' };

export async function command(c: Command): Promise<unknown> {
  switch (c.action) {
    case 'reset':
      await reset();
      return { base: BASE };
    case 'enqueue': {
      const prefix = c.prefix ?? 'P';
      const r = await current().engine.enqueue(Array.from({ length: c.count }, (_, i) => product(`${prefix}${String(i).padStart(3, '0')}`)));
      return r.pending;
    }
    case 'run': {
      const w = current();
      const run = w.engine.start();
      w.run = run;
      const event = await run;
      return { id: event.id, status: event.status };
    }
    case 'run-gated': {
      const w = current();
      const gate = new Promise<void>((resolve) => (w.release = resolve));
      let waiting!: () => void;
      w.held = new Promise<void>((r) => (waiting = r));
      const second = w.target.pushes.length + 2; // the target counts pushes across runs
      w.target.onPush = async (_items, n) => {
        if (n !== second) return;
        waiting();
        await gate;
      };
      w.run = w.engine.start();
      await w.held;
      return { id: w.engine.currentEvent?.id };
    }
    case 'release': {
      const w = current();
      w.release?.();
      w.release = undefined;
      w.target.onPush = undefined;
      const event = (await w.run) as { id: string; status: string } | undefined;
      return event && { id: event.id, status: event.status };
    }
    case 'set-enabled':
      await current().engine.setEnabled(c.enabled);
      return true;
    case 'mark':
      current().changes.length = 0;
      return true;
    case 'changes':
      return current().changes;
    case 'drop-streams': {
      const w = current();
      const n = w.streams.size;
      for (const res of w.streams) res.socket?.destroy();
      return n;
    }
    case 'restart-handler': {
      const w = current();
      w.handler.close();
      w.handler = newHandler(w.source);
      return true;
    }
    case 'stats':
      return current().handler.stats();
  }
}
