/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { ConfigSnapshot, Iteration } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';
import type { ShopsyncConfiguration, ShopsyncHistory, ShopsyncPanel } from '../src/index.js';
import { completedClean, completedWithErrors, connector, deep, deepAll, makeSource, product, products, settle, text, until } from './helpers.js';

async function panelOn(source: unknown, locale = 'en', theme = 'auto') {
  const el = await fixture<ShopsyncPanel>(html`<shopsync-panel .source=${source} locale=${locale} theme=${theme}></shopsync-panel>`);
  await el.ready;
  await settle(el);
  return el;
}

const DAY = 86_400_000;
const config = (over: Partial<ConfigSnapshot['apiVersion']> = {}): ConfigSnapshot => ({
  shopDomain: 'demo.myshopify.com',
  apiVersion: { requested: '2026-07', status: 'supported', endsSoon: false, supportEndsAt: new Date(Date.now() + 200 * DAY).toISOString(), ...over },
  disableDeletions: true,
  overwriteStock: false,
  includeEmptyCategories: true,
  language: 'es',
});

describe('tabs', () => {
  it('follow the ARIA tabs pattern with the keyboard', async () => {
    const { source } = await completedClean();
    const el = await panelOn(source);
    const tabs = deepAll<HTMLButtonElement>(el, '[role="tab"]');
    expect(tabs.map((t) => t.textContent!.trim())).to.deep.equal(['Synchronization', 'Item Synchronization Status', 'Sync events']);
    expect(tabs.map((t) => t.tabIndex)).to.deep.equal([0, -1, -1]);
    for (const t of tabs) expect(deep(el, `#${t.getAttribute('aria-controls')}`).getAttribute('aria-labelledby')).to.equal(t.id);
    tabs[0]!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await settle(el);
    expect(el.tab).to.equal('items');
    expect(el.shadowRoot!.activeElement).to.equal(tabs[1]);
    expect(tabs[1]!.getAttribute('aria-selected')).to.equal('true');
    expect(deep(el, '#panel-items').hidden).to.equal(false);
    expect(deep(el, '#panel-overview').hidden).to.equal(true);
    await sendKeys({ press: 'End' });
    await settle(el);
    expect(el.tab).to.equal('events');
    await sendKeys({ press: 'ArrowRight' });
    await settle(el);
    expect(el.tab).to.equal('overview', 'wraps around');
    await sendKeys({ press: 'ArrowLeft' });
    await settle(el);
    expect(el.tab).to.equal('events');
    await sendKeys({ press: 'Home' });
    await settle(el);
    expect(el.tab).to.equal('overview');
    expect(tabs.map((t) => t.tabIndex)).to.deep.equal([0, -1, -1]);
  });
});

