/// <reference types="mocha" />
// <shopsync-panel src="…">: the panel reads a server's engine over HTTP + Server-Sent Events
// (the sync handler the test runner serves: packages/adapters/http/test/browser/test-server.ts).
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { ShopsyncPanel } from '../index.js';
import { deep, makeSource, settle, text } from '../test-support/helpers.js';

const BASE = '/shopsync-test/api';
const server = <T = unknown>(payload: Record<string, unknown>) => executeServerCommand<T, Record<string, unknown>>('shopsync-http', payload);
const clients = async () => (await server<{ clients: number }>({ action: 'stats' }))!.clients;

async function until(test: () => boolean | Promise<boolean>, ms = 8_000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!(await test())) {
    if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const status = (el: ShopsyncPanel) => text(deep(deep(el, 'shopsync-synchronization'), 'shopsync-status-badge'));

describe('<shopsync-panel src>', () => {
  beforeEach(async () => {
    await server({ action: 'reset' });
  });

  it('builds an HttpSyncSource from src and renders live data from the server engine', async () => {
    await server({ action: 'enqueue', count: 4 });
    const first = (await server<{ id: string }>({ action: 'run' }))!;
    const el = await fixture<ShopsyncPanel>(html`<shopsync-panel src=${BASE} locale="en"></shopsync-panel>`);
    await el.ready;
    await settle(el);
    expect(el.source).to.equal(undefined, '.source stays the host’s');
    expect(el.event?.id).to.equal(first.id);
    expect(status(el)).to.equal('Completed');
    expect(el.connector?.connectorId).to.equal('store-1');

    // A new run on the server shows up live: In Progress while it waits, Completed after.
    await server({ action: 'enqueue', count: 9 });
    const second = (await server<{ id: string }>({ action: 'run-gated' }))!;
    await until(() => el.event?.id === second.id && status(el) === 'In Progress', 8_000, 'the new run in progress');
    await server({ action: 'release' });
    await until(() => el.event?.id === second.id && status(el) === 'Completed', 8_000, 'the new run completed');
    await settle(el);
    expect(text(deep(deep(el, 'shopsync-synchronization'), '[part="pending"]'))).to.match(/Products 0/);

    // The parts read the same remote source: the event list lists both runs.
    el.tab = 'events';
    await settle(el);
    const list = deep(el, 'shopsync-event-list');
    await until(() => list.shadowRoot!.querySelectorAll('[part="event"]').length === 2, 8_000, 'two events in the list');
    await expect(el).to.be.accessible();
  });

  it('closes its source when disconnected or when src changes; .source takes precedence', async () => {
    const el = await fixture<ShopsyncPanel>(html`<shopsync-panel src=${BASE} locale="en"></shopsync-panel>`);
    await el.ready;
    await until(async () => (await clients()) === 1, 8_000, 'one stream');

    el.src = `${BASE}/`; // the same handler by another spelling: a new source, the old one closed
    await el.ready;
    await settle(el);
    await until(async () => (await clients()) === 1, 8_000, 'still one stream after src changed');

    const { source } = makeSource();
    el.source = source;
    await el.ready;
    await settle(el);
    await until(async () => (await clients()) === 0, 8_000, 'no stream once .source is set');
    el.source = undefined;
    await el.ready;
    await until(async () => (await clients()) === 1, 8_000, 'the src stream again');

    el.remove();
    await until(async () => (await clients()) === 0, 8_000, 'no stream once disconnected');
  });

  it('reloads what it shows when the stream reports missed changes', async () => {
    await server({ action: 'enqueue', count: 2 });
    await server({ action: 'run' });
    const el = await fixture<ShopsyncPanel>(html`<shopsync-panel src=${BASE} locale="en"></shopsync-panel>`);
    await el.ready;
    const before = el.event!.id;
    // The server restarts (ids from before mean nothing to it) and a run happens meanwhile.
    await server({ action: 'restart-handler' });
    await server({ action: 'enqueue', count: 2 });
    const next = (await server<{ id: string }>({ action: 'run' }))!;
    expect(next.id).to.not.equal(before);
    await until(() => el.event?.id === next.id && status(el) === 'Completed', 10_000, 'the reload after the reset');
  });
});
