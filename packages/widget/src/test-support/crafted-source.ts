/**
 * A SyncSource over data written by hand, for tests that need every state at once (every part on
 * screen, the longest texts, the largest numbers) rather than what a run produces. It holds still:
 * no change is ever told.
 */
import type { ConfigSnapshot, ConnectorState, GeneralError, ItemView, Iteration, SyncEvent, SyncSource, SyncStatus } from '@shopsync/core';

const at = (s: number) => new Date(Date.UTC(2026, 0, 15, 12, 0, s)).toISOString();

/** A sync event with everything a section can show: general errors and a warning, failed items, 30 iterations, logs. */
export function craftedEvent(id: string, status: SyncStatus, over: Partial<SyncEvent> = {}): SyncEvent {
  const iterations: Iteration[] = Array.from({ length: 30 }, (_, i) => ({
    index: i + 1,
    startedAt: at(i),
    endedAt: at(i + 1),
    synced: { categories: 1, products: 20, variants: 40 },
    failed: { categories: 0, products: i === 3 ? 2 : 0, variants: 0 },
    skipped: { categories: 0, products: 0, variants: 0 },
  }));
  const generalErrors: GeneralError[] =
    status === 'error'
      ? [{ at: at(0), code: 'auth', message: 'The store refused the access token.' }]
      : [
          { at: at(2), code: 'throttled', message: 'Throttled: the store asked us to slow down' },
          { at: at(3), code: 'language', severity: 'warning', message: 'The store has not enabled French (fr).' },
        ];
  return {
    v: 1,
    id,
    connectorId: 'store-1',
    status,
    trigger: 'manual',
    startedAt: at(0),
    ...(status === 'in_progress' ? {} : { endedAt: at(40) }),
    pending: status === 'in_progress' ? { categories: 1_234, products: 98_765, variants: 1_234_567 } : { categories: 0, products: 0, variants: 0 },
    generalErrors,
    config: craftedConfig(),
    iterations: status === 'error' ? [] : iterations,
    logsAvailable: status !== 'error',
    pausedAt: [],
    resumedAt: [],
    ...over,
  };
}

/** A configuration with every optional group: a deprecated API version, translations, locations, publishing. */
export function craftedConfig(): ConfigSnapshot {
  return {
    shopDomain: 'demo.myshopify.com',
    apiVersion: { requested: '2025-01', status: 'deprecated', endsSoon: true, supportEndsAt: '2026-01-01T00:00:00.000Z' },
    disableDeletions: true,
    overwriteStock: false,
    includeEmptyCategories: true,
    language: 'es',
    translations: ['en', 'fr'],
    locations: [{ warehouse: 'MAD-01', location: 'Madrid warehouse', id: 'gid://shopify/Location/1' }],
    publications: ['Online Store'],
    ownedMetafieldNamespaces: ['shopsync'],
    createMetafieldDefinitions: true,
  };
}

/** Items: one failed product (with an error), the rest synchronized. */
export function craftedItems(n = 12): ItemView[] {
  return Array.from({ length: n }, (_, i) => ({
    v: 1,
    entity: 'product',
    ref: `SKU-${String(i).padStart(3, '0')}`,
    op: 'upsert',
    status: i === 0 ? 'error' : 'complete',
    errors: i === 0 ? [{ code: 'INVALID', field: ['variants', '0', 'price'], message: 'Price must be greater than 0' }] : [],
    updatedAt: at(i),
    consecutiveFailures: i === 0 ? 2 : 0,
  }));
}

/** A source over `events` (newest first), a connector and items. */
export function craftedSource(events: SyncEvent[], connector: Partial<ConnectorState> = {}, items: ItemView[] = craftedItems()): SyncSource {
  const failed = items.filter((i) => i.status === 'error');
  return {
    connectorId: 'store-1',
    subscribe: () => () => undefined,
    connectorState: async () => ({ connectorId: 'store-1', enabled: true, running: false, ...connector }),
    listEvents: async ({ offset = 0, limit = 10 } = {}) => ({ items: events.slice(offset, offset + limit), total: events.length }),
    getEvent: async (id) => events.find((e) => e.id === id),
    queryItems: async ({ offset = 0, limit = 100, status } = {}) => {
      const matching = items.filter((i) => !status || i.status === status);
      return { items: matching.slice(offset, offset + limit), total: matching.length };
    },
    summarizeItemErrors: async () => ({
      failedItems: failed.length,
      repeatedFailures: failed.filter((i) => i.consecutiveFailures >= 2).length,
      groups: failed.length ? [{ code: 'INVALID', message: 'Price must be greater than 0', field: ['variants', '0', 'price'], count: failed.length }] : [],
    }),
    downloadLogs: async (eventId, format) => ({ filename: `shopsync-${eventId}.${format}`, contentType: 'text/plain', content: '' }),
    retryItem: async () => 1,
    retryFailed: async () => failed.length,
    setEnabled: async () => undefined,
  };
}
