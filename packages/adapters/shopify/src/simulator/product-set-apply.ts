/**
 * productSet's second half: applying a plan that product-set.ts found nothing wrong with. Every
 * list the input gives replaces what the product has (variants, metafields, collections, media);
 * every list it leaves out is unchanged.
 */
import { given, slugify, type SimInventoryItem, type SimProduct, type SimVariant } from './model.js';
import type { PlannedFile, PlannedVariantFile } from './product-set-media.js';
import type { PlannedVariant, ProductSetPlan } from './product-set.js';
import type { SimStore } from './store.js';

/** What applying needs from the store beyond its public records: its look-ups, kept in step. */
export interface StoreIndexWriter {
  /** A handle no product has, from `base`. */
  uniqueHandle(base: string): string;
  /** Gives a product a handle (or takes its handle away: null), keeping the handle look-up right. */
  setHandle(product: SimProduct, handle: string | null): void;
  /** Gives a variant a SKU (or none), keeping the SKU look-up right. */
  setSku(variant: SimVariant, sku: string | null): void;
  /** Deletes a variant with its inventory item, metafields and SKU. */
  deleteVariant(variant: SimVariant): void;
}

/** Applies a checked productSet plan; the product it created or updated. */
export function applyProductSet(store: SimStore, plan: ProductSetPlan, index: StoreIndexWriter): SimProduct {
  const { input, existing, options, variants, metafields, collections, files, seo, category } = plan;
  const now = store.nowIso();
  let product = existing;
  if (!product) {
    product = {
      id: store.newId('Product'),
      title: input.title!.trim(),
      handle: '',
      status: input.status ?? 'ACTIVE',
      descriptionHtml: input.descriptionHtml ?? '',
      vendor: input.vendor ?? '',
      productType: input.productType ?? '',
      tags: input.tags ?? [],
      options: [],
      variantIds: [],
      metafields: new Map(),
      mediaIds: [],
      seo: { title: null, description: null },
      categoryId: null,
      publications: [],
      createdAt: now,
      updatedAt: now,
    };
    store.products.set(product.id, product);
    index.setHandle(product, input.handle?.trim() || index.uniqueHandle(slugify(input.title ?? '')));
  } else {
    if (given(input.title)) product.title = input.title.trim();
    if (given(input.handle) && input.handle !== product.handle) index.setHandle(product, input.handle.trim());
    if (given(input.status)) product.status = input.status;
    if (given(input.descriptionHtml)) product.descriptionHtml = input.descriptionHtml;
    if (given(input.vendor)) product.vendor = input.vendor;
    if (given(input.productType)) product.productType = input.productType;
    if (given(input.tags)) product.tags = input.tags;
    product.updatedAt = now;
  }
  if (seo) product.seo = { ...product.seo, ...seo };
  if (category !== undefined) product.categoryId = category;
  if (metafields) store.metafields.replace('PRODUCT', product, metafields);
  if (options) product.options = options.map((o, i) => ({ id: store.newId('ProductOption'), name: o.name, position: i + 1, values: o.values }));
  const newFiles: string[] = [];
  if (files) product.mediaIds = [...new Set(files.map((f) => fileId(store, f, newFiles)))];
  if (variants) {
    const keep = new Set(variants.map((p) => p.id).filter((id): id is string => !!id));
    for (const old of store.variantsOf(product)) if (!keep.has(old.id)) index.deleteVariant(old);
    const target = product;
    product.variantIds = variants.map((p, i) => writeVariant(store, index, target, p, i + 1, newFiles).id);
  } else if (!existing) {
    product.options = [{ id: store.newId('ProductOption'), name: 'Title', position: 1, values: ['Default Title'] }];
    product.variantIds = [writeVariant(store, index, product, { selected: [{ name: 'Title', value: 'Default Title' }] }, 1, newFiles).id];
  }
  // A variant's image is one of the product's media: one no longer there is no longer its image.
  for (const v of store.variantsOf(product)) if (v.mediaId && !product.mediaIds.includes(v.mediaId)) v.mediaId = null;
  if (collections) {
    // As any list of productSet: membership becomes exactly the list (joined ones keep their place).
    for (const c of store.collections.values()) {
      const member = c.productIds.includes(product.id);
      if (collections.includes(c.id) && !member) c.productIds.push(product.id);
      if (!collections.includes(c.id) && member) c.productIds = c.productIds.filter((id) => id !== product.id);
    }
  }
  return product;
}

/** The id of the file a planned entry stands for, the file changed or created as it says. `created`: ids of this productSet's new files, by position in `files`. */
function fileId(store: SimStore, f: PlannedFile, created: string[]): string {
  if (f.kind === 'new') {
    const file = store.media.create(f.file);
    created.push(file.id);
    return file.id;
  }
  const file = store.media.files.get(f.id)!;
  if (f.alt !== undefined) store.media.setAlt(file, f.alt);
  if (f.source !== undefined) store.media.replaceSource(file, f.source);
  return file.id;
}

/** A variant's planned file, as a file of the product (appended to its media when it is not one yet). */
function variantFileId(store: SimStore, product: SimProduct, f: PlannedVariantFile, created: readonly string[]): string {
  const id = f.kind === 'listed' ? created[f.index]! : fileId(store, f, []);
  if (!product.mediaIds.includes(id)) product.mediaIds.push(id);
  return id;
}

function writeVariant(store: SimStore, index: StoreIndexWriter, product: SimProduct, p: PlannedVariant, position: number, created: readonly string[]): SimVariant {
  let v = p.id ? store.variants.get(p.id) : undefined;
  if (!v) {
    const item: SimInventoryItem = { id: store.newId('InventoryItem'), variantId: '', tracked: false, weight: null, levels: new Map([[store.primaryLocation.id, 0]]) };
    v = { id: store.newId('ProductVariant'), productId: product.id, title: '', sku: null, price: '0.00', compareAtPrice: null, barcode: null, position, selectedOptions: [], inventoryItemId: item.id, mediaId: null, metafields: new Map() };
    item.variantId = v.id;
    store.inventoryItems.set(item.id, item);
    store.variants.set(v.id, v);
  }
  v.position = position;
  v.selectedOptions = p.selected;
  v.title = p.selected.map((s) => s.value).join(' / ') || 'Default Title';
  if (p.price !== undefined) v.price = p.price ?? '0.00';
  if (p.compareAtPrice !== undefined) v.compareAtPrice = p.compareAtPrice;
  if (p.barcode !== undefined) v.barcode = p.barcode;
  if (p.sku !== undefined && p.sku !== v.sku) index.setSku(v, p.sku);
  const item = store.inventoryItems.get(v.inventoryItemId)!;
  if (given(p.tracked)) item.tracked = p.tracked;
  if (p.weight !== undefined) item.weight = p.weight;
  for (const q of p.quantities ?? []) item.levels.set(q.locationId, q.quantity);
  if (p.metafields) store.metafields.replace('PRODUCTVARIANT', v, p.metafields);
  if (p.file) v.mediaId = variantFileId(store, product, p.file, created);
  return v;
}
