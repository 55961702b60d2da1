/// <reference types="mocha" />
// The pending tiles (categories, products, variants) stay readable at any width: each label and
// number whole, inside its tile, at a readable size; side by side where three fit, one per line
// on a phone (320 px).
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { EntityCounts } from '@shopsync/core';
import type { ShopsyncPendingCounters } from '../index.js';
import { craftedEvent, craftedSource } from '../test-support/crafted-source.js';
import { deep, deepAll, panelOn, text } from '../test-support/helpers.js';

const LARGEST: EntityCounts = { categories: 1_234, products: 98_765, variants: 1_234_567 };

/** Asserts every tile shows its label and number whole, inside the tile, at 12 px or more; returns the tiles. */
function expectReadable(counters: Element, locale: string, what: string): HTMLElement[] {
  const tiles = deepAll(counters, '[part="counter"]');
  expect(tiles, what).to.have.length(3);
  const format = new Intl.NumberFormat(locale);
  for (const tile of tiles) {
    const entity = tile.dataset.entity as keyof EntityCounts;
    const box = tile.getBoundingClientRect();
    expect(tile.scrollWidth, `${what}, ${entity}: nothing overflows the tile`).to.be.at.most(tile.clientWidth);
    for (const el of [deep(tile, 'dt'), deep(tile, 'dd')]) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      const at = `${what}, ${entity} ${el.localName} "${text(el)}"`;
      expect(r.left >= box.left - 0.5 && r.right <= box.right + 0.5, `${at}: inside its tile`).to.equal(true);
      expect(el.scrollWidth, `${at}: not clipped`).to.be.at.most(el.clientWidth);
      expect(style.textOverflow, `${at}: not truncated`).to.equal('clip');
      expect(parseFloat(style.fontSize), `${at}: readable size`).to.be.at.least(12);
    }
    expect(text(deep(tile, 'dd')), `${what}: the whole number`).to.equal(format.format(LARGEST[entity]));
  }
  return tiles;
}

describe('<shopsync-pending-counters>: readable tiles', () => {
  for (const locale of ['en', 'es']) {
    it(`${locale}: in the panel on a 320 px phone, one tile per line, each label and number whole`, async () => {
      await setViewport({ width: 320, height: 800 });
      document.body.style.margin = '0';
      try {
        const panel = await panelOn(craftedSource([craftedEvent('e1', 'in_progress', { pending: LARGEST })]), locale);
        const counters = deep(panel, 'shopsync-pending-counters');
        const tiles = expectReadable(counters, locale, `${locale}, 320 px`);
        const lefts = new Set(tiles.map((t) => Math.round(t.getBoundingClientRect().left)));
        expect(lefts.size, 'stacked: one tile per line').to.equal(1);
        await expect(panel).to.be.accessible();
      } finally {
        document.body.style.margin = '';
        await setViewport({ width: 800, height: 600 });
      }
    });
  }

  it('alone, at 320 px and at 800 px: stacked, then three side by side, readable both ways', async () => {
    for (const [width, across] of [
      [320, 1],
      [800, 3],
    ] as const) {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style="width: ${width}px"><shopsync-pending-counters .pending=${LARGEST}></shopsync-pending-counters></div>`,
      );
      const counters = wrapper.firstElementChild as ShopsyncPendingCounters;
      await counters.updateComplete;
      const tiles = expectReadable(counters, 'en', `${width} px`);
      const tops = new Set(tiles.map((t) => Math.round(t.getBoundingClientRect().top)));
      expect(tops.size, `${width} px: ${across} across`).to.equal(3 / across);
    }
  });
});
