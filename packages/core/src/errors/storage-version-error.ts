import { StorageError, storageSubject, type StorageBackend, type StorageErrorOptions } from './storage-error.js';

const REMEDY: Record<StorageBackend, string> = {
  memory: 'Update shopsync',
  sqlite: 'Update shopsync, or point it at another file',
  postgres: 'Update shopsync (every process sharing the database), or point it at another schema',
  indexeddb: 'Update the application (reload the page to get its newest version)',
};

/**
 * The storage was written by a newer version of shopsync than this one (its schema version is
 * higher than any this code knows), so it was not opened. Nothing was changed.
 */
export class StorageVersionError extends StorageError {
  override name = 'StorageVersionError';
  /** The schema version found in the storage; undefined where the backend does not say it. */
  readonly found: number | undefined;
  /** The newest schema version this code knows. */
  readonly expected: number;
  constructor(options: StorageErrorOptions & { found?: number | undefined; expected: number }) {
    const { found, expected } = options;
    const subject = storageSubject(options);
    super(
      'storage_version_too_new',
      found === undefined
        ? `${subject} was written by a newer version of shopsync than this one, which knows schema version ${expected}. ${REMEDY[options.backend]}; nothing was changed.`
        : `${subject} has schema version ${found}, written by a newer version of shopsync than this one, which knows ${expected}. ${REMEDY[options.backend]}; nothing was changed.`,
      { ...options, retryable: false },
    );
    this.found = found;
    this.expected = expected;
  }
}
