import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Page, SourceChange, SyncEvent, SyncSource } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { sourceContext } from '../context.js';
import { SourceController } from '../controllers/source-controller.js';
import { bySeverity } from '../error-dialog/severity.js';
import { ShopsyncEventSelectEvent } from '../events.js';
import { STATUS_BADGE_PARTS } from '../status-badge/status-badge.js';
import { icons } from '../styles/icons.js';
import { styles } from './event-list.styles.js';

const total = (c: { categories: number; products: number; variants: number }) => c.categories + c.products + c.variants;

/**
 * @tag shopsync-event-list
 * @summary The Activity Register: sync events, newest first, paginated, live. Choosing one
 * dispatches `shopsync-event-select`; the panel then shows it. Each row counts the event's general
 * errors (red) and warnings (amber) apart. Where runs are scheduled, says when the next one starts.
 *
 * @event shopsync-event-select - An event was chosen (`detail.eventId`).
 *
 * @csspart event - One event's row (a button).
 * @csspart status-badge - Each row's status badge (`shopsync-status-badge`).
 * @csspart status-badge-base - The badge's pill (its `base` part).
 * @csspart status-badge-icon - The badge's icon (its `icon` part).
 * @csspart status-badge-label - The status in words (the badge's `label` part).
 * @csspart pager - The pagination bar.
 */
export class ShopsyncEventList extends LocalizedElement {
  static override styles = styles;

  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source: SyncSource | undefined;

  /** The event shown by the panel (marked as current). */
  @property({ attribute: 'selected-id' }) selectedId = '';
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;
  /** When the next scheduled run starts (ISO), if runs are scheduled. */
  @property({ attribute: 'next-run-at' }) nextRunAt = '';

  @state() private offset = 0;
  @state() private error = '';

  #page: Page<SyncEvent> | undefined;
  #gen = 0;

  readonly #controller = new SourceController(this, {
    source: () => this.source,
    onAttach: () => void this.#load(),
    onChange: (c) => this.#onChange(c),
  });

  /** Resolves when the current page has loaded. */
  get loaded(): Promise<void> {
    return this.#loaded;
  }
  #loaded: Promise<void> = Promise.resolve();

  protected override willUpdate(changed: PropertyValues): void {
    if ((changed.has('offset') && changed.get('offset') !== undefined) || (changed.has('pageSize') && changed.get('pageSize') !== undefined)) void this.#load();
  }

  #load(): Promise<void> {
    const source = this.#controller.source;
    if (!source) return Promise.resolve();
    const gen = ++this.#gen;
    this.#loaded = source.listEvents({ offset: this.offset, limit: this.pageSize }).then(
      (page) => {
        if (gen !== this.#gen) return;
        this.#page = page;
        this.error = '';
        this.requestUpdate();
      },
      (err: unknown) => {
        if (gen === this.#gen) this.error = err instanceof Error ? err.message : String(err);
      },
    );
    return this.#loaded;
  }

  /** A row of the page takes the event as changed (a new page: nothing is changed in place); a new event reloads the page. */
  #onChange(c: SourceChange) {
    const page = this.#page;
    if (!page || (c.type !== 'statusChanged' && c.type !== 'iterationCompleted')) return;
    const id = c.event.id;
    if (page.items.some((e) => e.id === id)) this.#page = { ...page, items: page.items.map((e) => (e.id === id ? c.event : e)) };
    else void this.#load(); // A new event: it goes first, shifting every page.
  }

  #select(id: string) {
    this.dispatchEvent(new ShopsyncEventSelectEvent(id));
  }

  protected override render() {
    const l = this.l;
    const { m, number } = l;
    const page = this.#page;
    return html`<section aria-labelledby="events-heading">
      <div class="head">
        <h3 id="events-heading">${m.eventsHeading}</h3>
        ${this.nextRunAt ? html`<span class="next">${icons.clock}${m.nextRun(l.dateTime(this.nextRunAt))}</span>` : nothing}
      </div>
      ${this.error ? html`<p class="callout danger" role="alert">${m.sourceFailed(this.error)}</p>` : nothing}
      ${!page
        ? html`<p class="muted">${m.loading}</p>`
        : page.total === 0
          ? html`<p class="muted">${m.eventsEmpty}</p>`
          : html`<ol>
                ${repeat(
                  page.items,
                  (e) => e.id,
                  (e) => {
                    const synced = e.iterations.reduce((n, it) => n + total(it.synced), 0);
                    const failed = e.iterations.reduce((n, it) => n + total(it.failed), 0);
                    const { errors, warnings } = bySeverity(e.generalErrors);
                    return html`<li>
                      <button part="event" data-event-id=${e.id} aria-current=${e.id === this.selectedId ? 'true' : 'false'} @click=${() => this.#select(e.id)}>
                        <span class="when"><time datetime=${e.startedAt}>${l.dateTime(e.startedAt)}</time><span>${m.trigger[e.trigger] ?? e.trigger}</span></span>
                        <span class="counts">${m.eventSummary(number(synced), number(failed))}</span>
                        <span class="badge-cell">
                          ${errors.length
                            ? html`<span class="errors">${icons.exclamation}${number(errors.length)}<span class="visually-hidden">${m.generalErrorsCount(errors.length, l.plural)}</span></span>`
                            : nothing}
                          ${warnings.length
                            ? html`<span class="warnings">${icons.warning}${number(warnings.length)}<span class="visually-hidden">${m.warningsCount(warnings.length, l.plural)}</span></span>`
                            : nothing}
                          <shopsync-status-badge part="status-badge" exportparts=${STATUS_BADGE_PARTS} .status=${e.status}></shopsync-status-badge>
                        </span>
                      </button>
                    </li>`;
                  },
                )}
              </ol>
              <div class="pager" part="pager">
                <button class="button" ?disabled=${this.offset === 0} @click=${() => (this.offset = Math.max(0, this.offset - this.pageSize))}>${m.previousPage}</button>
                <span class="muted">${m.pageOf(number(this.offset + 1), number(Math.min(page.total, this.offset + page.items.length)), number(page.total))}</span>
                <button class="button" ?disabled=${this.offset + this.pageSize >= page.total} @click=${() => (this.offset += this.pageSize)}>${m.nextPage}</button>
              </div>`}
    </section>`;
  }
}
