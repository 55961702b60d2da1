import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-panel>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      color-scheme: light dark;
      container-type: inline-size;
      container-name: shopsync-panel;
    }
    :host([theme='light']) {
      color-scheme: light;
    }
    :host([theme='dark']) {
      color-scheme: dark;
    }
    [part='base'] {
      background: ${token('color-surface')};
      color: ${token('color-text')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      box-shadow: ${token('shadow')};
      overflow: hidden;
    }
    [part='header'] {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
      padding: 1rem 1.25rem 0.5rem;
    }
    .title {
      display: flex;
      align-items: center;
      gap: 0.4rem;
    }
    .title h2 {
      font-size: 1.2857em;
    }
    [part='info-button'] {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 2rem;
      height: 2rem;
      padding: 0;
      border: 0;
      border-radius: 999px;
      background: none;
      color: ${token('color-info')};
      cursor: pointer;
      font-size: 1.05em;
    }
    [part='info-button']:hover,
    [part='info-button'][aria-expanded='true'] {
      background: ${token('color-info-bg')};
    }
    .connector {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      flex-wrap: wrap;
    }
    [part='info'] {
      margin: 0 1.25rem 0.5rem;
    }
    /* The tabs wrap (never a strip that scrolls sideways): on a narrow panel they share rows. */
    [part='tabs'] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      padding: 0 1.25rem;
      border-bottom: 1px solid ${token('color-border')};
    }
    [part~='tab'] {
      position: relative;
      min-width: 0;
      padding: 0.65rem 0.85rem;
      border: 0;
      background: none;
      color: ${token('color-text-muted')};
      font: inherit;
      font-weight: 550;
      cursor: pointer;
      border-radius: ${token('radius-small')} ${token('radius-small')} 0 0;
    }
    [part~='tab']:hover {
      color: ${token('color-text')};
      background: ${token('color-surface-raised')};
    }
    [part~='tab'][aria-selected='true'] {
      color: ${token('color-accent')};
    }
    [part~='tab'][aria-selected='true']::after {
      content: '';
      position: absolute;
      left: 0.5rem;
      right: 0.5rem;
      bottom: -1px;
      height: 3px;
      border-radius: 3px 3px 0 0;
      background: ${token('color-accent')};
    }
    [part~='tab']:focus-visible {
      outline-offset: -2px;
    }
    [role='tabpanel'] {
      padding: 1.25rem;
    }
    [role='tabpanel']:focus-visible {
      outline-offset: -4px;
    }
    .overview {
      display: grid;
      grid-template-columns: minmax(0, 3fr) minmax(0, 2fr);
      grid-template-areas:
        'sync config'
        'sync logs'
        'history history';
      gap: 1rem;
      align-items: start;
    }
    .card {
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: 1rem 1.1rem;
      background: ${token('color-surface')};
      min-width: 0;
    }
    .card.sync {
      grid-area: sync;
    }
    .card.config {
      grid-area: config;
    }
    .card.logs {
      grid-area: logs;
    }
    .card.history {
      grid-area: history;
    }
    .latest {
      margin-bottom: 1rem;
    }
    .empty {
      padding: 2rem 1rem;
      text-align: center;
    }
    @container shopsync-panel (max-width: 52rem) {
      .overview {
        grid-template-columns: minmax(0, 1fr);
        grid-template-areas: 'sync' 'config' 'logs' 'history';
      }
    }
    @container shopsync-panel (max-width: 30rem) {
      [part='header'],
      [role='tabpanel'] {
        padding-left: 0.75rem;
        padding-right: 0.75rem;
      }
      [part='tabs'] {
        padding: 0 0.5rem;
      }
      [part~='tab'] {
        flex: 1 1 auto;
        padding: 0.6rem 0.5rem;
      }
      .card {
        padding: 0.85rem;
      }
    }
  `,
];
