import { type Entity, type TargetIdStore } from '@shopsync/core';
import { categoryDataSchema, itemKey, productDataSchema, refSchema, variantDataSchema } from '@shopsync/core/internal';
import { z } from 'zod';

/**
 * What the adapter keeps in core's per-connector id store, besides `entity:ref` -> Shopify GID:
 * small JSON records under keys of its own, each with a version. A record that does not parse
 * (a newer or damaged shape) reads as absent: the adapter then finds the item in the store again,
 * as after a lost mapping.
 */
export const stateKeys = {
  id: (entity: Entity, ref: string): string => itemKey(entity, ref),
  category: (ref: string): string => `shopify:category:${ref}`,
  product: (ref: string): string => `shopify:product:${ref}`,
  variant: (ref: string): string => `shopify:variant:${ref}`,
  /** A product the store does not have, that its variants wait for (see `awaitingStateSchema`). */
  awaiting: (ref: string): string => `shopify:awaiting:${ref}`,
  /** What the store says of a metafield definition (see `definitionStateSchema`). */
  definition: (owner: MetafieldOwner, namespace: string, key: string): string => `shopify:mfdef:${owner}:${namespace}.${key}`,
  /** The translations shopsync registered for an item's resources (see translation-plan.ts). */
  translations: (entity: Entity, ref: string): string => `shopify:tr:${entity}:${ref}`,
  /** The store's sales channels by title (see `publicationsStateSchema`). */
  publications: 'shopify:publications',
};

/** The owners of metafields shopsync writes, as Shopify names them. */
export type MetafieldOwner = 'PRODUCT' | 'PRODUCTVARIANT';

/**
 * An image the product has in the store: where it came from (`src`: its URL, and `#` and the
 * host's content hash when there was one), the store's file id, the alt text sent with it, and
 * whether Shopify has finished processing it. Shopify processes images after productSet answers.
 */
export const mediaStateSchema = z
  .object({
    src: z.string(),
    id: z.string(),
    alt: z.string().optional(),
    ready: z.boolean(),
    /** When it was uploaded (ms since the epoch), while it is not ready. */
    uploadedAt: z.number().optional(),
  })
  .strict();
export type MediaState = z.output<typeof mediaStateSchema>;

/** Metafields written to an owner: `namespace.key` -> `type` and value as sent (JSON), so unchanged ones are not sent again. */
const writtenMetafields = z.record(z.string(), z.string());

export const categoryStateSchema = z
  .object({
    v: z.literal(1),
    /** The category as last received (kept so that it can be created when it gets products). */
    data: categoryDataSchema.optional(),
    /** Products that belong to it while it has no collection in the store. */
    pending: z.array(refSchema).default([]),
    /** What its collection was last written with (collectionInput as JSON): an unchanged category is not written again. */
    sent: z.string().optional(),
  })
  .strict();

export const productStateSchema = z
  .object({
    v: z.literal(1),
    data: productDataSchema.optional(),
    /** The host's variants of this product, in order: the list every productSet sends. */
    variants: z.array(refSchema).default([]),
    /** The store's default variant, while the product has none of the host's. */
    defaultVariantId: z.string().optional(),
    /** Variants the store has that the host never sent (found after a lost mapping): kept, not deleted. */
    foreign: z.array(z.object({ id: z.string(), sku: z.string().optional(), options: z.record(z.string(), z.string()) }).strict()).default([]),
    /**
     * Category ref -> collection GID the product was added to ('' while the category has none;
     * '?GID' when a change of that membership was sent and its answer lost).
     */
    collections: z.record(z.string(), z.string()).default({}),
    archived: z.boolean().default(false),
    /** The product fields its last productSet carried (`productFields` as JSON): unchanged ones are not sent again. */
    fields: z.string().optional(),
    /**
     * Written (and saved) before a productSet is sent, cleared with the state saved after its
     * answer: while it is set, the store may hold what the lost answer would have recorded (the
     * process died in between), so the next push reads the product's variants from the store
     * before it sends the list again, rather than delete those this record does not know.
     */
    unconfirmed: z.literal(true).optional(),
    /** Its images in the store, in order (absent until shopsync first sent some). */
    media: z.array(mediaStateSchema).optional(),
    /** The image list (sources and alt texts, as JSON) the store's media were last written from. */
    mediaSent: z.string().optional(),
    /**
     * The sources a productSet carried, in order, written before it is sent (with `unconfirmed`):
     * when its answer is lost, the product's media are read and matched to these, so that no
     * image is uploaded twice.
     */
    mediaInFlight: z.array(z.string()).optional(),
    /** The product's metafields shopsync wrote. */
    metafields: writtenMetafields.optional(),
    /** Publication ids shopsync published the product to. */
    published: z.array(z.string()).optional(),
  })
  .strict();

