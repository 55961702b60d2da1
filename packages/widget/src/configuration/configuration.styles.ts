import { css } from 'lit';
import { base } from '../styles/shared.styles.js';
import { token } from '../styles/tokens.js';

/** Styles of <shopsync-configuration>: the shared base rules, then its own. */
export const styles = [
  base,
  css`
    :host {
      display: block;
      container-type: inline-size;
    }
    section {
      display: grid;
      gap: 0.85rem;
    }
    dl {
      margin: 0;
      display: grid;
      grid-template-columns: minmax(9rem, max-content) 1fr;
      gap: 0.45rem 1rem;
    }
    dt {
      color: ${token('color-text-muted')};
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .version {
      font-family: ${token('font-mono')};
      font-weight: 600;
    }
    .ident {
      font-family: ${token('font-mono')};
    }
    .sub {
      color: ${token('color-text-muted')};
      font-size: 0.857em;
    }
    .translations {
      color: ${token('color-text-muted')};
    }
    .locations {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.2rem;
    }
    .warehouse {
      font-weight: 500;
    }
    .not-found {
      color: ${token('color-warning')};
      font-weight: 500;
      white-space: nowrap;
    }
    .not-found svg.icon {
      margin-inline-end: 0.3em;
    }
    h4 {
      font-size: 0.857em;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: ${token('color-text-muted')};
    }
    .flag {
      display: inline-flex;
      align-items: center;
      gap: 0.35em;
      font-weight: 500;
    }
    .flag::before {
      content: '';
      width: 0.55em;
      height: 0.55em;
      border-radius: 50%;
      background: ${token('color-border')};
    }
    .flag.on::before {
      background: ${token('color-success')};
    }
    @container (max-width: 24rem) {
      dl {
        grid-template-columns: 1fr;
        gap: 0.1rem;
      }
      dd {
        margin-bottom: 0.4rem;
      }
    }
  `,
];
