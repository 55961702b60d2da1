/**
 * The simulator's store: collections, products, variants, inventory items and levels, in memory,
 * with the rules Shopify applies to them (and answers with userErrors when they are broken).
 * Every write validates first and applies only if nothing is wrong, as Shopify's mutations do.
 *
 * One deliberate difference: Shopify allows two variants with one SKU; here a SKU is unique in
 * the store (DUPLICATED_VALUE otherwise), as shopsync keys products and variants by SKU.
 */
import { INVENTORY_REASONS } from '../target/options.js';

export interface UserErrorOut {
  field: string[] | null;
  message: string;
  code?: string | null;
}

export interface SimOption {
  id: string;
  name: string;
  position: number;
  values: string[];
}

export interface SimProduct {
  id: string;
  title: string;
  handle: string;
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  descriptionHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  options: SimOption[];
  variantIds: string[];
  /** `namespace.key` -> metafield. */
  metafields: Map<string, { id: string; namespace: string; key: string; type: string; value: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface SimMetafieldDefinition {
  id: string;
  namespace: string;
  key: string;
  name: string;
  type: string;
  uniqueValues: boolean;
}

/** The simulated app's reserved namespace, as `$app` resolves for it. */
export const APP_NAMESPACE = 'app--1001';

export function resolveNamespace(namespace: string | null | undefined): string {
  if (namespace === null || namespace === undefined || namespace === '$app') return APP_NAMESPACE;
  return namespace.startsWith('$app:') ? `${APP_NAMESPACE}--${namespace.slice(5)}` : namespace;
}

export interface SimVariant {
  id: string;
  productId: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  barcode: string | null;
  position: number;
  selectedOptions: Array<{ name: string; value: string }>;
  inventoryItemId: string;
}

export interface SimInventoryItem {
  id: string;
  variantId: string;
  tracked: boolean;
  weight: { value: number; unit: string } | null;
  /** Location id -> available quantity, for the locations where the item is stocked. */
  levels: Map<string, number>;
}

export interface SimCollection {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  sortOrder: string;
  productIds: string[];
}

export interface SimLocation {
  id: string;
  name: string;
  isActive: boolean;
  isPrimary: boolean;
}

/** The input of productSet, as graphql-js coerced it. */
export interface ProductSetArgs {
  id?: string | null;
  title?: string | null;
  descriptionHtml?: string | null;
  handle?: string | null;
  vendor?: string | null;
  productType?: string | null;
  tags?: string[] | null;
  status?: SimProduct['status'] | null;
  productOptions?: Array<{ id?: string | null; name?: string | null; position?: number | null; values?: Array<{ id?: string | null; name?: string | null }> | null }> | null;
  variants?: Array<{
    id?: string | null;
    optionValues: Array<{ id?: string | null; name?: string | null; optionId?: string | null; optionName?: string | null }>;
    price?: unknown;
    compareAtPrice?: unknown;
    barcode?: string | null;
    position?: number | null;
    inventoryItem?: { sku?: string | null; tracked?: boolean | null; measurement?: { weight?: { value: number; unit: string } | null } | null } | null;
    inventoryQuantities?: Array<{ locationId: string; name: string; quantity: number }> | null;
  }> | null;
  metafields?: Array<{ namespace?: string | null; key?: string | null; value?: string | null; type?: string | null }> | null;
}

export interface QuantityArgs {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  compareQuantity?: number | null;
  changeFromQuantity?: number | null;
}

/** Given in the input: neither absent nor null (GraphQL makes a difference; here it does not). */
export function given<T>(v: T | null | undefined): v is T {
  return v !== null && v !== undefined;
}

/** A variant as a productSet input asks for it, checked and ready to write. */
interface Planned {
  id?: string;
  selected: Array<{ name: string; value: string }>;
  price?: string | null;
  compareAtPrice?: string | null;
  barcode?: string | null;
  sku?: string | null;
  tracked?: boolean | null;
  weight?: { value: number; unit: string } | null;
  quantities?: Array<{ locationId: string; quantity: number }>;
}

const MONEY = /^\d{1,15}(\.\d{1,4})?$/;
const QUANTITY_LIMIT = 1_000_000_000;
/** Shopify's reasons for a stock change: the same list the target validates its option against. */
const VALID_REASONS: ReadonlySet<string> = new Set(INVENTORY_REASONS);

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'product';
}

function money(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  return MONEY.test(s) ? s : 'invalid';
}

/** The store as plain JSON (Maps as entry lists), for a simulator that keeps its store in a file. */
export interface SimStoreData {
  v: 1;
  products: Array<Omit<SimProduct, 'metafields'> & { metafields: Array<[string, { id: string; namespace: string; key: string; type: string; value: string }]> }>;
  variants: SimVariant[];
  inventoryItems: Array<Omit<SimInventoryItem, 'levels'> & { levels: Array<[string, number]> }>;
  collections: SimCollection[];
  locations: SimLocation[];
  definitions: SimMetafieldDefinition[];
  seq: Array<[string, number]>;
}

export class SimStore {
  readonly products = new Map<string, SimProduct>();
  readonly variants = new Map<string, SimVariant>();
  readonly inventoryItems = new Map<string, SimInventoryItem>();
  readonly collections = new Map<string, SimCollection>();
  readonly locations = new Map<string, SimLocation>();
  readonly adjustmentGroups = new Map<string, { id: string; reason: string; changes: Array<{ name: string; delta: number; quantityAfterChange: number; itemId: string; locationId: string }> }>();
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

