/**
 * What an error from node-postgres means for an operation: a lost connection (try again if
 * safe), a transaction the server rolled back to break a conflict (try again), or a condition a
 * person must fix (core's storage errors). SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
import { StorageFullError, StorageReadOnlyError } from '@shopsync/core';

/** Node's socket errors that mean the connection is gone or could not be made. */
const SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTCONN']);

/**
 * SQLSTATEs of a lost or refused connection: class 08 (connection exception), 57P01
 * admin_shutdown (`pg_terminate_backend`, a fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, in recovery), 53300 too_many_connections.
 */
const LOST_STATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres's own messages for a connection that ended under a query (they carry no code). */
const LOST_MESSAGES = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i;

const codeOf = (err: unknown): string => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/** The error means the connection is gone (or never came): the server rolled back whatever was not committed. */
export function isConnectionLost(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = codeOf(err);
  if (SOCKET_CODES.has(code) || LOST_STATES.has(code) || code.startsWith('08')) return true;
  return code === '' && LOST_MESSAGES.test(err.message);
}

/**
 * The server rolled the transaction back to break a conflict with another one: 40001
 * serialization_failure, 40P01 deadlock_detected. Nothing was written; trying again is safe.
 */
export function isRolledBackConflict(err: unknown): boolean {
  const code = codeOf(err);
  return code === '40001' || code === '40P01';
}

/**
 * The typed error a person can act on, for a condition of the database: 25006
 * read_only_sql_transaction (a replica, or read-only mode) and 53100 disk_full. Anything else is
 * returned as it is (lost connections are handled by the caller, which knows what it was doing).
 */
export function classify(err: unknown, database: string): unknown {
  const code = codeOf(err);
  if (code === '25006') return new StorageReadOnlyError({ backend: 'postgres', location: database, cause: err });
  if (code === '53100') return new StorageFullError({ backend: 'postgres', location: database, cause: err });
  return err;
}
