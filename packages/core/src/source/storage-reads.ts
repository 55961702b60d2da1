/**
 * The reads of a `SyncSource` as a storage answers them, for one connector: the Activity
 * Register's events, the Item Synchronization Status tab's items and its summary of failed items,
 * and log downloads. Every source reads through these: one over an engine in the same process
 * (LocalSyncSource shows the engine's live event over what they read), and those with no engine
 * of their own, which read what another process's engine wrote (the server's source between runs,
 * PostgreSQL's source across processes).
 */
import { exportLogs, logFile, type LogFormat } from '../logs/export.js';
import type { SyncEvent } from '../schemas/event.js';
import type { Page, StorageAdapter } from '../storage/adapter.js';
import { parseItemQuery, parsePageQuery } from '../storage/queries.js';
import { cleanItemFilter, summarizeItemErrors, toItemView } from './item-reads.js';
import type { EventPageQuery, ItemErrorSummary, ItemFilterQuery, ItemPageQuery, ItemView, LogDownload } from './sync-source.js';

/** A connector's `SyncSource` reads from `storage`: queries checked as a source takes them, answers as a source gives them. */
export class StorageReads {
  readonly storage: StorageAdapter;
  readonly connectorId: string;

  constructor(storage: StorageAdapter, connectorId: string) {
    this.storage = storage;
    this.connectorId = connectorId;
  }

  /** A page of events, newest first. */
  listEvents(query: EventPageQuery = {}): Promise<Page<SyncEvent>> {
    return this.storage.listEvents(this.connectorId, parsePageQuery(query));
  }

  getEvent(eventId: string): Promise<SyncEvent | undefined> {
    return this.storage.getEvent(this.connectorId, eventId);
  }

  /** A page of items matching the filter (50 by default), as the item tab shows them (no change data). */
  async queryItems(query: ItemPageQuery = {}): Promise<Page<ItemView>> {
    const page = await this.storage.queryItems(this.connectorId, parseItemQuery({ ...cleanItemFilter(query), offset: query.offset ?? 0, limit: query.limit ?? 50 }));
    return { total: page.total, items: page.items.map(toItemView) };
  }

  /** Failed items matching the filter, grouped by cause (`summarizeItemErrors`). */
  summarizeItemErrors(filter: ItemFilterQuery = {}): Promise<ItemErrorSummary> {
    return summarizeItemErrors((query) => this.storage.queryItems(this.connectorId, query), filter);
  }

  /** The logs of an event as a file to download. */
  async downloadLogs(eventId: string, format: LogFormat): Promise<LogDownload> {
    return { ...logFile(eventId, format), content: exportLogs(await this.storage.readLogs(this.connectorId, eventId), format) };
  }
}
