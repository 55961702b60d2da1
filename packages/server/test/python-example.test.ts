/**
 * The Python example (examples/python) as a newcomer runs it: `shopsync keys create`, then
 * `shopsync serve` as its own process (SQLite in a temporary directory, Shopify played by the
 * multi-shop simulator in this process), then `python3 sync_catalog.py` with the environment
 * its README names. It must exit 0 and say what it did, the simulated store must then hold the
 * catalog, a second run must reuse the connector and skip every unchanged item, a store that
 * refuses the token must make it exit 1 saying why, and serve must stop with 0 on SIGTERM.
 * A second test checks the client's retries against a scripted server: a lost connection and a
 * 503 are retried with the same Idempotency-Key and the same bytes, a 400 is not, and its
 * problem details reach the caller.
 *
 * Skipped when python3 is missing, except under CI=true, where that fails.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatorFleet } from '@shopsync/shopify/simulator';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'packages/server/src/cli/main.ts');
const EXAMPLES = join(ROOT, 'examples/python');
const TOKEN = 'shpat_python_example_0123456789';
const SHOP = 'python-example.myshopify.com';

const PYTHON = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const HAS_PYTHON = !PYTHON.error && PYTHON.status === 0;
const CI = process.env['CI'] === 'true';
const skip = !HAS_PYTHON && !CI ? 'python3 is not installed (under CI=true this fails instead)' : false;

/** The environment of a child: this one's without any SHOPSYNC_* setting (the test chooses those), plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SHOPSYNC_')));
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', ...extra };
}

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `limitMs`). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, limitMs = 30_000): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const shopsync = (args: string[], env: NodeJS.ProcessEnv, limitMs?: number) => run(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, ...args], env, limitMs);
const python = (args: string[], env: Record<string, string>, limitMs?: number) => run('python3', args, envWith(env), limitMs);

/** `shopsync serve` in its own process, its JSON log lines kept (read to the end: a full pipe would stall it). */
interface Serve {
  url: string;
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  exited: Promise<Done>;
}

