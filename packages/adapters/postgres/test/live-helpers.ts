/** Shared by the live tests: the database (helpers.ts), a schema per test, and a recorder of source changes. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Change, SourceChange, SyncSource } from '@shopsync/core';
import { PG_URL } from './helpers.js';

export { PG_URL, unreachable } from './helpers.js';

/** Runs one statement on a connection of its own (schemas, pg_terminate_backend). */
export async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh schema with a random name, and how to drop it. */
export async function tempSchema(label: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `live_${label}_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE SCHEMA "${name}"`);
  return { name, drop: async () => void (await admin(`DROP SCHEMA IF EXISTS "${name}" CASCADE`)) };
}

/** A connector id no other test (nor another test file's schema) uses: notifications are database-wide. */
export function uniqueConnectorId(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });
export const products = (n: number, prefix = 'P'): Change[] => Array.from({ length: n }, (_, i) => product(`${prefix}${String(i).padStart(3, '0')}`));

/** Every change a source tells, and a way to wait for one. */
export class Recorder {
  readonly changes: SourceChange[] = [];
  readonly #waiters = new Set<{ test: (c: SourceChange) => boolean; resolve: (c: SourceChange) => void }>();
  readonly unsubscribe: () => void;

  constructor(source: SyncSource) {
    this.unsubscribe = source.subscribe((c) => {
      this.changes.push(c);
      for (const w of [...this.#waiters]) {
        if (!w.test(c)) continue;
        this.#waiters.delete(w);
        w.resolve(c);
      }
    });
  }

  /** The first change (already told, from `from` on, or to come) that passes `test`. */
  waitFor<T extends SourceChange = SourceChange>(label: string, test: (c: SourceChange) => boolean, { from = 0, timeoutMs = 20_000 } = {}): Promise<T> {
    const seen = this.changes.slice(from).find(test);
    if (seen) return Promise.resolve(seen as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${label}; told: ${this.summary().join(', ')}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: (c: SourceChange) => {
          clearTimeout(timer);
          resolve(c as T);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  of<K extends SourceChange['type']>(type: K, eventId?: string): Array<Extract<SourceChange, { type: K }>> {
    return this.changes.filter((c): c is Extract<SourceChange, { type: K }> => c.type === type && (eventId === undefined || ('eventId' in c && c.eventId === eventId)));
  }

  /** Status changes of an event as `previous->status`. */
  statuses(eventId: string): string[] {
    return this.of('statusChanged', eventId).map((c) => `${c.previous}->${c.status}`);
  }

  summary(): string[] {
    return this.changes.map((c) =>
      c.type === 'statusChanged' ? `${c.previous}->${c.status}` : c.type === 'iterationCompleted' ? `iteration ${c.iteration.index}` : c.type,
    );
  }
}

export const isStatus = (status: string, eventId?: string) => (c: SourceChange) =>
  c.type === 'statusChanged' && c.status === status && (eventId === undefined || c.eventId === eventId);
