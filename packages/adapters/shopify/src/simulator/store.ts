/**
 * The simulator's store: collections, products, variants, inventory items and levels, metafields,
 * files and publications, in memory, with the rules Shopify applies to them (and answers with
 * userErrors when they are broken). Every write validates first and applies only if nothing is
 * wrong, as Shopify's mutations do. The records are in model.ts; productSet in product-set.ts
 * (checks, with product-set-media.ts) and product-set-apply.ts, productVariantsBulkUpdate in
 * variants-bulk.ts, stock in inventory.ts, metafields in metafields.ts, files in media.ts,
 * publications in publications.ts, locales in locales.ts, translations in translations.ts (what
 * can be translated: translatable.ts); the store's file in store-data.ts.
 *
 * One deliberate difference: Shopify allows two variants with one SKU; here a SKU is unique in
 * the store (DUPLICATED_VALUE otherwise), as shopsync keys products and variants by SKU.
 */
import { activate, setQuantities, type InventoryChangeRecord } from './inventory.js';
import { MediaLibrary } from './media.js';
import type { RecordExists } from './metafield-types.js';
import { MetafieldRegistry } from './metafields.js';
import {
  given,
  resolveNamespace,
  slugify,
  type MetafieldOwner,
  type MetafieldOwnerType,
  type ProductSetArgs,
  type ProductSetIdentifierArgs,
  type QuantityArgs,
  type SimCollection,
  type SimInventoryItem,
  type SimLocation,
  type SimProduct,
  type SimVariant,
  type UserErrorOut,
  type VariantsBulkArgs,
} from './model.js';
import { ShopLocales, type ShopLocaleConfig } from './locales.js';
import { applyProductSet, type StoreIndexWriter } from './product-set-apply.js';
import { planProductSet } from './product-set.js';
import { Publications } from './publications.js';
import { TranslationStore } from './translations.js';
import { variantsBulkUpdate, type VariantsBulkResult } from './variants-bulk.js';

/** How a store is made: its clock, how long its files take to process (`media.processingMs`), its locales (default: English only). */
export interface StoreOptions {
  now?: () => Date;
  processingMs?: number;
  locales?: readonly ShopLocaleConfig[];
}

/** The input of productUpdate, as graphql-js coerced it (the fields the simulator takes). */
export interface ProductUpdateArgs {
  id?: string | null;
  status?: SimProduct['status'] | null;
  title?: string | null;
  descriptionHtml?: string | null;
  handle?: string | null;
  productType?: string | null;
  seo?: { title?: string | null; description?: string | null } | null;
}

