import { StorageError, storageSubject, type StorageErrorOptions } from './storage-error.js';

/**
 * What became of an operation whose connection was lost. `not_committed`: it was rolled back
 * whole (the connection went before COMMIT), and trying it again is safe; `unknown`: COMMIT was
 * sent and no answer came, so it may or may not have been saved.
 */
export type LostOutcome = 'not_committed' | 'unknown';

/**
 * The connection to a storage server was lost or could not be made (PostgreSQL: refused, reset,
 * the server shutting down or restarting). The adapter tried again with backoff before throwing
 * this. `outcome` says whether the operation may have been saved, `retryable` whether trying it
 * again is safe; the code tells the two apart: `storage_unreachable` (nothing written) or
 * `storage_outcome_unknown`.
 */
export class StorageConnectionError extends StorageError {
  override name = 'StorageConnectionError';
  /** The operation that failed, e.g. `ack`. */
  readonly operation: string;
  readonly outcome: LostOutcome;
  /** How many times the operation was tried. */
  readonly attempts: number;
  constructor(options: StorageErrorOptions & { operation: string; outcome: LostOutcome; attempts: number }) {
    const { operation, outcome, attempts } = options;
    const subject = storageSubject(options);
    const unknown = outcome === 'unknown';
    super(
      unknown ? 'storage_outcome_unknown' : 'storage_unreachable',
      unknown
        ? `The connection to ${storageSubject(options, true)} was lost while ${operation} was being committed: it may or may not have been saved. ` +
            'Read the state back before repeating it (a lease not acknowledged returns its items when it expires).'
        : `${subject} could not be reached for ${operation} (${attempts} attempt${attempts === 1 ? '' : 's'}); nothing of it was written. Check that the ${options.backend === 'postgres' ? 'PostgreSQL ' : ''}server is running and reachable, then try again.`,
      { ...options, retryable: !unknown },
    );
    this.operation = operation;
    this.outcome = outcome;
    this.attempts = attempts;
  }
}
