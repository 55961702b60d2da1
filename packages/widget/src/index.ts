// @shopsync/widget: the Activity Register as Lit web components. Importing it registers the
// `shopsync-*` elements (see define.ts).
export { ELEMENTS } from './define.js';
export { ShopsyncPanel } from './panel/panel.js';
export type { PanelTab } from './panel/panel.js';
export { ShopsyncStatusBadge, statusLabel } from './status-badge/status-badge.js';
export { ShopsyncPendingCounters } from './pending-counters/pending-counters.js';
export { ShopsyncErrorDialog } from './error-dialog/error-dialog.js';
export { ShopsyncSynchronization } from './synchronization/synchronization.js';
export { ShopsyncConfiguration, apiVersionStanding } from './configuration/configuration.js';
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
export { SourceController } from './controllers/source-controller.js';
export type { SourceControllerOptions } from './controllers/source-controller.js';
export { sourceContext, localizerContext } from './context.js';
export { localizerFor, normalizeLocale, registerTranslation, supportedLanguages } from './i18n/localizer.js';
export type { Localizer } from './i18n/localizer.js';
export type { Messages } from './i18n/en.js';
export { TOKENS } from './styles/tokens.js';
