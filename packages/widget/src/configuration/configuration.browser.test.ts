/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import type { ConfigSnapshot } from '@shopsync/core';
import type { ShopsyncConfiguration } from '../index.js';
import { completedClean, connector, deep, deepAll, makeSource, panelOn, products, text } from '../test-support/helpers.js';

const DAY = 86_400_000;
const config = (over: Partial<ConfigSnapshot['apiVersion']> = {}): ConfigSnapshot => ({
  shopDomain: 'demo.myshopify.com',
  apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false, supportEndsAt: new Date(Date.now() + 200 * DAY).toISOString(), ...over },
  disableDeletions: true,
  overwriteStock: false,
  includeEmptyCategories: true,
  language: 'es',
});

describe('<shopsync-configuration>', () => {
  it('shows the API version in use and the applied parameters as at the start of the event', async () => {
    const el = await fixture<ShopsyncConfiguration>(html`<shopsync-configuration .config=${config({ served: '2026-07' })}></shopsync-configuration>`);
    expect(text(deep(el, '[part="api-version"]'))).to.match(/^2026-07 Supported until/);
    expect(deepAll(el, '[part="api-warning"]')).to.have.length(0);
    const params = deep(el, '[part="parameters"]');
    expect(text(params)).to.equal('Disable deletions Yes Overwrite stock No Include empty categories Yes Language Spanish (es)');
    await expect(el).to.be.accessible();
  });

  it('shows the sales channels, owned metafield namespaces and metafield definitions as a group after the parameters', async () => {
    const el = await fixture<ShopsyncConfiguration>(
      html`<shopsync-configuration
        .config=${{ ...config(), publications: ['Online Store', 'Point of Sale'], ownedMetafieldNamespaces: ['shopsync'], createMetafieldDefinitions: true }}
      ></shopsync-configuration>`,
    );
    expect(text(deep(el, '[part="parameters"]'))).to.equal('Disable deletions Yes Overwrite stock No Include empty categories Yes Language Spanish (es)', 'the applied parameters as before');
    const group = deep(el, '[part="publishing"]');
    expect(group.tagName).to.equal('DL');
    expect(text(deep(el, `#${group.getAttribute('aria-labelledby')}`))).to.equal('Publishing and metafields');
    expect(text(group)).to.equal('Sales channels Online Store, Point of Sale Metafield namespaces owned shopsync Create metafield definitions Yes');
    expect(text(deep(group, '[data-param="publications"]'))).to.equal('Online Store, Point of Sale');
    expect(text(deep(group, '[data-param="ownedMetafieldNamespaces"]'))).to.equal('shopsync');
    expect(text(deep(group, '[data-param="createMetafieldDefinitions"]'))).to.equal('Yes');
    expect(group.getBoundingClientRect().top).to.be.greaterThan(deep(el, '[part="parameters"]').getBoundingClientRect().bottom, 'after the applied parameters');
    const [a, b] = [group, deep(el, '[part="parameters"]')].map((e) => getComputedStyle(e));
    for (const prop of ['display', 'columnGap', 'rowGap'] as const) expect(a![prop], `${prop} as the parameters`).to.equal(b![prop]);
    expect(getComputedStyle(deep(group, 'dt')).color).to.equal(getComputedStyle(deep(el, '[part="parameters"] dt')).color);
    await expect(el).to.be.accessible();

    el.config = { ...config(), publications: [], ownedMetafieldNamespaces: [], createMetafieldDefinitions: false };
    await el.updateComplete;
    expect(text(deep(el, '[part="publishing"]'))).to.equal(
      'Sales channels None: products are not published Metafield namespaces owned None Create metafield definitions No',
    );
  });

  it('an event recorded before these settings existed shows none of them; one recorded with some shows those', async () => {
    const el = await fixture<ShopsyncConfiguration>(html`<shopsync-configuration .config=${config()}></shopsync-configuration>`);
    expect(deepAll(el, '[part="publishing"]')).to.have.length(0);
    expect(text(el)).not.to.contain('Publishing and metafields');
    expect(deepAll(el, '[data-param]').map((d) => d.dataset.param)).to.deep.equal(['disableDeletions', 'overwriteStock', 'includeEmptyCategories', 'language']);

    el.config = { ...config(), publications: ['Online Store'] };
    await el.updateComplete;
    expect(text(deep(el, '[part="publishing"]'))).to.equal('Sales channels Online Store');
    expect(deepAll(el, '[data-param="ownedMetafieldNamespaces"], [data-param="createMetafieldDefinitions"]')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('Spanish: the event the engine recorded shows its sales channels and metafield settings', async () => {
    const s = makeSource({
      connector: { ...connector, publications: ['Online Store', 'Point of Sale', 'Shop'], ownedMetafieldNamespaces: ['shopsync', 'pim'], createMetafieldDefinitions: true },
    });
    await s.engine.enqueue(products(2));
    await s.engine.start();
    const el = await panelOn(s.source, 'es');
    const group = deep(el, '[part="publishing"]');
    const heading = deep(deep(el, 'shopsync-configuration'), `#${group.getAttribute('aria-labelledby')}`);
    expect(text(heading)).to.equal('Publicación y metacampos');
    expect(text(group)).to.equal('Canales de ventas Online Store, Point of Sale, Shop Espacios de nombres de metacampos propios shopsync, pim Crear definiciones de metacampos Sí');
    expect(text(deep(el, '[part="parameters"]'))).to.equal('Desactivar eliminaciones Sí Sobrescribir stock No Incluir categorías vacías Sí Idioma español (es)');
    await expect(el).to.be.accessible();

    // A connector configured with none (the defaults).
    const { source, event } = await completedClean();
    expect(event?.config.publications).to.deep.equal([]);
    const plain = await panelOn(source, 'es');
    expect(text(deep(plain, '[part="publishing"]'))).to.equal(
      'Canales de ventas Ninguno: los productos no se publican Espacios de nombres de metacampos propios Ninguno Crear definiciones de metacampos No',
    );
  });

  it('warns when the version will be deprecated within 90 days, with the date to update by', async () => {
    const ends = new Date(Date.now() + 30 * DAY).toISOString();
    const el = await fixture<ShopsyncConfiguration>(html`<shopsync-configuration .config=${config({ supportEndsAt: ends })}></shopsync-configuration>`);
    const w = deep(el, '[part="api-warning"]');
    expect(w.dataset.standing).to.equal('ends-soon');
    const date = new Intl.DateTimeFormat('en', { dateStyle: 'long' }).format(new Date(ends));
    expect(text(w)).to.contain(`Support for this API version ends on ${date}. Update the connector before then.`);
  });

  it('warns when the version is deprecated, with Shopify’s reason, and shows the version served', async () => {
    const el = await fixture<ShopsyncConfiguration>(
      html`<shopsync-configuration
        .config=${config({ requested: '2025-01', served: '2025-04', status: 'deprecated', supportEndsAt: '2026-01-01T17:00:00.000Z', deprecationReason: 'Version <i>2025-01</i> is unsupported' })}
      ></shopsync-configuration>`,
    );
    expect(text(deep(el, '[part="api-version"]'))).to.equal('2025-04 (requested 2025-01 )'.replace(' )', ')'));
    const w = deep(el, '[part="api-warning"]');
    expect(w.dataset.standing).to.equal('deprecated');
    expect(text(w)).to.contain('This API version is deprecated (support ended January 1, 2026). Update the connector');
    expect(text(w)).to.contain('Shopify says: Version <i>2025-01</i> is unsupported');
    expect(deepAll(w, 'i')).to.have.length(0);
  });
});
