/**
 * Reads, in three rounds of the id store, the state every later phase needs: the items' own
 * records, then the records of products their variants left, then the variants and collections
 * of every product involved.
 */
import { stateKeys as K } from '../state.js';
import type { Push } from './context.js';

export const productKeys = (ref: string): string[] => [K.id('product', ref), K.product(ref), K.awaiting(ref)];
export const categoryKeys = (ref: string): string[] => [K.id('category', ref), K.category(ref)];
export const variantKeys = (ref: string): string[] => [K.id('variant', ref), K.variant(ref)];

export async function loadState(p: Push): Promise<void> {
  const keys: string[] = [];
  for (const i of p.items) {
    if (!p.isOpen(i)) continue;
    const c = i.change;
    if (c.entity === 'category') keys.push(...categoryKeys(c.ref));
    else if (c.entity === 'product') {
      keys.push(...productKeys(c.ref));
      if (c.op === 'upsert') for (const cat of c.data.categoryRefs ?? []) keys.push(...categoryKeys(cat));
    } else {
      keys.push(...variantKeys(c.ref));
      if (c.parentRef !== undefined) keys.push(...productKeys(c.parentRef));
    }
  }
  await p.state.load(keys);
  // Parents of variants that move or are deleted without a parent ref.
  const more: string[] = [];
  for (const i of p.items) {
    if (i.entity !== 'variant' || !p.isOpen(i)) continue;
    const old = p.variantState(i.ref)?.parentRef;
    if (old !== undefined) more.push(...productKeys(old));
  }
  await p.state.load(more);
  // The variants and collections of every product involved.
  const last: string[] = [];
  for (const i of p.items) {
    if (!p.isOpen(i)) continue;
    const refs = i.entity === 'product' ? [i.ref] : i.entity === 'variant' ? [('parentRef' in i.change && i.change.parentRef) || '', p.variantState(i.ref)?.parentRef ?? ''] : [];
    for (const ref of refs) {
      const s = ref ? p.productState(ref) : undefined;
      if (!s) continue;
      for (const v of s.variants) last.push(...variantKeys(v));
      for (const c of Object.keys(s.collections)) last.push(...categoryKeys(c));
    }
  }
  await p.state.load(last);
}
