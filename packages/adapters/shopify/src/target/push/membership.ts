/**
 * Collection membership of products whose categories changed: added to and removed from
 * collections, many products per call. A new product joined its collections in its creating
 * productSet; a category with no collection yet keeps the product as waiting for it.
 */
import type { UserErrorsAnswer } from '../../answers.js';
import type { Op } from '../../documents.js';
import { collectionAddProductsOp, collectionRemoveProductsOp } from '../../documents/collections.js';
import { MAX_INPUT_ARRAY } from '../../version.js';
import { stateKeys as K, type CategoryState } from '../state.js';
import { NOT_FOUND, UNSURE, userErrors, type Push } from './context.js';
import type { Group } from './model.js';

type Member = { g: Group; cat: string };

export async function writeMembership(p: Push): Promise<void> {
  const adds = new Map<string, Member[]>();
  const removes = new Map<string, Member[]>();
  const waiting = new Map<string, { add: Set<string>; remove: Set<string> }>();
  const wait = (cat: string) => {
    let w = waiting.get(cat);
    if (!w) waiting.set(cat, (w = { add: new Set(), remove: new Set() }));
    return w;
  };
  for (const g of p.groups.values()) {
    if (g.status !== 'ok' || !g.item || !g.data) continue;
    const desired = [...new Set(g.data.categoryRefs ?? [])];
    // A product made by this push is in the collections its productSet named, and no other.
    const prev = g.created ? (g.joinedAtCreation ?? {}) : (g.state?.collections ?? {});
    const next: Record<string, string> = { ...prev };
    for (const cat of desired) {
      const coll = p.state.get(K.id('category', cat));
      if (coll) {
        if (prev[cat] !== coll) adds.set(coll, [...(adds.get(coll) ?? []), { g, cat }]);
      } else {
        wait(cat).add.add(g.ref);
        next[cat] = '';
      }
    }
    for (const [cat, joined] of Object.entries(prev)) {
      if (desired.includes(cat)) continue;
      const coll = p.state.get(K.id('category', cat));
      // Joined, or maybe joined (an answer was lost): removed (harmless if it was not in).
      if (coll && (joined === coll || joined === UNSURE + coll)) removes.set(coll, [...(removes.get(coll) ?? []), { g, cat }]);
      else delete next[cat];
      if (joined !== coll) wait(cat).remove.add(g.ref);
    }
    g.collections = next;
  }
  for (const [cat, change] of waiting) {
    const s: CategoryState = p.categoryState(cat) ?? { v: 1, pending: [] };
    const pending = s.pending.filter((ref) => !change.remove.has(ref));
    for (const ref of change.add) if (!pending.includes(ref)) pending.push(ref);
    p.state.write(K.category(cat), { ...s, pending });
  }
  const ops: Array<Op<UserErrorsAnswer>> = [];
  const meta: Array<{ members: Member[]; add: boolean; coll: string }> = [];
  for (const [map, add] of [
    [adds, true],
    [removes, false],
  ] as const) {
    for (const [coll, members] of map) {
      for (let i = 0; i < members.length; i += MAX_INPUT_ARRAY) {
        const slice = members.slice(i, i + MAX_INPUT_ARRAY);
        const ids = slice.map((m) => m.g.id!);
        ops.push(add ? collectionAddProductsOp(coll, ids) : collectionRemoveProductsOp(coll, ids));
        meta.push({ members: slice, add, coll });
      }
    }
  }
  const results = await p.run(ops);
  results.forEach((r, i) => {
    const { members, add, coll } = meta[i]!;
    const errors = r.status === 'ok' ? r.data.userErrors : [];
    for (const { g, cat } of members) {
      if (r.status === 'ok' && errors.length === 0) {
        if (add) g.collections![cat] = coll;
        else delete g.collections![cat];
      } else if (r.status === 'ok' && add && errors.some((e) => e.field?.[0] === 'id' && NOT_FOUND.test(e.message))) {
        // The collection was deleted in the store: forgotten, so that it is made again from the
        // category's kept data; the product waits for it (it goes back to the queue).
        p.state.set(K.id('category', cat), null);
        const s: CategoryState = p.categoryState(cat) ?? { v: 1, pending: [] };
        if (!s.pending.includes(g.ref)) p.state.write(K.category(cat), { ...s, pending: [...s.pending, g.ref] });
        g.collections![cat] = '';
        p.hold(g.item!);
      } else if (r.status === 'ok' || r.status === 'error') {
        g.collections![cat] = g.state?.collections[cat] ?? '';
        if (!add && g.state?.collections[cat] === undefined) delete g.collections![cat];
        p.fail(g.item!, r.status === 'error' ? r.errors : userErrors(errors, 'The store did not change the collection.'));
      } else {
        // Not confirmed (the answer was lost, maybe after the store applied it): the item goes
        // again, and its record says the membership is unknown, whichever way the host turns.
        g.collections![cat] = UNSURE + coll;
        p.hold(g.item!);
      }
    }
  });
}
