/**
 * Deletions, after every upsert: a deleted product is archived (orders and analytics keep it) and
 * unpublished from the sales channels shopsync published it to, a deleted category's collection
 * is removed. Something the store does not have is already gone.
 * (Variant deletions leave their product's list in its productSet; "disable deletions" skips
 * them all before anything is sent.)
 */
import { productArchiveOp } from '../../documents.js';
import { collectionDeleteOp } from '../../documents/collections.js';
import { unpublishOp } from '../../documents/publications.js';
import { stateKeys as K } from '../state.js';
import { NOT_FOUND, userErrors, type Push } from './context.js';
import { lookupCollections, lookupProducts } from './lookup.js';
import { newGroup, type CategoryWork, type Group } from './model.js';

export async function writeDeletions(p: Push): Promise<void> {
  await archiveProducts(p);
  await removeCollections(p);
}

async function archiveProducts(p: Push): Promise<void> {
  const products = p.active('delete', 'product');
  const targets = new Map<string, Group>();
  for (const item of products) {
    const g = newGroup(item.ref, p.productState(item.ref), p.state.get(K.id('product', item.ref)));
    g.deleteItems = [item];
    if (g.state?.data) g.data = g.state.data;
    if (!g.id) {
      g.entries = (g.state?.variants ?? []).map((ref) => ({ ref }));
      g.needsLookup = true;
    }
    targets.set(item.ref, g);
  }
  await lookupProducts(p, [...targets.values()].filter((g) => g.needsLookup), () => undefined);
  const archive = products.filter((item) => p.isOpen(item) && targets.get(item.ref)!.id);
  for (const item of products) if (p.isOpen(item) && !targets.get(item.ref)!.id) p.sync(item);
  const published = archive.filter((item) => (targets.get(item.ref)!.state?.published?.length ?? 0) > 0);
  const [archived, unpublished] = await p.runTogether(
    archive.map((item) => productArchiveOp(targets.get(item.ref)!.id!)),
    published.map((item) => unpublishOp(targets.get(item.ref)!.id!, targets.get(item.ref)!.state!.published!)),
  );
  archived.forEach((r, i) => {
    const item = archive[i]!;
    if (r.status === 'ok') {
      const errs = r.data.userErrors;
      if (errs.length === 0 || errs.every((e) => NOT_FOUND.test(e.message))) {
        const u = unpublished[published.indexOf(item)];
        const off = !u || (u.status === 'ok' && u.data.userErrors.length === 0);
        const s = p.productState(item.ref) ?? { v: 1 as const, variants: [], foreign: [], collections: {}, archived: false };
        p.state.write(K.product(item.ref), { ...s, archived: true, ...(u && off ? { published: [] } : {}) });
        // Still published somewhere: sent again, to be unpublished (archiving again is harmless).
        if (off) p.sync(item);
        else p.hold(item);
      } else p.fail(item, userErrors(errs, 'The store did not archive the product.'));
    } else if (r.status === 'error') p.fail(item, r.errors);
    else p.hold(item);
  });
}

async function removeCollections(p: Push): Promise<void> {
  const categories = p.active('delete', 'category');
  const find: CategoryWork[] = [];
  for (const item of categories) {
    const state = p.categoryState(item.ref);
    const id = p.state.get(K.id('category', item.ref));
    if (!id && state?.data) find.push({ ref: item.ref, item, data: state.data, state, needsLookup: true, status: 'pending' });
  }
  await lookupCollections(p, find);
  const remove: Array<{ item: (typeof categories)[number]; id: string }> = [];
  for (const item of categories) {
    if (!p.isOpen(item)) continue;
    const id = p.state.get(K.id('category', item.ref)) ?? find.find((w) => w.item === item)?.id;
    if (id) remove.push({ item, id });
    else {
      p.sync(item);
      forgetCategory(p, item.ref);
    }
  }
  const removed = await p.run(remove.map((x) => collectionDeleteOp(x.id)));
  removed.forEach((r, i) => {
    const { item } = remove[i]!;
    if (r.status === 'ok') {
      const errs = r.data.userErrors;
      if (errs.length === 0 || errs.every((e) => NOT_FOUND.test(e.message))) {
        p.sync(item);
        forgetCategory(p, item.ref);
      } else p.fail(item, userErrors(errs, 'The store did not delete the collection.'));
    } else if (r.status === 'error') p.fail(item, r.errors);
    else p.hold(item);
  });
}

function forgetCategory(p: Push, ref: string): void {
  p.state.set(K.id('category', ref), null);
  p.state.set(K.category(ref), null);
}
