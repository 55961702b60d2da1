import { consume } from '@lit/context';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { SyncSource } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { sourceContext } from '../context.js';
import { ShopsyncLogDownloadEvent } from '../events.js';
import { icons } from '../styles/icons.js';
import { styles } from './log-links.styles.js';

type Format = 'jsonl' | 'csv';

/**
 * @tag shopsync-log-links
 * @summary Download links for a sync event's log, as JSON Lines and CSV, once the first
 * iteration has ended. The content comes from the panel's source.
 *
 * @event shopsync-log-download - A log is about to be saved (cancelable; `detail` has the content).
 *
 * @csspart download - Each download link.
 */
export class ShopsyncLogLinks extends LocalizedElement {
  static override styles = styles;

  @consume({ context: sourceContext, subscribe: true })
  @property({ attribute: false })
  source: SyncSource | undefined;

  @property({ attribute: 'event-id' }) eventId = '';
  /** Logs can be downloaded (the event's `logsAvailable`). */
  @property({ type: Boolean }) available = false;
  @state() private error = '';
  @state() private busy: Format | '' = '';

  async #download(format: Format) {
    if (!this.source || !this.eventId) return;
    this.busy = format;
    this.error = '';
    try {
      const file = await this.source.downloadLogs(this.eventId, format);
      const event = new ShopsyncLogDownloadEvent({ ...file, eventId: this.eventId, format });
      if (this.dispatchEvent(event)) save(file.content, file.filename, file.contentType);
    } catch (err) {
      this.error = this.l.m.downloadFailed(err instanceof Error ? err.message : String(err));
    } finally {
      this.busy = '';
    }
  }

  protected override render() {
    const { m } = this.l;
    return html`<section aria-labelledby="logs-heading">
      <h3 id="logs-heading">${m.logsHeading}</h3>
      ${this.available && this.eventId
        ? html`<div class="links">
            <button class="button" part="download" data-format="jsonl" ?disabled=${this.busy === 'jsonl'} @click=${() => this.#download('jsonl')}>
              ${icons.download}${m.downloadJsonl}
            </button>
            <button class="button" part="download" data-format="csv" ?disabled=${this.busy === 'csv'} @click=${() => this.#download('csv')}>
              ${icons.download}${m.downloadCsv}
            </button>
          </div>`
        : html`<p class="muted">${m.logsUnavailable}</p>`}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }
}

/** Saves text as a file through a temporary object URL. */
function save(content: string, filename: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
