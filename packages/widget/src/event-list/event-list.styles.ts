import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-event-list>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }
    section {
      display: grid;
      gap: 0.75rem;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      align-items: baseline;
      gap: 0.5rem 1rem;
    }
    .next {
      display: inline-flex;
      align-items: center;
      gap: 0.35em;
      color: ${token('color-text-muted')};
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      overflow: hidden;
    }
    li + li {
      border-top: 1px solid ${token('color-border')};
    }
    [part~='event'] {
      display: grid;
      grid-template-columns: minmax(11rem, max-content) minmax(0, 1fr) auto;
      gap: 0.25rem 1rem;
      align-items: center;
      width: 100%;
      padding: 0.65rem 0.9rem;
      border: 0;
      background: ${token('color-surface')};
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    [part~='event']:hover {
      background: ${token('color-surface-raised')};
    }
    [part~='event'][aria-current='true'] {
      background: ${token('color-info-bg')};
      box-shadow: inset 3px 0 0 ${token('color-accent')};
    }
    [part~='event']:focus-visible {
      outline-offset: -2px;
    }
    .when {
      display: grid;
    }
    .when time {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .when span,
    .counts {
      font-size: 0.857em;
      color: ${token('color-text-muted')};
    }
    .badge-cell {
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
    }
    .errors,
    .warnings {
      display: inline-flex;
      gap: 0.3em;
      align-items: center;
      color: ${token('color-danger')};
      font-weight: 600;
      font-size: 0.857em;
    }
    .warnings {
      color: ${token('color-warning')};
    }
    .pager {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    @container (max-width: 34rem) {
      [part~='event'] {
        grid-template-columns: minmax(0, 1fr) auto;
      }
      .when {
        grid-column: 1 / -1;
      }
    }
  `,
];
