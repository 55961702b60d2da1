/**
 * What the ServerStore conformance suite's parts share: how a test gets a store (fresh, migrated,
 * closed and cleaned up after, whatever the test did) and the records it stores.
 */
import assert from 'node:assert/strict';
import type { ApiKeyRecord, DeliveryRecord, IdempotencyRecord, ServerStore, WebhookRecord } from '../../src/store/types.js';

/** A store for one test, and what removes it (its file, its schema). */
export interface StoreUnderTest {
  store: ServerStore;
  cleanup: () => Promise<void>;
}

/** Makes a fresh, empty store (not migrated yet). */
export type OpenStore = () => Promise<StoreUnderTest>;

/** Runs `fn` on a fresh migrated store, then closes and removes it. */
export async function withStore(open: OpenStore, fn: (store: ServerStore) => Promise<void>): Promise<void> {
  const { store, cleanup } = await open();
  try {
    await store.migrate();
    await fn(store);
  } finally {
    await store.close();
    await cleanup();
  }
}

/** The instant the tests start at. */
export const T0 = Date.parse('2026-07-01T00:00:00.000Z');

/** An API key record (minimal unless `extra` adds the optional fields). */
export const apiKey = (id: string, createdAt: number, extra: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({ id, hash: `sha256-of-${id}`, scopes: ['ingest'], createdAt, ...extra });

/** An idempotency record as a request starts it. */
export const started = (connectorId: string, key: string, createdAt: number, fingerprint = 'fp-1'): IdempotencyRecord => ({ connectorId, key, fingerprint, state: 'started', createdAt });

/** A webhook subscription of `connectorId`. */
export const webhook = (id: string, connectorId: string, createdAt: number): WebhookRecord => ({
  id,
  connectorId,
  url: `https://erp.example.com/hooks/${id}`,
  events: ['sync.completed', 'items.failed'],
  sealedSecret: `sealed:${id}`,
  createdAt,
});

/** A delivery, pending, due at `nextAttemptAt` (default its creation). */
export const delivery = (id: string, options: { connectorId?: string; webhookId?: string; createdAt?: number; nextAttemptAt?: number } = {}): DeliveryRecord => {
  const createdAt = options.createdAt ?? T0;
  return {
    id,
    webhookId: options.webhookId ?? 'wh-1',
    connectorId: options.connectorId ?? 'c1',
    type: 'sync.completed',
    payload: JSON.stringify({ type: 'sync.completed', data: { id } }),
    createdAt,
    state: 'pending',
    nextAttemptAt: options.nextAttemptAt ?? createdAt,
    attempts: [],
  };
};

/** The ids of records, in order. */
export const ids = (records: ReadonlyArray<{ id: string }>): string[] => records.map((r) => r.id);

/** Asserts that `p` rejects with a ShopsyncError of `code`. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.equal((err as { code?: unknown }).code, code, `expected code ${code}, got ${String(err)}`);
    return true;
  });
}
