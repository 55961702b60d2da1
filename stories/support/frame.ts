/**
 * What every story shares: the frame it is shown in (the theme's colour scheme and surface, and
 * a width when one is asked for), the controls of locale and theme, and helpers to reach into
 * shadow roots from `play` functions. Used by .storybook/preview.ts and by the story test alike.
 */
import type { ArgTypes, Decorator } from '@storybook/web-components-vite';
import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

export type Theme = 'auto' | 'light' | 'dark';

/** Args every story takes: the language of the widget, its theme, and a width (0: the frame's). */
export interface FrameArgs {
  locale: string;
  theme: Theme;
  width: number;
}

export const FRAME_ARGS: FrameArgs = { locale: 'en', theme: 'auto', width: 0 };

export const FRAME_ARG_TYPES: Partial<ArgTypes<FrameArgs>> = {
  locale: {
    name: 'locale',
    description: 'Language of messages, dates and numbers (`fr` falls back to English messages with French dates).',
    control: 'inline-radio',
    options: ['en', 'es', 'es-MX', 'fr'],
    table: { category: 'Story' },
  },
  theme: { description: 'Colour scheme: `auto` follows the user’s preference.', control: 'inline-radio', options: ['auto', 'light', 'dark'], table: { category: 'Story' } },
  width: { description: 'Width of the frame in CSS pixels (0: as wide as the canvas).', control: { type: 'number', min: 0, max: 1600, step: 10 }, table: { category: 'Story' } },
};

/**
 * Element properties that the docs table lists (from the custom-elements manifest) but that a
 * story sets itself: listed, without a control.
 */
export function withoutControls(...names: string[]): Record<string, { control: false }> {
  return Object.fromEntries(names.map((name) => [name, { control: false }]));
}

/**
 * Shows the story on the widget's own surface, in the chosen colour scheme (the parts follow
 * `color-scheme`; the panel also takes `theme`), at the chosen width.
 */
export const withFrame: Decorator = (story, { args, viewMode }) => {
  const theme = (args.theme as Theme | undefined) ?? 'auto';
  const width = Number(args.width) || 0;
  const style = {
    'color-scheme': theme === 'auto' ? 'light dark' : theme,
    background: 'var(--shopsync-color-surface, light-dark(#ffffff, #17191e))',
    color: 'var(--shopsync-color-text, light-dark(#1c2026, #e8eaee))',
    'font-family': 'system-ui, sans-serif',
    padding: '1rem',
    'box-sizing': 'border-box',
    'min-block-size': viewMode === 'docs' ? 'auto' : '100vh',
    'inline-size': width ? `${width}px` : 'auto',
  };
  return html`<div class="shopsync-story" data-theme=${theme} style=${styleMap(style)}>${story()}</div>`;
};

/** Decorators of every story (.storybook/preview.ts), outermost last: the story test applies them too. */
export const PROJECT_DECORATORS: Decorator[] = [withFrame];

/** Every element matching `selector` under `root`, through open shadow roots. */
export function deepQueryAll<T extends Element = HTMLElement>(root: ParentNode, selector: string): T[] {
  const out: T[] = [...root.querySelectorAll<T>(selector)];
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot) out.push(...deepQueryAll<T>(el.shadowRoot, selector));
  return out;
}

export function deepQuery<T extends Element = HTMLElement>(root: ParentNode, selector: string): T {
  const found = deepQueryAll<T>(root, selector)[0];
  if (!found) throw new Error(`No element matches ${selector}`);
  return found;
}

/** Resolves when `condition` holds, checking every frame; rejects after `ms`. */
export async function waitFor(condition: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!condition()) {
    if (performance.now() - t0 > ms) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => requestAnimationFrame(r));
  }
}
