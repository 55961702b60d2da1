import { unsafeCSS, type CSSResult } from 'lit';

/**
 * Global design tokens with their defaults. A host sets `--shopsync-*` on the panel (or any
 * ancestor) to restyle every part; nothing here redeclares them, so a host's value always wins.
 * Colours use `light-dark()`: they follow the panel's `color-scheme` (its `theme` attribute, or
 * the user's preference when the theme is `auto`).
 */
export const TOKENS = {
  'font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  'font-size': '0.875rem',
  'font-mono': 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  'color-surface': 'light-dark(#ffffff, #17191e)',
  'color-surface-raised': 'light-dark(#f7f8fa, #1f2229)',
  'color-surface-sunken': 'light-dark(#f1f3f6, #121418)',
  'color-text': 'light-dark(#1c2026, #e8eaee)',
  'color-text-muted': 'light-dark(#545b66, #a9b0bc)',
  'color-border': 'light-dark(#dcdfe4, #343945)',
  'color-accent': 'light-dark(#1d5bd6, #8ab4ff)',
  'color-accent-contrast': 'light-dark(#ffffff, #0b1a33)',
  'color-focus': 'light-dark(#1d5bd6, #8ab4ff)',
  'color-success': 'light-dark(#18794e, #5bd49a)',
  'color-success-bg': 'light-dark(#e9f7ef, #12301f)',
  'color-danger': 'light-dark(#c4262e, #ff8a8f)',
  'color-danger-bg': 'light-dark(#fdecec, #3a1618)',
  'color-warning': 'light-dark(#8a5300, #ffc266)',
  'color-warning-bg': 'light-dark(#fff5e0, #33270f)',
  'color-info': 'light-dark(#1d5bd6, #8ab4ff)',
  'color-info-bg': 'light-dark(#eaf1fe, #15233d)',
  'color-paused': 'light-dark(#5b4bb7, #b8adff)',
  'color-paused-bg': 'light-dark(#f0eefc, #251f45)',
  radius: '10px',
  'radius-small': '6px',
  space: '1rem',
  shadow: 'light-dark(0 1px 2px rgb(16 24 40 / 6%), 0 1px 2px rgb(0 0 0 / 40%))',
} as const;

/** The name of a design token, without its `--shopsync-` prefix. */
export type TokenName = keyof typeof TOKENS;

/** `var(--shopsync-NAME, default)`, for component styles. */
export function token(name: TokenName): CSSResult {
  return unsafeCSS(`var(--shopsync-${name}, ${TOKENS[name]})`);
}
