import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-synchronization>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
    }
    section {
      display: grid;
      gap: 1rem;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
    }
    .status-row {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    .status-label {
      color: ${token('color-text-muted')};
    }
    [part='general-errors-button'] {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 2rem;
      height: 2rem;
      padding: 0;
      border-radius: 999px;
      border: 1px solid color-mix(in srgb, ${token('color-danger')} 35%, transparent);
      background: ${token('color-danger-bg')};
      color: ${token('color-danger')};
      cursor: pointer;
      font-size: 1.1em;
    }
    [part='general-errors-button'].warning {
      border-color: color-mix(in srgb, ${token('color-warning')} 35%, transparent);
      background: ${token('color-warning-bg')};
      color: ${token('color-warning')};
    }
    [part='general-errors-button']:hover {
      filter: brightness(0.96);
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1.5rem;
      margin: 0;
    }
    .meta div {
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.4rem;
    }
    .meta dt {
      color: ${token('color-text-muted')};
    }
    .meta dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
    .pending-head {
      display: flex;
      align-items: baseline;
      justify-content: space-between;
      gap: 0.5rem 1rem;
      flex-wrap: wrap;
      margin-bottom: 0.5rem;
    }
    .eta {
      display: inline-flex;
      gap: 0.35rem;
      align-items: center;
      color: ${token('color-text-muted')};
      font-variant-numeric: tabular-nums;
    }
    .message {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .callout h4 {
      font-size: 1em;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    ul.advice {
      margin: 0;
      padding-left: 1.1rem;
    }
  `,
];
