/**
 * Lease rows (schema.ts, `leases`): what a lease handed out, as flat [key, item id, seq] triples,
 * and in `superseded` the copies of handed-out entries whose row took a newer change while in
 * flight. Read with every cell checked (records.ts): a damaged lease row is a StorageCorruptError
 * naming it. queue.ts reads and writes them.
 */
import { type QueueEntry } from '@shopsync/core';
import { itemKey, queueEntrySchema } from '@shopsync/core/internal';
import { corrupt, count, fail, json, shaped, type At } from './records.js';

/** A lease row as read. */
export interface LeaseDbRow {
  id: string;
  expires_at: number;
  /** JSON [key, item id, seq, key, item id, seq, ...] of what the lease handed out. */
  keys: string;
  /** JSON QueueEntry[]: handed-out entries whose row got a newer change while in flight. */
  superseded: string;
}

/** What a lease handed out, as stored: flat (key, item row id, seq) triples, so one array is parsed. */
export class Handed {
  readonly #flat: Array<string | number>;
  readonly #at = new Map<string, number>();
  constructor(at: At, cell: unknown) {
    const flat = json(at, 'keys', cell);
    if (!Array.isArray(flat) || flat.length % 3 !== 0) fail(at, 'keys', 'a list of [key, item id, seq] triples', flat);
    this.#flat = flat as Array<string | number>;
    for (let i = 0; i < flat.length; i += 3) {
      if (typeof flat[i] !== 'string') fail(at, `keys[${i}]`, 'an item key', flat[i]);
      count(at, `keys[${i + 1}]`, flat[i + 1]);
      count(at, `keys[${i + 2}]`, flat[i + 2]);
      this.#at.set(flat[i] as string, i);
    }
  }
  keys(): IterableIterator<string> {
    return this.#at.keys();
  }
  has(key: string): boolean {
    return this.#at.has(key);
  }
  rowId(key: string): number {
    return this.#flat[this.#at.get(key)! + 1] as number;
  }
  seq(key: string): number {
    return this.#flat[this.#at.get(key)! + 2] as number;
  }
}

/** A lease being read or changed inside one transaction. */
export interface OpenLease {
  row: LeaseDbRow;
  superseded?: QueueEntry[];
}

/** The entries a lease row copied (`superseded`), each as core's queueEntrySchema accepts it. */
export function supersededOf(at: At, cell: unknown): QueueEntry[] {
  const list = json(at, 'superseded', cell);
  if (!Array.isArray(list)) return fail(at, 'superseded', 'a list of queue entries', list);
  return list.map((e, i) => {
    const entry = shaped(at, `superseded[${i}]`, e, queueEntrySchema);
    if (entry.key !== itemKey(entry.entity, entry.ref)) throw corrupt(at, `superseded[${i}].key`, 'expected the type and reference of the entry');
    return entry;
  });
}
