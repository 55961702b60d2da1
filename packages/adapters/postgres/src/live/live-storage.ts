import type { StorageAdapter } from '@shopsync/core';
import type pg from 'pg';
import type { ConnectorCommand } from '../notify.js';

/** A connector's enabled flag as storage keeps it, and since when. */
export interface ConnectorFlag {
  enabled: boolean;
  updatedAt: string;
}

/**
 * What the live side needs of a storage: the StorageAdapter, the connector registry, commands,
 * and how to open a connection of its own for LISTEN. `PostgresStorage` is one.
 */
export interface LiveStorage extends StorageAdapter {
  getConnectorFlag(connectorId: string): Promise<ConnectorFlag | undefined>;
  /** Records the connector's enabled flag (NOTIFY `connector` when it changed). */
  setConnectorEnabled(connectorId: string, enabled: boolean, now: number): Promise<unknown>;
  /** NOTIFY `shopsync_commands` for the process that runs the connector. */
  sendCommand(connectorId: string, command: ConnectorCommand): Promise<void>;
  /** Settings for a dedicated connection (LISTEN needs one held open, outside the pool; so does the connector lock). */
  connectionConfig(): pg.ClientConfig;
  /** The PostgreSQL schema it keeps its tables in (the connector lock is per schema and connector). */
  readonly schema: string;
}
