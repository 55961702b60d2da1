/**
 * One productSet per product group that needs one, in rounds: look up what a missing mapping may
 * point to, read the store's variants where the state may be behind, then send. A new product is
 * created whole: its variants, their stock at the connector's location and its collections, in
 * one mutation. Refusals of single variants send the product again without them; a lost answer
 * is looked up before anything is sent again, so no twin is made.
 */
import type { ItemError } from '@shopsync/core';
import type { ProductSetAnswer, UserErrorAnswer, VariantPage } from '../../answers.js';
import { productSetOp, REF_METAFIELD, type Op } from '../../documents.js';
import { productSetPlan, type VariantSlot } from '../content.js';
import { placeStock } from '../stock-plan.js';
import { filesInput, mediaFingerprint, variantFileInput } from '../media-plan.js';
import { stateKeys as K, type MediaState, type ProductState } from '../state.js';
import { writtenMetafields } from './metafields.js';
import { indexAt, MAX_ROUNDS, UNSURE, userError, type Push } from './context.js';
import { failGroup, holdGroup, productGone } from './groups.js';
import { lookupProducts } from './lookup.js';
import { groupItems, type Group } from './model.js';
import type { OpOutcome } from '../runner.js';
import { fetchStoreVariants, restOfVariants } from './store-variants.js';

export async function writeProducts(p: Push): Promise<void> {
  const groups = [...p.groups.values()];
  for (const g of groups) if (!g.needsSet) g.status = 'ok';
  for (let round = 0; round < MAX_ROUNDS && groups.some((g) => g.status === 'pending'); round++) {
    await lookupProducts(
      p,
      groups.filter((g) => g.status === 'pending' && g.needsLookup),
      (g) => {
        // Without the product's data (never synchronized), its variants cannot make it.
        if (!g.item && !g.data) awaitProduct(p, g);
      },
    );
    await fetchStoreVariants(p, groups.filter((g) => g.status === 'pending' && !g.needsLookup && g.id !== undefined && g.verify));
    for (const wave of [1, 2] as const) {
      const ready = groups.filter((g) => g.status === 'pending' && !g.needsLookup && g.wave === wave);
      const ops: Array<Op<ProductSetAnswer>> = [];
      const sent: Array<{ g: Group; stocked: Map<string, string[]> }> = [];
      for (const g of ready) {
        const max = p.env.features.maxProductSetVariants;
        if (g.entries.length > max) {
          failGroup(p, g, [{ code: 'VARIANTS_OVER_LIMIT', message: `Product ${g.ref} has ${g.entries.length} variants; Shopify API ${p.env.features.version} takes at most ${max} per product.` }]);
          continue;
        }
        const built = build(p, g);
        ops.push(built.op);
        sent.push({ g, stocked: built.stocked });
      }
      // Saved before the store may apply them: a push that dies before its state is saved
      // leaves these products marked, and the next one looks them up or reads their variants.
      for (const { g } of sent) {
        markUnconfirmed(p, g);
        // Its upsert is on its way: its variants wait for it again, whatever the store said last time.
        if (g.item) p.state.set(K.awaiting(g.ref), null);
      }
      if (sent.length) await p.state.flush();
      const results = await p.run(ops);
      const incomplete = await readVariantPages(p, results);
      sent.forEach(({ g, stocked }, i) => afterProductSet(p, g, results[i]!, stocked, incomplete.has(i)));
    }
  }
  for (const g of groups) {
    if (g.status !== 'pending') continue;
    if (g.lost) {
      g.status = 'unresolved';
      p.giveUp(g.lost, groupItems(g));
    } else failGroup(p, g, [{ message: `Product ${g.ref} could not be saved in ${MAX_ROUNDS} attempts. It is sent again with its next change, or when failed items are retried.` }]);
  }
}

/**
 * The productSet of a group. A new product carries its reference (custom ID), its collections
 * that exist and its new variants' stock; the answer reads back the ids of variants that have
 * none yet (2 points each, so none when all are known).
 */
