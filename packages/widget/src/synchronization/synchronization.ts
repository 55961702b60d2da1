import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { ConnectorState, GeneralError, SyncEvent, SyncSource } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { sourceContext } from '../context.js';
import type { ShopsyncErrorDialog } from '../error-dialog/error-dialog.js';
import { bySeverity, isWarning } from '../error-dialog/severity.js';
import { ShopsyncConnectorToggleRequestEvent, ShopsyncShowItemsEvent } from '../events.js';
import type { Localizer } from '../i18n/localizer.js';
import { STATUS_BADGE_PARTS } from '../status-badge/status-badge.js';
import { icons } from '../styles/icons.js';
import { styles } from './synchronization.styles.js';

const sum = (c: { categories: number; products: number; variants: number }) => c.categories + c.products + c.variants;

/** What to check when the connector could not start, by general-error code (of the first error, warnings aside). */
function advice(l: Localizer, errors: GeneralError[]): string {
  const code = errors.find((g) => !isWarning(g))?.code;
  const { m } = l;
  switch (code) {
    case 'auth':
      return m.adviceAuth;
    case 'reauthorize':
      return m.adviceReauthorize;
    case 'not_found':
      return m.adviceNotFound;
    case 'network':
      return m.adviceNetwork;
    case 'timeout':
      return m.adviceTimeout;
    case 'version':
      return m.adviceVersion;
    case 'server_error':
      return m.adviceServer;
    default:
      return m.adviceOther;
  }
}

/**
 * @tag shopsync-synchronization
 * @summary The Synchronization section of one sync event: status (words, icon and, when general
 * errors exist, a red exclamation button opening them in a modal; when the event recorded only
 * warnings, an amber warning button opening them), start time, a link to the Item
 * Synchronization Status tab, pending items per entity, and what the status means: the time
 * remaining while in progress, why it paused and how to resume, why it could not start and what
 * to check, a warning message when errors occurred (or, when there were none, warnings).
 *
 * @event shopsync-show-items - The user followed the link to the Item Synchronization Status tab.
 * @event shopsync-connector-toggle-request - The user asked to enable the connector (cancelable).
 *
 * @csspart status-badge - The status badge (`shopsync-status-badge`).
 * @csspart status-badge-base - The badge's pill (its `base` part).
 * @csspart status-badge-icon - The badge's icon (its `icon` part).
 * @csspart status-badge-label - The status in words (the badge's `label` part).
 * @csspart general-errors-button - The button that opens the general errors: a red exclamation when general errors
 * exist, an amber warning sign (`data-severity="warning"`) when the event recorded only warnings.
 * @csspart items-link - The link to the Item Synchronization Status tab.
 * @csspart pending - The pending counters (`shopsync-pending-counters`).
 * @csspart pending-counter - One entity's pending tile (the counters' `counter` part).
 * @csspart warning - The warning message shown when errors occurred (`data-reason="errors"`), or warnings and no error (`data-reason="warnings"`).
 * @csspart review-link - The warning's link to the failed items.
 * @csspart error-details - Why the connector could not start.
 * @csspart paused-details - Why the event is paused, and the button to resume.
 * @csspart enable-button - The button that enables the connector again (Paused).
 * @csspart progress-details - What In Progress means.
 * @csspart eta - The estimate of time remaining.
 * @csspart error-dialog - The general-errors modal (the `<dialog>`: the error dialog's `dialog` part).
 * @csspart error-dialog-error - One general error in the modal.
 * @csspart error-dialog-warning - One general error recorded as a warning, in the modal.
 * @csspart error-dialog-close-button - The modal's close buttons.
 */
export class ShopsyncSynchronization extends LocalizedElement {
  static override styles = styles;

  @property({ attribute: false }) event: SyncEvent | undefined;
  @property({ attribute: false }) connector: ConnectorState | undefined;

  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source: SyncSource | undefined;

  @state() private actionError = '';

  @query('shopsync-error-dialog') private dialog!: ShopsyncErrorDialog;

  /** Opens the general-errors modal (as the red, or amber, icon does). */
  async showGeneralErrors(): Promise<void> {
    const trigger = this.renderRoot.querySelector<HTMLElement>('[part="general-errors-button"]') ?? undefined;
    await this.dialog.show(trigger);
  }

