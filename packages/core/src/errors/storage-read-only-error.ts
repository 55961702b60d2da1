import { StorageError, storageSubject, type StorageErrorOptions } from './storage-error.js';

/**
 * The storage refuses writes: SQLite, the file or its folder is read-only (or the folder cannot
 * be made); PostgreSQL, the server is a replica or read-only mode is on (SQLSTATE 25006).
 * Nothing of the operation was written.
 */
export class StorageReadOnlyError extends StorageError {
  override name = 'StorageReadOnlyError';
  constructor(options: StorageErrorOptions) {
    const subject = storageSubject(options);
    super(
      'storage_read_only',
      options.backend === 'sqlite'
        ? `${subject} cannot be opened for writing. Check that its folder exists and that the file and folder are writable by this process.`
        : options.backend === 'postgres'
          ? `${subject} is read-only (a replica, or default_transaction_read_only is on), so nothing was written. Point shopsync at the primary server, or turn read-only mode off for its role or database.`
          : `${subject} is read-only, so nothing was written. Give shopsync a storage it may write to.`,
      { ...options, retryable: false },
    );
  }
}
