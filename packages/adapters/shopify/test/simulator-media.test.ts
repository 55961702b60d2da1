/**
 * The simulator's files and product media: productSet's `files` (a list: the media become exactly
 * these, in order) and variants' `file`, processing read from the clock (UPLOADED, PROCESSING,
 * READY or FAILED), failures by fault or by really fetching the source, the `files` query with
 * Shopify's search syntax, and what it all costs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { adminSchema, requestedCost } from '@shopsync/shopify/internal';
import type { ShopifySimulator } from '@shopsync/shopify/simulator';
import { startSim } from './helpers.js';
import { defaultVariant, errorCodes, payload, post, titleOption } from './sim-helpers.js';

const MEDIA_SET = `mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id media(first: 20) { nodes { id alt status ... on MediaImage { fileStatus originalSource { url } } } } variants(first: 5) { nodes { id sku media(first: 1) { nodes { id } } } } }
  userErrors { code field message }
} }`;

interface MediaNode {
  id: string;
  alt: string;
  status: string;
  fileStatus: string;
  originalSource: { url: string };
}

interface MediaPayload {
  product: { id: string; media: { nodes: MediaNode[] }; variants: { nodes: Array<{ id: string; sku: string; media: { nodes: Array<{ id: string }> } }> } } | null;
  userErrors: Array<{ code: string; field: string[]; message: string }>;
}

const img = (name: string) => `https://images.example/${name}`;
const files = (...names: string[]) => names.map((n) => ({ originalSource: img(n), alt: `Alt ${n}` }));
const product = (title: string, extra: Record<string, unknown> = {}) => ({ title, productOptions: titleOption, variants: [{ ...defaultVariant }], ...extra });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function setMedia(sim: ShopifySimulator, input: Record<string, unknown>): Promise<MediaPayload> {
  const a = await post(sim, MEDIA_SET, { input });
  assert.equal(a.body.errors, undefined, JSON.stringify(a.body.errors));
  return payload<MediaPayload>(a, 'productSet');
}

/** Waits until no file of the shop is UPLOADED or PROCESSING. */
async function settled(sim: ShopifySimulator, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (sim.files().some((f) => f.status === 'UPLOADED' || f.status === 'PROCESSING')) {
    if (Date.now() > until) throw new Error(`files still processing: ${JSON.stringify(sim.files().map((f) => [f.source, f.status]))}`);
    await sleep(10);
  }
}

