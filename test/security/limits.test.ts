/**
 * Every limit, tested at its edge: N passes, N + 1 is refused or split, as the design says.
 *
 * Covered elsewhere, and not repeated here:
 * - the store refusing a product over *its* variant limit (VARIANTS_OVER_LIMIT for the product and
 *   each of its variants): packages/adapters/shopify/test/target.test.ts, "too many variants…";
 * - variants per product before API 2025-10 (the store's 100, the connector's 250), and the ids of
 *   a 2,048-variant product read page by page: packages/adapters/shopify/test/variants-limit.test.ts;
 * - MAX_COST_EXCEEDED from a store with a lower limit than expected, splitting the request:
 *   target.test.ts, "MAX_COST_EXCEEDED splits the request…";
 * - the simulator refusing a 251-item input array and a query over the cost limit:
 *   simulator.test.ts, "input arrays over 250 are refused", "MAX_COST_EXCEEDED over the single-query limit".
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import {
  LocalSyncSource,
  MemoryStorage,
  SyncEngine,
  ValidationError,
  itemStatusSchema,
  latestStableVersion,
  logEntrySchema,
  type Change,
  type ItemStatus,
  type LogEntry,
  type StorageAdapter,
} from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import { ShopifyTarget } from '@shopsync/shopify';
import { MAX_INPUT_ARRAY, MAX_QUERY_COST, adminSchema, featuresOf, opCost, productSetOp, requestedCost } from '@shopsync/shopify/internal';
import { ShopifySimulator } from '@shopsync/shopify/simulator';
import { SqliteStorage } from '@shopsync/sqlite';
import { BASE, send, serve } from './helpers.js';

const TOKEN = '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';
const VERSION = latestStableVersion(new Date());
const product = (ref: string, data: Record<string, unknown> = {}): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}`, ...data } }) as Change;
const variant = (ref: string, parentRef: string, data: Record<string, unknown> = {}): Change => ({ entity: 'variant', op: 'upsert', ref, parentRef, data: { price: '1.00', ...data } }) as Change;

/** A pass-through proxy in front of the simulator that keeps every GraphQL body it forwards (bytes unchanged). */
async function recordingProxy(origin: string): Promise<{ url: string; bodies: Array<{ query: string; variables?: Record<string, unknown> }>; close(): Promise<void> }> {
  const bodies: Array<{ query: string; variables?: Record<string, unknown> }> = [];
  const target = new URL(origin);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        bodies.push(JSON.parse(body.toString('utf8')) as { query: string });
      } catch {
        // not JSON: forwarded as it is
      }
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The longest array anywhere in a value. */
function longestArray(value: unknown): number {
  if (Array.isArray(value)) return Math.max(value.length, ...value.map(longestArray));
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(longestArray));
  return 0;
}

