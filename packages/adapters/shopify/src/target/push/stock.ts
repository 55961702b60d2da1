/**
 * Stock at the connector's location, 250 quantities per inventorySetQuantities across products:
 * a variant's first stock (when its productSet did not carry it), and with "overwrite stock" every
 * change of it. An inventory item not stocked at the location is stocked there, with its quantity.
 */
import type { ItemError } from '@shopsync/core';
import { inventoryActivateOp, inventorySetQuantitiesOp, type QuantityInput } from '../../documents/inventory.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import { indexAt, userError, userErrors, type Push } from './context.js';
import type { Entry } from './model.js';

export async function writeStock(p: Push): Promise<void> {
  const due: Array<{ e: Entry; quantity: number }> = [];
  for (const g of p.groups.values()) {
    if (g.status !== 'ok') continue;
    for (const e of g.entries) {
      const stock = e.data?.stock;
      if (!e.item || e.reverted || e.stockInitialized || stock === undefined || !e.inventoryItemId || !p.isOpen(e.item)) continue;
      const initialized = !e.created && (p.variantState(e.ref)?.stockInitialized ?? false);
      const changed = e.item.force || e.prev?.stock !== stock;
      if (!initialized || (p.ctx.config.overwriteStock && changed)) due.push({ e, quantity: stock });
    }
  }
  if (due.length === 0) return;
  const location = p.env.locationId;
  if (!location) {
    for (const d of due) p.fail(d.e.item!, [{ code: 'NO_LOCATION', message: 'The store has no location to keep stock at: set the connector’s location.' }]);
    return;
  }
  const stocked = new Set<Entry>();
  const activate: Array<{ e: Entry; quantity: number }> = [];
  const batches: Array<typeof due> = [];
  for (let i = 0; i < due.length; i += MAX_INPUT_ARRAY) batches.push(due.slice(i, i + MAX_INPUT_ARRAY));
  const results = await p.run(
    batches.map((slice) => {
      const quantities: QuantityInput[] = slice.map((d) => ({ inventoryItemId: d.e.inventoryItemId!, locationId: location, quantity: d.quantity }));
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
    slice.forEach((d, j) => {
      const errs = [...whole, ...(byIndex.get(j) ?? [])];
      if (errs.length) p.fail(d.e.item!, errs);
      else if (notStocked.has(j)) activate.push(d);
      else stocked.add(d.e);
    });
  });
  // Items not stocked at the connector's location yet: stocked there, with their quantity.
  const activated = await p.run(activate.map((a) => inventoryActivateOp(a.e.inventoryItemId!, location, a.quantity)));
  activated.forEach((r, i) => {
    const { e } = activate[i]!;
    if (r.status === 'ok') {
      if (r.data.userErrors.length) p.fail(e.item!, userErrors(r.data.userErrors, 'The store did not stock the item.'));
      else stocked.add(e);
    } else if (r.status === 'error') p.fail(e.item!, r.errors);
    else p.hold(e.item!);
  });
  for (const e of stocked) e.stockInitialized = e.stockSent = true;
}
