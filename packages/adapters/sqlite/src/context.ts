/**
 * What the storage's operations (queue.ts, history.ts, items.ts) share with the class that runs
 * them (storage.ts): the connection, its prepared statements, the file's path (errors name it),
 * and what the connection remembers from one operation to the next. The operations are
 * synchronous and run inside the transaction storage.ts opens (better-sqlite3: nothing is awaited).
 */
import type { Database, Statement } from 'better-sqlite3';
import { prepareStatements, type Statements } from './statements.js';

export interface StorageContext {
  readonly db: Database;
  /** The database file's path, or `:memory:`. */
  readonly path: string;
  readonly s: Statements;
  /** The item tab's statements, prepared once per filter shape (history.ts `queryItems`). */
  readonly queries: Map<string, { page: Statement; count: Statement }>;
  /**
   * Connector name -> its number in `connectors` (items name their connector by it). Only
   * committed ones: storage.ts clears it when a transaction fails.
   */
  readonly cids: Map<string, number>;
  /** The last `updatedAt` parsed: an ack's outcomes mostly share one (queue.ts). */
  lastTime: { iso: string; ms: number };
}

/** The context of a connection to the (migrated) database at `path`: its statements prepared, nothing remembered yet. */
export function contextOf(db: Database, path: string): StorageContext {
  return { db, path, s: prepareStatements(db), queries: new Map(), cids: new Map(), lastTime: { iso: '', ms: 0 } };
}