  #showItems(e: Event, filter = {}) {
    e.preventDefault();
    this.dispatchEvent(new ShopsyncShowItemsEvent(filter));
  }

  async #enable() {
    if (!this.dispatchEvent(new ShopsyncConnectorToggleRequestEvent(true)) || !this.source) return;
    this.actionError = '';
    try {
      await this.source.setEnabled(true);
    } catch (err) {
      this.actionError = err instanceof Error ? err.message : String(err);
    }
  }

  protected override render() {
    const ev = this.event;
    if (!ev) return nothing;
    const l = this.l;
    const { m, plural } = l;
    const general = ev.generalErrors;
    const { errors, warnings } = bySeverity(general);
    const failedItems = ev.iterations.reduce((n, it) => n + sum(it.failed), 0);
    const errorsOccurred = ev.status !== 'error' && (errors.length > 0 || failedItems > 0);
    const warningsOnly = ev.status !== 'error' && !errorsOccurred && warnings.length > 0;
    const severity = errors.length > 0 ? 'error' : 'warning';
    const label =
      errors.length === 0
        ? m.showWarnings(warnings.length, plural)
        : warnings.length === 0
          ? m.showGeneralErrors(errors.length, plural)
          : m.showGeneralErrorsAndWarnings(errors.length, warnings.length, plural);
    return html`<section aria-labelledby="sync-heading">
      <div class="head">
        <h3 id="sync-heading">${m.syncHeading}</h3>
        <div class="status-row">
          <span class="status-label visually-hidden">${m.status}:</span>
          <shopsync-status-badge part="status-badge" exportparts=${STATUS_BADGE_PARTS} .status=${ev.status}></shopsync-status-badge>
          ${general.length > 0
            ? html`<button
                part="general-errors-button"
                class=${severity}
                data-severity=${severity}
                aria-haspopup="dialog"
                aria-label=${label}
                title=${label}
                @click=${() => this.showGeneralErrors()}
              >
                ${severity === 'error' ? icons.exclamation : icons.warning}
              </button>`
            : nothing}
        </div>
      </div>

      <dl class="meta">
        <div><dt>${m.startedAt}</dt><dd><time datetime=${ev.startedAt}>${l.dateTime(ev.startedAt)}</time></dd></div>
        ${ev.endedAt ? html`<div><dt>${m.endedAt}</dt><dd><time datetime=${ev.endedAt}>${l.dateTime(ev.endedAt)}</time></dd></div>` : nothing}
      </dl>

      ${this.#statusDetails(ev, failedItems)}
      ${errorsOccurred || warningsOnly
        ? html`<div class="callout warning" part="warning" role="note" data-reason=${errorsOccurred ? 'errors' : 'warnings'}>
            ${icons.warning}
            <div>
              <p><strong>${errorsOccurred ? m.errorsOccurred : m.warningsOccurred}</strong></p>
              <p class="text">
                ${[
                  errors.length ? m.generalErrorsCount(errors.length, plural) : '',
                  warnings.length ? m.warningsCount(warnings.length, plural) : '',
                  failedItems ? m.itemErrorsCount(failedItems, plural) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              ${failedItems
                ? html`<p><a href="#items" part="review-link" @click=${(e: Event) => this.#showItems(e, { status: 'error' })}>${m.reviewItemErrors}</a></p>`
                : nothing}
            </div>
          </div>`
        : nothing}

      <div>
        <div class="pending-head">
          <h4 id="pending-heading">${m.pendingHeading}</h4>
          ${this.#eta(ev)}
        </div>
        <shopsync-pending-counters part="pending" exportparts="counter:pending-counter" .pending=${ev.pending}></shopsync-pending-counters>
      </div>

      <p><a href="#items" part="items-link" @click=${(e: Event) => this.#showItems(e)}>${m.viewItems}</a></p>

      <shopsync-error-dialog
        exportparts="dialog:error-dialog, error:error-dialog-error, warning:error-dialog-warning, close-button:error-dialog-close-button"
        .errors=${general}
      ></shopsync-error-dialog>
    </section>`;
  }

  #statusDetails(ev: SyncEvent, _failed: number) {
    const { m } = this.l;
    if (ev.status === 'error') {
      return html`<div class="callout danger" part="error-details" role="alert">
        ${icons.error}
        <div>
          <h4>${m.errorHeading}</h4>
          ${ev.generalErrors.map((g) => html`<p class="message text">${g.message}</p>`)}
          <p class="text"><strong>${m.errorWhatToCheck}:</strong> ${advice(this.l, ev.generalErrors)}</p>
        </div>
      </div>`;
    }
    if (ev.status === 'paused') {
      const enabled = this.connector?.enabled ?? false;
      return html`<div class="callout paused" part="paused-details">
        ${icons.paused}
        <div>
          <p class="text">${m.pausedNote}</p>
          ${enabled || !this.source
            ? nothing
            : html`<div class="actions"><button class="button primary" part="enable-button" @click=${() => this.#enable()}>${m.enableConnector}</button></div>`}
          ${this.actionError ? html`<p class="message text" role="alert">${this.actionError}</p>` : nothing}
        </div>
      </div>`;
    }
    if (ev.status === 'in_progress') {
      return html`<div class="callout info" part="progress-details">${icons.info}<p class="text">${m.inProgressNote}</p></div>`;
    }
    return nothing;
  }

  #eta(ev: SyncEvent) {
    if (ev.status !== 'in_progress') return nothing;
    const l = this.l;
    const t = this.connector?.runningEventId === ev.id ? this.connector.throughput : undefined;
    if (!t || t.etaMs === null || t.itemsPerSecond === null) return html`<span class="eta" part="eta">${icons.clock}${l.m.etaUnknown}</span>`;
    return html`<span class="eta" part="eta"
      >${icons.clock}${l.m.eta(l.duration(t.etaMs))} · ${l.m.rate(l.number(t.itemsPerSecond, { maximumFractionDigits: t.itemsPerSecond < 10 ? 1 : 0 }))}</span
    >`;
  }
}
