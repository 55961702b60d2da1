import type { Entity } from '../schemas/common.js';

/** The coalescing key of an item: one per (entity, ref). */
export type ItemKey = `${Entity}:${string}`;

/** The coalescing key of an item, `product:SKU-1`: one per kind and reference. */
export function itemKey(entity: Entity, ref: string): ItemKey {
  return `${entity}:${ref}`;
}

/** The kind and reference an item key names. */
export function parseItemKey(key: string): { entity: Entity; ref: string } {
  const i = key.indexOf(':');
  return { entity: key.slice(0, i) as Entity, ref: key.slice(i + 1) };
}
