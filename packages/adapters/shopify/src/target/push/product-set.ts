/**
 * One productSet per product group that needs one, in rounds: look up what a missing mapping may
 * point to, read the store's variants where the state may be behind, then send. A new product is
 * created whole: its variants, their stock at the connector's location and its collections, in
 * one mutation. Refusals of single variants send the product again without them; a lost answer
 * is looked up before anything is sent again, so no twin is made.
 */
import type { ItemError } from '@shopsync/core';
import type { ProductSetAnswer, VariantPage } from '../../answers.js';
import { productSetOp, REF_METAFIELD, type Op } from '../../documents.js';
import { productSetPlan, type VariantSlot } from '../content.js';
import { stateKeys as K, type ProductState } from '../state.js';
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
      const sent: Array<{ g: Group; stocked: Set<string> }> = [];
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
        markUnconfirmed(p, g.ref);
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
function build(p: Push, g: Group): { op: Op<ProductSetAnswer>; stocked: Set<string> } {
  const creating = g.id === undefined;
  const location = p.env.locationId;
  const stocked = new Set<string>();
  const slots = g.entries.map((e): VariantSlot => {
    const stock = !e.id && !e.foreign && location ? e.data?.stock : undefined;
    if (stock !== undefined) stocked.add(e.ref);
    return { ref: e.ref, id: e.id, data: e.data, storeOptions: e.foreign?.options, initialStock: stock };
  });
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
    locationId: location,
  });
  // Up to the last variant without ids (new ones are listed after the known ones), or the default one.
  let read = 0;
  g.entries.forEach((e, i) => {
    if (!e.foreign && (!e.id || !e.inventoryItemId)) read = i + 1;
  });
  if (g.entries.length === 0 && !g.defaultVariantId) read = 1;
  return { op: productSetOp(p.env.features, { id: g.id, input: plan.input, readVariants: read }), stocked };
}

function markUnconfirmed(p: Push, ref: string): void {
  const s: ProductState = p.productState(ref) ?? { v: 1, variants: [], foreign: [], collections: {}, archived: false };
  if (!s.unconfirmed) p.state.write(K.product(ref), { ...s, unconfirmed: true });
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

function afterProductSet(p: Push, g: Group, r: OpOutcome<ProductSetAnswer>, stocked: ReadonlySet<string>, incomplete: boolean): void {
  delete g.lost;
  if (r.status === 'uncertain') {
    // Maybe created: found before it is sent again, so that no twin is made; and maybe in the
    // collections its creation named, which its record says, so that the host's categories
    // decide whether it stays in them.
    g.lost = r.error;
    g.needsLookup = true;
    if (g.id === undefined) maybeJoined(p, g);
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
  if (!g.id && p.env.customIds && userErrors.length && userErrors.every((u) => indexAt(u, 'input', 'metafields') !== undefined)) {
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
    if (index !== undefined && index < g.entries.length) byVariant.set(index, [...(byVariant.get(index) ?? []), userError(u)]);
    else productErrors.push(userError(u));
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
function saved(p: Push, g: Group, product: NonNullable<ProductSetAnswer['product']>, stocked: ReadonlySet<string>, incomplete: boolean): void {
  g.created = g.id === undefined;
  g.id = product.id;
  g.written = true;
  p.state.set(K.id('product', g.ref), g.id);
  const nodes = product.variants?.nodes ?? [];
  const bySku = new Map<string, { id: string; inventoryItemId: string }>();
  for (const n of nodes) if (n.sku !== null) bySku.set(n.sku, { id: n.id, inventoryItemId: n.inventoryItem.id });
  for (const e of g.entries) {
    if (e.foreign) continue;
    if (stocked.has(e.ref)) e.stockInitialized = e.stockSent = true;
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
  // Saved, but not all its variants' ids could be read: its record stays unconfirmed, and
  // the next push reads them from the store before it sends the list again.
  if (incomplete) return holdGroup(p, g);
  g.status = 'ok';
}
