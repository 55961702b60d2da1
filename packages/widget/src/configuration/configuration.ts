import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { ConfigSnapshot } from '@shopsync/core';
import { LocalizedElement } from '../base/localized-element.js';
import { icons } from '../styles/icons.js';
import { styles } from './configuration.styles.js';

const DAY_MS = 86_400_000;
/** A Shopify global id (`gid://shopify/Location/2`), as opposed to a name. */
const GID = /^gid:\/\//;

/** Where the API version stands now, from the snapshot and today's date (it may have aged since). */
export function apiVersionStanding(config: ConfigSnapshot, now: number, warningDays = 90): 'supported' | 'ends-soon' | 'deprecated' | 'unknown' {
  const api = config.apiVersion;
  const ends = api.supportEndsAt ? Date.parse(api.supportEndsAt) : undefined;
  if (api.status === 'deprecated' || (ends !== undefined && now >= ends)) return 'deprecated';
  if (api.status === 'unknown') return 'unknown';
  if (api.endsSoon || (ends !== undefined && ends - now <= warningDays * DAY_MS)) return 'ends-soon';
  return 'supported';
}

/**
 * @tag shopsync-configuration
 * @summary The Configuration section of a sync event: the Shopify API version in use (with a
 * warning when it is deprecated or will be within the warning window, and the date to update
 * by) and the parameters applied, as they were when the event started: disable deletions,
 * overwrite stock, include empty categories, language (and, when the event wrote translations,
 * the store's other languages it wrote them to); then, in a group of their own, where each of
 * the host's warehouses kept its stock (the location as configured, the id the store resolved
 * when it differs, or that the store did not find it); then, in another, the sales channels
 * products are published to, the metafield namespaces the connector owns, and whether it creates
 * metafield definitions. Events recorded before a setting existed do not have it, and its row is
 * not shown (nor the group, when none is there).
 *
 * @csspart api-version - The API version line.
 * @csspart api-warning - The deprecation warning.
 * @csspart parameters - The list of applied parameters.
 * @csspart stock - The stock locations (absent for older events and connectors without warehouses).
 * @csspart publishing - The list of publishing and metafield settings (absent for older events).
 */
export class ShopsyncConfiguration extends LocalizedElement {
  static override styles = styles;

  @property({ attribute: false }) config: ConfigSnapshot | undefined;
  /** Days before the end of support from which a warning is shown. */
  @property({ type: Number, attribute: 'warning-days' }) warningDays = 90;
  /** "Now", for the warning (epoch ms); defaults to the current time at each render. */
  @property({ attribute: false }) now: number | undefined;

  protected override render() {
    const c = this.config;
    if (!c) return nothing;
    const l = this.l;
    const { m } = l;
    const api = c.apiVersion;
    const inUse = api.served ?? api.requested;
    const standing = apiVersionStanding(c, this.now ?? Date.now(), this.warningDays);
    const endDate = api.supportEndsAt ? l.date(api.supportEndsAt) : undefined;
    const flag = (on: boolean) => html`<span class="flag ${on ? 'on' : ''}">${on ? m.yes : m.no}</span>`;
    return html`<section aria-labelledby="config-heading">
      <h3 id="config-heading">${m.configHeading}</h3>
      <p class="muted">${m.configIntro}</p>
      <dl>
        <dt>${m.apiVersion}</dt>
        <dd part="api-version">
          <span class="version">${inUse}</span>
          ${api.served && api.served !== api.requested ? html` <span class="sub">(${m.apiRequested(api.requested)})</span>` : nothing}
          ${standing === 'supported' && endDate ? html`<div class="sub">${m.apiSupportedUntil(endDate)}</div>` : nothing}
        </dd>
        <dt>${m.store}</dt>
        <dd>${c.shopDomain}</dd>
      </dl>
      ${standing === 'deprecated' || standing === 'ends-soon' || standing === 'unknown'
        ? html`<div class="callout ${standing === 'unknown' ? 'info' : 'warning'}" part="api-warning" role="note" data-standing=${standing}>
            ${icons.warning}
            <div>
              <p>
                <strong
                  >${standing === 'deprecated'
                    ? endDate
                      ? m.apiDeprecated(endDate)
                      : m.apiDeprecatedNoDate
                    : standing === 'ends-soon'
                      ? m.apiEndsSoon(endDate ?? '')
                      : m.apiUnknown}</strong
                >
              </p>
              ${api.deprecationReason ? html`<p class="text">${m.apiReason(api.deprecationReason)}</p>` : nothing}
            </div>
          </div>`
        : nothing}
      <h4 id="params-heading">${m.parametersHeading}</h4>
      <dl part="parameters" aria-labelledby="params-heading">
        <dt>${m.disableDeletions}</dt>
        <dd data-param="disableDeletions">${flag(c.disableDeletions)}</dd>
        <dt>${m.overwriteStock}</dt>
        <dd data-param="overwriteStock">${flag(c.overwriteStock)}</dd>
        <dt>${m.includeEmptyCategories}</dt>
        <dd data-param="includeEmptyCategories">${flag(c.includeEmptyCategories)}</dd>
        <dt>${m.language}</dt>
        <dd data-param="language">${l.languageName(c.language)} <span class="sub">(${c.language})</span>${this.#renderTranslations(c)}</dd>
      </dl>
      ${this.#renderStock(c)}
      ${this.#renderPublishing(c, flag)}
    </section>`;
  }

