import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Entity, ItemErrorSummary, ItemFilterQuery, ItemState, ItemView, SourceChange, SyncSource } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { sourceContext } from '../context.js';
import { SourceController } from '../controllers/source-controller.js';
import { ShopsyncRetryRequestEvent } from '../events.js';
import type { Localizer } from '../i18n/localizer.js';
import { icons } from '../styles/icons.js';
import { styles } from './item-table.styles.js';
import { cssomStyle } from './cssom-style.js';
import { dayOf, sinceIso } from './since-day.js';
import { VirtualRows } from './virtual-rows.js';

/** Items fetched per request. */
const PAGE = 100;
/** At most one refresh of the visible rows and the error summary this often while items change. */
const REFRESH_MS = 500;

const keyOf = (i: { entity: string; ref: string }) => `${i.entity}:${i.ref}`;

function stateLabel(l: Localizer, s: ItemState): string {
  return s === 'error' ? l.m.itemError : s === 'pending' ? l.m.itemPending : l.m.itemComplete;
}

function entityLabel(l: Localizer, e: Entity): string {
  return e === 'category' ? l.m.category : e === 'product' ? l.m.product : l.m.variant;
}

/**
 * @tag shopsync-item-table
 * @summary The Item Synchronization Status tab: every item's latest outcome, filtered by
 * reference (substring, case-sensitive), status, type and "synchronized since" date, in a
 * virtualized list that stays smooth at hundreds of thousands of items. Choosing an item shows
 * its errors in full; errors are also grouped by cause with counts; items that failed in several
 * sync events in a row are flagged; one item, or every failed item of the filter, can be retried.
 *
 * @event shopsync-retry-request - The user asked for a retry (cancelable).
 *
 * @csspart filters - The filter form.
 * @csspart list - The virtualized list.
 * @csspart row - One item's row.
 * @csspart detail - The chosen item's details and errors.
 * @csspart error-groups - Item errors grouped by cause.
 * @csspart retry-failed - The "retry all failed items" button.
 * @csspart retry-item - The "retry this item" button.
 *
 * @cssproperty [--shopsync-item-table-height=26rem] - Height of the list.
 */
export class ShopsyncItemTable extends LocalizedElement {
  static override styles = styles;

  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source: SyncSource | undefined;

  /** The current filter (also set by the form). */
  @property({ attribute: false }) filter: ItemFilterQuery = {};

  @state() private total: number | undefined;
  @state() private summary: ItemErrorSummary | undefined;
  @state() private selected: ItemView | undefined;
  @state() private notice = '';
  @state() private loadError = '';

