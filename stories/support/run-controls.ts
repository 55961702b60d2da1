/**
 * `<shopsync-story-run-controls>`: the strip above a live story that steps the real engine. The
 * run waits at the store's gate (see `scenario.ts`); "Next iteration" lets one push through, and
 * "Play" lets one through every `tick-ms` until paused. It touches nothing else: what the panel
 * shows below it is the engine's doing. Playing stops when the strip leaves the page.
 * No decorators and no class fields here, so that it compiles the same under any
 * `useDefineForClassFields` (Storybook's Vite and the test runner's esbuild differ).
 */
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Scenario } from './scenario.js';

/** How often the strip looks whether a push waits (the engine may pause, resume or finish meanwhile). */
const LOOK_MS = 250;

export class ShopsyncStoryRunControls extends LitElement {
  static override properties = { scenario: { attribute: false }, playing: { type: Boolean, reflect: true }, tickMs: { type: Number, attribute: 'tick-ms' } };
  static override styles = css`
    :host {
      display: block;
      margin-block-end: 0.75rem;
      font: inherit;
    }
    div {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      padding: 0.5rem 0.75rem;
      border: 1px dashed currentColor;
      border-radius: 8px;
    }
    button {
      font: inherit;
    }
    p {
      margin: 0;
    }
  `;

  declare scenario: Pick<Scenario, 'held' | 'step'> | undefined;
  declare playing: boolean;
  declare tickMs: number;
  #look: ReturnType<typeof setInterval> | undefined;
  #lastStep = 0;
  #busy = false;

  constructor() {
    super();
    this.playing = false;
    this.tickMs = 1_500;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#look = setInterval(() => this.#tick(), LOOK_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#look);
    this.#look = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('playing') && this.playing) this.#lastStep = performance.now();
  }

  #tick() {
    if (this.playing && performance.now() - this.#lastStep >= this.tickMs) void this.step();
    this.requestUpdate();
  }

  /** Lets the waiting push through (one iteration); nothing when none waits. */
  async step(): Promise<void> {
    const scenario = this.scenario;
    if (this.#busy || !scenario?.held) return;
    this.#busy = true;
    this.#lastStep = performance.now();
    try {
      await scenario.step();
    } finally {
      this.#busy = false;
      this.requestUpdate();
    }
  }

  protected override render() {
    const held = this.scenario?.held ?? false;
    return html`<div role="group" aria-label="Story: the engine's run">
      <button type="button" aria-pressed=${this.playing ? 'true' : 'false'} @click=${() => (this.playing = !this.playing)}>${this.playing ? 'Pause' : 'Play'}</button>
      <button type="button" ?disabled=${!held} @click=${() => this.step()}>Next iteration</button>
      <p>${held ? 'The engine waits for the store to answer.' : 'No push waits (the run is paused or over).'}${this.playing && held ? html` Next in ${(this.tickMs / 1_000).toFixed(1)} s.` : nothing}</p>
    </div>`;
  }
}

if (!customElements.get('shopsync-story-run-controls')) customElements.define('shopsync-story-run-controls', ShopsyncStoryRunControls);

declare global {
  interface HTMLElementTagNameMap {
    'shopsync-story-run-controls': ShopsyncStoryRunControls;
  }
}

/** The strip for a scenario whose run can go on (held or paused), playing when it is live; nothing otherwise. */
export function runControlsFor(scenario: Scenario) {
  const { status, live, tickMs } = scenario.options;
  if (status !== 'in_progress' && status !== 'paused' && status !== 'resumed') return nothing;
  return html`<shopsync-story-run-controls .scenario=${scenario} ?playing=${live} tick-ms=${tickMs}></shopsync-story-run-controls>`;
}
