/**
 * The simulator's store: collections, products, variants, inventory items and levels, in memory,
 * with the rules Shopify applies to them (and answers with userErrors when they are broken).
 * Every write validates first and applies only if nothing is wrong, as Shopify's mutations do.
 * The records are in model.ts; productSet's validation in product-set.ts, productVariantsBulkUpdate
 * in variants-bulk.ts, stock in inventory.ts.
 *
 * One deliberate difference: Shopify allows two variants with one SKU; here a SKU is unique in
 * the store (DUPLICATED_VALUE otherwise), as shopsync keys products and variants by SKU.
 */
import { activate, setQuantities, type InventoryChangeRecord } from './inventory.js';
import {
  given,
  resolveNamespace,
  slugify,
  type ProductSetArgs,
  type ProductSetIdentifierArgs,
  type QuantityArgs,
  type SimCollection,
  type SimInventoryItem,
  type SimLocation,
  type SimMetafieldDefinition,
  type SimProduct,
  type SimStoreData,
  type SimVariant,
  type UserErrorOut,
  type VariantsBulkArgs,
} from './model.js';
import { planProductSet, type PlannedVariant, type ProductSetPlan } from './product-set.js';
import { variantsBulkUpdate, type VariantsBulkResult } from './variants-bulk.js';

/** The store's records and their lookups; writes go through its methods, which keep the lookups right. */
export class SimStore {
  readonly products = new Map<string, SimProduct>();
  readonly variants = new Map<string, SimVariant>();
  readonly inventoryItems = new Map<string, SimInventoryItem>();
  readonly collections = new Map<string, SimCollection>();
  readonly locations = new Map<string, SimLocation>();
  readonly adjustmentGroups = new Map<string, { id: string; reason: string; changes: InventoryChangeRecord[] }>();
  readonly #handles = new Map<string, string>();
  readonly #skus = new Map<string, string>();
  readonly #collectionHandles = new Map<string, string>();
  /** Product metafield definitions by `namespace.key`. */
  readonly definitions = new Map<string, SimMetafieldDefinition>();
  /** For definitions with unique values: `namespace.key` -> value -> product id. */
  readonly #unique = new Map<string, Map<string, string>>();
  readonly #seq = new Map<string, number>();
  readonly #now: () => Date;

  constructor(locations: ReadonlyArray<{ name: string; active: boolean }>, now: () => Date = () => new Date()) {
    this.#now = now;
    locations.forEach((l, i) => {
      const id = this.newId('Location');
      this.locations.set(id, { id, name: l.name, isActive: l.active, isPrimary: i === 0 });
    });
  }

