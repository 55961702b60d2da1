import type { Change } from '@shopsync/core';

/**
 * The storage benchmarks' workload (IndexedDB and SQLite): `n` upserts, a product then two of its
 * variants, over and over. The same rows for ours and for the raw baseline.
 */
export function storageWorkload(n: number): Change[] {
  return Array.from({ length: n }, (_, i): Change =>
    i % 3 === 0
      ? { entity: 'product', op: 'upsert', ref: `P${i}`, data: { title: `Product ${i}`, vendor: 'ACME', tags: ['a', 'b'] } }
      : { entity: 'variant', op: 'upsert', ref: `V${i}`, parentRef: `P${i - (i % 3)}`, data: { price: '19.99', stock: i % 50 } },
  );
}
