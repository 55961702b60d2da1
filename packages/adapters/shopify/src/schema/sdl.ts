import { featuresOf, type SchemaGate } from '../version.js';

/** Shopify's FileErrorCode values, which MediaErrorCode shares (the same in 2025-01, 2026-01 and 2026-04). */
const FILE_ERROR_CODES = [
  'UNKNOWN',
  'INVALID_SIGNED_URL',
  'IMAGE_DOWNLOAD_FAILURE',
  'IMAGE_PROCESSING_FAILURE',
  'MEDIA_TIMEOUT_ERROR',
  'EXTERNAL_VIDEO_NOT_FOUND',
  'EXTERNAL_VIDEO_UNLISTED',
  'EXTERNAL_VIDEO_INVALID_ASPECT_RATIO',
  'EXTERNAL_VIDEO_EMBED_DISABLED',
  'EXTERNAL_VIDEO_EMBED_NOT_FOUND_OR_TRANSCODING',
  'GENERIC_FILE_DOWNLOAD_FAILURE',
  'GENERIC_FILE_INVALID_SIZE',
  'VIDEO_METADATA_READ_ERROR',
  'VIDEO_INVALID_FILETYPE_ERROR',
  'VIDEO_MIN_WIDTH_ERROR',
  'VIDEO_MAX_WIDTH_ERROR',
  'VIDEO_MIN_HEIGHT_ERROR',
  'VIDEO_MAX_HEIGHT_ERROR',
  'VIDEO_MIN_DURATION_ERROR',
  'VIDEO_MAX_DURATION_ERROR',
  'VIDEO_VALIDATION_ERROR',
  'MODEL3D_VALIDATION_ERROR',
  'MODEL3D_THUMBNAIL_GENERATION_ERROR',
  'MODEL3D_THUMBNAIL_REGENERATION_ERROR',
  'MODEL3D_GLB_TO_USDZ_CONVERSION_ERROR',
  'MODEL3D_GLB_OUTPUT_CREATION_ERROR',
  'MODEL3D_PROCESSING_FAILURE',
  'UNSUPPORTED_IMAGE_FILE_TYPE',
  'INVALID_IMAGE_FILE_SIZE',
  'INVALID_IMAGE_ASPECT_RATIO',
  'INVALID_IMAGE_RESOLUTION',
  'FILE_STORAGE_LIMIT_EXCEEDED',
  'DUPLICATE_FILENAME_ERROR',
] as const;

/**
 * TranslatableResourceType as the 2025-01 schema has it (2026-01 adds ARTICLE_IMAGE,
 * COLLECTION_IMAGE and MEDIA_IMAGE): all of it, so that a client asking for a type the simulator
 * has no resources of gets an empty list rather than a validation error.
 */
const TRANSLATABLE_RESOURCE_TYPES_2025_01 = [
  'ARTICLE', 'BLOG', 'COLLECTION', 'DELIVERY_METHOD_DEFINITION', 'EMAIL_TEMPLATE', 'FILTER', 'LINK', 'MENU', 'METAFIELD', 'METAOBJECT',
  'ONLINE_STORE_THEME', 'ONLINE_STORE_THEME_APP_EMBED', 'ONLINE_STORE_THEME_JSON_TEMPLATE', 'ONLINE_STORE_THEME_LOCALE_CONTENT', 'ONLINE_STORE_THEME_SECTION_GROUP',
  'ONLINE_STORE_THEME_SETTINGS_CATEGORY', 'ONLINE_STORE_THEME_SETTINGS_DATA_SECTIONS', 'PACKING_SLIP_TEMPLATE', 'PAGE', 'PAYMENT_GATEWAY', 'PRODUCT',
  'PRODUCT_OPTION', 'PRODUCT_OPTION_VALUE', 'SELLING_PLAN', 'SELLING_PLAN_GROUP', 'SHOP', 'SHOP_POLICY',
] as const;

