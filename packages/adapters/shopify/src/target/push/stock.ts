/**
 * Stock, 250 quantities per inventorySetQuantities across products and locations: a variant's
 * first stock at each location (when its productSet did not carry it), and with "overwrite stock"
 * every change of it, location by location. A variant's stock is one number (at the connector's
 * location) or a quantity per warehouse of the host's, placed where the connector maps each one
 * (stock-plan.ts); a warehouse with no location fails the variant, naming it, and none of its
 * stock is written. An inventory item not stocked at a location is stocked there, with its quantity.
 */
import type { ItemError } from '@shopsync/core';
import { inventoryActivateOp, inventorySetQuantitiesOp, type QuantityInput } from '../../documents/inventory.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import { placeStock, stockedAt } from '../stock-plan.js';
import { indexAt, userError, userErrors, type Push } from './context.js';
import type { Entry } from './model.js';

interface Due {
  e: Entry;
  locationId: string;
  quantity: number;
}

export async function writeStock(p: Push): Promise<void> {
  const due: Due[] = [];
  const dueOf = new Map<Entry, number>();
  for (const g of p.groups.values()) {
    if (g.status !== 'ok') continue;
    for (const e of g.entries) {
      const stock = e.data?.stock;
      if (!e.item || e.reverted || stock === undefined || !p.isOpen(e.item)) continue;
      const placed = placeStock(stock, p.env.locationId, p.warehouses);
      if (!placed.ok) {
        p.fail(e.item, placed.errors);
        continue;
      }
      if (e.stockSent || !e.inventoryItemId) continue;
      const before = new Set(e.created ? [] : stockedAt(p.variantState(e.ref), p.env.locationId));
      const prev = e.prev?.stock !== undefined ? placeStock(e.prev.stock, p.env.locationId, p.warehouses) : undefined;
      const prevAt = prev?.ok ? prev.at : new Map<string, number>();
      for (const [locationId, quantity] of placed.at) {
        const changed = e.item.force || prevAt.get(locationId) !== quantity;
        if (!before.has(locationId) || (p.ctx.config.overwriteStock && changed)) {
          due.push({ e, locationId, quantity });
          dueOf.set(e, (dueOf.get(e) ?? 0) + 1);
        }
      }
      // Nothing due (unchanged, or not overwritten): where it was set stays as it was.
      if (!dueOf.has(e)) e.stockAt = [...before];
    }
  }
  if (due.length === 0) return;
  const done = new Map<Entry, Set<string>>();
  const settle = (d: Due) => {
    const at = done.get(d.e) ?? new Set<string>();
    at.add(d.locationId);
    done.set(d.e, at);
  };
  const activate: Due[] = [];
  // inventorySetQuantities is all or nothing: when some quantities of a call are refused, the
  // others were not written either, and go again without them (a few rounds at most).
  let round: Due[] = due;
  for (let attempt = 0; attempt < 3 && round.length; attempt++) {
    const again: Due[] = [];
    const batches: Due[][] = [];
    for (let i = 0; i < round.length; i += MAX_INPUT_ARRAY) batches.push(round.slice(i, i + MAX_INPUT_ARRAY));
    const results = await p.run(
      batches.map((slice) => {
        const quantities: QuantityInput[] = slice.map((d) => ({ inventoryItemId: d.e.inventoryItemId!, locationId: d.locationId, quantity: d.quantity }));
        return inventorySetQuantitiesOp(p.env.features, quantities, p.env.inventoryReason, p.env.newKey());
      }),
    );
    results.forEach((r, i) => {
      const slice = batches[i]!;
      if (r.status === 'unsent' || r.status === 'uncertain') {
        for (const d of slice) p.hold(d.e.item!);
        return;
      }
      if (r.status === 'error') {
        for (const d of slice) p.fail(d.e.item!, r.errors);
        return;
      }
      const byIndex = new Map<number, ItemError[]>();
      const whole: ItemError[] = [];
      const notStocked = new Set<number>();
      for (const u of r.data.userErrors) {
        const index = indexAt(u, 'input', 'quantities');
        if (index === undefined || index >= slice.length) whole.push(userError(u));
        else if (u.code === 'ITEM_NOT_STOCKED_AT_LOCATION') notStocked.add(index);
        else byIndex.set(index, [...(byIndex.get(index) ?? []), userError(u)]);
      }
      const refused = r.data.userErrors.length > 0;
      slice.forEach((d, j) => {
        const errs = [...whole, ...(byIndex.get(j) ?? [])];
        if (errs.length) p.fail(d.e.item!, errs);
        else if (notStocked.has(j)) activate.push(d);
        else if (refused) again.push(d);
        else settle(d);
      });
    });
    round = again.filter((d) => p.isOpen(d.e.item!));
  }
  for (const d of round) p.hold(d.e.item!);
  // Items not stocked at a location yet: stocked there, with their quantity.
  const activated = await p.run(activate.map((a) => inventoryActivateOp(a.e.inventoryItemId!, a.locationId, a.quantity)));
  activated.forEach((r, i) => {
    const d = activate[i]!;
    if (r.status === 'ok') {
      if (r.data.userErrors.length) p.fail(d.e.item!, userErrors(r.data.userErrors, 'The store did not stock the item.'));
      else settle(d);
    } else if (r.status === 'error') p.fail(d.e.item!, r.errors);
    else p.hold(d.e.item!);
  });
  for (const [e, at] of done) {
    const before = e.created ? [] : stockedAt(p.variantState(e.ref), p.env.locationId);
    e.stockAt = [...new Set([...before, ...at])];
    // Every quantity due was written: the state may take the new stock.
    if (at.size === dueOf.get(e)) e.stockSent = true;
  }
}
