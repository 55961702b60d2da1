/**
 * The typed errors of @shopsync/postgres. Names, codes and fields follow @shopsync/sqlite's where
 * the two correspond (StorageVersionError, StorageCorruptError, StorageReadOnlyError,
 * StorageClosedError); a server database adds a lost connection and a full disk. `database` is
 * where the storage lives, as a person finds it (`schema "shopsync" of database "app" on
 * db.internal:5432`): never a password, never a whole connection string.
 */
import { ShopsyncError } from '@shopsync/core';

/** The schema was migrated by a newer version of shopsync than this one. Nothing was changed. */
export class StorageVersionError extends ShopsyncError {
  override name = 'StorageVersionError';
  constructor(
    readonly database: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      'storage_version_too_new',
      `The shopsync ${database} has schema version ${found}, newer than this version of shopsync knows (${known}). Update shopsync (every process sharing the database), or point it at another schema; nothing was changed.`,
    );
  }
}

/** Where a damaged record was read: the table, the row (as a person finds it) and the field path. */
export interface DamagedRecord {
  table: string;
  /** E.g. `connector "store-1", key "product:P1"`. */
  row: string;
  /** E.g. `pending.data.title`. */
  field: string;
  /** What is wrong with it, e.g. `expected JSON, found "{oops"`. */
  problem: string;
}

/**
 * A record read from the database does not have the shape shopsync wrote (changed by hand, or by
 * another program): `table`, `row` and `field` name it. Nothing damaged is used: the read, lease
 * or ack that met it is refused and changes nothing.
 */
export class StorageCorruptError extends ShopsyncError {
  override name = 'StorageCorruptError';
  readonly table: string;
  readonly row: string;
  readonly field: string;
  constructor(
    readonly database: string,
    record: DamagedRecord,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_corrupt',
      `The shopsync ${database} holds a damaged record: table ${record.table}, ${record.row}, field ${record.field}: ${record.problem}. shopsync did not use it and changed nothing. ` +
        'Restore the database from a backup, or correct or delete that row (a deleted item is queued again by enqueueing its change).',
      options,
    );
    this.table = record.table;
    this.row = record.row;
    this.field = record.field;
  }
}

/**
 * The database refuses writes (PostgreSQL's `read_only_sql_transaction`, 25006): a hot standby
 * replica, or `default_transaction_read_only` set for the database, the role or the connection.
 * Nothing of the operation was written.
 */
export class StorageReadOnlyError extends ShopsyncError {
  override name = 'StorageReadOnlyError';
  constructor(
    readonly database: string,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_read_only',
      `The shopsync ${database} is read-only (a replica, or default_transaction_read_only is on), so nothing was written. Point shopsync at the primary server, or turn read-only mode off for its role or database.`,
      options,
    );
  }
}

/** The database server's disk is full (PostgreSQL's `disk_full`, 53100). Nothing of the operation was written. */
export class StorageFullError extends ShopsyncError {
  override name = 'StorageFullError';
  constructor(
    readonly database: string,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_full',
      `The disk of the PostgreSQL server holding the shopsync ${database} is full, so nothing was written. Free disk space on the server (or delete old sync history), then try again.`,
      options,
    );
  }
}

/**
 * What became of an operation whose connection was lost. `not_committed`: it was rolled back
 * whole (the connection went before COMMIT), and retrying it is safe; `unknown`: COMMIT was sent
 * and no answer came, so it may or may not have been saved.
 */
export type LostOutcome = 'not_committed' | 'unknown';

/**
 * The connection to PostgreSQL was lost or could not be made (refused, reset, the server shutting
 * down or restarting: SQLSTATE class 08, 57P01-57P03). Reads, and writes known not to have
 * committed, were retried with backoff before this was thrown. `outcome` says whether the
 * operation may have been saved; `retryable` whether trying it again is safe.
 */
export class StorageConnectionError extends ShopsyncError {
  override name = 'StorageConnectionError';
  readonly retryable: boolean;
  constructor(
    readonly database: string,
    readonly operation: string,
    readonly outcome: LostOutcome,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      outcome === 'unknown' ? 'storage_outcome_unknown' : 'storage_unreachable',
      outcome === 'unknown'
        ? `The connection to the shopsync ${database} was lost while ${operation} was being committed: it may or may not have been saved. ` +
            'Read the state back before repeating it (a lease not acknowledged returns its items when it expires).'
        : `The shopsync ${database} could not be reached for ${operation} (${attempts} attempt${attempts === 1 ? '' : 's'}); nothing of it was written. Check that the PostgreSQL server is running and reachable, then try again.`,
      options,
    );
    this.retryable = outcome === 'not_committed';
  }
}

/** The storage was closed. */
export class StorageClosedError extends ShopsyncError {
  override name = 'StorageClosedError';
  constructor(readonly database: string) {
    super('storage_closed', `The shopsync ${database} is closed (this PostgresStorage's close() was called).`);
  }
}