function startServe(database: string, env: NodeJS.ProcessEnv): Promise<Serve> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI, 'serve', '--port', '0', '--database', database], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Serve['logs'] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  const exited = new Promise<Done>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not say "API listening" within 20 s\n${stdout}\n${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        let entry: Record<string, unknown>;
        try {
          entry = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        logs.push(entry);
        if (entry['msg'] === 'API listening' && typeof entry['url'] === 'string') {
          clearTimeout(timer);
          resolve({ url: entry['url'], child, logs, exited });
        }
      }
    });
    void exited.then((done) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${done.code ?? done.signal}) before listening\n${done.stdout}\n${done.stderr}`));
    });
  });
}

const EXPECTED = [
  { sku: 'PY-TENT-2', title: 'Ridge 2 tent', option: 'Colour', variants: { 'PY-TENT-2-GRN': ['Green', '249.00', 12], 'PY-TENT-2-SND': ['Sand', '249.00', 5] } },
  { sku: 'PY-TENT-3', title: 'Ridge 3 tent', option: 'Colour', variants: { 'PY-TENT-3-GRN': ['Green', '319.00', 7], 'PY-TENT-3-SND': ['Sand', '299.00', 0] } },
  { sku: 'PY-TARP', title: 'Camp tarp', option: 'Size', variants: { 'PY-TARP-M': ['3 x 3 m', '59.90', 20], 'PY-TARP-L': ['4 x 4 m', '79.90', 8] } },
] as const;

describe('the Python example (examples/python)', { skip, timeout: 60_000 }, () => {
  let fleet: SimulatorFleet;
  let dir: string;
  let serve: Serve;
  let key: string;
  let exampleEnv: Record<string, string>;

  before(async () => {
    assert.ok(HAS_PYTHON, `python3 is required under CI=true: ${PYTHON.error?.message ?? PYTHON.stderr}`);
    fleet = await SimulatorFleet.start({ shops: 'any', accessTokens: [TOKEN] });
    dir = mkdtempSync(join(tmpdir(), 'shopsync-python-'));
    const database = `sqlite:${join(dir, 'shopsync.db')}`;
    const env = envWith({ SHOPSYNC_SHOPIFY_ENDPOINT: fleet.url, SHOPSYNC_POLL_MS: '100', SHOPSYNC_LOG_LEVEL: 'info' });
    // Before serve: both would make the secret key file beside a new database.
    const made = await shopsync(['keys', 'create', '--scopes', 'admin', '--database', database], env);
    assert.equal(made.code, 0, made.stderr);
    key = made.stdout.trim();
    assert.match(key, /^ssk_\S+$/);
    serve = await startServe(database, env);
    exampleEnv = { SHOPSYNC_URL: serve.url, SHOPSYNC_API_KEY: key, SHOP_DOMAIN: SHOP, SHOPIFY_TOKEN: TOKEN, SYNC_TIMEOUT: '30' };
  });

  after(async () => {
    if (serve?.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
    await fleet?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the catalog: exit 0, a summary, and the store holds 3 products with 2 variants each', async () => {
    const done = await python([join(EXAMPLES, 'sync_catalog.py')], exampleEnv);
    const out = `${done.stdout}\n${done.stderr}`;
    assert.equal(done.code, 0, out);
    assert.match(done.stdout, /^Connector "python-example": created\.$/m);
    assert.match(done.stdout, /^Access token set\.$/m);
    assert.match(done.stdout, /^Queued 10 changes; pending: 1 category, 3 products, 6 variants\.$/m);
    assert.match(done.stdout, /^Sync completed in [\d.]+ s: event \S+ \(trigger \w+, \d+ iterations?\)\.$/m);
    assert.match(done.stdout, /^ {2}synced: {2}1 category, 3 products, 6 variants$/m);
    assert.match(done.stdout, /^ {2}failed: {2}0 categories, 0 products, 0 variants$/m);
    assert.match(done.stdout, /^Failed items: none\.$/m);
    assert.equal(done.stderr, '');
    assert.ok(!out.includes(TOKEN) && !out.includes(key), 'the example prints no credential');

    const shop = fleet.shop(SHOP);
    const snapshot = shop.snapshot();
    assert.equal(snapshot.products.length, 3);
    for (const want of EXPECTED) {
      const product = shop.product({ sku: Object.keys(want.variants)[0]! });
      assert.ok(product, `product ${want.sku}`);
      assert.equal(product.title, want.title);
      assert.equal(product.status, 'ACTIVE');
      assert.deepEqual(product.options.map((o) => o.name), [want.option]);
      assert.deepEqual(
        Object.fromEntries(product.variants.map((v) => [v.sku, [v.options[want.option], v.price, shop.stock(v.sku!)]])),
        want.variants,
      );
    }
    const shelters = snapshot.collections.find((c) => c.title === 'Shelters');
    assert.ok(shelters, `a Shelters collection, among ${snapshot.collections.map((c) => c.title).join(', ')}`);
    assert.deepEqual([...shelters.productIds].sort(), snapshot.products.map((p) => p.id).sort());
  });

  it('runs again: the connector is reused (409), every unchanged item skipped', async () => {
    const done = await python([join(EXAMPLES, 'sync_catalog.py')], exampleEnv);
    assert.equal(done.code, 0, `${done.stdout}\n${done.stderr}`);
    assert.match(done.stdout, /^Connector "python-example": exists, reused\.$/m);
    assert.match(done.stdout, /^ {2}synced: {2}0 categories, 0 products, 0 variants$/m);
    assert.match(done.stdout, /^ {2}skipped: 1 category, 3 products, 6 variants/m);
    assert.equal(fleet.shop(SHOP).snapshot().products.length, 3);
  });

  it('exits 1 when the run ends otherwise: a token the store refuses, the reason printed', async () => {
    const done = await python([join(EXAMPLES, 'sync_catalog.py')], { ...exampleEnv, SHOP_DOMAIN: 'python-refused.myshopify.com', SHOPIFY_TOKEN: 'shpat_refused_000000000000' });
    assert.equal(done.code, 1, `${done.stdout}\n${done.stderr}`);
    assert.match(done.stdout, /^Connector "python-refused": created\.$/m);
    assert.match(done.stdout, /^Sync error in [\d.]+ s: event \S+ \(trigger \w+, 0 iterations\)\.$/m);
    assert.match(done.stdout, /^ {2}error \(auth\): Shopify refused the access token/m);
    assert.equal(fleet.shop('python-refused.myshopify.com').snapshot().products.length, 0);
  });

  it('POST …/sync with nothing pending runs once (as its description says), then the worker is idle', async () => {
    // A claim for a run request that found nothing pending once started no event, left the request
    // unhandled and claimed the connector again at once, ~1,000 times a second, for good.
    const claims = () => serve.logs.filter((l) => l['msg'] === 'Claimed a connector' && l['connectorId'] === 'python-example').length;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const total = async () => ((await (await fetch(`${serve.url}/v1/connectors/python-example/sync/events?limit=1`, { headers })).json()) as { total: number }).total;
    const before = await total();
    const asked = await fetch(`${serve.url}/v1/connectors/python-example/sync`, { method: 'POST', headers, body: '{}' });
    assert.equal(asked.status, 202);
    const until = Date.now() + 5_000;
    while ((await total()) === before && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await total(), before + 1, 'one run, recorded as an event');
    await new Promise((r) => setTimeout(r, 300));
    const start = claims();
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok(claims() - start <= 1, `${claims() - start} claims in 1 s with nothing to do`);
  });

  it('serve stops on SIGTERM with exit code 0', async () => {
    serve.child.kill('SIGTERM');
    const done = await serve.exited;
    assert.equal(done.code, 0, done.stderr);
    assert.ok(serve.logs.some((l) => l['msg'] === 'Stopped'));
  });
});

describe('the Python client retries (examples/python/shopsync_client.py)', { skip, timeout: 30_000 }, () => {
  it('sends a batch again after a lost connection and a 503, with the same Idempotency-Key and bytes; a 400 is not retried and names the fields', async (t) => {
    assert.ok(HAS_PYTHON, 'python3 is required under CI=true');
    const seen: Array<{ path: string; key: string | undefined; type: string | undefined; auth: string | undefined; body: string }> = [];
    const problem = (res: ServerResponse, status: number, body: Record<string, unknown>) => res.writeHead(status, { 'Content-Type': 'application/problem+json', 'X-Request-Id': `req-${seen.length}` }).end(JSON.stringify(body));
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', key: req.headers['idempotency-key'] as string | undefined, type: req.headers['content-type'], auth: req.headers.authorization, body });
        const n = seen.filter((s) => s.path === req.url).length;
        if (req.url === '/v1/connectors/shop-1/changes') {
          if (n === 1) return void req.socket.destroy(); // the answer is lost
          if (n === 2) return problem(res, 503, { type: 'https://shopsync.dev/problems/unavailable', title: 'Service unavailable', status: 503, detail: 'Shutting down.' });
          return void res.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: 2, ignoredDeletions: 0, pending: { categories: 0, products: 1, variants: 1 } }));
        }
        problem(res, 400, { type: 'https://shopsync.dev/problems/invalid-request', title: 'Invalid request', status: 400, detail: 'Invalid changes', errors: [{ field: 'body[1].data.price', message: 'expected a decimal amount such as "19.99"' }], requestId: 'req-400' });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    t.after(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const script = `
