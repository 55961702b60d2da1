/**
 * `<shopsync-story-context>`: what `<shopsync-panel>` gives its parts, for a part shown on its
 * own: the source (`.source`) and the localizer of `locale`, both through @lit/context.
 * No decorators and no class fields here, so that it compiles the same under any
 * `useDefineForClassFields` (Storybook's Vite and the test runner's esbuild differ).
 */
import { ContextProvider } from '@lit/context';
import type { SyncSource } from '@shopsync/core';
import { localizerContext, localizerFor, sourceContext } from '@shopsync/widget';
import '@shopsync/widget/translations/es';
import { css, html, LitElement } from 'lit';

export class ShopsyncStoryContext extends LitElement {
  static override properties = { source: { attribute: false }, locale: {} };
  static override styles = css`
    :host {
      display: block;
    }
  `;

  declare source: SyncSource | undefined;
  declare locale: string;
  readonly #source: ContextProvider<typeof sourceContext>;
  readonly #localizer: ContextProvider<typeof localizerContext>;

  constructor() {
    super();
    this.locale = 'en';
    this.#source = new ContextProvider(this, { context: sourceContext, initialValue: undefined });
    this.#localizer = new ContextProvider(this, { context: localizerContext, initialValue: localizerFor('en') });
  }

  protected override willUpdate(): void {
    const l = localizerFor(this.locale);
    this.#source.setValue(this.source);
    this.#localizer.setValue(l);
    // The language of what the parts say, for assistive technology (as the panel does).
    this.lang = l.locale;
  }

  protected override render() {
    return html`<slot></slot>`;
  }
}

if (!customElements.get('shopsync-story-context')) customElements.define('shopsync-story-context', ShopsyncStoryContext);

declare global {
  interface HTMLElementTagNameMap {
    'shopsync-story-context': ShopsyncStoryContext;
  }
}
