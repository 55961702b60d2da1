/**
 * `npm start`: the whole system on one machine. A Shopify Admin API simulator (or a real store),
 * a sync engine on SQLite (or PostgreSQL: `--database postgres://…`) fed by a seeded catalog and a
 * trickle of changes, its SyncSource served over HTTP + Server-Sent Events, and a page with
 * <shopsync-panel src="/api/sync"> watching it live.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { assessApiVersion, latestStableVersion, LocalSyncSource, SyncEngine, ValidationError, type SyncEvent } from '@shopsync/core';
import { parseOrThrow } from '@shopsync/core/internal';
import { seededRandom } from '@shopsync/core/testing';
import { createSyncHandler } from '@shopsync/http';
import { fixedToken, ShopifyTarget, type CredentialsProvider } from '@shopsync/shopify';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { demoCatalog, trickle } from './catalog.js';
import { openDemoDatabase } from './database.js';
import { METAFIELD_NAMESPACE } from './product-details.js';
import { body, CONTENT_SECURITY_POLICY, header, json, listen, readMemory, sameOrigin, writeMemory } from './http.js';
import { IMAGE_PATH, serveDemoImage } from './images.js';
import { demoOptions, USAGE, type DemoOptions } from './options.js';
import { MEDIA_PROCESSING_MS, openDemoStore } from './store.js';
import { SwitchTarget } from './switch-target.js';

export { CONTENT_SECURITY_POLICY, sameOrigin } from './http.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const CONNECTOR = 'northwall';
/** Attempts per request before the target reports a general error (kept short so faults show quickly). */
const RETRY = { maxAttempts: 3, baseMs: 250, maxMs: 1_000 };

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: join(here, 'public/index.html'), type: 'text/html; charset=utf-8' },
  '/assets/demo.js': { file: join(here, 'public/demo.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/demo.css': { file: join(here, 'public/demo.css'), type: 'text/css; charset=utf-8' },
  '/assets/favicon.svg': { file: join(here, 'public/favicon.svg'), type: 'image/svg+xml' },
  '/favicon.ico': { file: join(here, 'public/favicon.svg'), type: 'image/svg+xml' },
  '/assets/shopsync-panel.bundle.js': { file: join(root, 'packages/widget/dist/shopsync-panel.bundle.js'), type: 'text/javascript; charset=utf-8' },
  '/assets/shopsync-panel.bundle.js.map': { file: join(root, 'packages/widget/dist/shopsync-panel.bundle.js.map'), type: 'application/json; charset=utf-8' },
};

/** API versions offered on the page: the latest, one whose support ends soon, one no longer supported. */
export function versionChoices(now: Date): Array<{ version: string; status: string; reason: string }> {
  const out = [];
  let [y, m] = latestStableVersion(now).split('-').map(Number) as [number, number];
  for (let i = 0; i < 8; i++) {
    const version = `${y}-${String(m).padStart(2, '0')}`;
    const a = assessApiVersion(version, now);
    const status = a.status === 'deprecated' ? 'deprecated' : a.endsSoon ? 'ends-soon' : 'supported';
    if (i === 0 || status !== 'supported') out.push({ version, status, reason: a.reason });
    if (out.some((o) => o.status === 'deprecated')) break;
    m -= 3;
    if (m < 1) [y, m] = [y - 1, 10];
  }
  return out;
}

const actionSchemas = {
  run: z.object({ credentials: z.enum(['valid', 'invalid']).default('valid') }).strict(),
  'api-version': z.object({ version: z.string().regex(/^\d{4}-(01|04|07|10)$/, 'expected a stable API version such as "2026-10"') }).strict(),
  fault: z.object({ kind: z.enum(['http503', 'malformed', 'hang']) }).strict(),
  changes: z.object({ count: z.number().int().min(1).max(500).default(20) }).strict(),
} as const;
type ActionName = keyof typeof actionSchemas;

/** A running demo: the page's URL, its engine and (unless a real store) the simulator; `close()` stops it all. */
export interface Demo {
  url: string;
  engine: SyncEngine;
  simulator: ShopifySimulator | undefined;
  close(): Promise<void>;
}

/**
 * Starts the demo: its page server (which also serves the catalog's images), the simulator or a
 * real store, the engine on SQLite or PostgreSQL (demo/database.ts), seeded on a first start,
 * and the trickle of changes.
 */
export async function startDemo(options: DemoOptions, log: (line: string) => void = () => {}): Promise<Demo> {
  const dataDir = resolve(options.data ?? join(here, 'data'));
  mkdirSync(dataDir, { recursive: true });
  const storePath = join(dataDir, 'simulator-store.json');
  if (options.fresh) rmSync(storePath, { force: true });

  const { storage, where } = await openDemoDatabase(options.database, { sqliteDefault: join(dataDir, 'shopsync.sqlite'), fresh: options.fresh });
  if (options.database.kind === 'postgres') log(`The queue and the history are in PostgreSQL: ${where}.`);

  // The page's server listens first: the catalog's images are served by it, at its address. Until
  // the rest is ready it answers only those. It asks for the last start's port again, so that the
  // page's URL and the addresses of the images the store has stay the same.
  const memoryPath = join(dataDir, 'demo.json');
  const memory = readMemory(memoryPath);
  let route: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined = undefined;
  const server = createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (serveDemoImage(path, req.method ?? 'GET', res, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY })) return;
    if (!route) return json(res, 503, { error: { message: 'The demo is starting; try again in a moment.' } }, { 'Retry-After': '1' });
    void route(req, res).catch((err: unknown) => {
      log(`request ${req.method} ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) json(res, 500, { error: { message: 'The demo server failed; see its terminal.' } });
      else res.destroy();
    });
  });
  const port = await listen(server, options.port, memory.port);
  const url = `http://127.0.0.1:${port}/`;
  if (options.port === 0 && memory.port !== undefined && port !== memory.port) log(`Port ${memory.port} (the last start's) is taken: the page is on ${port}.`);

  // The store: the simulator (its languages, its warehouses' locations), or a real one.
  const store = await openDemoStore(options, { storePath, storage, connectorId: CONNECTOR }).catch(async (err: unknown) => {
    await new Promise<void>((ok) => server.close(() => ok()));
    await storage.close();
    throw err;
  });
  const { simulator, endpoint, shopDomain, credentials } = store;
  // Products whose images are processing are checked again twice per processing time on the simulator.
  const mediaRetryMs = simulator ? MEDIA_PROCESSING_MS / 2 : 2_000;
  const targetFor = (provider: CredentialsProvider) => new ShopifyTarget({ credentials: provider, retry: RETRY, requestTimeoutMs: 2_000, mediaRetryMs, ...(endpoint ? { endpoint } : {}) });
  const good = targetFor(credentials);
  const target = new SwitchTarget(good);

  const engine = new SyncEngine({
    connector: {
      id: CONNECTOR,
      shopDomain,
      apiVersion: options.apiVersion ?? latestStableVersion(new Date()),
      language: 'en',
      overwriteStock: true,
      publications: ['Online Store'],
      // The ERP's warehouses -> the store's locations (by name): stock per warehouse, or one number without them.
      locations: store.locations,
      ownedMetafieldNamespaces: [METAFIELD_NAMESPACE],
      createMetafieldDefinitions: true,
    },
    target,
    storage,
    batchSize: 25,
    iterationDelayMs: options.iterationDelay,
    autoStart: { debounceMs: 1_000 },
    maxFailedIterations: 3,
    retryBackoff: { baseMs: 500, maxMs: 2_000 },
  });
  const source = new LocalSyncSource(engine);
  engine.on('statusChanged', ({ status, event }) => log(`  ${new Date().toISOString().slice(11, 19)} ${event.id}: ${status}`));

  // The catalog's images: the simulator downloads them from this server; a real store only from a public address.
  const imageBaseUrl = options.imageBaseUrl ?? (simulator ? new URL(IMAGE_PATH, url).href : undefined);
  if (!imageBaseUrl) log('Products go without images: a real store cannot download them from 127.0.0.1 (DEMO_IMAGE_BASE_URL names a public address of this demo).');
  const stockPerWarehouse = Object.keys(store.locations).length > 0;
  if (!stockPerWarehouse) log(`Stock goes to the store's primary location, one number a variant (the warehouses' sum): DEMO_LOCATIONS maps the warehouses to the store's locations.`);
  const { changes, invalid, failingImages } = demoCatalog(options.products, { ...(imageBaseUrl ? { imageBaseUrl } : {}), stockPerWarehouse });
  // A first start seeds the catalog; later starts find their history (and resume an interrupted event).
  const history = await engine.listEvents({ limit: 1 });
  const pending = await storage.pendingCounts(CONNECTOR);
  let seeded = false;
  if (history.total === 0 && pending.categories + pending.products + pending.variants === 0) {
    await engine.enqueue(changes);
    seeded = true;
    log(`Seeded ${changes.length} changes (${invalid.length} that Shopify will refuse, ${failingImages.length} of them for an image).`);
  } else {
    log(`${history.total} earlier sync events in ${where}.`);
    if (memory.imageBaseUrl !== imageBaseUrl) log(`The store's images came from ${memory.imageBaseUrl ?? 'nowhere'}, now from ${imageBaseUrl ?? 'nowhere'}: a product sent again sends its images anew.`);
  }
  const sentFrom = seeded ? imageBaseUrl : memory.imageBaseUrl;
  writeMemory(memoryPath, { port, ...(sentFrom ? { imageBaseUrl: sentFrom } : {}) });
  // On the simulator, the first run meets a store having a bad few minutes: general errors.
  if (simulator && seeded) {
    const sim = simulator;
    const faults = (e: { iteration: { index: number } }) => {
      if (e.iteration.index === 3) sim.injectFault('http503', { count: RETRY.maxAttempts });
      if (e.iteration.index === 8) {
        sim.injectFault('malformed', { count: RETRY.maxAttempts });
        engine.off('iterationCompleted', faults);
      }
    };
    engine.on('iterationCompleted', faults);
  }

  // The ERP keeps working: a few changes now and then, which join a run under way or start one.
  const rnd = seededRandom(99);
  let tick = 0;
  const trickleTimer = options.trickle > 0 ? setInterval(() => void engine.enqueue(trickle(changes, rnd, ++tick)).catch((e: unknown) => log(`trickle: ${String(e)}`)), options.trickle) : undefined;

  const background = (p: Promise<unknown>) => void p.catch((e: unknown) => log(`run: ${e instanceof Error ? e.message : String(e)}`));
  const run = async (): Promise<SyncEvent> => {
    await engine.idle();
    return engine.start({ trigger: 'manual' });
  };

  const actions: { [K in ActionName]: (input: z.output<(typeof actionSchemas)[K]>) => Promise<unknown> } = {
    run: async ({ credentials }) => {
      if (credentials === 'invalid') {
        await engine.idle();
        target.use(targetFor(fixedToken(`shpat_${randomBytes(16).toString('hex')}`)));
        background(run().finally(() => target.use(good)));
      } else background(run());
      return { started: true };
    },
    'api-version': async ({ version }) => {
      await engine.updateConfig({ apiVersion: version });
      // Send a few products again so that a run shows the version in use.
      await engine.enqueue(changes.filter((c) => c.entity === 'product').slice(0, 10), { force: true });
      background(run());
      return { apiVersion: version };
    },
    fault: async ({ kind }) => {
      if (!simulator) throw new ValidationError('demo action', [{ path: 'kind', message: 'faults can only be injected into the simulator' }]);
      simulator.injectFault(kind, { count: RETRY.maxAttempts });
      return { injected: kind };
    },
    changes: async ({ count }) => {
      const burst = [];
      while (burst.length < count) burst.push(...trickle(changes, rnd, ++tick));
      const result = await engine.enqueue(burst.slice(0, count));
      return { pending: result.pending };
    },
  };

  const handler = createSyncHandler({
    source,
    basePath: '/api/sync',
    authorize: (request) => sameOrigin(request.headers),
    // Belt and braces: no token is ever in what the source returns; this makes sure.
    secrets: () => credentials.secrets(),
  });

  const info = () => ({
    mode: simulator ? 'simulator' : 'store',
    shopDomain,
    apiVersion: engine.config.apiVersion,
    versions: versionChoices(new Date()),
    faults: simulator ? ['http503', 'malformed', 'hang'] : [],
  });

  route = serve;
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await handler.node(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/demo/info' && req.method === 'GET') return json(res, 200, info());
    const action = /^\/demo\/actions\/([a-z-]+)$/.exec(url.pathname)?.[1];
    if (action) {
      if (!(action in actionSchemas)) return json(res, 404, { error: { message: `No demo action ${action}.` } });
      if (req.method !== 'POST') return json(res, 405, { error: { message: 'Use POST.' } }, { Allow: 'POST' });
      if (!sameOrigin({ get: (n) => header(req, n) })) return json(res, 403, { error: { message: 'Actions are accepted from this page only.' } });
      const name = action as ActionName;
      let input: unknown;
      try {
        input = JSON.parse((await body(req)) || '{}');
      } catch {
        return json(res, 400, { error: { message: 'The body is not JSON.', issues: [{ path: '', message: 'expected a JSON object' }] } });
      }
      try {
        const parsed = parseOrThrow(actionSchemas[name] as z.ZodType, input, 'body', `${name} action`);
        return json(res, 200, await (actions[name] as (i: unknown) => Promise<unknown>)(parsed));
      } catch (err) {
        if (err instanceof ValidationError) return json(res, 400, { error: { message: err.message, issues: err.issues } });
        throw err;
      }
    }
    const file = STATIC[url.pathname];
    if (file && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!existsSync(file.file)) return json(res, 500, { error: { message: `${file.file} is missing: run npm run build.` } });
      res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-cache', 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file.file));
      return;
    }
    json(res, 404, { error: { message: 'Not found.' } });
  }

  let closed = false;
  // Resume what a previous demo left In Progress or Paused, or run what is queued (not once stopping: that run was paused by close()).
  background(
    (async () => {
      const resumed = await engine.recover();
      if (resumed) log(`Resumed the interrupted event ${resumed.id}.`);
      if (closed) return;
      const left = await storage.pendingCounts(CONNECTOR);
      if (left.categories + left.products + left.variants > 0) await run();
    })(),
  );

  return {
    url,
    engine,
    simulator,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(trickleTimer);
      handler.close();
      await engine.setEnabled(false).catch(() => {});
      await engine.idle().catch(() => {});
      await engine.dispose();
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await storage.close();
      await simulator?.close();
    },
  };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let options: DemoOptions | 'help';
  try {
    options = demoOptions(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    out(USAGE);
  } else {
    const demo = await startDemo(options, out).catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
    out(`${demo.simulator ? `Shopify simulator for ${demo.engine.config.shopDomain} on ${demo.simulator.url}` : `Syncing to ${demo.engine.config.shopDomain}`}.`);
    out(`shopsync demo: ${demo.url}`);
    out('Press Ctrl-C to stop; the history and the store are kept for the next start (--fresh forgets them).');
    /** When the first Ctrl-C came. One Ctrl-C reaches the demo up to three times at once (from the terminal, and passed on by npm and scripts/start.mjs); another, later, stops it at once. */
    let stopping: number | undefined;
    const stop = () => {
      if (stopping !== undefined) {
        if (Date.now() - stopping > 1_000) process.exit(130);
        return;
      }
      stopping = Date.now();
      out('Stopping… (Ctrl-C again to stop at once)');
      void demo.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
}
