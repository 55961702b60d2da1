import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-status-badge>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: inline-flex;
      --shopsync-status-badge-color: ${token('color-text-muted')};
      --shopsync-status-badge-background: ${token('color-surface-raised')};
    }
    :host(:state(completed)) {
      --shopsync-status-badge-color: ${token('color-success')};
      --shopsync-status-badge-background: ${token('color-success-bg')};
    }
    :host(:state(error)) {
      --shopsync-status-badge-color: ${token('color-danger')};
      --shopsync-status-badge-background: ${token('color-danger-bg')};
    }
    :host(:state(in-progress)) {
      --shopsync-status-badge-color: ${token('color-info')};
      --shopsync-status-badge-background: ${token('color-info-bg')};
    }
    :host(:state(paused)) {
      --shopsync-status-badge-color: ${token('color-paused')};
      --shopsync-status-badge-background: ${token('color-paused-bg')};
    }
    [part='base'] {
      display: inline-flex;
      align-items: center;
      gap: 0.4em;
      padding: 0.2em 0.7em 0.2em 0.55em;
      border-radius: 999px;
      font-weight: 600;
      white-space: nowrap;
      color: var(--shopsync-status-badge-color);
      background: var(--shopsync-status-badge-background);
      border: 1px solid color-mix(in srgb, var(--shopsync-status-badge-color) 25%, transparent);
    }
    :host(:state(in-progress)) [part='icon'] svg {
      animation: spin 1.2s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host(:state(in-progress)) [part='icon'] svg {
        animation: none;
      }
    }
    [part='icon'] {
      display: inline-flex;
    }
  `,
];