describe('<shopsync-event-list>', () => {
  it('lists sync events newest first, paginated; choosing one shows it', async () => {
    const s = makeSource({}, new FakeTarget({ connectError: undefined }));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      await s.engine.enqueue([product(`E${i}`)]);
      ids.push((await s.engine.start()).id);
      await new Promise((r) => setTimeout(r, 2));
    }
    const el = await panelOn(s.source);
    el.tab = 'events';
    await settle(el);
    const list = deep(el, 'shopsync-event-list');
    const rows = () => deepAll<HTMLButtonElement>(list, '[part="event"]');
    expect(rows()).to.have.length(10);
    expect(rows()[0]!.dataset.eventId).to.equal(ids[11], 'newest first');
    expect(rows()[0]!.getAttribute('aria-current')).to.equal('true');
    expect(text(deep(list, '[part="pager"]'))).to.contain('1–10 of 12');
    await expect(el).to.be.accessible();
    deepAll<HTMLButtonElement>(list, '[part="pager"] button')[1]!.click();
    await until(() => rows().length === 2);
    expect(rows().map((r) => r.dataset.eventId)).to.deep.equal([ids[1], ids[0]]);
    rows()[1]!.click();
    await until(() => el.event?.id === ids[0]);
    await settle(el);
    expect(el.tab).to.equal('overview');
    expect(el.eventId).to.equal(ids[0]);
    expect(text(deep(el, 'shopsync-history'))).to.contain('1 iteration');
    const latest = deep<HTMLButtonElement>(el, '[part="latest-link"]');
    latest.click();
    await until(() => el.event?.id === ids[11]);
  });

  it('shows a new event live at the top, and when the next scheduled run starts', async () => {
    const s = makeSource({ schedule: { everyMs: 3_600_000 } });
    await s.engine.enqueue(products(2));
    await s.engine.start();
    const el = await panelOn(s.source);
    el.tab = 'events';
    await settle(el);
    const list = deep(el, 'shopsync-event-list');
    expect(text(list)).to.match(/Next scheduled run: .*\d/);
    await s.engine.enqueue(products(2, 'Q'));
    const second = await s.engine.start();
    await until(() => deepAll<HTMLButtonElement>(list, '[part="event"]')[0]?.dataset.eventId === second.id);
    expect(el.event?.id).to.equal(second.id, 'the panel follows the latest event');
    await s.engine.dispose();
  });
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

describe('<shopsync-history>', () => {
  const it_ = (i: number): Iteration => ({
    index: i,
    startedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(),
    endedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, i, 500)).toISOString(),
    synced: { categories: i, products: 2 * i, variants: 3 * i },
    failed: { categories: 0, products: i === 2 ? 1 : 0, variants: 0 },
    skipped: { categories: 0, products: 0, variants: 0 },
  });

  it('one block per iteration with its time and the categories, products and variants synced', async () => {
    const el = await fixture<ShopsyncHistory>(html`<shopsync-history .iterations=${[it_(1), it_(2), it_(3)]}></shopsync-history>`);
    const blocks = deepAll(el, '[part="iteration"]');
    expect(blocks.map((b) => b.dataset.index)).to.deep.equal(['3', '2', '1']);
    const b2 = blocks[1]!;
    expect(deep(b2, 'time').getAttribute('datetime')).to.equal(it_(2).endedAt);
    expect(['categories', 'products', 'variants'].map((e) => deep(b2, `[data-entity="${e}"]`).textContent)).to.deep.equal(['2', '4', '6']);
    expect(text(b2)).to.contain('Failed: 1');
    await expect(el).to.be.accessible();
  });

  it('long histories show the newest blocks and the rest on demand', async () => {
    const its = Array.from({ length: 1000 }, (_, i) => it_(i + 1));
    const el = await fixture<ShopsyncHistory>(html`<shopsync-history .iterations=${its}></shopsync-history>`);
    expect(deepAll(el, '[part="iteration"]')).to.have.length(24);
    expect(text(el)).to.contain('1,000 iterations');
    const more = deep<HTMLButtonElement>(el, '[part="show-older"]');
    expect(text(more)).to.equal('Show 96 older iterations');
    more.click();
    await el.updateComplete;
    expect(deepAll(el, '[part="iteration"]')).to.have.length(120);
  });
});

describe('log downloads', () => {
  it('JSONL and CSV, once available, with the content from the source', async () => {
    const { source, event } = await completedClean();
    const el = await panelOn(source);
    const links = deepAll<HTMLButtonElement>(el, '[part="download"]');
    expect(links.map((l) => text(l))).to.deep.equal(['Download log (JSONL)', 'Download log (CSV)']);
    const got: Array<{ filename: string; contentType: string; content: string }> = [];
    el.addEventListener('shopsync-log-download', (e) => {
      got.push(e.detail);
      e.preventDefault();
    });
    links[1]!.click();
    await until(() => got.length === 1);
    expect(got[0]!.filename).to.equal(`shopsync-${event.id}.csv`);
    expect(got[0]!.contentType).to.match(/^text\/csv/);
    expect(got[0]!.content).to.match(/^at,level,eventId/);
    links[0]!.click();
    await until(() => got.length === 2);
    expect(got[1]!.filename).to.equal(`shopsync-${event.id}.jsonl`);
    expect(JSON.parse(got[1]!.content.split('\n')[0]!).eventId).to.equal(event.id);
  });
});

describe('languages', () => {
  it('Spanish: messages, dates and numbers', async () => {
    const { source, event } = await completedWithErrors();
    const el = await panelOn(source, 'es');
    expect(text(deep(el, 'h2'))).to.equal('Registro de actividad');
    expect(deepAll(el, '[role="tab"]').map((t) => text(t))).to.deep.equal(['Sincronización', 'Estado de sincronización de elementos', 'Eventos de sincronización']);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completado');
    const sync = deep(el, 'shopsync-synchronization');
    expect(text(deep(sync, '[part="warning"]'))).to.contain('Se produjeron errores durante esta sincronización.');
    expect(text(deep(sync, '[part="warning"]'))).to.contain('2 elementos con error');
    expect(deep(sync, '[part="general-errors-button"]').getAttribute('aria-label')).to.equal('Ver 1 error general');
    const when = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(event.startedAt));
    expect(text(deep(sync, 'time'))).to.equal(when);
    expect(text(deep(el, '[part="parameters"]'))).to.contain('Idioma español (es)');
    await expect(el).to.be.accessible();
  });

  it('switching the locale property re-renders every part; the lang attribute works too', async () => {
    const { source } = await completedClean();
    const el = await panelOn(source, 'es');
    el.locale = 'en';
    await settle(el);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completed');
    el.locale = '';
    el.setAttribute('lang', 'es-MX');
    await settle(el);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completado');
    const big = new Intl.NumberFormat('es-MX').format(1234);
    expect(big).to.be.a('string');
  });
});

