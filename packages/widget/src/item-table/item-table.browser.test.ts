/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { ItemError, ItemView } from '@shopsync/core';
import type { ShopsyncItemTable, ShopsyncPanel } from '../index.js';
import { completedWithErrors, deep, deepAll, failBad, makeSource, product, products, settle, text, until } from '../test-support/helpers.js';
import { FakeTarget } from '@shopsync/core/testing';

async function itemsTab(source: unknown) {
  const panel = await fixture<ShopsyncPanel>(html`<shopsync-panel .source=${source} locale="en" tab="items"></shopsync-panel>`);
  await panel.ready;
  await settle(panel);
  const table = deep<ShopsyncItemTable>(panel, 'shopsync-item-table');
  await table.loaded;
  await settle(panel);
  return { panel, table };
}

/** Errors of products' images and metafields, as the Shopify target reports them; one URL as long as PIMs make them. */
const LONG_URL = 'https://media.northwind-outfitters.example/assets/size-charts/2026/unisex-outerwear-size-chart_v3_2400x1600.png?version=1764892800&fit=contain';
const IMAGE_ERROR: ItemError = { code: 'IMAGE_DOWNLOAD_FAILURE', field: ['images', '1'], message: `Image 2 (${LONG_URL}): Shopify could not download it: HTTP 404.` };
const SHORT_IMAGE_ERROR: ItemError = { code: 'IMAGE_DOWNLOAD_FAILURE', field: ['images', '1'], message: 'Image 2 (https://demo.example/img/tent-side.jpg): Shopify could not download it: HTTP 404.' };
const METAFIELD_ERROR: ItemError = {
  code: 'INVALID_METAFIELD',
  field: ['metafields', '0', 'value'],
  message: 'Metafield custom.material (single_line_text_field): expected a single line (no line breaks).',
};
const DEFINITION_ERROR: ItemError = {
  code: 'METAFIELD_DEFINITION_MISSING',
  message: 'Metafield custom.designer (metaobject_reference) needs a metafield definition in the store: create it in Shopify admin, with the metaobject type it refers to.',
};
/** A long code and a long field path, neither with a space to wrap at. */
const OPTION_ERROR: ItemError = {
  code: 'OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS',
  field: ['input', 'variants', '0', 'optionValues', '0', 'linkedMetafieldValue'],
  message: 'Option values provided for 1 unknown option(s).',
};
const MEDIA_OUTCOMES = {
  'product:TENT': { errors: [IMAGE_ERROR] },
  'product:TENT-2': { errors: [SHORT_IMAGE_ERROR, METAFIELD_ERROR] },
  'product:JACKET': { errors: [METAFIELD_ERROR] },
  'product:DESIGNER': { errors: [DEFINITION_ERROR] },
  'variant:TENT-2-GRN': { errors: [OPTION_ERROR] },
};

const rows = (table: Element) => deepAll<HTMLButtonElement>(table, '[part="row"]');
const keys = (table: Element) => rows(table).map((r) => r.dataset.key);
const sameSet = (a: Array<string | undefined>, b: string[]) => a.length === b.length && b.every((x) => a.includes(x));

async function setSelect(table: ShopsyncItemTable, name: string, value: string) {
  const select = deep<HTMLSelectElement>(table, `select[name="${name}"]`);
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await table.updateComplete;
  await table.loaded;
  await settle(table);
}

const SET_ATTRIBUTE = Element.prototype.setAttribute;

