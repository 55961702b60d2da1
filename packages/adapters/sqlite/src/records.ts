import { StorageCorruptError } from '@shopsync/core';
import { recordChecks, rowOf, type RecordPlace } from '@shopsync/core/internal';

/**
 * Checks of what is read back from the file: core's `recordChecks` (shared with the other durable
 * adapters), throwing core's StorageCorruptError, which names the file, the table, the row
 * and the field. SQLite keeps `force` as 0 or 1.
 */

/** The table and row a value is read from, in the file at `path`. */
export interface At extends RecordPlace {
  readonly path: string;
}

export { rowOf };

/** The error for a damaged field of the row `at`. */
export function corrupt(at: At, field: string, problem: string, cause?: unknown): StorageCorruptError {
  return new StorageCorruptError({ backend: 'sqlite', location: at.path, cause, record: { table: at.table, row: at.row(), field, problem } });
}

const checks = recordChecks<At>(corrupt);
export const { json, record, shaped, count, instant, text, drainColumns, storedItem } = checks;
/** Throws the error for a field that is not what was expected (typed here: TypeScript narrows after a call only to a function declared with its type). */
export const fail: (at: At, field: string, expected: string, found: unknown, cause?: unknown) => never = checks.fail;

/** Where an item row is, for errors. A class, not a closure: one is made per item leased, and a closure costs about as much as parsing the change. */
class ItemAt implements At {
  constructor(
    readonly path: string,
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
export const itemAt = (path: string, c: string, key: unknown): At => new ItemAt(path, c, key);

/** A row of `table` in the file at `path`, for errors: connector `c`'s (meta), or one named by `name` = `value`. */
export function rowAt(path: string, table: string, c: string, name?: string, value?: string | number): At {
  return { path, table, row: () => (name === undefined ? `connector ${JSON.stringify(c)}` : rowOf(c, name, value!)) };
}

/** The queue entry a row holds, each part checked (core's `toEntry`), `force` stored as 0 or 1. */
export function toEntry(at: At, key: string, pending: unknown, force: unknown, seq: unknown, enqueuedAt: unknown): ReturnType<typeof checks.toEntry> {
  const flag = force === 1 ? true : force === 0 ? false : fail(at, 'force', '0 or 1', force);
  return checks.toEntry(at, key, pending, flag, seq, enqueuedAt);
}
