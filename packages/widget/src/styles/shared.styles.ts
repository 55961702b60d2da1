import { css } from 'lit';
import { token } from './tokens.js';

/** Base rules every part shares: box model, type, focus ring, buttons, links, headings. */
export const base = css`
  :host {
    box-sizing: border-box;
    font-family: ${token('font-family')};
    font-size: ${token('font-size')};
    line-height: 1.5;
    color: ${token('color-text')};
  }
  :host([hidden]) {
    display: none !important;
  }
  [hidden] {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3,
  h4 {
    margin: 0;
    line-height: 1.3;
    font-weight: 600;
  }
  h2 {
    font-size: 1.125em;
  }
  h3 {
    font-size: 1em;
  }
  p {
    margin: 0;
  }
  .muted {
    color: ${token('color-text-muted')};
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  :focus-visible {
    outline: 2px solid ${token('color-focus')};
    outline-offset: 2px;
  }
  svg.icon {
    width: 1.15em;
    height: 1.15em;
    flex: none;
    vertical-align: -0.2em;
  }
  .button {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    min-height: 2.25rem;
    padding: 0.4rem 0.85rem;
    border-radius: ${token('radius-small')};
    border: 1px solid ${token('color-border')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
    font: inherit;
    font-weight: 500;
    cursor: pointer;
  }
  .button:hover {
    background: ${token('color-surface-raised')};
  }
  .button.primary {
    background: ${token('color-accent')};
    border-color: ${token('color-accent')};
    color: ${token('color-accent-contrast')};
  }
  .button.primary:hover {
    filter: brightness(1.08);
  }
  .button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  a,
  .link {
    color: ${token('color-accent')};
    text-decoration: underline;
    text-underline-offset: 2px;
    cursor: pointer;
  }
  .link {
    background: none;
    border: 0;
    padding: 0;
    font: inherit;
  }
  .callout {
    display: flex;
    gap: 0.6rem;
    align-items: flex-start;
    padding: 0.75rem 0.9rem;
    border-radius: ${token('radius-small')};
    border: 1px solid transparent;
  }
  .callout.warning {
    background: ${token('color-warning-bg')};
    color: ${token('color-warning')};
    border-color: color-mix(in srgb, ${token('color-warning')} 30%, transparent);
  }
  .callout.danger {
    background: ${token('color-danger-bg')};
    color: ${token('color-danger')};
    border-color: color-mix(in srgb, ${token('color-danger')} 30%, transparent);
  }
  .callout.info {
    background: ${token('color-info-bg')};
    color: ${token('color-text')};
    border-color: color-mix(in srgb, ${token('color-info')} 30%, transparent);
  }
  .callout.paused {
    background: ${token('color-paused-bg')};
    color: ${token('color-text')};
    border-color: color-mix(in srgb, ${token('color-paused')} 35%, transparent);
  }
  .callout > div {
    display: grid;
    gap: 0.35rem;
  }
  .callout .text {
    color: ${token('color-text')};
  }
`;
