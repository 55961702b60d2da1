/// <reference types="mocha" />
// A host's stylesheet restyles <shopsync-panel> through `::part()`: every part the package README
// promises (parts-docs.test.ts checks it lists what the class JSDoc lists) is reached by a rule
// `shopsync-panel::part(name)` in the host's document, changing the computed style of the element
// inside; and no part the docs leave out is reachable.
import { expect, fixture, html } from '@open-wc/testing';
import type { SyncEvent, SyncSource } from '@shopsync/core';
import type { ShopsyncPanel, ShopsyncSynchronization } from '../index.js';
import { craftedEvent, craftedSource } from '../test-support/crafted-source.js';
import { deep, deepAll, settle, until } from '../test-support/helpers.js';

/** The parts the package README promises, read from its parts table. */
async function promisedParts(): Promise<string[]> {
  const readme = await (await fetch('/packages/widget/README.md')).text();
  const table = readme.slice(readme.indexOf('<!-- parts:start -->'), readme.indexOf('<!-- parts:end -->'));
  return [...table.matchAll(/^\| `([\w-]+)` \|/gm)].map((m) => m[1]!);
}

/** `[inner, outer]` pairs of an element's `exportparts`. */
const exported = (el: Element) =>
  (el.getAttribute('exportparts') ?? '')
    .split(',')
    .map((entry) => entry.split(':').map((s) => s.trim()))
    .filter(([inner]) => inner)
    .map(([inner, outer]) => [inner!, outer ?? inner!] as const);

/** The elements a `host::part(name)` rule selects, following `exportparts` down the shadow trees. */
function partTargets(host: Element, name: string): Element[] {
  const root = host.shadowRoot;
  if (!root) return [];
  const found = [...root.querySelectorAll(`[part~="${name}"]`)];
  for (const el of root.querySelectorAll('[exportparts]')) for (const [inner, outer] of exported(el)) if (outer === name) found.push(...partTargets(el, inner));
  return found;
}

/** Every part name `host::part(…)` can reach now. */
function reachableParts(host: Element): Set<string> {
  const root = host.shadowRoot;
  const names = new Set<string>();
  if (!root) return names;
  for (const el of root.querySelectorAll('[part]')) for (const n of el.getAttribute('part')!.split(/\s+/)) if (n) names.add(n);
  for (const el of root.querySelectorAll('[exportparts]')) {
    const inside = reachableParts(el);
    for (const [inner, outer] of exported(el)) if (inside.has(inner)) names.add(outer);
  }
  return names;
}

const OUTLINE = ['rgb(4, 5, 6)', 'dotted', '7px'];
const outline = (el: Element) => {
  const s = getComputedStyle(el);
  return [s.outlineColor, s.outlineStyle, s.outlineWidth];
};

/** Asserts that a host rule `shopsync-panel::part(name)` restyles every element of that part, and only while the rule is there. */
function expectRestyled(panel: ShopsyncPanel, name: string) {
  const targets = partTargets(panel, name);
  expect(targets.length, `${name}: rendered`).to.be.greaterThan(0);
  for (const el of targets) expect(outline(el), `${name}: not restyled before the rule`).not.to.deep.equal(OUTLINE);
  const rule = document.createElement('style');
  rule.textContent = `shopsync-panel::part(${name}) { outline: 7px dotted rgb(4, 5, 6); }`;
  document.head.append(rule);
  try {
    for (const el of targets) expect(outline(el), `${name}: <${el.localName} part="${el.getAttribute('part')}"> restyled by the host's rule`).to.deep.equal(OUTLINE);
  } finally {
    rule.remove();
  }
  for (const el of targets) expect(outline(el), `${name}: back once the rule is gone`).not.to.deep.equal(OUTLINE);
}

async function panelShowing(source: SyncSource, eventId = '') {
  const panel = await fixture<ShopsyncPanel>(html`<shopsync-panel .source=${source} locale="en" event-id=${eventId}></shopsync-panel>`);
  await panel.ready;
  await settle(panel);
  return panel;
}

