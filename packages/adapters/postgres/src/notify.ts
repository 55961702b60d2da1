/**
 * Notifications: a committed change is announced with PostgreSQL's NOTIFY, sent inside the
 * transaction that makes it, so it is delivered at COMMIT and never for a write rolled back.
 * Payloads are tiny JSON (ids, never documents): a listener reads what changed from storage.
 *
 * `shopsync_changes`: `{"c": connectorId, "t": type, "e"?: eventId}`, `t` one of
 * - `enqueued` (enqueue), `leased` (lease), `acked` (ack; `e` when the ack saved an event),
 *   `released` (release, or expired leases returned to the queue by a lease or an ack),
 * - `event` (saveEvent; `e`), `logs` (appendLogs; `e`), `connector` (setConnectorEnabled, when the flag changed).
 *
 * `shopsync_commands`: `{"c": connectorId, "cmd": {"type": "setEnabled", "enabled": bool} | {"type": "start"}}`:
 * what a web process asks of the worker running the connector. Nothing is stored.
 *
 * Channels are per database, not per schema: storages on different schemas of one database hear
 * each other's notices (a listener then reads its own storage and finds nothing new).
 */
import type { Db } from './transaction.js';

/** The channel of change notices. */
export const CHANGES_CHANNEL = 'shopsync_changes';
/** The channel of commands to workers. */
export const COMMANDS_CHANNEL = 'shopsync_commands';

/** What changed, in a change notice. */
export type ChangeType = 'enqueued' | 'leased' | 'acked' | 'released' | 'event' | 'logs' | 'connector';

/** A change notice's payload. */
export interface ChangeNotice {
  /** The connector. */
  c: string;
  t: ChangeType;
  /** The sync event, for `acked` (when the ack saved one), `event` and `logs`. */
  e?: string;
}

/** A command to the worker running a connector. */
export type ConnectorCommand = { type: 'setEnabled'; enabled: boolean } | { type: 'start' };

/** A command notice's payload. */
export interface CommandNotice {
  c: string;
  cmd: ConnectorCommand;
}

/** Sends a change notice from inside the transaction `db` (delivered when it commits). */
export async function notifyChange(db: Db, statement: string, notice: ChangeNotice): Promise<void> {
  await db.query(statement, [CHANGES_CHANNEL, JSON.stringify(notice)]);
}

/** Sends a command notice from inside the transaction `db` (delivered when it commits). */
export async function notifyCommand(db: Db, statement: string, notice: CommandNotice): Promise<void> {
  await db.query(statement, [COMMANDS_CHANNEL, JSON.stringify(notice)]);
}