/** LocalizableContentType (the same in 2025-01, 2026-01 and 2026-04). */
const LOCALIZABLE_CONTENT_TYPES_ALL = [
  'JSON_STRING', 'JSON', 'LIST_MULTI_LINE_TEXT_FIELD', 'LIST_SINGLE_LINE_TEXT_FIELD', 'LIST_URL', 'MULTI_LINE_TEXT_FIELD', 'RICH_TEXT_FIELD',
  'SINGLE_LINE_TEXT_FIELD', 'STRING', 'URL', 'LINK', 'LIST_LINK', 'FILE_REFERENCE', 'LIST_FILE_REFERENCE', 'HTML', 'URI', 'INLINE_RICH_TEXT',
] as const;

/**
 * The part of Shopify's Admin GraphQL schema this package uses, written for this project: type,
 * field, argument and enum names and types are Shopify's (a test proves the variant of each schema
 * gate is a subset of the real schema of that version: 2025-01, 2026-01, 2026-04). The simulator
 * executes it; the adapter uses it to estimate the cost of what it sends. Version differences come
 * from `featuresOf` (see version.ts). One document on purpose: it reads as Shopify's schema does.
 */
export function adminSdl(gate: SchemaGate): string {
  const f = featuresOf(gate);
  const ERROR_CODES = FILE_ERROR_CODES.map((c) => `  ${c}`).join('\n');
  const TRANSLATABLE_RESOURCE_TYPES = TRANSLATABLE_RESOURCE_TYPES_2025_01.map((c) => `  ${c}`).join('\n');
  const LOCALIZABLE_CONTENT_TYPES = LOCALIZABLE_CONTENT_TYPES_ALL.map((c) => `  ${c}`).join('\n');
  return `
schema {
  query: QueryRoot
  mutation: Mutation
}
${f.idempotentDirective ? '\n"""Makes a mutation safe to retry: a second request with the same key returns the first result."""\ndirective @idempotent(key: String!) on FIELD\n' : ''}
"""An HTML string."""
scalar HTML

"""A monetary value as a decimal string, such as "19.99"."""
scalar Money

"""An ISO 8601 date and time, such as "2026-12-05T10:00:00Z"."""
scalar DateTime

"""A URL, such as "https://cdn.shopify.com/…"."""
scalar URL

type QueryRoot {
  shop: Shop!
  """The location with this ID, or the shop's primary location without one."""
  location(id: ID): Location
  product(id: ID!): Product
  productByIdentifier(identifier: ProductIdentifierInput!): Product
  productByHandle(handle: String!): Product @deprecated(reason: "Use \`productByIdentifier\` instead.")
  products(first: Int, query: String): ProductConnection!
  productVariants(first: Int, query: String): ProductVariantConnection!
  productVariant(id: ID!): ProductVariant
  collection(id: ID!): Collection
  collections(first: Int, query: String): CollectionConnection!
  metafieldDefinitions(ownerType: MetafieldOwnerType!, namespace: String, key: String, first: Int, after: String): MetafieldDefinitionConnection!
  files(first: Int, after: String, query: String, sortKey: FileSortKeys = ID, reverse: Boolean = false): FileConnection!
  publications(first: Int, after: String): PublicationConnection!
  publication(id: ID!): Publication
  taxonomy: Taxonomy
  locations(first: Int, after: String, reverse: Boolean = false, sortKey: LocationSortKeys = NAME, query: String, includeLegacy: Boolean = false, includeInactive: Boolean = false): LocationConnection!
  shopLocales(published: Boolean = false): [ShopLocale!]!
  translatableResource(resourceId: ID!): TranslatableResource
  translatableResources(resourceType: TranslatableResourceType!, first: Int, after: String, reverse: Boolean = false): TranslatableResourceConnection!
  translatableResourcesByIds(resourceIds: [ID!]!, first: Int, after: String, reverse: Boolean = false): TranslatableResourceConnection!
}

type Mutation {
  productSet(${f.productSetIdentifier ? 'identifier: ProductSetIdentifiers, ' : ''}input: ProductSetInput!): ProductSetPayload
  productVariantsBulkUpdate(productId: ID!, variants: [ProductVariantsBulkInput!]!, allowPartialUpdates: Boolean = false): ProductVariantsBulkUpdatePayload
  productUpdate(product: ProductUpdateInput): ProductUpdatePayload
  collectionCreate(input: CollectionInput!): CollectionCreatePayload
  collectionUpdate(input: CollectionInput!): CollectionUpdatePayload
  collectionDelete(input: CollectionDeleteInput!): CollectionDeletePayload
  collectionAddProducts(id: ID!, productIds: [ID!]!): CollectionAddProductsPayload
  collectionRemoveProducts(id: ID!, productIds: [ID!]!): CollectionRemoveProductsPayload
  inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
  inventoryActivate(inventoryItemId: ID!, locationId: ID!, available: Int): InventoryActivatePayload
  metafieldDefinitionCreate(definition: MetafieldDefinitionInput!): MetafieldDefinitionCreatePayload
  metafieldsSet(metafields: [MetafieldsSetInput!]!): MetafieldsSetPayload
  metafieldsDelete(metafields: [MetafieldIdentifierInput!]!): MetafieldsDeletePayload
  publishablePublish(id: ID!, input: [PublicationInput!]!): PublishablePublishPayload
  publishableUnpublish(id: ID!, input: [PublicationInput!]!): PublishableUnpublishPayload
  translationsRegister(resourceId: ID!, translations: [TranslationInput!]!): TranslationsRegisterPayload
  translationsRemove(resourceId: ID!, translationKeys: [String!]!, locales: [String!]!, marketIds: [ID!]): TranslationsRemovePayload
}

type Shop {
  name: String!
  myshopifyDomain: String!
}

type Location {
  id: ID!
  name: String!
  isActive: Boolean!
  isPrimary: Boolean! @deprecated(reason: "The concept of a primary location is deprecated, shipsInventory can be used to get a fallback location")
  inventoryLevel(inventoryItemId: ID!): InventoryLevel
}

enum LocationSortKeys {
  ID
  NAME
  RELEVANCE
}

type LocationEdge {
  cursor: String!
  node: Location!
}

type LocationConnection {
  edges: [LocationEdge!]!
  nodes: [Location!]!
  pageInfo: PageInfo!
}

enum ProductStatus {
  ACTIVE
  ARCHIVED
  DRAFT
}

type Product implements HasMetafields & Publishable {
  id: ID!
  title: String!
  handle: String!
  status: ProductStatus!
  descriptionHtml: HTML!
  vendor: String!
  productType: String!
  tags: [String!]!
  options(first: Int): [ProductOption!]!
  variants(first: Int, after: String): ProductVariantConnection!
  metafield(namespace: String, key: String!): Metafield
  metafields(namespace: String, keys: [String!], first: Int, after: String): MetafieldConnection!
  media(first: Int, after: String): MediaConnection!
  seo: SEO!
  category: TaxonomyCategory
  publishedOnPublication(publicationId: ID!): Boolean!
  resourcePublications(onlyPublished: Boolean = true, first: Int, after: String): ResourcePublicationConnection!
}

type SEO {
  title: String
  description: String
}

interface HasMetafields {
  metafield(namespace: String, key: String!): Metafield
  metafields(namespace: String, keys: [String!], first: Int, after: String): MetafieldConnection!
}

type Metafield {
  id: ID!
  namespace: String!
  key: String!
  type: String!
  value: String!
  ownerType: MetafieldOwnerType!
  owner: HasMetafields!
  definition: MetafieldDefinition
  createdAt: DateTime!
  updatedAt: DateTime!
}

type MetafieldConnection {
  nodes: [Metafield!]!
  pageInfo: PageInfo!
}

enum MetafieldOwnerType {
  PRODUCT
  PRODUCTVARIANT
}

input MetafieldsSetInput {
  ownerId: ID!
  namespace: String
  key: String!
  value: String!
  type: String
}

enum MetafieldsSetUserErrorCode {
  INVALID_TYPE
  INVALID_VALUE
  BLANK
  TAKEN
  TOO_LONG
  TOO_SHORT
  LESS_THAN_OR_EQUAL_TO
  INCLUSION
  PRESENT
  INTERNAL_ERROR
}

type MetafieldsSetUserError {
  code: MetafieldsSetUserErrorCode
  elementIndex: Int
  field: [String!]
  message: String!
}

type MetafieldsSetPayload {
  metafields: [Metafield!]
  userErrors: [MetafieldsSetUserError!]!
}

input MetafieldIdentifierInput {
  ownerId: ID!
  namespace: String!
  key: String!
}

type MetafieldIdentifier {
  ownerId: ID!
  namespace: String!
  key: String!
}

type MetafieldsDeletePayload {
  deletedMetafields: [MetafieldIdentifier]
  userErrors: [UserError!]!
}

type MetafieldDefinitionType {
  name: String!
}

type MetafieldCapabilityUniqueValues {
  enabled: Boolean!
}

type MetafieldCapabilities {
  uniqueValues: MetafieldCapabilityUniqueValues!
}

type MetafieldDefinition {
  id: ID!
  namespace: String!
  key: String!
  name: String!
  ownerType: MetafieldOwnerType!
  type: MetafieldDefinitionType!
  capabilities: MetafieldCapabilities!
}

type MetafieldDefinitionConnection {
  nodes: [MetafieldDefinition!]!
  pageInfo: PageInfo!
}

enum MetafieldDefinitionCreateUserErrorCode {
  INVALID
  INCLUSION
  PRESENT
  TAKEN
  TOO_LONG
  TOO_SHORT
  INVALID_OPTION
}

type MetafieldDefinitionCreateUserError {
  code: MetafieldDefinitionCreateUserErrorCode
  field: [String!]
  message: String!
}

type MetafieldDefinitionCreatePayload {
  createdDefinition: MetafieldDefinition
  userErrors: [MetafieldDefinitionCreateUserError!]!
}

type ProductOption {
  id: ID!
  name: String!
  position: Int!
  values: [String!]!
}

type ProductVariant implements HasMetafields {
  id: ID!
  title: String!
  sku: String
  price: Money!
  compareAtPrice: Money
  barcode: String
  position: Int!
  selectedOptions: [SelectedOption!]!
  inventoryItem: InventoryItem!
  product: Product!
  media(first: Int, after: String): MediaConnection!
  metafield(namespace: String, key: String!): Metafield
  metafields(namespace: String, keys: [String!], first: Int, after: String): MetafieldConnection!
}

type SelectedOption {
  name: String!
  value: String!
}

type InventoryItem {
  id: ID!
  sku: String
  tracked: Boolean!
  measurement: InventoryItemMeasurement!
  inventoryLevel(locationId: ID!): InventoryLevel
  inventoryLevels(first: Int, after: String, reverse: Boolean = false): InventoryLevelConnection!
}

type InventoryItemMeasurement {
  id: ID!
  weight: Weight
}

enum WeightUnit {
  GRAMS
  KILOGRAMS
  OUNCES
  POUNDS
}

type Weight {
  unit: WeightUnit!
  value: Float!
}

type InventoryLevel {
  id: ID!
  item: InventoryItem!
  location: Location!
  quantities(names: [String!]!): [InventoryQuantity!]!
}

type InventoryLevelEdge {
  cursor: String!
  node: InventoryLevel!
}

type InventoryLevelConnection {
  edges: [InventoryLevelEdge!]!
  nodes: [InventoryLevel!]!
  pageInfo: PageInfo!
}

type InventoryQuantity {
  id: ID!
  name: String!
  quantity: Int!
}

enum CollectionSortOrder {
  ALPHA_ASC
  ALPHA_DESC
  BEST_SELLING
  CREATED
  CREATED_DESC
  MANUAL
  PRICE_ASC
  PRICE_DESC
}

enum CountPrecision {
  AT_LEAST
  EXACT
}

type Count {
  count: Int!
  precision: CountPrecision!
}

type Collection {
  id: ID!
  title: String!
  handle: String!
  descriptionHtml: HTML!
  sortOrder: CollectionSortOrder!
  productsCount: Count
  hasProduct(id: ID!): Boolean!
  products(first: Int): ProductConnection!
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

enum MediaContentType {
  VIDEO
  EXTERNAL_VIDEO
  MODEL_3D
  IMAGE
}

enum MediaStatus {
  UPLOADED
  PROCESSING
  READY
  FAILED
}

enum FileStatus {
  UPLOADED
  PROCESSING
  READY
  FAILED
}

enum MediaPreviewImageStatus {
  UPLOADED
  PROCESSING
  READY
  FAILED
}

enum MediaErrorCode {
${ERROR_CODES}
}

enum FileErrorCode {
${ERROR_CODES}
}

type MediaError {
  code: MediaErrorCode!
  details: String
  message: String!
}

type FileError {
  code: FileErrorCode!
  details: String
  message: String!
}

type Image {
  id: ID
  url: URL!
  altText: String
}

type MediaPreviewImage {
  image: Image
  status: MediaPreviewImageStatus!
}

type MediaImageOriginalSource {
  url: URL
  fileSize: Int
}

interface Media {
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  mediaErrors: [MediaError!]!
  preview: MediaPreviewImage
  status: MediaStatus!
}

interface File {
  id: ID!
  alt: String
  createdAt: DateTime!
  updatedAt: DateTime!
  fileErrors: [FileError!]!
  fileStatus: FileStatus!
  preview: MediaPreviewImage
}

type MediaImage implements Media & File {
  id: ID!
  alt: String
  mediaContentType: MediaContentType!
  mediaErrors: [MediaError!]!
  preview: MediaPreviewImage
  status: MediaStatus!
  createdAt: DateTime!
  updatedAt: DateTime!
  fileErrors: [FileError!]!
  fileStatus: FileStatus!
  image: Image
  mimeType: String
  originalSource: MediaImageOriginalSource
}

type MediaConnection {
  nodes: [Media!]!
  pageInfo: PageInfo!
}

type FileConnection {
  nodes: [File!]!
  pageInfo: PageInfo!
}

enum FileSortKeys {
  CREATED_AT
  FILENAME
  ID
  ORIGINAL_UPLOAD_SIZE
  RELEVANCE
  UPDATED_AT
}

enum FileContentType {
  IMAGE
  FILE
  VIDEO
  EXTERNAL_VIDEO
  MODEL_3D
}

enum FileCreateInputDuplicateResolutionMode {
  APPEND_UUID
  RAISE_ERROR
  REPLACE
}

input FileSetInput {
  id: ID
  originalSource: String
  alt: String
  contentType: FileContentType
  filename: String
  duplicateResolutionMode: FileCreateInputDuplicateResolutionMode = APPEND_UUID
}

type TaxonomyCategory {
  id: ID!
  name: String!
  fullName: String!
  parentId: ID
  level: Int!
  isLeaf: Boolean!
  isRoot: Boolean!
  isArchived: Boolean!
  ancestorIds: [ID!]!
  childrenIds: [ID!]!
}

type TaxonomyCategoryConnection {
  nodes: [TaxonomyCategory!]!
  pageInfo: PageInfo!
}

type Taxonomy {
  categories(first: Int, after: String, search: String, childrenOf: ID, descendantsOf: ID, siblingsOf: ID): TaxonomyCategoryConnection!
}

enum CatalogStatus {
  ACTIVE
  ARCHIVED
  DRAFT
}

interface Catalog {
  id: ID!
  title: String!
  status: CatalogStatus!
}

type AppCatalog implements Catalog {
  id: ID!
  title: String!
  status: CatalogStatus!
}

type Publication {
  id: ID!
  catalog: Catalog
  autoPublish: Boolean!
  supportsFuturePublishing: Boolean!
}

type PublicationConnection {
  nodes: [Publication!]!
  pageInfo: PageInfo!
}

interface Publishable {
  publishedOnPublication(publicationId: ID!): Boolean!
  resourcePublications(onlyPublished: Boolean = true, first: Int, after: String): ResourcePublicationConnection!
}

type ResourcePublication {
  publication: Publication!
  publishable: Publishable!
  isPublished: Boolean!
  publishDate: DateTime!
}

type ResourcePublicationConnection {
  nodes: [ResourcePublication!]!
  pageInfo: PageInfo!
}

input PublicationInput {
  publicationId: ID
  publishDate: DateTime
}

type PublishablePublishPayload {
  publishable: Publishable
  shop: Shop!
  userErrors: [UserError!]!
}

type PublishableUnpublishPayload {
  publishable: Publishable
  shop: Shop!
  userErrors: [UserError!]!
}

type ProductConnection {
  nodes: [Product!]!
  pageInfo: PageInfo!
}

type ProductVariantConnection {
  nodes: [ProductVariant!]!
  pageInfo: PageInfo!
}

type CollectionConnection {
  nodes: [Collection!]!
  pageInfo: PageInfo!
}

type Job {
  id: ID!
  done: Boolean!
}

type UserError {
  field: [String!]
  message: String!
}

enum ProductSetUserErrorCode {
  GENERIC_ERROR
  INVALID_PRODUCT
  INVALID_VARIANT
  INVALID_INPUT
  PRODUCT_DOES_NOT_EXIST
  PRODUCT_VARIANT_DOES_NOT_EXIST
  OPTION_DOES_NOT_EXIST
  OPTION_VALUE_DOES_NOT_EXIST
  OPTIONS_OVER_LIMIT
  OPTION_VALUES_MISSING
  DUPLICATED_OPTION_NAME
  DUPLICATED_OPTION_VALUE
  VARIANTS_OVER_LIMIT
  PRODUCT_OPTIONS_INPUT_MISSING
  VARIANTS_INPUT_MISSING
  DUPLICATED_VALUE
  HANDLE_NOT_UNIQUE
  INVALID_METAFIELD${f.productSetIdentifier ? '\n  ID_NOT_ALLOWED\n  INPUT_MISMATCH\n  METAFIELD_MISMATCH' : ''}
}

type ProductSetUserError {
  code: ProductSetUserErrorCode
  field: [String!]
  message: String!
}

type ProductSetPayload {
  product: Product
  userErrors: [ProductSetUserError!]!
}

enum ProductVariantsBulkUpdateUserErrorCode {
  INVALID_INPUT
  PRODUCT_DOES_NOT_EXIST
  PRODUCT_VARIANT_ID_MISSING
  PRODUCT_VARIANT_DOES_NOT_EXIST
  GREATER_THAN_OR_EQUAL_TO
}

type ProductVariantsBulkUpdateUserError {
  code: ProductVariantsBulkUpdateUserErrorCode
  field: [String!]
  message: String!
}

type ProductVariantsBulkUpdatePayload {
  product: Product
  productVariants: [ProductVariant!]
  userErrors: [ProductVariantsBulkUpdateUserError!]!
}

type ProductUpdatePayload {
  product: Product
  userErrors: [UserError!]!
}

type CollectionCreatePayload {
  collection: Collection
  userErrors: [UserError!]!
}

type CollectionUpdatePayload {
  collection: Collection
  userErrors: [UserError!]!
}

type CollectionDeletePayload {
  deletedCollectionId: ID
  userErrors: [UserError!]!
}

type CollectionAddProductsPayload {
  collection: Collection
  userErrors: [UserError!]!
}

type CollectionRemoveProductsPayload {
  job: Job
  userErrors: [UserError!]!
}

type InventoryChange {
  name: String!
  delta: Int!
  quantityAfterChange: Int
  item: InventoryItem
  location: Location
}

type InventoryAdjustmentGroup {
  id: ID!
  reason: String!
  changes: [InventoryChange!]!
}

enum InventorySetQuantitiesUserErrorCode {
  INVALID_INVENTORY_ITEM
  INVALID_LOCATION
  INVALID_QUANTITY_NEGATIVE
  INVALID_REASON
  ITEM_NOT_STOCKED_AT_LOCATION
  INVALID_QUANTITY_TOO_HIGH
  INVALID_QUANTITY_TOO_LOW
  COMPARE_QUANTITY_REQUIRED
  COMPARE_QUANTITY_STALE
  INVALID_NAME
  NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR${f.changeFromQuantity ? '\n  CHANGE_FROM_QUANTITY_STALE' : ''}
}

type InventorySetQuantitiesUserError {
  code: InventorySetQuantitiesUserErrorCode
  field: [String!]
  message: String!
}

type InventorySetQuantitiesPayload {
  inventoryAdjustmentGroup: InventoryAdjustmentGroup
  userErrors: [InventorySetQuantitiesUserError!]!
}

type InventoryActivatePayload {
  inventoryLevel: InventoryLevel
  userErrors: [UserError!]!
}

input ProductIdentifierInput {
  id: ID
  handle: String
  customId: UniqueMetafieldValueInput
}

input UniqueMetafieldValueInput {
  namespace: String
  key: String!
  value: String!
}

input MetafieldInput {
  id: ID
  namespace: String
  key: String
  value: String
  type: String
}

input MetafieldCapabilityUniqueValuesInput {
  enabled: Boolean!
}

input MetafieldCapabilityCreateInput {
  uniqueValues: MetafieldCapabilityUniqueValuesInput
}

input MetafieldDefinitionValidationInput {
  name: String!
  value: String!
}

input MetafieldDefinitionInput {
  namespace: String
  key: String!
  name: String!
  description: String
  ownerType: MetafieldOwnerType!
  type: String!
  validations: [MetafieldDefinitionValidationInput!]
  capabilities: MetafieldCapabilityCreateInput
}

input ProductSetInput {
  id: ID${f.productSetIdentifier ? ' @deprecated(reason: "Use `identifier` instead to get the product\'s ID")' : ''}
  title: String
  descriptionHtml: String
  handle: String
  vendor: String
  productType: String
  tags: [String!]
  status: ProductStatus
  productOptions: [OptionSetInput!]
  variants: [ProductVariantSetInput!]
  metafields: [MetafieldInput!]
  collections: [ID!]
  files: [FileSetInput!]
  seo: SEOInput
  category: ID
}

input SEOInput {
  title: String
  description: String
}
${f.productSetIdentifier ? '\ninput ProductSetIdentifiers {\n  id: ID\n  handle: String\n  customId: UniqueMetafieldValueInput\n}\n' : ''}
input OptionSetInput {
  id: ID
  name: String
  position: Int
  values: [OptionValueSetInput!]
}

input OptionValueSetInput {
  id: ID
  name: String
}

input ProductVariantSetInput {
  id: ID
  optionValues: [VariantOptionValueInput!]!
  price: Money
  compareAtPrice: Money
  barcode: String
  position: Int
  inventoryItem: InventoryItemInput
  inventoryQuantities: [ProductSetInventoryInput!]
  file: FileSetInput
  metafields: [MetafieldInput!]
}

input ProductSetInventoryInput {
  locationId: ID!
  name: String!
  quantity: Int!
}

input VariantOptionValueInput {
  id: ID
  name: String
  optionId: ID
  optionName: String
}

input InventoryItemInput {
  sku: String
  tracked: Boolean
  measurement: InventoryItemMeasurementInput
}

input InventoryItemMeasurementInput {
  weight: WeightInput
}

input WeightInput {
  value: Float!
  unit: WeightUnit!
}

input ProductVariantsBulkInput {
  id: ID
  price: Money
  compareAtPrice: Money
  barcode: String
}

input ProductUpdateInput {
  id: ID
  status: ProductStatus
  title: String
  descriptionHtml: String
  handle: String
  productType: String
  seo: SEOInput
}

input CollectionInput {
  id: ID
  title: String
  descriptionHtml: String
  handle: String
  sortOrder: CollectionSortOrder
  products: [ID!]
}

input CollectionDeleteInput {
  id: ID!
}

type ShopLocale {
  locale: String!
  name: String!
  primary: Boolean!
  published: Boolean!
}

enum TranslatableResourceType {
${TRANSLATABLE_RESOURCE_TYPES}
}

enum LocalizableContentType {
${LOCALIZABLE_CONTENT_TYPES}
}

type TranslatableContent {
  key: String!
  value: String
  digest: String
  locale: String!
  type: LocalizableContentType!
}

type Translation {
  key: String!
  locale: String!
  value: String
  outdated: Boolean!
  updatedAt: DateTime
}

type TranslatableResource {
  resourceId: ID!
  translatableContent(marketId: ID): [TranslatableContent!]!
  translations(locale: String!, outdated: Boolean, marketId: ID): [Translation!]!
  nestedTranslatableResources(resourceType: TranslatableResourceType, first: Int, after: String, reverse: Boolean = false): TranslatableResourceConnection!
}

type TranslatableResourceEdge {
  cursor: String!
  node: TranslatableResource!
}

type TranslatableResourceConnection {
  edges: [TranslatableResourceEdge!]!
  nodes: [TranslatableResource!]!
  pageInfo: PageInfo!
}

input TranslationInput {
  locale: String!
  key: String!
  value: String!
  translatableContentDigest: String!
  marketId: ID
}

enum TranslationErrorCode {
  BLANK
  INVALID
  RESOURCE_NOT_FOUND
  RESOURCE_NOT_TRANSLATABLE
  TOO_MANY_KEYS_FOR_RESOURCE
  INVALID_KEY_FOR_MODEL
  FAILS_RESOURCE_VALIDATION
  INVALID_TRANSLATABLE_CONTENT
  INVALID_MARKET_LOCALIZABLE_CONTENT
  INVALID_LOCALE_FOR_SHOP
  INVALID_CODE
  INVALID_FORMAT
  MARKET_CUSTOM_CONTENT_NOT_ALLOWED
  MARKET_DOES_NOT_EXIST
  MARKET_LOCALE_CREATION_FAILED
  RESOURCE_NOT_MARKET_CUSTOMIZABLE
  INVALID_VALUE_FOR_HANDLE_TRANSLATION
}

type TranslationUserError {
  code: TranslationErrorCode
  field: [String!]
  message: String!
}

type TranslationsRegisterPayload {
  translations: [Translation!]
  userErrors: [TranslationUserError!]!
}

type TranslationsRemovePayload {
  translations: [Translation!]
  userErrors: [TranslationUserError!]!
}

input InventorySetQuantitiesInput {
  name: String!
  reason: String!
  referenceDocumentUri: String
  quantities: [InventoryQuantityInput!]!${f.compareQuantity ? '\n  ignoreCompareQuantity: Boolean = false' : ''}
}

input InventoryQuantityInput {
  inventoryItemId: ID!
  locationId: ID!
  quantity: Int!${f.compareQuantity ? `\n  compareQuantity: Int${f.changeFromQuantity ? ' @deprecated(reason: "Use `changeFromQuantity` instead. This will be removed in 2026-04.")' : ''}` : ''}${f.changeFromQuantity ? '\n  changeFromQuantity: Int' : ''}
}
`;
}
