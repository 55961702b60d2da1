/**
 * Prices and barcodes of existing variants, where nothing else of their product changed: one
 * productVariantsBulkUpdate per product carries all its changed variants (250 at most per call),
 * at 10 points whatever their number. A variant the store refuses fails alone; one the store no
 * longer has is forgotten and goes back to the queue, to be made again by a productSet.
 */
import { productVariantsBulkUpdateOp } from '../../documents.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import { stateKeys as K } from '../state.js';
import { indexAt, userError, type Push } from './context.js';
import { groupItems, type Entry, type Group } from './model.js';

export async function writePrices(p: Push): Promise<void> {
  const calls: Array<{ g: Group; entries: Entry[] }> = [];
  for (const g of p.groups.values()) {
    if (g.status !== 'ok' || g.written || !g.id) continue;
    const due = g.entries.filter((e) => e.fields && e.item && p.isOpen(e.item));
    for (let i = 0; i < due.length; i += MAX_INPUT_ARRAY) calls.push({ g, entries: due.slice(i, i + MAX_INPUT_ARRAY) });
  }
  const results = await p.run(calls.map(({ g, entries }) => productVariantsBulkUpdateOp(g.id!, entries.map((e) => e.fields!))));
  results.forEach((r, i) => {
    const { g, entries } = calls[i]!;
    if (r.status === 'unsent' || r.status === 'uncertain') {
      // Not applied, or maybe: the same values go again (the update is idempotent).
      for (const e of entries) p.hold(e.item!);
      return;
    }
    if (r.status === 'error') {
      for (const e of entries) refuse(p, e, r.errors);
      return;
    }
    const errors = r.data.userErrors;
    if (errors.some((u) => u.code === 'PRODUCT_DOES_NOT_EXIST')) {
      // Deleted in the store since: forgotten, and the group's items go back to be made again.
      p.state.set(K.id('product', g.ref), null);
      g.status = 'unresolved';
      for (const item of groupItems(g)) p.hold(item);
      return;
    }
    const whole = errors.filter((u) => indexAt(u, 'variants') === undefined);
    entries.forEach((e, j) => {
      const own = errors.filter((u) => indexAt(u, 'variants') === j);
      if (own.length && own.every((u) => u.code === 'PRODUCT_VARIANT_DOES_NOT_EXIST')) {
        delete e.id;
        delete e.inventoryItemId;
        p.state.set(K.id('variant', e.ref), null);
        p.hold(e.item!);
      } else if (own.length || whole.length) refuse(p, e, [...whole, ...own].map(userError));
    });
  });
}

/** The store refused a variant's new values: it fails, and its state keeps what the store has. */
function refuse(p: Push, e: Entry, errors: Parameters<Push['fail']>[1]): void {
  p.fail(e.item!, errors);
  e.data = e.prev;
  e.reverted = true;
}
