import { z } from 'zod';

/** Every stored shape carries this version; adapters migrate older shapes on open. */
export const SCHEMA_VERSION = 1 as const;
export const schemaVersion = z.literal(SCHEMA_VERSION);

/**
 * The kinds of catalog item shopsync syncs, categories first: the values of `Entity`, to list or
 * iterate over (a filter's options, a counter per kind).
 */
export const ENTITIES = ['category', 'product', 'variant'] as const;
/** Checks an item kind: `category`, `product` or `variant`. */
export const entitySchema = z.enum(ENTITIES);
/**
 * The kind of a catalog item: a category (a manual collection in Shopify), a product, or one of a
 * product's variants.
 */
export type Entity = z.infer<typeof entitySchema>;

/** Plural names, as counters are shown to users ("3 products pending"). */
export const ENTITY_PLURAL = { category: 'categories', product: 'products', variant: 'variants' } as const;

/** Checks a count per kind of item: a whole, non-negative number of categories, products and variants. */
export const countsSchema = z.object({
  categories: z.number().int().nonnegative(),
  products: z.number().int().nonnegative(),
  variants: z.number().int().nonnegative(),
});
/**
 * A number per kind of item, keyed by plural name: how many categories, products and variants are
 * pending, were synced or failed.
 */
export type EntityCounts = z.infer<typeof countsSchema>;

/** Counts of zero for every kind of item: where a tally starts. */
export function zeroCounts(): EntityCounts {
  return { categories: 0, products: 0, variants: 0 };
}

/** How many items the counts add up to, whatever their kind (say, everything still pending). */
export function totalOf(counts: EntityCounts): number {
  return counts.categories + counts.products + counts.variants;
}

/** BCP 47 language tag, simplified: `en`, `es`, `pt-BR`. */
export const languageSchema = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en" or "pt-BR"');

/** The host's name for one of its warehouses, as `stock` maps and the connector's `locations` name it. */
export const warehouseRefSchema = z.string().min(1, 'expected a warehouse reference').max(255, 'expected at most 255 characters');

/** ISO-8601 instant in UTC, as produced by `Date.prototype.toISOString`. */
export const isoDate = z.iso.datetime({ offset: true });

/** A host reference: SKU for products and variants, the host's id for categories. */
export const refSchema = z
  .string()
  .min(1, 'expected a non-empty reference')
  .max(255, 'expected at most 255 characters')
  .regex(/^(?!\s)[\s\S]*(?<!\s)$/, 'expected no leading or trailing spaces')
  // NUL ends strings in C and is refused by PostgreSQL's text: never part of a reference.
  .refine((s) => !s.includes('\0'), 'expected no NUL character');

/**
 * A record (keys chosen by the host) that refuses a `__proto__` key by name. zod's record drops
 * such a key without a word (its guard against prototype pollution), so `{"__proto__": 5}` would
 * pass as `{}`: the host's data silently changed, an invalid value never checked.
 */
export function hostRecord<T extends z.ZodType>(record: T) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, '__proto__')) {
        ctx.addIssue({ code: 'custom', path: ['__proto__'], message: 'expected no key named "__proto__"' });
      }
    })
    .pipe(record);
}
