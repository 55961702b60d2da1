/**
 * What the resolvers answer with: the store's records as GraphQL objects (their function fields
 * graphql-js calls with (args, context)), connections paged as Shopify pages them, userErrors.
 */
import { GraphQLError } from 'graphql';
import { MAX_INPUT_ARRAY } from '../version.js';
import type { SimCollection, SimInventoryItem, SimLocation, SimProduct, SimVariant, UserErrorOut } from './model.js';
import type { SimContext } from './resolvers.js';
import { TAXONOMY } from './taxonomy.js';
import { categoryView, mediaConnection, metafieldFields, publishableFields } from './views-catalog.js';

/** Page size of a connection: Shopify requires `first` (or `last`), at most 250. */
function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  if (first < 0 || first > MAX_INPUT_ARRAY) throw new GraphQLError(`The first argument must be between 0 and ${MAX_INPUT_ARRAY}.`, { extensions: { code: 'BAD_REQUEST' } });
  return first;
}

/** A connection of the first `first` of `all` (Shopify's page size rules), without cursors. */
export function connection<T, V>(all: readonly T[], first: number | null | undefined, view: (t: T) => V) {
  const n = pageSize(first);
  const nodes = all.slice(0, n).map(view);
  return { nodes, pageInfo: { hasNextPage: all.length > n, hasPreviousPage: false, startCursor: null, endCursor: null } };
}

/** An opaque cursor: the position after the node with this id. */
function cursorOf(id: string): string {
  return Buffer.from(JSON.stringify({ last_id: id }), 'utf8').toString('base64url');
}

function afterCursor(cursor: string): string {
  try {
    const id = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { last_id?: unknown }).last_id;
    if (typeof id === 'string') return id;
  } catch {
    // refused below
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: 'BAD_REQUEST' } });
}

/**
 * A connection paged by `first` and `after` (a cursor from an earlier page's `endCursor`), with
 * `nodes`, `edges` (each node with its cursor) and `pageInfo`.
 */
export function pagedConnection<T extends { id: string }, V>(all: readonly T[], first: number | null | undefined, after: string | null | undefined, view: (t: T) => V) {
  const n = pageSize(first);
  let start = 0;
  if (after !== null && after !== undefined) {
    const id = afterCursor(after);
    const i = all.findIndex((t) => t.id === id);
    // A node gone since: the page starts where it would have been (ids grow with creation).
    start = i >= 0 ? i + 1 : all.filter((t) => gidNumber(t.id) <= gidNumber(id)).length;
  }
  const page = all.slice(start, start + n);
  return {
    nodes: page.map(view),
    edges: () => page.map((t) => ({ cursor: cursorOf(t.id), node: view(t) })),
    pageInfo: {
      hasNextPage: all.length > start + n,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorOf(page[0]!.id) : null,
      endCursor: page.length ? cursorOf(page[page.length - 1]!.id) : null,
    },
  };
}

function gidNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('/') + 1)) || 0;
}

// ——— views: objects whose function fields graphql-js calls with (args, context) ———

/** A Location. */
export function locationView(ctx: SimContext, l: SimLocation) {
  return {
    id: l.id,
    name: l.name,
    isActive: l.isActive,
    isPrimary: l.isPrimary,
    inventoryLevel: ({ inventoryItemId }: { inventoryItemId: string }) => {
      const item = ctx.store.inventoryItems.get(inventoryItemId);
      return item && item.levels.has(l.id) ? levelView(ctx, item, l) : null;
    },
  };
}

/** An InventoryLevel: an item's stock at a location. */
export function levelView(ctx: SimContext, item: SimInventoryItem, l: SimLocation) {
  return {
    id: `gid://shopify/InventoryLevel/${item.id.split('/').pop()}?inventory_item_id=${item.id.split('/').pop()}&location_id=${l.id.split('/').pop()}`,
    item: () => itemView(ctx, item),
    location: () => locationView(ctx, l),
    quantities: ({ names }: { names: string[] }) =>
      names.map((name) => ({ id: `gid://shopify/InventoryQuantity/${item.id.split('/').pop()}-${name}`, name, quantity: name === 'available' || name === 'on_hand' ? (item.levels.get(l.id) ?? 0) : 0 })),
  };
}

