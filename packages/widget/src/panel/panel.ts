import { ContextProvider, provide } from '@lit/context';
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConnectorState, ItemFilterQuery, SourceChange, SyncEvent, SyncSource } from '@shopsync/core';
import { HttpSyncSource } from '@shopsync/http/client';
import { localizerContext, sourceContext } from '../context.js';
import { SourceController } from '../controllers/source-controller.js';
import { ShopsyncConnectorToggleRequestEvent, ShopsyncStatusChangeEvent, type ShopsyncEventSelectEvent, type ShopsyncShowItemsEvent } from '../events.js';
import { localizerFor, type Localizer } from '../i18n/localizer.js';
import { statusLabel } from '../status-badge/status-badge.js';
import { icons } from '../styles/icons.js';
import { styles } from './panel.styles.js';

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
 * @csspart base - The panel's frame.
 * @csspart header - Title, info button and connector action.
 * @csspart info-button - The info icon about the queue.
 * @csspart info - The explanation it discloses.
 * @csspart tabs - The tab list.
 * @csspart tab - Each tab.
 * @csspart panel - Each tab panel.
 * @csspart card - Each section's card on the Synchronization tab.
 * @csspart live-region - The polite live region (visually hidden).
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

  /** The sync event shown; empty to follow the latest one. */
  @property({ attribute: 'event-id' }) eventId = '';

  /** The tab shown. */
  @property({ reflect: true }) tab: PanelTab = 'overview';

  @provide({ context: localizerContext })
  @state()
  protected l: Localizer = localizerFor('en');

  @state() private infoOpen = false;
  @state() private itemFilter: ItemFilterQuery = {};

  /** The event shown, the newest event's id, the connector, load state: updated as changes come, rendered once a frame. */
  #event: SyncEvent | undefined;
  #latestId: string | undefined;
  #connector: ConnectorState | undefined;
  #phase: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
  #loadError = '';
  #announcement = '';
  #itemsVisited = false;
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
    onChange: (c) => this.#apply(c),
  });

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
    return this.#event;
  }

  /** The connector's state, as last reported. */
  get connector(): ConnectorState | undefined {
    return this.#connector;
  }

  /** Resolves once the data of the current source (and chosen event) has loaded and rendered. */
  get ready(): Promise<void> {
    return this.#ready.then(() => this.updateComplete).then(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const locale = this.locale || this.getAttribute('lang') || document.documentElement.lang || 'en';
    const next = localizerFor(locale);
    if (next !== this.l) this.l = next;
    if (changed.has('eventId') && changed.get('eventId') !== undefined && this.#controller.source) void this.#loadEvent(this.#controller.source);
    if (changed.has('tab') && this.tab === 'items') this.#itemsVisited = true;
    this.#setStates();
  }

  #setStates() {
    const states = this.#internals.states;
    for (const s of ['loading', 'completed', 'error', 'in-progress', 'paused']) states.delete(s);
    if (this.#phase === 'loading') states.add('loading');
    if (this.#event) states.add(this.#event.status.replace('_', '-'));
  }

  /** Loads what the panel shows; `quiet` keeps what is shown until the new data is in (a resync). */
  #load(source: SyncSource, quiet = false) {
    const gen = ++this.#gen;
    if (!quiet || this.#phase !== 'ready') this.#phase = 'loading';
    this.#ready = (async () => {
      try {
        const [connector, page] = await Promise.all([source.connectorState(), source.listEvents({ offset: 0, limit: 1 })]);
        if (gen !== this.#gen) return;
        this.#connector = connector;
        this.#latestId = page.items[0]?.id;
        this.#event = this.eventId ? await source.getEvent(this.eventId) : page.items[0];
        if (gen !== this.#gen) return;
        this.#phase = 'ready';
      } catch (err) {
        if (gen !== this.#gen) return;
        this.#phase = 'failed';
        this.#loadError = err instanceof Error ? err.message : String(err);
      }
      this.requestUpdate();
    })();
  }

  async #loadEvent(source: SyncSource) {
    const gen = ++this.#gen;
    const id = this.eventId || this.#latestId;
    this.#ready = (async () => {
      const event = id ? await source.getEvent(id) : undefined;
      if (gen !== this.#gen) return;
      this.#event = event;
      this.requestUpdate();
    })().catch((err: unknown) => {
      this.#phase = 'failed';
      this.#loadError = err instanceof Error ? err.message : String(err);
      this.requestUpdate();
    });
    await this.#ready;
  }

  /** Applies one change to what the panel holds; the controller renders at most once a frame. */
  #apply(c: SourceChange) {
    switch (c.type) {
      case 'statusChanged':
      case 'iterationCompleted': {
        const ev = c.event;
        if (c.type === 'statusChanged' && c.previous === 'starting') this.#latestId = ev.id;
        else this.#latestId ??= ev.id;
        const shown = this.#event?.id === ev.id || (!this.eventId && ev.id === this.#latestId);
        if (!shown) return;
        const before = this.#event?.id === ev.id ? this.#event.status : undefined;
        this.#event = ev;
        if (this.#phase !== 'ready') this.#phase = 'ready';
        if (c.type === 'statusChanged' && before !== ev.status) {
          this.#announcement = this.l.m.statusAnnouncement(statusLabel(this.l, ev.status));
          this.dispatchEvent(new ShopsyncStatusChangeEvent({ eventId: ev.id, status: c.status, previous: c.previous }));
        }
        return;
      }
      case 'pendingChanged':
        if (c.eventId !== undefined && this.#event?.id === c.eventId) this.#event = { ...this.#event, pending: c.pending };
        return;
      case 'generalErrorOccurred': {
        const ev = this.#event;
        if (!ev || ev.id !== c.eventId) return;
        const e = c.error;
        if (ev.generalErrors.some((g) => g.at === e.at && g.code === e.code && g.message === e.message)) return;
        this.#event = { ...ev, generalErrors: [...ev.generalErrors, e] };
        return;
      }
      case 'logsBecameAvailable':
        if (this.#event?.id === c.eventId) this.#event = { ...this.#event, logsAvailable: true };
        return;
      case 'connectorChanged':
        this.#connector = c.state;
        return;
      case 'itemsUpdated':
        return;
    }
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
    this.eventId = id === this.#latestId ? '' : id;
    if (!this.eventId && this.#event?.id !== id && this.#controller.source) void this.#loadEvent(this.#controller.source);
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
    const connector = this.#connector;
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
        ${this.#itemsVisited || this.tab === 'items' ? html`<shopsync-item-table .filter=${this.itemFilter}></shopsync-item-table>` : nothing}
      </div>
      <div part="panel" role="tabpanel" id="panel-events" aria-labelledby="tab-events" tabindex="0" ?hidden=${this.tab !== 'events'}>
        ${this.#provider.value
          ? html`<shopsync-event-list selected-id=${this.#event?.id ?? ''} next-run-at=${connector?.nextRunAt ?? ''}></shopsync-event-list>`
          : nothing}
      </div>
      <div part="live-region" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.#announcement}</div>
    </div>`;
  }

  #renderOverview() {
    const { m } = this.l;
    if (!this.#provider.value) return html`<p class="empty muted">${m.sourceMissing}</p>`;
    if (this.#phase === 'failed') return html`<p class="callout danger" role="alert">${m.sourceFailed(this.#loadError)}</p>`;
    if (this.#phase !== 'ready') return html`<p class="empty muted">${m.loading}</p>`;
    const ev = this.#event;
    if (!ev) return html`<p class="empty muted">${m.noEvents}</p>`;
    const notLatest = this.#latestId !== undefined && ev.id !== this.#latestId;
    return html`${notLatest
        ? html`<p class="latest"><button class="link" part="latest-link" @click=${() => this.#onEventSelect({ detail: { eventId: this.#latestId! } } as ShopsyncEventSelectEvent)}>${m.showLatest}</button></p>`
        : nothing}
      <div class="overview">
        <div class="card sync" part="card"><shopsync-synchronization .event=${ev} .connector=${this.#connector}></shopsync-synchronization></div>
        <div class="card config" part="card"><shopsync-configuration .config=${ev.config}></shopsync-configuration></div>
        <div class="card logs" part="card"><shopsync-log-links event-id=${ev.id} ?available=${ev.logsAvailable}></shopsync-log-links></div>
        <div class="card history" part="card"><shopsync-history .iterations=${ev.iterations}></shopsync-history></div>
      </div>`;
  }
}
