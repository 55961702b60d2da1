import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-error-dialog>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: contents;
    }
    dialog {
      width: min(40rem, calc(100vw - 2rem));
      max-height: min(80vh, 44rem);
      padding: 0;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      box-shadow: 0 20px 50px rgb(0 0 0 / 25%);
    }
    dialog::backdrop {
      background: rgb(10 14 20 / 45%);
    }
    .frame {
      display: flex;
      flex-direction: column;
      max-height: inherit;
    }
    header {
      display: flex;
      align-items: flex-start;
      gap: 0.75rem;
      padding: 1rem 1.25rem 0.75rem;
      border-bottom: 1px solid ${token('color-border')};
    }
    header .title {
      flex: 1;
      display: grid;
      gap: 0.25rem;
    }
    header h2 {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      color: ${token('color-danger')};
    }
    header h2.warning {
      color: ${token('color-warning')};
    }
    .close {
      border: 0;
      background: none;
      color: ${token('color-text-muted')};
      padding: 0.35rem;
      border-radius: ${token('radius-small')};
      cursor: pointer;
      display: inline-flex;
    }
    .close:hover {
      background: ${token('color-surface-raised')};
    }
    ol {
      list-style: none;
      margin: 0;
      padding: 0.5rem 1.25rem 1rem;
      overflow: auto;
    }
    li {
      padding: 0.75rem 0;
      border-bottom: 1px solid ${token('color-border')};
      display: grid;
      gap: 0.3rem;
    }
    li:last-child {
      border-bottom: 0;
    }
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0.35rem 0.75rem;
      font-size: 0.857em;
      color: ${token('color-text-muted')};
    }
    .code {
      font-weight: 600;
      color: ${token('color-danger')};
    }
    .severity {
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
      font-weight: 600;
      color: ${token('color-warning')};
    }
    [data-severity='warning'] .code {
      color: ${token('color-warning')};
    }
    .message {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    footer {
      padding: 0.75rem 1.25rem;
      border-top: 1px solid ${token('color-border')};
      display: flex;
      justify-content: flex-end;
    }
  `,
];
