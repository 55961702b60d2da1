/**
 * The Activity Register as Lit web components: `<shopsync-panel>` and its parts. Importing this
 * module registers every `shopsync-*` element (`@shopsync/widget/define` does only that); give the
 * panel a `SyncSource` (`.source`) or a URL (`src`). Spanish is `@shopsync/widget/translations/es`.
 *
 * @packageDocumentation
 * @module @shopsync/widget
 */
export { ELEMENTS } from './define.js';
export { ShopsyncPanel } from './panel/panel.js';
export type { PanelTab } from './panel/panel.js';
export { ShopsyncStatusBadge } from './status-badge/status-badge.js';
export { ShopsyncPendingCounters } from './pending-counters/pending-counters.js';
export { ShopsyncErrorDialog } from './error-dialog/error-dialog.js';
export { ShopsyncSynchronization } from './synchronization/synchronization.js';
export { ShopsyncConfiguration } from './configuration/configuration.js';
export { ShopsyncHistory } from './history/history.js';
export { ShopsyncLogLinks } from './log-links/log-links.js';
export { ShopsyncItemTable } from './item-table/item-table.js';
export { ShopsyncEventList } from './event-list/event-list.js';
export {
  ShopsyncEventSelectEvent,
  ShopsyncShowItemsEvent,
  ShopsyncRetryRequestEvent,
  ShopsyncConnectorToggleRequestEvent,
  ShopsyncLogDownloadEvent,
  ShopsyncStatusChangeEvent,
} from './events.js';
export { sourceContext, localizerContext } from './context.js';
export { localizerFor, registerTranslation, supportedLanguages } from './i18n/localizer.js';
export type { Localizer } from './i18n/localizer.js';
export type { Messages } from './i18n/en.js';
export { TOKENS } from './styles/tokens.js';
