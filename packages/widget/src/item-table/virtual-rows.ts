import type { ReactiveController, ReactiveElement } from 'lit';
import { rowWindow, type RowWindow } from './row-window.js';

/**
 * Follows a host's virtualized list (the element `selector` finds in its shadow root, which may
 * come and go): its scroll position and height (a ResizeObserver; hidden, it has none), and its
 * rows' one height (measured on a row; until then 3.5rem). Asks the host to render again only
 * when other rows come into view. The host renders `window(total)` rows, row `i` at `i * rowPx`.
 */
export class VirtualRows implements ReactiveController {
  readonly #host: ReactiveElement;
  readonly #selector: string;
  #list: HTMLElement | null = null;
  #observer: ResizeObserver | undefined;
  #scrollTop = 0;
  #viewportPx = 0;
  #rowPx = 0;
  #total = 0;
  #window: RowWindow = { first: 0, last: -1 };

  constructor(host: ReactiveElement, selector: string) {
    this.#host = host;
    this.#selector = selector;
    host.addController(this);
  }

  /** The rows rendered last (to refresh what is in view). */
  get current(): RowWindow {
    return this.#window;
  }

  /** The height of a row, in px. */
  get rowPx(): number {
    // Until a row is measured: the rows' height by default, 3.5rem.
    return (this.#rowPx ||= 3.5 * parseFloat(getComputedStyle(document.documentElement).fontSize));
  }

  /** The rows to render now, of `total`; remembered as `current`. */
  window(total: number): RowWindow {
    this.#total = total;
    return (this.#window = rowWindow(total, this.rowPx, this.#scrollTop, this.#viewportPx));
  }

  /** The list's `scroll` listener. */
  readonly onScroll = (): void => this.#measure();

  hostUpdated(): void {
    const list = this.#host.renderRoot.querySelector<HTMLElement>(this.#selector);
    if (list === this.#list) return;
    this.#observer ??= new ResizeObserver(() => this.#measure());
    this.#observer.disconnect();
    this.#list = list;
    if (list) this.#observer.observe(list);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    this.#list = null;
  }

  #measure() {
    const list = this.#list;
    if (!list) return;
    this.#scrollTop = list.scrollTop;
    this.#viewportPx = list.clientHeight;
    this.#rowPx = list.querySelector<HTMLElement>('.row')?.offsetHeight || this.#rowPx;
    const next = rowWindow(this.#total, this.rowPx, this.#scrollTop, this.#viewportPx);
    if (next.first !== this.#window.first || next.last !== this.#window.last) this.#host.requestUpdate();
  }
}
