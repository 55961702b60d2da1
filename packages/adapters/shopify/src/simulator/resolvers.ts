import { GraphQLError, Kind, valueFromASTUntyped, type GraphQLResolveInfo } from 'graphql';
import type { ApiFeatures } from '../version.js';
import { MAX_INPUT_ARRAY } from '../version.js';
import { parseSearch, type SearchTerm } from './search.js';
import { given, resolveNamespace, type ProductSetArgs, type QuantityArgs, type SimCollection, type SimInventoryItem, type SimLocation, type SimMetafieldDefinition, type SimProduct, type SimStore, type SimVariant, type UserErrorOut } from './store.js';

export interface SimContext {
  store: SimStore;
  features: ApiFeatures;
  maxVariants: number;
  shop: { name: string; myshopifyDomain: string };
  /** Results of @idempotent mutations by key, for this token. */
  idempotency: Map<string, unknown>;
}

/** Idempotency keys remembered per token. */
const IDEMPOTENCY_KEYS = 10_000;

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/\d+$/;

function checkId(id: string, arg: string): void {
  if (!GID.test(id)) throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: 'argumentLiteralsIncompatible', argumentName: arg } });
}

/** Page size of a connection: Shopify requires `first` (or `last`), at most 250. */
function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  if (first < 0 || first > MAX_INPUT_ARRAY) throw new GraphQLError(`The first argument must be between 0 and ${MAX_INPUT_ARRAY}.`, { extensions: { code: 'BAD_REQUEST' } });
  return first;
}

function connection<T, V>(all: readonly T[], first: number | null | undefined, view: (t: T) => V) {
  const n = pageSize(first);
  const nodes = all.slice(0, n).map(view);
  return { nodes, pageInfo: { hasNextPage: all.length > n, endCursor: null } };
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

/** A connection paged by `first` and `after` (a cursor from an earlier page's `endCursor`). */
function pagedConnection<T extends { id: string }, V>(all: readonly T[], first: number | null | undefined, after: string | null | undefined, view: (t: T) => V) {
  const n = pageSize(first);
  let start = 0;
  if (after !== null && after !== undefined) {
    const id = afterCursor(after);
    const i = all.findIndex((t) => t.id === id);
    // A node gone since: the page starts where it would have been (ids grow with creation).
    start = i >= 0 ? i + 1 : all.filter((t) => gidNumber(t.id) <= gidNumber(id)).length;
  }
  const page = all.slice(start, start + n);
  return { nodes: page.map(view), pageInfo: { hasNextPage: all.length > start + n, endCursor: page.length ? cursorOf(page[page.length - 1]!.id) : null } };
}

function gidNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('/') + 1)) || 0;
}

function search(query: string | null | undefined): SearchTerm[] | null {
  if (!query) return [];
  const terms = parseSearch(query);
  if (!terms) throw new GraphQLError(`Invalid search query: ${query}`, { extensions: { code: 'BAD_REQUEST' } });
  return terms;
}

function matches(terms: SearchTerm[], fields: Record<string, string | null | undefined>, caseSensitive: ReadonlySet<string>): boolean {
  if (terms.length === 0) return true;
  return terms.some((t) => {
    const v = fields[t.field];
    if (v === undefined || v === null) return false;
    return caseSensitive.has(t.field) ? v === t.value : v.toLowerCase() === t.value.toLowerCase();
  });
}

// ——— views: objects whose function fields graphql-js calls with (args, context) ———

function locationView(ctx: SimContext, l: SimLocation) {
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

function levelView(ctx: SimContext, item: SimInventoryItem, l: SimLocation) {
  return {
    id: `gid://shopify/InventoryLevel/${item.id.split('/').pop()}?inventory_item_id=${item.id.split('/').pop()}&location_id=${l.id.split('/').pop()}`,
    item: () => itemView(ctx, item),
    location: () => locationView(ctx, l),
    quantities: ({ names }: { names: string[] }) =>
      names.map((name) => ({ id: `gid://shopify/InventoryQuantity/${item.id.split('/').pop()}-${name}`, name, quantity: name === 'available' || name === 'on_hand' ? (item.levels.get(l.id) ?? 0) : 0 })),
  };
}

function itemView(ctx: SimContext, item: SimInventoryItem) {
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
  };
}

function variantView(ctx: SimContext, v: SimVariant) {
  return {
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
  };
}

function productView(ctx: SimContext, p: SimProduct) {
  return {
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
    metafield: ({ namespace, key }: { namespace?: string | null; key: string }) => p.metafields.get(`${resolveNamespace(namespace)}.${key}`) ?? null,
  };
}

function definitionView(d: SimMetafieldDefinition) {
  return { id: d.id, namespace: d.namespace, key: d.key, name: d.name, type: { name: d.type }, capabilities: { uniqueValues: { enabled: d.uniqueValues } } };
}