function build(p: Push, g: Group): { op: Op<ProductSetAnswer>; stocked: Map<string, string[]> } {
  const creating = g.id === undefined;
  const stocked = new Map<string, string[]>();
  const known = g.media ?? g.state?.media ?? [];
  const images = g.sendFiles ? g.images : undefined;
  const slots = g.entries.map((e): VariantSlot => {
    // A new variant's stock goes with it, unless some of it cannot be placed (the stock phase says why).
    const placed = !e.id && !e.foreign && e.data?.stock !== undefined ? placeStock(e.data.stock, p.env.locationId, p.warehouses) : undefined;
    const stock = placed?.ok && placed.at.size ? placed.at : undefined;
    if (stock) stocked.set(e.ref, [...stock.keys()]);
    const slot: VariantSlot = { ref: e.ref, id: e.id, data: e.data, storeOptions: e.foreign?.options, initialStock: stock };
    const image = e.data?.image;
    // A variant's image goes when the variant is new, its image changed, or its file is uploaded by this productSet.
    const uploaded = image !== undefined && images !== undefined && !known.some((m) => m.src === images.find((i) => i.url === image)?.src);
    if (image !== undefined && g.images && (!e.id || e.prev?.image !== image || uploaded)) slot.file = variantFileInput(image, g.images, known);
    if (!e.id && !e.foreign) slot.metafields = e.data?.metafields;
    return slot;
  });
  if (images) g.inFlight = images.map((i) => i.src);
  const collections: Record<string, string> = {};
  if (creating) {
    for (const cat of g.data?.categoryRefs ?? []) {
      const id = p.state.get(K.id('category', cat));
      if (id) collections[cat] = id;
    }
    g.joinedAtCreation = collections;
  }
  const plan = productSetPlan({
    ref: g.ref,
    id: g.id,
    data: g.data,
    reactivate: g.state?.archived === true,
    variants: slots,
    defaultVariantId: g.defaultVariantId,
    language: p.language,
    refMetafield: p.env.customIds ? REF_METAFIELD : undefined,
    collections: Object.values(collections),
    files: images && filesInput(images, known),
  });
  // Up to the last variant without ids (new ones are listed after the known ones), or the default one.
  let read = 0;
  g.entries.forEach((e, i) => {
    if (!e.foreign && (!e.id || !e.inventoryItemId)) read = i + 1;
  });
  if (g.entries.length === 0 && !g.defaultVariantId) read = 1;
  return { op: productSetOp(p.env.features, { id: g.id, input: plan.input, readVariants: read, readMedia: images?.length ?? 0 }), stocked };
}

/** Before a productSet is sent: its record says the store may be ahead, and which images are on their way. */
function markUnconfirmed(p: Push, g: Group): void {
  const s: ProductState = p.productState(g.ref) ?? { v: 1, variants: [], foreign: [], collections: {}, archived: false };
  const inFlight = g.inFlight;
  if (s.unconfirmed && (inFlight === undefined || JSON.stringify(inFlight) === JSON.stringify(s.mediaInFlight))) return;
  p.state.write(K.product(g.ref), { ...s, unconfirmed: true, ...(inFlight ? { mediaInFlight: inFlight } : {}) });
}

/** A creation whose answer was lost may have joined the collections it named: recorded as unsure (see UNSURE). */
function maybeJoined(p: Push, g: Group): void {
  const joined = Object.entries(g.joinedAtCreation ?? {});
  if (joined.length === 0) return;
  const s: ProductState = p.productState(g.ref) ?? { v: 1, variants: [], foreign: [], collections: {}, archived: false };
  const collections = { ...s.collections };
  for (const [cat, coll] of joined) if (collections[cat] !== coll) collections[cat] = UNSURE + coll;
  const next = { ...s, collections };
  p.state.write(K.product(g.ref), next);
  g.state = next;
}

