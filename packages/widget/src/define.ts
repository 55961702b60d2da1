/**
 * Registers every element of the widget under its `shopsync-` tag, once (safe to import twice).
 * `@shopsync/widget` imports it too; import this alone to register the elements without naming them.
 *
 * @packageDocumentation
 * @module @shopsync/widget/define
 */
import { ShopsyncConfiguration } from './configuration/configuration.js';
import { ShopsyncErrorDialog } from './error-dialog/error-dialog.js';
import { ShopsyncEventList } from './event-list/event-list.js';
import { ShopsyncHistory } from './history/history.js';
import { ShopsyncItemTable } from './item-table/item-table.js';
import { ShopsyncLogLinks } from './log-links/log-links.js';
import { ShopsyncPanel } from './panel/panel.js';
import { ShopsyncPendingCounters } from './pending-counters/pending-counters.js';
import { ShopsyncStatusBadge } from './status-badge/status-badge.js';
import { ShopsyncSynchronization } from './synchronization/synchronization.js';

/** Every element of the widget, by its tag name (each registered under it when this module loads). */
export const ELEMENTS = {
  'shopsync-panel': ShopsyncPanel,
  'shopsync-status-badge': ShopsyncStatusBadge,
  'shopsync-pending-counters': ShopsyncPendingCounters,
  'shopsync-error-dialog': ShopsyncErrorDialog,
  'shopsync-synchronization': ShopsyncSynchronization,
  'shopsync-configuration': ShopsyncConfiguration,
  'shopsync-history': ShopsyncHistory,
  'shopsync-log-links': ShopsyncLogLinks,
  'shopsync-item-table': ShopsyncItemTable,
  'shopsync-event-list': ShopsyncEventList,
} as const;

for (const [tag, ctor] of Object.entries(ELEMENTS)) if (!customElements.get(tag)) customElements.define(tag, ctor);

declare global {
  interface HTMLElementTagNameMap {
    'shopsync-panel': ShopsyncPanel;
    'shopsync-status-badge': ShopsyncStatusBadge;
    'shopsync-pending-counters': ShopsyncPendingCounters;
    'shopsync-error-dialog': ShopsyncErrorDialog;
    'shopsync-synchronization': ShopsyncSynchronization;
    'shopsync-configuration': ShopsyncConfiguration;
    'shopsync-history': ShopsyncHistory;
    'shopsync-log-links': ShopsyncLogLinks;
    'shopsync-item-table': ShopsyncItemTable;
    'shopsync-event-list': ShopsyncEventList;
  }
}
