import type { Entity } from '../schemas/common.js';
import type { ChangeOp } from '../schemas/change.js';

/**
 * Where a pending change waits: six buckets, one per entity and op, each in `seq` order (first
 * arrival). Upserts of categories, products, variants are buckets 0-2; deletions of variants,
 * products, categories (children before their parents) are 3-5. Durable adapters store the
 * bucket with each pending change; the order in which leases take them is `LEASE_ORDER`
 * (lease-plan.ts), which takes products with their variants and the categories they need.
 */
export const BUCKET_COUNT = 6;

const UPSERT_RANK: Record<Entity, number> = { category: 0, product: 1, variant: 2 };
const DELETE_RANK: Record<Entity, number> = { variant: 3, product: 4, category: 5 };

/** The bucket a pending change waits in. */
export function bucketOf(entity: Entity, op: ChangeOp): number {
  return op === 'upsert' ? UPSERT_RANK[entity] : DELETE_RANK[entity];
}
