/**
 * Lease rows (migrations.ts version 2, `leases`): what a lease handed out, in its own row. The
 * rows it names are in flight while it lives; an item row itself carries nothing about leases.
 * Read with every cell checked (records.ts): a damaged lease row is a StorageCorruptError naming it.
 */
import { type QueueEntry } from '@shopsync/core';
import { itemKey, queueEntrySchema } from '@shopsync/core/internal';
import { corrupt, count, fail, instant, json, rowOf, shaped, type At } from './records.js';

/** A lease row as read (sql.ts LEASE_COLUMNS). */
export interface LeaseDbRow {
  id: string;
  expires_at: unknown;
  ids: unknown;
  keys: unknown;
  seqs: unknown;
  superseded: unknown;
}

/** One item a lease handed out: its row, and the seq of the change it handed out. */
export interface Handed {
  id: number;
  seq: number;
}

/** A live (or just ended) lease, checked. */
export interface LeaseRecord {
  id: string;
  expiresAt: number;
  /** What it handed out, by item key. */
  handed: Map<string, Handed>;
  /** Entries it handed out whose rows took a newer change since, by key (a copy: the row no longer holds them). */
  superseded: Map<string, QueueEntry>;
  /** Where the row is, for errors. */
  at: At;
}

/** The lease row `r` of connector `c`, each cell checked. */
export function toLease(database: string, c: string, r: LeaseDbRow): LeaseRecord {
  const at: At = { database, table: 'leases', row: () => rowOf(c, 'id', r.id) };
  const expiresAt = instant(at, 'expires_at', r.expires_at);
  const { ids, keys, seqs } = r;
  if (!Array.isArray(keys)) fail(at, 'keys', 'a list of item keys', keys);
  if (!Array.isArray(ids) || ids.length !== keys.length) fail(at, 'ids', `a list of ${keys.length} row ids (one per key)`, ids);
  if (!Array.isArray(seqs) || seqs.length !== keys.length) fail(at, 'seqs', `a list of ${keys.length} seqs (one per key)`, seqs);
  const handed = new Map<string, Handed>();
  keys.forEach((key: unknown, i) => {
    if (typeof key !== 'string' || handed.has(key)) fail(at, `keys[${i}]`, 'an item key "type:ref", once', key);
    handed.set(key, { id: count(at, `ids[${i}]`, ids[i]), seq: count(at, `seqs[${i}]`, seqs[i]) });
  });
  const superseded = new Map<string, QueueEntry>();
  if (r.superseded !== null) {
    const list = json(at, 'superseded', r.superseded);
    if (!Array.isArray(list)) fail(at, 'superseded', 'a list of queue entries', list);
    list.forEach((e: unknown, i) => {
      const entry = shaped(at, `superseded[${i}]`, e, queueEntrySchema);
      if (entry.key !== itemKey(entry.entity, entry.ref)) throw corrupt(at, `superseded[${i}].key`, 'expected the type and reference of the entry');
      if (handed.get(entry.key)?.seq !== entry.seq) throw corrupt(at, `superseded[${i}]`, `expected an entry this lease handed out, found ${entry.key} seq ${entry.seq}`);
      superseded.set(entry.key, entry);
    });
  }
  return { id: r.id, expiresAt, handed, superseded, at };
}
