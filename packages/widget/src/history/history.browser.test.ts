/// <reference types="mocha" />
import { expect, fixture, html } from '@open-wc/testing';
import type { Iteration } from '@shopsync/core';
import type { ShopsyncHistory } from '../index.js';
import { deep, deepAll, text } from '../test-support/helpers.js';

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
