import { StorageError, storageSubject, type StorageErrorOptions } from './storage-error.js';

/** Where a damaged record was read: the table (IndexedDB: the object store), the row (as a person finds it) and the field path. */
export interface DamagedRecord {
  table: string;
  /** E.g. `connector "store-1", key "product:P1"`. */
  row: string;
  /** E.g. `pending.data.title`. */
  field: string;
  /** What is wrong with it, e.g. `expected JSON, found "{oops"`. */
  problem: string;
}

/** What a person can do about a damaged record. */
function recordRemedy(options: StorageErrorOptions, record: DamagedRecord): string {
  if (options.backend === 'indexeddb') {
    return 'Correct or delete that record (a connector of the registry: deleteConnector, then create it again), or clear the site data and sync again.';
  }
  const requeue = record.table === 'items' ? ' (a deleted item is queued again by enqueueing its change)' : '';
  return `Restore the database from a backup, or correct or delete that row${requeue}.`;
}

/**
 * The storage is damaged: as a whole (`table`, `row`, `field` undefined: e.g. a file that is not
 * a SQLite database), or one record read from it does not have the shape shopsync wrote (changed
 * by hand, or by another program), and `table`, `row` and `field` name it. Nothing damaged is
 * used: the read, lease or ack that met it is refused and changes nothing.
 */
export class StorageCorruptError extends StorageError {
  override name = 'StorageCorruptError';
  readonly table: string | undefined;
  readonly row: string | undefined;
  readonly field: string | undefined;
  readonly problem: string | undefined;
  constructor(options: StorageErrorOptions & { record?: DamagedRecord | undefined }) {
    const r = options.record;
    const subject = storageSubject(options);
    const place = options.backend === 'indexeddb' ? 'store' : 'table';
    super(
      'storage_corrupt',
      r
        ? `${subject} holds a damaged record: ${place} ${r.table}, ${r.row}, field ${r.field}: ${r.problem}. shopsync did not use it and changed nothing. ${recordRemedy(options, r)}`
        : options.backend === 'sqlite'
          ? `The file ${options.location ?? ''} is not a readable shopsync database (it is damaged or not SQLite). Restore it from a backup or move it aside; shopsync did not modify it.`
          : `${subject} cannot be read: it is damaged. Restore it from a backup; shopsync did not modify it.`,
      { ...options, retryable: false },
    );
    this.table = r?.table;
    this.row = r?.row;
    this.field = r?.field;
    this.problem = r?.problem;
  }
}
