/**
 * Reads of the Item Synchronization Status tab that every `SyncSource` answers alike, whatever
 * it reads from (an engine in the same process, or a storage shared with the process that runs
 * the engine): the view of an item, the filter as given, and the summary of failed items.
 */
import type { ItemStatus } from '../schemas/item.js';
import type { ItemQuery, Page } from '../storage/adapter.js';
import type { ItemErrorGroup, ItemErrorSummary, ItemFilterQuery, ItemView } from './sync-source.js';

/** Items read per page while summarizing errors (the largest page a query may ask). */
const SCAN_PAGE = 1_000;
/** Groups returned by `summarizeItemErrors`, largest first. */
const MAX_GROUPS = 50;

/** An item as a source shows it: its status without the change data. */
export function toItemView(item: ItemStatus): ItemView {
  const { change: _change, ...rest } = item;
  return rest;
}

/** Only the filter's own fields: an empty reference is no filter. */
export function cleanItemFilter(f: ItemFilterQuery): ItemFilterQuery {
  const out: ItemFilterQuery = {};
  if (f.ref !== undefined && f.ref !== '') out.ref = f.ref;
  if (f.status !== undefined) out.status = f.status;
  if (f.entity !== undefined) out.entity = f.entity;
  if (f.since !== undefined) out.since = f.since;
  return out;
}

/**
 * The retry filter of the Item tab's filter: retries concern failed items only, so a filter on
 * another status names none (undefined); the status itself is not part of a retry filter.
 */
export function failedItemsFilter(f: ItemFilterQuery): Omit<ItemFilterQuery, 'status'> | undefined {
  const { status, ...rest } = cleanItemFilter(f);
  return status === undefined || status === 'error' ? rest : undefined;
}

/**
 * Failed items matching the filter, grouped by cause (the same code, field and message), the
 * largest groups first (at most 50). `read` answers one page of an item query: the engine's
 * `queryItems`, or a storage's for one connector.
 */
export async function summarizeItemErrors(read: (query: ItemQuery) => Promise<Page<ItemStatus>>, filter: ItemFilterQuery = {}): Promise<ItemErrorSummary> {
  const groups = new Map<string, ItemErrorGroup>();
  let failedItems = 0;
  let repeatedFailures = 0;
  const f = { ...cleanItemFilter(filter), status: 'error' as const };
  for (let offset = 0; ; offset += SCAN_PAGE) {
    const page = await read({ ...f, offset, limit: SCAN_PAGE });
    for (const item of page.items) {
      failedItems += 1;
      if (item.consecutiveFailures >= 2) repeatedFailures += 1;
      // An item counts once per distinct cause, however many times that cause appears in it.
      const seen = new Set<string>();
      for (const e of item.errors) {
        const key = JSON.stringify([e.code ?? null, e.field ?? null, e.message]);
        if (seen.has(key)) continue;
        seen.add(key);
        const g = groups.get(key);
        if (g) g.count += 1;
        else {
          const group: ItemErrorGroup = { message: e.message, count: 1 };
          if (e.code !== undefined) group.code = e.code;
          if (e.field !== undefined) group.field = [...e.field];
          groups.set(key, group);
        }
      }
    }
    if (page.items.length < SCAN_PAGE) break;
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  return { failedItems, repeatedFailures, groups: sorted.slice(0, MAX_GROUPS) };
}
