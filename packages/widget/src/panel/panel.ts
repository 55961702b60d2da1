// <shopsync-panel>: I/O (the source, its reads) and rendering; what it shows is panel-view.ts's
// reducer's. Past 400 lines for its class JSDoc: the public contract (the custom-elements manifest
// is generated from it) lists every part a host reaches, its sections' included.
import { ContextProvider, provide } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConnectorState, ItemFilterQuery, SyncEvent, SyncSource } from '@shopsync/core';
import { HttpSyncSource } from '@shopsync/http/client';
import { localizerContext, sourceContext } from '../context.js';
import { SourceController } from '../controllers/source-controller.js';
import { ShopsyncConnectorToggleRequestEvent, ShopsyncStatusChangeEvent, type ShopsyncEventSelectEvent, type ShopsyncShowItemsEvent } from '../events.js';
import { localizerFor, type Localizer } from '../i18n/localizer.js';
import { statusLabel } from '../status-badge/status-badge.js';
import { icons } from '../styles/icons.js';
import { FORWARDED } from './forwarded-parts.js';
import { INITIAL_PANEL_VIEW, reducePanelView, type PanelAction, type PanelView } from './panel-view.js';
import { styles } from './panel.styles.js';

/** The panel's tabs: Synchronization, Item Synchronization Status, Sync events. */
export type PanelTab = 'overview' | 'items' | 'events';
const TABS: readonly PanelTab[] = ['overview', 'items', 'events'];

/**
 * @tag shopsync-panel
 * @summary The Activity Register: what a catalog synchronization to Shopify did, is doing, and
 * will do, live. Give it a `SyncSource` as `.source`, or the URL of a server's sync handler
 * (`createSyncHandler` from `@shopsync/http`) as `src`.
 *
 * @event shopsync-status-change - The status of the event shown changed (also announced politely).
 * @event shopsync-event-select - An event was chosen in the list (from `shopsync-event-list`).
 * @event shopsync-show-items - A link to the Item Synchronization Status tab was followed.
 * @event shopsync-retry-request - A retry was asked for (cancelable; from `shopsync-item-table`).
 * @event shopsync-connector-toggle-request - Enabling or disabling the connector was asked for (cancelable).
 * @event shopsync-log-download - A log is about to be saved (cancelable; from `shopsync-log-links`).
 *
 * Every part below is reachable with `shopsync-panel::part(name)`: the panel's own, and those of
 * its sections, forwarded (`exportparts`) under the names listed (no other part is reachable).
 *
 * @csspart base - The panel's frame.
 * @csspart header - Title, info button and connector action.
 * @csspart info-button - The info icon about the queue.
 * @csspart info - The explanation it discloses.
 * @csspart info-link - Its link to the Item Synchronization Status tab.
 * @csspart connector-button - The button that disables or enables the connector.
 * @csspart tabs - The tab list.
 * @csspart tab - Each tab.
 * @csspart panel - Each tab panel.
 * @csspart card - Each section's card on the Synchronization tab.
 * @csspart latest-link - The link back to the latest event, when an older one is shown.
 * @csspart live-region - The polite live region (visually hidden).
 * @csspart status-badge - The status badge: of the event shown, and of each row of the event list.
 * @csspart status-badge-base - A status badge's pill.
 * @csspart status-badge-icon - A status badge's icon.
 * @csspart status-badge-label - A status badge's words.
 * @csspart general-errors-button - The red exclamation (or amber warning sign) that opens the general errors.
 * @csspart warning - The warning message shown when errors (or only warnings) occurred.
 * @csspart review-link - The warning's link to the failed items.
 * @csspart error-details - Why the connector could not start (Error).
 * @csspart paused-details - Why the event is paused (Paused).
 * @csspart enable-button - The button that enables the connector again (Paused).
 * @csspart progress-details - What In Progress means.
 * @csspart eta - The estimate of time remaining (In Progress).
 * @csspart pending - The pending counters.
 * @csspart pending-counter - One entity's pending tile (categories, products, variants).
 * @csspart items-link - The link to the Item Synchronization Status tab.
 * @csspart error-dialog - The general-errors modal (the `<dialog>`).
 * @csspart error-dialog-error - One general error in the modal.
 * @csspart error-dialog-warning - One general error recorded as a warning, in the modal.
 * @csspart error-dialog-close-button - The modal's close buttons.
 * @csspart api-version - The API version line (Configuration).
 * @csspart api-warning - The API version's deprecation warning.
 * @csspart parameters - The applied parameters.
 * @csspart stock - The stock locations.
 * @csspart publishing - The publishing and metafield settings.
 * @csspart download - Each log download link.
 * @csspart iteration - One iteration's block (History).
 * @csspart show-older - The button that shows older iterations.
 * @csspart filters - The item filters (Item Synchronization Status tab).
 * @csspart list - The virtualized list of items.
 * @csspart row - One item's row.
 * @csspart detail - The chosen item's details and errors.
 * @csspart error-groups - Item errors grouped by cause.
 * @csspart retry-failed - The "retry all failed items" button.
 * @csspart retry-item - The "retry this item" button.
 * @csspart event - One sync event's row (Sync events tab).
 * @csspart pager - The event list's pagination bar.
 *
 * @cssproperty [--shopsync-font-family] - Font of every part.
 * @cssproperty [--shopsync-font-size=0.875rem] - Base font size.
 * @cssproperty [--shopsync-color-surface] - Background.
 * @cssproperty [--shopsync-color-surface-raised] - Background of tiles and hovered rows.
 * @cssproperty [--shopsync-color-text] - Text.
 * @cssproperty [--shopsync-color-text-muted] - Secondary text.
 * @cssproperty [--shopsync-color-border] - Borders and rules.
 * @cssproperty [--shopsync-color-accent] - Links, the selected tab, primary buttons.
 * @cssproperty [--shopsync-color-success] - Completed.
 * @cssproperty [--shopsync-color-danger] - Error, general errors, failed items.
 * @cssproperty [--shopsync-color-warning] - Warnings.
 * @cssproperty [--shopsync-color-info] - In Progress.
 * @cssproperty [--shopsync-color-paused] - Paused.
 * @cssproperty [--shopsync-radius=10px] - Corner radius of cards.
 *
 * @cssstate loading - The first data has not arrived yet.
 * @cssstate completed - The event shown is Completed (likewise `error`, `in-progress`, `paused`).
 */
