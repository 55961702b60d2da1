/** One section's parts, as its `exportparts` attribute in the panel. */
const parts = (...names: string[]) => names.join(', ');

/**
 * What each of the panel's sections forwards to the panel's host (`exportparts`): every part it
 * documents, under the same name (names are unique across the panel), so that
 * `shopsync-panel::part(name)` reaches it. The panel's class JSDoc lists them all.
 */
export const FORWARDED = {
  synchronization: parts(
    'status-badge',
    'status-badge-base',
    'status-badge-icon',
    'status-badge-label',
    'general-errors-button',
    'warning',
    'review-link',
    'error-details',
    'paused-details',
    'enable-button',
    'progress-details',
    'eta',
    'pending',
    'pending-counter',
    'items-link',
    'error-dialog',
    'error-dialog-error',
    'error-dialog-warning',
    'error-dialog-close-button',
  ),
  configuration: parts('api-version', 'api-warning', 'parameters', 'stock', 'publishing'),
  logs: parts('download'),
  history: parts('iteration', 'show-older'),
  items: parts('filters', 'list', 'row', 'detail', 'error-groups', 'retry-failed', 'retry-item'),
  events: parts('event', 'pager', 'status-badge', 'status-badge-base', 'status-badge-icon', 'status-badge-label'),
} as const;
