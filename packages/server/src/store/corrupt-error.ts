import { ShopsyncError } from '@shopsync/core';

/** Where a damaged record of a ServerStore was read: the table, the row (as a person finds it) and the field. */
export interface DamagedServerRecord {
  /** E.g. `server_deliveries`. */
  table: string;
  /** E.g. `id "msg_1"` or `connector "store-1", key "idem-1"`. */
  row: string;
  /** The column, and the path inside it for JSON: `attempts[2].status`. */
  field: string;
  /** What is wrong with it, e.g. `expected JSON text, found "{oops"`. */
  problem: string;
}

/**
 * A row of the service's tables (`server_*`) does not have the shape the service wrote (changed by
 * hand, or by another program). Code `storage_corrupt`, as the sync storages' StorageCorruptError;
 * `table`, `row` and `field` name the damage. Nothing damaged is used: the read or claim that met
 * it is refused and changes nothing.
 */
export class ServerStoreCorruptError extends ShopsyncError {
  override name = 'ServerStoreCorruptError';
  readonly table: string;
  readonly row: string;
  readonly field: string;
  constructor(
    /** The database as a person finds it: `the SQLite file /var/shopsync.db`, `schema "shopsync" of PostgreSQL`. */
    readonly database: string,
    record: DamagedServerRecord,
    options?: { cause?: unknown },
  ) {
    super(
      'storage_corrupt',
      `The shopsync service's data in ${database} holds a damaged record: table ${record.table}, ${record.row}, field ${record.field}: ${record.problem}. ` +
        'It was not used and nothing was changed. Correct or delete that row, or restore the database from a backup.',
      options,
    );
    this.table = record.table;
    this.row = record.row;
    this.field = record.field;
  }
}
