/**
 * `ShopifySimulator`: the simulator's face. It starts and stops the HTTP server, and gives tests
 * what they need around it: the request logs, read-only views of the store, faults to inject, the
 * token buckets, apps' installs and tokens, and the merchant's own edits (seeding, deleting). The
 * work is elsewhere:
 *
 *   pipeline.ts      the HTTP request pipeline (route, version, token, body, prepare, fault, cost, execute, answer)
 *   oauth.ts         the token endpoint (`POST /admin/oauth/access_token`); grants.ts  apps, installs, refresh chains
 *   prepare.ts       parse, validate, input limits (input-limits.ts), deprecations (deprecations.ts), cost
 *   resolvers.ts     the GraphQL root fields (and resolvers-catalog.ts), answering with views.ts, views-catalog.ts
 *   store.ts         the store and its rules (model.ts, product-set*.ts, variants-bulk.ts, inventory.ts,
 *                    metafields.ts and metafield-types.ts, media.ts, publications.ts, taxonomy.ts,
 *                    locales.ts, translatable.ts and translations.ts; resolvers-translations.ts)
 *   media-fetch.ts   media faults and the fetch of files' sources; files-query.ts the `files` search
 *   faults.ts        injected faults    tokens.ts   tokens and their buckets    request-log.ts   the log
 *   inspection.ts    snapshots          persistence.ts   the store's file       versions.ts      the version calendar
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseOrThrow } from '@shopsync/core';
import { Faults, TOKEN_FAULT_KINDS, type FaultKind, type FaultOptions, type TokenFaultKind, type TokenFaultOptions } from './faults.js';
import { AppGrants, type IssuedOfflineToken } from './grants.js';
import {
  filesSnapshot,
  findCollection,
  findProduct,
  metafieldIdOf,
  productSnapshot,
  stockOf,
  storeSnapshot,
  translatableContentOf,
  translationsOf,
  type CollectionSnapshot,
  type FileSnapshot,
  type ProductSnapshot,
  type StoreSnapshot,
  type TranslatableContentSnapshot,
  type TranslationSnapshot,
} from './inspection.js';
import type { ShopLocaleRecord } from './locales.js';
import { MediaProcessor, type MediaFaultHandle, type MediaFaultOptions } from './media-fetch.js';
import { FILE_ERROR_CODES, type ProductSetArgs, type SimLocation } from './model.js';
import { PLAN_PRESETS, simulatorOptionsSchema, type SimulatorConfig, type SimulatorOptions } from './options.js';
import { loadStore, StoreFile } from './persistence.js';
import { RequestPipeline } from './pipeline.js';
import { TokenEndpoint, TOKEN_PATH } from './oauth.js';
import { RequestLog, TokenRequestLog, type RequestLogEntry, type TokenRequestEntry } from './request-log.js';
import { SimStore } from './store.js';
import { appKey, TokenRegistry } from './tokens.js';
import { registerTranslations } from './translations.js';
import { calendarPolicy, type VersionPolicy } from './versions.js';

/**
 * A local Shopify Admin API: `POST /admin/api/{version}/graphql.json` with
 * `X-Shopify-Access-Token`, on 127.0.0.1. It executes GraphQL with graphql-js against the
 * project's Admin schema subset, keeps a store in memory, charges Shopify's calculated query cost
 * to a leaky bucket per app (THROTTLED as HTTP 200, MAX_COST_EXCEEDED over the single-query
 * limit), serves API versions as Shopify does (fall-forward, deprecation header), answers 401
 * to a wrong, expired or revoked token and 403 to a public app's non-expiring token from
 * `nonExpiringCutoff`, waits a configurable latency, and fails on demand. Apps (`options.apps`)
 * get and refresh tokens at `POST /admin/oauth/access_token` (oauth.ts).
 */
export class ShopifySimulator {
  /** The options it runs with, defaults filled in. */
  readonly config: SimulatorConfig;
  readonly #server: Server;
  readonly #store: SimStore;
  readonly #file: StoreFile;
  readonly #policy: VersionPolicy;
  readonly #tokens: TokenRegistry;
  readonly #faults: Faults;
  readonly #log: RequestLog;
  readonly #grants: AppGrants;
  readonly #tokenFaults: Faults;
  readonly #tokenLog: TokenRequestLog;
  readonly #media: MediaProcessor;
  #url = '';

