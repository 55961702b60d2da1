/**
 * How this adapter makes core's storage errors (@shopsync/core: StorageBlockedError,
 * StorageClosedError, StorageCorruptError, StorageFullError, StorageVersionError) from what it has
 * at hand where it throws them. What it throws, and what callers catch, are core's classes, with
 * `backend: 'indexeddb'` and the database name as `location`.
 *
 * storage.ts and records.ts construct them under the names and arguments they have always used
 * (`new StorageClosedError(dbName, reason)`): each name below is a constructor whose `new`
 * returns core's error (`new` on a function that returns an object yields that object), typed as
 * core's class. When those call sites construct core's classes themselves, this file goes.
 */
import {
  StorageBlockedError as Blocked,
  StorageClosedError as Closed,
  StorageCorruptError as Corrupt,
  StorageFullError as Full,
  StorageVersionError as TooNew,
} from '@shopsync/core';

/** A constructor whose `new` answers what `make` makes. */
function constructs<A extends unknown[], E extends object>(make: (...args: A) => E): new (...args: A) => E {
  return function (...args: A): E {
    return make(...args);
  } as unknown as new (...args: A) => E;
}

const backend = 'indexeddb';

/** Another tab holds the database open at an older version, so the upgrade to `version` cannot run. */
export const StorageBlockedError = constructs((dbName: string, version: number) => new Blocked({ backend, location: dbName, expected: version }));
export type StorageBlockedError = Blocked;

/** Another tab upgraded (or deleted) the database: this connection was closed so as not to block it. */
export const StorageVersionChangedError = constructs((dbName: string) => new Closed({ backend, location: dbName, reason: 'superseded' }));
export type StorageVersionChangedError = Closed;

/** The version the database has, from Chromium's and Firefox's VersionError message ("… less than the existing version (3)"); undefined if it does not say. */
function existingVersion(cause: unknown): number | undefined {
  const m = cause instanceof Error ? /existing version \((\d+)\)/.exec(cause.message) : null;
  return m ? Number(m[1]) : undefined;
}

/** The database on disk was written by a newer version of shopsync than this code (which opens it at `version`). */
export const StorageVersionError = constructs(
  (dbName: string, version: number, options?: { cause?: unknown }) =>
    new TooNew({ backend, location: dbName, found: existingVersion(options?.cause), expected: version, cause: options?.cause }),
);
export type StorageVersionError = TooNew;

/** The browser refused to store more data for this site (its quota is the site's, so no database is named). */
export const StorageQuotaError = constructs((options?: { cause?: unknown }) => new Full({ backend, cause: options?.cause }));
export type StorageQuotaError = Full;

/** The storage is closed: `reason` is storage.ts's sentence; one that names the browser means the browser closed it. */
export const StorageClosedError = constructs((dbName: string, reason: string) => new Closed({ backend, location: dbName, reason: /browser/.test(reason) ? 'lost' : 'closed' }));
export type StorageClosedError = Closed;

/** A damaged record: its object store, its key (as a person finds it), the field and what is wrong with it. */
export const StorageCorruptError = constructs(
  (dbName: string, record: { store: string; key: string; field: string; problem: string }, options?: { cause?: unknown }) =>
    new Corrupt({ backend, location: dbName, record: { table: record.store, row: record.key, field: record.field, problem: record.problem }, cause: options?.cause }),
);
export type StorageCorruptError = Corrupt;