export class ShopsyncPanel extends LitElement {
  static override styles = styles;

  /** What the panel reads and acts on. Takes precedence over `src`. */
  @property({ attribute: false })
  source: SyncSource | undefined;

  /**
   * URL of a server's sync handler (its base path, e.g. `/api/sync`), when no `.source` is given:
   * the panel reads it over HTTP and Server-Sent Events (an `HttpSyncSource` it builds, and
   * closes when disconnected or when `src` changes).
   */
  @property() src = '';

  /** Language of messages, dates and numbers (`en`, `es`, `es-MX`…); defaults to the `lang` attribute, then the document's. */
  @property() locale = '';

  /** `auto` (the user's preference), `light` or `dark`. */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /** The tab shown. */
  @property({ reflect: true }) tab: PanelTab = 'overview';

  @provide({ context: localizerContext })
  @state()
  protected l: Localizer = localizerFor('en');

  @state() private infoOpen = false;
  @state() private itemFilter: ItemFilterQuery = {};

  /** What the panel shows from its source: changed only by `reducePanelView`, rendered at most once a frame. */
  #view: PanelView = INITIAL_PANEL_VIEW;
  #itemsVisited = false;
  /** Counts loads: the results of a load overtaken by another are dropped. */
  #gen = 0;
  #ready: Promise<void> = Promise.resolve();
  readonly #internals = this.attachInternals();

  /** The source in use, for the parts: `.source`, or the one built from `src`. */
  readonly #provider = new ContextProvider(this, { context: sourceContext });
  /** The source built from `src`, and the `src` it was built from. */
  #remote: HttpSyncSource | undefined;
  #remoteSrc = '';

