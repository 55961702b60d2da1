/**
 * The root fields of a real catalog's extras: files, publications, the taxonomy, metafields
 * (set, delete, definitions) and publishing. resolvers.ts merges them into the root value.
 */
import { GraphQLError } from 'graphql';
import { findFiles, type FilesArgs } from './files-query.js';
import { metafieldsDelete, metafieldsSet, type MetafieldIdentifierArgs, type MetafieldsSetArgs } from './metafield-mutations.js';
import type { DefinitionArgs } from './metafields.js';
import { given, resolveNamespace, type MetafieldOwnerType, type SimProduct } from './model.js';
import type { PublicationArgs } from './publications.js';
import type { SimContext } from './resolvers.js';
import { findCategories } from './taxonomy.js';
import { pagedConnection, productView, userErrors, variantView } from './views.js';
import { categoryView, definitionView, fileView, metafieldView, publicationView } from './views-catalog.js';

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/\d+$/;

/** Refuses (a top-level error, as Shopify's argument coercion does) an ID argument that is not a global id. */
export function checkId(id: string, arg: string): void {
  if (!GID.test(id)) throw new GraphQLError(`Invalid global id '${id}'`, { extensions: { code: 'argumentLiteralsIncompatible', argumentName: arg } });
}

/** publishablePublish or publishableUnpublish: a product, on publications that exist; else userErrors and nothing changes. */
function publishing(publish: boolean) {
  return ({ id, input }: { id: string; input: PublicationArgs[] }, ctx: SimContext) => {
    checkId(id, 'id');
    const product: SimProduct | undefined = ctx.store.products.get(id);
    const errors = ctx.store.publications.apply(product, input, publish, ctx.store.now());
    return { publishable: product && !errors.length ? productView(ctx, product) : null, shop: ctx.shop, userErrors: userErrors(errors, false) };
  };
}

/** The root fields added for real catalogs: files, publications, taxonomy, metafields, publishing. */
export function catalogRoot() {
  return {
    // ——— queries ———
    files: (args: FilesArgs, ctx: SimContext) => pagedConnection(findFiles(ctx.store, args), args.first, args.after, (f) => fileView(ctx, f)),
    publications: ({ first, after }: { first?: number | null; after?: string | null }, ctx: SimContext) => pagedConnection([...ctx.store.publications.byId.values()], first, after, publicationView),
    publication: ({ id }: { id: string }, ctx: SimContext) => {
      checkId(id, 'id');
      const p = ctx.store.publications.byId.get(id);
      return p ? publicationView(p) : null;
    },
    taxonomy: () => ({
      categories: (args: { first?: number | null; after?: string | null; search?: string | null; childrenOf?: string | null; descendantsOf?: string | null; siblingsOf?: string | null }) =>
        pagedConnection(findCategories(args), args.first, args.after, categoryView),
    }),
    metafieldDefinitions: (
      { ownerType, namespace, key, first, after }: { ownerType: MetafieldOwnerType; namespace?: string | null; key?: string | null; first?: number | null; after?: string | null },
      ctx: SimContext,
    ) => {
      const all = [...ctx.store.metafields.definitions.values()].filter(
        (d) => d.ownerType === ownerType && (!given(namespace) || d.namespace === resolveNamespace(namespace)) && (!given(key) || d.key === key),
      );
      return pagedConnection(all, first, after, definitionView);
    },

    // ——— mutations ———
    metafieldDefinitionCreate: ({ definition }: { definition: DefinitionArgs }, ctx: SimContext) => {
      const r = ctx.store.metafields.createDefinition(definition);
      return { createdDefinition: r.definition ? definitionView(r.definition) : null, userErrors: userErrors(r.userErrors, true) };
    },
    metafieldsSet: ({ metafields }: { metafields: MetafieldsSetArgs[] }, ctx: SimContext) => {
      for (const m of metafields) checkId(m.ownerId, 'metafields');
      const r = metafieldsSet(ctx.store, metafields);
      return {
        metafields: r.metafields.map(({ ownerType, owner, metafield }) => {
          const product = ctx.store.products.get(owner.id);
          const variant = ctx.store.variants.get(owner.id);
          return metafieldView(ctx, ownerType, metafield, () => (product ? productView(ctx, product) : variant ? variantView(ctx, variant) : null));
        }),
        userErrors: r.userErrors.map((e) => ({ code: e.code ?? null, field: e.field, message: e.message, elementIndex: e.elementIndex })),
      };
    },
    metafieldsDelete: ({ metafields }: { metafields: MetafieldIdentifierArgs[] }, ctx: SimContext) => {
      for (const m of metafields) checkId(m.ownerId, 'metafields');
      const r = metafieldsDelete(ctx.store, metafields);
      return { deletedMetafields: r.userErrors.length ? null : r.deleted, userErrors: userErrors(r.userErrors, false) };
    },
    publishablePublish: publishing(true),
    publishableUnpublish: publishing(false),
  };
}