  private constructor(config: SimulatorConfig) {
    this.config = config;
    const storeOptions = { processingMs: config.media.processingMs, locales: config.locales };
    this.#store = (config.statePath && loadStore(config.statePath, storeOptions)) || new SimStore(config.locations, storeOptions);
    this.#store.ensureLocations(config.locations);
    this.#store.publications.ensure(config.publications, this.#store.products.values());
    this.#file = new StoreFile(config.statePath, this.#store);
    this.#media = new MediaProcessor(this.#store.media, { fetch: config.media.fetch, maxBytes: config.media.maxBytes }, () => this.#file.changed());
    // A fetch the last run did not finish is made again (or, without `media.fetch`, let go).
    for (const f of this.#store.media.files.values()) {
      if (!f.fetchPending) continue;
      f.fetchPending = false;
      this.#media.start(f);
    }
    const calendar = calendarPolicy(config.now ?? new Date());
    this.#policy = {
      supported: config.versions.supported ?? calendar.supported,
      deprecated: config.versions.deprecated ?? (config.versions.supported ? {} : calendar.deprecated),
    };
    const preset = PLAN_PRESETS[config.plan];
    this.#tokens = new TokenRegistry(config.accessTokens, { size: config.bucketSize ?? preset.bucketSize, restoreRate: config.restoreRate ?? preset.restoreRate });
    this.#faults = new Faults(config.hangMs);
    this.#log = new RequestLog(config.logLimit);
    this.#grants = new AppGrants(config.apps, config.tokenLifetimes, this.#tokens);
    this.#tokenFaults = new Faults(config.hangMs);
    this.#tokenLog = new TokenRequestLog(config.logLimit);
    const pipeline = new RequestPipeline({ config, policy: this.#policy, store: this.#store, tokens: this.#tokens, faults: this.#faults, log: this.#log, changed: () => this.#file.changed() });
    const oauth = new TokenEndpoint({ config, grants: this.#grants, faults: this.#tokenFaults, log: this.#tokenLog });
    this.#server = createServer((req, res) => {
      if ((req.url ?? '/').split('?')[0] === TOKEN_PATH) void oauth.handle(req, res);
      else void pipeline.handle(req, res);
    });
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

  /** The store's `*.myshopify.com` domain. */
  get shopDomain(): string {
    return this.config.shopDomain;
  }

  /** The token endpoint, `POST /admin/oauth/access_token` (oauth.ts). */
  get tokenUrl(): string {
    return `${this.#url}${TOKEN_PATH}`;
  }

  /** The GraphQL endpoint for a version. */
  graphqlUrl(version: string): string {
    return `${this.#url}/admin/api/${version}/graphql.json`;
  }

  /** Versions served as themselves, and those flagged deprecated. */
  get versions(): VersionPolicy {
    return this.#policy;
  }

  /**
   * Stops serving: aborts the fetches of files' sources under way (their files stay pending, and
   * are fetched again by a simulator that reads the store's file), writes the store's file if a
   * write is pending, drops held and open connections.
   */
  async close(): Promise<void> {
    await this.#media.close();
    this.#file.flush();
    this.#faults.releaseHeld();
    this.#tokenFaults.releaseHeld();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  // ——— inspection (inspection.ts) ———

  /**
   * Every Admin API request so far (up to `logLimit`, the latest kept), oldest first. Token
   * endpoint requests are not here: see `tokenRequests`.
   */
  get requests(): readonly RequestLogEntry[] {
    return this.#log.entries;
  }

  /**
   * Every token endpoint request so far (up to `logLimit`), oldest first: grant type, client id,
   * outcome, duration; never a token, refresh token or secret.
   */
  get tokenRequests(): readonly TokenRequestEntry[] {
    return this.#tokenLog.entries;
  }

  /** THROTTLED answers since the start or the last `clearLog`. */
  get throttledCount(): number {
    return this.#log.throttledCount;
  }

  /** Forgets both request logs (`requests`, `tokenRequests`) and the THROTTLED count. */
  clearLog(): void {
    this.#log.clear();
    this.#tokenLog.clear();
  }

  /** What the store holds now (the catalog and stock: not the tokens issued, which are never kept). */
  snapshot(): StoreSnapshot {
    return storeSnapshot(this.#store);
  }

  /** A product by id, handle or the SKU of one of its variants. */
  product(by: { id: string } | { handle: string } | { sku: string }): ProductSnapshot | undefined {
    return findProduct(this.#store, by);
  }

  /** A collection by id or handle. */
  collection(by: { id: string } | { handle: string }): CollectionSnapshot | undefined {
    return findCollection(this.#store, by);
  }

  /** Available stock of the variant with this SKU at a location (the primary one by default). */
  stock(sku: string, locationId?: string): number | undefined {
    return stockOf(this.#store, sku, locationId);
  }

  /** Every file of the shop (creation order), with its status now and the products that have it as a medium: twins show here. */
  files(): FileSnapshot[] {
    return filesSnapshot(this.#store);
  }

  /** The id of the location new inventory is stocked at. */
  get primaryLocationId(): string {
    return this.#store.primaryLocation.id;
  }

  /** The location with this name (the first, if two share it). */
  locationByName(name: string): SimLocation | undefined {
    for (const l of this.#store.locations.values()) if (l.name === name) return { ...l };
    return undefined;
  }

  /** The shop's locales (`options.locales`), with their names; the primary one is the language of the catalog's own content. */
  get locales(): ShopLocaleRecord[] {
    return this.#store.locales.list();
  }

  /** A product's, collection's or metafield's translations (of one locale, or all), each with whether it is outdated now; none once the resource is gone. */
  translations(resourceId: string, locale?: string): TranslationSnapshot[] {
    return translationsOf(this.#store, resourceId, locale);
  }

  /** A resource's translatable content now (key, value, digest, type), or undefined when it is gone or not translatable. */
  translatableContent(resourceId: string): TranslatableContentSnapshot[] | undefined {
    return translatableContentOf(this.#store, resourceId);
  }

  /** The id of a product's or variant's metafield, by `namespace.key` (the resource id of its translations). */
  metafieldId(ownerId: string, namespaceKey: string): string | undefined {
    return metafieldIdOf(this.#store, ownerId, namespaceKey);
  }

  // ——— control ———

  /**
   * The next `count` GraphQL requests (authorized and well formed; with `field`, only those calling
   * it) fail this way. Faults queue up in order.
   */
  injectFault(kind: FaultKind, options: FaultOptions = {}): void {
    this.#faults.inject(kind, options);
  }

  /**
   * The next `count` token endpoint requests (POSTs on the store's host, whatever they ask) fail
   * this way; with `afterExecute` the grant is applied first and only its answer is lost (a
   * refresh that rotated the tokens without the app learning the new ones). Faults queue up in
   * order, apart from `injectFault`'s. Throws on a kind the token endpoint has no use for.
   */
  injectTokenFault(kind: TokenFaultKind, options: TokenFaultOptions = {}): void {
    if (!TOKEN_FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown token fault "${String(kind)}"; expected one of ${TOKEN_FAULT_KINDS.join(', ')}.`);
    this.#tokenFaults.inject(kind, { ...(options.count !== undefined ? { count: options.count } : {}), ...(options.afterExecute !== undefined ? { afterExecute: options.afterExecute } : {}) });
  }

  /**
   * Drops the faults still queued, the Admin API's and the token endpoint's: the store answers
   * normally again. Returns how many requests they would still have hit.
   */
  clearFaults(): number {
    return this.#faults.clear() + this.#tokenFaults.clear();
  }

  /**
   * Files created from now on whose source contains `urlIncludes` fail (FAILED once processed,
   * with `code`, default IMAGE_PROCESSING_FAILURE, and `details`), until the handle is cleared
   * or `clearMediaFaults` is called. Files that already exist are not touched.
   */
  failMedia(options: MediaFaultOptions): MediaFaultHandle {
    if (typeof options.urlIncludes !== 'string' || !options.urlIncludes) throw new TypeError('failMedia: urlIncludes must be a non-empty string.');
    if (options.code !== undefined && !FILE_ERROR_CODES.includes(options.code)) throw new TypeError(`failMedia: unknown code "${String(options.code)}"; expected one of ${FILE_ERROR_CODES.join(', ')}.`);
    return this.#media.failMedia(options);
  }

  /** Removes every media fault (`failMedia`); returns how many there were. */
  clearMediaFaults(): number {
    return this.#media.clearFaults();
  }

  /**
   * Sets a bucket to `points` (as if another app of the store had drained it): a token's (the
   * app's bucket for a token issued to an app) or an app's by client id.
   */
  setBucket(of: string | { clientId: string }, points: number): void {
    this.#bucketOf(of).set(points, performance.now());
  }

  /** Points available now in a bucket: a token's (its app's for an app's token) or an app's by client id. */
  bucketAvailable(of: string | { clientId: string }): number {
    return this.#bucketOf(of).available(performance.now());
  }

  #bucketOf(of: string | { clientId: string }) {
    return this.#tokens.bucket(typeof of === 'string' ? this.#tokens.keyOf(of) : appKey(of.clientId));
  }

  // ——— apps and their tokens (grants.ts) ———

  /**
   * Installs an app of `options.apps` (again, after `revokeGrant`) as OAuth would, and returns
   * what the app gets: with `expiring`, an access token of `tokenLifetimes.accessSeconds` and a
   * refresh token, which start the app's refresh chain (replacing an earlier one: its refresh
   * tokens stop working, its access tokens live out their time); otherwise a non-expiring
   * offline token. Issued tokens are not persisted (`statePath` keeps only the store). Throws
   * for an unknown client id.
   */
  issueOfflineToken(clientId: string, options: { expiring: boolean }): IssuedOfflineToken {
    return this.#grants.issueOffline(clientId, options.expiring);
  }

  /**
   * Uninstalls an app: every access token and refresh token it holds stops working (401 on the
   * Admin API, invalid_grant at the token endpoint; client credentials get app_not_installed)
   * until `issueOfflineToken` installs it again. Returns how many access tokens were still
   * working. Throws for an unknown client id.
   */
  revokeGrant(clientId: string): number {
    return this.#grants.revoke(clientId);
  }

  /**
   * Every unexpired access token of an app that can expire (expiring offline, client credentials)
   * expires now: its next Admin API request gets 401. Refresh tokens are untouched. Returns how
   * many expired. Throws for an unknown client id.
   */
  expireAccessTokens(clientId: string): number {
    return this.#grants.expire(clientId);
  }

  /** Puts a product in the store directly (a product the merchant made, say). Throws on userErrors. */
  seedProduct(input: ProductSetArgs): ProductSnapshot {
    const r = this.#store.productSet(input, Infinity);
    if (!r.product) throw new Error(`seedProduct: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#file.changed();
    return productSnapshot(this.#store, r.product.id)!;
  }

  /** Translates a resource's content now directly (a merchant's translation in the admin). Throws on userErrors. */
  seedTranslation(resourceId: string, locale: string, key: string, value: string): TranslationSnapshot {
    const digest = translatableContentOf(this.#store, resourceId)?.find((c) => c.key === key)?.digest ?? '';
    const r = registerTranslations(this.#store, resourceId, [{ locale, key, value, translatableContentDigest: digest }]);
    if (!r.translations) throw new Error(`seedTranslation: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#file.changed();
    return translationsOf(this.#store, resourceId, locale).find((t) => t.key === key)!;
  }

  /** Puts a collection in the store directly. Throws on userErrors. */
  seedCollection(input: { title: string; handle?: string; descriptionHtml?: string }): CollectionSnapshot {
    const r = this.#store.collectionWrite(input, true);
    if (!r.collection) throw new Error(`seedCollection: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#file.changed();
    return this.collection({ id: r.collection.id })!;
  }

  /** Deletes a product, as a merchant could in the admin (the client is not told). */
  removeProduct(by: { id: string } | { sku: string }): boolean {
    const id = 'id' in by ? by.id : this.#store.variantBySku(by.sku)?.productId;
    this.#file.changed();
    return id ? this.#store.deleteProduct(id) : false;
  }

  /** Deletes a variant, as a merchant could in the admin. */
  removeVariant(sku: string): boolean {
    const v = this.#store.variantBySku(sku);
    this.#file.changed();
    return v ? this.#store.deleteVariant(v.id) : false;
  }

  /** Deletes a collection, as a merchant could in the admin. */
  removeCollection(by: { id: string } | { handle: string }): boolean {
    const id = 'id' in by ? by.id : this.#store.collectionByHandle(by.handle)?.id;
    this.#file.changed();
    return id ? this.#store.collectionDelete(id).deletedCollectionId !== null : false;
  }
}