  /** Everything the store holds, as JSON-ready data (adjustment history is not kept). */
  toData(): SimStoreData {
    return {
      v: 1,
      products: [...this.products.values()].map((p) => ({ ...p, metafields: [...p.metafields.entries()] })),
      variants: [...this.variants.values()],
      inventoryItems: [...this.inventoryItems.values()].map((i) => ({ ...i, levels: [...i.levels.entries()] })),
      collections: [...this.collections.values()],
      locations: [...this.locations.values()],
      definitions: [...this.definitions.values()],
      seq: [...this.#seq.entries()],
    };
  }

  /** A store holding what `toData` returned, with its lookups (handles, SKUs, unique values) rebuilt. */
  static fromData(data: SimStoreData, now?: () => Date): SimStore {
    const store = new SimStore([], now);
    for (const [type, n] of data.seq) store.#seq.set(type, n);
    for (const l of data.locations) store.locations.set(l.id, l);
    for (const d of data.definitions) {
      store.definitions.set(`${d.namespace}.${d.key}`, d);
      if (d.uniqueValues) store.#unique.set(`${d.namespace}.${d.key}`, new Map());
    }
    for (const p of data.products) {
      const product: SimProduct = { ...p, metafields: new Map(p.metafields) };
      store.products.set(p.id, product);
      store.#handles.set(p.handle, p.id);
      for (const m of product.metafields.values()) store.#unique.get(`${m.namespace}.${m.key}`)?.set(m.value, p.id);
    }
    for (const v of data.variants) {
      store.variants.set(v.id, v);
      if (v.sku) store.#skus.set(v.sku, v.id);
    }
    for (const i of data.inventoryItems) store.inventoryItems.set(i.id, { ...i, levels: new Map(i.levels) });
    for (const c of data.collections) {
      store.collections.set(c.id, c);
      store.#collectionHandles.set(c.handle, c.id);
    }
    return store;
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
    const index = this.#unique.get(`${resolveNamespace(namespace)}.${key}`);
    if (!index) return 'no-definition';
    const id = index.get(value);
    return id ? this.products.get(id) : undefined;
  }

  /** The id of the product holding `value` in a unique-values metafield (`namespace` resolved). */
  uniqueValueOwner(namespace: string, key: string, value: string): string | undefined {
    return this.#unique.get(`${namespace}.${key}`)?.get(value);
  }

  #uniqueHandle(base: string, taken: (h: string) => boolean): string {
    if (!taken(base)) return base;
    for (let i = 1; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
  }

  // ——— products ———

  /** productSet: creates or updates a product with its options, variants, metafields and collections. */
  productSet(input: ProductSetArgs, maxVariants: number, identifier?: ProductSetIdentifierArgs | null): { product: SimProduct | null; userErrors: UserErrorOut[] } {
    const planned = planProductSet(this, input, maxVariants, identifier);
    if ('userErrors' in planned) return { product: null, userErrors: planned.userErrors };
    return { product: this.#applyProductSet(planned.plan), userErrors: [] };
  }

  #applyProductSet({ input, existing, options, variants, metafields, collections }: ProductSetPlan): SimProduct {
    const now = this.#now().toISOString();
    let product = existing;
    if (!product) {
      const handle = input.handle?.trim() || this.#uniqueHandle(slugify(input.title ?? ''), (h) => this.#handles.has(h));
      product = {
        id: this.newId('Product'),
        title: input.title!.trim(),
        handle,
        status: input.status ?? 'ACTIVE',
        descriptionHtml: input.descriptionHtml ?? '',
        vendor: input.vendor ?? '',
        productType: input.productType ?? '',
        tags: input.tags ?? [],
        options: [],
        variantIds: [],
        metafields: new Map(),
        createdAt: now,
        updatedAt: now,
      };
      this.products.set(product.id, product);
      this.#handles.set(handle, product.id);
    } else {
      if (given(input.title)) product.title = input.title.trim();
      if (given(input.handle) && input.handle !== product.handle) {
        this.#handles.delete(product.handle);
        product.handle = input.handle.trim();
        this.#handles.set(product.handle, product.id);
      }
      if (given(input.status)) product.status = input.status;
      if (given(input.descriptionHtml)) product.descriptionHtml = input.descriptionHtml;
      if (given(input.vendor)) product.vendor = input.vendor;
      if (given(input.productType)) product.productType = input.productType;
      if (given(input.tags)) product.tags = input.tags;
      product.updatedAt = now;
    }
    if (metafields) {
      // productSet replaces the list it is given.
      for (const old of product.metafields.values()) this.#unique.get(`${old.namespace}.${old.key}`)?.delete(old.value);
      product.metafields = new Map(metafields.map((m) => [`${m.namespace}.${m.key}`, { id: this.newId('Metafield'), ...m }]));
      for (const m of metafields) if (this.definitions.get(`${m.namespace}.${m.key}`)?.uniqueValues) this.#unique.get(`${m.namespace}.${m.key}`)!.set(m.value, product.id);
    }
    if (options) {
      product.options = options.map((o, i) => ({ id: this.newId('ProductOption'), name: o.name, position: i + 1, values: o.values }));
    }
    if (variants) {
      const keep = new Set(variants.map((p) => p.id).filter((id): id is string => !!id));
      for (const old of this.variantsOf(product)) if (!keep.has(old.id)) this.#deleteVariant(old);
      product.variantIds = variants.map((p, i) => this.#writeVariant(product, p, i + 1));
    } else if (!existing) {
      product.options = [{ id: this.newId('ProductOption'), name: 'Title', position: 1, values: ['Default Title'] }];
      product.variantIds = [this.#writeVariant(product, { selected: [{ name: 'Title', value: 'Default Title' }] }, 1)];
    }
    if (collections) {
      // As any list of productSet: membership becomes exactly the list (joined ones keep their place).
      for (const c of this.collections.values()) {
        const member = c.productIds.includes(product.id);
        if (collections.includes(c.id) && !member) c.productIds.push(product.id);
        if (!collections.includes(c.id) && member) c.productIds = c.productIds.filter((id) => id !== product.id);
      }
    }
    return product;
  }

  #writeVariant(product: SimProduct, p: PlannedVariant, position: number): string {
    let v = p.id ? this.variants.get(p.id) : undefined;
    if (!v) {
      const item: SimInventoryItem = { id: this.newId('InventoryItem'), variantId: '', tracked: false, weight: null, levels: new Map([[this.primaryLocation.id, 0]]) };
      v = { id: this.newId('ProductVariant'), productId: product.id, title: '', sku: null, price: '0.00', compareAtPrice: null, barcode: null, position, selectedOptions: [], inventoryItemId: item.id };
      item.variantId = v.id;
      this.inventoryItems.set(item.id, item);
      this.variants.set(v.id, v);
    }
    v.position = position;
    v.selectedOptions = p.selected;
    v.title = p.selected.map((s) => s.value).join(' / ') || 'Default Title';
    if (p.price !== undefined) v.price = p.price ?? '0.00';
    if (p.compareAtPrice !== undefined) v.compareAtPrice = p.compareAtPrice;
    if (p.barcode !== undefined) v.barcode = p.barcode;
    if (p.sku !== undefined && p.sku !== v.sku) {
      if (v.sku && this.#skus.get(v.sku) === v.id) this.#skus.delete(v.sku);
      v.sku = p.sku;
      if (v.sku) this.#skus.set(v.sku, v.id);
    }
    const item = this.inventoryItems.get(v.inventoryItemId)!;
    if (given(p.tracked)) item.tracked = p.tracked;
    if (p.weight !== undefined) item.weight = p.weight;
    for (const q of p.quantities ?? []) item.levels.set(q.locationId, q.quantity);
    return v.id;
  }

  #deleteVariant(v: SimVariant): void {
    if (v.sku && this.#skus.get(v.sku) === v.id) this.#skus.delete(v.sku);
    this.inventoryItems.delete(v.inventoryItemId);
    this.variants.delete(v.id);
  }

  /** productVariantsBulkUpdate: prices and barcodes of some of a product's variants. */
  variantsBulkUpdate(productId: string, variants: readonly VariantsBulkArgs[], allowPartialUpdates: boolean): VariantsBulkResult {
    return variantsBulkUpdate(this, productId, variants, allowPartialUpdates, this.#now().toISOString());
  }

  /** metafieldDefinitionCreate (product definitions of a few types, optionally with unique values). */
  createDefinition(input: { namespace?: string | null; key: string; name: string; ownerType: string; type: string; capabilities?: { uniqueValues?: { enabled: boolean } | null } | null }): {
    definition: SimMetafieldDefinition | null;
    userErrors: UserErrorOut[];
  } {
    const namespace = resolveNamespace(input.namespace);
    const id = `${namespace}.${input.key}`;
    const fail = (code: string, field: string, message: string) => ({ definition: null, userErrors: [{ code, field: ['definition', field], message }] });
    if (!/^[A-Za-z0-9_-]{2,64}$/.test(input.key)) return fail('INVALID', 'key', 'Key must be 2-64 letters, digits, "-" or "_".');
    if (!input.name.trim()) return fail('PRESENT', 'name', "Name can't be blank.");
    if (input.type !== 'single_line_text_field' && input.type !== 'number_integer' && input.type !== 'boolean') return fail('INCLUSION', 'type', `Type ${input.type} is not supported here.`);
    if (this.definitions.has(id)) return fail('TAKEN', 'key', 'Key is in use for Product metafields on the namespace.');
    const definition: SimMetafieldDefinition = { id: this.newId('MetafieldDefinition'), namespace, key: input.key, name: input.name, type: input.type, uniqueValues: input.capabilities?.uniqueValues?.enabled === true };
    this.definitions.set(id, definition);
    if (definition.uniqueValues) this.#unique.set(id, new Map());
    return { definition, userErrors: [] };
  }

  /** Deletes a product with its variants (as a merchant could in the admin). */
  deleteProduct(id: string): boolean {
    const p = this.products.get(id);
    if (!p) return false;
    for (const v of this.variantsOf(p)) this.#deleteVariant(v);
    for (const m of p.metafields.values()) this.#unique.get(`${m.namespace}.${m.key}`)?.delete(m.value);
    for (const c of this.collections.values()) c.productIds = c.productIds.filter((x) => x !== id);
    if (this.#handles.get(p.handle) === id) this.#handles.delete(p.handle);
    this.products.delete(id);
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

  /** productUpdate, as far as the adapter uses it: the status (archiving). */
  productUpdate(input: { id?: string | null; status?: SimProduct['status'] | null }): { product: SimProduct | null; userErrors: UserErrorOut[] } {
    const product = input.id ? this.products.get(input.id) : undefined;
    if (!product) return { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
    if (given(input.status)) product.status = input.status;
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
