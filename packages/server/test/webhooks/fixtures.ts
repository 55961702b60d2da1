/** Sync events and iterations for the webhook tests, valid by core's schemas. */
import { syncEventSchema, type EntityCounts, type Iteration, type SyncEvent } from '@shopsync/core';

export const counts = (categories: number, products: number, variants: number): EntityCounts => ({ categories, products, variants });

export function iteration(index: number, synced: EntityCounts, failed: EntityCounts): Iteration {
  const start = Date.UTC(2026, 11, 1, 10, index);
  return { index, startedAt: new Date(start).toISOString(), endedAt: new Date(start + 30_000).toISOString(), synced, failed, skipped: counts(0, 0, 0) };
}

export function syncEvent(patch: Partial<SyncEvent> = {}): SyncEvent {
  return syncEventSchema.parse({
    v: 1,
    id: 'evt_1',
    connectorId: 'acme',
    status: 'in_progress',
    trigger: 'changes',
    startedAt: '2026-12-01T10:00:00.000Z',
    pending: counts(0, 0, 0),
    generalErrors: [],
    config: {
      shopDomain: 'acme.myshopify.com',
      apiVersion: { requested: '2026-10', status: 'supported', endsSoon: false },
      disableDeletions: false,
      overwriteStock: true,
      includeEmptyCategories: false,
      language: 'en',
    },
    iterations: [],
    logsAvailable: false,
    pausedAt: [],
    resumedAt: [],
    ...patch,
  });
}
