import { type CategoryData, type LocalizedText, type Metafield, type ProductData, type VariantData } from '@shopsync/core';
import { canonicalJson } from '@shopsync/core/internal';

/**
 * The text for the connector's language: the exact tag, then its base language (`pt` for
 * `pt-BR`), then another region of it, then the first text given, so that an item with a
 * missing translation is still sent rather than blank.
 */
export function pickText(text: LocalizedText | undefined, language: string): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  const exact = text[language];
  if (exact !== undefined) return exact;
  const base = language.split('-')[0]!;
  if (text[base] !== undefined) return text[base];
  for (const [tag, value] of Object.entries(text)) if (tag.split('-')[0] === base) return value;
  return Object.values(text)[0];
}

/** The option a product without options of its own gets, as Shopify names it. */
export const DEFAULT_OPTION = 'Title';
export const DEFAULT_OPTION_VALUE = 'Default Title';

/** A variant in the list a productSet sends: the host's, or one the store has and the host never sent. */
export interface VariantSlot {
  ref: string;
  id?: string | undefined;
  data?: VariantData | undefined;
  /** For variants without host data: the option values the store has for them. */
  storeOptions?: Record<string, string> | undefined;
  /** Stock to give a new variant, by location id, in the same productSet. */
  initialStock?: ReadonlyMap<string, number> | undefined;
  /** The variant's image (FileSetInput), when it is new or changed. */
  file?: Record<string, unknown> | undefined;
  /** A new variant's metafields (an existing one's go through metafieldsSet). */
  metafields?: readonly Metafield[] | undefined;
}

export interface ProductSetPlan {
  input: Record<string, unknown>;
  /** How many variants the product will have (the response's page size). */
  variantCount: number;
}

/**
 * The productSet input for a product and its whole variant list (productSet replaces the list:
 * variants left out are deleted). Fields the host leaves out are not sent, so the store keeps
 * what it has for them. Without variants the product gets Shopify's default variant, whose SKU
 * is the product's reference: a simple product's SKU lives on its only variant.
 */
export function productSetPlan(args: {
  ref: string;
  id?: string | undefined;
  data?: ProductData | undefined;
  /** Make an archived product active again (it was archived by a deletion and is sent again). */
  reactivate?: boolean;
  variants: readonly VariantSlot[];
  defaultVariantId?: string | undefined;
  language: string;
  /**
   * Give a new product its reference as a custom ID (only on creation: productSet replaces the
   * metafield list it is given).
   */
  refMetafield?: { namespace: string; key: string; type: string } | undefined;
  /**
   * A new product's collections (only on creation: productSet replaces the product's membership
   * with the list it is given, and a merchant may have added the product to others since).
   */
  collections?: readonly string[] | undefined;
  /** The product's images (FileSetInput, in order), when they are new or changed. */
  files?: ReadonlyArray<Record<string, unknown>> | undefined;
}): ProductSetPlan {
  const { data, language } = args;
  const input: Record<string, unknown> = {};
  if (!args.id) {
    // Only on creation: productSet replaces the owner's metafield list.
    const metafields = [...(args.refMetafield ? [{ ...args.refMetafield, value: args.ref }] : []), ...(data?.metafields ?? []).map(metafieldInput)];
    if (metafields.length) input['metafields'] = metafields;
  }
  if (args.files) input['files'] = [...args.files];
  if (!args.id && args.collections?.length) input['collections'] = [...args.collections];
  Object.assign(input, productFields(data, language));
  if (data?.status === undefined && args.reactivate) input['status'] = 'ACTIVE';

  if (args.variants.length === 0) {
    input['productOptions'] = [{ name: DEFAULT_OPTION, position: 1, values: [{ name: DEFAULT_OPTION_VALUE }] }];
    input['variants'] = [
      {
        ...(args.defaultVariantId ? { id: args.defaultVariantId } : {}),
        optionValues: [{ optionName: DEFAULT_OPTION, name: DEFAULT_OPTION_VALUE }],
        inventoryItem: { sku: args.ref },
      },
    ];
    return { input, variantCount: 1 };
  }

  const names = optionNames(data, args.variants);
  const synthesized = names.length === 0;
  const valuesOf = (v: VariantSlot): Record<string, string> => {
    if (synthesized) {
      return { [DEFAULT_OPTION]: args.variants.length === 1 ? DEFAULT_OPTION_VALUE : (pickText(v.data?.title, language) ?? v.ref) };
    }
    return v.data ? (v.data.optionValues ?? {}) : (v.storeOptions ?? {});
  };
  const optionList = synthesized ? [DEFAULT_OPTION] : names;
  input['productOptions'] = optionList.map((name, i) => {
    const values: string[] = [];
    for (const v of args.variants) {
      const value = valuesOf(v)[name];
      if (value !== undefined && !values.includes(value)) values.push(value);
    }
    return { name, position: i + 1, values: values.map((value) => ({ name: value })) };
  });
  input['variants'] = args.variants.map((v) => {
    const own = valuesOf(v);
    const optionValues = optionList.filter((n) => own[n] !== undefined).map((n) => ({ optionName: n, name: own[n]! }));
    const out: Record<string, unknown> = { optionValues };
    if (v.id) out['id'] = v.id;
    const d = v.data;
    if (!d) return out;
    if (v.file) out['file'] = v.file;
    if (v.metafields?.length) out['metafields'] = v.metafields.map(metafieldInput);
    if (v.initialStock?.size) out['inventoryQuantities'] = [...v.initialStock].map(([locationId, quantity]) => ({ locationId, name: 'available', quantity }));
    out['price'] = d.price;
    if (d.compareAtPrice !== undefined) out['compareAtPrice'] = d.compareAtPrice;
    if (d.barcode !== undefined) out['barcode'] = d.barcode;
    const item: Record<string, unknown> = { sku: v.ref };
    if (d.stock !== undefined) item['tracked'] = true;
    if (d.weightGrams !== undefined) item['measurement'] = { weight: { value: d.weightGrams, unit: 'GRAMS' } };
    out['inventoryItem'] = item;
    return out;
  });
  return { input, variantCount: args.variants.length };
}

