import { z } from 'zod';
import { hostRecord, languageSchema, refSchema, warehouseRefSchema } from './common.js';
import { metafieldListSchema } from './metafield.js';

/** Text in one language, or in several keyed by language tag; the connector's language picks one. */
export const localizedTextSchema = z.union([
  z.string(),
  hostRecord(z.record(languageSchema, z.string()).refine((r) => Object.keys(r).length > 0, 'expected at least one language')),
]);
/**
 * Text in one language, or keyed by language tag (`{ en: 'Tent', es: 'Tienda' }`): the connector's
 * language is written to the product, the store's other languages get translations.
 */
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/** An available quantity, as Shopify's inventory takes it. */
const quantitySchema = z.number().int('expected a whole number').min(-1_000_000_000).max(1_000_000_000);

/** A price as Shopify takes it: a decimal string, at most two decimals. */
const moneySchema = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'expected a decimal amount such as "19.99"');

/** An image's address: http or https, as Shopify downloads it. */
export const imageUrlSchema = z
  .string()
  .max(2_048, 'expected at most 2,048 characters')
  .refine((u) => {
    try {
      const parsed = new URL(u);
      return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.host !== '';
    } catch {
      return false;
    }
  }, 'expected an http or https URL such as "https://cdn.example.com/tent.jpg"');

/** One product image: where Shopify fetches it, its alt text, and where it goes in the list. */
export const imageSchema = z
  .object({
    url: imageUrlSchema,
    alt: localizedTextSchema.optional(),
    /** Its place among the product's images (lower first); without one, its place in the list. */
    position: z.number().int().min(0).max(1_000_000).optional(),
    /**
     * A digest of the file's bytes, when the host has one: a new digest at the same URL is a new
     * image, uploaded again; without it, the URL alone says whether the store has it.
     */
    contentHash: z.string().min(1).max(128).optional(),
  })
  .strict();
/**
 * One product image as the host sends it: the URL Shopify downloads it from, its alt text and its
 * place in the product's list.
 */
export type ImageData = z.infer<typeof imageSchema>;

/** SEO title and description (Shopify's search engine listing). */
export const seoSchema = z
  .object({
    title: localizedTextSchema.optional(),
    description: localizedTextSchema.optional(),
  })
  .strict();

/** A category of Shopify's standard product taxonomy, by its id: `aa-1-13` or `gid://shopify/TaxonomyCategory/aa-1-13`. */
export const taxonomyCategorySchema = z
  .string()
  .regex(/^(gid:\/\/shopify\/TaxonomyCategory\/)?[a-z]{2}(-\d+)*$/, 'expected a Shopify taxonomy category id such as "aa-1-13" or "gid://shopify/TaxonomyCategory/aa-1-13"');

/** Checks the data of a category upsert (see `CategoryData`). */
export const categoryDataSchema = z
  .object({
    title: localizedTextSchema,
    description: localizedTextSchema.optional(),
    handle: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a handle of lowercase letters, digits and "-"').optional(),
    sortOrder: z.number().int().optional(),
  })
  .strict();

/** Checks the data of a product upsert (see `ProductData`). */
export const productDataSchema = z
  .object({
    title: localizedTextSchema,
    description: localizedTextSchema.optional(),
    handle: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a handle of lowercase letters, digits and "-"').optional(),
    vendor: z.string().max(255).optional(),
    productType: z.string().max(255).optional(),
    tags: z.array(z.string().max(255)).max(250).optional(),
    status: z.enum(['active', 'draft', 'archived']).optional(),
    categoryRefs: z.array(refSchema).max(250).optional(),
    /** Option names in order, e.g. ["Size", "Colour"]; Shopify allows three. */
    options: z.array(z.string().min(1).max(255)).max(3).optional(),
    /** The product's images in order (each URL once). Left out: the store's images stay as they are; `[]` removes them. */
    images: z
      .array(imageSchema)
      .max(250)
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((img, i) => {
          if (seen.has(img.url)) ctx.addIssue({ code: 'custom', path: [i, 'url'], message: 'expected each image URL once' });
          seen.add(img.url);
        });
      })
      .optional(),
    metafields: metafieldListSchema.optional(),
    seo: seoSchema.optional(),
    /** Shopify's standard product taxonomy category; `null` takes the product out of any (left out: the store's stays). */
    category: taxonomyCategorySchema.nullable().optional(),
  })
  .strict();

