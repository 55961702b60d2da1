import { StorageError, storageSubject, type StorageErrorOptions } from './storage-error.js';

/**
 * The storage must be upgraded to open, but another connection still holds it open at an older
 * version (IndexedDB: another tab of the application), so the upgrade cannot run. Nothing was
 * changed; not retryable until the other connection lets go.
 */
export class StorageBlockedError extends StorageError {
  override name = 'StorageBlockedError';
  /** The schema version the upgrade goes to. */
  readonly expected: number;
  constructor(options: StorageErrorOptions & { expected: number }) {
    const holder = options.backend === 'indexeddb' ? 'another tab of this application' : 'another process';
    const remedy = options.backend === 'indexeddb' ? 'Close or reload the other tabs of this application, then try again.' : 'Stop the other process, then try again.';
    super('storage_blocked', `${storageSubject(options)} needs an upgrade to version ${options.expected}, but ${holder} still has it open at an older version. ${remedy}`, {
      ...options,
      retryable: false,
    });
    this.expected = options.expected;
  }
}
