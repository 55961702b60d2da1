/**
 * productSet's first half: reading its input against the store and either planning the write or
 * listing everything wrong with it (Shopify's ProductSetUserErrorCode values and field paths).
 * Nothing here changes the store; `SimStore.productSet` applies a plan only when it has no errors.
 */
import type { PlannedMetafield } from './metafields.js';
import { given, money, resolveNamespace, type MetafieldArgs, type MetafieldOwner, type MetafieldOwnerType, type ProductSetArgs, type ProductSetIdentifierArgs, type SimProduct, type UserErrorOut } from './model.js';
import { planFiles, planVariantFile, type PlannedFile, type PlannedVariantFile } from './product-set-media.js';
import type { SimStore } from './store.js';
import { TAXONOMY } from './taxonomy.js';

export type { PlannedMetafield } from './metafields.js';

/** A variant as a productSet input asks for it, checked and ready to write. */
export interface PlannedVariant {
  /** The existing variant it updates; a new one without. */
  id?: string;
  selected: Array<{ name: string; value: string }>;
  price?: string | null;
  compareAtPrice?: string | null;
  barcode?: string | null;
  sku?: string | null;
  tracked?: boolean | null;
  weight?: { value: number; unit: string } | null;
  quantities?: Array<{ locationId: string; quantity: number }>;
  /** Its image (undefined: unchanged). */
  file?: PlannedVariantFile;
  /** Its metafields become exactly these (undefined: unchanged). */
  metafields?: PlannedMetafield[];
}

/**
 * A productSet that passed validation. The lists are undefined where the input left them out
 * (unchanged), and replace what the product has where given.
 */
export interface ProductSetPlan {
  /** The input, with what the identifier implies filled in (the handle or custom ID of a product it creates). */
  input: ProductSetArgs;
  /** The product it updates; it creates one without. */
  existing: SimProduct | undefined;
  options: Array<{ name: string; values: string[] }> | undefined;
  variants: PlannedVariant[] | undefined;
  metafields: PlannedMetafield[] | undefined;
  /** Collection ids, without repeats. */
  collections: string[] | undefined;
  /** The product's media, in order. */
  files: PlannedFile[] | undefined;
  /** The SEO fields to set (a field absent: unchanged). */
  seo: { title?: string | null; description?: string | null } | undefined;
  /** The category id to set; null removes it; undefined: unchanged. */
  category: string | null | undefined;
}

type Err = (code: string, field: Array<string | number> | null, message: string) => void;

/**
 * Checks a productSet against the store. `identifier` (API 2025-04 on) names the product: by id
 * it must exist; by handle or custom ID it is updated when found and created otherwise.
 */