/** RFC 4180: rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  assert.equal(quoted, false, 'no unterminated quote');
  assert.equal(cell + row.join(''), '', 'the file ends with a line break');
  return rows;
}

describe('limits at their edges', () => {
  describe('the largest batch: 100,000 changes', () => {
    const batch = Array.from({ length: 100_001 }, (_, i) => product(`P${i}`));
    for (const name of ['memory', 'SQLite'] as const) {
      it(`${name}: 100,001 is refused naming changes, nothing written; 100,000 is taken in one enqueue`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'shopsync-limits-'));
        const storage: StorageAdapter = name === 'memory' ? new MemoryStorage() : SqliteStorage.open({ path: join(dir, 'db.sqlite') });
        const engine = new SyncEngine({ connector: { id: 'c', shopDomain: 'a.myshopify.com', apiVersion: '2026-07' }, target: new FakeTarget(), storage });
        try {
          const err = await engine.enqueue(batch).then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof ValidationError, String(err));
          assert.deepEqual(err.issues.map((i) => i.path), ['changes']);
          assert.match(err.message, /changes: expected at most 100,000 changes/);
          assert.deepEqual(await storage.pendingCounts('c'), { categories: 0, products: 0, variants: 0 });
          assert.equal((await storage.queryItems('c', { offset: 0, limit: 1 })).total, 0, 'nothing half-written');
          const ok = await engine.enqueue(batch.slice(0, 100_000));
          assert.equal(ok.accepted, 100_000);
          assert.deepEqual(ok.pending, { categories: 0, products: 100_000, variants: 0 });
          assert.equal((await storage.queryItems('c', { offset: 0, limit: 1 })).total, 100_000);
        } finally {
          await engine.dispose();
          await storage.close();
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });

  describe('the longest item error: 10,000 characters, from the store to logs and CSV', () => {
    let sim: ShopifySimulator;
    let dir: string;
    before(async () => {
      sim = await ShopifySimulator.start({ accessTokens: [TOKEN], plan: 'plus' });
      dir = mkdtempSync(join(tmpdir(), 'shopsync-limits-'));
    });
    after(async () => {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('a userError of 10,000 characters is kept whole; of 10,001 or 60,000, cut to 10,000 ending in "…"; logs and CSV stay valid', async () => {
      // Shopify's HANDLE_NOT_UNIQUE names the handle: a handle of the right length makes the message as long as wanted.
      const message = (handle: string) => `Handle '${handle}' already in use. Please provide a new handle.`;
      const overhead = message('').length;
      const lengths = [10_000, 10_001, 60_000];
      const handles = lengths.map((n, i) => `${'abcdefghij'[i]}${'-x'.repeat(Math.ceil(n / 2))}`.slice(0, n - overhead));
      handles.forEach((h, i) => {
        assert.equal(message(h).length, lengths[i]);
        sim.seedProduct({ title: 'Theirs', handle: h, productOptions: [{ name: 'Title', values: [{ name: 'Default Title' }] }], variants: [{ optionValues: [{ optionName: 'Title', name: 'Default Title' }], inventoryItem: { sku: `THEIRS-${i}` } }] });
      });
      const storage = SqliteStorage.open({ path: join(dir, 'errors.sqlite') });
      const engine = new SyncEngine({
        connector: { id: 'c', shopDomain: sim.shopDomain, apiVersion: VERSION },
        target: new ShopifyTarget({ accessToken: TOKEN, endpoint: sim.url, requestTimeoutMs: 5_000 }),
        storage,
        retryBackoff: { baseMs: 0, maxMs: 0 },
      });
      const served = await serve(new LocalSyncSource(engine));
      try {
        await engine.enqueue(handles.map((handle, i) => product(`LONG-${lengths[i]}`, { handle })));
        const event = await engine.start();
        assert.equal(event.status, 'completed');
        const errorOf = async (ref: string): Promise<ItemStatus> => (await engine.queryItems({ ref, status: 'error' })).items.find((x) => x.ref === ref)!;
        const whole = await errorOf('LONG-10000');
        assert.equal(whole.errors[0]!.code, 'HANDLE_NOT_UNIQUE');
        assert.equal(whole.errors[0]!.message, message(handles[0]!), 'at the limit: kept whole');
        for (const [i, n] of [[1, 10_001], [2, 60_000]] as const) {
          const cut = (await errorOf(`LONG-${n}`)).errors[0]!.message;
          assert.equal(cut.length, 10_000, `${n}: cut to the limit`);
          assert.equal(cut, `${message(handles[i]!).slice(0, 9_999)}…`, `${n}: the start kept, and "…" says it was cut`);
        }
        for (const item of (await engine.queryItems({ limit: 10 })).items) itemStatusSchema.parse(item);

        // The same after the database is read again (nothing lost or changed in storage).
        const viaHttp = (await send(served.port, `${BASE}/items?ref=LONG-&status=error`)).json as { items: ItemStatus[] };
        assert.deepEqual(viaHttp.items.map((x) => x.errors[0]!.message.length).sort((a, b) => a - b), [10_000, 10_000, 10_000]);

        const jsonl = await engine.exportLogs(event.id, 'jsonl');
        const entries = jsonl.trimEnd().split('\n').map((line) => logEntrySchema.parse(JSON.parse(line)) as LogEntry);
        const errorLines = entries.filter((e) => e.level === 'error' && e.ref?.startsWith('LONG-'));
        assert.equal(errorLines.length, 3);
        for (const e of errorLines) assert.ok(e.message.length <= 10_000, `log line of ${e.ref}: ${e.message.length}`);
        assert.equal(errorLines.find((e) => e.ref === 'LONG-10000')!.message, message(handles[0]!));

        const csv = await engine.exportLogs(event.id, 'csv');
        const rows = parseCsv(csv);
        assert.deepEqual(rows[0], ['at', 'level', 'eventId', 'iteration', 'entity', 'ref', 'code', 'message']);
        assert.equal(rows.length, entries.length + 1, 'one row per log line');
        for (const [i, row] of rows.slice(1).entries()) {
          assert.equal(row.length, 8, `row ${i + 1} has every column`);
          assert.equal(row[7], entries[i]!.message.replace(/^[=+\-@\t\r]/, "'$&"), `row ${i + 1}: the message, whole`);
        }
        const download = await send(served.port, `${BASE}/events/${event.id}/logs?format=csv`);
        assert.equal(download.text, csv);
      } finally {
        await served.close();
        await engine.dispose();
        await storage.close();
      }
    });

    it('codes and fields at 200 characters are kept; longer ones cut; a general error is bounded the same way', async () => {
      const target = new FakeTarget({ outcomes: (item) => ({ errors: [{ code: 'C'.repeat(item.ref === 'A' ? 200 : 201), field: ['input', 'f'.repeat(item.ref === 'A' ? 200 : 5_000)], message: 'm' }] }) });
      target.failNextPush({ code: 'server_error', message: 'g'.repeat(10_001) }, { leaveItems: true });
      const engine = new SyncEngine({ connector: { id: 'c', shopDomain: 'a.myshopify.com', apiVersion: '2026-07' }, target, retryBackoff: { baseMs: 0, maxMs: 0 } });
      await engine.enqueue([product('A'), product('B')]);
      const event = await engine.start();
      assert.equal(event.generalErrors[0]!.message.length, 10_000);
      assert.ok(event.generalErrors[0]!.message.endsWith('g…'));
      const [a, b] = (await engine.queryItems({})).items.sort((x, y) => x.ref.localeCompare(y.ref));
      assert.deepEqual([a!.errors[0]!.code!.length, a!.errors[0]!.field![1]!.length], [200, 200]);
      assert.deepEqual([b!.errors[0]!.code!.length, b!.errors[0]!.field![1]!.length], [200, 200]);
      assert.ok(b!.errors[0]!.code!.endsWith('…'));
      for (const item of [a!, b!]) itemStatusSchema.parse(item);
      await engine.dispose();
    });
  });

  describe('Shopify: input arrays of 250, the single-query cost limit, variants per product', () => {
    let sim: ShopifySimulator;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    before(async () => {
      sim = await ShopifySimulator.start({ accessTokens: [TOKEN], plan: 'enterprise' });
      proxy = await recordingProxy(sim.url);
    });
    after(async () => {
      await proxy.close();
      await sim.close();
    });
    const engineOn = (batchSize: number, connector: Record<string, unknown> = {}) =>
      new SyncEngine({
        connector: { id: 'c', shopDomain: sim.shopDomain, apiVersion: VERSION, ...connector },
        target: new ShopifyTarget({ accessToken: TOKEN, endpoint: proxy.url, requestTimeoutMs: 10_000 }),
        batchSize,
        retryBackoff: { baseMs: 0, maxMs: 0 },
      });
    const post = async (query: string, variables: Record<string, unknown> = {}) => {
      const r = await fetch(sim.graphqlUrl(VERSION), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Shopify-Access-Token': TOKEN }, body: JSON.stringify({ query, variables }) });
      return (await r.json()) as { errors?: Array<{ extensions?: { code?: string; cost?: number } }>; extensions?: { cost?: { requestedQueryCost?: number; actualQueryCost?: number | null } } };
    };

    it('the store: an input array of 250 is taken, 251 refused', async () => {
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `gid://shopify/Product/${i + 1}`);
      const mutation = 'mutation($id: ID!, $p: [ID!]!) { collectionAddProducts(id: $id, productIds: $p) { userErrors { message } } }';
      const at = await post(mutation, { id: 'gid://shopify/Collection/1', p: ids(MAX_INPUT_ARRAY) });
      assert.ok(!at.errors?.some((e) => e.extensions?.code === 'MAX_INPUT_SIZE_EXCEEDED'), JSON.stringify(at.errors));
      const over = await post(mutation, { id: 'gid://shopify/Collection/1', p: ids(MAX_INPUT_ARRAY + 1) });
      assert.equal(over.errors?.[0]?.extensions?.code, 'MAX_INPUT_SIZE_EXCEEDED');
    });

    it('the target: 251 products moved into a category join it in arrays of 250 and 1; no request holds more than 250', async () => {
      const engine = engineOn(600, { includeEmptyCategories: true });
      try {
        const products = Array.from({ length: MAX_INPUT_ARRAY + 1 }, (_, i) => product(`ARR-${i}`));
        await engine.enqueue([{ entity: 'category', op: 'upsert', ref: 'edge', data: { title: 'Edge', handle: 'edge-250' } }, ...products]);
        assert.equal((await engine.start()).status, 'completed');
        proxy.bodies.length = 0;
        sim.clearLog();
        // Only their categories change: no productSet, the membership alone.
        await engine.enqueue(products.map((p) => ({ ...p, data: { ...(p as { data: object }).data, categoryRefs: ['edge'] } })));
        const event = await engine.start();
        assert.equal(event.status, 'completed');
        assert.deepEqual(event.generalErrors, []);
        assert.ok(!sim.requests.some((r) => r.fields.includes('productSet')), 'no productSet for a change of categories');
        assert.equal(sim.collection({ handle: 'edge-250' })!.productIds.length, MAX_INPUT_ARRAY + 1, 'every product joined');
        // Each aliased collectionAddProducts has its own productIds array (several may share a request).
        const joins = proxy.bodies.flatMap((b) => Object.entries(b.variables ?? {}).filter(([k]) => k.endsWith('productIds')).map(([, v]) => (v as unknown[]).length));
        assert.deepEqual([...joins].sort((a, b) => b - a), [MAX_INPUT_ARRAY, 1], `arrays sent: ${joins}`);
        assert.ok(proxy.bodies.every((b) => longestArray(b.variables) <= MAX_INPUT_ARRAY));
        assert.ok(!sim.requests.some((r) => r.errorCodes.includes('MAX_INPUT_SIZE_EXCEEDED')));
      } finally {
        await engine.dispose();
      }
    });

    it('the store: a query of requested cost 1,000 runs; 1,001 is MAX_COST_EXCEEDED and charged nothing', async () => {
      const schema = adminSchema(VERSION);
      // products(first: n) { nodes { id } } costs 2 + n: three of 250 and one of 242 make 1,000.
      const query = (last: number) => `query { a: products(first: 250) { nodes { id } } b: products(first: 250) { nodes { id } } c: products(first: 250) { nodes { id } } d: products(first: ${last}) { nodes { id } } }`;
      assert.equal(requestedCost(schema, parse(query(242)), {}), MAX_QUERY_COST);
      assert.equal(requestedCost(schema, parse(query(243)), {}), MAX_QUERY_COST + 1);
      const at = await post(query(242));
      assert.equal(at.errors, undefined, JSON.stringify(at.errors));
      assert.equal(at.extensions?.cost?.requestedQueryCost, MAX_QUERY_COST);
      const over = await post(query(243));
      assert.equal(over.errors?.[0]?.extensions?.code, 'MAX_COST_EXCEEDED');
      assert.equal(over.errors?.[0]?.extensions?.cost, MAX_QUERY_COST + 1);
      assert.equal(over.extensions?.cost?.actualQueryCost, null);
    });

    it('the target: requests are packed up to the cost limit, never past it', async () => {
      const engine = engineOn(400);
      try {
        sim.clearLog();
        await engine.enqueue(Array.from({ length: 300 }, (_, i) => product(`COST-${i}`)));
        const event = await engine.start();
        assert.equal(event.status, 'completed');
        const perOp = opCost(productSetOp(featuresOf(VERSION), { input: { title: 'x', handle: 'x' }, readVariants: 1 }), VERSION);
        const costs = sim.requests.filter((r) => r.mutations > 0).map((r) => r.requestedCost ?? 0);
        assert.ok(costs.every((c) => c <= MAX_QUERY_COST), `no request over ${MAX_QUERY_COST}: ${Math.max(...costs)}`);
        assert.ok(Math.max(...costs) > MAX_QUERY_COST - perOp, `a full request is within one productSet (${perOp}) of the limit: ${Math.max(...costs)}`);
        assert.ok(!sim.requests.some((r) => r.errorCodes.includes('MAX_COST_EXCEEDED')));
      } finally {
        await engine.dispose();
      }
    });

    it('variants per product, Shopify’s limit from API 2025-10: 2,048 go in one productSet (not bound by the 250-item input array rule); 2,049 are the product’s error, and nothing is sent for it', async () => {
      const engine = engineOn(5_000);
      try {
        proxy.bodies.length = 0;
        sim.clearLog();
        const family = (p: string, n: number) => [product(p, { options: ['Size'] }), ...Array.from({ length: n }, (_, i) => variant(`${p}-${i}`, p, { optionValues: { Size: `S${i}` } }))];
        await engine.enqueue(family('BIG-2048', 2_048));
        const event = await engine.start();
        assert.equal(event.status, 'completed');
        assert.deepEqual(event.generalErrors, []);
        assert.equal((await engine.queryItems({ ref: 'BIG-2048', status: 'error', limit: 1 })).total, 0, 'no item failed');
        assert.equal(sim.product({ sku: 'BIG-2048-0' })?.variants.length, 2_048);
        const sets = proxy.bodies.filter((b) => b.query.includes('productSet'));
        assert.equal(sets.length, 1, 'one productSet');
        assert.equal(longestArray(sets[0]!.variables), 2_048, 'all 2,048 variants in it');
        assert.ok(sim.requests.every((r) => (r.requestedCost ?? 0) <= MAX_QUERY_COST), `no request over ${MAX_QUERY_COST}: ${Math.max(...sim.requests.map((r) => r.requestedCost ?? 0))}`);
        assert.ok(!sim.requests.some((r) => r.errorCodes.length > 0), String(sim.requests.flatMap((r) => r.errorCodes)));

        proxy.bodies.length = 0;
        await engine.enqueue(family('BIG-2049', 2_049));
        await engine.start();
        const refused = await engine.queryItems({ ref: 'BIG-2049', status: 'error', limit: 1_000 });
        assert.equal(refused.total, 2_050, 'the product and each of its variants');
        for (const f of refused.items) assert.equal(f.errors[0]!.code, 'VARIANTS_OVER_LIMIT');
        assert.ok(!proxy.bodies.some((b) => b.query.includes('productSet')), 'nothing sent for it');
        assert.equal(sim.product({ sku: 'BIG-2049-0' }), undefined);
      } finally {
        await engine.dispose();
      }
    });
  });
});
