/**
 * The batch's products and variants as product groups: each product with the variant list a
 * productSet would send (the variants the store has of it, the batch's new ones, and those the
 * store has that the host never sent), and what it needs, at Shopify's cheapest price for it:
 * - a productSet when the product is new, its own fields (SEO and category included), option
 *   names or image list changed, its variant list changed (a variant added, removed or changed
 *   beyond price, barcode, stock and metafields), or the state must be confirmed against the store;
 * - otherwise nothing for the product itself (its categories go through collection membership,
 *   its metafields through metafieldsSet), `productVariantsBulkUpdate` for changed prices and
 *   barcodes, and `inventorySetQuantities` for stock.
 */
import { type ItemError, type TargetItem, type VariantData } from '@shopsync/core';
import { canonicalJson } from '@shopsync/core/internal';
import type { VariantFieldsInput } from '../../documents.js';
import { productFingerprint } from '../content.js';
import { mediaFingerprint, plannedImages } from '../media-plan.js';
import { stateKeys as K } from '../state.js';
import type { Push } from './context.js';
import { groupItems, newGroup, type Entry, type Group } from './model.js';

/** Variant fields productVariantsBulkUpdate carries; a change of any other field needs a productSet. */
const BULK_FIELDS = ['price', 'compareAtPrice', 'barcode'] as const;

export function groupOf(p: Push, ref: string): Group {
  let g = p.groups.get(ref);
  if (!g) {
    g = newGroup(ref, p.productState(ref), p.state.get(K.id('product', ref)));
    p.groups.set(ref, g);
  }
  return g;
}

/** Every item of the group fails with these errors. */
export function failGroup(p: Push, g: Group, errors: readonly ItemError[]): void {
  g.status = 'failed';
  for (const item of groupItems(g)) p.fail(item, errors);
}

/** The group's items go back to the queue (no outcome). */
export function holdGroup(p: Push, g: Group): void {
  g.status = 'unresolved';
  for (const item of groupItems(g)) p.hold(item);
}

/**
 * The store no longer has the product (deleted in the admin): its mapping and its variants' ids
 * are forgotten, the store's own variants let go, and it is looked up, then made again.
 */
export function productGone(p: Push, g: Group): void {
  delete g.id;
  delete g.defaultVariantId;
  p.state.set(K.id('product', g.ref), null);
  g.entries = g.entries.filter((e) => !e.foreign);
  for (const e of g.entries) {
    delete e.id;
    delete e.inventoryItemId;
  }
  g.needsLookup = true;
}

/** Forgets a variant's mapping and record, if it still belongs to `parent`. */
export function forgetVariant(p: Push, ref: string, parent: string): void {
  if (p.variantState(ref)?.parentRef !== parent) return;
  p.state.set(K.id('variant', ref), null);
  p.state.set(K.variant(ref), null);
}

export function buildGroups(p: Push): void {
  const archived = new Set(p.active('delete', 'product').map((i) => i.ref));
  for (const item of p.active('upsert', 'product')) {
    if (item.change.entity !== 'product' || item.change.op !== 'upsert') continue;
    const g = groupOf(p, item.ref);
    g.item = item;
    g.data = item.change.data;
  }
  for (const item of p.active('upsert', 'variant')) {
    if (item.change.entity !== 'variant' || item.change.op !== 'upsert') continue;
    const g = groupOf(p, item.change.parentRef);
    g.variantItems.push(item);
    const old = p.variantState(item.ref)?.parentRef;
    if (old !== undefined && old !== item.change.parentRef) {
      const from = groupOf(p, old);
      from.removed.add(item.ref);
      from.wave = 1;
    }
  }
  for (const item of p.active('delete', 'variant')) {
    const parent = ('parentRef' in item.change ? item.change.parentRef : undefined) ?? p.variantState(item.ref)?.parentRef;
    if (parent === undefined) {
      p.sync(item); // never sent to the store: nothing to delete
      continue;
    }
    if (archived.has(parent)) {
      // The product is archived in this batch: its variants go with it.
      p.sync(item);
      forgetVariant(p, item.ref, parent);
      const s = p.productState(parent);
      if (s) p.state.write(K.product(parent), { ...s, variants: s.variants.filter((v) => v !== item.ref) });
      continue;
    }
    const g = groupOf(p, parent);
    g.deleteItems.push(item);
    g.removed.add(item.ref);
  }
  for (const g of p.groups.values()) {
    if (!g.data && g.state?.data) g.data = g.state.data;
    entriesOf(p, g);
    // A product without a mapping may be in the store all the same (made by the merchant, or by a
    // push whose answer or state was lost): looked up before it is created, many in one query.
    if (!g.id) g.needsLookup = true;
    g.verify = !g.state || g.state.unconfirmed === true;
    const images = plannedImages(g.data, g.entries.map((e) => e.data), p.language);
    if (images) {
      g.images = images;
      g.sendFiles = !g.id || mediaFingerprint(images) !== g.state?.mediaSent;
    }
    g.needsSet = needsSet(p, g);
    if (!g.needsSet) for (const e of g.entries) if (e.item && e.prev && e.data) e.fields = bulkFields(e, e.prev, e.data);
  }
}

