import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { EntityCounts } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { styles } from './pending-counters.styles.js';

/**
 * @tag shopsync-pending-counters
 * @summary Items still waiting, per entity: categories, products, variants.
 *
 * @csspart counter - One entity's tile (label and number).
 */
export class ShopsyncPendingCounters extends LocalizedElement {
  static override styles = styles;

  @property({ attribute: false }) pending: EntityCounts = { categories: 0, products: 0, variants: 0 };
  /** Accessible name of the list (defaults to "Pending items"). */
  @property() label = '';
  @property({ type: Boolean, reflect: true }) compact = false;

  protected override render() {
    const { m, number } = this.l;
    const rows: Array<[keyof EntityCounts, string]> = [
      ['categories', m.categories],
      ['products', m.products],
      ['variants', m.variants],
    ];
    return html`<dl aria-label=${this.label || m.pendingHeading}>
      ${rows.map(([key, label]) => html`<div part="counter" data-entity=${key}><dt>${label}</dt><dd>${number(this.pending[key])}</dd></div>`)}
    </dl>`;
  }
}