/** A product the store does not have refused its upsert: its variants need not wait for it. */
function refused(p: Push, g: Group): void {
  if (!g.item || g.id) return;
  const since = p.awaitingState(g.ref)?.since ?? p.env.now();
  p.state.write(K.awaiting(g.ref), { v: 1, since, refused: true });
}

/**
 * Variants of a product the store does not have (and whose data was never received). The
 * product may be on its way (after a crash, items come back in any order: a product leased by a
 * dead process returns when its lease expires, while its variants go on), so its variants go
 * back to the queue and wait for it, from the first time one waited, for `productWaitMs`; then
 * they fail, as they do at once when the store refused the product. Deletions are done: there
 * is nothing to delete.
 */
export function awaitProduct(p: Push, g: Group): void {
  g.status = 'failed';
  for (const d of g.deleteItems) p.sync(d);
  const waiting = g.variantItems.filter((i) => p.isOpen(i));
  if (waiting.length === 0) return;
  const now = p.env.now();
  const record = p.awaitingState(g.ref);
  let since = record?.since;
  if (since === undefined || since > now) {
    since = now;
    p.state.write(K.awaiting(g.ref), { v: 1, since, refused: record?.refused ?? false });
  }
  if (!record?.refused && now - since < p.env.productWaitMs) {
    g.status = 'unresolved';
    for (const i of waiting) p.hold(i);
    return;
  }
  const why = record?.refused ? ' (the store refused it)' : '';
  for (const i of waiting) p.fail(i, [{ code: 'PRODUCT_NOT_FOUND', message: `Product ${g.ref} is not in the store${why}: synchronize the product before its variants.` }]);
}

/**
 * A productSet answer holds the first page of the product's variants; a product with more has
 * the rest read here, page by page, into its answer. The indexes of answers whose pages could
 * not all be read are returned: the store has those products as sent, their ids are unknown.
 */
async function readVariantPages(p: Push, results: Array<OpOutcome<ProductSetAnswer>>): Promise<Set<number>> {
  const firsts: Array<{ index: number; id: string; page: VariantPage }> = [];
  results.forEach((r, index) => {
    const product = r.status === 'ok' ? r.data.product : null;
    if (product?.variants?.pageInfo?.hasNextPage) firsts.push({ index, id: product.id, page: product.variants });
  });
  const incomplete = new Set<number>();
  if (firsts.length === 0) return incomplete;
  const all = await restOfVariants(p, firsts);
  firsts.forEach((f, k) => {
    const nodes = all[k];
    const r = results[f.index]!;
    if (!nodes || r.status !== 'ok' || !r.data.product) return void incomplete.add(f.index);
    r.data.product.variants = { nodes, pageInfo: { hasNextPage: false, endCursor: null } };
  });
  return incomplete;
}