  newId(type: string): string {
    const n = (this.#seq.get(type) ?? 1000) + 1;
    this.#seq.set(type, n);
    return `gid://shopify/${type}/${n}`;
  }

  get primaryLocation(): SimLocation {
    for (const l of this.locations.values()) if (l.isPrimary) return l;
    throw new Error('the simulator has no location');
  }

  productByHandle(handle: string): SimProduct | undefined {
    const id = this.#handles.get(handle);
    return id ? this.products.get(id) : undefined;
  }

  variantBySku(sku: string): SimVariant | undefined {
    const id = this.#skus.get(sku);
    return id ? this.variants.get(id) : undefined;
  }

  collectionByHandle(handle: string): SimCollection | undefined {
    const id = this.#collectionHandles.get(handle);
    return id ? this.collections.get(id) : undefined;
  }

  variantsOf(p: SimProduct): SimVariant[] {
    return p.variantIds.map((id) => this.variants.get(id)!).filter(Boolean);
  }

  #uniqueHandle(base: string, taken: (h: string) => boolean): string {
    if (!taken(base)) return base;
    for (let i = 1; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
  }

  // ——— productSet ———

  productSet(input: ProductSetArgs, maxVariants: number): { product: SimProduct | null; userErrors: UserErrorOut[] } {
    const errors: UserErrorOut[] = [];
    const err = (code: string, field: Array<string | number> | null, message: string) => errors.push({ code, field: field ? field.map(String) : null, message });
    const existing = input.id ? this.products.get(input.id) : undefined;
    if (input.id && !existing) err('PRODUCT_DOES_NOT_EXIST', ['input', 'id'], 'Product does not exist');
    if (errors.length) return { product: null, userErrors: errors };

    if ((!existing || given(input.title)) && !(input.title ?? '').trim()) err('INVALID_PRODUCT', ['input', 'title'], "Title can't be blank");
    if (given(input.title) && input.title.length > 255) err('INVALID_PRODUCT', ['input', 'title'], 'Title is too long (maximum is 255 characters)');
    if (given(input.handle)) {
      const owner = this.#handles.get(input.handle);
      if (!input.handle.trim()) err('INVALID_PRODUCT', ['input', 'handle'], "Handle can't be blank");
      else if (owner && owner !== existing?.id) err('HANDLE_NOT_UNIQUE', ['input', 'handle'], `Handle '${input.handle}' already in use. Please provide a new handle.`);
    }

    const optionsIn = input.productOptions ?? undefined;
    const variantsIn = input.variants ?? undefined;
    if (variantsIn && !optionsIn) err('PRODUCT_OPTIONS_INPUT_MISSING', ['input', 'productOptions'], 'Must specify product options when updating variants.');
    if (optionsIn && !variantsIn) err('VARIANTS_INPUT_MISSING', ['input', 'variants'], 'Must specify variants when updating options.');

    const options: Array<{ name: string; values: string[] }> = [];
    if (optionsIn) {
      if (optionsIn.length > 3) err('OPTIONS_OVER_LIMIT', ['input', 'productOptions'], 'Options over limit: a product can have at most 3 options.');
      optionsIn.forEach((o, i) => {
        const name = (o.name ?? '').trim();
        if (!name) err('INVALID_INPUT', ['input', 'productOptions', i, 'name'], "Option name can't be blank");
        else if (options.some((x) => x.name.toLowerCase() === name.toLowerCase())) err('DUPLICATED_OPTION_NAME', ['input', 'productOptions', i, 'name'], `Duplicated option name '${name}'.`);
        const values: string[] = [];
        (o.values ?? []).forEach((v, j) => {
          const value = (v.name ?? '').trim();
          if (!value) err('INVALID_INPUT', ['input', 'productOptions', i, 'values', j, 'name'], "Option value can't be blank");
          else if (values.includes(value)) err('DUPLICATED_OPTION_VALUE', ['input', 'productOptions', i, 'values', j], `Duplicated option value '${value}'.`);
          else values.push(value);
        });
        if (values.length === 0) err('OPTION_VALUES_MISSING', ['input', 'productOptions', i, 'values'], `Option '${name}' must have at least one option value specified.`);
        options.push({ name, values });
      });
    }

    const planned: Planned[] = [];
    if (variantsIn) {
      if (variantsIn.length > maxVariants) err('VARIANTS_OVER_LIMIT', ['input', 'variants'], `The number of variants (${variantsIn.length}) exceeds the limit of ${maxVariants} per product.`);
      const skus = new Map<string, number>();
      const combos = new Map<string, number>();
      variantsIn.forEach((v, i) => {
        const at = (...rest: Array<string | number>) => ['input', 'variants', i, ...rest];
        const p: Planned = { selected: [] };
        if (v.id) {
          const own = this.variants.get(v.id);
          if (!own || own.productId !== existing?.id) err('PRODUCT_VARIANT_DOES_NOT_EXIST', at('id'), 'Product variant does not exist');
          else p.id = v.id;
        }
        const seen = new Set<string>();
        v.optionValues.forEach((ov, j) => {
          const optName = ov.optionName ?? undefined;
          const option = optName !== undefined ? options.find((o) => o.name === optName) : undefined;
          if (!option) return err('OPTION_DOES_NOT_EXIST', at('optionValues', j), `Option '${optName ?? ov.optionId ?? ''}' does not exist.`);
          if (seen.has(option.name)) return err('INVALID_VARIANT', at('optionValues', j), `Option '${option.name}' is given more than once.`);
          seen.add(option.name);
          const value = (ov.name ?? '').trim();
          if (!option.values.includes(value)) return err('OPTION_VALUE_DOES_NOT_EXIST', at('optionValues', j), `Option value '${value}' does not exist for option '${option.name}'.`);
          p.selected.push({ name: option.name, value });
        });
        const missing = options.filter((o) => !seen.has(o.name)).map((o) => o.name);
        if (missing.length) err('INVALID_VARIANT', at('optionValues'), `The variant is missing option values for: ${missing.join(', ')}.`);
        const ordered = options.map((o) => p.selected.find((s) => s.name === o.name)?.value ?? '');
        const combo = ordered.join(' / ');
        if (!missing.length && combos.has(combo)) err('INVALID_VARIANT', at('optionValues'), `The variant '${combo}' already exists.`);
        combos.set(combo, i);
        const price = money(v.price);
        if (price === 'invalid') err('INVALID_VARIANT', at('price'), 'Price must be a non-negative amount such as "19.99".');
        else if (price !== undefined) p.price = price;
        const compare = money(v.compareAtPrice);
        if (compare === 'invalid') err('INVALID_VARIANT', at('compareAtPrice'), 'Compare-at price must be a non-negative amount such as "19.99".');
        else if (compare !== undefined) p.compareAtPrice = compare;
        if (v.barcode !== undefined) p.barcode = v.barcode;
        const item = v.inventoryItem ?? undefined;
        if (item?.sku !== undefined) {
          const sku = item.sku === null ? null : item.sku.trim();
          if (sku) {
            if (skus.has(sku)) err('DUPLICATED_VALUE', at('inventoryItem', 'sku'), `SKU '${sku}' is given to more than one variant.`);
            const owner = this.#skus.get(sku);
            const ownerProduct = owner ? this.variants.get(owner)?.productId : undefined;
            if (owner && ownerProduct !== existing?.id) err('DUPLICATED_VALUE', at('inventoryItem', 'sku'), `SKU '${sku}' is already used by a variant of another product.`);
            skus.set(sku, i);
          }
          p.sku = sku || null;
        }
        if (given(item?.tracked)) p.tracked = item.tracked;
        if (item?.measurement?.weight !== undefined) {
          const w = item.measurement.weight;
          if (w && !(w.value >= 0)) err('INVALID_VARIANT', at('inventoryItem', 'measurement', 'weight', 'value'), 'Weight must be a non-negative number.');
          p.weight = w ?? null;
        }
        (v.inventoryQuantities ?? []).forEach((q, j) => {
          const where = this.locations.get(q.locationId);
          const stocked = p.id ? this.inventoryItems.get(this.variants.get(p.id)!.inventoryItemId)!.levels.has(q.locationId) : true;
          if (!where) err('INVALID_VARIANT', at('inventoryQuantities', j, 'locationId'), 'The location does not exist.');
          else if (q.name !== 'available' && q.name !== 'on_hand') err('INVALID_VARIANT', at('inventoryQuantities', j, 'name'), 'The quantity name must be available or on_hand.');
          else if (!stocked) err('INVALID_VARIANT', at('inventoryQuantities', j, 'locationId'), 'An existing variant can only be given quantities where it is stocked.');
          else (p.quantities ??= []).push({ locationId: q.locationId, quantity: q.quantity });
        });
        planned.push(p);
      });
    }
    const metafields: Array<{ namespace: string; key: string; type: string; value: string }> = [];
    (input.metafields ?? []).forEach((m, i) => {
      const at = (f: string) => ['input', 'metafields', i, f];
      const namespace = resolveNamespace(m.namespace);
      const key = m.key ?? '';
      if (!/^[A-Za-z0-9_-]{2,64}$/.test(key)) return err('INVALID_METAFIELD', at('key'), 'Key must be 2-64 letters, digits, "-" or "_".');
      const definition = this.definitions.get(`${namespace}.${key}`);
      const type = m.type ?? definition?.type;
      if (!type) return err('INVALID_METAFIELD', at('type'), 'Type must be given for a metafield without a definition.');
      if (definition && type !== definition.type) return err('INVALID_METAFIELD', at('type'), `Type must be ${definition.type}, as its definition says.`);
      const value = m.value ?? '';
      if (!value) return err('INVALID_METAFIELD', at('value'), "Value can't be blank.");
      const owner = definition?.uniqueValues ? this.#unique.get(`${namespace}.${key}`)?.get(value) : undefined;
      if (owner && owner !== existing?.id) return err('INVALID_METAFIELD', at('value'), `Value '${value}' is already used by another product for ${namespace}.${key}, whose values must be unique.`);
      metafields.push({ namespace, key, type, value });
    });
    if (errors.length) return { product: null, userErrors: errors };

    // Apply.
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
    if (input.metafields) {
      // productSet replaces the list it is given.
      for (const old of product.metafields.values()) this.#unique.get(`${old.namespace}.${old.key}`)?.delete(old.value);
      product.metafields = new Map(metafields.map((m) => [`${m.namespace}.${m.key}`, { id: this.newId('Metafield'), ...m }]));
      for (const m of metafields) if (this.definitions.get(`${m.namespace}.${m.key}`)?.uniqueValues) this.#unique.get(`${m.namespace}.${m.key}`)!.set(m.value, product.id);
    }
    if (optionsIn) {
      product.options = options.map((o, i) => ({ id: this.newId('ProductOption'), name: o.name, position: i + 1, values: o.values }));
    }
    if (variantsIn) {
      const keep = new Set(planned.map((p) => p.id).filter((id): id is string => !!id));
      for (const old of this.variantsOf(product)) if (!keep.has(old.id)) this.#deleteVariant(old);
      product.variantIds = planned.map((p, i) => this.#writeVariant(product!, p, i + 1));
    } else if (!existing) {
      product.options = [{ id: this.newId('ProductOption'), name: 'Title', position: 1, values: ['Default Title'] }];
      product.variantIds = [this.#writeVariant(product, { selected: [{ name: 'Title', value: 'Default Title' }] }, 1)];
    }
    return { product, userErrors: [] };
  }

  #writeVariant(
    product: SimProduct,
    p: Planned,
    position: number,
  ): string {
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

  /** The product whose metafield `namespace.key` (with unique values) is `value`. */
  productByUniqueMetafield(namespace: string, key: string, value: string): SimProduct | undefined | 'no-definition' {
    const index = this.#unique.get(`${resolveNamespace(namespace)}.${key}`);
    if (!index) return 'no-definition';
    const id = index.get(value);
    return id ? this.products.get(id) : undefined;
  }

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

  productUpdate(input: { id?: string | null; status?: SimProduct['status'] | null }): { product: SimProduct | null; userErrors: UserErrorOut[] } {
    const product = input.id ? this.products.get(input.id) : undefined;
    if (!product) return { product: null, userErrors: [{ field: ['id'], message: 'Product does not exist' }] };
    if (given(input.status)) product.status = input.status;
    product.updatedAt = this.#now().toISOString();
    return { product, userErrors: [] };
  }

  // ——— collections ———

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

  collectionDelete(id: string): { deletedCollectionId: string | null; userErrors: UserErrorOut[] } {
    const c = this.collections.get(id);
    if (!c) return { deletedCollectionId: null, userErrors: [{ field: ['id'], message: 'Collection does not exist' }] };
    this.collections.delete(id);
    this.#collectionHandles.delete(c.handle);
    return { deletedCollectionId: id, userErrors: [] };
  }

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

  // ——— inventory ———

  setQuantities(
    input: { name: string; reason: string; quantities: QuantityArgs[]; ignoreCompareQuantity?: boolean | null },
    rules: { compareQuantity: boolean; changeFromQuantity: boolean },
  ): { groupId: string | null; userErrors: UserErrorOut[] } {
    const errors: UserErrorOut[] = [];
    const err = (code: string, field: Array<string | number>, message: string) => errors.push({ code, field: field.map(String), message });
    if (input.name !== 'available' && input.name !== 'on_hand') err('INVALID_NAME', ['input', 'name'], `The quantity name '${input.name}' is not valid: use available or on_hand.`);
    if (!VALID_REASONS.has(input.reason)) err('INVALID_REASON', ['input', 'reason'], `The reason '${input.reason}' is not valid.`);
    const pairs = new Set<string>();
    input.quantities.forEach((q, i) => {
      const at = (f: string) => ['input', 'quantities', i, f];
      const item = this.inventoryItems.get(q.inventoryItemId);
      const location = this.locations.get(q.locationId);
      if (!item) return err('INVALID_INVENTORY_ITEM', at('inventoryItemId'), 'The specified inventory item could not be found.');
      if (!location) return err('INVALID_LOCATION', at('locationId'), 'The specified location could not be found.');
      const pair = `${q.inventoryItemId}|${q.locationId}`;
      if (pairs.has(pair)) return err('NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR', at('inventoryItemId'), 'The same inventory item and location may appear only once.');
      pairs.add(pair);
      if (!item.levels.has(q.locationId)) return err('ITEM_NOT_STOCKED_AT_LOCATION', at('locationId'), 'The specified inventory item is not stocked at the location.');
      if (q.quantity > QUANTITY_LIMIT) return err('INVALID_QUANTITY_TOO_HIGH', at('quantity'), `The quantity can't be higher than ${QUANTITY_LIMIT}.`);
      if (q.quantity < -QUANTITY_LIMIT) return err('INVALID_QUANTITY_TOO_LOW', at('quantity'), `The quantity can't be lower than -${QUANTITY_LIMIT}.`);
      const current = item.levels.get(q.locationId)!;
      if (rules.compareQuantity && !input.ignoreCompareQuantity && q.changeFromQuantity === undefined) {
        if (!given(q.compareQuantity)) return err('COMPARE_QUANTITY_REQUIRED', at('compareQuantity'), 'The compareQuantity argument must be given to each quantity or ignored using ignoreCompareQuantity.');
        if (q.compareQuantity !== current) return err('COMPARE_QUANTITY_STALE', at('compareQuantity'), 'The compareQuantity value does not match the persisted value.');
      }
      if (rules.changeFromQuantity && given(q.changeFromQuantity) && q.changeFromQuantity !== current) {
        return err('CHANGE_FROM_QUANTITY_STALE', at('changeFromQuantity'), 'The changeFromQuantity value does not match the persisted value.');
      }
    });
    if (errors.length) return { groupId: null, userErrors: errors };
    const changes: Array<{ name: string; delta: number; quantityAfterChange: number; itemId: string; locationId: string }> = [];
    for (const q of input.quantities) {
      const item = this.inventoryItems.get(q.inventoryItemId)!;
      const before = item.levels.get(q.locationId)!;
      item.levels.set(q.locationId, q.quantity);
      if (q.quantity !== before) changes.push({ name: input.name, delta: q.quantity - before, quantityAfterChange: q.quantity, itemId: item.id, locationId: q.locationId });
    }
    if (changes.length === 0) return { groupId: null, userErrors: [] };
    const id = this.newId('InventoryAdjustmentGroup');
    this.adjustmentGroups.set(id, { id, reason: input.reason, changes });
    return { groupId: id, userErrors: [] };
  }

  activate(inventoryItemId: string, locationId: string, available: number | null | undefined): { level: { itemId: string; locationId: string } | null; userErrors: UserErrorOut[] } {
    const item = this.inventoryItems.get(inventoryItemId);
    const location = this.locations.get(locationId);
    if (!item) return { level: null, userErrors: [{ field: ['inventoryItemId'], message: 'The specified inventory item could not be found.' }] };
    if (!location || !location.isActive) return { level: null, userErrors: [{ field: ['locationId'], message: 'The specified location could not be found or is not active.' }] };
    if (!item.levels.has(locationId) || given(available)) item.levels.set(locationId, available ?? item.levels.get(locationId) ?? 0);
    return { level: { itemId: item.id, locationId }, userErrors: [] };
  }
}
