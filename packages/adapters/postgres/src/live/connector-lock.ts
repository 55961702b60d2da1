/**
 * One process runs a connector at a time: a session-level advisory lock per schema and
 * connector, held on a connection of its own for as long as the process runs it. PostgreSQL lets
 * the lock go the moment that connection ends (the process closed it, or died: a SIGKILL ends
 * its sessions), and a process waiting for it takes over.
 */
import pg from 'pg';

/** The lock of one connector of one schema. */
export class ConnectorLock {
  readonly #config: pg.ClientConfig;
  readonly #key: string;
  #client: pg.Client | undefined;
  #closed = false;

  constructor(config: pg.ClientConfig, schema: string, connectorId: string) {
    this.#config = config;
    this.#key = `shopsync:${schema}:${connectorId}`;
  }

  /**
   * Resolves once this process holds the lock (at once when no other does). Rejects when the
   * lock is closed while waiting, or the connection fails.
   */
  async acquire(): Promise<void> {
    const client = new pg.Client({ ...this.#config, application_name: 'shopsync-connector-lock' });
    // A broken connection ends the session, and with it the lock: the process no longer runs the connector alone.
    client.on('error', () => undefined);
    await client.connect();
    if (this.#closed) {
      await client.end().catch(() => undefined);
      throw new Error('The connector lock was closed.');
    }
    this.#client = client;
    await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [this.#key]);
    if (this.#closed) throw new Error('The connector lock was closed.');
  }

  /** Lets the lock go (or stops waiting for it). */
  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
