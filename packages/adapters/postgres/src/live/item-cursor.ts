import { type ItemStatus, type ItemView } from '@shopsync/core';
import { itemKey } from '@shopsync/core/internal';

/**
 * Which item statuses a live source has already told, so that each read of "items updated
 * lately" yields only what is new.
 *
 * An item's `updatedAt` is stamped by the process that wrote it, before its transaction commits,
 * so a write may become visible after a later-stamped one. Each read therefore looks back
 * `lookbackMs` before the newest time seen, and the cursor remembers what it told within that
 * window (by item, time and status) to drop what it already told.
 */
export class ItemCursor {
  readonly lookbackMs: number;
  /** Newest `updatedAt` seen (epoch ms). */
  #newest: number | undefined;
  /** Item key → fingerprint of the status told, for statuses inside the window. */
  #told = new Map<string, { at: number; print: string }>();

  constructor(lookbackMs: number) {
    this.lookbackMs = lookbackMs;
  }

  /** The `since` of the next read (ISO), or undefined to read every item. */
  since(): string | undefined {
    return this.#newest === undefined ? undefined : new Date(this.#newest - this.lookbackMs).toISOString();
  }

  /** Of `items` (read with `since()`), those not told before. Pure: `record` them once told. */
  fresh(items: readonly ItemStatus[]): ItemStatus[] {
    return items.filter((i) => this.#told.get(itemKey(i.entity, i.ref))?.print !== fingerprint(i));
  }

  /** Remembers `items` as told and moves the window to the newest time seen. */
  record(items: readonly (ItemStatus | ItemView)[]): void {
    for (const i of items) {
      const at = Date.parse(i.updatedAt);
      if (!Number.isFinite(at)) continue;
      if (this.#newest === undefined || at > this.#newest) this.#newest = at;
      this.#told.set(itemKey(i.entity, i.ref), { at, print: fingerprint(i) });
    }
    const floor = (this.#newest ?? 0) - this.lookbackMs;
    for (const [key, t] of this.#told) if (t.at < floor) this.#told.delete(key);
  }

  /** Forgets everything told: the next read starts from `newest` (an ISO time), or from the start. */
  reset(newest?: string): void {
    this.#told.clear();
    const at = newest === undefined ? NaN : Date.parse(newest);
    this.#newest = Number.isFinite(at) ? at : undefined;
  }
}

function fingerprint(i: ItemStatus | ItemView): string {
  return `${i.updatedAt}|${i.status}|${i.syncEventId ?? ''}|${i.consecutiveFailures}`;
}