import json, sys
sys.path.insert(0, ${JSON.stringify(EXAMPLES)})
from shopsync_client import ShopsyncClient, ShopsyncError
client = ShopsyncClient(${JSON.stringify(url)}, "ssk_test_key", backoff=0.01)
batch = [
    {"entity": "product", "op": "upsert", "ref": "SKU-1", "data": {"title": "Tarp — ripstop"}},
    {"entity": "variant", "op": "upsert", "ref": "SKU-1-M", "parentRef": "SKU-1", "data": {"price": "9.50"}},
]
print(json.dumps(client.send_changes("shop-1", batch)))
try:
    client.send_changes("shop-2", batch, idempotency_key="export-42")
except ShopsyncError as err:
    print(json.dumps({"status": err.status, "code": err.code, "title": err.title, "errors": err.errors, "request_id": err.request_id, "text": str(err)}))
`;
    const done = await python(['-c', script], {});
    assert.equal(done.code, 0, done.stderr);
    const [accepted, refused] = done.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(accepted, { accepted: 2, ignoredDeletions: 0, pending: { categories: 0, products: 1, variants: 1 } });

    const tries = seen.filter((s) => s.path === '/v1/connectors/shop-1/changes');
    assert.equal(tries.length, 3);
    assert.match(tries[0]!.key ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID v4 when none is given');
    assert.ok(tries.every((s) => s.key === tries[0]!.key && s.body === tries[0]!.body), 'every attempt: the same key and the same bytes');
    assert.ok(tries.every((s) => s.type === 'application/x-ndjson' && s.auth === 'Bearer ssk_test_key'));
    const lines = tries[0]!.body.split('\n');
    assert.equal(lines.pop(), '', 'NDJSON ends with a newline');
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { ref: string }).ref), ['SKU-1', 'SKU-1-M']);
    assert.ok(tries[0]!.body.includes('Tarp — ripstop'), 'UTF-8 as is');

    assert.equal(seen.filter((s) => s.path === '/v1/connectors/shop-2/changes').length, 1, 'a 400 is not retried');
    assert.equal(seen.at(-1)!.key, 'export-42');
    assert.deepEqual(refused, {
      status: 400,
      code: 'invalid-request',
      title: 'Invalid request',
      errors: [{ field: 'body[1].data.price', message: 'expected a decimal amount such as "19.99"' }],
      request_id: 'req-400',
      text: '400 Invalid request: Invalid changes\n  body[1].data.price: expected a decimal amount such as "19.99"',
    });
  });
});
