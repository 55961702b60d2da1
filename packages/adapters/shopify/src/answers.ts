/**
 * What Shopify answers to each operation the adapter sends, as zod schemas: every op names the
 * schema of its answer (documents.ts), the runner parses the field's value with it, and the push
 * phases read typed values, never casts. A schema asks for what the op's selection selects, and
 * nothing the phases do not read; unknown fields are dropped.
 */
import { z } from 'zod';

const gid = z.string().min(1);
const withId = z.object({ id: gid });

/** A userError as the mutations answer it (`code` only where the payload's error type has one). */
export const userErrorSchema = z.object({
  code: z.string().nullish(),
  field: z.array(z.string()).nullish(),
  message: z.string(),
});
export type UserErrorAnswer = z.infer<typeof userErrorSchema>;
const userErrors = z.array(userErrorSchema);

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

/** A variant as the store has it: its ids and SKU (and its option values where they were asked for). */
export const storeVariantSchema = z.object({
  id: gid,
  sku: z.string().nullable(),
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  inventoryItem: withId,
});
export type StoreVariant = z.infer<typeof storeVariantSchema>;

/** One page of a product's variants (`pageInfo` where it was asked for). */
export const variantPageSchema = z.object({ nodes: z.array(storeVariantSchema), pageInfo: pageInfo.nullish() });
export type VariantPage = z.infer<typeof variantPageSchema>;

/** productSet: the product with, where they were asked for, its variants' ids (the first page) and its media ids in order. */
export const productSetAnswer = z.object({
  product: z.object({ id: gid, variants: variantPageSchema.optional(), media: z.object({ nodes: z.array(withId) }).optional() }).nullable(),
  userErrors,
});
export type ProductSetAnswer = z.infer<typeof productSetAnswer>;

/**
 * Mutations whose answer is read for its userErrors only: productUpdate (archiving a deleted
 * product), collectionAddProducts, collectionRemoveProducts, inventorySetQuantities,
 * inventoryActivate, metafieldsSet, metafieldsDelete, publishablePublish, publishableUnpublish. Selecting the object they change would cost a point each, for nothing.
 */
export const userErrorsAnswer = z.object({ userErrors });
export type UserErrorsAnswer = z.infer<typeof userErrorsAnswer>;

/** collectionCreate, collectionUpdate: the collection's id. */
export const collectionWriteAnswer = z.object({ collection: withId.nullable(), userErrors });
export type CollectionWriteAnswer = z.infer<typeof collectionWriteAnswer>;

/** collectionDelete. */
export const collectionDeleteAnswer = z.object({ deletedCollectionId: z.string().nullable(), userErrors });
export type CollectionDeleteAnswer = z.infer<typeof collectionDeleteAnswer>;

/** productVariants by SKU: each with its product and the reference shopsync gave that product, if any. */
export const variantsBySkuAnswer = z.object({
  nodes: z.array(
    z.object({
      id: gid,
      sku: z.string().nullable(),
      inventoryItem: withId,
      product: z.object({ id: gid, metafield: z.object({ value: z.string() }).nullish() }),
    }),
  ),
});
export type VariantsBySkuAnswer = z.infer<typeof variantsBySkuAnswer>;

/** productByIdentifier: the product, or null. */
export const productFoundAnswer = withId.nullable();
export type ProductFoundAnswer = z.infer<typeof productFoundAnswer>;

/** product(id:) with a page of its variants, or null when the store no longer has it. */
export const productVariantsAnswer = z.object({ variants: variantPageSchema }).nullable();
export type ProductVariantsAnswer = z.infer<typeof productVariantsAnswer>;

/** collections by handle or title. */
export const collectionsAnswer = z.object({ nodes: z.array(z.object({ id: gid, handle: z.string(), title: z.string() })) });
export type CollectionsAnswer = z.infer<typeof collectionsAnswer>;

