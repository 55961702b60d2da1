/// <reference types="mocha" />
// Theming (tokens, light and dark) and layout: at 320 px wide, as a phone's viewport or as a narrow
// container on a wide page, the panel fits: the tabs wrap rather than scroll sideways, and nothing
// in any tab is wider than the panel.
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { ShopsyncPanel } from '../index.js';
import { craftedEvent, craftedSource } from '../test-support/crafted-source.js';
import { completedClean, completedWithErrors, deep, deepAll, panelOn, settle, until } from '../test-support/helpers.js';

describe('theming', () => {
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
/** Elements inside the panel (through every shadow root) that stick out of its frame sideways. */
function outside(panel: ShopsyncPanel): string[] {
  const frame = deep(panel, '[part="base"]').getBoundingClientRect();
  return deepAll(panel, '*')
    .filter((el) => el.checkVisibility() && !el.closest('.visually-hidden'))
    .filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.left < frame.left - 0.5 || r.right > frame.right + 0.5);
    })
    .map((el) => `<${el.localName} class="${el.getAttribute('class') ?? ''}" part="${el.getAttribute('part') ?? ''}">`);
}

/** Shows each tab in turn and checks that nothing scrolls or sticks out sideways. */
async function expectFits(panel: ShopsyncPanel, width: number, what: string) {
  const base = deep(panel, '[part="base"]');
  expect(base.getBoundingClientRect().width, `${what}: the panel is ${width} px wide`).to.be.closeTo(width, 0.5);
  const strip = deep(panel, '[part="tabs"]');
  for (const tab of ['overview', 'items', 'events'] as const) {
    panel.tab = tab;
    await settle(panel);
    if (tab === 'items') {
      const table = deep(panel, 'shopsync-item-table');
      await until(() => deepAll(table, '[part="row"]').length > 0);
      deepAll<HTMLButtonElement>(table, '[part="row"]')[0]!.click(); // the details, beside or below the list
      await settle(panel);
    }
    const at = `${what}, ${tab} tab`;
    expect(strip.scrollWidth, `${at}: the tab strip does not scroll sideways`).to.be.at.most(strip.clientWidth);
    expect(getComputedStyle(strip).overflowX, `${at}: the tab strip is no scroller`).to.equal('visible');
    for (const t of deepAll(strip, '[role="tab"]')) {
      const r = t.getBoundingClientRect();
      const s = strip.getBoundingClientRect();
      expect(r.left >= s.left - 0.5 && r.right <= s.right + 0.5, `${at}: tab "${t.textContent!.trim()}" within the strip`).to.equal(true);
      expect(t.scrollWidth, `${at}: tab "${t.textContent!.trim()}" shows its whole label`).to.be.at.most(t.clientWidth);
    }
    expect(base.scrollWidth, `${at}: the panel does not scroll sideways`).to.be.at.most(base.clientWidth);
    expect(panel.scrollWidth, `${at}: the panel element keeps its width`).to.be.at.most(width);
    expect(outside(panel), `${at}: nothing sticks out of the panel`).to.deep.equal([]);
  }
  panel.tab = 'overview';
  await settle(panel);
}

/** Everything at once: errors, warnings, 30 iterations, the longest pending counts, a deprecated API version, locations. */
const everything = () =>
  craftedSource([craftedEvent('e2', 'in_progress'), craftedEvent('e1', 'completed')], {
    running: true,
    runningEventId: 'e2',
    throughput: { processed: 600, remaining: 1_334_566, itemsPerSecond: 12, etaMs: 3_600_000 },
  });

describe('layout at 320 px', () => {
  for (const locale of ['en', 'es']) {
    it(`${locale}: a 320 px viewport: the tabs wrap, and no tab scrolls or sticks out sideways`, async () => {
      await setViewport({ width: 320, height: 800 });
      document.body.style.margin = '0'; // the panel as wide as the phone's screen
      try {
        const panel = await panelOn(everything(), locale);
        const tabs = deepAll(panel, '[role="tab"]').map((t) => t.getBoundingClientRect());
        expect(new Set(tabs.map((r) => Math.round(r.top))).size, 'the tabs take more than one row').to.be.greaterThan(1);
        await expectFits(panel, 320, `${locale}, 320 px viewport`);
        await expect(panel).to.be.accessible();
      } finally {
        document.body.style.margin = '';
        await setViewport({ width: 800, height: 600 });
      }
    });
  }

  it('a 320 px container on a wide page fits the same (container queries, not the viewport)', async () => {
    await setViewport({ width: 1200, height: 800 });
    try {
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 320px"><shopsync-panel .source=${everything()} locale="es"></shopsync-panel></div>`);
      const panel = wrapper.querySelector('shopsync-panel')!;
      await panel.ready;
      await settle(panel);
      await expectFits(panel, 320, 'es, 320 px container');
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('on a wide panel the tabs stay on one row', async () => {
    const panel = await panelOn(everything(), 'es');
    const tops = deepAll(panel, '[role="tab"]').map((t) => Math.round(t.getBoundingClientRect().top));
    expect(new Set(tops).size).to.equal(1);
  });
});
