import { ShopsyncError } from '@shopsync/core';

/** Another tab holds this database open at an older version, so the upgrade this code needs cannot run. */
export class StorageBlockedError extends ShopsyncError {
  override name = 'StorageBlockedError';
  constructor(readonly dbName: string, readonly version: number) {
    super(
      'storage_blocked',
      `The shopsync database "${dbName}" needs an upgrade to version ${version}, but another tab still has it open with an older version. Close or reload the other tabs of this application.`,
    );
  }
}

/** Another tab upgraded the database: this connection was closed so as not to block it. */
export class StorageVersionChangedError extends ShopsyncError {
  override name = 'StorageVersionChangedError';
  constructor(readonly dbName: string) {
    super('storage_version_changed', `The shopsync database "${dbName}" was upgraded by a newer version of this application in another tab. Reload this page.`);
  }
}

/** The database on disk was written by a newer version of shopsync than this code knows. */
export class StorageVersionError extends ShopsyncError {
  override name = 'StorageVersionError';
  constructor(readonly dbName: string, readonly version: number, options?: { cause?: unknown }) {
    super(
      'storage_version_too_new',
      `The shopsync database "${dbName}" was created by a newer version of shopsync than this one (which knows schema version ${version}). Update the application; nothing was changed.`,
      options,
    );
  }
}

/** The browser refused to store more data for this site. Nothing of the failed operation was written. */
export class StorageQuotaError extends ShopsyncError {
  override name = 'StorageQuotaError';
  constructor(options?: { cause?: unknown }) {
    super(
      'storage_quota_exceeded',
      'The browser has no more storage space for this site, so the change was not saved (nothing of it was written). Free disk space or site data, or export and clear old sync history.',
      options,
    );
  }
}

/** The storage was closed (by `close()`, or by the browser). */
export class StorageClosedError extends ShopsyncError {
  override name = 'StorageClosedError';
  constructor(readonly dbName: string, reason: string) {
    super('storage_closed', `The shopsync database "${dbName}" is closed: ${reason}`);
  }
}

/** Where a damaged record was read: the object store, the record's key (as a person finds it) and the field path. */
export interface DamagedRecord {
  store: string;
  /** E.g. `connector "store-1"`. */
  key: string;
  /** E.g. `record.config.shopDomain`. */
  field: string;
  /** What is wrong with it, e.g. `expected an object, found 42`. */
  problem: string;
}

/**
 * A record read from the database does not have the shape shopsync wrote (changed by hand in
 * DevTools, or by another program on the origin): `store`, `key` and `field` name it. Nothing
 * damaged is used: the operation that met it is refused and changes nothing.
 */
export class StorageCorruptError extends ShopsyncError {
  override name = 'StorageCorruptError';
  readonly store: string;
  readonly key: string;
  readonly field: string;
  constructor(
    readonly dbName: string,
    record: DamagedRecord,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_corrupt',
      `The shopsync database "${dbName}" holds a damaged record: store ${record.store}, ${record.key}, field ${record.field}: ${record.problem}. shopsync did not use it and changed nothing. ` +
        'Correct or delete that record (a connector of the registry: deleteConnector, then create it again), or clear the site data and sync again.',
      options,
    );
    this.store = record.store;
    this.key = record.key;
    this.field = record.field;
  }
}