describe('simulator: product media through productSet', () => {
  let sim: ShopifySimulator;
  before(async () => {
    sim = await startSim({ media: { processingMs: 30 } });
  });
  after(async () => {
    await sim.close();
  });

  it('three files make three media, in order: UPLOADED when answered, PROCESSING after half the delay, READY after it', async () => {
    const slow = await startSim({ media: { processingMs: 1_000 } });
    try {
      const set = await setMedia(slow, product('Tent', { files: files('tent-1.png', 'tent-2.png', 'tent-3.png') }));
      assert.deepEqual(set.userErrors, []);
      assert.deepEqual(
        set.product!.media.nodes.map((m) => [m.originalSource.url, m.alt, m.status, m.fileStatus]),
        ['tent-1.png', 'tent-2.png', 'tent-3.png'].map((n) => [img(n), `Alt ${n}`, 'UPLOADED', 'UPLOADED']),
      );
      const created = Date.parse(slow.files()[0]!.createdAt);
      await sleep(created + 700 - Date.now());
      assert.deepEqual(slow.product({ id: set.product!.id })!.media.map((m) => m.status), ['PROCESSING', 'PROCESSING', 'PROCESSING']);
      await sleep(created + 1_100 - Date.now());
      const read = await post(slow, 'query($id: ID!) { product(id: $id) { media(first: 5) { nodes { status ... on MediaImage { fileStatus image { url } } } } } }', { id: set.product!.id });
      const nodes = (read.body.data as { product: { media: { nodes: Array<{ status: string; fileStatus: string; image: { url: string } | null }> } } }).product.media.nodes;
      assert.deepEqual(nodes.map((n) => [n.status, n.fileStatus]), [['READY', 'READY'], ['READY', 'READY'], ['READY', 'READY']]);
      assert.match(nodes[0]!.image!.url, /^https:\/\/cdn\.shopify\.com\/.+tent-1\.png/);
    } finally {
      await slow.close();
    }
  });

  it('an update by ids reorders, changes alt and detaches the file left out (still in the shop\'s files); no file is created', async () => {
    const made = await setMedia(sim, product('Backpack', { files: files('bp-a.png', 'bp-b.png', 'bp-c.png') }));
    const [a, b, c] = made.product!.media.nodes.map((m) => m.id) as [string, string, string];
    const count = sim.files().length;
    const updated = await setMedia(sim, { id: made.product!.id, files: [{ id: c }, { id: a, alt: 'Front' }] });
    assert.deepEqual(updated.userErrors, []);
    assert.deepEqual(updated.product!.media.nodes.map((m) => [m.id, m.alt]), [
      [c, 'Alt bp-c.png'],
      [a, 'Front'],
    ]);
    assert.equal(sim.files().length, count, 'no new file');
    const detached = sim.files().find((f) => f.id === b)!;
    assert.deepEqual([detached.productCount, detached.productIds], [0, []]);
    assert.deepEqual(sim.product({ id: made.product!.id })!.media.map((m) => m.id), [c, a]);
    // Leaving `files` out leaves the media as they are.
    await setMedia(sim, { id: made.product!.id, title: 'Backpack 2' });
    assert.deepEqual(sim.product({ id: made.product!.id })!.media.map((m) => m.id), [c, a]);
  });

  it('a source sent again is a new file (a twin: Shopify does not deduplicate); a variant file by the source of one of the files is that file', async () => {
    const first = await setMedia(sim, product('Bottle', { files: files('bottle.png') }));
    const id = first.product!.id;
    const again = await setMedia(sim, { id, files: files('bottle.png') });
    const twins = sim.files().filter((f) => f.source === img('bottle.png'));
    assert.equal(twins.length, 2, 'two files of one source');
    assert.deepEqual(twins.map((f) => f.productCount), [0, 1]);
    assert.notEqual(twins[0]!.filename, twins[1]!.filename, 'the second filename made unique (APPEND_UUID)');
    assert.deepEqual(again.product!.media.nodes.map((m) => m.id), [twins[1]!.id]);
    const inOne = await setMedia(sim, product('Bottle twice', { files: files('twice.png', 'twice.png') }));
    assert.equal(inOne.product!.media.nodes.length, 2, 'twice in one list: two files');

    const before = sim.files().length;
    const withVariant = await setMedia(sim, {
      title: 'Stove',
      files: files('stove.png', 'stove-side.png'),
      productOptions: titleOption,
      variants: [{ ...defaultVariant, inventoryItem: { sku: 'STOVE' }, file: { originalSource: img('stove-side.png') } }],
    });
    assert.deepEqual(withVariant.userErrors, []);
    assert.equal(sim.files().length, before + 2, 'the variant file is one of the two, not a third');
    const media = withVariant.product!.media.nodes.map((m) => m.id);
    assert.deepEqual(withVariant.product!.variants.nodes[0]!.media.nodes.map((m) => m.id), [media[1]]);
    assert.equal(sim.product({ sku: 'STOVE' })!.variants[0]!.imageId, media[1]);
  });

  it('duplicateResolutionMode: a taken filename fails the new file (RAISE_ERROR), or gives the file that has it the new source (REPLACE)', async () => {
    await setMedia(sim, product('Mat', { files: [{ originalSource: img('mat.png') }] }));
    const count = sim.files().length;
    const raised = await setMedia(sim, product('Mat 2', { files: [{ originalSource: 'https://other.example/mat.png', duplicateResolutionMode: 'RAISE_ERROR' }] }));
    await settled(sim);
    assert.deepEqual(sim.files().find((f) => f.id === raised.product!.media.nodes[0]!.id)!.errors.map((e) => e.code), ['DUPLICATE_FILENAME_ERROR']);
    const replaced = await setMedia(sim, product('Mat 3', { files: [{ originalSource: 'https://third.example/mat.png', duplicateResolutionMode: 'REPLACE' }] }));
    const mat = sim.files().find((f) => f.filename === 'mat.png')!;
    assert.deepEqual([replaced.product!.media.nodes[0]!.id, mat.source, mat.productCount], [mat.id, 'https://third.example/mat.png', 2]);
    assert.equal(sim.files().length, count + 1, 'REPLACE made no file');
  });

  it('a variant file by id attaches a file of the shop; a new source is appended; a file dropped from the media is no longer the variant\'s image', async () => {
    const other = await setMedia(sim, product('Other', { files: files('loose.png') }));
    const loose = other.product!.media.nodes[0]!.id;
    const made = await setMedia(sim, { title: 'Jacket', files: files('jacket.png'), productOptions: titleOption, variants: [{ ...defaultVariant, inventoryItem: { sku: 'JACKET' }, file: { id: loose } }] });
    assert.deepEqual(made.userErrors, []);
    const [jacket, attached] = made.product!.media.nodes.map((m) => m.id) as [string, string];
    assert.equal(attached, loose, 'appended to the media');
    assert.equal(sim.files().find((f) => f.id === loose)!.productCount, 2, 'a file can be a medium of two products');
    const variant = made.product!.variants.nodes[0]!.id;
    const fresh = await setMedia(sim, { id: made.product!.id, productOptions: titleOption, variants: [{ ...defaultVariant, id: variant, file: { originalSource: img('jacket-blue.png'), alt: 'Blue' } }] });
    const blue = fresh.product!.media.nodes[2]!;
    assert.deepEqual([fresh.product!.media.nodes.length, blue.alt, blue.originalSource.url], [3, 'Blue', img('jacket-blue.png')]);
    assert.equal(sim.product({ sku: 'JACKET' })!.variants[0]!.imageId, blue.id);
    // Omitted `file`: the image stays; the image dropped from the media: the variant has none.
    await setMedia(sim, { id: made.product!.id, productOptions: titleOption, variants: [{ ...defaultVariant, id: variant, price: '99.00' }] });
    assert.equal(sim.product({ sku: 'JACKET' })!.variants[0]!.imageId, blue.id);
    await setMedia(sim, { id: made.product!.id, files: [{ id: jacket }] });
    assert.equal(sim.product({ sku: 'JACKET' })!.variants[0]!.imageId, null);
  });

  it('an unknown file id, an entry without id or source, and a non-image are userErrors; nothing is applied', async () => {
    const made = await setMedia(sim, product('Boots', { files: files('boots.png') }));
    const count = sim.files().length;
    const unknown = await setMedia(sim, { id: made.product!.id, files: [{ id: 'gid://shopify/MediaImage/999999' }, { alt: 'nothing' }, { originalSource: img('x.mp4'), contentType: 'VIDEO' }] });
    assert.equal(unknown.product, null);
    assert.deepEqual(
      unknown.userErrors.map((e) => [e.code, e.field]),
      [
        ['INVALID_INPUT', ['input', 'files', '0', 'id']],
        ['INVALID_INPUT', ['input', 'files', '1']],
        ['INVALID_INPUT', ['input', 'files', '2', 'contentType']],
      ],
    );
    const variant = await setMedia(sim, { id: made.product!.id, productOptions: titleOption, variants: [{ ...defaultVariant, file: { id: 'gid://shopify/MediaImage/999998' } }] });
    assert.deepEqual(variant.userErrors.map((e) => [e.code, e.field]), [['INVALID_VARIANT', ['input', 'variants', '0', 'file', 'id']]]);
    assert.equal(sim.files().length, count);
    assert.equal(sim.product({ id: made.product!.id })!.media.length, 1);
  });

  it('a media fault fails the files whose source it names: FAILED with code and details, in files(query: "status:FAILED") and product.media', async () => {
    const fault = sim.failMedia({ urlIncludes: 'broken', code: 'IMAGE_DOWNLOAD_FAILURE', details: 'HTTP 404' });
    const made = await setMedia(sim, product('Lantern', { files: files('lantern.png', 'broken-lantern.png') }));
    await settled(sim);
    const query = `status:FAILED product_id:${made.product!.id.split('/').pop()}`;
    const failed = await post(sim, 'query($q: String) { files(first: 10, query: $q) { nodes { id fileStatus fileErrors { code details message } ... on MediaImage { originalSource { url } image { url } } } } }', { q: query });
    const nodes = (failed.body.data as { files: { nodes: Array<{ id: string; fileStatus: string; fileErrors: Array<{ code: string; details: string; message: string }>; originalSource: { url: string }; image: unknown }> } }).files.nodes;
    assert.deepEqual(nodes.map((n) => [n.originalSource.url, n.fileStatus, n.fileErrors.map((e) => [e.code, e.details]), n.image]), [[img('broken-lantern.png'), 'FAILED', [['IMAGE_DOWNLOAD_FAILURE', 'HTTP 404']], null]]);
    assert.ok(nodes[0]!.fileErrors[0]!.message.length > 0);
    const media = await post(sim, 'query($id: ID!) { product(id: $id) { media(first: 5) { nodes { status mediaErrors { code details } } } } }', { id: made.product!.id });
    assert.deepEqual((media.body.data as { product: { media: { nodes: unknown[] } } }).product.media.nodes, [
      { status: 'READY', mediaErrors: [] },
      { status: 'FAILED', mediaErrors: [{ code: 'IMAGE_DOWNLOAD_FAILURE', details: 'HTTP 404' }] },
    ]);
    fault.clear();
    await setMedia(sim, { id: made.product!.id, files: [{ originalSource: img('broken-lantern.png') }] });
    await settled(sim);
    assert.deepEqual(sim.product({ id: made.product!.id })!.media.map((m) => m.status), ['READY'], 'a new file of that source, after the fault is cleared');
    sim.failMedia({ urlIncludes: 'a' });
    sim.failMedia({ urlIncludes: 'b' });
    assert.equal(sim.clearMediaFaults(), 2);
    assert.throws(() => sim.failMedia({ urlIncludes: 'x', code: 'NOPE' as never }), /unknown code/);
  });
});