describe('text from remote systems renders as text', () => {
  it('HTML and script in error messages and references stay text', async () => {
    const evil = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script><b>bold</b>`;
    const s = makeSource({}, new FakeTarget({ outcomes: (i) => (i.ref.startsWith('<') ? { errors: [{ message: evil, code: '<i>X</i>' }] } : 'synced') }));
    await s.engine.enqueue([product(`<b onclick="x()">SKU</b>`), product('OK')]);
    s.target.failNextPush({ code: 'server_error', message: evil }, { leaveItems: false });
    await s.engine.start();
    const el = await panelOn(s.source);
    await (deep(el, 'shopsync-synchronization') as unknown as { showGeneralErrors(): Promise<void> }).showGeneralErrors();
    const dialog = deep(deep(el, 'shopsync-error-dialog'), 'dialog');
    expect(text(dialog)).to.contain(evil);
    expect(deepAll(dialog, 'img, script, b')).to.have.length(0);
    (dialog as HTMLDialogElement).close();

    el.tab = 'items';
    await settle(el);
    const table = deep(el, 'shopsync-item-table');
    await (table as unknown as { loaded: Promise<void> }).loaded;
    await settle(el);
    const row = deepAll<HTMLButtonElement>(table, '[part="row"]').find((r) => r.dataset.key?.includes('SKU'))!;
    expect(text(row)).to.contain('<b onclick="x()">SKU</b>');
    row.click();
    await settle(el);
    const detail = deep(table, '[part="detail"]');
    expect(text(detail)).to.contain(evil);
    expect(deepAll(table, 'img, script, b, i')).to.have.length(0);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});

describe('theming and layout', () => {
  it('dark theme and a narrow mobile width stay accessible; tokens and parts restyle', async () => {
    const { source } = await completedWithErrors();
    await setViewport({ width: 360, height: 800 });
    try {
      const el = await panelOn(source, 'en', 'dark');
      expect(getComputedStyle(el).colorScheme).to.equal('dark');
      expect(getComputedStyle(deep(el, '[part="base"]')).backgroundColor).to.equal('rgb(23, 25, 30)');
      await expect(el).to.be.accessible();
      el.style.setProperty('--shopsync-color-surface', 'rgb(1, 2, 3)');
      expect(getComputedStyle(deep(el, '[part="base"]')).backgroundColor).to.equal('rgb(1, 2, 3)');
      // A host's ::part() rule reaches the panel's base part.
      const rule = document.createElement('style');
      rule.textContent = 'shopsync-panel::part(base) { outline: 3px solid rgb(4, 5, 6); }';
      document.head.append(rule);
      try {
        const base = getComputedStyle(deep(el, '[part="base"]'));
        expect([base.outlineColor, base.outlineStyle, base.outlineWidth]).to.deep.equal(['rgb(4, 5, 6)', 'solid', '3px']);
      } finally {
        rule.remove();
      }
      const overview = deep(el, '.overview');
      expect(getComputedStyle(overview).gridTemplateColumns.split(' ')).to.have.length(1, 'one column on a phone');
      expect(el.shadowRoot!.querySelector('[part="base"]')!.scrollWidth).to.be.at.most(360);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('light theme by attribute', async () => {
    const { source } = await completedClean();
    const el = await panelOn(source, 'en', 'light');
    expect(getComputedStyle(el).colorScheme).to.equal('light');
    expect(getComputedStyle(deep(el, '[part="base"]')).backgroundColor).to.equal('rgb(255, 255, 255)');
  });
});

describe('no source, failing source', () => {
  it('says no source is connected', async () => {
    const el = await fixture<ShopsyncPanel>(html`<shopsync-panel locale="en"></shopsync-panel>`);
    expect(text(el)).to.contain('No data source is connected to this panel.');
    await expect(el).to.be.accessible();
  });

  it('says when the data could not be loaded', async () => {
    const source = { connectorId: 'x', subscribe: () => () => undefined, connectorState: async () => Promise.reject(new Error('HTTP 503')), listEvents: async () => ({ items: [], total: 0 }) };
    const el = await panelOn(source);
    expect(text(deep(el, '[role="alert"]'))).to.contain('The synchronization data could not be loaded: HTTP 503');
  });

  it('a connector that never ran says so', async () => {
    const { source } = makeSource();
    const el = await panelOn(source);
    expect(text(el)).to.contain('No synchronization has run yet.');
    expect(el.event, 'no event to show').to.equal(undefined);
  });
});
