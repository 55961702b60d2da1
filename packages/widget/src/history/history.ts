import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { Iteration } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { styles } from './history.styles.js';

const total = (c: { categories: number; products: number; variants: number }) => c.categories + c.products + c.variants;

/**
 * @tag shopsync-history
 * @summary The History section: one block per completed iteration of a sync event, newest first,
 * with its time and the categories, products and variants synchronized (and failed or skipped,
 * when any). Long histories show the newest blocks first and the rest on demand.
 *
 * @csspart iteration - One iteration's block.
 * @csspart show-older - The button that shows older iterations.
 */
export class ShopsyncHistory extends LocalizedElement {
  static override styles = styles;

  @property({ attribute: false }) iterations: Iteration[] = [];
  /** Blocks shown at first, and added by each "show older". */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 24;
  @state() private shown = 0;

  protected override render() {
    const { m, plural, number } = this.l;
    const its = this.iterations;
    const limit = Math.max(this.pageSize, this.shown);
    const visible = its.slice(Math.max(0, its.length - limit)).reverse();
    const hidden = its.length - visible.length;
    return html`<section aria-labelledby="history-heading">
      <div class="head">
        <h3 id="history-heading">${m.historyHeading}</h3>
        <span class="muted">${its.length ? m.historyCount(its.length, plural) : nothing}</span>
      </div>
      ${its.length === 0
        ? html`<p class="muted">${m.historyEmpty}</p>`
        : html`<ol aria-labelledby="history-heading">
            ${repeat(
              visible,
              (it) => it.index,
              (it) => html`<li part="iteration" data-index=${it.index}>
                <div class="it-head">
                  <strong>${m.iterationN(it.index)}</strong>
                  <time datetime=${it.endedAt}>${this.l.time(it.endedAt)}</time>
                </div>
                <dl aria-label=${m.synced}>
                  <div><dt>${m.categories}</dt><dd data-entity="categories">${number(it.synced.categories)}</dd></div>
                  <div><dt>${m.products}</dt><dd data-entity="products">${number(it.synced.products)}</dd></div>
                  <div><dt>${m.variants}</dt><dd data-entity="variants">${number(it.synced.variants)}</dd></div>
                </dl>
                ${total(it.failed) || total(it.skipped)
                  ? html`<div class="extra">
                      ${total(it.failed) ? html`<span class="failed">${m.failed}: ${number(total(it.failed))}</span>` : nothing}
                      ${total(it.failed) && total(it.skipped) ? ' · ' : nothing}
                      ${total(it.skipped) ? html`<span>${m.skipped}: ${number(total(it.skipped))}</span>` : nothing}
                    </div>`
                  : nothing}
              </li>`,
            )}
          </ol>`}
      ${hidden > 0
        ? html`<div>
            <button class="button" part="show-older" @click=${() => (this.shown = limit + this.pageSize * 4)}>
              ${m.showOlder(Math.min(hidden, this.pageSize * 4), plural)}
            </button>
          </div>`
        : nothing}
    </section>`;
  }
}
