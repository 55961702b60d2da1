/**
 * Metafields of products and variants the store already has (a new one's went in its productSet):
 * metafieldsSet for those new or changed since shopsync last wrote them, 25 a call across owners;
 * metafieldsDelete for those the host stopped sending, only in namespaces the connector owns
 * (others stay as the merchant or other apps keep them). A host that leaves `metafields` out
 * leaves the owner's metafields alone. A call is atomic at Shopify: when one value is refused,
 * its owner fails with Shopify's reason and the call's other metafields are sent again without it.
 */
import { type ItemError, type Metafield, type TargetItem } from '@shopsync/core';
import { canonicalJson } from '@shopsync/core/internal';
import type { UserErrorAnswer } from '../../answers.js';
import { METAFIELDS_PER_SET, metafieldsDeleteOp, metafieldsSetOp, type MetafieldSetInput } from '../../documents/metafields.js';
import { MAX_ROUNDS, indexAt, type Push } from './context.js';
import type { Entry, Group } from './model.js';

/** `namespace.key` -> what was written (type and value), as a product or variant state keeps it. */
export function writtenMetafields(list: readonly Metafield[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of list) out[`${m.namespace}.${m.key}`] = canonicalJson([m.type, m.value]);
  return out;
}

/** An owner whose metafields this push writes. */
interface Owner {
  item: TargetItem;
  id: string;
  label: string;
  set: MetafieldSetInput[];
  remove: Array<{ namespace: string; key: string }>;
  /** What its state will say was written, once every write of it is done. */
  after: Record<string, string>;
  failed: boolean;
  held: boolean;
  done: (written: Record<string, string>) => void;
}

export async function writeMetafields(p: Push): Promise<void> {
  const owned = new Set(p.ctx.config.ownedMetafieldNamespaces ?? []);
  const owners: Owner[] = [];
  for (const g of p.groups.values()) {
    if (g.status !== 'ok' || !g.id) continue;
    if (g.item && !g.created && g.data?.metafields && p.isOpen(g.item)) {
      const o = owner(g.item, g.id, `Product ${g.ref}`, g.data.metafields, g.state?.metafields ?? {}, owned, (w) => (g.metafields = w));
      if (o) owners.push(o);
    }
    for (const e of g.entries) variantOwner(p, g, e, owned, owners);
  }
  if (owners.length === 0) return;
  await sendSets(p, owners);
  await sendDeletes(p, owners);
  for (const o of owners) {
    if (o.failed) continue;
    if (o.held) p.hold(o.item);
    else o.done(o.after);
  }
}

function variantOwner(p: Push, g: Group, e: Entry, owned: ReadonlySet<string>, owners: Owner[]): void {
  if (!e.item || !e.id || e.created || !e.data?.metafields || !p.isOpen(e.item)) return;
  const prior = p.variantState(e.ref)?.metafields ?? {};
  const o = owner(e.item, e.id, `Variant ${e.ref}`, e.data.metafields, prior, owned, (w) => (e.metafields = w));
  if (o) owners.push(o);
}

/** What an owner needs written, or undefined when its metafields are as last written. */
function owner(item: TargetItem, id: string, label: string, wanted: readonly Metafield[], prior: Record<string, string>, owned: ReadonlySet<string>, done: Owner['done']): Owner | undefined {
  const want = writtenMetafields(wanted);
  const set = wanted.filter((m) => prior[`${m.namespace}.${m.key}`] !== want[`${m.namespace}.${m.key}`]).map((m) => ({ ownerId: id, namespace: m.namespace, key: m.key, type: m.type, value: m.value }));
  const remove: Owner['remove'] = [];
  for (const k of Object.keys(prior)) {
    if (k in want) continue;
    const dot = k.lastIndexOf('.');
    const namespace = k.slice(0, dot);
    // Not ours to delete: forgotten, and left in the store.
    if (owned.has(namespace)) remove.push({ namespace, key: k.slice(dot + 1) });
  }
  const unchanged = set.length === 0 && remove.length === 0 && Object.keys(prior).length === Object.keys(want).length;
  if (unchanged) return undefined;
  return { item, id, label, set, remove, after: want, failed: false, held: false, done };
}

function fail(p: Push, o: Owner, errors: ItemError[]): void {
  o.failed = true;
  p.fail(o.item, errors);
}

/** Shopify's refusal of one metafield, saying which. */
function refusal(m: MetafieldSetInput, u: UserErrorAnswer, label: string): ItemError {
  const e: ItemError = { message: `${label}: metafield ${m.namespace}.${m.key} (${m.type}): ${u.message}`, field: ['metafields', `${m.namespace}.${m.key}`] };
  if (u.code) e.code = u.code;
  return e;
}

async function sendSets(p: Push, owners: Owner[]): Promise<void> {
  let queue = owners.filter((o) => o.set.length > 0).flatMap((o) => o.set.map((m) => ({ o, m })));
  for (let round = 0; round < MAX_ROUNDS && queue.length > 0; round++) {
    const chunks: Array<typeof queue> = [];
    for (let i = 0; i < queue.length; i += METAFIELDS_PER_SET) chunks.push(queue.slice(i, i + METAFIELDS_PER_SET));
    const results = await p.run(chunks.map((c) => metafieldsSetOp(c.map((x) => x.m))));
    const again: typeof queue = [];
    chunks.forEach((chunk, i) => {
      const r = results[i]!;
      if (r.status === 'error') {
        for (const { o } of chunk) if (!o.failed) fail(p, o, r.errors);
        return;
      }
      if (r.status !== 'ok') {
        for (const { o } of chunk) o.held = true;
        return;
      }
      const errors = r.data.userErrors;
      if (errors.length === 0) return;
      for (const u of errors) {
        const at = indexAt(u, 'metafields');
        const hit = at !== undefined ? chunk[at] : undefined;
        if (hit) fail(p, hit.o, [refusal(hit.m, u, hit.o.label)]);
      }
      // Nothing of the call was written: the others go again (or, when no error named one, fail together).
      if (!errors.some((u) => indexAt(u, 'metafields') !== undefined)) for (const { o, m } of chunk) fail(p, o, errors.map((u) => refusal(m, u, o.label)));
      else again.push(...chunk.filter((x) => !x.o.failed));
    });
    queue = again;
  }
  for (const { o } of queue) o.held = true;
}

async function sendDeletes(p: Push, owners: Owner[]): Promise<void> {
  const list = owners.filter((o) => !o.failed && !o.held && o.remove.length > 0).flatMap((o) => o.remove.map((m) => ({ o, m })));
  if (list.length === 0) return;
  const chunks: Array<typeof list> = [];
  for (let i = 0; i < list.length; i += METAFIELDS_PER_SET) chunks.push(list.slice(i, i + METAFIELDS_PER_SET));
  const results = await p.run(chunks.map((c) => metafieldsDeleteOp(c.map(({ o, m }) => ({ ownerId: o.id, ...m })))));
  chunks.forEach((chunk, i) => {
    const r = results[i]!;
    if (r.status === 'ok' && r.data.userErrors.length === 0) return;
    for (const { o, m } of chunk) {
      if (o.failed) continue;
      if (r.status === 'ok') fail(p, o, r.data.userErrors.map((u) => ({ message: `${o.label}: deleting metafield ${m.namespace}.${m.key}: ${u.message}` })));
      else if (r.status === 'error') fail(p, o, r.errors);
      else o.held = true;
    }
  });
}