  readonly #controller = new SourceController(this, {
    source: () => this.#active(),
    onAttach: (source) => this.#load(source),
    onResync: (source) => this.#load(source, true),
    onChange: (c) => this.#dispatch(c),
  });

  /** The sync event shown, by id; empty to follow the latest one. */
  @property({ attribute: 'event-id' })
  get eventId(): string {
    return this.#view.pinnedId;
  }
  set eventId(value: string) {
    this.#dispatch({ type: 'eventChosen', eventId: value ?? '' });
  }

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (name === 'lang') this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dropRemote();
  }

  /** The source in use: `.source` if given, else one built from `src` while connected. Provided to the parts. */
  #active(): SyncSource | undefined {
    let active = this.source;
    if (!active && this.src && this.isConnected) {
      if (!this.#remote || this.#remoteSrc !== this.src) {
        this.#dropRemote();
        try {
          this.#remote = new HttpSyncSource({ url: this.src });
          this.#remoteSrc = this.src;
        } catch {
          // Not a URL: the panel shows that it has no source, as without `src`.
        }
      }
      active = this.#remote;
    } else this.#dropRemote();
    if (this.#provider.value !== active) this.#provider.setValue(active);
    return active;
  }

  #dropRemote() {
    this.#remote?.close();
    this.#remote = undefined;
    this.#remoteSrc = '';
  }

  /** The sync event shown, as it stands now. */
  get event(): SyncEvent | undefined {
    return this.#view.event;
  }

  /** The connector's state, as last reported. */
  get connector(): ConnectorState | undefined {
    return this.#view.connector;
  }

  /** Resolves once the data of the current source (and chosen event) has loaded and rendered. */
  get ready(): Promise<void> {
    return this.#ready.then(() => this.updateComplete).then(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const locale = this.locale || this.getAttribute('lang') || document.documentElement.lang || 'en';
    const next = localizerFor(locale);
    if (next !== this.l) this.l = next;
    if (changed.has('eventId') && this.hasUpdated && this.#controller.source) void this.#loadEvent(this.#controller.source);
    if (changed.has('tab') && this.tab === 'items') this.#itemsVisited = true;
    this.#setStates();
  }

  #setStates() {
    const states = this.#internals.states;
    for (const s of ['loading', 'completed', 'error', 'in-progress', 'paused']) states.delete(s);
    if (this.#view.phase === 'loading') states.add('loading');
    if (this.#view.event) states.add(this.#view.event.status.replace('_', '-'));
  }

  /**
   * The one way the view changes: through the reducer. A new status of the event shown is told
   * to the host (the live region announces it when rendered). Rendering is the caller's to ask
   * for: the controller coalesces live changes into one update a frame.
   */
  #dispatch(action: PanelAction) {
    const before = this.#view;
    const after = reducePanelView(before, action);
    if (after === before) return;
    this.#view = after;
    const change = after.statusChange;
    if (change && change !== before.statusChange) this.dispatchEvent(new ShopsyncStatusChangeEvent({ ...change }));
  }

  /** Reads what the panel shows; `quiet` keeps what is shown until the new data is in (a resync). */
  #load(source: SyncSource, quiet = false) {
    const gen = ++this.#gen;
    this.#dispatch({ type: 'loadStarted', quiet });
    this.#ready = (async () => {
      try {
        const [connector, page] = await Promise.all([source.connectorState(), source.listEvents({ offset: 0, limit: 1 })]);
        if (gen !== this.#gen) return;
        const pinned = this.#view.pinnedId;
        const event = pinned ? await source.getEvent(pinned) : page.items[0];
        if (gen !== this.#gen) return;
        this.#dispatch({ type: 'loaded', connector, latestId: page.items[0]?.id, event });
      } catch (err) {
        if (gen !== this.#gen) return;
        this.#dispatch({ type: 'loadFailed', message: err instanceof Error ? err.message : String(err) });
      }
      this.requestUpdate();
    })();
  }

  /** Reads the event to show after the host chose another one (or the newest again). */
  async #loadEvent(source: SyncSource) {
    const gen = ++this.#gen;
    const id = this.#view.pinnedId || this.#view.latestId;
    this.#ready = (async () => {
      const event = id ? await source.getEvent(id) : undefined;
      if (gen !== this.#gen) return;
      this.#dispatch({ type: 'eventLoaded', event });
      this.requestUpdate();
    })().catch((err: unknown) => {
      this.#dispatch({ type: 'loadFailed', message: err instanceof Error ? err.message : String(err) });
      this.requestUpdate();
    });
    await this.#ready;
  }

  // ——— tabs (WAI-ARIA tabs pattern, automatic activation) ———

  #selectTab(tab: PanelTab, focus = false) {
    this.tab = tab;
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  #onTabKey(e: KeyboardEvent) {
    const i = TABS.indexOf(this.tab);
    const next =
      e.key === 'ArrowRight' ? TABS[(i + 1) % TABS.length] : e.key === 'ArrowLeft' ? TABS[(i - 1 + TABS.length) % TABS.length] : e.key === 'Home' ? TABS[0] : e.key === 'End' ? TABS[TABS.length - 1] : undefined;
    if (!next) return;
    e.preventDefault();
    this.#selectTab(next, true);
  }

  #onShowItems = (e: ShopsyncShowItemsEvent) => {
    if (Object.keys(e.detail.filter).length) this.itemFilter = { ...e.detail.filter };
    this.infoOpen = false;
    this.#selectTab('items', true);
  };

  #onEventSelect = (e: ShopsyncEventSelectEvent) => {
    const id = e.detail.eventId;
    this.eventId = id === this.#view.latestId ? '' : id;
    if (!this.eventId && this.#view.event?.id !== id && this.#controller.source) void this.#loadEvent(this.#controller.source);
    this.#selectTab('overview', true);
  };

  async #toggleConnector(enabled: boolean) {
    const source = this.#controller.source;
    if (!source || !this.dispatchEvent(new ShopsyncConnectorToggleRequestEvent(enabled))) return;
    await source.setEnabled(enabled);
  }

  protected override render() {
    const l = this.l;
    const { m } = l;
    const tabs: Array<[PanelTab, string]> = [
      ['overview', m.tabOverview],
      ['items', m.tabItems],
      ['events', m.tabEvents],
    ];
    const { connector, event, statusChange } = this.#view;
    return html`<div part="base" lang=${l.locale} @shopsync-show-items=${this.#onShowItems} @shopsync-event-select=${this.#onEventSelect}>
      <header part="header">
        <div class="title">
          <h2 id="title">${m.panelTitle}</h2>
          <button
            part="info-button"
            aria-expanded=${this.infoOpen ? 'true' : 'false'}
            aria-controls="info"
            aria-label=${m.queueInfoLabel}
            title=${m.queueInfoLabel}
            @click=${() => (this.infoOpen = !this.infoOpen)}
          >
            ${icons.info}
          </button>
        </div>
        ${connector && this.#provider.value
          ? html`<div class="connector">
              <button class="button" part="connector-button" @click=${() => this.#toggleConnector(!connector.enabled)}>
                ${connector.enabled ? m.disableConnector : m.enableConnector}
              </button>
            </div>`
          : nothing}
      </header>
      <div id="info" part="info" class="callout info" ?hidden=${!this.infoOpen}>
        ${icons.info}
        <p class="text">
          ${m.queueInfoText}
          <a href="#items" part="info-link" @click=${(e: Event) => {
            e.preventDefault();
            this.#onShowItems({ detail: { filter: {} } } as ShopsyncShowItemsEvent);
          }}>${m.itemsTabName}</a>${m.queueInfoAfter === '.' ? '' : ' '}${m.queueInfoAfter}
        </p>
      </div>

      <div part="tabs" role="tablist" aria-label=${m.tabsLabel} @keydown=${this.#onTabKey}>
        ${tabs.map(
          ([id, label]) => html`<button
            part="tab"
            role="tab"
            id="tab-${id}"
            aria-selected=${this.tab === id ? 'true' : 'false'}
            aria-controls="panel-${id}"
            tabindex=${this.tab === id ? 0 : -1}
            @click=${() => this.#selectTab(id)}
          >
            ${label}
          </button>`,
        )}
      </div>

      <div part="panel" role="tabpanel" id="panel-overview" aria-labelledby="tab-overview" tabindex="0" ?hidden=${this.tab !== 'overview'}>${this.#renderOverview()}</div>
      <div part="panel" role="tabpanel" id="panel-items" aria-labelledby="tab-items" tabindex="0" ?hidden=${this.tab !== 'items'}>
        ${this.#itemsVisited || this.tab === 'items' ? html`<shopsync-item-table exportparts=${FORWARDED.items} .filter=${this.itemFilter}></shopsync-item-table>` : nothing}
      </div>
      <div part="panel" role="tabpanel" id="panel-events" aria-labelledby="tab-events" tabindex="0" ?hidden=${this.tab !== 'events'}>
        ${this.#provider.value
          ? html`<shopsync-event-list exportparts=${FORWARDED.events} selected-id=${event?.id ?? ''} next-run-at=${connector?.nextRunAt ?? ''}></shopsync-event-list>`
          : nothing}
      </div>
      <div part="live-region" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${statusChange ? m.statusAnnouncement(statusLabel(l, statusChange.status)) : ''}</div>
    </div>`;
  }

  #renderOverview() {
    const { m } = this.l;
    if (!this.#provider.value) return html`<p class="empty muted">${m.sourceMissing}</p>`;
    const { phase, event: ev, latestId, connector } = this.#view;
    if (phase === 'failed') return html`<p class="callout danger" role="alert">${m.sourceFailed(this.#view.loadError)}</p>`;
    if (phase !== 'ready') return html`<p class="empty muted">${m.loading}</p>`;
    if (!ev) return html`<p class="empty muted">${m.noEvents}</p>`;
    return html`${latestId !== undefined && ev.id !== latestId
        ? html`<p class="latest"><button class="link" part="latest-link" @click=${() => this.#onEventSelect({ detail: { eventId: latestId } } as ShopsyncEventSelectEvent)}>${m.showLatest}</button></p>`
        : nothing}
      <div class="overview">
        <div class="card sync" part="card"><shopsync-synchronization exportparts=${FORWARDED.synchronization} .event=${ev} .connector=${connector}></shopsync-synchronization></div>
        <div class="card config" part="card"><shopsync-configuration exportparts=${FORWARDED.configuration} .config=${ev.config}></shopsync-configuration></div>
        <div class="card logs" part="card"><shopsync-log-links exportparts=${FORWARDED.logs} event-id=${ev.id} ?available=${ev.logsAvailable}></shopsync-log-links></div>
        <div class="card history" part="card"><shopsync-history exportparts=${FORWARDED.history} .iterations=${ev.iterations}></shopsync-history></div>
      </div>`;
  }
}
