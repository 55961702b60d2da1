/**
 * Every operation of the storage is one transaction, run here: BEGIN … COMMIT on one pooled
 * connection, ROLLBACK on any error. What happens when the connection is lost depends on when:
 *
 * - before COMMIT was sent, the server rolled the transaction back: nothing was written, and the
 *   operation is tried again (a few times, with exponential backoff and jitter);
 * - while COMMIT was on its way, nobody knows whether it was saved: a write that is safe to repeat
 *   (`repeatable`: setting values, not adding them) is tried again, any other surfaces as a
 *   StorageConnectionError with outcome `unknown`. Reads are always tried again.
 *
 * A transaction the server rolled back to break a deadlock or a serialization conflict is tried
 * again too. Other errors are typed (classify.ts) and thrown.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ShopsyncError, StorageClosedError, StorageConnectionError } from '@shopsync/core';
import { backoffDelay } from '@shopsync/core/internal';
import { classify, isConnectionLost, isRolledBackConflict } from './classify.js';

/** How often, and how patiently, an operation is tried again after a lost connection. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first wait (ms); each next one doubles, with jitter, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

/** What a transaction's code queries through: rows as objects, bigint columns as numbers. */
export interface Db {
  query<R = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** The part of a pooled client (pg.PoolClient) used here. */
export interface ClientLike {
  query(config: pg.QueryConfig): Promise<{ rows: unknown[] }>;
  release(err?: Error | boolean): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
}

/** The part of a pool (pg.Pool) used here. */
export interface PoolLike {
  connect(): Promise<ClientLike>;
}

/**
 * `read`: one statement, its own transaction (no BEGIN). `snapshot`: several reads seeing one
 * state (REPEATABLE READ, READ ONLY). `write`: READ COMMITTED, with row locks where needed.
 */
export type TxMode = 'read' | 'snapshot' | 'write';

/** What the runner needs to know of an operation. */
export interface TxSpec {
  /** The operation, for errors: `enqueue`, `lease`, … */
  name: string;
  mode: TxMode;
  /** A write whose repetition changes nothing (it sets values, it adds none): tried again even when its COMMIT went unanswered. */
  repeatable?: boolean;
}

const INT8 = 20;
const INT8_ARRAY = 1016;
/** int8 (and each int8 of an array) as a number while it is a safe integer (counts, seqs, epoch ms, ids); else the text, which the record checks refuse. */
const parseInt8 = (text: string): number | string => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};
/** Type parsers of this storage's queries only: the host's pool and its other queries keep theirs. */
export const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === 'binary') return pg.types.getTypeParser(oid, format);
    if (oid === INT8) return parseInt8;
    if (oid === INT8_ARRAY) {
      const texts = pg.types.getTypeParser(INT8_ARRAY as never, 'text') as (text: string) => Array<string | null>;
      return (text: string) => texts(text).map((t) => (t === null ? null : parseInt8(t)));
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

const BEGIN: Record<Exclude<TxMode, 'read'>, string> = {
  snapshot: 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY',
  write: 'BEGIN',
};

/** Runs operations as transactions on a pool, retrying as the module comment says. */
export class Transactions {
  readonly #pool: PoolLike;
  readonly #database: string;
  readonly #retry: RetryOptions;
  readonly #closed: () => boolean;

  /** `database` names the storage in errors; `closed()` says the storage was closed. */
  constructor(pool: PoolLike, database: string, retry: RetryOptions, closed: () => boolean) {
    this.#pool = pool;
    this.#database = database;
    this.#retry = retry;
    this.#closed = closed;
  }

  /** Runs `fn` as one transaction (see the module comment) and returns what it returns. */
  async run<T>(spec: TxSpec, fn: (db: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.#closed()) throw new StorageClosedError({ backend: 'postgres', location: this.#database });
      let phase: 'connect' | 'body' | 'commit' = 'connect';
      let client: ClientLike | undefined;
      // A connection that breaks between two queries is reported on the client, not by a query.
      let broken: Error | undefined;
      const onError = (err: Error) => (broken ??= err);
      try {
        client = await this.#pool.connect();
        client.on('error', onError);
        const c = client;
        const db: Db = { query: async <R>(text: string, values?: readonly unknown[]) => (await c.query({ text, values: values as unknown[], types: TYPES })).rows as R[] };
        phase = 'body';
        if (spec.mode !== 'read') await c.query({ text: BEGIN[spec.mode] });
        const out = await fn(db);
        // A connection already reported broken never got the COMMIT: the outcome is known.
        if (broken === undefined) phase = 'commit';
        if (spec.mode !== 'read') await c.query({ text: 'COMMIT' });
        c.removeListener('error', onError);
        c.release();
        return out;
      } catch (err) {
        const lost = isConnectionLost(err) || (broken !== undefined && !(err instanceof ShopsyncError));
        if (client) await this.#end(client, onError, spec, lost ? (broken ?? (err as Error)) : undefined, phase);
        if (lost) {
          const unknown = phase === 'commit' && spec.mode === 'write';
          if ((unknown && !spec.repeatable) || attempt >= this.#retry.attempts) {
            throw new StorageConnectionError({
              backend: 'postgres',
              location: this.#database,
              operation: spec.name,
              outcome: unknown ? 'unknown' : 'not_committed',
              attempts: attempt,
              cause: broken ?? err,
            });
          }
        } else if (!isRolledBackConflict(err) || attempt >= this.#retry.attempts) {
          throw err instanceof ShopsyncError ? err : classify(err, this.#database);
        }
        await sleep(backoffDelay(attempt - 1, this.#retry));
      }
    }
  }

  /** Rolls back (unless the connection is gone) and returns the client: a broken one is destroyed, not pooled again. */
  async #end(client: ClientLike, onError: (err: Error) => void, spec: TxSpec, lostWith: Error | undefined, phase: string): Promise<void> {
    let destroy = lostWith;
    if (!destroy && spec.mode !== 'read' && phase !== 'commit') {
      try {
        await client.query({ text: 'ROLLBACK' });
      } catch (err) {
        destroy = err as Error;
      }
    }
    client.removeListener('error', onError);
    // Keep listening until the client is gone: a late 'error' with no listener would end the process.
    if (destroy) client.on('error', () => undefined);
    client.release(destroy ?? undefined);
  }
}
