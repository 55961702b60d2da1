/// <reference types="mocha" />
// The Configuration section shows the languages an event wrote translations to and where each
// warehouse kept its stock; events recorded before these existed show neither.
import { expect, fixture, html } from '@open-wc/testing';
import type { ConfigSnapshot } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import type { ShopsyncConfiguration, ShopsyncPanel } from '../index.js';
import { connector, deep, deepAll, makeSource, products, settle, text } from '../test-support/helpers.js';

const DAY = 86_400_000;
const PARAMETERS = 'Disable deletions Yes Overwrite stock No Include empty categories Yes';
const config = (over: Partial<ConfigSnapshot> = {}): ConfigSnapshot => ({
  shopDomain: 'demo.myshopify.com',
  apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false, supportEndsAt: new Date(Date.now() + 200 * DAY).toISOString() },
  disableDeletions: true,
  overwriteStock: false,
  includeEmptyCategories: true,
  language: 'en',
  ...over,
});
const BY_NAME = { warehouse: 'MAD-01', location: 'Madrid warehouse', id: 'gid://shopify/Location/1' };
const BY_ID = { warehouse: 'BCN-02', location: 'gid://shopify/Location/2', id: 'gid://shopify/Location/2' };

async function configuration(c: ConfigSnapshot) {
  return fixture<ShopsyncConfiguration>(html`<shopsync-configuration .config=${c}></shopsync-configuration>`);
}

describe('<shopsync-configuration>: translations and stock locations', () => {
  it('the Language parameter names the languages translated into, by name and tag', async () => {
    const el = await configuration(config({ translations: ['es', 'fr'] }));
    expect(text(deep(el, '[part="parameters"]'))).to.equal(`${PARAMETERS} Language English (en) · translated into Spanish (es), French (fr)`);
    expect(text(deep(el, '[data-param="language"] .translations'))).to.equal('· translated into Spanish (es), French (fr)');
    await expect(el).to.be.accessible();

    el.config = config({ translations: [] });
    await el.updateComplete;
    expect(text(deep(el, '[data-param="language"]'))).to.equal('English (en)', 'no other language: only the primary');
  });

  it('a group of its own after the parameters lists each warehouse’s location, and the id the store resolved when it differs', async () => {
    const el = await configuration(config({ translations: ['es'], locations: [BY_NAME, BY_ID], publications: ['Online Store'] }));
    const stock = deep(el, '[part="stock"]');
    expect(text(deep(el, `#${stock.getAttribute('aria-labelledby')}`))).to.equal('Inventory');
    expect(text(stock)).to.equal('Stock locations MAD-01 → Madrid warehouse (gid://shopify/Location/1) BCN-02 → gid://shopify/Location/2');
    expect(deepAll(stock, 'li').map((li) => li.dataset.resolved)).to.deep.equal(['yes', 'yes']);
    const [params, publishing] = [deep(el, '[part="parameters"]'), deep(el, '[part="publishing"]')];
    expect(stock.getBoundingClientRect().top).to.be.greaterThan(params.getBoundingClientRect().bottom, 'after the four parameters');
    expect(publishing.getBoundingClientRect().top).to.be.greaterThan(stock.getBoundingClientRect().bottom, 'before publishing');
    for (const prop of ['display', 'columnGap', 'rowGap'] as const) expect(getComputedStyle(stock)[prop], `${prop} as the parameters`).to.equal(getComputedStyle(params)[prop]);
    await expect(el).to.be.accessible();
  });

  it('an event that reached the store says which location it did not find; one that did not reach it shows the locations as configured', async () => {
    const unresolved = { warehouse: 'VLC-03', location: 'Valencia outlet' };
    const el = await configuration(config({ locations: [BY_NAME, unresolved] }));
    const row = deepAll(el, '[part="stock"] li')[1]!;
    expect(row.dataset.resolved).to.equal('no');
    expect(text(row)).to.equal('VLC-03 → Valencia outlet not found at the store');
    expect(getComputedStyle(deep(row, '.not-found')).color).to.equal('rgb(138, 83, 0)', 'in the warning colour, and in words');
    await expect(el).to.be.accessible();

    // The store answered with its languages, and resolved no location at all.
    el.config = config({ translations: [], locations: [unresolved] });
    await el.updateComplete;
    expect(text(deep(el, '[part="stock"]'))).to.contain('Valencia outlet not found at the store');

    // The store was not reached: nothing resolved, nothing known to be missing.
    el.config = config({ locations: [{ warehouse: 'MAD-01', location: 'Madrid warehouse' }, unresolved] });
    await el.updateComplete;
    expect(text(deep(el, '[part="stock"]'))).to.equal('Stock locations MAD-01 → Madrid warehouse VLC-03 → Valencia outlet');
    expect(deepAll(el, '.not-found')).to.have.length(0);
    expect(deepAll(el, '[part="stock"] li').map((li) => li.dataset.resolved)).to.deep.equal(['unknown', 'unknown']);
  });

  it('an older event, recorded without translations or locations, shows neither', async () => {
    const el = await configuration({ ...config(), locationId: 'gid://shopify/Location/9' });
    expect(text(deep(el, '[part="parameters"]'))).to.equal(`${PARAMETERS} Language English (en)`);
    expect(deepAll(el, '.translations, [part="stock"], #stock-heading')).to.have.length(0);
    expect(text(el)).not.to.contain('Inventory');
    expect(text(el)).not.to.contain('translated into');
    expect(deepAll(el, '[data-param]').map((d) => d.dataset.param)).to.deep.equal(['disableDeletions', 'overwriteStock', 'includeEmptyCategories', 'language']);
    el.config = config({ locations: [] });
    await el.updateComplete;
    expect(deepAll(el, '[part="stock"]')).to.have.length(0, 'no warehouse named: no row');
  });

  it('Spanish, on the event the engine recorded: language names in the panel’s locale, locations as the store resolved them', async () => {
    const target = new FakeTarget({ connectInfo: { translationLanguages: ['en', 'fr'], locationIds: { MAD: 'gid://shopify/Location/7' } } });
    const s = makeSource({ connector: { ...connector, locations: { MAD: 'Almacén Madrid', VLC: 'Valencia' } } }, target);
    await s.engine.enqueue(products(2));
    const event = await s.engine.start();
    expect(event.config.translations).to.deep.equal(['en', 'fr']);
    const el = await fixture<ShopsyncPanel>(html`<shopsync-panel .source=${s.source} locale="es"></shopsync-panel>`);
    await el.ready;
    await settle(el);
    expect(text(deep(el, '[part="parameters"]'))).to.equal(
      'Desactivar eliminaciones Sí Sobrescribir stock No Incluir categorías vacías Sí Idioma español (es) · traducciones en inglés (en), francés (fr)',
    );
    const stock = deep(el, '[part="stock"]');
    expect(text(deep(deep(el, 'shopsync-configuration'), `#${stock.getAttribute('aria-labelledby')}`))).to.equal('Inventario');
    expect(text(stock)).to.equal('Ubicaciones de stock MAD → Almacén Madrid (gid://shopify/Location/7) VLC → Valencia no encontrada en la tienda');
    await expect(el).to.be.accessible();
  });
});
