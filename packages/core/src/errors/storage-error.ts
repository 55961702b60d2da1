import { ShopsyncError } from './shopsync-error.js';

/** The storage adapter an error comes from: core's memory storage, or one of the durable adapters. */
export type StorageBackend = 'memory' | 'sqlite' | 'postgres' | 'indexeddb';

/** What every storage error is made with. */
export interface StorageErrorOptions {
  backend: StorageBackend;
  /**
   * Where the storage lives, as a person finds it, never with a password: the file path (SQLite),
   * `schema "shopsync" of database "app" on db.internal:5432` (PostgreSQL), the database name
   * (IndexedDB). Absent for memory storage, and where the adapter cannot say.
   */
  location?: string | undefined;
  cause?: unknown;
}

/**
 * Base of the errors a storage adapter throws about its storage (not about the caller's input),
 * the same classes from every adapter: catch `StorageError` for all of them, or a subclass for
 * one situation. `backend` and `location` say which storage; `retryable` whether the same call,
 * made again later, may succeed without anyone changing anything first.
 */
export class StorageError extends ShopsyncError {
  override name = 'StorageError';
  readonly backend: StorageBackend;
  readonly location: string | undefined;
  readonly retryable: boolean;
  constructor(code: string, message: string, options: StorageErrorOptions & { retryable: boolean }) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.backend = options.backend;
    this.location = options.location;
    this.retryable = options.retryable;
  }
}

/**
 * The storage as a message names it: `The shopsync database /var/lib/shopsync.db` at the start of
 * a sentence, `the shopsync database …` inside one (`inside`).
 */
export function storageSubject({ backend, location }: StorageErrorOptions, inside = false): string {
  const subject =
    backend === 'memory'
      ? 'This in-memory shopsync storage'
      : location === undefined
        ? `This shopsync storage (${backend})`
        : backend === 'postgres'
          ? `The shopsync ${location}`
          : backend === 'indexeddb'
            ? `The shopsync database "${location}"`
            : `The shopsync database ${location}`;
  return inside ? subject[0]!.toLowerCase() + subject.slice(1) : subject;
}
