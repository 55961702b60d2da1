import { ShopsyncError } from '@shopsync/core';

/** The database file was written by a newer version of shopsync than this one. Nothing was changed. */
export class StorageVersionError extends ShopsyncError {
  override name = 'StorageVersionError';
  constructor(
    readonly path: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      'storage_version_too_new',
      `The shopsync database ${path} has schema version ${found}, newer than this version of shopsync knows (${known}). Update shopsync, or point it at another file; nothing was changed.`,
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
 * The file is not a SQLite database, or it is damaged: as a whole (`record` undefined), or one
 * record read from it does not have the shape shopsync wrote (`record` names it). Nothing damaged
 * is used: the read, lease or ack that met it is refused and changes nothing.
 */
export class StorageCorruptError extends ShopsyncError {
  override name = 'StorageCorruptError';
  readonly table: string | undefined;
  readonly row: string | undefined;
  readonly field: string | undefined;
  constructor(
    readonly path: string,
    options?: { cause?: unknown; record?: DamagedRecord },
  ) {
    const r = options?.record;
    super(
      'storage_corrupt',
      r
        ? `The shopsync database ${path} holds a damaged record: table ${r.table}, ${r.row}, field ${r.field}: ${r.problem}. shopsync did not use it and changed nothing. ` +
            'Restore the database from a backup, or correct or delete that row (a deleted item is queued again by enqueueing its change).'
        : `The file ${path} is not a readable shopsync database (it is damaged or not SQLite). Restore it from a backup or move it aside; shopsync did not modify it.`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.table = r?.table;
    this.row = r?.row;
    this.field = r?.field;
  }
}

/** The database cannot be written: the file or its folder is read-only, or the folder does not exist. */
export class StorageReadOnlyError extends ShopsyncError {
  override name = 'StorageReadOnlyError';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_read_only',
      `The shopsync database ${path} cannot be opened for writing. Check that its folder exists and that the file and folder are writable by this process.`,
      options,
    );
  }
}

/** The storage was closed. */
export class StorageClosedError extends ShopsyncError {
  override name = 'StorageClosedError';
  constructor(readonly path: string) {
    super('storage_closed', `The shopsync database ${path} is closed.`);
  }
}
