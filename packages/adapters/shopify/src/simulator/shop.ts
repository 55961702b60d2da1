/**
 * `SimShop`: one shop of the simulator as tests see it: its request logs, read-only views of its
 * store, faults to inject, its token buckets, its apps' installs and tokens, and the merchant's
 * own edits (seeding, deleting). `ShopifySimulator` is one (the simulator's only shop); a
 * `SimulatorFleet` gives one per shop domain (`fleet.shop(domain)`). Its state is in
 * shop-state.ts.
 */
import { performance } from 'node:perf_hooks';
import { TOKEN_FAULT_KINDS, type FaultKind, type FaultOptions, type TokenFaultKind, type TokenFaultOptions } from './faults.js';
import type { IssuedOfflineToken } from './grants.js';
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
import type { MediaFaultHandle, MediaFaultOptions } from './media-fetch.js';
import { FILE_ERROR_CODES, type ProductSetArgs, type SimLocation } from './model.js';
import type { SimulatorConfig } from './options.js';
import type { RequestLogEntry, TokenRequestEntry } from './request-log.js';
import type { ShopState } from './shop-state.js';
import { appKey } from './tokens.js';
import { registerTranslations } from './translations.js';

/** The state behind a shop's face: for the simulator and the fleet, which route requests to it (not exported from the package). */
export let stateOf: (shop: SimShop) => ShopState;

/**
 * One shop: what it holds, what it was asked, and the controls a test has over it. Everything is
 * the shop's own: another shop of a fleet has its own store, buckets, tokens, faults and logs.
 */
export class SimShop {
  readonly #s: ShopState;

  static {
    stateOf = (shop) => shop.#s;
  }

  /** Made by `ShopifySimulator.start` and `SimulatorFleet` (`fleet.shop`), never by a test. */
  constructor(state: ShopState) {
    this.#s = state;
  }

  /** The shop's options, defaults filled in (a fleet's shop: the fleet's, with its own). */
  get config(): SimulatorConfig {
    return this.#s.config;
  }

  /** The store's `*.myshopify.com` domain. */
  get shopDomain(): string {
    return this.#s.config.shopDomain;
  }

  // ——— inspection (inspection.ts) ———

  /**
   * Every Admin API request so far (up to `logLimit`, the latest kept), oldest first. Token
   * endpoint requests are not here: see `tokenRequests`.
   */
  get requests(): readonly RequestLogEntry[] {
    return this.#s.log.entries;
  }

  /**
   * Every token endpoint request so far (up to `logLimit`), oldest first: grant type, client id,
   * outcome, duration; never a token, refresh token or secret.
   */
  get tokenRequests(): readonly TokenRequestEntry[] {
    return this.#s.tokenLog.entries;
  }

  /** THROTTLED answers since the start or the last `clearLog`. */
  get throttledCount(): number {
    return this.#s.log.throttledCount;
  }

  /** Forgets both request logs (`requests`, `tokenRequests`) and the THROTTLED count. */
  clearLog(): void {
    this.#s.log.clear();
    this.#s.tokenLog.clear();
  }