/** Checks the data of a variant upsert (see `VariantData`). */
export const variantDataSchema = z
  .object({
    title: localizedTextSchema.optional(),
    price: moneySchema,
    compareAtPrice: moneySchema.optional(),
    barcode: z.string().max(255).optional(),
    /** Values for the product's options, by option name: { Size: "M" }. */
    optionValues: hostRecord(z.record(z.string().min(1), z.string().min(1))).optional(),
    /**
     * Available stock: one number (at the connector's location), or a quantity per warehouse of
     * the host's, `{ "madrid": 5, "lyon": 0 }`, each placed where the connector's `locations` maps it.
     */
    stock: z
      .union([
        quantitySchema,
        hostRecord(z.record(warehouseRefSchema, quantitySchema)).refine((r) => Object.keys(r).length > 0, 'expected at least one warehouse'),
      ])
      .optional(),
    weightGrams: z.number().nonnegative().optional(),
    /** The variant's image: the URL of one of its product's images (an image of its own is added to the product's). */
    image: imageUrlSchema.optional(),
    metafields: metafieldListSchema.optional(),
  })
  .strict();

/**
 * What a category upsert carries: its title and description (text per language), handle and sort
 * order. A category becomes a manual collection in the store.
 */
export type CategoryData = z.infer<typeof categoryDataSchema>;
/**
 * What a product upsert carries: texts per language, handle, vendor, type, tags and status, the
 * categories it belongs to, its options, images, metafields, SEO texts and its category of
 * Shopify's product taxonomy.
 */
export type ProductData = z.infer<typeof productDataSchema>;
/**
 * What a variant upsert carries: its price (and compare-at price), barcode, option values, stock
 * (one number, or per warehouse), weight, image and metafields.
 */
export type VariantData = z.infer<typeof variantDataSchema>;

const categoryChange = z.discriminatedUnion('op', [
  z.object({ entity: z.literal('category'), op: z.literal('upsert'), ref: refSchema, data: categoryDataSchema }).strict(),
  z.object({ entity: z.literal('category'), op: z.literal('delete'), ref: refSchema }).strict(),
]);
const productChange = z.discriminatedUnion('op', [
  z.object({ entity: z.literal('product'), op: z.literal('upsert'), ref: refSchema, data: productDataSchema }).strict(),
  z.object({ entity: z.literal('product'), op: z.literal('delete'), ref: refSchema }).strict(),
]);
const variantChange = z.discriminatedUnion('op', [
  z
    .object({
      entity: z.literal('variant'),
      op: z.literal('upsert'),
      ref: refSchema,
      parentRef: refSchema,
      data: variantDataSchema,
    })
    .strict(),
  z.object({ entity: z.literal('variant'), op: z.literal('delete'), ref: refSchema, parentRef: refSchema.optional() }).strict(),
]);

/** One change from the host: what to create, update or delete in the store. */
export const changeSchema = z.discriminatedUnion('entity', [categoryChange, productChange, variantChange]);
/**
 * One change from the host's catalog: create or update (`upsert`, with its data) or `delete` a
 * category, product or variant, named by the host's reference (the SKU for products and variants).
 * Enqueue these.
 */
export type Change = z.infer<typeof changeSchema>;
/** Whether a change creates or updates its item (`upsert`) or removes it (`delete`). */
export type ChangeOp = Change['op'];

/** A batch as given to `enqueue`: validated whole before anything is written. */
export const changeBatchSchema = z.array(changeSchema).max(100_000, 'expected at most 100,000 changes in one batch');
