import { StorageError, storageSubject, type StorageErrorOptions } from './storage-error.js';

/**
 * No room is left for the storage: the disk is full (PostgreSQL's disk_full, 53100; SQLite's
 * SQLITE_FULL), or the browser's quota for the site is used up (IndexedDB's QuotaExceededError).
 * Nothing of the operation was written; it may succeed once space is freed.
 */
export class StorageFullError extends StorageError {
  override name = 'StorageFullError';
  constructor(options: StorageErrorOptions) {
    const subject = storageSubject(options, true);
    super(
      'storage_full',
      options.backend === 'indexeddb'
        ? 'The browser has no more storage space for this site, so the change was not saved (nothing of it was written). Free disk space or site data, or export and clear old sync history.'
        : options.backend === 'postgres'
          ? `The disk of the PostgreSQL server holding ${subject} is full, so nothing was written. Free disk space on the server (or delete old sync history), then try again.`
          : `The disk holding ${subject} is full, so nothing was written. Free disk space (or delete old sync history), then try again.`,
      { ...options, retryable: false },
    );
  }
}