  /** What the store holds now (the catalog and stock: not the tokens issued, which are never kept). */
  snapshot(): StoreSnapshot {
    return storeSnapshot(this.#s.store);
  }

  /** A product by id, handle or the SKU of one of its variants. */
  product(by: { id: string } | { handle: string } | { sku: string }): ProductSnapshot | undefined {
    return findProduct(this.#s.store, by);
  }

  /** A collection by id or handle. */
  collection(by: { id: string } | { handle: string }): CollectionSnapshot | undefined {
    return findCollection(this.#s.store, by);
  }

  /** Available stock of the variant with this SKU at a location (the primary one by default). */
  stock(sku: string, locationId?: string): number | undefined {
    return stockOf(this.#s.store, sku, locationId);
  }

  /** Every file of the shop (creation order), with its status now and the products that have it as a medium: twins show here. */
  files(): FileSnapshot[] {
    return filesSnapshot(this.#s.store);
  }

  /** The id of the location new inventory is stocked at. */
  get primaryLocationId(): string {
    return this.#s.store.primaryLocation.id;
  }

  /** The location with this name (the first, if two share it). */
  locationByName(name: string): SimLocation | undefined {
    for (const l of this.#s.store.locations.values()) if (l.name === name) return { ...l };
    return undefined;
  }

  /** The shop's locales (`options.locales`), with their names; the primary one is the language of the catalog's own content. */
  get locales(): ShopLocaleRecord[] {
    return this.#s.store.locales.list();
  }

  /** A product's, collection's or metafield's translations (of one locale, or all), each with whether it is outdated now; none once the resource is gone. */
  translations(resourceId: string, locale?: string): TranslationSnapshot[] {
    return translationsOf(this.#s.store, resourceId, locale);
  }

  /** A resource's translatable content now (key, value, digest, type), or undefined when it is gone or not translatable. */
  translatableContent(resourceId: string): TranslatableContentSnapshot[] | undefined {
    return translatableContentOf(this.#s.store, resourceId);
  }

  /** The id of a product's or variant's metafield, by `namespace.key` (the resource id of its translations). */
  metafieldId(ownerId: string, namespaceKey: string): string | undefined {
    return metafieldIdOf(this.#s.store, ownerId, namespaceKey);
  }

  // ——— control ———

  /**
   * The next `count` GraphQL requests (authorized and well formed; with `field`, only those calling
   * it) fail this way. Faults queue up in order.
   */
  injectFault(kind: FaultKind, options: FaultOptions = {}): void {
    this.#s.faults.inject(kind, options);
  }

  /**
   * The next `count` token endpoint requests (POSTs on the store's host, whatever they ask) fail
   * this way; with `afterExecute` the grant is applied first and only its answer is lost (a
   * refresh that rotated the tokens without the app learning the new ones). Faults queue up in
   * order, apart from `injectFault`'s. Throws on a kind the token endpoint has no use for.
   */
  injectTokenFault(kind: TokenFaultKind, options: TokenFaultOptions = {}): void {
    if (!TOKEN_FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown token fault "${String(kind)}"; expected one of ${TOKEN_FAULT_KINDS.join(', ')}.`);
    this.#s.tokenFaults.inject(kind, { ...(options.count !== undefined ? { count: options.count } : {}), ...(options.afterExecute !== undefined ? { afterExecute: options.afterExecute } : {}) });
  }

  /**
   * Drops the faults still queued, the Admin API's and the token endpoint's: the store answers
   * normally again. Returns how many requests they would still have hit.
   */
  clearFaults(): number {
    return this.#s.faults.clear() + this.#s.tokenFaults.clear();
  }

  /**
   * Files created from now on whose source contains `urlIncludes` fail (FAILED once processed,
   * with `code`, default IMAGE_PROCESSING_FAILURE, and `details`), until the handle is cleared
   * or `clearMediaFaults` is called. Files that already exist are not touched.
   */
  failMedia(options: MediaFaultOptions): MediaFaultHandle {
    if (typeof options.urlIncludes !== 'string' || !options.urlIncludes) throw new TypeError('failMedia: urlIncludes must be a non-empty string.');
    if (options.code !== undefined && !FILE_ERROR_CODES.includes(options.code)) throw new TypeError(`failMedia: unknown code "${String(options.code)}"; expected one of ${FILE_ERROR_CODES.join(', ')}.`);
    return this.#s.media.failMedia(options);
  }

  /** Removes every media fault (`failMedia`); returns how many there were. */
  clearMediaFaults(): number {
    return this.#s.media.clearFaults();
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
    return this.#s.tokens.bucket(typeof of === 'string' ? this.#s.tokens.keyOf(of) : appKey(of.clientId));
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
    return this.#s.grants.issueOffline(clientId, options.expiring);
  }

  /**
   * Uninstalls an app: every access token and refresh token it holds stops working (401 on the
   * Admin API, invalid_grant at the token endpoint; client credentials get app_not_installed)
   * until `issueOfflineToken` installs it again. Returns how many access tokens were still
   * working. Throws for an unknown client id.
   */
  revokeGrant(clientId: string): number {
    return this.#s.grants.revoke(clientId);
  }

  /**
   * Every unexpired access token of an app that can expire (expiring offline, client credentials)
   * expires now: its next Admin API request gets 401. Refresh tokens are untouched. Returns how
   * many expired. Throws for an unknown client id.
   */
  expireAccessTokens(clientId: string): number {
    return this.#s.grants.expire(clientId);
  }

  /** Puts a product in the store directly (a product the merchant made, say). Throws on userErrors. */
  seedProduct(input: ProductSetArgs): ProductSnapshot {
    const r = this.#s.store.productSet(input, Infinity);
    if (!r.product) throw new Error(`seedProduct: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#s.changed();
    return productSnapshot(this.#s.store, r.product.id)!;
  }

  /** Translates a resource's content now directly (a merchant's translation in the admin). Throws on userErrors. */
  seedTranslation(resourceId: string, locale: string, key: string, value: string): TranslationSnapshot {
    const digest = translatableContentOf(this.#s.store, resourceId)?.find((c) => c.key === key)?.digest ?? '';
    const r = registerTranslations(this.#s.store, resourceId, [{ locale, key, value, translatableContentDigest: digest }]);
    if (!r.translations) throw new Error(`seedTranslation: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#s.changed();
    return translationsOf(this.#s.store, resourceId, locale).find((t) => t.key === key)!;
  }

  /** Puts a collection in the store directly. Throws on userErrors. */
  seedCollection(input: { title: string; handle?: string; descriptionHtml?: string }): CollectionSnapshot {
    const r = this.#s.store.collectionWrite(input, true);
    if (!r.collection) throw new Error(`seedCollection: ${r.userErrors.map((e) => e.message).join('; ')}`);
    this.#s.changed();
    return this.collection({ id: r.collection.id })!;
  }

  /** Deletes a product, as a merchant could in the admin (the client is not told). */
  removeProduct(by: { id: string } | { sku: string }): boolean {
    const id = 'id' in by ? by.id : this.#s.store.variantBySku(by.sku)?.productId;
    this.#s.changed();
    return id ? this.#s.store.deleteProduct(id) : false;
  }

  /** Deletes a variant, as a merchant could in the admin. */
  removeVariant(sku: string): boolean {
    const v = this.#s.store.variantBySku(sku);
    this.#s.changed();
    return v ? this.#s.store.deleteVariant(v.id) : false;
  }

  /** Deletes a collection, as a merchant could in the admin. */
  removeCollection(by: { id: string } | { handle: string }): boolean {
    const id = 'id' in by ? by.id : this.#s.store.collectionByHandle(by.handle)?.id;
    this.#s.changed();
    return id ? this.#s.store.collectionDelete(id).deletedCollectionId !== null : false;
  }
}
