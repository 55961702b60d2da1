/**
 * The store as plain JSON (Maps as entry lists), for a simulator that keeps its store in a file,
 * and its schema: a file is parsed, never cast. The format is version 1; what was added to it
 * later (files, media, variants' images and metafields, SEO, categories, publications, definitions'
 * owner types, translations) is optional in the file and defaults to "none", so files written before read as
 * stores without them.
 */
import { z } from 'zod';
import { FILE_ERROR_CODES, type SimFile } from './model.js';
import { SimStore, type StoreOptions } from './store.js';

const metafield = z.object({
  id: z.string(),
  namespace: z.string(),
  key: z.string(),
  type: z.string(),
  value: z.string(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
});
const metafieldEntries = z.array(z.tuple([z.string(), metafield]));

const product = z.object({
  id: z.string(),
  title: z.string(),
  handle: z.string(),
  status: z.enum(['ACTIVE', 'ARCHIVED', 'DRAFT']),
  descriptionHtml: z.string(),
  vendor: z.string(),
  productType: z.string(),
  tags: z.array(z.string()),
  options: z.array(z.object({ id: z.string(), name: z.string(), position: z.number(), values: z.array(z.string()) })),
  variantIds: z.array(z.string()),
  metafields: metafieldEntries,
  mediaIds: z.array(z.string()).default([]),
  seo: z.object({ title: z.string().nullable(), description: z.string().nullable() }).default({ title: null, description: null }),
  categoryId: z.string().nullable().default(null),
  publications: z.array(z.object({ publicationId: z.string(), publishDate: z.string() })).default([]),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const variant = z.object({
  id: z.string(),
  productId: z.string(),
  title: z.string(),
  sku: z.string().nullable(),
  price: z.string(),
  compareAtPrice: z.string().nullable(),
  barcode: z.string().nullable(),
  position: z.number(),
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
  inventoryItemId: z.string(),
  mediaId: z.string().nullable().default(null),
  metafields: metafieldEntries.default([]),
});

const file = z.object({
  id: z.string(),
  alt: z.string(),
  source: z.string(),
  filename: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  processingSince: z.string(),
  failure: z.object({ code: z.enum(FILE_ERROR_CODES), details: z.string().nullable() }).nullable(),
  fetchPending: z.boolean(),
  fetchedAt: z.string().nullable(),
  size: z.number().nullable(),
  mimeType: z.string().nullable(),
});

/** The schema of the store's file. */
export const storeDataSchema = z.object({
  v: z.literal(1),
  products: z.array(product),
  variants: z.array(variant),
  inventoryItems: z.array(
    z.object({
      id: z.string(),
      variantId: z.string(),
      tracked: z.boolean(),
      weight: z.object({ value: z.number(), unit: z.string() }).nullable(),
      levels: z.array(z.tuple([z.string(), z.number()])),
    }),
  ),
  collections: z.array(z.object({ id: z.string(), title: z.string(), handle: z.string(), descriptionHtml: z.string(), sortOrder: z.string(), productIds: z.array(z.string()) })),
  locations: z.array(z.object({ id: z.string(), name: z.string(), isActive: z.boolean(), isPrimary: z.boolean() })),
  definitions: z.array(
    z.object({
      id: z.string(),
      ownerType: z.enum(['PRODUCT', 'PRODUCTVARIANT']).default('PRODUCT'),
      namespace: z.string(),
      key: z.string(),
      name: z.string(),
      type: z.string(),
      uniqueValues: z.boolean(),
      validations: z.array(z.object({ name: z.string(), value: z.string() })).default([]),
    }),
  ),
  files: z.array(file).default([]),
  publications: z.array(z.object({ id: z.string(), title: z.string(), catalogId: z.string() })).default([]),
  translations: z.array(z.object({ resourceId: z.string(), locale: z.string(), key: z.string(), value: z.string(), digest: z.string(), updatedAt: z.string() })).default([]),
  seq: z.array(z.tuple([z.string(), z.number()])),
});

/** The store's file, as parsed (defaults filled in). */
export type SimStoreData = z.output<typeof storeDataSchema>;

/** Everything the store holds, as JSON-ready data (adjustment history is not kept). */
export function storeToData(s: SimStore): SimStoreData {
  return {
    v: 1,
    products: [...s.products.values()].map((p) => ({ ...p, metafields: [...p.metafields.entries()] })),
    variants: [...s.variants.values()].map((v) => ({ ...v, metafields: [...v.metafields.entries()] })),
    inventoryItems: [...s.inventoryItems.values()].map((i) => ({ ...i, levels: [...i.levels.entries()] })),
    collections: [...s.collections.values()],
    locations: [...s.locations.values()],
    definitions: [...s.metafields.definitions.values()],
    files: [...s.media.files.values()],
    publications: [...s.publications.byId.values()],
    translations: s.translations.all(),
    seq: s.sequences,
  };
}

/** A store holding what `storeToData` returned, with its look-ups rebuilt. */
export function storeFromData(data: SimStoreData, options: StoreOptions = {}): SimStore {
  const store = new SimStore([], options);
  store.restoreSequences(data.seq);
  const metafields = (entries: z.output<typeof metafieldEntries>, at: string) => new Map(entries.map(([k, m]) => [k, { ...m, createdAt: m.createdAt ?? at, updatedAt: m.updatedAt ?? at }]));
  for (const l of data.locations) store.locations.set(l.id, l);
  for (const d of data.definitions) store.metafields.addDefinition(d);
  for (const p of data.products) store.products.set(p.id, { ...p, metafields: metafields(p.metafields, p.updatedAt) });
  for (const v of data.variants) store.variants.set(v.id, { ...v, metafields: metafields(v.metafields, store.products.get(v.productId)?.updatedAt ?? '1970-01-01T00:00:00.000Z') });
  for (const i of data.inventoryItems) store.inventoryItems.set(i.id, { ...i, levels: new Map(i.levels) });
  for (const c of data.collections) store.collections.set(c.id, c);
  for (const f of data.files) store.media.files.set(f.id, f satisfies SimFile);
  for (const p of data.publications) store.publications.add(p);
  for (const t of data.translations) store.translations.put(t);
  // The locales are the options' (not the file's): translations of a locale no longer enabled go.
  const locales = new Set(store.locales.translatable);
  const owners = [...store.products.values(), ...store.variants.values()];
  const resources = new Set([...store.products.keys(), ...store.collections.keys(), ...owners.flatMap((o) => [...o.metafields.values()].map((m) => m.id))]);
  store.translations.retain((t) => locales.has(t.locale) && resources.has(t.resourceId));
  store.reindex();
  return store;
}
