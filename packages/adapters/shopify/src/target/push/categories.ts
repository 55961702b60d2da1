/**
 * Categories become manual collections, before the products that join them. A collection is
 * made when its category has products (the batch's products name it, or products waiting for it
 * from earlier pushes), or always with "include empty categories"; otherwise the category is
 * skipped as empty (the queue sends it again with the first product that names it). An unchanged
 * category whose collection exists is not written again. Products waiting for a collection join
 * it in its creating mutation.
 */
import { type CategoryData } from '@shopsync/core';
import { canonicalJson } from '@shopsync/core/internal';
import { collectionAddProductsOp, collectionCreateOp, collectionUpdateOp } from '../../documents/collections.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import { collectionInput } from '../content.js';
import { stateKeys as K, type CategoryState } from '../state.js';
import { MAX_ROUNDS, NOT_FOUND, UNSURE, userErrors, type Push } from './context.js';
import { productKeys } from './load.js';
import { lookupCollections } from './lookup.js';
import type { CategoryWork } from './model.js';

/** What a collection is written with, as its state keeps it. */
function sentOf(data: CategoryData, language: string): string {
  return canonicalJson(collectionInput(data, language));
}

export async function writeCategories(p: Push): Promise<void> {
  const referenced = new Set<string>();
  for (const i of p.active('upsert', 'product')) if (i.change.entity === 'product' && i.change.op === 'upsert') for (const c of i.change.data.categoryRefs ?? []) referenced.add(c);
  const work: CategoryWork[] = [];
  for (const item of p.active('upsert', 'category')) {
    if (item.change.entity !== 'category' || item.change.op !== 'upsert') continue;
    const before = p.categoryState(item.ref);
    const state: CategoryState = { v: 1, pending: [], ...before, data: item.change.data };
    p.state.write(K.category(item.ref), state);
    const id = p.state.get(K.id('category', item.ref));
    if (id && !item.force && state.pending.length === 0 && before?.sent === sentOf(item.change.data, p.language)) p.sync(item, id);
    else if (id) work.push({ ref: item.ref, item, data: item.change.data, state, id, needsLookup: false, status: 'pending' });
    else if (p.ctx.config.includeEmptyCategories || state.pending.length > 0 || referenced.has(item.ref)) {
      work.push({ ref: item.ref, item, data: item.change.data, state, needsLookup: true, status: 'pending' });
    } else p.skip(item, 'empty_category');
  }
  // Categories received earlier and skipped while empty: created now that a product needs them.
  for (const ref of referenced) {
    if (work.some((w) => w.ref === ref) || p.state.get(K.id('category', ref))) continue;
    const state = p.categoryState(ref);
    if (state?.data) work.push({ ref, data: state.data, state, needsLookup: true, status: 'pending' });
  }
  if (work.length === 0) return;
  // Products waiting for a collection join it when it is created.
  await p.state.load(work.flatMap((w) => (w.id ? [] : w.state.pending)).flatMap(productKeys));

  for (let round = 0; round < MAX_ROUNDS && work.some((w) => w.status === 'pending'); round++) {
    await lookupCollections(p, work.filter((w) => w.status === 'pending' && w.needsLookup));
    await writeRound(p, work.filter((w) => w.status === 'pending' && !w.needsLookup));
  }
  for (const w of work) {
    if (w.status !== 'pending' || !w.item) continue;
    if (w.lost) p.giveUp(w.lost, [w.item]);
    else p.fail(w.item, [{ message: `The collection could not be saved in ${MAX_ROUNDS} attempts. It is sent again with its next change, or when failed items are retried.` }]);
  }
  await joinWaiting(p, work);
}