/** A metafield as productSet and metafieldsSet take it. */
export function metafieldInput(m: Metafield): { namespace: string; key: string; type: string; value: string } {
  return { namespace: m.namespace, key: m.key, type: m.type, value: m.value };
}

/** The product's own fields as productSet takes them, in the connector's language (fields the host leaves out are not sent). */
export function productFields(data: ProductData | undefined, language: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!data) return out;
  out['title'] = pickText(data.title, language) ?? '';
  const description = pickText(data.description, language);
  if (description !== undefined) out['descriptionHtml'] = description;
  if (data.handle !== undefined) out['handle'] = data.handle;
  if (data.vendor !== undefined) out['vendor'] = data.vendor;
  if (data.productType !== undefined) out['productType'] = data.productType;
  if (data.tags !== undefined) out['tags'] = data.tags;
  if (data.status !== undefined) out['status'] = data.status.toUpperCase();
  if (data.seo !== undefined) {
    const seo: Record<string, string> = {};
    const title = pickText(data.seo.title, language);
    const description = pickText(data.seo.description, language);
    if (title !== undefined) seo['title'] = title;
    if (description !== undefined) seo['description'] = description;
    out['seo'] = seo;
  }
  if (data.category !== undefined) out['category'] = data.category === null ? null : categoryGid(data.category);
  return out;
}

/** A taxonomy category id as productSet takes it: `aa-1-13` becomes `gid://shopify/TaxonomyCategory/aa-1-13`. */
export function categoryGid(id: string): string {
  return id.startsWith('gid://') ? id : `gid://shopify/TaxonomyCategory/${id}`;
}

/**
 * What a productSet writes of the product itself (its fields and option names), as one string:
 * kept in the product's state, so that a change of only its categories or its variants' prices
 * and stock needs no productSet.
 */
export function productFingerprint(data: ProductData | undefined, language: string): string {
  return canonicalJson({ fields: productFields(data, language), options: data?.options ?? null });
}

/** Option names in order: the product's own list, else as the variants first name them. */
function optionNames(data: ProductData | undefined, variants: readonly VariantSlot[]): string[] {
  if (data?.options?.length) return [...data.options];
  const names: string[] = [];
  for (const v of variants) {
    const values = v.data ? v.data.optionValues : v.storeOptions;
    for (const name of Object.keys(values ?? {})) if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function collectionInput(data: CategoryData, language: string): Record<string, unknown> {
  const input: Record<string, unknown> = { title: pickText(data.title, language) ?? '' };
  const description = pickText(data.description, language);
  if (description !== undefined) input['descriptionHtml'] = description;
  if (data.handle !== undefined) input['handle'] = data.handle;
  return input;
}
