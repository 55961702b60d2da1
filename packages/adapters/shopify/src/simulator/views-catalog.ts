/**
 * Views of what a real catalog carries beside products and variants: files and media
 * (MediaImage, through the Media and File interfaces), metafields and their definitions,
 * publications and a product's publications, taxonomy categories. Objects returned through an
 * interface carry `__typename`, which graphql-js reads to pick the type.
 */
import type { MetafieldOwner, MetafieldOwnerType, SimFile, SimMetafield, SimMetafieldDefinition, SimProduct, SimPublication } from './model.js';
import { resolveNamespace } from './model.js';
import type { SimContext } from './resolvers.js';
import type { TaxonomyCategoryRecord } from './taxonomy.js';
import { pagedConnection } from './views.js';

/** Where the simulator says its images are served from (a Shopify CDN form; nothing is served there). */
const CDN = 'https://cdn.shopify.com/s/files/1/0000/0001/files/';

function numberOf(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** A file (and product medium): a MediaImage, its status and errors read from the clock now. */
export function fileView(ctx: SimContext, f: SimFile) {
  const state = ctx.store.media.state(f);
  const image = state.status === 'READY' ? { id: `gid://shopify/ImageSource/${numberOf(f.id)}`, url: `${CDN}${encodeURIComponent(f.filename)}?v=${Math.floor(Date.parse(f.processingSince) / 1000)}`, altText: f.alt } : null;
  return {
    __typename: 'MediaImage',
    id: f.id,
    alt: f.alt,
    mediaContentType: 'IMAGE',
    status: state.status,
    fileStatus: state.status,
    mediaErrors: state.errors,
    fileErrors: state.errors,
    createdAt: f.createdAt,
    updatedAt: state.updatedAt,
    preview: { status: state.status, image },
    image,
    mimeType: f.mimeType,
    originalSource: { url: f.source, fileSize: f.size },
  };
}

/** Media of a product or variant, paged: the files of these ids, in order. */
export function mediaConnection(ctx: SimContext, ids: readonly string[], args: { first?: number | null; after?: string | null }) {
  const files = ids.map((id) => ctx.store.media.files.get(id)).filter((f): f is SimFile => !!f);
  return pagedConnection(files, args.first, args.after, (f) => fileView(ctx, f));
}

/** A MetafieldDefinition. */
export function definitionView(d: SimMetafieldDefinition) {
  return { id: d.id, namespace: d.namespace, key: d.key, name: d.name, ownerType: d.ownerType, type: { name: d.type }, capabilities: { uniqueValues: { enabled: d.uniqueValues } } };
}

/** A Metafield; `ownerView` gives its owner (a Product or ProductVariant view). */
export function metafieldView(ctx: SimContext, ownerType: MetafieldOwnerType, m: SimMetafield, ownerView: () => unknown) {
  return {
    id: m.id,
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    ownerType,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    owner: ownerView,
    definition: () => {
      const d = ctx.store.metafields.definition(ownerType, m.namespace, m.key);
      return d ? definitionView(d) : null;
    },
  };
}

/** The `metafield` and `metafields` fields of an owner (HasMetafields). */
export function metafieldFields(ctx: SimContext, ownerType: MetafieldOwnerType, owner: MetafieldOwner, ownerView: () => unknown) {
  const view = (m: SimMetafield) => metafieldView(ctx, ownerType, m, ownerView);
  return {
    metafield: ({ namespace, key }: { namespace?: string | null; key: string }) => {
      const m = owner.metafields.get(`${resolveNamespace(namespace)}.${key}`);
      return m ? view(m) : null;
    },
    metafields: ({ namespace, keys, first, after }: { namespace?: string | null; keys?: string[] | null; first?: number | null; after?: string | null }) => {
      // `keys` are `namespace.key`; the namespace before the last dot, resolved as any namespace.
      const wanted = keys?.map((k) => {
        const dot = k.lastIndexOf('.');
        return `${resolveNamespace(dot > 0 ? k.slice(0, dot) : null)}.${k.slice(dot + 1)}`;
      });
      const ns = namespace === null || namespace === undefined ? undefined : resolveNamespace(namespace);
      const all = [...owner.metafields.values()].filter((m) => (!ns || m.namespace === ns) && (!wanted || wanted.includes(`${m.namespace}.${m.key}`)));
      return pagedConnection(all, first, after, view);
    },
  };
}

/** A Publication, named by its AppCatalog. */
export function publicationView(p: SimPublication) {
  return { id: p.id, catalog: { __typename: 'AppCatalog', id: p.catalogId, title: p.title, status: 'ACTIVE' } };
}

/** A product's `publishedOnPublication` and `resourcePublications` (Publishable). */
export function publishableFields(ctx: SimContext, p: SimProduct, productView: () => unknown) {
  return {
    publishedOnPublication: ({ publicationId }: { publicationId: string }) => ctx.store.publications.isPublished(p, publicationId, ctx.store.now()),
    resourcePublications: ({ onlyPublished, first, after }: { onlyPublished?: boolean | null; first?: number | null; after?: string | null }) => {
      const now = ctx.store.now().getTime();
      const links = p.publications
        .filter((l) => ctx.store.publications.byId.has(l.publicationId) && (onlyPublished === false || Date.parse(l.publishDate) <= now))
        .map((l) => ({ id: l.publicationId, link: l }));
      return pagedConnection(links, first, after, ({ link }) => ({
        publication: publicationView(ctx.store.publications.byId.get(link.publicationId)!),
        publishable: productView,
        isPublished: Date.parse(link.publishDate) <= now,
        publishDate: link.publishDate,
      }));
    },
  };
}

/** A TaxonomyCategory. */
export function categoryView(c: TaxonomyCategoryRecord) {
  return { ...c, isLeaf: c.childrenIds.length === 0, isRoot: c.level === 1, isArchived: false, ancestorIds: [...c.ancestorIds], childrenIds: [...c.childrenIds] };
}
