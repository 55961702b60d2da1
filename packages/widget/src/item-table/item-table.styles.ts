import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-item-table>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      container-type: inline-size;
      --shopsync-item-table-height: 26rem;
    }
    section {
      display: grid;
      gap: 0.9rem;
    }
    form {
      display: grid;
      grid-template-columns: minmax(12rem, 2fr) repeat(3, minmax(8rem, 1fr));
      gap: 0.75rem;
      align-items: start;
    }
    label {
      display: grid;
      gap: 0.25rem;
      font-weight: 500;
      font-size: 0.857em;
      color: ${token('color-text-muted')};
    }
    label .hint {
      font-weight: 400;
      font-size: 0.917em;
    }
    input,
    select {
      font: inherit;
      font-size: ${token('font-size')};
      color: ${token('color-text')};
      background: ${token('color-surface')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      padding: 0.4rem 0.6rem;
      min-height: 2.25rem;
      width: 100%;
      color-scheme: inherit;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem;
    }
    .count {
      font-weight: 600;
    }
    .groups {
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      padding: 0.6rem 0.8rem;
      display: grid;
      gap: 0.5rem;
    }
    .groups h3 {
      font-size: 0.857em;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: ${token('color-text-muted')};
    }
    .groups ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.3rem;
    }
    .groups li {
      display: flex;
      gap: 0.6rem;
      align-items: baseline;
    }
    .groups .n {
      min-width: 3.5rem;
      text-align: right;
      font-weight: 650;
      font-variant-numeric: tabular-nums;
      color: ${token('color-danger')};
    }
    .groups .cause {
      overflow-wrap: anywhere;
    }
    .code {
      font-family: ${token('font-mono')};
      font-size: 0.857em;
      color: ${token('color-text-muted')};
    }
    .repeated {
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
      color: ${token('color-warning')};
      font-weight: 600;
    }
    .layout {
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(16rem, 22rem);
      gap: 0.75rem;
      align-items: start;
    }
    .list {
      position: relative;
      overflow: auto;
      height: var(--shopsync-item-table-height);
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      background: ${token('color-surface')};
      contain: strict;
    }
    /* Rows have one height (the list is virtualized by it) and are placed by their index. */
    .row {
      position: absolute;
      top: 0;
      left: 0;
      width: 100%;
      height: 3.5rem;
    }
    .row button {
      display: grid;
      grid-template-columns: 7.5rem minmax(0, 1fr) auto;
      grid-template-areas: 'status ref when' 'status msg msg';
      gap: 0.1rem 0.75rem;
      width: 100%;
      height: 100%;
      padding: 0.45rem 0.75rem;
      border: 0;
      border-bottom: 1px solid ${token('color-border')};
      background: transparent;
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
      align-items: center;
    }
    .row button:hover {
      background: ${token('color-surface-raised')};
    }
    .row button[aria-current='true'] {
      background: ${token('color-info-bg')};
      box-shadow: inset 3px 0 0 ${token('color-accent')};
    }
    .row button:focus-visible {
      outline-offset: -2px;
    }
    .st {
      grid-area: status;
      display: inline-flex;
      align-items: center;
      gap: 0.35em;
      font-weight: 600;
      font-size: 0.857em;
    }
    .st.error {
      color: ${token('color-danger')};
    }
    .st.complete {
      color: ${token('color-success')};
    }
    .st.pending {
      color: ${token('color-text-muted')};
    }
    .ref {
      grid-area: ref;
      font-family: ${token('font-mono')};
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .ref .entity {
      font-family: ${token('font-family')};
      font-weight: 400;
      color: ${token('color-text-muted')};
      margin-right: 0.4em;
    }
    .when {
      grid-area: when;
      font-size: 0.786em;
      color: ${token('color-text-muted')};
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .msg {
      grid-area: msg;
      font-size: 0.857em;
      color: ${token('color-text-muted')};
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .placeholder {
      border-bottom: 1px solid ${token('color-border')};
      padding: 0.8rem 0.75rem;
    }
    .placeholder span {
      display: block;
      height: 0.75rem;
      width: 60%;
      border-radius: 4px;
      background: ${token('color-surface-raised')};
    }
    .empty {
      padding: 2rem 1rem;
      text-align: center;
    }
    [part='detail'] {
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius-small')};
      background: ${token('color-surface-raised')};
      padding: 0.85rem 1rem;
      display: grid;
      gap: 0.6rem;
      max-height: var(--shopsync-item-table-height);
      overflow: auto;
    }
    [part='detail'] h3 {
      font-family: ${token('font-mono')};
      overflow-wrap: anywhere;
    }
    [part='detail'] dl {
      margin: 0;
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.2rem 0.75rem;
      font-size: 0.857em;
    }
    [part='detail'] dt {
      color: ${token('color-text-muted')};
    }
    [part='detail'] dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .errors {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    /* Codes and field paths wrap too (OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS, a long URL in
       a message): the details never scroll sideways, even on a phone. */
    .errors li {
      border-left: 3px solid ${token('color-danger')};
      padding: 0.2rem 0 0.2rem 0.6rem;
      display: grid;
      gap: 0.1rem;
      overflow-wrap: anywhere;
    }
    .errors .message {
      white-space: pre-wrap;
    }
    .note {
      font-size: 0.857em;
    }
    @container (max-width: 46rem) {
      form {
        grid-template-columns: repeat(2, minmax(0, 1fr));
      }
      form label:first-child {
        grid-column: 1 / -1;
      }
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
    }
    @container (max-width: 26rem) {
      .row button {
        grid-template-columns: minmax(0, 1fr) auto;
        grid-template-areas: 'ref status' 'msg when';
      }
    }
  `,
];
