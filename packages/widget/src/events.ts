/**
 * Events the widget dispatches: small classes extending Event, `shopsync-` names, typed detail.
 * All bubble and are composed (they cross the panel's shadow root) so a host can listen on the
 * panel. Requests a host may veto (retry, enable/disable, saving a log) are cancelable: calling
 * `preventDefault()` stops the widget from acting on them.
 */
import type { ItemFilterQuery, ItemRef, LogDownload, SyncStatus } from '@shopsync/core';

const OPTIONS = { bubbles: true, composed: true } as const;

/** A sync event was chosen in the Activity Register list. */
export class ShopsyncEventSelectEvent extends Event {
  static readonly eventName = 'shopsync-event-select';
  readonly detail: { eventId: string };
  constructor(eventId: string) {
    super(ShopsyncEventSelectEvent.eventName, OPTIONS);
    this.detail = { eventId };
  }
}

/** A part asked to show the Item Synchronization Status tab, optionally with a filter. */
export class ShopsyncShowItemsEvent extends Event {
  static readonly eventName = 'shopsync-show-items';
  readonly detail: { filter: ItemFilterQuery };
  constructor(filter: ItemFilterQuery = {}) {
    super(ShopsyncShowItemsEvent.eventName, OPTIONS);
    this.detail = { filter };
  }
}

/** The user asked to retry one item (`item`) or every failed item of a filter (`filter`). Cancelable. */
export class ShopsyncRetryRequestEvent extends Event {
  static readonly eventName = 'shopsync-retry-request';
  readonly detail: { item?: ItemRef; filter?: ItemFilterQuery };
  constructor(detail: { item?: ItemRef; filter?: ItemFilterQuery }) {
    super(ShopsyncRetryRequestEvent.eventName, { ...OPTIONS, cancelable: true });
    this.detail = detail;
  }
}

/** The user asked to enable or disable the connector. Cancelable. */
export class ShopsyncConnectorToggleRequestEvent extends Event {
  static readonly eventName = 'shopsync-connector-toggle-request';
  readonly detail: { enabled: boolean };
  constructor(enabled: boolean) {
    super(ShopsyncConnectorToggleRequestEvent.eventName, { ...OPTIONS, cancelable: true });
    this.detail = { enabled };
  }
}

/** A log is about to be saved as a file. Cancelable: a host may save it its own way. */
export class ShopsyncLogDownloadEvent extends Event {
  static readonly eventName = 'shopsync-log-download';
  readonly detail: LogDownload & { eventId: string; format: 'jsonl' | 'csv' };
  constructor(detail: LogDownload & { eventId: string; format: 'jsonl' | 'csv' }) {
    super(ShopsyncLogDownloadEvent.eventName, { ...OPTIONS, cancelable: true });
    this.detail = detail;
  }
}

/** The status of the sync event the panel shows changed (also announced to screen readers). */
export class ShopsyncStatusChangeEvent extends Event {
  static readonly eventName = 'shopsync-status-change';
  readonly detail: { eventId: string; status: SyncStatus; previous: SyncStatus | 'starting' };
  constructor(detail: { eventId: string; status: SyncStatus; previous: SyncStatus | 'starting' }) {
    super(ShopsyncStatusChangeEvent.eventName, OPTIONS);
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'shopsync-event-select': ShopsyncEventSelectEvent;
    'shopsync-show-items': ShopsyncShowItemsEvent;
    'shopsync-retry-request': ShopsyncRetryRequestEvent;
    'shopsync-connector-toggle-request': ShopsyncConnectorToggleRequestEvent;
    'shopsync-log-download': ShopsyncLogDownloadEvent;
    'shopsync-status-change': ShopsyncStatusChangeEvent;
  }
}