describe('simulator: the files query', () => {
  let sim: ShopifySimulator;
  let tent: string, pack: string, middle: string;
  const ids: Record<string, string> = {};
  before(async () => {
    sim = await startSim({ media: { processingMs: 10 } });
    sim.failMedia({ urlIncludes: 'bad', code: 'UNSUPPORTED_IMAGE_FILE_TYPE' });
    tent = (await setMedia(sim, product('Tent', { files: files('t1.png', 't2.png') })))!.product!.id;
    await sleep(30);
    middle = new Date().toISOString();
    await sleep(30);
    pack = (await setMedia(sim, product('Pack', { files: files('p1.png', 'bad.png') })))!.product!.id;
    await settled(sim);
    for (const f of sim.files()) ids[f.filename] = f.id;
  });
  after(async () => {
    await sim.close();
  });

  const num = (gid: string) => gid.split('/').pop()!;
  const names = async (query: string, extra = '') => {
    const a = await post(sim, `query($q: String) { files(first: 20, query: $q${extra}) { nodes { id } } }`, { q: query });
    assert.equal(a.body.errors, undefined, `${query}: ${JSON.stringify(a.body.errors)}`);
    const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
    return (a.body.data as { files: { nodes: Array<{ id: string }> } }).files.nodes.map((n) => byId.get(n.id));
  };

  it('filters by status (any case), dates (quoted or not, with comparisons), product and id; AND, OR, parentheses and negation', async () => {
    assert.deepEqual(await names('status:failed'), ['bad.png']);
    assert.deepEqual(await names('status:READY'), ['t1.png', 't2.png', 'p1.png']);
    assert.deepEqual(await names(`created_at:>'${middle}'`), ['p1.png', 'bad.png']);
    assert.deepEqual(await names(`created_at:<=${middle}`), ['t1.png', 't2.png']);
    assert.deepEqual(await names(`created_at:>="${middle}" AND status:ready`), ['p1.png']);
    assert.deepEqual(await names(`updated_at:<'${middle}'`), ['t1.png', 't2.png']);
    assert.deepEqual(await names(`created_at:${middle.slice(0, 10)}`), ['t1.png', 't2.png', 'p1.png', 'bad.png'], 'a date alone is its whole day');
    assert.deepEqual(await names(`product_id:${num(tent)}`), ['t1.png', 't2.png']);
    assert.deepEqual(await names(`product_id:${num(tent)} OR status:FAILED`), ['t1.png', 't2.png', 'bad.png']);
    assert.deepEqual(await names('-status:READY'), ['bad.png']);
    assert.deepEqual(await names('NOT status:ready'), ['bad.png']);
    assert.deepEqual(await names(`(product_id:${num(tent)} OR product_id:${num(pack)}) -status:failed`), ['t1.png', 't2.png', 'p1.png']);
    assert.deepEqual(await names(`id:${num(ids['t2.png']!)}`), ['t2.png']);
    assert.deepEqual(await names(`id:>${num(ids['t2.png']!)} media_type:IMAGE`), ['p1.png', 'bad.png']);
    assert.deepEqual(await names('filename:T*'), ['t1.png', 't2.png']);
    assert.deepEqual(await names(''), ['t1.png', 't2.png', 'p1.png', 'bad.png']);
  });

  it('sorts by sortKey (reverse too) and pages by cursor', async () => {
    assert.deepEqual(await names('', ', sortKey: CREATED_AT, reverse: true'), ['bad.png', 'p1.png', 't2.png', 't1.png']);
    assert.deepEqual(await names('', ', sortKey: FILENAME'), ['bad.png', 'p1.png', 't1.png', 't2.png']);
    const page = async (after: string | null) => {
      const a = await post(sim, 'query($after: String) { files(first: 3, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }', { after });
      return (a.body.data as { files: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }).files;
    };
    const one = await page(null);
    assert.deepEqual([one.nodes.length, one.pageInfo.hasNextPage], [3, true]);
    const two = await page(one.pageInfo.endCursor);
    assert.deepEqual([two.nodes.map((n) => n.id), two.pageInfo.hasNextPage], [[ids['bad.png']], false]);
  });

  it('a query it does not understand is an error the client sees, never "every file"', async () => {
    for (const q of ['colour:red', 'status:SHINY', 'created_at:>yesterday', 'tent', '(status:READY', 'product_id:abc', 'status:>READY']) {
      const a = await post(sim, 'query($q: String) { files(first: 5, query: $q) { nodes { id } } }', { q });
      assert.deepEqual(errorCodes(a), ['BAD_REQUEST'], q);
      assert.equal(a.body.data, null, q);
    }
  });

  it('costs 2 + first × node by the rule, and its actual cost counts the files returned; the log names the field', async () => {
    sim.clearLog();
    const q = 'query($q: String) { files(first: 10, query: $q) { nodes { id fileStatus ... on MediaImage { image { url } } } } }';
    const a = await post(sim, q, { q: `product_id:${num(tent)}` });
    // A node: 1, its image 1 (the dearest of the File types here); two returned.
    assert.deepEqual([a.body.extensions!.cost!.requestedQueryCost, a.body.extensions!.cost!.actualQueryCost], [2 + 10 * 2, 2 + 2 * 2]);
    assert.equal(requestedCost(adminSchema('2025-01'), parse(q), {}), 22);
    assert.deepEqual(sim.requests.map((r) => r.fields), [['files']]);
  });
});

