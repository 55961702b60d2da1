import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-pending-counters>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }
    dl {
      display: grid;
      grid-template-columns: repeat(3, minmax(0, 1fr));
      gap: 0.5rem;
      margin: 0;
    }
    [part='counter'] {
      padding: 0.6rem 0.75rem;
      border-radius: ${token('radius-small')};
      background: ${token('color-surface-raised')};
      border: 1px solid ${token('color-border')};
      display: flex;
      flex-direction: column-reverse;
      min-width: 0;
    }
    dt {
      color: ${token('color-text-muted')};
      font-size: max(0.857em, 12px);
    }
    dd {
      margin: 0;
      font-size: 1.43em;
      font-weight: 650;
      font-variant-numeric: tabular-nums;
      line-height: 1.2;
    }
    :host([compact]) dd {
      font-size: 1.14em;
    }
    /* Too narrow for three tiles side by side (a phone): one per line, the label beside the number. */
    @container (max-width: 26rem) {
      dl {
        grid-template-columns: minmax(0, 1fr);
        gap: 0.35rem;
      }
      [part='counter'] {
        flex-flow: row wrap;
        justify-content: space-between;
        align-items: baseline;
        gap: 0 0.75rem;
        padding: 0.4rem 0.75rem;
      }
      dt {
        font-size: 1em;
      }
      dd {
        font-size: 1.14em;
      }
    }
  `,
];
