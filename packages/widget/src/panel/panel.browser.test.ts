/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FakeTarget } from '@shopsync/core/testing';
import type { ShopsyncPanel } from '../index.js';
import { completedClean, completedWithErrors, deep, deepAll, errored, makeSource, panelOn, paused, product, settle, stepped, text, until } from '../test-support/helpers.js';

describe('<shopsync-panel>', () => {
  it('general layout: an info icon explains the queue and links to the Item Synchronization Status tab', async () => {
    const { source } = await completedClean();
    const el = await panelOn(source);
    const info = deep(el, '[part="info-button"]');
    expect(info.getAttribute('aria-label')).to.equal('How synchronization works');
    expect(deep(el, '#info').hidden).to.equal(true);
    info.click();
    await settle(el);
    expect(info.getAttribute('aria-expanded')).to.equal('true');
    const box = deep(el, '#info');
    expect(box.hidden).to.equal(false);
    expect(text(box)).to.match(/stored in a queue and processed incrementally/);
    const link = deep<HTMLAnchorElement>(box, '[part="info-link"]');
    expect(link.textContent).to.equal('Item Synchronization Status');
    link.click();
    await settle(el);
    expect(el.tab).to.equal('items');
    expect(deep(el, '#tab-items').getAttribute('aria-selected')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('Completed with errors: status in words and icon, start time, link, pending, warning; the red icon opens only the general errors', async () => {
    const { source, event } = await completedWithErrors();
    expect(event.status).to.equal('completed');
    const el = await panelOn(source);
    expect(el.matches(':state(completed)')).to.equal(true);
    const badge = deep(el, 'shopsync-status-badge');
    expect(text(badge)).to.equal('Completed');
    expect(badge.matches(':state(completed)')).to.equal(true);
    expect(deepAll(badge, 'svg')).to.have.length(1, 'an icon beside the word');
    const sync = deep(el, 'shopsync-synchronization');
    expect(deep(sync, 'time').getAttribute('datetime')).to.equal(event.startedAt);
    expect(text(deep(sync, 'time'))).to.match(/\d{4}/);
    expect(deep(sync, '[part="items-link"]').textContent).to.equal('View item details');
    expect(text(deep(sync, '[part="pending"]'))).to.match(/Categories 0 Products 0 Variants 0/);
    const warning = deep(sync, '[part="warning"]');
    expect(text(warning)).to.contain('Errors occurred during this synchronization.');
    expect(text(warning)).to.contain('1 general error');
    expect(text(warning)).to.contain('2 items failed');

    const icon = deep<HTMLButtonElement>(sync, '[part="general-errors-button"]');
    expect(icon.getAttribute('aria-label')).to.equal('Show 1 general error');
    icon.focus();
    icon.click();
    const dialog = deep<HTMLDialogElement>(deep(el, 'shopsync-error-dialog'), 'dialog');
    await until(() => dialog.open);
    const items = deepAll(dialog, '[part="error"]');
    expect(items).to.have.length(1, 'only the general errors');
    expect(text(items[0]!)).to.contain('Throttled: the store asked us to slow down');
    expect(text(items[0]!)).to.contain('Rate limit');
    expect(text(dialog)).not.to.contain('Price must be greater than 0');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog.open);
    expect(sync.shadowRoot!.activeElement).to.equal(icon, 'focus returns to the red icon');
  });

  it('the dialog traps focus (modal) and its close button returns focus to the trigger', async () => {
    const { source } = await completedWithErrors();
    const el = await panelOn(source);
    const sync = deep(el, 'shopsync-synchronization');
    const icon = deep<HTMLButtonElement>(sync, '[part="general-errors-button"]');
    icon.focus();
    await sendKeys({ press: 'Enter' });
    const dlgHost = deep(el, 'shopsync-error-dialog');
    const dialog = deep<HTMLDialogElement>(dlgHost, 'dialog');
    await until(() => dialog.open);
    expect(dialog.matches(':modal')).to.equal(true);
    for (let i = 0; i < 5; i++) {
      await sendKeys({ press: 'Tab' });
      const active = dlgHost.shadowRoot!.activeElement;
      expect(active && dialog.contains(active), `focus stays in the dialog after ${i + 1} tabs`).to.equal(true);
    }
    deepAll<HTMLButtonElement>(dialog, '[part="close-button"]').at(-1)!.click();
    await until(() => !dialog.open);
    expect(sync.shadowRoot!.activeElement).to.equal(icon);
  });

  it('Completed without errors: no red icon, no warning', async () => {
    const { source } = await completedClean();
    const el = await panelOn(source);
    const sync = deep(el, 'shopsync-synchronization');
    expect(deepAll(sync, '[part="general-errors-button"]')).to.have.length(0);
    expect(deepAll(sync, '[part="warning"]')).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('Error: why the connector could not start and what to check', async () => {
    const { source } = await errored('auth');
    const el = await panelOn(source);
    expect(el.matches(':state(error)')).to.equal(true);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Error');
    const details = deep(el, '[part="error-details"]');
    expect(text(details)).to.contain('The connector could not start the synchronization');
    expect(text(details)).to.contain('Fake store refused the connection (auth)');
    expect(text(details)).to.match(/What to check\s*:\s*Check the Shopify API credentials/);
    await expect(el).to.be.accessible();
  });

  it('Error: an authorization that ended says the merchant must authorize the app again, apart from bad credentials', async () => {
    const { source } = await errored('reauthorize');
    const el = await panelOn(source);
    const details = text(deep(el, '[part="error-details"]'));
    expect(details).to.match(/What to check\s*:\s*The app’s authorization with the store has ended/);
    expect(details).to.contain('reinstall or re-authorize the app');
    expect(details).not.to.contain('Check the Shopify API credentials');
    await expect(el).to.be.accessible();
  });

  it('Error: an unreachable store says to check the connection', async () => {
    const { source } = await errored('network');
    const el = await panelOn(source);
    expect(text(deep(el, '[part="error-details"]'))).to.contain('Check the connection to the Shopify store');
  });

  it('Paused: shown and explained; enabling from the panel resumes it, shown as In Progress then Completed', async () => {
    const { source, engine } = await paused();
    const el = await panelOn(source);
    expect(el.matches(':state(paused)')).to.equal(true);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Paused');
    const details = deep(el, '[part="paused-details"]');
    expect(text(details)).to.contain('The connector was disabled while the synchronization was running');
    await expect(el).to.be.accessible();

    const statuses: string[] = [];
    el.addEventListener('shopsync-status-change', (e) => statuses.push(e.detail.status));
    deep<HTMLButtonElement>(details, '[part="enable-button"]').click();
    await engine.idle();
    await until(() => el.event?.status === 'completed');
    await settle(el);
    expect(statuses).to.deep.equal(['in_progress', 'completed']);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completed');
    expect(engine.config.enabled).to.equal(true);
  });

  it('a host may veto enabling the connector', async () => {
    const { source, engine } = await paused();
    const el = await panelOn(source);
    el.addEventListener('shopsync-connector-toggle-request', (e) => e.preventDefault());
    deep<HTMLButtonElement>(el, '[part="enable-button"]').click();
    await settle(el);
    expect(engine.config.enabled).to.equal(false);
  });

  it('In Progress, live: pending falls, iterations appear one by one, logs appear, time remaining, status announced', async () => {
    const run = stepped(20);
    await run.pushWaiting();
    const el = await panelOn(run.source);
    await until(() => el.event?.status === 'in_progress');
    await settle(el);
    expect(el.matches(':state(in-progress)')).to.equal(true);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('In Progress');
    expect(text(deep(el, '[part="live-region"]'))).to.equal('');
    expect(deepAll(el, '[part~="iteration"]')).to.have.length(0);
    expect(text(deep(el, 'shopsync-log-links'))).to.contain('once the first iteration has finished');
    expect(text(deep(el, '[part="eta"]'))).to.contain('Estimating');
    const pending = () => Number(deep(deep(el, '[part="pending"]'), '[data-entity="products"] dd').textContent!.replace(/\D/g, ''));
    expect(pending()).to.equal(20);

    await run.step();
    await settle(el);
    expect(pending()).to.equal(15);
    expect(deepAll(el, '[part~="iteration"]')).to.have.length(1);
    expect(deepAll(el, '[part="download"]')).to.have.length(2, 'log links appear after the first iteration');
    expect(text(deep(el, '[part="eta"]'))).to.match(/About .+ left · .+ items per second/);
    await expect(el).to.be.accessible();

    await run.step();
    await settle(el);
    expect(pending()).to.equal(10);
    expect(deepAll(el, '[part~="iteration"]').map((b) => b.dataset.index)).to.deep.equal(['2', '1'], 'newest block first');

    await run.finish();
    await until(() => el.event?.status === 'completed');
    await settle(el);
    expect(pending()).to.equal(0);
    expect(deepAll(el, '[part~="iteration"]')).to.have.length(4);
    expect(text(deep(el, '[part="live-region"]'))).to.equal('Synchronization status: Completed');
    expect(deep(el, '[part="live-region"]').getAttribute('aria-live')).to.equal('polite');
  });

  it('a burst of updates renders at most once per frame', async () => {
    const { source, engine, event } = await completedClean();
    const el = await panelOn(source);
    let renders = 0;
    const original = (el as unknown as { updated: (c: unknown) => void }).updated;
    (el as unknown as { updated: (c: unknown) => void }).updated = function (this: ShopsyncPanel, c: unknown) {
      renders += 1;
      original.call(this, c);
    };
    for (let i = 0; i < 200; i++) engine.emit('pendingChanged', { connectorId: 'store-1', eventId: event.id, pending: { categories: 0, products: i, variants: 0 } });
    await settle(el);
    expect(renders).to.be.within(1, 2);
    expect(el.event?.pending.products).to.equal(199, 'no change lost');
  });

  it('unsubscribes on disconnect and subscribes again on reconnect', async () => {
    const { source, engine } = await completedClean();
    const el = await panelOn(source);
    expect(engine.listenerCount('statusChanged')).to.equal(2, 'the panel and the event list (the item table once visited)');
    const parent = el.parentElement!;
    el.remove();
    expect(engine.listenerCount('statusChanged')).to.equal(0);
    parent.append(el);
    await el.ready;
    expect(engine.listenerCount('statusChanged')).to.be.greaterThan(0);
  });
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
