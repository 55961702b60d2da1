import { StorageCorruptError } from '@shopsync/core';
import { recordChecks, rowOf, type RecordPlace } from '@shopsync/core/internal';

/**
 * Checks of what is read back from the database: core's `recordChecks` (shared with the other
 * durable adapters), throwing core's StorageCorruptError, which names the schema and
 * database, the table, the row and the field. JSON is stored as text (not jsonb): read back as
 * written, and a string holding U+0000 (which jsonb refuses) is stored like any other.
 */

/** The table and row a value is read from, in `database`. */
export interface At extends RecordPlace {
  /** The storage, as errors name it (`schema "shopsync" of database "app" on host:5432`). */
  readonly database: string;
}

export { rowOf };

/** The error for a damaged field of the row `at`. */
export function corrupt(at: At, field: string, problem: string, cause?: unknown): StorageCorruptError {
  return new StorageCorruptError({ backend: 'postgres', location: at.database, cause, record: { table: at.table, row: at.row(), field, problem } });
}

const checks = recordChecks<At>(corrupt);
export const { json, record, shaped, count, instant, text, change, toEntry, drainColumns, storedItem } = checks;
/** Throws the error for a field that is not what was expected (typed here: TypeScript narrows after a call only to a function declared with its type). */
export const fail: (at: At, field: string, expected: string, found: unknown, cause?: unknown) => never = checks.fail;

/** Where an item row is, for errors. A class, not a closure: one is made per item leased, and a closure costs about as much as parsing the change. */
class ItemAt implements At {
  constructor(
    readonly database: string,
    readonly connector: string,
    readonly key: unknown,
  ) {}
  get table(): string {
    return 'items';
  }
  row(): string {
    return rowOf(this.connector, 'key', typeof this.key === 'string' ? this.key : String(this.key));
  }
}

/** The row of item `key` of connector `c` in `items`, for errors. */
export const itemAt = (database: string, c: string, key: unknown): At => new ItemAt(database, c, key);
