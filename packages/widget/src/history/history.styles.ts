import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-history>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    section {
      display: grid;
      gap: 0.75rem;
    }
    .head {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.5rem;
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
      gap: 0.5rem;
    }
    [part~='iteration'] {
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      background: ${token('color-surface-raised')};
      padding: 0.6rem 0.75rem;
      display: grid;
      gap: 0.35rem;
      animation: appear 240ms ease-out;
    }
    /* Transform and outline only: text keeps its full contrast while a block arrives. */
    @keyframes appear {
      from {
        transform: translateY(-6px);
        outline: 2px solid ${token('color-accent')};
      }
    }
    @media (prefers-reduced-motion: reduce) {
      [part~='iteration'] {
        animation: none;
      }
    }
    .it-head {
      display: flex;
      justify-content: space-between;
      gap: 0.5rem;
      font-size: 0.857em;
    }
    .it-head strong {
      font-size: 1.0833em;
    }
    .it-head time {
      color: ${token('color-text-muted')};
      font-variant-numeric: tabular-nums;
    }
    dl {
      margin: 0;
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: 0.25rem;
    }
    dl div {
      display: flex;
      flex-direction: column-reverse;
    }
    dt {
      font-size: 0.786em;
      color: ${token('color-text-muted')};
    }
    dd {
      margin: 0;
      font-weight: 650;
      font-variant-numeric: tabular-nums;
    }
    .extra {
      font-size: 0.786em;
      color: ${token('color-text-muted')};
    }
    .extra .failed {
      color: ${token('color-danger')};
      font-weight: 600;
    }
  `,
];