describe('<shopsync-item-table>', () => {
  afterEach(() => {
    Element.prototype.setAttribute = SET_ATTRIBUTE;
  });

  it('lists items, filters by reference (substring, case-sensitive), status, type and date; accessible', async () => {
    const { source } = await completedWithErrors();
    const { table } = await itemsTab(source);
    expect(text(deep(table, '.count'))).to.equal('10 items');
    await until(() => rows(table).length === 10);
    await expect(table).to.be.accessible();

    const ref = deep<HTMLInputElement>(table, 'input[name="ref"]');
    ref.value = 'BAD';
    ref.dispatchEvent(new Event('change'));
    await table.loaded;
    await settle(table);
    await until(() => sameSet(keys(table), ['product:BAD000', 'product:BAD001']));
    ref.value = 'bad';
    ref.dispatchEvent(new Event('change'));
    await table.loaded;
    await settle(table);
    expect(text(deep(table, '.count'))).to.equal('0 items');
    expect(text(deep(table, '[part="list"]'))).to.equal('No item matches these filters.');
    ref.value = '';
    ref.dispatchEvent(new Event('change'));
    await table.loaded;

    await setSelect(table, 'status', 'error');
    await until(() => sameSet(keys(table), ['product:BAD000', 'product:BAD001']));
    await setSelect(table, 'status', 'complete');
    await until(() => rows(table).length === 8);
    await setSelect(table, 'status', '');
    await setSelect(table, 'entity', 'variant');
    await until(() => sameSet(keys(table), ['variant:V1']));
    await setSelect(table, 'entity', 'category');
    await until(() => sameSet(keys(table), ['category:C1']));
    await setSelect(table, 'entity', '');

    const since = deep<HTMLInputElement>(table, 'input[name="since"]');
    since.value = '2999-01-01';
    since.dispatchEvent(new Event('change'));
    await table.updateComplete;
    await table.loaded;
    await settle(table);
    expect(table.filter.since).to.equal(new Date('2999-01-01T00:00:00').toISOString());
    await until(() => rows(table).length === 0);
    since.value = '2000-01-01';
    since.dispatchEvent(new Event('change'));
    await table.updateComplete;
    await table.loaded;
    await settle(table);
    await until(() => rows(table).length === 10);
  });

  it("shows an item's errors in full, groups errors by cause, flags repeated failures, retries one item", async () => {
    const { source, engine } = await completedWithErrors();
    await source.retryItem({ entity: 'product', ref: 'BAD000' });
    await engine.start();
    const { table } = await itemsTab(source);
    const groups = deep(table, '[part="error-groups"]');
    expect(text(groups)).to.match(/2 INVALID Price must be greater than 0 \( ?variants\.0\.price ?\)/);
    expect(text(groups)).to.contain('1 item failed in several events in a row');
    const bad0 = rows(table).find((r) => r.dataset.key === 'product:BAD000')!;
    expect(text(bad0)).to.contain('Failed in 2 events in a row');
    bad0.click();
    await settle(table);
    expect(bad0.getAttribute('aria-current')).to.equal('true');
    const detail = deep(table, '[part="detail"]');
    expect(text(detail)).to.contain('BAD000');
    expect(text(detail)).to.contain('Price must be greater than 0');
    expect(text(detail)).to.contain('Field: variants.0.price');
    await expect(table).to.be.accessible();

    const asked: unknown[] = [];
    table.addEventListener('shopsync-retry-request', (e) => asked.push(e.detail));
    deep<HTMLButtonElement>(detail, '[part="retry-item"]').click();
    await until(() => text(table).includes('1 item was queued again.'));
    expect(asked).to.deep.equal([{ item: { entity: 'product', ref: 'BAD000' } }]);
    expect((await source.queryItems({ ref: 'BAD000' })).items[0]!.status).to.equal('pending');
  });

  it('image and metafield errors: each message in full with its code and field, grouped by cause', async () => {
    const s = makeSource({}, new FakeTarget({ outcomes: MEDIA_OUTCOMES }));
    await s.engine.enqueue([product('TENT'), product('TENT-2'), product('JACKET'), product('DESIGNER'), product('OK'), { entity: 'variant', op: 'upsert', ref: 'TENT-2-GRN', parentRef: 'TENT-2', data: { price: '9.99' } }]);
    await s.engine.start();
    const { table } = await itemsTab(s.source);
    await until(() => rows(table).length === 6);

    const groups = text(deep(table, '[part="error-groups"]'));
    expect(groups).to.contain(`IMAGE_DOWNLOAD_FAILURE ${IMAGE_ERROR.message} (images.1)`);
    expect(groups).to.contain(`2 INVALID_METAFIELD ${METAFIELD_ERROR.message} (metafields.0.value)`);
    expect(groups).to.contain(`METAFIELD_DEFINITION_MISSING ${DEFINITION_ERROR.message}`);

    const choose = async (key: string) => {
      rows(table)
        .find((r) => r.dataset.key === key)!
        .click();
      await settle(table);
      return deep(table, '[part="detail"]');
    };
    let detail = await choose('product:TENT');
    expect(text(deep(detail, '.errors'))).to.equal(`IMAGE_DOWNLOAD_FAILURE ${IMAGE_ERROR.message} Field: images.1`);
    detail = await choose('product:TENT-2');
    expect(deepAll(detail, '.errors li').map((li) => text(li))).to.deep.equal([
      `IMAGE_DOWNLOAD_FAILURE ${SHORT_IMAGE_ERROR.message} Field: images.1`,
      `INVALID_METAFIELD ${METAFIELD_ERROR.message} Field: metafields.0.value`,
    ]);
    detail = await choose('product:DESIGNER');
    expect(text(deep(detail, '.errors'))).to.equal(`METAFIELD_DEFINITION_MISSING ${DEFINITION_ERROR.message}`, 'no field line when the error has none');
    await expect(table).to.be.accessible();
  });

  it('a long URL, code or field path wraps inside the details and the groups, never beyond them, at any width', async () => {
    const s = makeSource({}, new FakeTarget({ outcomes: MEDIA_OUTCOMES }));
    await s.engine.enqueue([product('TENT'), product('TENT-2'), { entity: 'variant', op: 'upsert', ref: 'TENT-2-GRN', parentRef: 'TENT-2', data: { price: '9.99' } }]);
    await s.engine.start();
    const within = (inner: Element, outer: Element, what: string) => {
      const a = inner.getBoundingClientRect();
      const b = outer.getBoundingClientRect();
      expect(a.right, `${what}: right edge`).to.be.at.most(b.right + 0.5);
      expect(a.left, `${what}: left edge`).to.be.at.least(b.left - 0.5);
    };
    try {
      for (const width of [360, 800, 860, 1280]) {
        await setViewport({ width, height: 900 });
        const { panel, table } = await itemsTab(s.source);
        for (const key of ['product:TENT', 'variant:TENT-2-GRN']) {
                await until(() => rows(table).some((r) => r.dataset.key === key));
          rows(table)
            .find((r) => r.dataset.key === key)!
            .click();
          await settle(table);
          const detail = deep(table, '[part="detail"]');
          expect(detail.scrollWidth, `${width}px, ${key}: the details do not scroll sideways`).to.be.at.most(detail.clientWidth);
          for (const el of deepAll(detail, '.errors li, .errors li > *')) within(el, detail, `${width}px, ${key}: ${el.className || el.tagName}`);
        }
        const groups = deep(table, '[part="error-groups"]');
        expect(groups.scrollWidth, `${width}px: the groups do not scroll sideways`).to.be.at.most(groups.clientWidth);
        for (const el of deepAll(groups, 'li')) within(el, groups, `${width}px: a group`);
        const base = panel.shadowRoot!.querySelector('[part="base"]')!;
        expect(base.scrollWidth, `${width}px: the panel keeps its width`).to.be.at.most(width);
        panel.remove();
      }
      // The URL wraps over several lines rather than being cut.
      await setViewport({ width: 360, height: 900 });
      const { table } = await itemsTab(s.source);
        await until(() => rows(table).length > 0);
      rows(table)
        .find((r) => r.dataset.key === 'product:TENT')!
        .click();
      await settle(table);
      const message = deep(table, '[part="detail"] .message');
      expect(text(message)).to.equal(IMAGE_ERROR.message);
      expect(message.getBoundingClientRect().height).to.be.greaterThan(3 * parseFloat(getComputedStyle(message).lineHeight), 'wrapped over several lines');
      expect(message.scrollWidth).to.be.at.most(message.clientWidth);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('retries all failed items of the current filter through the source; a host may veto', async () => {
    const { source } = await completedWithErrors();
    const { table } = await itemsTab(source);
    const ref = deep<HTMLInputElement>(table, 'input[name="ref"]');
    ref.value = 'BAD001';
    ref.dispatchEvent(new Event('change'));
    await table.loaded;
    await settle(table);
    const button = deep<HTMLButtonElement>(table, '[part="retry-failed"]');
    expect(text(button)).to.equal('Retry all failed items (1)');

    let veto = true;
    table.addEventListener('shopsync-retry-request', (e) => veto && e.preventDefault());
    button.click();
    await settle(table);
    expect((await source.queryItems({ status: 'pending' })).total).to.equal(0, 'vetoed');
    veto = false;
    button.click();
    await until(() => text(table).includes('1 item was queued again.'));
    const pending = await source.queryItems({ status: 'pending' });
    expect(pending.items.map((i: ItemView) => i.ref)).to.deep.equal(['BAD001'], 'only the failed items of the filter');
  });

  it('updates live as items change', async () => {
    const { source, engine } = makeSource({}, new FakeTarget({ outcomes: failBad }));
    await engine.enqueue(products(3));
    const { table } = await itemsTab(source);
    expect(text(deep(table, '.count'))).to.equal('3 items');
    await engine.enqueue([product('NEW1'), product('BAD9')]);
    await engine.start();
    await until(() => text(deep(table, '.count')) === '5 items');
    await until(() => rows(table).some((r) => r.dataset.key === 'product:BAD9' && text(r).includes('Error')));
  });

  it('a virtualized list: 100,000 items render only the rows in view, placed without a style attribute, and load pages as it scrolls', async () => {
    // A host page whose CSP has style-src without 'unsafe-inline' blocks style attributes: rows are placed through the CSSOM.
    const styleWrites: string[] = [];
    Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
      if (name.toLowerCase() === 'style') styleWrites.push(`${this.className}: ${value}`);
      return SET_ATTRIBUTE.call(this, name, value);
    };
    const total = 100_000;
    const item = (i: number): ItemView => ({
      v: 1,
      entity: 'product',
      ref: `SKU-${String(i).padStart(6, '0')}`,
      op: 'upsert',
      status: i % 10 === 0 ? 'error' : 'complete',
      errors: i % 10 === 0 ? [{ message: 'bad' }] : [],
      updatedAt: new Date(Date.UTC(2026, 0, 1) - i * 1000).toISOString(),
      consecutiveFailures: 0,
    });
    const queries: number[] = [];
    const source = {
      connectorId: 'x',
      listEvents: async () => ({ items: [], total: 0 }),
      getEvent: async () => undefined,
      queryItems: async (q: { offset?: number; limit?: number }) => {
        queries.push(q.offset ?? 0);
        const offset = q.offset ?? 0;
        const n = Math.min(q.limit ?? 50, total - offset);
        return { total, items: Array.from({ length: n }, (_, i) => item(offset + i)) };
      },
      summarizeItemErrors: async () => ({ failedItems: 10_000, repeatedFailures: 0, groups: [{ message: 'bad', count: 10_000 }] }),
      downloadLogs: async () => ({ filename: '', contentType: '', content: '' }),
      connectorState: async () => ({ connectorId: 'x', enabled: true, running: false }),
      subscribe: () => () => undefined,
      retryItem: async () => 0,
      retryFailed: async () => 0,
      setEnabled: async () => undefined,
    };
    const { table } = await itemsTab(source);
    expect(text(deep(table, '.count'))).to.equal('100,000 items');
    expect(rows(table).length).to.be.within(5, 60, 'only the rows in view (and a margin) are in the DOM');
    const list = deep(table, '[part="list"]');
    list.scrollTop = list.scrollHeight / 2;
    await until(() => keys(table).some((k) => k === 'product:SKU-050000' || k?.startsWith('product:SKU-0499') || k?.startsWith('product:SKU-0500')));
    expect(queries.some((o) => o >= 49_000 && o <= 50_100)).to.equal(true);
    expect(rows(table).length).to.be.below(60);
    // The rows are stacked in order, one row height apart, and the list's view is covered by them.
    await settle(table);
    const shown = rows(table)
      .map((r) => ({ n: Number(r.dataset.key!.replace(/\D/g, '')), box: r.getBoundingClientRect() }))
      .sort((a, b) => a.n - b.n);
    const height = shown[0]!.box.height;
    expect(height).to.be.greaterThan(40);
    for (const [i, r] of shown.entries()) expect(r.box.top - shown[0]!.box.top).to.be.closeTo((r.n - shown[0]!.n) * height, 1, `row ${r.n} in place (${i})`);
    const view = list.getBoundingClientRect();
    expect(shown[0]!.box.top).to.be.at.most(view.top);
    expect(shown.at(-1)!.box.bottom).to.be.at.least(view.bottom);
    expect(styleWrites, 'style attributes written').to.deep.equal([]);
  });
});
