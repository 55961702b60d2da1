/**
 * What the simulator's store is made of: its records (products, variants, inventory items,
 * collections, locations, metafield definitions), the inputs its mutations take as graphql-js
 * coerced them, the userErrors they answer with, and the small rules shared by several of them.
 */

/** A userError as a mutation's payload lists it (`code` only where the payload type has one). */
export interface UserErrorOut {
  field: string[] | null;
  message: string;
  code?: string | null;
}

/** A product option (Size, Colour, …) with its values in order. */
export interface SimOption {
  id: string;
  name: string;
  position: number;
  values: string[];
}

/** A metafield as a product holds it. */
export interface SimMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** A product as the store holds it. */
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
  metafields: Map<string, SimMetafield>;
  createdAt: string;
  updatedAt: string;
}

/** A product metafield definition (`metafieldDefinitionCreate`). */
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

/** A metafield namespace as Shopify resolves it for the app: absent and `$app` are the app's own. */
export function resolveNamespace(namespace: string | null | undefined): string {
  if (namespace === null || namespace === undefined || namespace === '$app') return APP_NAMESPACE;
  return namespace.startsWith('$app:') ? `${APP_NAMESPACE}--${namespace.slice(5)}` : namespace;
}

/** A product variant as the store holds it. */
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

/** A variant's inventory item, with its stock by location. */
export interface SimInventoryItem {
  id: string;
  variantId: string;
  tracked: boolean;
  weight: { value: number; unit: string } | null;
  /** Location id -> available quantity, for the locations where the item is stocked. */
  levels: Map<string, number>;
}

/** A manual collection. */
export interface SimCollection {
  id: string;
  title: string;
  handle: string;
  descriptionHtml: string;
  sortOrder: string;
  productIds: string[];
}

/** A location of the store; the primary one is where new inventory is stocked. */
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
  /** Collection ids: the product's membership becomes exactly these (omitted: unchanged). */
  collections?: string[] | null;
}

/** A unique metafield value naming a product (a "custom ID"). */
export interface CustomIdArgs {
  namespace?: string | null;
  key: string;
  value: string;
}

/** productSet's `identifier` (API 2025-04 on): the product to update, or to create when none matches. */
export interface ProductSetIdentifierArgs {
  id?: string | null;
  handle?: string | null;
  customId?: CustomIdArgs | null;
}

/** One item of productVariantsBulkUpdate's `variants`, as graphql-js coerced it. */
export interface VariantsBulkArgs {
  id?: string | null;
  price?: unknown;
  compareAtPrice?: unknown;
  barcode?: string | null;
}

/** One quantity of inventorySetQuantities. */
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

const MONEY = /^\d{1,15}(\.\d{1,4})?$/;

/** A handle made from a title: lower case ASCII letters and digits joined by dashes. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'product';
}

/**
 * A Money input as the store keeps it: undefined when absent, null when null, the decimal string
 * when it is a non-negative amount, `'invalid'` otherwise.
 */
export function money(v: unknown): string | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  return MONEY.test(s) ? s : 'invalid';
}

/** The store as plain JSON (Maps as entry lists), for a simulator that keeps its store in a file. */
export interface SimStoreData {
  v: 1;
  products: Array<Omit<SimProduct, 'metafields'> & { metafields: Array<[string, SimMetafield]> }>;
  variants: SimVariant[];
  inventoryItems: Array<Omit<SimInventoryItem, 'levels'> & { levels: Array<[string, number]> }>;
  collections: SimCollection[];
  locations: SimLocation[];
  definitions: SimMetafieldDefinition[];
  seq: Array<[string, number]>;
}