/** The store's records and their lookups; writes go through its methods, which keep the lookups right. */
export class SimStore {
  readonly products = new Map<string, SimProduct>();
  readonly variants = new Map<string, SimVariant>();
  readonly inventoryItems = new Map<string, SimInventoryItem>();
  readonly collections = new Map<string, SimCollection>();
  readonly locations = new Map<string, SimLocation>();
  readonly adjustmentGroups = new Map<string, { id: string; reason: string; changes: InventoryChangeRecord[] }>();
  /** Metafield definitions of products and variants, and their unique values. */
  readonly metafields: MetafieldRegistry;
  /** The shop's files. */
  readonly media: MediaLibrary;
  /** The shop's publications (sales channels). */
  readonly publications: Publications;
  /** The shop's locales (from the options: not kept in the store's file). */
  readonly locales: ShopLocales;
  /** Translations of products, collections and metafields into the other locales (translations.ts). */
  readonly translations = new TranslationStore();
  /** How long a file takes to process (ms): `media.processingMs`. */
  readonly processingMs: number;
  readonly #handles = new Map<string, string>();
  readonly #skus = new Map<string, string>();
  readonly #collectionHandles = new Map<string, string>();
  readonly #seq = new Map<string, number>();
  readonly #now: () => Date;
  readonly #index: StoreIndexWriter = {
    uniqueHandle: (base) => this.#uniqueHandle(base, (h) => this.#handles.has(h)),
    setHandle: (product, handle) => {
      if (product.handle && this.#handles.get(product.handle) === product.id) this.#handles.delete(product.handle);
      product.handle = handle ?? '';
      if (handle) this.#handles.set(handle, product.id);
    },
    setSku: (v, sku) => {
      if (v.sku && this.#skus.get(v.sku) === v.id) this.#skus.delete(v.sku);
      v.sku = sku;
      if (sku) this.#skus.set(sku, v.id);
    },
    deleteVariant: (v) => this.#deleteVariant(v),
  };

  constructor(locations: ReadonlyArray<{ name: string; active: boolean }>, options: StoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.processingMs = options.processingMs ?? 50;
    const newId = (type: string) => this.newId(type);
    this.metafields = new MetafieldRegistry(newId, () => this.nowIso(), (m) => this.translations.forget(m.id));
    this.locales = new ShopLocales(options.locales);
    this.media = new MediaLibrary(newId, this.#now, () => this.processingMs);
    this.publications = new Publications(newId);
    locations.forEach((l, i) => {
      const id = this.newId('Location');
      this.locations.set(id, { id, name: l.name, isActive: l.active, isPrimary: i === 0 });
    });
  }

  /**
   * Adds the locations of `list` the store does not have by name (a store read from its file
   * meets a setup that has grown: the option names the shop's locations, the file its data).
   */
  ensureLocations(list: ReadonlyArray<{ name: string; active: boolean }>): void {
    const names = new Set([...this.locations.values()].map((l) => l.name));
    for (const l of list) {
      if (names.has(l.name)) continue;
      const id = this.newId('Location');
      this.locations.set(id, { id, name: l.name, isActive: l.active, isPrimary: this.locations.size === 0 });
      names.add(l.name);
    }
  }

  /** The id sequences by type (for the store's file). */
  get sequences(): Array<[string, number]> {
    return [...this.#seq.entries()];
  }

  /** Continues the id sequences of a store read from its file. */
  restoreSequences(entries: ReadonlyArray<[string, number]>): void {
    for (const [type, n] of entries) this.#seq.set(type, n);
  }

  /** Rebuilds the look-ups (handles, SKUs, collection handles, unique metafield values) from the records. */
  reindex(): void {
    this.#handles.clear();
    this.#skus.clear();
    this.#collectionHandles.clear();
    for (const p of this.products.values()) {
      this.#handles.set(p.handle, p.id);
      this.metafields.indexOwner('PRODUCT', p);
    }
    for (const v of this.variants.values()) {
      if (v.sku) this.#skus.set(v.sku, v.id);
      this.metafields.indexOwner('PRODUCTVARIANT', v);
    }
    for (const c of this.collections.values()) this.#collectionHandles.set(c.handle, c.id);
  }

  /** Now, as an ISO date-time (the store's clock). */
  nowIso(): string {
    return this.#now().toISOString();
  }

  /** Now, by the store's clock. */
  now(): Date {
    return this.#now();
  }

  /** Whether a record a reference names exists (undefined for kinds the simulator does not keep). */
  readonly recordExists: RecordExists = (gid) => {
    const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid)?.[1];
    if (type === 'Product') return this.products.has(gid);
    if (type === 'ProductVariant') return this.variants.has(gid);
    if (type === 'Collection') return this.collections.has(gid);
    if (type === 'MediaImage') return this.media.files.has(gid);
    if (type === 'GenericFile' || type === 'Video') return false;
    return undefined;
  };

  /** The product or variant a metafield owner id names. */
  metafieldOwner(id: string): { ownerType: MetafieldOwnerType; owner: MetafieldOwner } | undefined {
    const product = this.products.get(id);
    if (product) return { ownerType: 'PRODUCT', owner: product };
    const variant = this.variants.get(id);
    return variant ? { ownerType: 'PRODUCTVARIANT', owner: variant } : undefined;
  }

  /** A new global id of this type (`gid://shopify/Product/1001`, …), numbered per type. */
  newId(type: string): string {
    const n = (this.#seq.get(type) ?? 1000) + 1;
    this.#seq.set(type, n);
    return `gid://shopify/${type}/${n}`;
  }

  /** The location new inventory is stocked at. */
  get primaryLocation(): SimLocation {
    for (const l of this.locations.values()) if (l.isPrimary) return l;
    throw new Error('the simulator has no location');
  }

  // ——— lookups ———

  /** The product with this handle. */
  productByHandle(handle: string): SimProduct | undefined {
    const id = this.#handles.get(handle);
    return id ? this.products.get(id) : undefined;
  }

  /** The id of the product that holds this handle. */
  handleOwner(handle: string): string | undefined {
    return this.#handles.get(handle);
  }

  /** The variant with this SKU (unique in the store). */
  variantBySku(sku: string): SimVariant | undefined {
    const id = this.#skus.get(sku);
    return id ? this.variants.get(id) : undefined;
  }

  /** The id of the variant that holds this SKU. */
  skuOwner(sku: string): string | undefined {
    return this.#skus.get(sku);
  }

  /** The collection with this handle. */
  collectionByHandle(handle: string): SimCollection | undefined {
    const id = this.#collectionHandles.get(handle);
    return id ? this.collections.get(id) : undefined;
  }

  /** A product's variants, in order. */
  variantsOf(p: SimProduct): SimVariant[] {
    return p.variantIds.map((id) => this.variants.get(id)!).filter(Boolean);
  }

  /** The product whose metafield `namespace.key` (with unique values) is `value`. */
  productByUniqueMetafield(namespace: string, key: string, value: string): SimProduct | undefined | 'no-definition' {
    const id = this.metafields.uniqueOwner('PRODUCT', resolveNamespace(namespace), key, value);
    if (id === 'no-definition') return id;
    return id ? this.products.get(id) : undefined;
  }

  #uniqueHandle(base: string, taken: (h: string) => boolean): string {
    if (!taken(base)) return base;
    for (let i = 1; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
  }

  // ——— products ———

  /** productSet: creates or updates a product with its options, variants, metafields, media, collections, SEO and category. */
  productSet(input: ProductSetArgs, maxVariants: number, identifier?: ProductSetIdentifierArgs | null): { product: SimProduct | null; userErrors: UserErrorOut[] } {
    const planned = planProductSet(this, input, maxVariants, identifier);
    if ('userErrors' in planned) return { product: null, userErrors: planned.userErrors };
    return { product: applyProductSet(this, planned.plan, this.#index), userErrors: [] };
  }

  #deleteVariant(v: SimVariant): void {
    if (v.sku && this.#skus.get(v.sku) === v.id) this.#skus.delete(v.sku);
    this.metafields.forget('PRODUCTVARIANT', v);
    this.inventoryItems.delete(v.inventoryItemId);
    this.variants.delete(v.id);
  }

  /** productVariantsBulkUpdate: prices and barcodes of some of a product's variants. */
  variantsBulkUpdate(productId: string, variants: readonly VariantsBulkArgs[], allowPartialUpdates: boolean): VariantsBulkResult {
    return variantsBulkUpdate(this, productId, variants, allowPartialUpdates, this.nowIso());
  }

  /** Deletes a product with its variants (as a merchant could in the admin). */
  deleteProduct(id: string): boolean {
    const p = this.products.get(id);
    if (!p) return false;
    for (const v of this.variantsOf(p)) this.#deleteVariant(v);
    this.metafields.forget('PRODUCT', p);
    for (const c of this.collections.values()) c.productIds = c.productIds.filter((x) => x !== id);
    if (this.#handles.get(p.handle) === id) this.#handles.delete(p.handle);
    this.products.delete(id);
    this.translations.forget(id);
    return true;
  }

  /** Deletes one variant (as a merchant could in the admin). */
  deleteVariant(id: string): boolean {
    const v = this.variants.get(id);
    if (!v) return false;
    const p = this.products.get(v.productId);
    if (p) p.variantIds = p.variantIds.filter((x) => x !== id);
    this.#deleteVariant(v);
    return true;
  }

  /** productUpdate: the status (archiving), and the product's own text (title, description, handle, type, SEO); the rest is productSet's. */
  productUpdate(input: ProductUpdateArgs): { product: SimProduct | null; userErrors: UserErrorOut[] } {
    const product = input.id ? this.products.get(input.id) : undefined;
    if (!product) return { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
    const errors: UserErrorOut[] = [];
    if (given(input.title) && !input.title.trim()) errors.push({ field: ['title'], message: "Title can't be blank" });
    const handle = input.handle?.trim();
    if (given(handle)) {
      const owner = this.#handles.get(handle);
      if (!handle) errors.push({ field: ['handle'], message: "Handle can't be blank" });
      else if (owner && owner !== product.id) errors.push({ field: ['handle'], message: `Handle '${handle}' already in use. Please provide a new handle.` });
    }
    if (errors.length) return { product: null, userErrors: errors };
    if (given(input.status)) product.status = input.status;
    if (given(input.title)) product.title = input.title.trim();
    if (given(input.descriptionHtml)) product.descriptionHtml = input.descriptionHtml;
    if (given(input.productType)) product.productType = input.productType;
    if (handle && handle !== product.handle) this.#index.setHandle(product, handle);
    if (input.seo) {
      if ('title' in input.seo) product.seo.title = input.seo.title ?? null;
      if ('description' in input.seo) product.seo.description = input.seo.description ?? null;
    }
    product.updatedAt = this.#now().toISOString();
    return { product, userErrors: [] };
  }

  // ——— collections ———

  /** collectionCreate (`create`) or collectionUpdate; products can be given only when creating. */
  collectionWrite(
    input: { id?: string | null; title?: string | null; descriptionHtml?: string | null; handle?: string | null; sortOrder?: string | null; products?: string[] | null },
    create: boolean,
  ): { collection: SimCollection | null; userErrors: UserErrorOut[] } {
    const errors: UserErrorOut[] = [];
    const existing = input.id ? this.collections.get(input.id) : undefined;
    if (create && input.id) errors.push({ field: ['id'], message: 'Id must be blank when creating a collection' });
    if (!create && !existing) errors.push({ field: ['id'], message: 'Collection does not exist' });
    if ((create || given(input.title)) && !(input.title ?? '').trim()) errors.push({ field: ['title'], message: "Title can't be blank" });
    if (given(input.handle)) {
      const owner = this.#collectionHandles.get(input.handle);
      if (owner && owner !== existing?.id) errors.push({ field: ['handle'], message: 'Handle has already been taken' });
    }
    if (given(input.products)) {
      if (!create) errors.push({ field: ['products'], message: 'Products can only be given when the collection is created' });
      input.products.forEach((id, i) => {
        if (!this.products.has(id)) errors.push({ field: ['products', String(i)], message: 'Product does not exist' });
      });
    }
    if (errors.length) return { collection: null, userErrors: errors };
    let c = existing;
    if (!c) {
      const handle = input.handle?.trim() || this.#uniqueHandle(slugify(input.title ?? ''), (h) => this.#collectionHandles.has(h));
      c = { id: this.newId('Collection'), title: input.title!.trim(), handle, descriptionHtml: input.descriptionHtml ?? '', sortOrder: input.sortOrder ?? 'BEST_SELLING', productIds: [...new Set(input.products ?? [])] };
      this.collections.set(c.id, c);
      this.#collectionHandles.set(handle, c.id);
    } else {
      if (given(input.title)) c.title = input.title.trim();
      if (given(input.descriptionHtml)) c.descriptionHtml = input.descriptionHtml;
      if (given(input.sortOrder)) c.sortOrder = input.sortOrder;
      if (given(input.handle) && input.handle !== c.handle) {
        this.#collectionHandles.delete(c.handle);
        c.handle = input.handle.trim();
        this.#collectionHandles.set(c.handle, c.id);
      }
    }
    return { collection: c, userErrors: [] };
  }

  /** collectionDelete. */
  collectionDelete(id: string): { deletedCollectionId: string | null; userErrors: UserErrorOut[] } {
    const c = this.collections.get(id);
    if (!c) return { deletedCollectionId: null, userErrors: [{ field: ['id'], message: 'Collection does not exist' }] };
    this.collections.delete(id);
    this.#collectionHandles.delete(c.handle);
    this.translations.forget(id);
    return { deletedCollectionId: id, userErrors: [] };
  }

  /** collectionAddProducts (`add`) or collectionRemoveProducts. */
  collectionMembers(id: string, productIds: readonly string[], add: boolean): { collection: SimCollection | null; userErrors: UserErrorOut[] } {
    const c = this.collections.get(id);
    if (!c) return { collection: null, userErrors: [{ field: ['id'], message: 'Collection does not exist' }] };
    const errors: UserErrorOut[] = [];
    productIds.forEach((p, i) => {
      if (!this.products.has(p)) errors.push({ field: ['productIds', String(i)], message: 'Product does not exist' });
    });
    if (errors.length) return { collection: null, userErrors: errors };
    if (add) for (const p of productIds) if (!c.productIds.includes(p)) c.productIds.push(p);
    if (!add) c.productIds = c.productIds.filter((p) => !productIds.includes(p));
    return { collection: c, userErrors: [] };
  }

  // ——— inventory (inventory.ts) ———

  /** inventorySetQuantities. */
  setQuantities(
    input: { name: string; reason: string; quantities: QuantityArgs[]; ignoreCompareQuantity?: boolean | null },
    rules: { compareQuantity: boolean; changeFromQuantity: boolean },
  ): { groupId: string | null; userErrors: UserErrorOut[] } {
    return setQuantities(this, input, rules);
  }

  /** inventoryActivate. */
  activate(inventoryItemId: string, locationId: string, available: number | null | undefined): { level: { itemId: string; locationId: string } | null; userErrors: UserErrorOut[] } {
    return activate(this, inventoryItemId, locationId, available);
  }
}
