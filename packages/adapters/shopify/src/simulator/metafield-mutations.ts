/**
 * metafieldsSet and metafieldsDelete on products and variants. Both are atomic, as on Shopify:
 * one userError and nothing is written. metafieldsSet takes at most 25 metafields and upserts each
 * (an existing one at the owner, namespace and key keeps its id); metafieldsDelete answers, in
 * order, the identifier of each metafield it deleted or null where there was none.
 */
import type { PlannedMetafield } from './metafields.js';
import { resolveNamespace, type MetafieldOwner, type MetafieldOwnerType, type SimMetafield, type UserErrorOut } from './model.js';
import type { SimStore } from './store.js';

/** Shopify's limit on metafieldsSet's input. */
export const METAFIELDS_SET_LIMIT = 25;

/** One MetafieldsSetInput, as graphql-js coerced it. */
export interface MetafieldsSetArgs {
  ownerId: string;
  namespace?: string | null;
  key: string;
  value: string;
  type?: string | null;
}

/** A metafield that was written, with its owner. */
export interface WrittenMetafield {
  ownerType: MetafieldOwnerType;
  owner: MetafieldOwner;
  metafield: SimMetafield;
}

/** A userError of metafieldsSet: with the index of the input it is about. */
export type MetafieldsSetError = UserErrorOut & { elementIndex: number | null };

/** metafieldsSet: every metafield checked, then all written, or none. */
export function metafieldsSet(store: SimStore, inputs: readonly MetafieldsSetArgs[]): { metafields: WrittenMetafield[]; userErrors: MetafieldsSetError[] } {
  if (inputs.length > METAFIELDS_SET_LIMIT) {
    return { metafields: [], userErrors: [{ code: 'LESS_THAN_OR_EQUAL_TO', field: ['metafields'], message: `Exceeded the maximum metafields input limit of ${METAFIELDS_SET_LIMIT}.`, elementIndex: null }] };
  }
  const errors: MetafieldsSetError[] = [];
  const planned: Array<{ ownerType: MetafieldOwnerType; owner: MetafieldOwner; m: PlannedMetafield }> = [];
  const seen = new Map<string, string>();
  inputs.forEach((input, i) => {
    const error = (code: string, field: string, message: string) => errors.push({ code, field: ['metafields', String(i), field], message, elementIndex: i });
    const found = store.metafieldOwner(input.ownerId);
    if (!found) return error('INVALID_VALUE', 'ownerId', `Owner ${input.ownerId} does not exist (the simulator keeps metafields of products and product variants).`);
    const r = store.metafields.check(found.ownerType, found.owner.id, input, store.recordExists);
    if ('field' in r) return error(r.code, r.field, r.message);
    const id = `${input.ownerId}|${r.namespace}.${r.key}`;
    if (seen.has(id)) return error('TAKEN', 'key', `Metafield ${r.namespace}.${r.key} is given more than once for this owner.`);
    // Two owners cannot take one unique value in the same call either.
    const unique = store.metafields.definition(found.ownerType, r.namespace, r.key)?.uniqueValues;
    const valueKey = `${found.ownerType}|${r.namespace}.${r.key}=${r.value}`;
    if (unique && seen.has(valueKey) && seen.get(valueKey) !== found.owner.id) return error('TAKEN', 'value', `Value '${r.value}' is given to two owners for ${r.namespace}.${r.key}, whose values must be unique.`);
    seen.set(id, found.owner.id);
    if (unique) seen.set(valueKey, found.owner.id);
    planned.push({ ownerType: found.ownerType, owner: found.owner, m: r });
  });
  if (errors.length) return { metafields: [], userErrors: errors };
  return { metafields: planned.map(({ ownerType, owner, m }) => ({ ownerType, owner, metafield: store.metafields.write(ownerType, owner, m) })), userErrors: [] };
}

/** One MetafieldIdentifierInput, as graphql-js coerced it. */
export interface MetafieldIdentifierArgs {
  ownerId: string;
  namespace: string;
  key: string;
}

/** metafieldsDelete: deletes those that exist; null in place of each that did not. */
export function metafieldsDelete(store: SimStore, inputs: readonly MetafieldIdentifierArgs[]): { deleted: Array<{ ownerId: string; namespace: string; key: string } | null>; userErrors: UserErrorOut[] } {
  const errors: UserErrorOut[] = [];
  inputs.forEach((input, i) => {
    if (!/^gid:\/\/shopify\/(Product|ProductVariant)\/\d+$/.test(input.ownerId)) {
      errors.push({ field: ['metafields', String(i), 'ownerId'], message: `Owner ${input.ownerId} is not a product or product variant (the simulator keeps metafields of those only).` });
    }
  });
  if (errors.length) return { deleted: [], userErrors: errors };
  const deleted = inputs.map((input) => {
    const found = store.metafieldOwner(input.ownerId);
    const namespace = resolveNamespace(input.namespace);
    const gone = found && store.metafields.remove(found.ownerType, found.owner, namespace, input.key);
    return gone ? { ownerId: input.ownerId, namespace, key: input.key } : null;
  });
  return { deleted, userErrors: [] };
}
