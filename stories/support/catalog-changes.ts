/**
 * The stories' catalog as the host enqueues it: `n` items (about 2% categories, a quarter of the
 * rest products, the others their variants), each a `Change` the engine validates, and the order
 * in which they are numbered (categories, products, variants). Items are made from their number,
 * so that any slice of a catalog of any size is the same in every story.
 */
import type { Change, Entity } from '@shopsync/core';
import { categoryRef, categoryTitle, productRef, productTitle, variantRef } from './catalog.js';

const CATEGORY_SHARE = 0.02;
const CATEGORY_CAP = 48;
const PRODUCT_SHARE = 0.24;
const COLOURS: Record<string, string> = { BLK: 'Black', NVY: 'Navy', OLV: 'Olive', RST: 'Rust', GRY: 'Grey' };
const SIZES: Record<string, string> = { S: 'S', M: 'M', L: 'L', XL: 'XL' };

/** How many items of each entity a catalog of `n` items has. */
export interface CatalogShape {
  size: number;
  categories: number;
  products: number;
  variants: number;
}

export function catalogShape(n: number): CatalogShape {
  const size = Math.max(0, Math.floor(n));
  const categories = size === 0 ? 0 : Math.min(CATEGORY_CAP, Math.max(1, Math.round(size * CATEGORY_SHARE)));
  let products = Math.round((size - categories) * PRODUCT_SHARE);
  if (products === 0) products = size - categories;
  return { size, categories, products, variants: size - categories - products };
}

/** Entity of the `j`th item. */
export function entityAt(shape: CatalogShape, j: number): Entity {
  return j < shape.categories ? 'category' : j < shape.categories + shape.products ? 'product' : 'variant';
}

/** The product a variant number belongs to, and its place among that product's variants. */
function variantOf(shape: CatalogShape, v: number): { product: number; k: number } {
  return { product: v % shape.products, k: Math.floor(v / shape.products) };
}

/** `entity:ref` of the `j`th item (`product:TRN-1000`): how the stories' target names an item. */
export function keyAt(shape: CatalogShape, j: number): string {
  const entity = entityAt(shape, j);
  if (entity === 'category') return `category:${categoryRef(j)}`;
  if (entity === 'product') return `product:${productRef(j - shape.categories)}`;
  const { product, k } = variantOf(shape, j - shape.categories - shape.products);
  return `variant:${variantRef(product, k)}`;
}

/**
 * The change that creates or updates the `j`th item. `edition` stands for the host's version of
 * its data: the same edition is the same data (the engine skips it as unchanged once synced), a
 * new one changes the variants' prices.
 */
export function changeAt(shape: CatalogShape, j: number, edition = 0): Change {
  const entity = entityAt(shape, j);
  if (entity === 'category') return { entity, op: 'upsert', ref: categoryRef(j), data: { title: categoryTitle(j) } };
  if (entity === 'product') {
    const p = j - shape.categories;
    const categoryRefs = shape.categories ? [categoryRef(p % shape.categories)] : [];
    return {
      entity,
      op: 'upsert',
      ref: productRef(p),
      data: { title: productTitle(p), vendor: 'Northwind Outfitters', productType: productTitle(p % 16), categoryRefs, options: ['Colour', 'Size'] },
    };
  }
  const { product, k } = variantOf(shape, j - shape.categories - shape.products);
  const ref = variantRef(product, k);
  const [colour = 'BLK', size = 'M'] = ref.split('-').slice(2);
  const cents = 2_995 + ((product * 1_000) % 17_000) + edition * 100;
  return {
    entity,
    op: 'upsert',
    ref,
    parentRef: productRef(product),
    data: { price: (cents / 100).toFixed(2), optionValues: { Colour: COLOURS[colour] ?? colour, Size: SIZES[size] ?? size }, stock: (product * 7 + k * 3) % 60 },
  };
}

/** Items `from` to `to` (excluded) as changes. */
export function catalogChanges(shape: CatalogShape, from = 0, to = shape.size, edition = 0): Change[] {
  const out: Change[] = [];
  for (let j = Math.max(0, from); j < Math.min(to, shape.size); j++) out.push(changeAt(shape, j, edition));
  return out;
}

/** The numbers of the `count` items spread evenly over the catalog (e.g. the ones that fail). */
export function spread(shape: CatalogShape, count: number): number[] {
  const n = shape.size;
  const c = Math.min(Math.max(0, Math.floor(count)), n);
  const out: number[] = [];
  for (let j = 0; j < n; j++) if (Math.floor(((j + 1) * c) / n) > Math.floor((j * c) / n)) out.push(j);
  return out;
}
