import type { Entity } from '../schemas/common.js';

/** The coalescing key of an item: one per (entity, ref). */
export type ItemKey = `${Entity}:${string}`;

export function itemKey(entity: Entity, ref: string): ItemKey {
  return `${entity}:${ref}`;
}

export function parseItemKey(key: string): { entity: Entity; ref: string } {
  const i = key.indexOf(':');
  return { entity: key.slice(0, i) as Entity, ref: key.slice(i + 1) };
}
