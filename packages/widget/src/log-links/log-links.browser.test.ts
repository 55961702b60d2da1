/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { completedClean, deepAll, panelOn, text, until } from '../test-support/helpers.js';

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