function afterProductSet(p: Push, g: Group, r: OpOutcome<ProductSetAnswer>, stocked: ReadonlyMap<string, string[]>, incomplete: boolean): void {
  delete g.lost;
  if (r.status === 'uncertain') {
    // Maybe created: found before it is sent again, so that no twin is made; and maybe in the
    // collections its creation named, which its record says, so that the host's categories
    // decide whether it stays in them.
    g.lost = r.error;
    g.needsLookup = true;
    if (g.id === undefined) maybeJoined(p, g);
    // It may have made files: the product's media are read and matched before it is sent again.
    if (g.inFlight) g.verify = true;
    return;
  }
  if (r.status === 'unsent') return holdGroup(p, g);
  if (r.status === 'error') {
    refused(p, g);
    return failGroup(p, g, r.errors);
  }
  const { product, userErrors } = r.data;
  if (userErrors.length === 0 && product) return saved(p, g, product, stocked, incomplete);
  if (g.entries.length === 0 && g.defaultVariantId && userErrors.length && userErrors.every((u) => u.code === 'PRODUCT_VARIANT_DOES_NOT_EXIST')) {
    // The default variant the state knew is gone from the store: the product gets one anew.
    delete g.defaultVariantId;
    return;
  }
  if (!g.id && p.env.customIds && userErrors.length && userErrors.every((u) => indexAt(u, 'input', 'metafields') === 0)) {
    // The store has a product with this reference already (made by a push whose state was lost):
    // found by it, and its variants read, before the list is sent to it.
    g.needsLookup = true;
    g.verify = true;
    return;
  }
  const staleCollections = userErrors.filter((u) => indexAt(u, 'input', 'collections') !== undefined);
  if (!g.id && staleCollections.length && staleCollections.length === userErrors.length) {
    // Collections deleted in the store since: forgotten (their categories make them again from
    // the data kept), and the product made without them; it goes again to join them.
    const sentIds = Object.entries(g.joinedAtCreation ?? {});
    for (const u of staleCollections) {
      const [cat] = sentIds[indexAt(u, 'input', 'collections')!] ?? [];
      if (cat !== undefined) p.state.set(K.id('category', cat), null);
    }
    if (g.item) p.hold(g.item);
    return;
  }
  const productErrors: ItemError[] = [];
  const byVariant = new Map<number, ItemError[]>();
  for (const u of userErrors) {
    const index = indexAt(u, 'input', 'variants');
    if (index !== undefined && index < g.entries.length) byVariant.set(index, [...(byVariant.get(index) ?? []), explained(p, g, u)]);
    else productErrors.push(explained(p, g, u));
  }
  if (!product && userErrors.length === 0) productErrors.push({ message: 'The store did not save the product and gave no reason.' });
  if (g.id && productErrors.length && productErrors.every((e) => e.code === 'PRODUCT_DOES_NOT_EXIST')) {
    // Deleted in the store since: made again, with new variants; found again under another id,
    // its variants are read from the store first.
    productGone(p, g);
    g.verify = true;
    return;
  }
  if (productErrors.length) {
    for (const [i, errs] of byVariant) {
      const item = g.entries[i]?.item;
      if (item) p.fail(item, errs);
    }
    refused(p, g);
    return failGroup(p, g, productErrors);
  }
  // Errors of single variants: send the product again without the new variants that were
  // refused, and with the previous data of existing ones (leaving one out would delete it).
  const drop = new Set<number>();
  for (const [i, errs] of byVariant) {
    const e = g.entries[i]!;
    if (e.id && errs.every((x) => x.code === 'PRODUCT_VARIANT_DOES_NOT_EXIST')) {
      // Deleted in the store since: made again (or, for one the host never sent, let go).
      if (e.foreign) drop.add(i);
      delete e.id;
      delete e.inventoryItemId;
    } else if (e.item && !e.id) {
      p.fail(e.item, errs);
      drop.add(i);
    } else if (e.item && e.prev && !e.reverted) {
      p.fail(e.item, errs);
      e.data = e.prev;
      e.reverted = true;
    } else {
      return failGroup(p, g, errs.map((x) => ({ ...x, message: `Variant ${e.foreign?.sku ?? e.ref}: ${x.message}` })));
    }
  }
  g.entries = g.entries.filter((_, i) => !drop.has(i));
}

