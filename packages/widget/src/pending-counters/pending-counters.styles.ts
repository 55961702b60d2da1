import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

export const styles = [
  base,
  css`
    :host {
      display: block;
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
      font-size: 0.857em;
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
  `,
];
