/**
 * The panel's routes per connector, `/v1/connectors/{id}/sync/…`: one @shopsync/http handler per
 * connector, made when first asked for and closed after it has had no stream and no request for
 * a while, so that hundreds of connectors cost nothing until someone looks. Callers are
 * authenticated and authorized by the app before a request gets here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EntityCounts, SyncSource } from '@shopsync/core';
import { createSyncHandler, type SyncHandler } from '@shopsync/http';
import { PostgresSyncSource } from '@shopsync/postgres';
import { FleetSyncSource } from '../live/fleet-source.js';
import type { Services } from '../services.js';

interface Entry {
  handler: SyncHandler;
  source: SyncSource & { close?: () => Promise<void> | void };
  lastUsed: number;
}

/** Idle handlers (no stream, no request) are closed after this long. */
const IDLE_MS = 5 * 60_000;

/** The base path of a connector's panel routes. */
export const panelBase = (connectorId: string): string => `/v1/connectors/${encodeURIComponent(connectorId)}/sync`;

/** Per-connector panel handlers (module comment). */
export class PanelHub {
  readonly #services: Services;
  readonly #entries = new Map<string, Entry>();
  readonly #sweep: ReturnType<typeof setInterval>;

  constructor(services: Services) {
    this.#services = services;
    this.#sweep = setInterval(() => this.#closeIdle(), 60_000);
    this.#sweep.unref();
  }

  /** Answers a panel request for `connectorId` (the app checked the caller). */
  async handle(connectorId: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    return this.#entry(connectorId).handler.node(req, res);
  }

  /** Changes were queued through the API: a one-process panel shows the new counts at once (on PostgreSQL, NOTIFY does). */
  pendingChanged(connectorId: string, pending: EntityCounts): void {
    const source = this.#entries.get(connectorId)?.source;
    if (source instanceof FleetSyncSource) source.pendingChanged(pending);
  }

  /** Closes a connector's handler (it was removed): its streams end. */
  async forget(connectorId: string): Promise<void> {
    const entry = this.#entries.get(connectorId);
    this.#entries.delete(connectorId);
    if (entry) await this.#closeEntry(entry);
  }

  /** Ends every stream (shutdown). */
  async close(): Promise<void> {
    clearInterval(this.#sweep);
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((e) => this.#closeEntry(e)));
  }

  #entry(connectorId: string): Entry {
    let entry = this.#entries.get(connectorId);
    if (!entry) {
      const s = this.#services;
      const source = s.postgres ? new PostgresSyncSource({ storage: s.postgres, connectorId }) : new FleetSyncSource(s, connectorId);
      const handler = createSyncHandler({
        source,
        basePath: panelBase(connectorId),
        // The app decided who may act before the request got here.
        authorize: () => true,
        maxBodyBytes: 64 * 1024,
        onError: (error) => s.log.error({ err: error, connectorId }, 'The panel source failed'),
      });
      entry = { handler, source, lastUsed: Date.now() };
      this.#entries.set(connectorId, entry);
    }
    entry.lastUsed = Date.now();
    return entry;
  }

  #closeIdle(): void {
    const now = Date.now();
    for (const [id, entry] of this.#entries) {
      if (entry.handler.stats().clients === 0 && now - entry.lastUsed > IDLE_MS) {
        this.#entries.delete(id);
        void this.#closeEntry(entry);
      }
    }
  }

  async #closeEntry(entry: Entry): Promise<void> {
    entry.handler.close();
    await entry.source.close?.();
  }
}