/** The store saved the product as sent: its ids are taken from the answer. */
function saved(p: Push, g: Group, product: NonNullable<ProductSetAnswer['product']>, stocked: ReadonlyMap<string, string[]>, incomplete: boolean): void {
  g.created = g.id === undefined;
  g.id = product.id;
  g.written = true;
  p.state.set(K.id('product', g.ref), g.id);
  const nodes = product.variants?.nodes ?? [];
  const bySku = new Map<string, { id: string; inventoryItemId: string }>();
  for (const n of nodes) if (n.sku !== null) bySku.set(n.sku, { id: n.id, inventoryItemId: n.inventoryItem.id });
  for (const e of g.entries) {
    if (e.foreign) continue;
    const at = stocked.get(e.ref);
    if (at) {
      e.stockAt = at;
      e.stockSent = true;
    }
    const hit = bySku.get(e.ref);
    if (!hit) continue;
    e.created = e.id !== hit.id;
    e.id = hit.id;
    e.inventoryItemId = hit.inventoryItemId;
  }
  if (g.entries.length === 0) {
    const d = bySku.get(g.ref) ?? (nodes[0] ? { id: nodes[0].id } : undefined);
    if (d) g.defaultVariantId = d.id;
  }
  if (!g.created) delete g.joinedAtCreation;
  if (g.created && g.data?.metafields) g.metafields = writtenMetafields(g.data.metafields);
  for (const e of g.entries) if (e.created && e.data?.metafields) e.metafields = writtenMetafields(e.data.metafields);
  if (g.sendFiles && g.images) savedMedia(p, g, product.media?.nodes);
  // Saved, but not all its variants' ids could be read: its record stays unconfirmed, and
  // the next push reads them from the store before it sends the list again.
  if (incomplete) return holdGroup(p, g);
  g.status = 'ok';
}

/**
 * The product's media after a productSet that carried its images: the store lists them in the
 * order sent, so each image takes the id at its place. Images it already had keep their state;
 * new ones are processing until a check says otherwise.
 */
function savedMedia(p: Push, g: Group, nodes: ReadonlyArray<{ id: string }> | undefined): void {
  const images = g.images!;
  delete g.inFlight;
  if (!nodes || nodes.length !== images.length) {
    // Not the list sent (a merchant's edit in between?): read again, and matched, next time.
    p.ctx.log('warn', `Product ${g.ref}: the store answered with ${nodes?.length ?? 0} images for the ${images.length} sent; they are read again at its next change.`);
    return;
  }
  const known = g.media ?? g.state?.media ?? [];
  const now = p.env.now();
  g.media = images.map((img, i): MediaState => {
    const id = nodes[i]!.id;
    const k = known.find((m) => m.src === img.src && m.id === id);
    const alt = img.alt !== undefined ? { alt: img.alt } : {};
    return k ? { src: img.src, id, ...alt, ready: k.ready, ...(k.uploadedAt !== undefined ? { uploadedAt: k.uploadedAt } : {}) } : { src: img.src, id, ...alt, ready: false, uploadedAt: now };
  });
  g.mediaSent = mediaFingerprint(images);
}

/**
 * A refusal of the store, saying which image or metafield it is about when its path names one
 * (`['input', 'files', 1, …]` is the product's second image; `['input', 'metafields', 2, …]` one
 * of the metafields a new product carries after its reference).
 */
function explained(p: Push, g: Group, u: UserErrorAnswer): ItemError {
  const e = userError(u);
  const image = indexAt(u, 'input', 'files');
  const metafield = indexAt(u, 'input', 'metafields');
  const v = indexAt(u, 'input', 'variants');
  const entry = v !== undefined ? g.entries[v] : undefined;
  const vm = v !== undefined ? indexAt(u, 'input', 'variants', String(v), 'metafields') : undefined;
  let what: string | undefined;
  if (image !== undefined && g.images?.[image]) what = `Image ${image + 1} (${g.images[image].url})`;
  else if (metafield !== undefined) {
    const m = metafield - (p.env.customIds ? 1 : 0);
    const mf = g.data?.metafields?.[m];
    if (mf) what = `Metafield ${mf.namespace}.${mf.key} (${mf.type})`;
  } else if (entry && vm !== undefined && entry.data?.metafields?.[vm]) {
    const mf = entry.data.metafields[vm];
    what = `Variant ${entry.ref}, metafield ${mf.namespace}.${mf.key} (${mf.type})`;
  } else if (entry?.data?.image !== undefined && u.field?.[3] === 'file') what = `Variant ${entry.ref}, image (${entry.data.image})`;
  if (what) e.message = `${what}: ${e.message}`;
  return e;
}
