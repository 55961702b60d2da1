import { z } from 'zod';
import { changeBatchSchema, type Change } from '../schemas/change.js';
import type { EntityCounts } from '../schemas/common.js';
import type { NewQueueEntry, StorageAdapter } from '../storage/adapter.js';
import { parseOrThrow } from '../validate.js';
import { itemKey } from './keys.js';

/** How a batch is enqueued: `force` makes it a force refresh. */
export interface EnqueueOptions {
  /** Force refresh: send every given upsert even if unchanged; deletions are dropped, never sent. */
  force?: boolean;
}

/**
 * What an enqueue did: the changes it accepted, the deletions a force refresh dropped, and what is
 * pending after it, per kind.
 */
export interface EnqueueResult {
  /** Changes written to the queue. */
  accepted: number;
  /** Deletions dropped because the batch was a force refresh. */
  ignoredDeletions: number;
  pending: EntityCounts;
}

const enqueueOptionsSchema = z.object({ force: z.boolean().optional() }).strict();

/** Validates a whole batch of changes and turns it into queue entries: all or nothing. */
export function toQueueEntries(changes: unknown, options: EnqueueOptions = {}): { entries: NewQueueEntry[]; ignoredDeletions: number } {
  const opts = parseOrThrow(enqueueOptionsSchema, options, 'options', 'enqueue options');
  const batch: Change[] = parseOrThrow(changeBatchSchema, changes, 'changes', 'changes');
  const force = opts.force === true;
  const entries: NewQueueEntry[] = [];
  let ignoredDeletions = 0;
  for (const change of batch) {
    if (force && change.op === 'delete') {
      ignoredDeletions++;
      continue;
    }
    entries.push({ key: itemKey(change.entity, change.ref), entity: change.entity, ref: change.ref, change, force });
  }
  return { entries, ignoredDeletions };
}

/**
 * The change queue of one connector: validated writes over a StorageAdapter. The host calls
 * `enqueue` whenever its catalog changes; an engine drains the queue in iterations.
 */
export class ChangeQueue {
  constructor(
    readonly storage: StorageAdapter,
    readonly connectorId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Validates every change first; on any error nothing is enqueued and a ValidationError names the
   * fields. A category that was skipped because it was empty comes back with the first product
   * that names it, so that its collection is made, and counted, with that product.
   */
  async enqueue(changes: unknown, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const { entries, ignoredDeletions } = toQueueEntries(changes, options);
    const pending = entries.length
      ? await this.storage.enqueue(this.connectorId, [...(await this.#emptyCategoriesNamed(entries)), ...entries], this.now())
      : await this.storage.pendingCounts(this.connectorId);
    return { accepted: entries.length, ignoredDeletions, pending };
  }

  /** Categories the batch's products name that were last skipped as empty, with the change they were skipped with. */
  async #emptyCategoriesNamed(entries: readonly NewQueueEntry[]): Promise<NewQueueEntry[]> {
    const named = new Set<string>();
    for (const e of entries) if (e.change.entity === 'product' && e.change.op === 'upsert') for (const ref of e.change.data.categoryRefs ?? []) named.add(itemKey('category', ref));
    for (const e of entries) named.delete(e.key);
    if (named.size === 0) return [];
    const statuses = await this.storage.getItems(this.connectorId, [...named]);
    return statuses.flatMap((s) =>
      s.status === 'complete' && s.skipped === 'empty_category' && s.change?.entity === 'category' && s.change.op === 'upsert'
        ? [{ key: itemKey('category', s.ref), entity: 'category' as const, ref: s.ref, change: s.change, force: false }]
        : [],
    );
  }

  pendingCounts(): Promise<EntityCounts> {
    return this.storage.pendingCounts(this.connectorId);
  }
}