/** The connection check (documents.ts CONNECT_QUERY): the shop, the location, the custom ID definition. */
export const connectAnswer = z.object({
  shop: z.object({ name: z.string() }).nullish(),
  location: z.object({ id: gid, isActive: z.boolean() }).nullish(),
  metafieldDefinitions: z.object({ nodes: z.array(z.object({ capabilities: z.object({ uniqueValues: z.object({ enabled: z.boolean() }) }) })) }).nullish(),
  shopLocales: z.array(z.object({ locale: z.string(), primary: z.boolean(), published: z.boolean() })).nullish(),
});

/** metafieldDefinitionCreate of the custom ID definition. */
export const refDefinitionCreateAnswer = z.object({
  metafieldDefinitionCreate: z.object({ createdDefinition: withId.nullable(), userErrors: z.array(z.object({ code: z.string().nullish() })) }).nullish(),
});

/**
 * `extensions.cost` of an answer. Each part stands alone: one the store leaves out or sends
 * misshapen reads as absent without losing the others.
 */
export const costExtensionSchema = z
  .object({
    cost: z
      .object({
        requestedQueryCost: z.number().optional().catch(undefined),
        actualQueryCost: z.number().nullable().optional().catch(undefined),
        throttleStatus: z.object({ maximumAvailable: z.number(), currentlyAvailable: z.number(), restoreRate: z.number() }).optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
  })
  .nullish()
  .catch(undefined);


/** A file's processing errors as Shopify gives them. */
const fileErrorSchema = z.object({ code: z.string(), details: z.string().nullish(), message: z.string() });

/** files(query:): the files found with their processing status, a page at a time. */
export const filesAnswer = z.object({
  nodes: z.array(z.object({ id: gid, fileStatus: z.string(), fileErrors: z.array(fileErrorSchema) })),
  pageInfo,
});
export type FilesAnswer = z.infer<typeof filesAnswer>;

/** product(id:) with its media ids in order, or null when the store no longer has it. */
export const productMediaAnswer = z.object({ id: gid, media: z.object({ nodes: z.array(withId) }) }).nullable();
export type ProductMediaAnswer = z.infer<typeof productMediaAnswer>;

/** metafieldDefinitions for one namespace and key: the definition's type, if there is one. */
export const definitionsAnswer = z.object({ nodes: z.array(z.object({ id: gid, type: z.object({ name: z.string() }) })) });
export type DefinitionsAnswer = z.infer<typeof definitionsAnswer>;

/** metafieldDefinitionCreate. */
export const definitionCreateAnswer = z.object({ createdDefinition: withId.nullable(), userErrors });
export type DefinitionCreateAnswer = z.infer<typeof definitionCreateAnswer>;

/** publications: each sales channel's publication id and its catalog's title. */
export const publicationsAnswer = z.object({
  nodes: z.array(z.object({ id: gid, catalog: z.object({ title: z.string() }).nullable() })),
  pageInfo,
});
export type PublicationsAnswer = z.infer<typeof publicationsAnswer>;

/** translatableResourcesByIds: each resource's translatable keys and the digest of their primary content. */
export const digestsAnswer = z.object({
  nodes: z.array(z.object({ resourceId: gid, translatableContent: z.array(z.object({ key: z.string(), digest: z.string().nullable() })) })),
});
export type DigestsAnswer = z.infer<typeof digestsAnswer>;

/** An owner's metafields by alias (`m0`, `m1`…): their ids, or null where the owner has none. */
export const metafieldIdsAnswer = z.record(z.string(), withId.nullable()).nullable();
export type MetafieldIdsAnswer = z.infer<typeof metafieldIdsAnswer>;

/** A page of the store's locations, read when a sync starts (to resolve the connector's warehouses). */
export const locationsAnswer = z.object({ nodes: z.array(z.object({ id: gid, name: z.string(), isActive: z.boolean() })), pageInfo });
export type LocationsAnswer = z.infer<typeof locationsAnswer>;