describe('simulator: productSet with files and metafields costs by its input (2025-10 on)', () => {
  it('10 + 0.2 per variant + 1.9 per file + 0.6 per variant file + 0.4 per metafield, fractions dropped, plus the selection', async () => {
    const sim = await startSim({ media: { processingMs: 10 } });
    try {
      const sizes = ['S', 'M'];
      const input = {
        title: 'Costly',
        files: files('c1.png', 'c2.png', 'c3.png', 'c4.png', 'c5.png'),
        metafields: ['a1', 'a2', 'a3'].map((key) => ({ namespace: 'custom', key, type: 'single_line_text_field', value: key })),
        productOptions: [{ name: 'Size', values: sizes.map((name) => ({ name })) }],
        variants: sizes.map((s) => ({ optionValues: [{ optionName: 'Size', name: s }], file: { originalSource: img('c1.png') }, metafields: [{ namespace: 'custom', key: 'v1', type: 'boolean', value: 'true' }] })),
      };
      const query = 'mutation($input: ProductSetInput!) { productSet(input: $input) { product { id } userErrors { code field message } } }';
      sim.clearLog();
      const dynamic = await post(sim, query, { input }, { version: '2026-01' });
      assert.deepEqual(payload<MediaPayload>(dynamic, 'productSet').userErrors, []);
      // 10 + 2 × 0.2 + 5 × 1.9 + 2 × 0.6 + 3 × 0.4 + 2 × 0.4 = 23.1 -> 23; product 1, userErrors 1.
      assert.equal(dynamic.body.extensions!.cost!.requestedQueryCost, 23 + 2);
      const fixed = await post(sim, query, { input: { ...input, title: 'Costly 2' } }, { version: '2025-01' });
      assert.equal(fixed.body.extensions!.cost!.requestedQueryCost, 10 + 2, 'before 2025-10: the fixed mutation cost');
      assert.deepEqual(sim.requests.map((r) => r.fields), [['productSet'], ['productSet']]);
    } finally {
      await sim.close();
    }
  });
});

