/**
 * What a test (or the demo) reads from the simulator's store without going through GraphQL:
 * plain snapshots of products, variants, collections and locations, and lookups by id, handle
 * or SKU. Snapshots are copies: changing one changes nothing in the store.
 */
import type { SimCollection, SimLocation } from './model.js';
import type { SimStore } from './store.js';

/** A variant as `snapshot()` and `product()` show it. */
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

/** A product with its variants, as `snapshot()` and `product()` show it. */
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

/** A collection with its members, as `snapshot()` and `collection()` show it. */
export interface CollectionSnapshot {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  productIds: string[];
}

/** Everything the store holds. */
export interface StoreSnapshot {
  products: ProductSnapshot[];
  collections: CollectionSnapshot[];
  locations: SimLocation[];
}

/** What the store holds now. */
export function storeSnapshot(s: SimStore): StoreSnapshot {
  return {
    products: [...s.products.values()].map((p) => productSnapshot(s, p.id)!),
    collections: [...s.collections.values()].map(collectionSnapshot),
    locations: [...s.locations.values()].map((l) => ({ ...l })),
  };
}

/** A collection's snapshot. */
export function collectionSnapshot(c: SimCollection): CollectionSnapshot {
  return { id: c.id, title: c.title, handle: c.handle, descriptionHtml: c.descriptionHtml, productIds: [...c.productIds] };
}

/** A product by id, handle or the SKU of one of its variants. */
export function findProduct(s: SimStore, by: { id: string } | { handle: string } | { sku: string }): ProductSnapshot | undefined {
  const id = 'id' in by ? by.id : 'handle' in by ? s.productByHandle(by.handle)?.id : s.variantBySku(by.sku)?.productId;
  return id ? productSnapshot(s, id) : undefined;
}

/** A collection by id or handle. */
export function findCollection(s: SimStore, by: { id: string } | { handle: string }): CollectionSnapshot | undefined {
  const c = 'id' in by ? s.collections.get(by.id) : s.collectionByHandle(by.handle);
  return c && collectionSnapshot(c);
}

/** Available stock of the variant with this SKU at a location (the primary one by default). */
export function stockOf(s: SimStore, sku: string, locationId = s.primaryLocation.id): number | undefined {
  const v = s.variantBySku(sku);
  return v ? s.inventoryItems.get(v.inventoryItemId)?.levels.get(locationId) : undefined;
}

/** A product's snapshot, with its variants in order. */
export function productSnapshot(s: SimStore, id: string): ProductSnapshot | undefined {
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