  /** Rows by index; holes are loaded on demand as they scroll into view. */
  #rows: Array<ItemView | undefined> = [];
  #loading = new Set<number>();
  #generation = 0;
  /** The rows of the virtualized list in view. */
  readonly #virtual = new VirtualRows(this, '[part="list"][role="list"]');
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #refTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #controller = new SourceController(this, {
    source: () => this.source,
    onAttach: () => this.#reload(),
    onResync: () => void this.#refresh(),
    onChange: (c) => this.#onChange(c),
  });

  /** Resolves when the rows of the current filter and their error summary have loaded. */
  get loaded(): Promise<void> {
    return this.#loadedPromise;
  }
  #loadedPromise: Promise<void> = Promise.resolve();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#refTimer);
    this.#refreshTimer = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('filter') && changed.get('filter') !== undefined && this.#controller.source) this.#reload();
  }

  #onChange(c: SourceChange) {
    if (c.type !== 'itemsUpdated' && c.type !== 'statusChanged') return;
    if (this.#refreshTimer !== undefined) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      void this.#refresh();
    }, REFRESH_MS);
  }

  /** A new filter: start from the first page. */
  #reload() {
    const gen = ++this.#generation;
    const source = this.#controller.source;
    if (!source) return;
    this.#loading.clear();
    this.loadError = '';
    this.#loadedPromise = (async () => {
      try {
        const [page, summary] = await Promise.all([
          source.queryItems({ ...this.filter, offset: 0, limit: PAGE }),
          source.summarizeItemErrors(this.#errorFilter()),
        ]);
        if (gen !== this.#generation) return;
        const rows = new Array<ItemView | undefined>(page.total);
        page.items.forEach((it, i) => (rows[i] = it));
        this.#rows = rows;
        this.total = page.total;
        this.summary = summary;
        this.#syncSelected();
      } catch (err) {
        if (gen === this.#generation) this.loadError = err instanceof Error ? err.message : String(err);
      }
      await this.updateComplete;
    })();
  }

  /** Items changed: reload the rows in view and the summary, keeping the rest of the list in place. */
  async #refresh() {
    const gen = ++this.#generation;
    const source = this.#controller.source;
    if (!source) return;
    const { first, last } = this.#virtual.current;
    const firstPage = Math.floor(Math.max(0, first) / PAGE);
    const lastPage = Math.floor(Math.max(first, last, 0) / PAGE);
    try {
      const pages = await Promise.all(
        Array.from({ length: lastPage - firstPage + 1 }, (_, i) => source.queryItems({ ...this.filter, offset: (firstPage + i) * PAGE, limit: PAGE })),
      );
      const summary = await source.summarizeItemErrors(this.#errorFilter());
      if (gen !== this.#generation) return;
      const total = pages[0]?.total ?? 0;
      const rows = new Array<ItemView | undefined>(total);
      pages.forEach((p, i) => p.items.forEach((it, j) => (rows[(firstPage + i) * PAGE + j] = it)));
      this.#loading.clear();
      this.#rows = rows;
      this.total = total;
      this.summary = summary;
      this.#syncSelected();
    } catch {
      // A failed refresh keeps what is shown; the next change tries again.
    }
  }

  #syncSelected() {
    if (!this.selected) return;
    const key = keyOf(this.selected);
    const fresh = this.#rows.find((r) => r !== undefined && keyOf(r) === key);
    if (fresh) this.selected = fresh;
  }

  /** Loads the page holding `index` (once), then renders. */
  #want(index: number) {
    const page = Math.floor(index / PAGE);
    if (this.#loading.has(page)) return;
    this.#loading.add(page);
    const gen = this.#generation;
    const source = this.#controller.source;
    if (!source) return;
    void source.queryItems({ ...this.filter, offset: page * PAGE, limit: PAGE }).then(
      (p) => {
        if (gen !== this.#generation) return;
        const rows = this.#rows.slice();
        p.items.forEach((it, j) => {
          if (page * PAGE + j < rows.length) rows[page * PAGE + j] = it;
        });
        this.#rows = rows;
        this.requestUpdate();
      },
      () => this.#loading.delete(page),
    );
  }

  #errorFilter(): ItemFilterQuery {
    const { status: _s, ...rest } = this.filter;
    return rest;
  }

  #setFilter(patch: Partial<ItemFilterQuery>) {
    const next: ItemFilterQuery = { ...this.filter, ...patch };
    for (const k of Object.keys(next) as Array<keyof ItemFilterQuery>) if (next[k] === undefined || next[k] === '') delete next[k];
    this.filter = next;
  }

  #onRefInput(e: Event) {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.#refTimer);
    this.#refTimer = setTimeout(() => this.#setFilter({ ref: value }), 200);
  }

  #onRefChange(e: Event) {
    clearTimeout(this.#refTimer);
    const value = (e.target as HTMLInputElement).value;
    if ((this.filter.ref ?? '') !== value) this.#setFilter({ ref: value });
  }

  async #retry(detail: { item?: { entity: Entity; ref: string }; filter?: ItemFilterQuery }) {
    const source = this.#controller.source;
    if (!source) return;
    if (!this.dispatchEvent(new ShopsyncRetryRequestEvent(detail))) return;
    const { m, plural } = this.l;
    try {
      const n = detail.item ? await source.retryItem(detail.item) : await source.retryFailed(detail.filter ?? {});
      this.notice = m.retryDone(n, plural);
      await this.#refresh();
    } catch (err) {
      this.notice = m.retryFailedMsg(err instanceof Error ? err.message : String(err));
    }
  }

  protected override render() {
    const l = this.l;
    const { m, plural, number } = l;
    const f = this.filter;
    const failed = this.summary?.failedItems ?? 0;
    const canRetryAll = failed > 0 && (f.status === undefined || f.status === 'error');
    return html`<section aria-label=${m.tabItems}>
      <form part="filters" role="search" aria-label=${m.filtersLabel} @submit=${(e: Event) => e.preventDefault()}>
        <label
          >${m.filterRef}
          <input
            type="search"
            name="ref"
            autocomplete="off"
            spellcheck="false"
            aria-describedby="ref-hint"
            .value=${f.ref ?? ''}
            @input=${this.#onRefInput}
            @change=${this.#onRefChange}
          />
          <span class="hint" id="ref-hint">${m.filterRefHint}</span></label
        >
        <label
          >${m.filterStatus}
          <select name="status" @change=${(e: Event) => this.#setFilter({ status: ((e.target as HTMLSelectElement).value || undefined) as ItemState | undefined })}>
            <option value="" ?selected=${!f.status}>${m.all}</option>
            <option value="error" ?selected=${f.status === 'error'}>${m.itemError}</option>
            <option value="pending" ?selected=${f.status === 'pending'}>${m.itemPending}</option>
            <option value="complete" ?selected=${f.status === 'complete'}>${m.itemComplete}</option>
          </select></label
        >
        <label
          >${m.filterType}
          <select name="entity" @change=${(e: Event) => this.#setFilter({ entity: ((e.target as HTMLSelectElement).value || undefined) as Entity | undefined })}>
            <option value="" ?selected=${!f.entity}>${m.allTypes}</option>
            <option value="category" ?selected=${f.entity === 'category'}>${m.categories}</option>
            <option value="product" ?selected=${f.entity === 'product'}>${m.products}</option>
            <option value="variant" ?selected=${f.entity === 'variant'}>${m.variants}</option>
          </select></label
        >
        <label
          >${m.filterSince}
          <input type="date" name="since" .value=${dayOf(f.since)} @change=${(e: Event) => this.#setFilter({ since: sinceIso((e.target as HTMLInputElement).value) })}
        /></label>
      </form>

      <div class="bar">
        <span class="count" role="status">${this.total === undefined ? m.loading : m.itemsCount(number(this.total), this.total, plural)}</span>
        ${canRetryAll
          ? html`<button class="button" part="retry-failed" @click=${() => this.#retry({ filter: { ...this.#errorFilter(), status: 'error' } })}>
              ${icons.retry}${m.retryFailed(number(failed))}
            </button>`
          : nothing}
      </div>
      ${this.notice ? html`<p class="note" role="status">${this.notice}</p>` : nothing}
      ${this.loadError ? html`<p class="callout danger" role="alert">${m.sourceFailed(this.loadError)}</p>` : nothing}
      ${this.#renderGroups()}

      <div class="layout">
        ${this.total === 0
          ? html`<div class="list empty muted" part="list">${m.itemsEmpty}</div>`
          : this.#renderList()}
        ${this.#renderDetail()}
      </div>
    </section>`;
  }

  /**
   * The virtualized list: a sizer as tall as every row, and only the rows in view (and a few
   * around them), each placed by its index. Rows not loaded yet show a placeholder and load their page.
   */
  #renderList() {
    const { m } = this.l;
    const win = this.#virtual.window(this.#rows.length);
    const indexes = Array.from({ length: win.last - win.first + 1 }, (_, i) => win.first + i);
    // Focusable: a keyboard reaches and scrolls the list (WCAG 2.1.1; axe: scrollable-region-focusable).
    return html`<div class="list" part="list" role="list" aria-label=${m.itemsListLabel} tabindex="0" @scroll=${this.#virtual.onScroll}>
      <div class="sizer" ${cssomStyle({ height: `${this.#rows.length * this.#virtual.rowPx}px` })}></div>
      ${repeat(
        indexes,
        (i) => i,
        (i) => this.#renderRow(this.#rows[i], i),
      )}
    </div>`;
  }

  #renderRow(item: ItemView | undefined, index: number) {
    const at = cssomStyle({ transform: `translateY(${index * this.#virtual.rowPx}px)` });
    if (!item) {
      this.#want(index);
      return html`<div class="row placeholder" role="listitem" aria-busy="true" ${at}><span></span></div>`;
    }
    const l = this.l;
    const current = this.selected !== undefined && keyOf(this.selected) === keyOf(item);
    const first = item.errors[0];
    return html`<div class="row" role="listitem" ${at}>
      <button part="row" aria-current=${current ? 'true' : 'false'} data-key=${keyOf(item)} @click=${() => (this.selected = item)}>
        <span class="st ${item.status}">${item.status === 'error' ? icons.error : item.status === 'complete' ? icons.check : icons.clock}${stateLabel(l, item.status)}</span>
        <span class="ref"><span class="entity">${entityLabel(l, item.entity)}</span>${item.ref}</span>
        <time class="when" datetime=${item.updatedAt}>${l.dateTime(item.updatedAt)}</time>
        <span class="msg"
          >${item.consecutiveFailures >= 2 && item.status === 'error'
            ? html`<span class="repeated">${icons.repeat}${l.m.repeatedFailure(item.consecutiveFailures)}</span> · `
            : nothing}${first ? first.message : item.skipped ? l.m.skippedReason[item.skipped] : ''}</span
        >
      </button>
    </div>`;
  }

  #renderGroups() {
    const s = this.summary;
    if (!s) return nothing;
    const { m, number, plural } = this.l;
    if (s.groups.length === 0) return nothing;
    return html`<div class="groups" part="error-groups">
      <h3 id="groups-heading">${m.errorGroupsHeading}</h3>
      <ul aria-labelledby="groups-heading">
        ${s.groups.map(
          (g) => html`<li>
            <span class="n">${number(g.count)}</span>
            <span class="cause">${g.code ? html`<span class="code">${g.code}</span> ` : nothing}${g.message}${g.field ? html` <span class="code">(${g.field.join('.')})</span>` : nothing}</span>
          </li>`,
        )}
      </ul>
      ${s.repeatedFailures > 0 ? html`<p class="repeated">${icons.repeat}${m.repeatedSummary(s.repeatedFailures, plural)}</p>` : nothing}
    </div>`;
  }

  #renderDetail() {
    const it = this.selected;
    const l = this.l;
    const { m } = l;
    if (!it) return nothing;
    return html`<aside part="detail" aria-labelledby="detail-heading">
      <p class="muted note">${m.itemDetails}</p>
      <h3 id="detail-heading">${it.ref}</h3>
      <dl>
        <dt>${m.filterType}</dt>
        <dd>${entityLabel(l, it.entity)}</dd>
        <dt>${m.filterStatus}</dt>
        <dd><span class="st ${it.status}">${stateLabel(l, it.status)}</span></dd>
        <dt>${m.updated}</dt>
        <dd><time datetime=${it.updatedAt}>${l.dateTime(it.updatedAt)}</time></dd>
        ${it.shopifyId ? html`<dt>${m.shopifyId}</dt><dd>${it.shopifyId}</dd>` : nothing}
      </dl>
      ${it.parentRef ? html`<p class="note">${m.parent(it.parentRef)}</p>` : nothing}
      ${it.consecutiveFailures >= 2 && it.status === 'error' ? html`<p class="repeated">${icons.repeat}${m.repeatedFailure(it.consecutiveFailures)}</p>` : nothing}
      ${it.skipped ? html`<p class="note">${m.skippedReason[it.skipped]}</p>` : nothing}
      ${it.errors.length
        ? html`<ul class="errors">
            ${it.errors.map(
              (e) => html`<li>
                ${e.code ? html`<span class="code">${e.code}</span>` : nothing}
                <span class="message">${e.message}</span>
                ${e.field?.length ? html`<span class="code">${m.field(e.field.join('.'))}</span>` : nothing}
              </li>`,
            )}
          </ul>`
        : html`<p class="muted note">${m.itemNoErrors}</p>`}
      ${it.status === 'error'
        ? html`<div><button class="button primary" part="retry-item" @click=${() => this.#retry({ item: { entity: it.entity, ref: it.ref } })}>${icons.retry}${m.retryItem}</button></div>`
        : nothing}
    </aside>`;
  }
}