/** The variant list a productSet sends: the known ones (minus those leaving), then the new ones, then the store's own. */
function entriesOf(p: Push, g: Group): void {
  const batch = new Map<string, TargetItem>();
  for (const v of g.variantItems) batch.set(v.ref, v);
  const refs = (g.state?.variants ?? []).filter((r) => !g.removed.has(r));
  for (const v of g.variantItems) if (!refs.includes(v.ref)) refs.push(v.ref);
  // The store's variants the host never sent, but not one the host now deletes by its SKU.
  const foreign = (g.state?.foreign ?? []).filter((f) => f.sku === undefined || !g.removed.has(f.sku));
  for (const ref of refs) {
    const item = batch.get(ref);
    const state = p.variantState(ref);
    const own = state?.parentRef === g.ref ? state : undefined;
    const e: Entry = { ref };
    if (item && item.change.entity === 'variant' && item.change.op === 'upsert') {
      e.item = item;
      e.data = item.change.data;
    } else if (own) e.data = own.data;
    if (own) {
      e.prev = own.data;
      const id = p.state.get(K.id('variant', ref));
      if (id) e.id = id;
      if (own.inventoryItemId) e.inventoryItemId = own.inventoryItemId;
    }
    const twin = foreign.findIndex((f) => f.sku === ref);
    if (twin >= 0) {
      e.id ??= foreign[twin]!.id;
      foreign.splice(twin, 1);
    }
    if (e.data) g.entries.push(e);
  }
  for (const f of foreign) g.entries.push({ ref: `foreign:${f.id}`, id: f.id, foreign: { ...(f.sku !== undefined ? { sku: f.sku } : {}), options: f.options } });
  if (g.state?.defaultVariantId) g.defaultVariantId = g.state.defaultVariantId;
}

/** The fields of a variant whose values differ between two versions of its data. */
function changedFields(a: VariantData, b: VariantData): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof VariantData>;
  return [...keys].filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null));
}

function needsSet(p: Push, g: Group): boolean {
  if (!g.id || g.verify || g.removed.size > 0 || g.state?.archived === true || g.sendFiles === true) return true;
  if (g.item && (g.item.force || g.state?.fields !== productFingerprint(g.data, p.language))) return true;
  if (g.entries.length === 0 && !g.defaultVariantId) return true;
  return g.entries.some((e) => {
    if (!e.item) return false;
    if (e.item.force || !e.id || !e.inventoryItemId || !e.prev || !e.data) return true;
    // Stock, prices and barcodes have cheaper writes; metafields of an existing variant go through metafieldsSet.
    return changedFields(e.prev, e.data).some((f) => f !== 'stock' && f !== 'metafields' && !(BULK_FIELDS as readonly string[]).includes(f));
  });
}

/** What productVariantsBulkUpdate must send for a variant (null clears a field the host dropped); undefined when nothing. */
function bulkFields(e: Entry, prev: VariantData, data: VariantData): VariantFieldsInput | undefined {
  const changed = changedFields(prev, data);
  if (!BULK_FIELDS.some((f) => changed.includes(f))) return undefined;
  const out: VariantFieldsInput = { id: e.id! };
  if (changed.includes('price')) out.price = data.price;
  if (changed.includes('compareAtPrice')) out.compareAtPrice = data.compareAtPrice ?? null;
  if (changed.includes('barcode')) out.barcode = data.barcode ?? null;
  return out;
}
