import { StorageError, storageSubject, type StorageErrorOptions } from './storage-error.js';

/**
 * Why a storage is closed: `closed`, its `close()` was called; `lost`, the browser or the server
 * closed it (site data cleared, a storage failure); `superseded`, a newer version of the
 * application upgraded (or deleted) it elsewhere, and this connection stepped aside.
 */
export type StorageClosedReason = 'closed' | 'lost' | 'superseded';

/** A call on a storage that is closed: nothing was done. `reason` says why it is closed. */
export class StorageClosedError extends StorageError {
  override name = 'StorageClosedError';
  readonly reason: StorageClosedReason;
  constructor(options: StorageErrorOptions & { reason?: StorageClosedReason }) {
    const reason = options.reason ?? 'closed';
    const subject = storageSubject(options);
    const browser = options.backend === 'indexeddb';
    const message = {
      closed:
        options.backend === 'memory'
          ? `${subject} is closed (its close() was called) and what it held is gone. Use a new one.`
          : `${subject} is closed (its close() was called). Open it again to go on.`,
      lost: browser
        ? `${subject} was closed by the browser (site data cleared, or a storage failure). Reload this page to open it again.`
        : `${subject} was closed by the server. Open it again to go on.`,
      superseded: browser
        ? `${subject} was upgraded by a newer version of this application in another tab, so this connection was closed so as not to block it. Reload this page.`
        : `${subject} was upgraded by a newer version of shopsync elsewhere, so this connection was closed. Update shopsync.`,
    }[reason];
    super('storage_closed', message, { ...options, retryable: false });
    this.reason = reason;
  }
}