/** One round of collectionCreate / collectionUpdate for the categories ready to be written. */
async function writeRound(p: Push, ready: CategoryWork[]): Promise<void> {
  const results = await p.run(
    ready.map((w) => {
      const input = collectionInput(w.data, p.language);
      if (w.id) return collectionUpdateOp({ ...input, id: w.id });
      const members = pendingMembers(p, w).slice(0, MAX_INPUT_ARRAY);
      return collectionCreateOp(members.length ? { ...input, products: members.map((m) => m.id) } : input);
    }),
  );
  ready.forEach((w, i) => {
    const r = results[i]!;
    delete w.lost;
    if (r.status === 'uncertain') {
      w.lost = r.error;
      w.needsLookup = true;
      return;
    }
    if (r.status === 'error') {
      w.status = 'failed';
      if (w.item) p.fail(w.item, r.errors);
      return;
    }
    if (r.status === 'unsent') {
      w.status = 'unresolved';
      if (w.item) p.hold(w.item);
      return;
    }
    const { collection, userErrors: errors } = r.data;
    if (errors.length || !collection) {
      if (w.id && errors.every((e) => NOT_FOUND.test(e.message))) {
        // Deleted in the store since: made again.
        delete w.id;
        p.state.set(K.id('category', w.ref), null);
        w.needsLookup = true;
        return;
      }
      const gone = errors.filter((e) => e.field?.[0] === 'products' && e.field[1] !== undefined && NOT_FOUND.test(e.message));
      if (!w.id && gone.length && gone.length === errors.length) {
        // Waiting products the store no longer has: forgotten, and the collection made without them.
        const members = pendingMembers(p, w).slice(0, MAX_INPUT_ARRAY);
        const drop = new Set(gone.map((e) => members[Number(e.field![1])]?.ref));
        w.state = { ...w.state, pending: w.state.pending.filter((ref) => !drop.has(ref)) };
        p.state.write(K.category(w.ref), w.state);
        return;
      }
      w.status = 'failed';
      if (w.item) p.fail(w.item, userErrors(errors, 'The store did not save the collection.'));
      return;
    }
    const created = !w.id;
    w.id = collection.id;
    w.status = 'ok';
    p.state.set(K.id('category', w.ref), w.id);
    if (created) joinPending(p, w, pendingMembers(p, w).slice(0, MAX_INPUT_ARRAY));
    w.state = { ...w.state, sent: sentOf(w.data, p.language) };
    p.state.write(K.category(w.ref), w.state);
    if (w.item) p.sync(w.item, w.id);
  });
}

/**
 * Waiting products the writes did not take in (beyond one creation's input array, or a
 * collection found rather than created) join it now.
 */
async function joinWaiting(p: Push, work: readonly CategoryWork[]): Promise<void> {
  const joins: Array<{ w: CategoryWork; members: Array<{ ref: string; id: string }> }> = [];
  for (const w of work) {
    if (w.status !== 'ok') continue;
    const members = pendingMembers(p, w);
    for (let i = 0; i < members.length; i += MAX_INPUT_ARRAY) joins.push({ w, members: members.slice(i, i + MAX_INPUT_ARRAY) });
  }
  const joined = await p.run(joins.map((j) => collectionAddProductsOp(j.w.id!, j.members.map((m) => m.id))));
  joined.forEach((r, i) => {
    const { w, members } = joins[i]!;
    if (r.status === 'ok' && r.data.userErrors.length === 0) joinPending(p, w, members);
    else if (r.status === 'unsent' || r.status === 'uncertain') {
      // Maybe joined: they stay pending, their records say it may be so, and the category goes again.
      for (const m of members) {
        const s = p.productState(m.ref);
        if (s && !s.collections[w.ref]) p.state.write(K.product(m.ref), { ...s, collections: { ...s.collections, [w.ref]: UNSURE + w.id! } });
      }
      if (w.item) p.hold(w.item);
    }
  });
}

/** Pending products of a category that the store has. */
function pendingMembers(p: Push, w: CategoryWork): Array<{ ref: string; id: string }> {
  const out: Array<{ ref: string; id: string }> = [];
  for (const ref of w.state.pending) {
    const id = p.state.get(K.id('product', ref));
    if (id) out.push({ ref, id });
  }
  return out;
}

function joinPending(p: Push, w: CategoryWork, members: ReadonlyArray<{ ref: string; id: string }>): void {
  const joined = new Set(members.map((m) => m.ref));
  for (const m of members) {
    const s = p.productState(m.ref);
    if (s) p.state.write(K.product(m.ref), { ...s, collections: { ...s.collections, [w.ref]: w.id! } });
    const g = p.groups.get(m.ref);
    if (g?.state) g.state = { ...g.state, collections: { ...g.state.collections, [w.ref]: w.id! } };
  }
  w.state = { ...w.state, pending: w.state.pending.filter((ref) => !joined.has(ref) && p.state.get(K.id('product', ref)) !== undefined) };
  p.state.write(K.category(w.ref), w.state);
}
