/**
 * Finding in the store what a missing mapping points to, before anything is created: a
 * collection by handle or title; a product by the reference shopsync gave it (its custom ID), by
 * handle, and by the SKUs of its variants, the SKUs of many products in one query. A product the
 * merchant made before shopsync is taken over by its SKUs rather than made twice; one made by a
 * push whose answer or state was lost is found by its reference. Look-ups happen only where a
 * mapping is missing, and cost little: Shopify charges what a query returns, 2 points for a
 * query of 50 SKUs that finds nothing (the rest of its requested cost is refunded).
 */
import { productByHandleOp, productByRefOp, variantsBySkuOp } from '../../documents.js';
import { collectionsByOp } from '../../documents/collections.js';
import { pickText } from '../content.js';
import { stateKeys as K } from '../state.js';
import type { Push } from './context.js';
import { holdGroup } from './groups.js';
import type { CategoryWork, Group } from './model.js';

/** SKUs per look-up query at most (Shopify's search syntax joins them with OR). */
const SKUS_PER_LOOKUP = 50;

export async function lookupCollections(p: Push, work: readonly CategoryWork[]): Promise<void> {
  if (work.length === 0) return;
  const results = await p.run(work.map((w) => (w.data.handle ? collectionsByOp({ handle: w.data.handle }) : collectionsByOp({ title: pickText(w.data.title, p.language) ?? '' }))));
  work.forEach((w, i) => {
    const r = results[i]!;
    if (r.status !== 'ok') {
      w.status = 'unresolved';
      if (w.item) p.hold(w.item);
      return;
    }
    const title = pickText(w.data.title, p.language);
    const found = w.data.handle ? r.data.nodes.find((n) => n.handle === w.data.handle) : r.data.nodes.find((n) => n.title === title);
    if (found) w.id = found.id;
    w.needsLookup = false;
  });
}

interface Hit {
  id: string;
  inventoryItemId: string;
  productId: string;
  /** The reference shopsync gave the variant's product, if any. */
  ref: string | undefined;
}

/**
 * Looks products up; a group found takes the store's product id and its variants' ids by SKU.
 * `onMissing`: what becomes of a group the store does not have (it is created, or waits).
 */
export async function lookupProducts(p: Push, groups: readonly Group[], onMissing: (g: Group) => void): Promise<void> {
  if (groups.length === 0) return;
  const skusOf = new Map<Group, string[]>();
  const all: string[] = [];
  for (const g of groups) {
    const list = [...new Set([g.ref, ...g.entries.filter((e) => !e.foreign).map((e) => e.ref), ...g.removed])];
    skusOf.set(g, list);
    for (const s of list) if (!all.includes(s)) all.push(s);
  }
  const handles = [...new Set(groups.map((g) => g.data?.handle).filter((h): h is string => h !== undefined))];
  // By reference where this connector may have made the product (it has a record, written before
  // any productSet is sent) or where only its variants came (they cannot make it: it must be
  // found, after a lost id store too). A product with its data and no record is found by its SKUs,
  // which read the reference of the product each belongs to; should the store have it under other
  // SKUs, its unique reference refuses the twin, and the refusal has it looked up by reference.
  const byRef = p.env.customIds ? groups.filter((g) => !g.data || p.productState(g.ref) !== undefined) : [];
  const skuLists: string[][] = [];
  // A look-up refused as too costly has taught the runner the limit: built smaller once more.
  for (let attempt = 0; attempt < 2; attempt++) {
    skuLists.length = 0;
    const per = p.fits((n) => variantsBySkuOp(all.slice(0, n)), SKUS_PER_LOOKUP);
    for (let i = 0; i < all.length; i += per) skuLists.push(all.slice(i, i + per));
    const [bySku, byHandle, refFound] = await p.runTogether(
      skuLists.map((list) => variantsBySkuOp(list)),
      handles.map((h) => productByHandleOp(h)),
      byRef.map((g) => productByRefOp(g.ref)),
    );
    const tooCostly = bySku.some((r) => r.status === 'error' && r.errors.some((e) => e.code === 'MAX_COST_EXCEEDED'));
    if (tooCostly && attempt === 0) continue;
    const failed = [...bySku, ...byHandle, ...refFound].find((r) => r.status !== 'ok');
    if (failed) {
      for (const g of groups) holdGroup(p, g);
      if (failed.status === 'error') p.generalError({ code: 'invalid_response', message: `Looking products up failed: ${failed.errors.map((e) => e.message).join('; ')}` });
      break;
    }
    const hits = new Map<string, Hit[]>();
    for (const r of bySku) {
      if (r.status !== 'ok') continue;
      for (const n of r.data.nodes) {
        if (n.sku === null) continue;
        hits.set(n.sku, [...(hits.get(n.sku) ?? []), { id: n.id, inventoryItemId: n.inventoryItem.id, productId: n.product.id, ref: n.product.metafield?.value }]);
      }
    }
    const handleOwner = new Map<string, string>();
    handles.forEach((h, i) => {
      const r = byHandle[i]!;
      if (r.status === 'ok' && r.data) handleOwner.set(h, r.data.id);
    });
    groups.forEach((g) => {
      const r = refFound[byRef.indexOf(g)];
      const own = r?.status === 'ok' ? r.data?.id : undefined;
      settle(p, g, skusOf.get(g)!, hits, handleOwner, own, onMissing);
    });
    break;
  }
}

/** Decides which store product, if any, is the group's, from what the look-ups found. */
function settle(p: Push, g: Group, skus: readonly string[], hits: ReadonlyMap<string, Hit[]>, handleOwner: ReadonlyMap<string, string>, own: string | undefined, onMissing: (g: Group) => void): void {
  g.needsLookup = false;
  // Products that share a SKU with this one: its own (the same reference, or none: a product the
  // store had before shopsync, which the SKU makes this one), never another host product's.
  const score = new Map<string, number>();
  for (const s of skus) {
    for (const h of hits.get(s) ?? []) {
      if (h.ref !== undefined && h.ref !== g.ref) continue;
      score.set(h.productId, (score.get(h.productId) ?? 0) + (h.ref === g.ref ? 1_000_000 : s === g.ref ? 1_000 : 1));
    }
  }
  const handle = g.data?.handle;
  let found: string | undefined = own;
  const owner = handle !== undefined ? handleOwner.get(handle) : undefined;
  if (found !== undefined) {
    // Our own reference: the product is ours whatever its handle or SKUs became.
  } else if (owner !== undefined) {
    // The handle's product is ours only if it has one of our SKUs; otherwise saving will say
    // the handle is taken, which is the item's error to show.
    if (score.has(owner)) found = owner;
  } else found = [...score.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!found) {
    // Not in the store: there is nothing of it to read.
    g.verify = false;
    onMissing(g);
    return;
  }
  g.id = found;
  p.state.set(K.id('product', g.ref), found);
  for (const e of g.entries) {
    const hit = (hits.get(e.ref) ?? []).find((h) => h.productId === found);
    if (hit && !e.foreign) {
      e.id = hit.id;
      e.inventoryItemId = hit.inventoryItemId;
    }
  }
}
