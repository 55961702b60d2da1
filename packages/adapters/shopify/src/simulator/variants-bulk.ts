/**
 * productVariantsBulkUpdate: changes fields of some of one product's variants in one mutation.
 * Every variant is checked first; without `allowPartialUpdates` nothing is written when any is
 * wrong, with it the valid ones are written and the others reported.
 */
import { given, money, type SimProduct, type SimVariant, type UserErrorOut, type VariantsBulkArgs } from './model.js';
import type { SimStore } from './store.js';

/** What productVariantsBulkUpdate answers: the product and the variants written, or null when nothing was. */
export interface VariantsBulkResult {
  product: SimProduct | null;
  variants: SimVariant[] | null;
  userErrors: UserErrorOut[];
}

interface Change {
  variant: SimVariant;
  price?: string;
  compareAtPrice?: string | null;
  barcode?: string | null;
}

/** A negative amount: Shopify's GREATER_THAN_OR_EQUAL_TO ("must be greater than or equal to zero"). */
function negative(v: unknown): boolean {
  if (typeof v === 'number') return v < 0;
  return typeof v === 'string' && /^-\d+(\.\d+)?$/.test(v.trim());
}

/** Checks and (as far as allowed) applies a productVariantsBulkUpdate; `now` stamps the product. */
export function variantsBulkUpdate(store: SimStore, productId: string, items: readonly VariantsBulkArgs[], allowPartialUpdates: boolean, now: string): VariantsBulkResult {
  const product = store.products.get(productId);
  if (!product) return { product: null, variants: null, userErrors: [{ code: 'PRODUCT_DOES_NOT_EXIST', field: ['productId'], message: 'Product does not exist' }] };
  const errors: UserErrorOut[] = [];
  const changes: Change[] = [];
  items.forEach((item, i) => {
    const before = errors.length;
    const err = (code: string, field: string, message: string) => errors.push({ code, field: ['variants', String(i), field], message });
    let variant: SimVariant | undefined;
    if (!given(item.id)) err('PRODUCT_VARIANT_ID_MISSING', 'id', 'Product variant is missing ID attribute.');
    else {
      variant = store.variants.get(item.id);
      if (!variant || variant.productId !== product.id) err('PRODUCT_VARIANT_DOES_NOT_EXIST', 'id', 'Product variant does not exist');
    }
    const change: Change = { variant: variant! };
    const price = money(item.price);
    if (price === null) err('INVALID_INPUT', 'price', "Price can't be blank.");
    else if (price === 'invalid') {
      if (negative(item.price)) err('GREATER_THAN_OR_EQUAL_TO', 'price', 'Price must be greater than or equal to 0.');
      else err('INVALID_INPUT', 'price', 'Price must be an amount such as "19.99".');
    } else if (price !== undefined) change.price = price;
    const compare = money(item.compareAtPrice);
    if (compare === 'invalid') {
      if (negative(item.compareAtPrice)) err('GREATER_THAN_OR_EQUAL_TO', 'compareAtPrice', 'Compare-at price must be greater than or equal to 0.');
      else err('INVALID_INPUT', 'compareAtPrice', 'Compare-at price must be an amount such as "19.99".');
    } else if (compare !== undefined) change.compareAtPrice = compare;
    if (item.barcode !== undefined) change.barcode = item.barcode;
    if (errors.length === before) changes.push(change);
  });
  if (errors.length && !allowPartialUpdates) return { product: null, variants: null, userErrors: errors };
  for (const c of changes) {
    if (c.price !== undefined) c.variant.price = c.price;
    if (c.compareAtPrice !== undefined) c.variant.compareAtPrice = c.compareAtPrice;
    if (c.barcode !== undefined) c.variant.barcode = c.barcode;
  }
  if (changes.length) product.updatedAt = now;
  return { product, variants: changes.map((c) => c.variant), userErrors: errors };
}
