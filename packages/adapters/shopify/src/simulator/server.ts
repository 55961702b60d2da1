import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseOrThrow } from '@shopsync/core';
import {
  execute,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isInputObjectType,
  isListType,
  Kind,
  NoDeprecatedCustomRule,
  parse,
  typeFromAST,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ListValueNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import { actualCost, requestedCost } from '../cost.js';
import { adminSchema } from '../schema/schema.js';
import { featuresOf, MAX_INPUT_ARRAY } from '../version.js';
import { LeakyBucket } from './bucket.js';
import { PLAN_PRESETS, simulatorOptionsSchema, type SimulatorConfig, type SimulatorOptions } from './options.js';
import { rootValue, type SimContext } from './resolvers.js';
import { SimStore, type ProductSetArgs, type SimLocation, type SimStoreData } from './store.js';
import { calendarPolicy, servedVersion, type VersionPolicy } from './versions.js';

/**
 * Failures a test can ask the simulator to answer the next requests with. `notFound` is a store
 * that is gone (closed, or its domain taken away): HTTP 404 to every request it hits.
 */
export const FAULT_KINDS = ['http500', 'http503', 'hang', 'reset', 'malformed', 'unauthorized', 'notFound'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** How many of the next GraphQL requests it hits (default 1). */
  count?: number;
  /**
   * Run the request first (its writes apply), then fail the answer: the case where a client
   * cannot know whether its mutation happened. Default: only for `malformed`; never for
   * `unauthorized` and `notFound` (refused requests run nothing).
   */
  afterExecute?: boolean;
  /** Only requests that call this root field (e.g. `productSet`) count; others pass untouched. */
  field?: string;
}

/** One request as the simulator saw it. Tokens are never recorded: only a hash to tell them apart. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** `valid:<hash>` / `invalid:<hash>` (12 hex digits of SHA-256) or `missing`. */
  token: string;
  requestedVersion?: string;
  servedVersion?: string;
  operationName?: string;
  /** Root fields called, aliases resolved (`productSet`, `productSet`, …). */
  fields: string[];
  mutations: number;
  requestedCost?: number;
  /** null when nothing ran (THROTTLED, MAX_COST_EXCEEDED). */
  actualCost?: number | null;
  /** Points left in the token's bucket when it answered. */
  available?: number;
  throttled: boolean;
  /** HTTP status sent; 0 when the connection was reset or dropped. */
  status: number;
  errorCodes: string[];
  fault?: FaultKind;
  durationMs: number;
  /** The GraphQL document, with `recordQueries` (variables are not kept). */
  query?: string;
}

export interface VariantSnapshot {
  id: string;
  sku: string | null;
  title: string;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  position: number;
  options: Record<string, string>;
  inventoryItemId: string;
  tracked: boolean;
  weight: { value: number; unit: string } | null;
  /** Available quantity by location id, where stocked. */
  stock: Record<string, number>;
}

export interface ProductSnapshot {
  id: string;
  title: string;
  handle: string;
  status: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  options: Array<{ name: string; values: string[] }>;
  variants: VariantSnapshot[];
  /** Handles of the collections it belongs to. */
  collections: string[];
  /** `namespace.key` -> value. */
  metafields: Record<string, string>;
}

export interface CollectionSnapshot {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  productIds: string[];
}

export interface StoreSnapshot {
  products: ProductSnapshot[];
  collections: CollectionSnapshot[];
  locations: SimLocation[];
}

const UNAUTHORIZED_BODY = '{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}';
const DEPRECATION_URL = 'https://shopify.dev/api/usage/versioning#deprecation-practices';

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

interface Prepared {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  requested: number;
  mutations: number;
  fields: string[];
  deprecations: string[];
}

/**
 * A local Shopify Admin API: `POST /admin/api/{version}/graphql.json` with
 * `X-Shopify-Access-Token`, on 127.0.0.1. It executes GraphQL with graphql-js against the
 * project's Admin schema subset, keeps a store in memory, charges Shopify's calculated query cost
 * to a leaky bucket per token (THROTTLED as HTTP 200, MAX_COST_EXCEEDED over the single-query
 * limit), serves API versions as Shopify does (fall-forward, deprecation header), answers 401
 * to a wrong token, waits a configurable latency, and fails on demand.
 */
