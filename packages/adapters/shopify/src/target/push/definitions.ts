/**
 * Metafield definitions, checked before anything of a product is written, and only where one
 * matters: a metaobject or mixed reference cannot be written without a definition (it names the
 * metaobject type), and a connector may ask for definitions of the metafields in the namespaces it
 * owns (so merchants see them by name in the admin), which are then created where missing. A
 * product whose metafield cannot be written fails whole, saying what to do; nothing of it is sent.
 * What the store has is remembered: a definition found is not read again, a missing one is read
 * again after ten minutes (the merchant may have made it meanwhile).
 */
import type { ItemError, Metafield } from '@shopsync/core';
import { metafieldDefinitionCreateOp, metafieldDefinitionOp } from '../../documents/metafields.js';
import { definitionStateSchema, stateKeys as K, type MetafieldOwner } from '../state.js';
import type { Push } from './context.js';
import { failGroup, holdGroup } from './groups.js';
import type { Group } from './model.js';

/** Types Shopify takes only under a definition, which shopsync cannot create (it names a metaobject type). */
const NEEDS_DEFINITION = new Set(['metaobject_reference', 'list.metaobject_reference', 'mixed_reference', 'list.mixed_reference']);
/** How long a definition found missing is believed so. */
const MISSING_TTL_MS = 10 * 60_000;

interface Need {
  owner: MetafieldOwner;
  namespace: string;
  key: string;
  type: string;
  groups: Set<Group>;
}

const humanize = (key: string) => key.replace(/[_-]+/g, ' ').replace(/^./, (c) => c.toUpperCase());

export async function checkDefinitions(p: Push): Promise<void> {
  const create = p.ctx.config.createMetafieldDefinitions === true;
  const owned = new Set(p.ctx.config.ownedMetafieldNamespaces ?? []);
  const needs = new Map<string, Need>();
  const add = (g: Group, owner: MetafieldOwner, list: readonly Metafield[] | undefined) => {
    for (const m of list ?? []) {
      if (!NEEDS_DEFINITION.has(m.type) && !(create && owned.has(m.namespace))) continue;
      const id = K.definition(owner, m.namespace, m.key);
      const need = needs.get(id) ?? { owner, namespace: m.namespace, key: m.key, type: m.type, groups: new Set<Group>() };
      need.groups.add(g);
      needs.set(id, need);
    }
  };
  for (const g of p.groups.values()) {
    if (g.status !== 'pending' && g.status !== 'ok') continue;
    if (g.item) add(g, 'PRODUCT', g.data?.metafields);
    for (const e of g.entries) if (e.item) add(g, 'PRODUCTVARIANT', e.data?.metafields);
  }
  if (needs.size === 0) return;
  const now = p.env.now();
  await p.state.load(needs.keys());
  const unknown = [...needs].filter(([id]) => {
    const s = p.state.read(id, definitionStateSchema);
    return !s || (s.type === undefined && now - s.checkedAt > MISSING_TTL_MS);
  });
  const read = await p.run(unknown.map(([, n]) => metafieldDefinitionOp(n.owner, n.namespace, n.key)));
  unknown.forEach(([id, n], i) => {
    const r = read[i]!;
    if (r.status !== 'ok') {
      for (const g of n.groups) failOrHold(p, g, r.status === 'error' ? r.errors : undefined);
      needs.delete(id);
      return;
    }
    const type = r.data.nodes[0]?.type.name;
    p.state.write(id, { v: 1, ...(type !== undefined ? { type } : {}), checkedAt: now });
  });
  const toCreate: Need[] = [];
  for (const [id, n] of needs) {
    const type = p.state.read(id, definitionStateSchema)?.type;
    const label = `metafield ${n.namespace}.${n.key} (${n.type})`;
    if (type !== undefined && type !== n.type) {
      fails(p, n, { code: 'METAFIELD_TYPE_MISMATCH', message: `The store defines ${label.replace(` (${n.type})`, '')} as ${type}, and the host sends ${n.type}: change one of them, then retry.` });
    } else if (type === undefined && create && owned.has(n.namespace) && !NEEDS_DEFINITION.has(n.type)) {
      toCreate.push(n);
    } else if (type === undefined && NEEDS_DEFINITION.has(n.type)) {
      const where = n.owner === 'PRODUCT' ? 'Products' : 'Variants';
      fails(p, n, {
        code: 'METAFIELD_DEFINITION_MISSING',
        message: `The ${label} needs a metafield definition in the store, which names the metaobject type it points to: create it in the Shopify admin (Settings › Custom data › ${where}), then retry.`,
      });
    }
  }
  if (toCreate.length === 0) return;
  const made = await p.run(toCreate.map((n) => metafieldDefinitionCreateOp({ ownerType: n.owner, namespace: n.namespace, key: n.key, name: humanize(n.key), type: n.type })));
  toCreate.forEach((n, i) => {
    const r = made[i]!;
    const id = K.definition(n.owner, n.namespace, n.key);
    if (r.status === 'ok' && (r.data.createdDefinition || r.data.userErrors.every((u) => u.code === 'TAKEN'))) {
      if (r.data.createdDefinition) p.state.write(id, { v: 1, type: n.type, checkedAt: now });
      else p.state.set(id, null); // one was made meanwhile: read again next time
      return;
    }
    if (r.status === 'ok') fails(p, n, { code: 'METAFIELD_DEFINITION_REFUSED', message: `The store did not create a definition for metafield ${n.namespace}.${n.key} (${n.type}): ${r.data.userErrors.map((u) => u.message).join('; ')}` });
    else for (const g of n.groups) failOrHold(p, g, r.status === 'error' ? r.errors : undefined);
  });
}

function fails(p: Push, n: Need, error: ItemError): void {
  for (const g of n.groups) failGroup(p, g, [error]);
}

/** A read or write about definitions failed: for the store's reason, the group fails; for a lost answer, it waits. */
function failOrHold(p: Push, g: Group, errors: ItemError[] | undefined): void {
  if (errors) failGroup(p, g, errors);
  else holdGroup(p, g);
}