function collectionView(ctx: SimContext, c: SimCollection) {
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

function userErrors(list: UserErrorOut[], coded: boolean) {
  return list.map((e) => (coded ? { code: e.code ?? null, field: e.field, message: e.message } : { field: e.field, message: e.message }));
}

/** The key of an `@idempotent(key:)` directive on the field, if any. */
function idempotencyKey(info: GraphQLResolveInfo): string | undefined {
  const d = info.fieldNodes[0]?.directives?.find((x) => x.name.value === 'idempotent');
  const arg = d?.arguments?.find((a) => a.name.value === 'key');
  if (!arg) return undefined;
  const v = arg.value.kind === Kind.VARIABLE ? info.variableValues[arg.value.name.value] : valueFromASTUntyped(arg.value);
  return typeof v === 'string' ? v : undefined;
}

/** The root resolvers: QueryRoot and Mutation fields of the schema subset. */
export function rootValue() {
  return {
    // ——— queries ———
    shop: (_: unknown, ctx: SimContext) => ctx.shop,
    location: ({ id }: { id?: string | null }, ctx: SimContext) => {
      if (id === null || id === undefined) return locationView(ctx, ctx.store.primaryLocation);
      checkId(id, 'id');
      const l = ctx.store.locations.get(id);
      return l ? locationView(ctx, l) : null;
    },
    product: ({ id }: { id: string }, ctx: SimContext) => {
      checkId(id, 'id');
      const p = ctx.store.products.get(id);
      return p ? productView(ctx, p) : null;
    },
    productByIdentifier: (
      { identifier }: { identifier: { id?: string | null; handle?: string | null; customId?: { namespace?: string | null; key: string; value: string } | null } },
      ctx: SimContext,
    ) => {
      const given = [identifier.id, identifier.handle, identifier.customId].filter((x) => x !== undefined && x !== null);
      if (given.length !== 1) throw new GraphQLError('Exactly one of id, handle or customId must be given.', { extensions: { code: 'BAD_REQUEST' } });
      if (identifier.customId) {
        const { namespace, key, value } = identifier.customId;
        const p = ctx.store.productByUniqueMetafield(namespace ?? '$app', key, value);
        if (p === 'no-definition') throw new GraphQLError(`No metafield definition with unique values for ${resolveNamespace(namespace)}.${key}.`, { extensions: { code: 'BAD_REQUEST' } });
        return p ? productView(ctx, p) : null;
      }
      if (identifier.id) checkId(identifier.id, 'identifier');
      const p = identifier.id ? ctx.store.products.get(identifier.id) : ctx.store.productByHandle(identifier.handle!);
      return p ? productView(ctx, p) : null;
    },
    metafieldDefinitions: ({ namespace, key, first }: { ownerType: string; namespace?: string | null; key?: string | null; first?: number | null }, ctx: SimContext) => {
      const all = [...ctx.store.definitions.values()].filter((d) => (!given(namespace) || d.namespace === resolveNamespace(namespace)) && (!given(key) || d.key === key));
      return connection(all, first, definitionView);
    },
    productByHandle: ({ handle }: { handle: string }, ctx: SimContext) => {
      const p = ctx.store.productByHandle(handle);
      return p ? productView(ctx, p) : null;
    },
    products: ({ first, query }: { first?: number | null; query?: string | null }, ctx: SimContext) => {
      const terms = search(query)!;
      const all = [...ctx.store.products.values()].filter((p) =>
        matches(terms, { handle: p.handle, title: p.title, status: p.status, sku: null }, new Set(['handle'])) ||
        (terms.some((t) => t.field === 'sku') && ctx.store.variantsOf(p).some((v) => terms.some((t) => t.field === 'sku' && t.value === v.sku))),
      );
      return connection(all, first, (p) => productView(ctx, p));
    },
    productVariants: ({ first, query }: { first?: number | null; query?: string | null }, ctx: SimContext) => {
      const terms = search(query)!;
      const all = [...ctx.store.variants.values()].filter((v) => matches(terms, { sku: v.sku, title: v.title, product_id: v.productId.split('/').pop() }, new Set(['sku', 'product_id'])));
      return connection(all, first, (v) => variantView(ctx, v));
    },
    collection: ({ id }: { id: string }, ctx: SimContext) => {
      checkId(id, 'id');
      const c = ctx.store.collections.get(id);
      return c ? collectionView(ctx, c) : null;
    },
    collections: ({ first, query }: { first?: number | null; query?: string | null }, ctx: SimContext) => {
      const terms = search(query)!;
      const all = [...ctx.store.collections.values()].filter((c) => matches(terms, { handle: c.handle, title: c.title }, new Set(['handle'])));
      return connection(all, first, (c) => collectionView(ctx, c));
    },

    // ——— mutations ———
    productSet: ({ input }: { input: ProductSetArgs }, ctx: SimContext) => {
      const r = ctx.store.productSet(input, ctx.maxVariants);
      return { product: r.product ? productView(ctx, r.product) : null, userErrors: userErrors(r.userErrors, true) };
    },
    productUpdate: ({ product }: { product?: { id?: string | null; status?: SimProduct['status'] | null } | null }, ctx: SimContext) => {
      const r = ctx.store.productUpdate(product ?? {});
      return { product: r.product ? productView(ctx, r.product) : null, userErrors: userErrors(r.userErrors, false) };
    },
    collectionCreate: ({ input }: { input: Parameters<SimStore['collectionWrite']>[0] }, ctx: SimContext) => {
      const r = ctx.store.collectionWrite(input, true);
      return { collection: r.collection ? collectionView(ctx, r.collection) : null, userErrors: userErrors(r.userErrors, false) };
    },
    collectionUpdate: ({ input }: { input: Parameters<SimStore['collectionWrite']>[0] }, ctx: SimContext) => {
      const r = ctx.store.collectionWrite(input, false);
      return { collection: r.collection ? collectionView(ctx, r.collection) : null, userErrors: userErrors(r.userErrors, false) };
    },
    collectionDelete: ({ input }: { input: { id: string } }, ctx: SimContext) => {
      checkId(input.id, 'input');
      const r = ctx.store.collectionDelete(input.id);
      return { deletedCollectionId: r.deletedCollectionId, userErrors: userErrors(r.userErrors, false) };
    },
    collectionAddProducts: ({ id, productIds }: { id: string; productIds: string[] }, ctx: SimContext) => {
      const r = ctx.store.collectionMembers(id, productIds, true);
      return { collection: r.collection ? collectionView(ctx, r.collection) : null, userErrors: userErrors(r.userErrors, false) };
    },
    collectionRemoveProducts: ({ id, productIds }: { id: string; productIds: string[] }, ctx: SimContext) => {
      const r = ctx.store.collectionMembers(id, productIds, false);
      // Shopify removes in a background job; here it is done at once, and the job reported done.
      return { job: r.collection ? { id: ctx.store.newId('Job'), done: true } : null, userErrors: userErrors(r.userErrors, false) };
    },
    inventorySetQuantities: (
      { input }: { input: { name: string; reason: string; quantities: QuantityArgs[]; ignoreCompareQuantity?: boolean | null } },
      ctx: SimContext,
      info: GraphQLResolveInfo,
    ) => {
      const key = idempotencyKey(info);
      if (ctx.features.idempotentRequired && key === undefined) {
        throw new GraphQLError('The @idempotent directive with a key is required for this mutation.', { extensions: { code: 'BAD_REQUEST' } });
      }
      if (ctx.features.changeFromQuantityRequired) {
        const i = input.quantities.findIndex((q) => !('changeFromQuantity' in q));
        if (i >= 0) throw new GraphQLError(`quantities[${i}].changeFromQuantity must be given (null skips the compare-and-swap check).`, { extensions: { code: 'BAD_REQUEST' } });
      }
      if (key !== undefined && ctx.idempotency.has(key)) return ctx.idempotency.get(key);
      const r = ctx.store.setQuantities(input, { compareQuantity: ctx.features.compareQuantity, changeFromQuantity: ctx.features.changeFromQuantity });
      const group = r.groupId ? ctx.store.adjustmentGroups.get(r.groupId)! : null;
      const result = {
        inventoryAdjustmentGroup: group && {
          id: group.id,
          reason: group.reason,
          changes: group.changes.map((c) => ({
            name: c.name,
            delta: c.delta,
            quantityAfterChange: c.quantityAfterChange,
            item: () => itemView(ctx, ctx.store.inventoryItems.get(c.itemId)!),
            location: () => locationView(ctx, ctx.store.locations.get(c.locationId)!),
          })),
        },
        userErrors: userErrors(r.userErrors, true),
      };
      if (key !== undefined) {
        ctx.idempotency.set(key, result);
        // Shopify keeps keys for a while; here the most recent ones, so that memory stays bounded.
        if (ctx.idempotency.size > IDEMPOTENCY_KEYS) ctx.idempotency.delete(ctx.idempotency.keys().next().value!);
      }
      return result;
    },
    metafieldDefinitionCreate: ({ definition }: { definition: Parameters<SimStore['createDefinition']>[0] }, ctx: SimContext) => {
      const r = ctx.store.createDefinition(definition);
      return { createdDefinition: r.definition ? definitionView(r.definition) : null, userErrors: userErrors(r.userErrors, true) };
    },
    inventoryActivate: ({ inventoryItemId, locationId, available }: { inventoryItemId: string; locationId: string; available?: number | null }, ctx: SimContext) => {
      const r = ctx.store.activate(inventoryItemId, locationId, available);
      const item = r.level && ctx.store.inventoryItems.get(r.level.itemId);
      const location = r.level && ctx.store.locations.get(r.level.locationId);
      return { inventoryLevel: item && location ? levelView(ctx, item, location) : null, userErrors: userErrors(r.userErrors, false) };
    },
  };
}
