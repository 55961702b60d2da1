/**
 * The storage errors this adapter throws: core's classes (@shopsync/core), with
 * `backend: 'indexeddb'` and the database name as `location`, made from what the adapter has at
 * hand where it throws them.
 */
import { StorageBlockedError, StorageClosedError, StorageCorruptError, StorageFullError, StorageVersionError } from '@shopsync/core';

const backend = 'indexeddb';

/** Another tab holds the database open at an older version, so the upgrade to `version` cannot run. */
export function blockedError(dbName: string, version: number): StorageBlockedError {
  return new StorageBlockedError({ backend, location: dbName, expected: version });
}

/** Another tab upgraded (or deleted) the database: this connection was closed so as not to block it. */
export function supersededError(dbName: string): StorageClosedError {
  return new StorageClosedError({ backend, location: dbName, reason: 'superseded' });
}

/** The storage was closed: by `close()` or never opened (`closed`), or by the browser (`lost`). */
export function closedError(dbName: string, reason: 'closed' | 'lost'): StorageClosedError {
  return new StorageClosedError({ backend, location: dbName, reason });
}

/** The version the database has, from Chromium's and Firefox's VersionError message ("… less than the existing version (3)"); undefined if it does not say. */
function existingVersion(cause: unknown): number | undefined {
  const m = cause instanceof Error ? /existing version \((\d+)\)/.exec(cause.message) : null;
  return m ? Number(m[1]) : undefined;
}

/** The database on disk was written by a newer version of shopsync than this code (which opens it at `version`). */
export function tooNewError(dbName: string, version: number, cause: unknown): StorageVersionError {
  return new StorageVersionError({ backend, location: dbName, found: existingVersion(cause), expected: version, cause });
}

/** The browser refused to store more data for this site (its quota is the site's, so no database is named). */
export function quotaError(cause: unknown): StorageFullError {
  return new StorageFullError({ backend, cause });
}

/** A damaged record: its object store, its key (as a person finds it), the field and what is wrong with it. */
export function corruptError(dbName: string, record: { store: string; key: string; field: string; problem: string }, cause?: unknown): StorageCorruptError {
  return new StorageCorruptError({ backend, location: dbName, record: { table: record.store, row: record.key, field: record.field, problem: record.problem }, cause });
}
