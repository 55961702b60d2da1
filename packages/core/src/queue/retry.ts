/**
 * Retrying failed items: which items, and what is queued again for them. A retry queues the
 * change each failed item was last attempted with, as a force refresh (sent even if unchanged);
 * items that did not fail, or that kept no change, are left alone.
 *
 * Shared by `SyncEngine.retryItems`/`retryFailed` and by sources that act on a connector's
 * storage from a process that runs no engine, so that a retry means the same everywhere.
 */
import { z } from 'zod';
import type { Change } from '../schemas/change.js';
import type { ItemStatus } from '../schemas/item.js';
import type { StorageAdapter } from '../storage/adapter.js';
import { itemFilterSchema, itemRefSchema, type ItemFilter } from '../storage/queries.js';
import { parseOrThrow } from '../validate.js';
import { itemKey } from './keys.js';
import type { EnqueueOptions } from './queue.js';

/** Items read per page while collecting failed items. */
const PAGE = 1_000;

/** What to retry: items named by entity and reference (at most 10,000), or every failed item matching a filter. */
export type RetrySelection = { items: ReadonlyArray<{ entity: string; ref: string }> } | { filter: ItemFilter };

/** The changes to queue again for the failed items of a selection (validated: ValidationError names the field at fault). */
export async function changesToRetry(storage: StorageAdapter, connectorId: string, selection: RetrySelection): Promise<Change[]> {
  let items: ItemStatus[];
  if ('items' in selection) {
    const refs = parseOrThrow(z.array(itemRefSchema).max(10_000), selection.items, 'items');
    items = await storage.getItems(connectorId, refs.map((r) => itemKey(r.entity, r.ref)));
  } else {
    const filter = parseOrThrow(itemFilterSchema, selection.filter, 'filter');
    items = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await storage.queryItems(connectorId, { ...filter, status: 'error', offset, limit: PAGE });
      items.push(...page.items);
      if (page.items.length < PAGE) break;
    }
  }
  return items.filter((s) => s.status === 'error' && s.change).map((s) => s.change!);
}

/**
 * Queues the failed items of a selection again through `enqueue` (the engine's own, or a
 * `ChangeQueue`'s), as a force refresh. Resolves with how many items were queued.
 */
export async function requeueFailed(
  storage: StorageAdapter,
  connectorId: string,
  selection: RetrySelection,
  enqueue: (changes: Change[], options: EnqueueOptions) => Promise<unknown>,
): Promise<number> {
  const changes = await changesToRetry(storage, connectorId, selection);
  if (changes.length === 0) return 0;
  await enqueue(changes, { force: true });
  return changes.length;
}
