import { SCHEMA_VERSION } from '../schemas/common.js';
import type { QueueEntry } from '../schemas/queue.js';

/**
 * A queue entry as a durable adapter's lease reads it: `key` and `seq` are known at once (the
 * lease plan steps over keys and pages by seq), the rest is parsed and checked by `load` only
 * when first looked at, or when the lease hands the entry out: most rows a plan reads are never
 * handed out. A subclass keeps its row and says how to load it (a method, not a closure: one is
 * made per row read).
 */
export abstract class LazyQueueEntry implements QueueEntry {
  readonly v = SCHEMA_VERSION;
  #entry: QueueEntry | undefined;

  constructor(
    readonly key: string,
    readonly seq: number,
  ) {}

  /** The entry, checked whole; throws a StorageCorruptError for a damaged row. Called once. */
  protected abstract load(): QueueEntry;

  /** The entry, checked whole (loaded on first use). */
  get entry(): QueueEntry {
    return (this.#entry ??= this.load());
  }
  get entity(): QueueEntry['entity'] {
    return this.entry.entity;
  }
  get ref(): string {
    return this.entry.ref;
  }
  get change(): QueueEntry['change'] {
    return this.entry.change;
  }
  get force(): boolean {
    return this.entry.force;
  }
  get enqueuedAt(): string {
    return this.entry.enqueuedAt;
  }
}