/** Every part of the panel on screen at once, as far as one event allows: each tab visited, the dialog open, an item chosen. */
async function everyPartOf(source: SyncSource, eventId = '') {
  const panel = await panelShowing(source, eventId);
  deep<HTMLButtonElement>(panel, '[part="info-button"]').click();
  panel.tab = 'events';
  await settle(panel);
  panel.tab = 'items';
  await settle(panel);
  const table = deep(panel, 'shopsync-item-table');
  await until(() => deepAll(table, '[part="row"]').length > 0);
  deepAll<HTMLButtonElement>(table, '[part="row"]')[0]!.click();
  await settle(panel);
  panel.tab = 'overview';
  await settle(panel);
  // Blocks shown again play their arrival animation (an outline): over before styles are compared.
  const arrivals = deepAll(panel, '*').flatMap((el) => el.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity));
  await Promise.all(arrivals.map((a) => a.finished));
  const sync = deep<ShopsyncSynchronization>(panel, 'shopsync-synchronization');
  if (sync.event?.generalErrors.length) await sync.showGeneralErrors();
  return panel;
}

describe('::part() from the host page', () => {
  const older = craftedEvent('e1', 'completed');
  const scenarios: Array<[string, () => Promise<ShopsyncPanel>]> = [
    // An older event shown (the link back to the latest), with errors, warnings, failed items, 30 iterations.
    ['Completed, an older event', () => everyPartOf(craftedSource([craftedEvent('e2', 'completed'), older]), 'e1')],
    ['Error', () => everyPartOf(craftedSource([craftedEvent('e3', 'error')]))],
    ['Paused, connector disabled', () => everyPartOf(craftedSource([craftedEvent('e4', 'paused')], { enabled: false }))],
    [
      'In Progress',
      () => everyPartOf(craftedSource([craftedEvent('e5', 'in_progress')], { running: true, runningEventId: 'e5', throughput: { processed: 600, remaining: 100, itemsPerSecond: 12, etaMs: 60_000 } })),
    ],
  ];

  it('a host rule shopsync-panel::part(name) restyles the element inside, for every part the docs promise; no other part is reachable', async () => {
    const promised = await promisedParts();
    expect(promised.length, 'the README promises parts').to.be.greaterThan(40);
    const seen = new Set<string>();
    for (const [what, render] of scenarios) {
      const panel = await render();
      const reachable = reachableParts(panel);
      const unpromised = [...reachable].filter((n) => !promised.includes(n));
      expect(unpromised, `${what}: reachable but not in the docs`).to.deep.equal([]);
      for (const name of reachable) {
        expectRestyled(panel, name);
        seen.add(name);
      }
      deepAll<HTMLDialogElement>(panel, 'dialog').forEach((d) => d.open && d.close());
      panel.remove();
    }
    expect(promised.filter((n) => !seen.has(n)), 'promised parts never reached').to.deep.equal([]);
  });

  it('status-badge reaches every status badge: the event shown and each row of the event list', async () => {
    const events: SyncEvent[] = [craftedEvent('e2', 'in_progress'), craftedEvent('e1', 'completed')];
    const panel = await everyPartOf(craftedSource(events));
    const badges = partTargets(panel, 'status-badge');
    expect(badges.map((b) => b.localName)).to.deep.equal(['shopsync-status-badge', 'shopsync-status-badge', 'shopsync-status-badge']);
    const rule = document.createElement('style');
    rule.textContent = 'shopsync-panel::part(status-badge-base) { border-radius: 3px; } shopsync-panel::part(status-badge-label) { text-transform: uppercase; }';
    document.head.append(rule);
    try {
      for (const badge of badges) {
        expect(getComputedStyle(deep(badge, '[part="base"]')).borderTopLeftRadius).to.equal('3px');
        expect(getComputedStyle(deep(badge, '[part="label"]')).textTransform).to.equal('uppercase');
      }
    } finally {
      rule.remove();
    }
    expect(getComputedStyle(deep(badges[0]!, '[part="base"]')).borderTopLeftRadius).to.equal('999px', 'the pill again without the rule');
  });

  it('the error dialog is restyled through the panel while open as a modal', async () => {
    const panel = await everyPartOf(craftedSource([craftedEvent('e1', 'completed')]));
    const dialog = partTargets(panel, 'error-dialog')[0] as HTMLDialogElement;
    expect(dialog.open && dialog.matches(':modal')).to.equal(true);
    const rule = document.createElement('style');
    rule.textContent = 'shopsync-panel::part(error-dialog) { border-color: rgb(9, 8, 7); } shopsync-panel::part(error-dialog-warning) { background-color: rgb(1, 2, 3); }';
    document.head.append(rule);
    try {
      expect(getComputedStyle(dialog).borderTopColor).to.equal('rgb(9, 8, 7)');
      expect(getComputedStyle(deep(dialog, '[part="warning"]')).backgroundColor).to.equal('rgb(1, 2, 3)');
    } finally {
      rule.remove();
      dialog.close();
    }
    expect(getComputedStyle(deep(dialog, '[part="warning"]')).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
  });
});