export function planProductSet(store: SimStore, requested: ProductSetArgs, maxVariants: number, identifier?: ProductSetIdentifierArgs | null): { plan: ProductSetPlan } | { userErrors: UserErrorOut[] } {
  const errors: UserErrorOut[] = [];
  const err: Err = (code, field, message) => errors.push({ code, field: field ? field.map(String) : null, message });
  const target = identifier ? identify(store, requested, identifier, err) : byInputId(store, requested, err);
  if (errors.length) return { userErrors: errors };
  const { existing, input } = target;

  if ((!existing || given(input.title)) && !(input.title ?? '').trim()) err('INVALID_PRODUCT', ['input', 'title'], "Title can't be blank");
  if (given(input.title) && input.title.length > 255) err('INVALID_PRODUCT', ['input', 'title'], 'Title is too long (maximum is 255 characters)');
  if (given(input.handle)) {
    const owner = store.handleOwner(input.handle);
    if (!input.handle.trim()) err('INVALID_PRODUCT', ['input', 'handle'], "Handle can't be blank");
    else if (owner && owner !== existing?.id) err('HANDLE_NOT_UNIQUE', ['input', 'handle'], `Handle '${input.handle}' already in use. Please provide a new handle.`);
  }

  const optionsIn = input.productOptions ?? undefined;
  const variantsIn = input.variants ?? undefined;
  if (variantsIn && !optionsIn) err('PRODUCT_OPTIONS_INPUT_MISSING', ['input', 'productOptions'], 'Must specify product options when updating variants.');
  if (optionsIn && !variantsIn) err('VARIANTS_INPUT_MISSING', ['input', 'variants'], 'Must specify variants when updating options.');
  const options = optionsIn ? planOptions(optionsIn, err) : undefined;
  const files = input.files ? planFiles(store, input.files, err) : undefined;
  const variants = variantsIn ? planVariants(store, variantsIn, options ?? [], existing, maxVariants, files, err) : undefined;
  const metafields = input.metafields ? planMetafields(store, 'PRODUCT', existing, input.metafields, ['input'], err) : undefined;
  const collections = input.collections ? planCollections(store, input.collections, err) : undefined;
  const seo = input.seo ? { ...('title' in input.seo ? { title: input.seo.title ?? null } : {}), ...('description' in input.seo ? { description: input.seo.description ?? null } : {}) } : undefined;
  const category = 'category' in input ? (input.category ?? null) : undefined;
  if (category !== undefined && category !== null && !TAXONOMY.has(category)) {
    err('INVALID_INPUT', ['input', 'category'], `Category '${category}' does not exist: expected a gid://shopify/TaxonomyCategory/… of the taxonomy.`);
  }
  if (errors.length) return { userErrors: errors };
  return { plan: { input, existing, options, variants, metafields, collections, files, seo, category } };
}

/** The product `input.id` names (productSet before identifiers, and still where none is given). */
function byInputId(store: SimStore, input: ProductSetArgs, err: Err): { existing: SimProduct | undefined; input: ProductSetArgs } {
  const existing = input.id ? store.products.get(input.id) : undefined;
  if (input.id && !existing) err('PRODUCT_DOES_NOT_EXIST', ['input', 'id'], 'Product does not exist');
  return { existing, input };
}

/**
 * The product an identifier names, and the input as it applies to it: a product created by handle
 * gets that handle, one created by custom ID that metafield. The input may repeat the identifier's
 * value but not contradict it (INPUT_MISMATCH, METAFIELD_MISMATCH); `input.id` beside an
 * identifier is refused (ID_NOT_ALLOWED).
 */
function identify(store: SimStore, input: ProductSetArgs, identifier: ProductSetIdentifierArgs, err: Err): { existing: SimProduct | undefined; input: ProductSetArgs } {
  if (given(input.id)) {
    err('ID_NOT_ALLOWED', ['input', 'id'], 'The id field is not allowed if identifier is provided.');
    return { existing: undefined, input };
  }
  if (given(identifier.id)) {
    const existing = store.products.get(identifier.id);
    if (!existing) err('PRODUCT_DOES_NOT_EXIST', ['identifier', 'id'], 'Product does not exist');
    return { existing, input };
  }
  if (given(identifier.handle)) {
    const existing = store.productByHandle(identifier.handle);
    if (given(input.handle) && input.handle !== identifier.handle) {
      err('INPUT_MISMATCH', ['input', 'handle'], `The handle '${input.handle}' does not match the identifier's handle '${identifier.handle}'.`);
    }
    return { existing, input: { ...input, handle: identifier.handle } };
  }
  const custom = identifier.customId!;
  const namespace = resolveNamespace(custom.namespace);
  const found = store.productByUniqueMetafield(namespace, custom.key, custom.value);
  if (found === 'no-definition') {
    err('INVALID_INPUT', ['identifier', 'customId'], `No metafield definition with unique values for ${namespace}.${custom.key}.`);
    return { existing: undefined, input };
  }
  if (input.metafields) {
    const same = input.metafields.find((m) => resolveNamespace(m.namespace) === namespace && m.key === custom.key);
    if (same?.value !== custom.value) err('METAFIELD_MISMATCH', ['input', 'metafields'], 'The input argument `metafields` (if present) must contain the `customId` value.');
    return { existing: found, input };
  }
  return { existing: found, input: found ? input : { ...input, metafields: [{ namespace, key: custom.key, value: custom.value }] } };
}

