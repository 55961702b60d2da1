/**
 * Reading a product's variants back from the store: the pages after the first of a productSet's
 * answer (a product with more than 250 variants), and the whole list where the state may be
 * behind the store, so that a productSet never deletes a variant by mistake.
 */
import type { ProductMediaAnswer, StoreVariant, VariantPage } from '../../answers.js';
import { productVariantsOp } from '../../documents.js';
import { productMediaOp } from '../../documents/media.js';
import type { MediaState } from '../state.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import type { Push } from './context.js';
import { holdGroup, productGone } from './groups.js';
import type { Group } from './model.js';

/**
 * The variants of products after the first page of each (Shopify pages hold at most 250): one
 * query per product and round, packed by the runner under the cost limit. Undefined for a
 * product whose pages could not all be read.
 */
export async function restOfVariants(p: Push, firsts: ReadonlyArray<{ id: string; page: VariantPage }>): Promise<Array<StoreVariant[] | undefined>> {
  const out: Array<StoreVariant[] | undefined> = firsts.map((f) => [...f.page.nodes]);
  const size = p.fits((n) => productVariantsOp('gid://shopify/Product/1', n, 'cursor'), MAX_INPUT_ARRAY);
  let open = firsts.flatMap((f, i) => (f.page.pageInfo?.hasNextPage && f.page.pageInfo.endCursor ? [{ i, id: f.id, cursor: f.page.pageInfo.endCursor }] : []));
  // No product has more pages than this; a store that says otherwise is not believed.
  const maxRounds = Math.ceil(p.env.features.maxVariantsPerProduct / size) + 1;
  for (let round = 0; open.length > 0; round++) {
    if (round >= maxRounds) {
      for (const o of open) out[o.i] = undefined;
      break;
    }
    const results = await p.run(open.map((o) => productVariantsOp(o.id, size, o.cursor)));
    const next: typeof open = [];
    open.forEach((o, k) => {
      const r = results[k]!;
      const product = r.status === 'ok' ? r.data : null;
      if (!product) return void (out[o.i] = undefined);
      out[o.i]?.push(...product.variants.nodes);
      const info = product.variants.pageInfo;
      if (info?.hasNextPage && info.endCursor && product.variants.nodes.length > 0) next.push({ ...o, cursor: info.endCursor });
    });
    open = next.filter((o) => out[o.i] !== undefined);
  }
  return out;
}

/**
 * After a lost or unconfirmed state: the product's variants as the store has them, so that none
 * is deleted by mistake. The host's take the store's ids by SKU (an id the store no longer has
 * is dropped: the variant is made again); the store's default variant is taken as such; any
 * other variant is kept as it is (one the host sent in a push whose answer was lost becomes the
 * host's again when its item comes back), except those the host deletes in this push.
 */
export async function fetchStoreVariants(p: Push, groups: readonly Group[]): Promise<void> {
  if (groups.length === 0) return;
  const page = p.fits((n) => productVariantsOp('gid://shopify/Product/1', n), MAX_INPUT_ARRAY);
  // Products whose images may have been made by a productSet whose answer is unknown: their media too.
  const withMedia = groups.filter((g) => (g.inFlight ?? g.state?.mediaInFlight) !== undefined);
  const [results, media] = await p.runTogether(
    groups.map((g) => productVariantsOp(g.id!, page)),
    withMedia.map((g) => productMediaOp(g.id!)),
  );
  withMedia.forEach((g, i) => {
    const r = media[i]!;
    if (r.status === 'ok' && r.data) matchMedia(g, r.data, p.env.now());
  });
  // A product with more variants than a page: the rest, page by page.
  const firsts: Array<{ index: number; id: string; page: VariantPage }> = [];
  results.forEach((r, index) => {
    if (r.status === 'ok' && r.data?.variants.pageInfo?.hasNextPage) firsts.push({ index, id: groups[index]!.id!, page: r.data.variants });
  });
  const rest = firsts.length ? await restOfVariants(p, firsts) : [];
  const full = new Map<number, StoreVariant[] | undefined>(firsts.map((f, k) => [f.index, rest[k]]));
  groups.forEach((g, i) => {
    const r = results[i]!;
    if (r.status !== 'ok') return holdGroup(p, g);
    // Not there any more: made again.
    if (!r.data) return productGone(p, g);
    let nodes = r.data.variants.nodes;
    if (full.has(i)) {
      const all = full.get(i);
      if (!all) return holdGroup(p, g);
      nodes = all;
    }
    const claimed = new Set<string>();
    for (const e of g.entries) {
      if (e.foreign) continue;
      const n = nodes.find((x) => x.sku === e.ref);
      if (n) {
        e.id = n.id;
        e.inventoryItemId = n.inventoryItem.id;
        claimed.add(n.id);
      } else {
        delete e.id;
        delete e.inventoryItemId;
      }
    }
    // The store's own variants already known: kept while the store has them.
    g.entries = g.entries.filter((e) => {
      if (!e.foreign) return true;
      if (!e.id || claimed.has(e.id) || !nodes.some((n) => n.id === e.id)) return false;
      claimed.add(e.id);
      return true;
    });
    delete g.defaultVariantId;
    for (const n of nodes) {
      if (claimed.has(n.id)) continue;
      if (n.sku !== null && n.sku === g.ref) {
        g.defaultVariantId = n.id;
      } else if (n.sku === null || !g.removed.has(n.sku)) {
        const options: Record<string, string> = {};
        for (const o of n.selectedOptions ?? []) options[o.name] = o.value;
        g.entries.push({ ref: `foreign:${n.id}`, id: n.id, foreign: { ...(n.sku !== null ? { sku: n.sku } : {}), options } });
      }
    }
    g.verify = false;
  });
}

/**
 * The images a productSet whose answer is unknown carried (`inFlight`, in order), matched to the
 * media the store has: when the store lists exactly that many, with the files the productSet
 * named by id at their places, it applied, and each new image takes the id at its place; else
 * it did not, and only the files the store still has are known. Either way no image is uploaded
 * twice.
 */
function matchMedia(g: Group, answer: NonNullable<ProductMediaAnswer>, now: number): void {
  const sent = g.inFlight ?? g.state?.mediaInFlight ?? [];
  const ids = answer.media.nodes.map((n) => n.id);
  const known = g.state?.media ?? [];
  const byIdAt = sent.map((src) => known.find((m) => m.src === src));
  const applied = ids.length === sent.length && byIdAt.every((k, i) => !k || k.id === ids[i]);
  let media: MediaState[];
  if (applied) {
    media = sent.map((src, i) => byIdAt[i] ?? { src, id: ids[i]!, ready: false, uploadedAt: now });
  } else media = known.filter((m) => ids.includes(m.id));
  const { mediaInFlight: _sent, ...rest } = g.state ?? { v: 1 as const, variants: [], foreign: [], collections: {}, archived: false };
  g.state = { ...rest, media };
  delete g.inFlight;
}
