/**
 * What of the store can be translated, as Shopify's `TranslatableResource` shows it: products,
 * collections and text metafields of products and variants, each with its keys, their content in
 * the primary locale, a digest of that content and its LocalizableContentType.
 *
 *   PRODUCT     title, body_html, handle, product_type, meta_title, meta_description (meta_*: SEO)
 *   COLLECTION  title, body_html, handle, meta_title, meta_description (collections have no SEO
 *               fields here: their meta_* are always empty)
 *   METAFIELD   value, for single_line_text_field and multi_line_text_field metafields
 *
 * Choices where Shopify's documentation does not settle it:
 *   - Every key is listed, an empty one too, with `value` and `digest` null (both are nullable in
 *     Shopify's schema); there is nothing to translate in it, and registering a translation of it
 *     is INVALID_TRANSLATABLE_CONTENT.
 *   - A product's nested resources are its own translatable metafields (METAFIELD). Variants are
 *     not a translatable resource type, so their metafields are not nested anywhere: they are
 *     reached by their own id (`translatableResource`, `translatableResourcesByIds`) or listed by
 *     `translatableResources(resourceType: METAFIELD)`.
 */
import { createHash } from 'node:crypto';
import type { SimCollection, SimMetafield, SimProduct } from './model.js';
import type { SimStore } from './store.js';

/** The metafield types whose value can be translated here. */
export const TRANSLATABLE_METAFIELD_TYPES: ReadonlySet<string> = new Set(['single_line_text_field', 'multi_line_text_field']);

/** The TranslatableResourceType values the simulator has resources of. */
export type TranslatableKind = 'PRODUCT' | 'COLLECTION' | 'METAFIELD';

/** The LocalizableContentType values the simulator's keys have. */
export type LocalizableContentType = 'SINGLE_LINE_TEXT_FIELD' | 'MULTI_LINE_TEXT_FIELD' | 'HTML' | 'URI';

/** One key of a resource's translatable content. */
export interface TranslatableContentItem {
  key: string;
  /** The content in the primary locale; null when empty. */
  value: string | null;
  /** `contentDigest(value)`; null when the value is. */
  digest: string | null;
  type: LocalizableContentType;
}

/** A translatable resource: its id, kind and content now. */
export interface TranslatableRecord {
  /** The resource's id (a Product, Collection or Metafield gid). */
  id: string;
  kind: TranslatableKind;
  content: TranslatableContentItem[];
}

/**
 * The digest of a content value: SHA-256 of its UTF-8 bytes, in lower-case hex. Shopify only says
 * "hash digest representation of the content value" (its digests are 64 hex digits too); this is
 * the simulator's own computation, and a client must only ever echo a digest it read.
 */
export function contentDigest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function item(key: string, raw: string | null | undefined, type: LocalizableContentType): TranslatableContentItem {
  const value = raw === null || raw === undefined || raw === '' ? null : raw;
  return { key, value, digest: value === null ? null : contentDigest(value), type };
}

function productRecord(p: SimProduct): TranslatableRecord {
  return {
    id: p.id,
    kind: 'PRODUCT',
    content: [
      item('title', p.title, 'SINGLE_LINE_TEXT_FIELD'),
      item('body_html', p.descriptionHtml, 'HTML'),
      item('handle', p.handle, 'URI'),
      item('product_type', p.productType, 'SINGLE_LINE_TEXT_FIELD'),
      item('meta_title', p.seo.title, 'SINGLE_LINE_TEXT_FIELD'),
      item('meta_description', p.seo.description, 'MULTI_LINE_TEXT_FIELD'),
    ],
  };
}

function collectionRecord(c: SimCollection): TranslatableRecord {
  return {
    id: c.id,
    kind: 'COLLECTION',
    content: [
      item('title', c.title, 'SINGLE_LINE_TEXT_FIELD'),
      item('body_html', c.descriptionHtml, 'HTML'),
      item('handle', c.handle, 'URI'),
      item('meta_title', null, 'SINGLE_LINE_TEXT_FIELD'),
      item('meta_description', null, 'MULTI_LINE_TEXT_FIELD'),
    ],
  };
}

function metafieldRecord(m: SimMetafield): TranslatableRecord {
  return { id: m.id, kind: 'METAFIELD', content: [item('value', m.value, m.type === 'multi_line_text_field' ? 'MULTI_LINE_TEXT_FIELD' : 'SINGLE_LINE_TEXT_FIELD')] };
}

const translatableMetafields = (metafields: Map<string, SimMetafield>) => [...metafields.values()].filter((m) => TRANSLATABLE_METAFIELD_TYPES.has(m.type));

/** The metafield with this id, on a product or a variant. */
function findMetafield(store: SimStore, id: string): SimMetafield | undefined {
  for (const owners of [store.products.values(), store.variants.values()]) {
    for (const owner of owners) for (const m of owner.metafields.values()) if (m.id === id) return m;
  }
  return undefined;
}

/** The translatable resource with this id, or undefined (no such record, or not translatable). */
export function translatableOf(store: SimStore, id: string): TranslatableRecord | undefined {
  const type = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(id)?.[1];
  if (type === 'Product') {
    const p = store.products.get(id);
    return p && productRecord(p);
  }
  if (type === 'Collection') {
    const c = store.collections.get(id);
    return c && collectionRecord(c);
  }
  if (type === 'Metafield') {
    const m = findMetafield(store, id);
    return m && TRANSLATABLE_METAFIELD_TYPES.has(m.type) ? metafieldRecord(m) : undefined;
  }
  return undefined;
}

function gidNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('/') + 1)) || 0;
}

/** Every translatable resource of a TranslatableResourceType, oldest first (none for types the simulator has no resources of). */
export function translatablesOfType(store: SimStore, type: string): TranslatableRecord[] {
  if (type === 'PRODUCT') return [...store.products.values()].map(productRecord);
  if (type === 'COLLECTION') return [...store.collections.values()].map(collectionRecord);
  if (type !== 'METAFIELD') return [];
  const all = [...store.products.values(), ...store.variants.values()].flatMap((owner) => translatableMetafields(owner.metafields));
  return all.sort((a, b) => gidNumber(a.id) - gidNumber(b.id)).map(metafieldRecord);
}

/** The resources nested under one (a product's translatable metafields), optionally of one type only. */
export function nestedTranslatables(store: SimStore, record: TranslatableRecord, type?: string | null): TranslatableRecord[] {
  if (record.kind !== 'PRODUCT' || (type !== null && type !== undefined && type !== 'METAFIELD')) return [];
  const p = store.products.get(record.id);
  return p ? translatableMetafields(p.metafields).map(metafieldRecord) : [];
}
