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

/** The file is not a SQLite database, or it is damaged. */
export class StorageCorruptError extends ShopsyncError {
  override name = 'StorageCorruptError';
  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_corrupt',
      `The file ${path} is not a readable shopsync database (it is damaged or not SQLite). Restore it from a backup or move it aside; shopsync did not modify it.`,
      options,
    );
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