/** A product the store does not have, whose variants arrived without it. */
export const awaitingStateSchema = z
  .object({
    v: z.literal(1),
    /** Since when (ms since the epoch) its variants have waited for it. */
    since: z.number(),
    /** The store refused its upsert, the last time it was sent: its variants fail at once. */
    refused: z.boolean().default(false),
  })
  .strict();

export const variantStateSchema = z
  .object({
    v: z.literal(1),
    parentRef: refSchema,
    /** The data last sent: rebuilds the product's variant list when a sibling changes. */
    data: variantDataSchema,
    inventoryItemId: z.string().optional(),
    /** The initial stock was set (at every location its stock names); afterwards stock goes only with "overwrite stock". */
    stockInitialized: z.boolean().default(false),
    /** Location ids where shopsync set its stock (absent in records from before stock per warehouse). */
    stockAt: z.array(z.string()).optional(),
    /** The variant's metafields shopsync wrote. */
    metafields: writtenMetafields.optional(),
  })
  .strict();

/** A metafield definition as the store has it (its type), or `none`; `checkedAt` for how long a `none` is believed. */
export const definitionStateSchema = z
  .object({ v: z.literal(1), type: z.string().optional(), checkedAt: z.number() })
  .strict();

/** The store's sales channels (publication id by catalog title), and when they were read. */
export const publicationsStateSchema = z
  .object({ v: z.literal(1), byTitle: z.record(z.string(), z.string()), readAt: z.number() })
  .strict();

export type AwaitingState = z.output<typeof awaitingStateSchema>;
export type CategoryState = z.output<typeof categoryStateSchema>;
export type ProductState = z.output<typeof productStateSchema>;
export type VariantState = z.output<typeof variantStateSchema>;
export type DefinitionState = z.output<typeof definitionStateSchema>;
export type PublicationsState = z.output<typeof publicationsStateSchema>;

/** A read-through cache over the id store; writes are kept and flushed together at the end of a push. */
export class StateStore {
  readonly #ids: TargetIdStore;
  readonly #values = new Map<string, string | null>();
  readonly #dirty = new Map<string, string | null>();

  constructor(ids: TargetIdStore) {
    this.#ids = ids;
  }

  async load(keys: Iterable<string>): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.#values.has(k));
    if (missing.length === 0) return;
    const got = await this.#ids.get(missing);
    for (const k of missing) if (!this.#values.has(k)) this.#values.set(k, got.get(k) ?? null);
  }

  get(key: string): string | undefined {
    return this.#values.get(key) ?? undefined;
  }

  set(key: string, value: string | null | undefined): void {
    const v = value ?? null;
    if (this.#values.get(key) === v && !this.#dirty.has(key)) return;
    this.#values.set(key, v);
    this.#dirty.set(key, v);
  }

  read<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
    const raw = this.get(key);
    if (raw === undefined) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  write(key: string, value: object | null): void {
    this.set(key, value === null ? null : JSON.stringify(value));
  }

  async flush(): Promise<void> {
    if (this.#dirty.size === 0) return;
    const entries = [...this.#dirty].map(([key, id]) => ({ key, id }));
    this.#dirty.clear();
    await this.#ids.set(entries);
  }
}