function planOptions(optionsIn: NonNullable<ProductSetArgs['productOptions']>, err: Err): Array<{ name: string; values: string[] }> {
  const options: Array<{ name: string; values: string[] }> = [];
  if (optionsIn.length > 3) err('OPTIONS_OVER_LIMIT', ['input', 'productOptions'], 'Options over limit: a product can have at most 3 options.');
  optionsIn.forEach((o, i) => {
    const name = (o.name ?? '').trim();
    if (!name) err('INVALID_INPUT', ['input', 'productOptions', i, 'name'], "Option name can't be blank");
    else if (options.some((x) => x.name.toLowerCase() === name.toLowerCase())) err('DUPLICATED_OPTION_NAME', ['input', 'productOptions', i, 'name'], `Duplicated option name '${name}'.`);
    const values: string[] = [];
    (o.values ?? []).forEach((v, j) => {
      const value = (v.name ?? '').trim();
      if (!value) err('INVALID_INPUT', ['input', 'productOptions', i, 'values', j, 'name'], "Option value can't be blank");
      else if (values.includes(value)) err('DUPLICATED_OPTION_VALUE', ['input', 'productOptions', i, 'values', j], `Duplicated option value '${value}'.`);
      else values.push(value);
    });
    if (values.length === 0) err('OPTION_VALUES_MISSING', ['input', 'productOptions', i, 'values'], `Option '${name}' must have at least one option value specified.`);
    options.push({ name, values });
  });
  return options;
}

