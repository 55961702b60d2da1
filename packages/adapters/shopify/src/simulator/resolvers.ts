/**
 * The root resolvers of the schema subset (schema/sdl.ts): QueryRoot and Mutation fields, reading
 * and writing the store of the request's context. What they answer with is built in views.ts and
 * views-catalog.ts; the fields of files, metafields, publications and the taxonomy are in
 * resolvers-catalog.ts, those of locales and translations in resolvers-translations.ts.
 */
import { GraphQLError, Kind, valueFromASTUntyped, type GraphQLResolveInfo } from 'graphql';
import type { ApiFeatures } from '../version.js';
import { given, resolveNamespace, type ProductSetArgs, type ProductSetIdentifierArgs, type QuantityArgs, type VariantsBulkArgs } from './model.js';
import { catalogRoot } from './resolvers-catalog.js';
import { translationsRoot } from './resolvers-translations.js';
import { parseSearch, type SearchTerm } from './search.js';
import type { ProductUpdateArgs, SimStore } from './store.js';
import { collectionView, connection, itemView, levelView, locationView, pagedConnection, productView, userErrors, variantView } from './views.js';

/** What every resolver of one request sees: the store, the served version's features, the token's idempotency keys. */
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
    ...catalogRoot(),
    ...translationsRoot(),
    // ——— queries ———
    shop: (_: unknown, ctx: SimContext) => ctx.shop,
    location: ({ id }: { id?: string | null }, ctx: SimContext) => {
      if (id === null || id === undefined) return locationView(ctx, ctx.store.primaryLocation);
      checkId(id, 'id');
      const l = ctx.store.locations.get(id);
      return l ? locationView(ctx, l) : null;
    },
    locations: (
      args: { first?: number | null; after?: string | null; reverse?: boolean | null; sortKey?: 'ID' | 'NAME' | 'RELEVANCE' | null; query?: string | null; includeInactive?: boolean | null },
      ctx: SimContext,
    ) => {
      const terms = search(args.query)!;
      const all = [...ctx.store.locations.values()].filter((l) => (args.includeInactive === true || l.isActive) && matches(terms, { name: l.name, id: l.id.slice(l.id.lastIndexOf('/') + 1) }, new Set(['id'])));
      // NAME (the default) sorts by name; ID and RELEVANCE (no relevance without free text) keep the ids' order.
      if ((args.sortKey ?? 'NAME') === 'NAME') all.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));
      if (args.reverse) all.reverse();
      return pagedConnection(all, args.first, args.after, (l) => locationView(ctx, l));
    },
    product: ({ id }: { id: string }, ctx: SimContext) => {
      checkId(id, 'id');
      const p = ctx.store.products.get(id);
      return p ? productView(ctx, p) : null;
    },
    productVariant: ({ id }: { id: string }, ctx: SimContext) => {
      checkId(id, 'id');
      const v = ctx.store.variants.get(id);
      return v ? variantView(ctx, v) : null;
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
    productSet: ({ identifier, input }: { identifier?: ProductSetIdentifierArgs | null; input: ProductSetArgs }, ctx: SimContext) => {
      if (identifier) {
        // ProductSetIdentifiers is a one-of (@oneOf in Shopify's 2026-01 schema).
        if ([identifier.id, identifier.handle, identifier.customId].filter(given).length !== 1) {
          throw new GraphQLError('Exactly one of id, handle or customId must be given.', { extensions: { code: 'BAD_REQUEST' } });
        }
        if (given(identifier.id)) checkId(identifier.id, 'identifier');
      }
      const r = ctx.store.productSet(input, ctx.maxVariants, identifier);
      return { product: r.product ? productView(ctx, r.product) : null, userErrors: userErrors(r.userErrors, true) };
    },
    productVariantsBulkUpdate: (
      { productId, variants, allowPartialUpdates }: { productId: string; variants: VariantsBulkArgs[]; allowPartialUpdates?: boolean | null },
      ctx: SimContext,
    ) => {
      checkId(productId, 'productId');
      const r = ctx.store.variantsBulkUpdate(productId, variants, allowPartialUpdates === true);
      return {
        product: r.product ? productView(ctx, r.product) : null,
        productVariants: r.variants ? r.variants.map((v) => variantView(ctx, v)) : null,
        userErrors: userErrors(r.userErrors, true),
      };
    },
    productUpdate: ({ product }: { product?: ProductUpdateArgs | null }, ctx: SimContext) => {
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
    inventoryActivate: ({ inventoryItemId, locationId, available }: { inventoryItemId: string; locationId: string; available?: number | null }, ctx: SimContext) => {
      const r = ctx.store.activate(inventoryItemId, locationId, available);
      const item = r.level && ctx.store.inventoryItems.get(r.level.itemId);
      const location = r.level && ctx.store.locations.get(r.level.locationId);
      return { inventoryLevel: item && location ? levelView(ctx, item, location) : null, userErrors: userErrors(r.userErrors, false) };
    },
  };
}
