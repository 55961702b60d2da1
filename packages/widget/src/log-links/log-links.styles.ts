import { css } from 'lit';
import { base } from '../styles/shared.styles.js';

/** Styles of <shopsync-log-links>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    section {
      display: grid;
      gap: 0.6rem;
    }
    .links {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
    }
    .error {
      color: var(--shopsync-color-danger, light-dark(#c4262e, #ff8a8f));
    }
  `,
];
