/**
 * What the simulator's store is made of: its records (products, variants, inventory items,
 * collections, locations, metafields and their definitions, files, publications), the inputs its
 * mutations take as graphql-js coerced them, the userErrors they answer with, and the small rules
 * shared by several of them.
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

/** A metafield as a product or variant holds it. */
export interface SimMetafield {
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

/** Who can own a metafield here (Shopify's MetafieldOwnerType values the simulator models). */
export type MetafieldOwnerType = 'PRODUCT' | 'PRODUCTVARIANT';

/** A record that holds metafields, by `namespace.key`. */
export interface MetafieldOwner {
  id: string;
  metafields: Map<string, SimMetafield>;
}

/** Where a product is published: a publication (sales channel) and from when. */
export interface SimPublicationLink {
  publicationId: string;
  /** ISO date-time; in the future, the product is scheduled rather than published. */
  publishDate: string;
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
  /** Ids of its media (files of the shop), in order. */
  mediaIds: string[];
  seo: { title: string | null; description: string | null };
  /** A `gid://shopify/TaxonomyCategory/…` of taxonomy.ts, or null. */
  categoryId: string | null;
  /** The publications it is published on (or scheduled for). */
  publications: SimPublicationLink[];
  createdAt: string;
  updatedAt: string;
}

/** A metafield definition (`metafieldDefinitionCreate`) of products or variants. */
export interface SimMetafieldDefinition {
  id: string;
  ownerType: MetafieldOwnerType;
  namespace: string;
  key: string;
  name: string;
  type: string;
  uniqueValues: boolean;
  /** The definition's validations (`metaobject_definition_id`, …), as given. */
  validations: Array<{ name: string; value: string }>;
}

/** Shopify's FileErrorCode (and MediaErrorCode, the same values) a file can fail with. */
export const FILE_ERROR_CODES = [
  'UNKNOWN',
  'INVALID_SIGNED_URL',
  'IMAGE_DOWNLOAD_FAILURE',
  'IMAGE_PROCESSING_FAILURE',
  'MEDIA_TIMEOUT_ERROR',
  'GENERIC_FILE_DOWNLOAD_FAILURE',
  'GENERIC_FILE_INVALID_SIZE',
  'UNSUPPORTED_IMAGE_FILE_TYPE',
  'INVALID_IMAGE_FILE_SIZE',
  'INVALID_IMAGE_ASPECT_RATIO',
  'INVALID_IMAGE_RESOLUTION',
  'FILE_STORAGE_LIMIT_EXCEEDED',
  'DUPLICATE_FILENAME_ERROR',
] as const;
/** One of FILE_ERROR_CODES. */
export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

/** Why a file failed: what `fileErrors` and `mediaErrors` show once it is FAILED. */
export interface SimFileFailure {
  code: FileErrorCode;
  details: string | null;
}

/**
 * A file of the shop (an image: Shopify's MediaImage), product media or not. Its status is not
 * stored: it follows from the clock (media.ts), from `processingSince` and the fetch.
 */
export interface SimFile {
  id: string;
  alt: string;
  /** The URL it was created from (`originalSource`). */
  source: string;
  filename: string;
  createdAt: string;
  /** Last change by a client (alt, source); status changes are added to it when read. */
  updatedAt: string;
  /** When its current processing started (creation, or a new source). */
  processingSince: string;
  /** Decided when it is created (a fault) or when its fetch ends; shown once processing is over. */
  failure: SimFileFailure | null;
  /** Its source is being fetched (`media.fetch`): it stays PROCESSING until the fetch ends. */
  fetchPending: boolean;
  /** When the fetch ended, if there was one. */
  fetchedAt: string | null;
  /** Bytes fetched, when fetched. */
  size: number | null;
  mimeType: string | null;
}

/** A publication (sales channel) of the shop, with the AppCatalog that names it. */
export interface SimPublication {
  id: string;
  title: string;
  catalogId: string;
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
  /** The product medium that is its image, if any. */
  mediaId: string | null;
  /** `namespace.key` -> metafield. */
  metafields: Map<string, SimMetafield>;
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

/** A MetafieldInput (productSet), as graphql-js coerced it. */
export interface MetafieldArgs {
  id?: string | null;
  namespace?: string | null;
  key?: string | null;
  value?: string | null;
  type?: string | null;
}

/** A FileSetInput (productSet's `files` and a variant's `file`), as graphql-js coerced it. */
export interface FileSetArgs {
  id?: string | null;
  originalSource?: string | null;
  alt?: string | null;
  contentType?: string | null;
  filename?: string | null;
  duplicateResolutionMode?: 'APPEND_UUID' | 'RAISE_ERROR' | 'REPLACE' | null;
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
    /** The variant's image (omitted or null: unchanged). */
    file?: FileSetArgs | null;
    /** The variant's metafields become exactly these (omitted: unchanged). */
    metafields?: MetafieldArgs[] | null;
  }> | null;
  metafields?: MetafieldArgs[] | null;
  /** Collection ids: the product's membership becomes exactly these (omitted: unchanged). */
  collections?: string[] | null;
  /** The product's media become exactly these files, in order (omitted: unchanged). */
  files?: FileSetArgs[] | null;
  /** Each field given replaces the stored one (null clears it). */
  seo?: { title?: string | null; description?: string | null } | null;
  /** A taxonomy category id; null removes the category. */
  category?: string | null;
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

/** Text as a handle: lower case ASCII letters and digits joined by dashes ('' when nothing is left). */
export function handleize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A handle made from a title (`product` when the title has no letter or digit to keep). */
export function slugify(text: string): string {
  return handleize(text) || 'product';
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