// ——— media.fetch against a local server ———

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

interface ImageServer {
  server: Server;
  url: (path: string) => string;
  /** Requests that arrived, by path. */
  seen: IncomingMessage[];
  close: () => Promise<void>;
}

/** Whether /slow.png answers (it hangs until this is set). */
const slowAnswers = { now: false };

async function imageServer(): Promise<ImageServer> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    switch (req.url) {
      case '/ok.png':
        return res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG.length }).end(PNG);
      case '/moved.png':
        return res.writeHead(302, { Location: '/ok.png' }).end();
      case '/notes.png':
        return res.writeHead(200, { 'Content-Type': 'text/plain' }).end('not an image');
      case '/huge.png':
        return res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 5_000 }).end(Buffer.alloc(5_000));
      case '/stream.png':
        // No Content-Length: the size is found as it is read.
        res.writeHead(200, { 'Content-Type': 'image/png' });
        for (let i = 0; i < 6; i++) res.write(Buffer.alloc(500));
        return res.end();
      case '/fake.png':
        return res.writeHead(200, { 'Content-Type': 'image/png' }).end('GIF89a, not a png at all');
      case '/slow.png':
        if (!slowAnswers.now) return; // never answered
        return res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
      default:
        return res.writeHead(404, { 'Content-Type': 'text/html' }).end('Not Found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    seen,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('simulator: media.fetch really GETs each source', () => {
  let images: ImageServer;
  before(async () => {
    images = await imageServer();
  });
  after(async () => {
    await images.close();
  });

  it('404, a text answer, too many bytes and bytes that are no PNG fail as Shopify says; a real PNG (also after a redirect) is READY', async () => {
    const sim = await startSim({ media: { processingMs: 20, fetch: true, maxBytes: 1_000 } });
    try {
      const paths = ['/ok.png', '/missing.png', '/notes.png', '/huge.png', '/stream.png', '/fake.png', '/moved.png'];
      const set = await setMedia(sim, product('Fetched', { files: [...paths.map((p) => ({ originalSource: images.url(p) })), { originalSource: 'ftp://images.example/x.png' }] }));
      assert.deepEqual(set.userErrors, []);
      await settled(sim);
      const outcome = sim.files().map((f) => [f.source.replace(images.url(''), ''), f.status, f.errors.map((e) => e.code).join(), f.errors.map((e) => e.details).join()]);
      assert.deepEqual(outcome, [
        ['/ok.png', 'READY', '', ''],
        ['/missing.png', 'FAILED', 'IMAGE_DOWNLOAD_FAILURE', 'HTTP 404'],
        ['/notes.png', 'FAILED', 'UNSUPPORTED_IMAGE_FILE_TYPE', 'Content-Type text/plain'],
        ['/huge.png', 'FAILED', 'INVALID_IMAGE_FILE_SIZE', '5000 bytes, more than 1000'],
        ['/stream.png', 'FAILED', 'INVALID_IMAGE_FILE_SIZE', 'more than 1000 bytes'],
        ['/fake.png', 'FAILED', 'IMAGE_PROCESSING_FAILURE', 'The bytes are not those of an image/png file.'],
        ['/moved.png', 'READY', '', ''],
        ['ftp://images.example/x.png', 'FAILED', 'IMAGE_DOWNLOAD_FAILURE', 'The original source is not an http or https URL.'],
      ]);
      const read = await post(sim, 'query($id: ID!) { product(id: $id) { media(first: 1) { nodes { ... on MediaImage { mimeType originalSource { fileSize } } } } } }', { id: set.product!.id });
      assert.deepEqual((read.body.data as { product: { media: { nodes: unknown[] } } }).product.media.nodes, [{ mimeType: 'image/png', originalSource: { fileSize: PNG.length } }]);
    } finally {
      await sim.close();
    }
  });

  it('a file stays PROCESSING while its fetch is under way, and close() aborts the fetch: no socket is left open; the next start fetches it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsync-sim-fetch-'));
    const statePath = join(dir, 'store.json');
    const sim = await startSim({ statePath, media: { processingMs: 10, fetch: true } });
    let closed: Promise<void> | undefined;
    try {
      await setMedia(sim, product('Slow', { files: [{ originalSource: images.url('/slow.png') }] }));
      const until = Date.now() + 2_000;
      while (!images.seen.some((r) => r.url === '/slow.png') && Date.now() < until) await sleep(10);
      const req = images.seen.find((r) => r.url === '/slow.png')!;
      assert.ok(req, 'the simulator asked for the source');
      closed = new Promise<void>((r) => req.socket.once('close', () => r()));
      await sleep(50);
      assert.equal(sim.files()[0]!.status, 'PROCESSING', 'the delay is over, the fetch is not');
    } finally {
      await sim.close();
    }
    // Closing the simulator closed its connection to the image server.
    await Promise.race([closed, sleep(2_000).then(() => assert.fail('the fetch kept its socket open after close()'))]);
    assert.equal(sim.files()[0]!.status, 'PROCESSING', 'an aborted fetch leaves its file pending');
    slowAnswers.now = true;
    const again = await startSim({ statePath, media: { processingMs: 10, fetch: true } });
    try {
      await settled(again);
      assert.deepEqual(again.files().map((f) => f.status), ['READY'], 'fetched again at the next start');
    } finally {
      await again.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