export class ShopifySimulator {
  readonly config: SimulatorConfig;
  readonly #server: Server;
  readonly #store: SimStore;
  readonly #policy: VersionPolicy;
  readonly #tokens: Buffer[];
  readonly #buckets = new Map<string, LeakyBucket>();
  readonly #idempotency = new Map<string, Map<string, unknown>>();
  readonly #root = rootValue();
  readonly #log: RequestLogEntry[] = [];
  readonly #faults: Array<{ kind: FaultKind; left: number; afterExecute: boolean; field: string | undefined }> = [];
  readonly #held = new Set<() => void>();
  #seq = 0;
  #throttled = 0;
  #url = '';
  #saveTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(config: SimulatorConfig) {
    this.config = config;
    this.#store = (config.statePath && loadStore(config.statePath)) || new SimStore(config.locations);
    const calendar = calendarPolicy(config.now ?? new Date());
    this.#policy = {
      supported: config.versions.supported ?? calendar.supported,
      deprecated: config.versions.deprecated ?? (config.versions.supported ? {} : calendar.deprecated),
    };
    this.#tokens = config.accessTokens.map((t) => Buffer.from(tokenHash(t)));
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 5_000;
  }

  /** Starts a simulator; options are validated (a bad one throws a ValidationError naming it). */
  static async start(options: SimulatorOptions): Promise<ShopifySimulator> {
    const config = parseOrThrow(simulatorOptionsSchema, options, 'options', 'simulator options');
    const sim = new ShopifySimulator(config);
    await new Promise<void>((resolve, reject) => {
      sim.#server.once('error', reject);
      sim.#server.listen(config.port, config.host, () => {
        sim.#server.off('error', reject);
        resolve();
      });
    });
    const { port } = sim.#server.address() as AddressInfo;
    sim.#url = `http://${config.host}:${port}`;
    return sim;
  }

  /** `http://127.0.0.1:PORT`: the origin to give the Shopify target as its endpoint. */
  get url(): string {
    return this.#url;
  }

  get shopDomain(): string {
    return this.config.shopDomain;
  }

  /** The GraphQL endpoint for a version. */
  graphqlUrl(version: string): string {
    return `${this.#url}/admin/api/${version}/graphql.json`;
  }

  /** Versions served as themselves, and those flagged deprecated. */
  get versions(): VersionPolicy {
    return this.#policy;
  }

  async close(): Promise<void> {
    if (this.#saveTimer) this.#save();
    for (const release of this.#held) release();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** Writes the store to `statePath` soon (changes in a burst share one write). */
  #changed(): void {
    if (!this.config.statePath || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => this.#save(), 200);
    this.#saveTimer.unref?.();
  }

  #save(): void {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    const path = this.config.statePath;
    if (!path) return;
    // A new file renamed over the old one: a crash mid-write leaves the previous store whole.
    writeFileSync(`${path}.tmp`, JSON.stringify(this.#store.toData()));
    renameSync(`${path}.tmp`, path);
  }

  // ——— inspection ———

  /** Every request so far (up to `logLimit`, the latest kept), oldest first. */
  get requests(): readonly RequestLogEntry[] {
    return this.#log.map((e) => ({ ...e, fields: [...e.fields], errorCodes: [...e.errorCodes] }));
  }

  /** THROTTLED answers since the start or the last `clearLog`. */
  get throttledCount(): number {
    return this.#throttled;
  }

  clearLog(): void {
    this.#log.length = 0;
    this.#throttled = 0;
  }

  /** What the store holds now. */
  snapshot(): StoreSnapshot {
    const s = this.#store;
    return {
      products: [...s.products.values()].map((p) => this.#productSnapshot(p.id)!),
      collections: [...s.collections.values()].map((c) => ({ id: c.id, title: c.title, handle: c.handle, descriptionHtml: c.descriptionHtml, productIds: [...c.productIds] })),
      locations: [...s.locations.values()].map((l) => ({ ...l })),
    };
  }

  /** A product by id, handle or the SKU of one of its variants. */
  product(by: { id: string } | { handle: string } | { sku: string }): ProductSnapshot | undefined {
    const s = this.#store;
    const id = 'id' in by ? by.id : 'handle' in by ? s.productByHandle(by.handle)?.id : s.variantBySku(by.sku)?.productId;
    return id ? this.#productSnapshot(id) : undefined;
  }

  collection(by: { id: string } | { handle: string }): CollectionSnapshot | undefined {
    const c = 'id' in by ? this.#store.collections.get(by.id) : this.#store.collectionByHandle(by.handle);
    return c && { id: c.id, title: c.title, handle: c.handle, descriptionHtml: c.descriptionHtml, productIds: [...c.productIds] };
  }

  /** Available stock of the variant with this SKU at a location (the primary one by default). */
  stock(sku: string, locationId = this.#store.primaryLocation.id): number | undefined {
    const v = this.#store.variantBySku(sku);
    return v ? this.#store.inventoryItems.get(v.inventoryItemId)?.levels.get(locationId) : undefined;
  }

  get primaryLocationId(): string {
    return this.#store.primaryLocation.id;
  }

  #productSnapshot(id: string): ProductSnapshot | undefined {
    const s = this.#store;
    const p = s.products.get(id);
    if (!p) return undefined;
    return {
      id: p.id,
      title: p.title,
      handle: p.handle,
      status: p.status,
      descriptionHtml: p.descriptionHtml,
      vendor: p.vendor,
      productType: p.productType,
      tags: [...p.tags],
      options: p.options.map((o) => ({ name: o.name, values: [...o.values] })),
      variants: s.variantsOf(p).map((v) => {
        const item = s.inventoryItems.get(v.inventoryItemId)!;
        return {
          id: v.id,
          sku: v.sku,
          title: v.title,
          price: v.price,
          compareAtPrice: v.compareAtPrice,
          barcode: v.barcode,
          position: v.position,
          options: Object.fromEntries(v.selectedOptions.map((o) => [o.name, o.value])),
          inventoryItemId: v.inventoryItemId,
          tracked: item.tracked,
          weight: item.weight ? { ...item.weight } : null,
          stock: Object.fromEntries(item.levels),
        };
      }),
      collections: [...s.collections.values()].filter((c) => c.productIds.includes(p.id)).map((c) => c.handle),
      metafields: Object.fromEntries([...p.metafields.entries()].map(([k, m]) => [k, m.value])),
    };
  }

  // ——— control ———

  /**
   * The next `count` GraphQL requests (authorized and well formed; with `field`, only those calling
   * it) fail this way. Faults queue up in order.
   */
  injectFault(kind: FaultKind, options: FaultOptions = {}): void {
    if (!FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown fault "${String(kind)}"; expected one of ${FAULT_KINDS.join(', ')}.`);
    const count = options.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new TypeError('options.count: expected a positive integer');
    const refused = kind === 'unauthorized' || kind === 'notFound';
    this.#faults.push({ kind, left: count, afterExecute: refused ? false : (options.afterExecute ?? kind === 'malformed'), field: options.field });
  }

  /** Drops the faults still queued: the store answers normally again. Returns how many requests they would still have hit. */
  clearFaults(): number {
    const left = this.#faults.reduce((n, f) => n + f.left, 0);
    this.#faults.length = 0;
    return left;
  }

  /** Sets a token's bucket to `points` (as if another app of the store had drained it). */
  setBucket(accessToken: string, points: number): void {
    this.#bucket(tokenHash(accessToken)).set(points, performance.now());
  }

  /** Points available now in a token's bucket. */
  bucketAvailable(accessToken: string): number {
    return this.#bucket(tokenHash(accessToken)).available(performance.now());
  }

  /** Puts a product in the store directly (a product the merchant made, say). Throws on userErrors. */
  seedProduct(input: ProductSetArgs): ProductSnapshot {
    const r = this.#store.productSet(input, Infinity);
    if (!r.product) throw new Error(`seedProduct: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#changed();
    return this.#productSnapshot(r.product.id)!;
  }

  /** Puts a collection in the store directly. Throws on userErrors. */
  seedCollection(input: { title: string; handle?: string; descriptionHtml?: string }): CollectionSnapshot {
    const r = this.#store.collectionWrite(input, true);
    if (!r.collection) throw new Error(`seedCollection: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#changed();
    return this.collection({ id: r.collection.id })!;
  }

  /** Deletes a product, as a merchant could in the admin (the client is not told). */
  removeProduct(by: { id: string } | { sku: string }): boolean {
    const id = 'id' in by ? by.id : this.#store.variantBySku(by.sku)?.productId;
    this.#changed();
    return id ? this.#store.deleteProduct(id) : false;
  }

  /** Deletes a variant, as a merchant could in the admin. */
  removeVariant(sku: string): boolean {
    const v = this.#store.variantBySku(sku);
    this.#changed();
    return v ? this.#store.deleteVariant(v.id) : false;
  }

  /** Deletes a collection, as a merchant could in the admin. */
  removeCollection(by: { id: string } | { handle: string }): boolean {
    const id = 'id' in by ? by.id : this.#store.collectionByHandle(by.handle)?.id;
    this.#changed();
    return id ? this.#store.collectionDelete(id).deletedCollectionId !== null : false;
  }

  // ——— HTTP ———

  #bucket(key: string): LeakyBucket {
    let b = this.#buckets.get(key);
    if (!b) {
      const preset = PLAN_PRESETS[this.config.plan];
      b = new LeakyBucket(this.config.bucketSize ?? preset.bucketSize, this.config.restoreRate ?? preset.restoreRate, performance.now());
      this.#buckets.set(key, b);
    }
    return b;
  }

  #validToken(token: string | undefined): boolean {
    if (!token) return false;
    const h = Buffer.from(tokenHash(token));
    return this.#tokens.some((t) => t.length === h.length && timingSafeEqual(t, h));
  }

  /** The first queued fault that applies to a request calling `fields`, counted down. */
  #nextFault(fields: readonly string[]): { kind: FaultKind; afterExecute: boolean } | undefined {
    const i = this.#faults.findIndex((f) => f.field === undefined || fields.includes(f.field));
    const f = this.#faults[i];
    if (!f) return undefined;
    f.left -= 1;
    if (f.left <= 0) this.#faults.splice(i, 1);
    return { kind: f.kind, afterExecute: f.afterExecute };
  }

  #delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  #latency(mutations: number): number {
    const l = this.config.latency;
    return l.baseMs + l.perMutationMs * mutations + (l.jitterMs ? Math.random() * l.jitterMs : 0);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const entry: RequestLogEntry = {
      seq: ++this.#seq,
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      token: 'missing',
      fields: [],
      mutations: 0,
      throttled: false,
      status: 0,
      errorCodes: [],
      durationMs: 0,
    };
    try {
      await this.#serve(req, res, entry);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) this.#send(res, entry, 500, JSON.stringify({ errors: `Simulator error: ${err instanceof Error ? err.message : String(err)}` }));
    } finally {
      entry.durationMs = Math.round(performance.now() - started);
      if (entry.throttled) this.#throttled += 1;
      this.#log.push(entry);
      if (this.#log.length > this.config.logLimit) this.#log.splice(0, this.#log.length - this.config.logLimit);
    }
  }

  /** A request refused for its cost, as Shopify answers one: HTTP 200, the error, and the bucket as it stands; nothing charged. */
  async #refuseForCost(
    res: ServerResponse,
    entry: RequestLogEntry,
    headers: Record<string, string>,
    bucket: LeakyBucket,
    requested: number,
    code: 'MAX_COST_EXCEEDED' | 'THROTTLED',
    error: { message: string; extensions: Record<string, unknown> },
  ): Promise<void> {
    entry.actualCost = null;
    entry.errorCodes = [code];
    entry.available = bucket.status(performance.now()).currentlyAvailable;
    await this.#delay(this.#latency(0));
    const cost = { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status(performance.now()) };
    this.#send(res, entry, 200, JSON.stringify({ errors: [error], extensions: { cost } }), headers);
  }

  #send(res: ServerResponse, entry: RequestLogEntry, status: number, body: string, headers: Record<string, string> = {}): void {
    entry.status = status;
    if (res.destroyed) return;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  async #serve(req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry): Promise<void> {
    const match = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(entry.path);
    if (!match) return this.#send(res, entry, 404, '{"errors":"Not Found"}');
    if (req.method !== 'POST') return this.#send(res, entry, 405, '{"errors":"Method Not Allowed"}', { Allow: 'POST' });
    const forwarded = req.headers['x-forwarded-host'];
    const host = ((Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host !== this.config.shopDomain && host !== '127.0.0.1' && host !== 'localhost') return this.#send(res, entry, 404, '{"errors":"Not Found"}');
    entry.requestedVersion = match[1]!;
    const served = servedVersion(this.#policy, entry.requestedVersion);
    if (!served) return this.#send(res, entry, 404, '{"errors":"Not Found"}');
    entry.servedVersion = served;
    // Every answer from here on names the version that served it.
    const headers: Record<string, string> = { 'X-Shopify-API-Version': served };

    const tokenHeader = req.headers['x-shopify-access-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const valid = this.#validToken(token);
    entry.token = token ? `${valid ? 'valid' : 'invalid'}:${tokenHash(token)}` : 'missing';
    if (!valid) {
      await this.#delay(this.#latency(0));
      return this.#send(res, entry, 401, UNAUTHORIZED_BODY, headers);
    }

    const raw = await this.#body(req);
    if (raw === null) return this.#send(res, entry, 413, '{"errors":"Request Entity Too Large"}', headers);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return this.#send(res, entry, 400, '{"errors":{"query":"Required parameter missing or invalid"}}', headers);
    }
    if (typeof body?.query !== 'string') return this.#send(res, entry, 400, '{"errors":{"query":"Required parameter missing or invalid"}}', headers);
    const variables = body.variables && typeof body.variables === 'object' && !Array.isArray(body.variables) ? (body.variables as Record<string, unknown>) : {};
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    if (this.config.recordQueries) entry.query = body.query;

    const key = tokenHash(token!);
    const bucket = this.#bucket(key);
    const features = featuresOf(served);
    const prepared = this.#prepare(served, body.query, variables, operationName);
    if ('errors' in prepared) {
      entry.errorCodes = prepared.errors.map((e) => String(e.extensions?.['code'] ?? 'GRAPHQL_VALIDATION_FAILED'));
      await this.#delay(this.#latency(0));
      return this.#send(res, entry, 200, JSON.stringify({ errors: prepared.errors }), headers);
    }
    entry.fields = prepared.fields;
    entry.mutations = prepared.mutations;
    const fault = this.#nextFault(prepared.fields);
    if (fault) entry.fault = fault.kind;
    if (fault && !fault.afterExecute) {
      await this.#delay(this.#latency(0));
      return this.#fail(fault.kind, req, res, entry, headers);
    }
    entry.requestedCost = prepared.requested;
    if (prepared.operation.name) entry.operationName = prepared.operation.name.value;
    const deprecation = [
      prepared.deprecations.length ? (features.deprecationList ? prepared.deprecations.join(', ') : DEPRECATION_URL) : undefined,
      this.#policy.deprecated[served],
    ].filter((x): x is string => !!x);
    if (deprecation.length) headers['X-Shopify-API-Deprecated-Reason'] = deprecation.join('; ');

    const limit = Math.min(this.config.maxQueryCost, bucket.size);
    const now = performance.now();
    if (prepared.requested > limit) {
      return this.#refuseForCost(res, entry, headers, bucket, prepared.requested, 'MAX_COST_EXCEEDED', {
        message: `Query cost is ${prepared.requested}, which exceeds the single query max cost limit (${limit}). See https://shopify.dev/docs/api/usage/rate-limits for how the cost of a query is calculated.`,
        extensions: { code: 'MAX_COST_EXCEEDED', cost: prepared.requested, maxCost: limit, documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
    }
    if (!bucket.take(prepared.requested, now)) {
      entry.throttled = true;
      return this.#refuseForCost(res, entry, headers, bucket, prepared.requested, 'THROTTLED', {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      });
    }

    // Charged the requested cost; the work takes its time; the difference to the actual cost is refunded.
    await this.#delay(this.#latency(prepared.mutations));
    const schema = adminSchema(served);
    let idempotency = this.#idempotency.get(key);
    if (!idempotency) this.#idempotency.set(key, (idempotency = new Map()));
    const context: SimContext = {
      store: this.#store,
      features,
      maxVariants: this.config.maxVariantsPerProduct ?? features.maxVariantsPerProduct,
      shop: { name: this.config.shopName, myshopifyDomain: this.config.shopDomain },
      idempotency,
    };
    const result = await execute({ schema, document: prepared.document, rootValue: this.#root, contextValue: context, variableValues: variables, operationName });
    if (prepared.mutations > 0) this.#changed();
    const actual = Math.min(prepared.requested, actualCost(schema, prepared.document, variables, result.data, operationName, served));
    bucket.refund(prepared.requested - actual, performance.now());
    entry.actualCost = actual;
    const status = bucket.status(performance.now());
    entry.available = status.currentlyAvailable;
    entry.errorCodes = (result.errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'INTERNAL'));
    const out: Record<string, unknown> = {};
    if (result.errors?.length) out['errors'] = result.errors.map((e) => e.toJSON());
    out['data'] = result.data ?? null;
    out['extensions'] = { cost: { requestedQueryCost: prepared.requested, actualQueryCost: actual, throttleStatus: status } };
    const text = JSON.stringify(out);
    if (fault) return this.#fail(fault.kind, req, res, entry, headers, text);
    return this.#send(res, entry, 200, text, headers);
  }

  #prepare(version: string, query: string, variables: Record<string, unknown>, operationName: string | undefined): Prepared | { errors: GraphQLFormattedError[] } {
    const schema = adminSchema(version);
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      const e = err instanceof GraphQLError ? err : new GraphQLError(String(err));
      return { errors: [{ ...e.toJSON(), extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] };
    }
    const invalid = validate(schema, document);
    if (invalid.length) return { errors: invalid.map((e) => ({ ...e.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) };
    const operation = getOperationAST(document, operationName);
    if (!operation) return { errors: [{ message: 'An operation name is required when the document has several operations.', extensions: { code: 'BAD_REQUEST' } }] };
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return { errors: coerced.errors.map((e) => ({ ...e.toJSON(), extensions: { code: 'INVALID_VARIABLE' } })) };
    const tooLong = arrayOverLimit(schema, variables, operation, document);
    if (tooLong) {
      return {
        errors: [
          {
            message: `The input array size of ${tooLong.size} is greater than the maximum allowed of ${MAX_INPUT_ARRAY}.`,
            path: tooLong.path,
            extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
          },
        ],
      };
    }
    const deprecations = new Set<string>();
    for (const e of validate(schema, document, [NoDeprecatedCustomRule])) {
      const m = /(?:The field |The input field |The enum value ")([A-Za-z_]\w*\.[A-Za-z_]\w*)/.exec(e.message) ?? /Field "([A-Za-z_]\w*\.[A-Za-z_]\w*)" argument "(\w+)"/.exec(e.message);
      if (m) deprecations.add(m[2] ? `${m[1]}.${m[2]}` : m[1]!);
    }
    const fields: string[] = [];
    for (const s of operation.selectionSet.selections) if (s.kind === Kind.FIELD) fields.push(s.name.value);
    return {
      document,
      operation,
      variables,
      requested: requestedCost(schema, document, variables, operationName, version),
      mutations: operation.operation === 'mutation' ? fields.length : 0,
      fields,
      deprecations: [...deprecations],
    };
  }

  async #body(req: IncomingMessage): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.config.maxBodyBytes) return null;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async #fail(kind: FaultKind, req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry, headers: Record<string, string>, answer?: string): Promise<void> {
    switch (kind) {
      case 'http500':
        return this.#send(res, entry, 500, '{"errors":"Internal Server Error"}', headers);
      case 'http503':
        return this.#send(res, entry, 503, '{"errors":"Service Unavailable"}', { ...headers, 'Retry-After': '1' });
      case 'unauthorized':
        return this.#send(res, entry, 401, UNAUTHORIZED_BODY, headers);
      case 'notFound':
        // As an unknown store's host answers: no API version header.
        return this.#send(res, entry, 404, '{"errors":"Not Found"}');
      case 'malformed': {
        const text = answer ?? '{"data":{"shop":{"name":"Shopsync Simulator"}}}';
        return this.#send(res, entry, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))), headers);
      }
      case 'reset':
        entry.status = 0;
        req.socket.destroy();
        return;
      case 'hang':
        entry.status = 0;
        // Held until the client gives up (closes the connection) or `hangMs` pass.
        await new Promise<void>((resolve) => {
          const release = () => {
            clearTimeout(timer);
            this.#held.delete(release);
            req.socket.destroy();
            resolve();
          };
          const timer = setTimeout(release, this.config.hangMs);
          this.#held.add(release);
          req.socket.once('close', release);
        });
        return;
    }
  }
}

/**
 * Input lists bounded by something other than the 250-item rule: productSet's `variants` by the
 * product's variant limit (2,048 from 2025-10: "create or update a maximum of 2,048 product
 * variants in a single operation", productSet reference), which its resolver enforces
 * (VARIANTS_OVER_LIMIT); and so its options' `values` (OptionSetInput is productSet's only), which
 * must name every value those variants use. Their items' own lists keep the rule.
 */
const EXEMPT_LISTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['ProductSetInput', new Set(['variants'])],
  ['OptionSetInput', new Set(['values'])],
]);

function exempt(parent: GraphQLInputType | null | undefined, field: string): boolean {
  const named = parent ? getNamedType(parent) : undefined;
  return !!named && EXEMPT_LISTS.get(named.name)?.has(field) === true;
}

/** The first input array over Shopify's limit, in the variables or the document's literals. */
function arrayOverLimit(schema: GraphQLSchema, variables: Record<string, unknown>, operation: OperationDefinitionNode, document: DocumentNode): { size: number; path: string[] } | undefined {
  const walk = (v: unknown, type: GraphQLInputType | undefined, path: string[], unbounded = false): { size: number; path: string[] } | undefined => {
    const t = type ? getNullableType(type) : undefined;
    if (Array.isArray(v)) {
      if (v.length > MAX_INPUT_ARRAY && !unbounded) return { size: v.length, path };
      const item = t && isListType(t) ? (t.ofType as GraphQLInputType) : undefined;
      for (let i = 0; i < v.length; i++) {
        const r = walk(v[i], item, [...path, String(i)]);
        if (r) return r;
      }
    } else if (v && typeof v === 'object') {
      const fields = t && isInputObjectType(t) ? t.getFields() : undefined;
      for (const [k, x] of Object.entries(v)) {
        const r = walk(x, fields?.[k]?.type, [...path, k], !!t && exempt(t as GraphQLInputType, k));
        if (r) return r;
      }
    }
    return undefined;
  };
  for (const def of operation.variableDefinitions ?? []) {
    const type = typeFromAST(schema, def.type) as GraphQLInputType | undefined;
    const r = walk(variables[def.variable.name.value], type, [def.variable.name.value]);
    if (r) return r;
  }
  let found: { size: number; path: string[] } | undefined;
  const unbounded = new Set<ListValueNode>();
  const info = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(info, {
      ObjectField(node) {
        if (node.value.kind === Kind.LIST && exempt(info.getParentInputType(), node.name.value)) unbounded.add(node.value);
      },
      ListValue(node) {
        if (!found && !unbounded.has(node) && node.values.length > MAX_INPUT_ARRAY) found = { size: node.values.length, path: [] };
      },
    }),
  );
  return found;
}

/** The store kept at `path`, or undefined when there is no file yet. A file that cannot be read is an error, never silently replaced. */
function loadStore(path: string): SimStore | undefined {
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`The simulator's store file ${path} cannot be read (${err instanceof Error ? err.message : String(err)}); move it away to start with an empty store.`, { cause: err });
  }
  if (typeof data !== 'object' || data === null || (data as { v?: unknown }).v !== 1) {
    throw new Error(`The simulator's store file ${path} is not a version 1 store; move it away to start with an empty store.`);
  }
  return SimStore.fromData(data as SimStoreData);
}