/** An InventoryItem. */
export function itemView(ctx: SimContext, item: SimInventoryItem) {
  const variant = ctx.store.variants.get(item.variantId);
  return {
    id: item.id,
    sku: variant?.sku ?? null,
    tracked: item.tracked,
    measurement: { id: `gid://shopify/InventoryItemMeasurement/${item.id.split('/').pop()}`, weight: item.weight },
    inventoryLevel: ({ locationId }: { locationId: string }) => {
      const l = ctx.store.locations.get(locationId);
      return l && item.levels.has(l.id) ? levelView(ctx, item, l) : null;
    },
    inventoryLevels: ({ first, after, reverse }: { first?: number | null; after?: string | null; reverse?: boolean | null }) => {
      const stocked = [...ctx.store.locations.values()].filter((l) => item.levels.has(l.id));
      return pagedConnection(reverse ? stocked.reverse() : stocked, first, after, (l) => levelView(ctx, item, l));
    },
  };
}

/** A ProductVariant. */
export function variantView(ctx: SimContext, v: SimVariant) {
  const self = () => variantView(ctx, v);
  return {
    __typename: 'ProductVariant',
    id: v.id,
    title: v.title,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    barcode: v.barcode,
    position: v.position,
    selectedOptions: v.selectedOptions,
    inventoryItem: () => itemView(ctx, ctx.store.inventoryItems.get(v.inventoryItemId)!),
    product: () => productView(ctx, ctx.store.products.get(v.productId)!),
    media: (args: { first?: number | null; after?: string | null }) => mediaConnection(ctx, v.mediaId ? [v.mediaId] : [], args),
    ...metafieldFields(ctx, 'PRODUCTVARIANT', v, self),
  };
}

/** A Product. */
export function productView(ctx: SimContext, p: SimProduct) {
  const self = () => productView(ctx, p);
  const category = p.categoryId ? TAXONOMY.get(p.categoryId) : undefined;
  return {
    __typename: 'Product',
    id: p.id,
    title: p.title,
    handle: p.handle,
    status: p.status,
    descriptionHtml: p.descriptionHtml,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    options: ({ first }: { first?: number | null }) => p.options.slice(0, first ?? p.options.length),
    variants: ({ first, after }: { first?: number | null; after?: string | null }) => pagedConnection(ctx.store.variantsOf(p), first, after, (v) => variantView(ctx, v)),
    media: (args: { first?: number | null; after?: string | null }) => mediaConnection(ctx, p.mediaIds, args),
    seo: { ...p.seo },
    category: category ? categoryView(category) : null,
    ...metafieldFields(ctx, 'PRODUCT', p, self),
    ...publishableFields(ctx, p, self),
  };
}

/** A Collection. */
export function collectionView(ctx: SimContext, c: SimCollection) {
  return {
    id: c.id,
    title: c.title,
    handle: c.handle,
    descriptionHtml: c.descriptionHtml,
    sortOrder: c.sortOrder,
    productsCount: { count: c.productIds.length, precision: 'EXACT' },
    hasProduct: ({ id }: { id: string }) => c.productIds.includes(id),
    products: ({ first }: { first?: number | null }) =>
      connection(
        c.productIds.map((id) => ctx.store.products.get(id)).filter((p): p is SimProduct => !!p),
        first,
        (p) => productView(ctx, p),
      ),
  };
}

/** userErrors as the payload type lists them: with `code` where it has one (`coded`), without otherwise. */
export function userErrors(list: UserErrorOut[], coded: boolean) {
  return list.map((e) => (coded ? { code: e.code ?? null, field: e.field, message: e.message } : { field: e.field, message: e.message }));
}

