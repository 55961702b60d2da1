import type { Entity } from '../schemas/common.js';
import type { ChangeOp } from '../schemas/change.js';

/**
 * The drain order, as buckets: upserts of categories, products, variants (parents before the
 * children that refer to them), then deletions of variants, products, categories (children
 * before their parents). Inside a bucket, entries go by `seq`.
 */
export const BUCKET_COUNT = 6;

const UPSERT_RANK: Record<Entity, number> = { category: 0, product: 1, variant: 2 };
const DELETE_RANK: Record<Entity, number> = { variant: 3, product: 4, category: 5 };

export function bucketOf(entity: Entity, op: ChangeOp): number {
  return op === 'upsert' ? UPSERT_RANK[entity] : DELETE_RANK[entity];
}

/** Compare two queue entries in drain order. */
export function compareDrainOrder(
  a: { entity: Entity; change: { op: ChangeOp }; seq: number },
  b: { entity: Entity; change: { op: ChangeOp }; seq: number },
): number {
  return bucketOf(a.entity, a.change.op) - bucketOf(b.entity, b.change.op) || a.seq - b.seq;
}
