/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { FakeTarget } from '@shopsync/core/testing';
import { deep, deepAll, makeSource, panelOn, product, products, settle, text, until } from '../test-support/helpers.js';

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