  /** The languages translations were written to, after the primary one: only when there were any. */
  #renderTranslations(c: ConfigSnapshot) {
    const l = this.l;
    if (!c.translations?.length) return nothing;
    const names = c.translations.map((tag) => `${l.languageName(tag)} (${tag})`).join(', ');
    return html` <span class="translations">· ${l.m.translatedInto(names)}</span>`;
  }

  /**
   * Where each warehouse kept its stock. The store resolves every location when the event starts;
   * an event that reached the store (it recorded the store's languages, or resolved a location)
   * and has no id for a warehouse did not find its location there. One that did not reach the
   * store has no ids at all: only the locations as configured are shown.
   */
  #renderStock(c: ConfigSnapshot) {
    const { m } = this.l;
    const locations = c.locations;
    if (!locations?.length) return nothing;
    const reached = c.translations !== undefined || locations.some((x) => x.id !== undefined);
    return html`<h4 id="stock-heading">${m.stockHeading}</h4>
      <dl part="stock" aria-labelledby="stock-heading">
        <dt>${m.stockLocations}</dt>
        <dd data-param="locations">
          <ul class="locations">
            ${locations.map(
              (x) =>
                html`<li data-warehouse=${x.warehouse} data-resolved=${x.id !== undefined ? 'yes' : reached ? 'no' : 'unknown'}>
                  <span class="warehouse">${x.warehouse}</span> → <span class=${GID.test(x.location) ? 'ident' : ''}>${x.location}</span>
                  ${x.id !== undefined && x.id !== x.location ? html`<span class="sub ident">(${x.id})</span>` : nothing}
                  ${x.id === undefined && reached ? html`<span class="not-found">${icons.warning}${m.locationNotFound}</span>` : nothing}
                </li>`,
            )}
          </ul>
        </dd>
      </dl>`;
  }

  /** Publishing and metafield settings: each row only when the event recorded it. */
  #renderPublishing(c: ConfigSnapshot, flag: (on: boolean) => TemplateResult) {
    const l = this.l;
    const { m } = l;
    const { publications, ownedMetafieldNamespaces: namespaces, createMetafieldDefinitions: createDefinitions } = c;
    if (publications === undefined && namespaces === undefined && createDefinitions === undefined) return nothing;
    return html`<h4 id="publishing-heading">${m.publishingHeading}</h4>
      <dl part="publishing" aria-labelledby="publishing-heading">
        ${publications === undefined
          ? nothing
          : html`<dt>${m.publications}</dt>
              <dd data-param="publications">${publications.length ? publications.join(', ') : m.publicationsNone}</dd>`}
        ${namespaces === undefined
          ? nothing
          : html`<dt>${m.ownedMetafieldNamespaces}</dt>
              <dd data-param="ownedMetafieldNamespaces">${namespaces.length ? html`<span class="ident">${namespaces.join(', ')}</span>` : m.none}</dd>`}
        ${createDefinitions === undefined
          ? nothing
          : html`<dt>${m.createMetafieldDefinitions}</dt>
              <dd data-param="createMetafieldDefinitions">${flag(createDefinitions)}</dd>`}
      </dl>`;
  }
}
