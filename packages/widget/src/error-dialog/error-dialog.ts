import { html } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { GeneralError } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { icons } from '../styles/icons.js';
import { styles } from './error-dialog.styles.js';
import { bySeverity, isWarning } from './severity.js';

/**
 * @tag shopsync-error-dialog
 * @summary A modal (native `<dialog>`) listing a sync event's general errors, and only those
 * (not the errors of items), in the order they were recorded. A general error recorded as a
 * warning (the run was not harmed, but the user should know) is marked "Warning", in words and
 * with a warning icon; its title says so when there are warnings. Focus moves into it when it
 * opens, stays in it (the rest of the page is inert), and returns to the element that opened it
 * when it closes (Escape, the close buttons).
 *
 * @csspart dialog - The `<dialog>` element.
 * @csspart error - One general error.
 * @csspart warning - One general error recorded as a warning.
 * @csspart close-button - The buttons that close the dialog.
 */
export class ShopsyncErrorDialog extends LocalizedElement {
  static override styles = styles;

  @property({ attribute: false }) errors: GeneralError[] = [];

  @query('dialog') private dialog!: HTMLDialogElement;

  #returnFocus: HTMLElement | undefined;

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens the dialog; focus returns to `trigger` (default: the element focused now) on close. */
  async show(trigger?: HTMLElement): Promise<void> {
    this.#returnFocus = trigger ?? deepActiveElement();
    await this.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.renderRoot.querySelector<HTMLElement>('.close')?.focus();
  }

  close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  /** Keeps Tab and Shift+Tab inside the dialog (browsers let focus leave a modal for their own UI). */
  #onKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return;
    const focusable = [...this.renderRoot.querySelectorAll<HTMLElement>('button, [href], [tabindex]:not([tabindex="-1"])')].filter((el) => !el.hasAttribute('disabled'));
    const first = focusable[0];
    const last = focusable.at(-1);
    const active = (this.renderRoot as ShadowRoot).activeElement;
    if (!first || !last) return;
    if (e.shiftKey && (active === first || !active)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !active)) {
      e.preventDefault();
      first.focus();
    }
  };

  #onClose = () => {
    const target = this.#returnFocus;
    this.#returnFocus = undefined;
    target?.focus();
  };

  protected override render() {
    const { m, dateTime } = this.l;
    const { errors, warnings } = bySeverity(this.errors);
    const [title, intro] =
      warnings.length === 0
        ? [m.generalErrorsTitle, m.generalErrorsIntro]
        : errors.length === 0
          ? [m.generalWarningsTitle, m.generalWarningsIntro]
          : [m.generalErrorsAndWarningsTitle, m.generalErrorsAndWarningsIntro];
    const onlyWarnings = errors.length === 0 && warnings.length > 0;
    return html`<dialog part="dialog" aria-labelledby="title" aria-describedby="intro" @close=${this.#onClose} @keydown=${this.#onKeydown}>
      <div class="frame">
        <header>
          <div class="title">
            <h2 id="title" class=${onlyWarnings ? 'warning' : ''}>${onlyWarnings ? icons.warning : icons.exclamation}${title}</h2>
            <p id="intro" class="muted">${intro}</p>
          </div>
          <button class="close" part="close-button" aria-label=${m.close} @click=${() => this.close()}>${icons.close}</button>
        </header>
        <!-- The list scrolls when long: focusable, so that a keyboard can scroll it (WCAG 2.1.1). -->
        <ol tabindex="0" aria-labelledby="title">
          ${this.errors.map(
            (e) => html`<li part=${isWarning(e) ? 'warning' : 'error'} data-severity=${isWarning(e) ? 'warning' : 'error'}>
              <div class="meta">
                ${isWarning(e) ? html`<span class="severity">${icons.warning}${m.warning}</span>` : ''}
                <span class="code">${m.errorCode[e.code] ?? e.code}</span>
                <time datetime=${e.at}>${dateTime(e.at)}</time>
                ${e.iteration !== undefined ? html`<span>${m.iterationN(e.iteration)}</span>` : ''}
                ${e.httpStatus !== undefined ? html`<span>${m.httpStatus(e.httpStatus)}</span>` : ''}
              </div>
              <p class="message">${e.message}</p>
            </li>`,
          )}
        </ol>
        <footer><button class="button" part="close-button" @click=${() => this.close()}>${m.close}</button></footer>
      </div>
    </dialog>`;
  }
}

/** The focused element, looking inside open shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let el: Element | null = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el instanceof HTMLElement ? el : undefined;
}