function planVariants(
  store: SimStore,
  variantsIn: NonNullable<ProductSetArgs['variants']>,
  options: ReadonlyArray<{ name: string; values: string[] }>,
  existing: SimProduct | undefined,
  maxVariants: number,
  files: readonly PlannedFile[] | undefined,
  err: Err,
): PlannedVariant[] {
  const planned: PlannedVariant[] = [];
  if (variantsIn.length > maxVariants) err('VARIANTS_OVER_LIMIT', ['input', 'variants'], `The number of variants (${variantsIn.length}) exceeds the limit of ${maxVariants} per product.`);
  const skus = new Map<string, number>();
  const combos = new Map<string, number>();
  variantsIn.forEach((v, i) => {
    const at = (...rest: Array<string | number>) => ['input', 'variants', i, ...rest];
    const p: PlannedVariant = { selected: [] };
    if (v.id) {
      const own = store.variants.get(v.id);
      if (!own || own.productId !== existing?.id) err('PRODUCT_VARIANT_DOES_NOT_EXIST', at('id'), 'Product variant does not exist');
      else p.id = v.id;
    }
    const seen = new Set<string>();
    v.optionValues.forEach((ov, j) => {
      const optName = ov.optionName ?? undefined;
      const option = optName !== undefined ? options.find((o) => o.name === optName) : undefined;
      if (!option) return err('OPTION_DOES_NOT_EXIST', at('optionValues', j), `Option '${optName ?? ov.optionId ?? ''}' does not exist.`);
      if (seen.has(option.name)) return err('INVALID_VARIANT', at('optionValues', j), `Option '${option.name}' is given more than once.`);
      seen.add(option.name);
      const value = (ov.name ?? '').trim();
      if (!option.values.includes(value)) return err('OPTION_VALUE_DOES_NOT_EXIST', at('optionValues', j), `Option value '${value}' does not exist for option '${option.name}'.`);
      p.selected.push({ name: option.name, value });
    });
    const missing = options.filter((o) => !seen.has(o.name)).map((o) => o.name);
    if (missing.length) err('INVALID_VARIANT', at('optionValues'), `The variant is missing option values for: ${missing.join(', ')}.`);
    const ordered = options.map((o) => p.selected.find((s) => s.name === o.name)?.value ?? '');
    const combo = ordered.join(' / ');
    if (!missing.length && combos.has(combo)) err('INVALID_VARIANT', at('optionValues'), `The variant '${combo}' already exists.`);
    combos.set(combo, i);
    const price = money(v.price);
    if (price === 'invalid') err('INVALID_VARIANT', at('price'), 'Price must be a non-negative amount such as "19.99".');
    else if (price !== undefined) p.price = price;
    const compare = money(v.compareAtPrice);
    if (compare === 'invalid') err('INVALID_VARIANT', at('compareAtPrice'), 'Compare-at price must be a non-negative amount such as "19.99".');
    else if (compare !== undefined) p.compareAtPrice = compare;
    if (v.barcode !== undefined) p.barcode = v.barcode;
    const item = v.inventoryItem ?? undefined;
    if (item?.sku !== undefined) {
      const sku = item.sku === null ? null : item.sku.trim();
      if (sku) {
        if (skus.has(sku)) err('DUPLICATED_VALUE', at('inventoryItem', 'sku'), `SKU '${sku}' is given to more than one variant.`);
        const owner = store.skuOwner(sku);
        const ownerProduct = owner ? store.variants.get(owner)?.productId : undefined;
        if (owner && ownerProduct !== existing?.id) err('DUPLICATED_VALUE', at('inventoryItem', 'sku'), `SKU '${sku}' is already used by a variant of another product.`);
        skus.set(sku, i);
      }
      p.sku = sku || null;
    }
    if (given(item?.tracked)) p.tracked = item.tracked;
    if (item?.measurement?.weight !== undefined) {
      const w = item.measurement.weight;
      if (w && !(w.value >= 0)) err('INVALID_VARIANT', at('inventoryItem', 'measurement', 'weight', 'value'), 'Weight must be a non-negative number.');
      p.weight = w ?? null;
    }
    // A new variant is stocked where its quantities say; an existing one takes quantities only where it is stocked.
    (v.inventoryQuantities ?? []).forEach((q, j) => {
      const where = store.locations.get(q.locationId);
      const stocked = p.id ? store.inventoryItems.get(store.variants.get(p.id)!.inventoryItemId)!.levels.has(q.locationId) : true;
      if (!where) err('INVALID_VARIANT', at('inventoryQuantities', j, 'locationId'), 'The location does not exist.');
      else if (q.name !== 'available' && q.name !== 'on_hand') err('INVALID_VARIANT', at('inventoryQuantities', j, 'name'), 'The quantity name must be available or on_hand.');
      else if (!stocked) err('INVALID_VARIANT', at('inventoryQuantities', j, 'locationId'), 'An existing variant can only be given quantities where it is stocked.');
      else (p.quantities ??= []).push({ locationId: q.locationId, quantity: q.quantity });
    });
    if (given(v.file)) p.file = planVariantFile(store, v.file, files, i, err);
    if (given(v.metafields)) p.metafields = planMetafields(store, 'PRODUCTVARIANT', p.id ? store.variants.get(p.id) : undefined, v.metafields, ['input', 'variants', i], err);
    planned.push(p);
  });
  return planned;
}

/** A list that is to become an owner's metafields (INVALID_METAFIELD on `[...at, 'metafields', j, field]`). */
function planMetafields(store: SimStore, ownerType: MetafieldOwnerType, owner: MetafieldOwner | undefined, list: readonly MetafieldArgs[], at: Array<string | number>, err: Err): PlannedMetafield[] {
  const { planned, problems } = store.metafields.checkList(ownerType, owner, list, store.recordExists);
  for (const { index, problem } of problems) err('INVALID_METAFIELD', [...at, 'metafields', index, problem.field], problem.message);
  return planned;
}

/** The collections a product is to belong to: each must be one of the store's (INVALID_INPUT otherwise). */
function planCollections(store: SimStore, ids: readonly string[], err: Err): string[] {
  const collections: string[] = [];
  ids.forEach((id, i) => {
    if (!store.collections.has(id)) err('INVALID_INPUT', ['input', 'collections', i], `Collection '${id}' does not exist.`);
    else if (!collections.includes(id)) collections.push(id);
  });
  return collections;
}
