/**
 * The connector registry as a host uses it: create, change and remove connectors, each checked
 * with core's schemas (a ValidationError names the field), stored through the StorageAdapter so
 * that every process sharing the storage sees them. The fleet runs what is registered.
 */
import { ShopsyncError } from '../errors/shopsync-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { SCHEMA_VERSION } from '../schemas/common.js';
import { connectorConfigSchema, connectorIdSchema } from '../schemas/connector.js';
import { connectorPatchSchema, connectorRecordSchema, newConnectorSchema, type ConnectorPatch, type ConnectorRecord, type NewConnector } from '../schemas/registry.js';
import type { Page, StorageAdapter } from '../storage/adapter.js';
import { parsePageQuery } from '../storage/queries.js';
import { parseOrThrow } from '../validate.js';

/** The connectors a storage holds, as a host creates, changes and removes them. */
export class ConnectorRegistry {
  readonly #storage: StorageAdapter;
  readonly #clock: Clock;

  constructor(storage: StorageAdapter, options: { clock?: Clock } = {}) {
    this.#storage = storage;
    this.#clock = options.clock ?? systemClock;
  }

  /** Registers a connector. Throws a ValidationError for bad input, a ShopsyncError `connector_exists` when the id is taken. */
  async create(input: NewConnector): Promise<ConnectorRecord> {
    const n = parseOrThrow(newConnectorSchema, input, 'connector');
    const at = new Date(this.#clock.now()).toISOString();
    const record: ConnectorRecord = { v: SCHEMA_VERSION, config: n.config, createdAt: at, updatedAt: at };
    if (n.schedule) record.schedule = n.schedule;
    if (n.credentialsRef) record.credentialsRef = n.credentialsRef;
    if (!(await this.#storage.createConnector(record))) throw new ShopsyncError('connector_exists', `A connector with the id ${JSON.stringify(record.config.id)} exists already.`);
    return record;
  }

  /**
   * Changes a connector: configuration fields (checked with the rest of its configuration once
   * merged), schedule and credentials reference (null removes them). A run under way keeps the
   * configuration it started with. Throws `connector_not_found` when there is none.
   */
  async update(connectorId: string, patch: ConnectorPatch): Promise<ConnectorRecord> {
    const id = parseOrThrow(connectorIdSchema, connectorId, 'connectorId');
    const p = parseOrThrow(connectorPatchSchema, patch, 'patch');
    if (p.config && 'id' in p.config && p.config.id !== id) throw new ValidationError('patch', [{ path: 'patch.config.id', message: 'a connector keeps its id: create another connector instead' }]);
    const current = await this.#require(id);
    const next: ConnectorRecord = { ...current, config: current.config, updatedAt: new Date(this.#clock.now()).toISOString() };
    if (p.config) next.config = parseOrThrow(connectorConfigSchema, { ...current.config, ...p.config, id }, 'patch.config', 'connector configuration');
    if (p.schedule === null) delete next.schedule;
    else if (p.schedule) next.schedule = p.schedule;
    if (p.credentialsRef === null) delete next.credentialsRef;
    else if (p.credentialsRef) next.credentialsRef = p.credentialsRef;
    const record = parseOrThrow(connectorRecordSchema, next, 'connector');
    if (!(await this.#storage.updateConnector(record))) throw notFound(id);
    return record;
  }

  /** Removes a connector from the registry: the fleet no longer runs it; its queue and history stay. False when there was none. */
  async remove(connectorId: string): Promise<boolean> {
    return this.#storage.deleteConnector(parseOrThrow(connectorIdSchema, connectorId, 'connectorId'));
  }

  /** A connector's record, or undefined. */
  async get(connectorId: string): Promise<ConnectorRecord | undefined> {
    return this.#storage.getConnector(parseOrThrow(connectorIdSchema, connectorId, 'connectorId'));
  }

  /** By id, a page at a time (default the first 50). */
  async list(query: { offset?: number; limit?: number } = {}): Promise<Page<ConnectorRecord>> {
    return this.#storage.listConnectors(parsePageQuery(query));
  }

  async #require(id: string): Promise<ConnectorRecord> {
    const r = await this.#storage.getConnector(id);
    if (!r) throw notFound(id);
    return r;
  }
}

const notFound = (id: string) => new ShopsyncError('connector_not_found', `There is no connector ${JSON.stringify(id)}.`);
