/**
 * What a test (or the demo) reads from the simulator's store without going through GraphQL:
 * plain snapshots of products, variants, collections, locations, files and translations, and
 * lookups by id, handle or SKU. Snapshots are copies: changing one changes nothing in the store.
 * A file's status is read from the clock when the snapshot is taken, a translation's `outdated`
 * from the resource's content then.
 */
import type { FileErrorOut, FileStatus } from './media.js';
import { resolveNamespace, type SimCollection, type SimFile, type SimLocation, type SimMetafield } from './model.js';
import type { SimStore } from './store.js';
import { TAXONOMY } from './taxonomy.js';
import { translatableOf, type LocalizableContentType } from './translatable.js';
import { translationOut } from './translations.js';

/** A file as a product's media lists it. */
export interface MediaSnapshot {
  id: string;
  alt: string;
  status: FileStatus;
  /** The URL it was created from. */
  source: string;
  /** Its errors, once FAILED. */
  errors: FileErrorOut[];
}

/** A file of the shop, as `files()` shows it: with the products that have it as a medium. */
export interface FileSnapshot extends MediaSnapshot {
  filename: string;
  createdAt: string;
  updatedAt: string;
  productIds: string[];
  /** How many products have it as a medium (0: detached, still in the shop's files). */
  productCount: number;
}

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
  /** The id of its image (a medium of its product), if any. */
  imageId: string | null;
  /** `namespace.key` -> value. */
  metafields: Record<string, string>;
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
  /** Its media, in order. */
  media: MediaSnapshot[];
  seo: { title: string | null; description: string | null };
  category: { id: string; name: string; fullName: string } | null;
  /** Titles of the publications it is published on now. */
  publications: string[];
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

function mediaSnapshot(s: SimStore, f: SimFile): MediaSnapshot {
  const state = s.media.state(f);
  return { id: f.id, alt: f.alt, status: state.status, source: f.source, errors: state.errors.map((e) => ({ ...e })) };
}

/** Every file of the shop, in creation order, with the products that have it as a medium. */
export function filesSnapshot(s: SimStore): FileSnapshot[] {
  return [...s.media.files.values()].map((f) => {
    const productIds = [...s.products.values()].filter((p) => p.mediaIds.includes(f.id)).map((p) => p.id);
    return { ...mediaSnapshot(s, f), filename: f.filename, createdAt: f.createdAt, updatedAt: s.media.state(f).updatedAt, productIds, productCount: productIds.length };
  });
}

const values = (metafields: Map<string, SimMetafield>) => Object.fromEntries([...metafields.entries()].map(([k, m]) => [k, m.value]));

/** A product's snapshot, with its variants in order. */
export function productSnapshot(s: SimStore, id: string): ProductSnapshot | undefined {
  const p = s.products.get(id);
  if (!p) return undefined;
  const category = p.categoryId ? TAXONOMY.get(p.categoryId) : undefined;
  const now = s.now();
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
        imageId: v.mediaId,
        metafields: values(v.metafields),
      };
    }),
    collections: [...s.collections.values()].filter((c) => c.productIds.includes(p.id)).map((c) => c.handle),
    metafields: values(p.metafields),
    media: p.mediaIds.map((id) => s.media.files.get(id)).filter((f): f is SimFile => !!f).map((f) => mediaSnapshot(s, f)),
    seo: { ...p.seo },
    category: category ? { id: category.id, name: category.name, fullName: category.fullName } : null,
    publications: [...s.publications.byId.values()].filter((pub) => s.publications.isPublished(p, pub.id, now)).map((pub) => pub.title),
  };
}

/** A translation as `translations()` shows it. */
export interface TranslationSnapshot {
  locale: string;
  key: string;
  value: string;
  /** The resource's content for the key changed since it was registered. */
  outdated: boolean;
  updatedAt: string;
}

/** A resource's translations (of one locale, or all), in the order first registered; none for a resource that is gone or not translatable. */
export function translationsOf(s: SimStore, resourceId: string, locale?: string): TranslationSnapshot[] {
  const record = translatableOf(s, resourceId);
  if (!record) return [];
  return s.translations
    .of(resourceId)
    .filter((t) => locale === undefined || t.locale === locale)
    .map((t) => {
      const out = translationOut(t, record);
      return { locale: out.locale, key: out.key, value: out.value, outdated: out.outdated, updatedAt: out.updatedAt };
    });
}

/** One key of a resource's translatable content, as `translatableContent()` shows it. */
export interface TranslatableContentSnapshot {
  key: string;
  value: string | null;
  /** What translationsRegister wants as `translatableContentDigest` now. */
  digest: string | null;
  type: LocalizableContentType;
}

/** A resource's translatable content in the primary locale, or undefined when it is gone or not translatable. */
export function translatableContentOf(s: SimStore, resourceId: string): TranslatableContentSnapshot[] | undefined {
  return translatableOf(s, resourceId)?.content.map((c) => ({ ...c }));
}

/** The id of a product's or variant's metafield, by `namespace.key` (`$app` and no namespace resolved as the app's). */
export function metafieldIdOf(s: SimStore, ownerId: string, namespaceKey: string): string | undefined {
  const owner = s.metafieldOwner(ownerId)?.owner;
  const dot = namespaceKey.lastIndexOf('.');
  const id = `${resolveNamespace(dot > 0 ? namespaceKey.slice(0, dot) : null)}.${namespaceKey.slice(dot + 1)}`;
  return owner?.metafields.get(id)?.id;
}
