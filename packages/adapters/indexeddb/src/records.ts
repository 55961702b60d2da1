import type { StorageCorruptError } from '@shopsync/core';
import { recordChecks, type RecordPlace } from '@shopsync/core/internal';
import { corruptError } from './errors.js';

/**
 * Checks of what is read back from the database: core's `recordChecks` (shared with the other
 * durable adapters), throwing core's StorageCorruptError, which names the database, the
 * object store, the record's key and the field. (`RecordPlace` says table: here, the store.)
 */

/** The store and record a value is read from, in database `dbName`. */
export interface At extends RecordPlace {
  readonly dbName: string;
}

/** The record of connector `connectorId` in `store` (the registry's and the meta store's key), for errors. */
export function connectorAt(dbName: string, store: string, connectorId: unknown): At {
  return { dbName, table: store, row: () => `connector ${typeof connectorId === 'string' ? JSON.stringify(connectorId) : String(connectorId)}` };
}

/** The error for a damaged field of the record `at`. */
export function corrupt(at: At, field: string, problem: string, cause?: unknown): StorageCorruptError {
  return corruptError(at.dbName, { store: at.table, key: at.row(), field, problem }, cause);
}

const checks = recordChecks<At>(corrupt);
export const { shaped, count } = checks;
/** Throws the error for a field that is not what was expected (typed here: TypeScript narrows after a call only to a function declared with its type). */
export const fail: (at: At, field: string, expected: string, found: unknown, cause?: unknown) => never = checks.fail;
