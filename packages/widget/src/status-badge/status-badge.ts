import { html, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { SyncStatus } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import type { Localizer } from '../i18n/localizer.js';
import { icons } from '../styles/icons.js';
import { styles } from './status-badge.styles.js';

/** The status of a sync event in words, for any Localizer. */
export function statusLabel(l: Localizer, status: SyncStatus): string {
  return { completed: l.m.statusCompleted, error: l.m.statusError, in_progress: l.m.statusInProgress, paused: l.m.statusPaused }[status];
}

/**
 * `exportparts` for a badge inside another component: its parts, under the badge's name
 * (`status-badge-base`, `status-badge-icon`, `status-badge-label`), as that component forwards them.
 */
export const STATUS_BADGE_PARTS = 'base:status-badge-base, icon:status-badge-icon, label:status-badge-label';

const ICONS: Record<SyncStatus, TemplateResult> = {
  completed: html`${icons.check}`,
  error: html`${icons.error}`,
  in_progress: html`${icons.progress}`,
  paused: html`${icons.paused}`,
};

/**
 * @tag shopsync-status-badge
 * @summary The status of a sync event, in words and with an icon (never colour alone).
 *
 * @csspart base - The pill.
 * @csspart icon - The icon's wrapper.
 * @csspart label - The status in words.
 *
 * @cssproperty [--shopsync-status-badge-color] - Text and icon colour (defaults per status).
 * @cssproperty [--shopsync-status-badge-background] - Background (defaults per status).
 *
 * @cssstate completed - The event finished (with or without errors).
 * @cssstate error - The connector could not start.
 * @cssstate in-progress - The event is running.
 * @cssstate paused - The connector was disabled mid-run.
 */
export class ShopsyncStatusBadge extends LocalizedElement {
  static override styles = styles;

  /** One of `completed`, `error`, `in_progress`, `paused`. */
  @property({ reflect: true }) status: SyncStatus = 'completed';

  readonly #internals = this.attachInternals();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('status')) {
      for (const s of ['completed', 'error', 'in-progress', 'paused']) this.#internals.states.delete(s);
      this.#internals.states.add(this.status.replace('_', '-'));
    }
  }

  protected override render() {
    return html`<span part="base"><span part="icon">${ICONS[this.status] ?? ''}</span><span part="label">${statusLabel(this.l, this.status)}</span></span>`;
  }
}
