/**
 * The end of a push, whatever happened: the outcomes of products and variants whose group was
 * written (or needed nothing), and the state the next push starts from.
 */
import type { VariantData } from '@shopsync/core';
import { productFingerprint } from '../content.js';
import { placeStock, sameStock, stockedAt } from '../stock-plan.js';
import { stateKeys as K, type ProductState, type VariantState } from '../state.js';
import type { Push } from './context.js';
import { forgetVariant } from './groups.js';

/**
 * The data a variant's state keeps is what the store has: a stock that was not sent in this push
 * (not due, or its write failed or went unanswered) stays as it was, so that the next push of the
 * variant sees the change and sends it when it is due.
 */
function withStockAsStored(data: VariantData, prev: VariantData | undefined, sent: boolean): VariantData {
  if (sent || !prev || sameStock(data.stock, prev.stock)) return data;
  const { stock: _new, ...rest } = data;
  return prev.stock === undefined ? rest : { ...rest, stock: prev.stock };
}

export function finish(p: Push): void {
  for (const g of p.groups.values()) {
    if (g.status !== 'ok') continue;
    const entries = g.entries;
    for (const e of entries) {
      if (e.foreign || !e.data) continue;
      const prior = p.variantState(e.ref);
      // Held (a write of it went unanswered or unsent) and not written whole by a productSet: the
      // store may not have its new values, so its state keeps the old ones, and the next push
      // sends them again rather than believe them sent.
      const held = e.item !== undefined && p.outcome(e.item) === 'held' && !g.written;
      const data = e.reverted || held ? (e.prev ?? e.data) : withStockAsStored(e.data, e.prev, e.stockSent === true);
      const stockAt = e.stockAt ?? (!e.created && prior?.parentRef === g.ref ? stockedAt(prior, p.env.locationId) : []);
      const placed = data.stock === undefined ? undefined : placeStock(data.stock, p.env.locationId, p.warehouses);
      // Its stock is set everywhere it names (a stock that cannot be placed has failed its item).
      const initialized = placed?.ok === true && [...placed.at.keys()].every((l) => stockAt.includes(l));
      const state: VariantState = {
        v: 1,
        parentRef: g.ref,
        data,
        ...(e.inventoryItemId ? { inventoryItemId: e.inventoryItemId } : {}),
        stockInitialized: placed === undefined ? (prior?.stockInitialized ?? false) : initialized,
        ...(stockAt.length ? { stockAt } : {}),
      };
      const metafields = e.metafields ?? (!e.created && prior?.parentRef === g.ref ? prior.metafields : undefined);
      if (metafields) state.metafields = metafields;
      p.state.write(K.variant(e.ref), state);
      if (e.id) p.state.set(K.id('variant', e.ref), e.id);
      if (e.item) {
        const stockDue = e.data.stock !== undefined && !initialized && !e.reverted;
        if (stockDue && p.isOpen(e.item)) p.hold(e.item);
        else p.sync(e.item, e.id);
      }
    }
    for (const ref of g.removed) forgetVariant(p, ref, g.ref);
    for (const d of g.deleteItems) p.sync(d);
    if (g.item) {
      // Its images decide: one Shopify could not process fails it; while some are processing, it waits.
      if (g.mediaErrors) p.fail(g.item, g.mediaErrors);
      else if ((g.media ?? g.state?.media)?.some((m) => !m.ready)) p.wait(g.item, p.env.mediaPace.delayMs);
      else p.sync(g.item, g.id);
    }
    if (g.id && p.state.get(K.awaiting(g.ref)) !== undefined) p.state.set(K.awaiting(g.ref), null);
    const base: ProductState = g.state ?? { v: 1, variants: [], foreign: [], collections: {}, archived: false };
    const next: ProductState = {
      ...base,
      variants: entries.filter((e) => !e.foreign).map((e) => e.ref),
      foreign: entries.filter((e) => e.foreign).map((e) => ({ id: e.id!, ...(e.foreign!.sku !== undefined ? { sku: e.foreign!.sku } : {}), options: e.foreign!.options })),
      collections: g.collections ?? base.collections,
      archived: g.written ? (g.data?.status ?? (base.archived ? 'active' : undefined)) === 'archived' : base.archived,
    };
    if (g.data) next.data = g.data;
    if (g.media) next.media = g.media;
    if (g.mediaSent !== undefined) next.mediaSent = g.mediaSent;
    if (g.metafields) next.metafields = g.metafields;
    if (g.published) next.published = g.published;
    if (g.written) next.fields = productFingerprint(g.data, p.language);
    if (entries.length === 0 && g.defaultVariantId) next.defaultVariantId = g.defaultVariantId;
    else delete next.defaultVariantId;
    // The store answered (or nothing was sent): this record is what it has, no image is on its way.
    delete next.unconfirmed;
    delete next.mediaInFlight;
    p.state.write(K.product(g.ref), next);
  }
}
