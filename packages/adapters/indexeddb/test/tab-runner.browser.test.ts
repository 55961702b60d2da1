import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeQueue, type Change } from '@shopsync/core';
import { IndexedDbStorage, observeConnector, type RelayedMessage } from '@shopsync/indexeddb';
import { dropDb, uniqueDbName } from './helpers.js';

interface TabMessage {
  tab: string;
  role?: string;
  status?: string;
  eventId?: string;
  iteration?: number;
}

const messages: TabMessage[] = [];
window.addEventListener('message', (e: MessageEvent<TabMessage>) => {
  if (e.data && typeof e.data.tab === 'string') messages.push(e.data);
});

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; messages: ${JSON.stringify(messages)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function openTab(tab: string, db: string, connectorId: string): HTMLIFrameElement {
  const frame = document.createElement('iframe');
  frame.name = JSON.stringify({ tab, db, connectorId, latencyMs: 150 });
  frame.srcdoc = '<script type="module" src="/packages/adapters/indexeddb/test/fixtures/tab.ts"></script>';
  document.body.append(frame);
  return frame;
}

describe('one runner across tabs (Web Locks)', () => {
  it('only one tab drives the engine; when it goes away another takes over and finishes the same event', async () => {
    const db = uniqueDbName('tabs');
    const connectorId = `tabs-${Date.now()}`;
    const storage = await IndexedDbStorage.open({ name: db });
    const relayed: RelayedMessage[] = [];
    const stopObserving = observeConnector(connectorId, (m) => relayed.push(m));
    try {
      const products: Change[] = Array.from({ length: 20 }, (_, i) => ({ entity: 'product', op: 'upsert', ref: `P${i}`, data: { title: `Product ${i}` } }));
      await new ChangeQueue(storage, connectorId).enqueue(products);

      const a = openTab('A', db, connectorId);
      await waitFor('A to lead', () => messages.some((m) => m.tab === 'A' && m.role === 'leader'));
      openTab('B', db, connectorId);
      await waitFor('B to wait', () => messages.some((m) => m.tab === 'B' && m.role === 'waiting'));
      await waitFor('A to finish an iteration', () => messages.some((m) => m.tab === 'A' && m.iteration === 1));
      assert.ok(!messages.some((m) => m.tab === 'B' && m.role === 'leader'), 'B must not lead while A does');
      // The relay comes over a BroadcastChannel, the test's own message over postMessage: either may arrive first.
      await waitFor('the other tabs to observe the leader', () => relayed.some((m) => m.type === 'iterationCompleted'));

      a.remove(); // the leading tab goes away mid-run
      await waitFor('B to lead', () => messages.some((m) => m.tab === 'B' && m.role === 'leader'));
      const done = await waitFor('B to complete', () => messages.find((m) => m.tab === 'B' && m.status === 'completed'));
      const started = messages.find((m) => m.tab === 'A' && m.status === 'in_progress');
      assert.equal(done.eventId, started?.eventId, 'B resumed the event A started');

      const event = await storage.getEvent(connectorId, done.eventId!);
      assert.ok(event);
      assert.equal(event.status, 'completed');
      assert.equal(event.iterations.reduce((n, it) => n + it.synced.products, 0), 20, `each product counted once: ${JSON.stringify(event.iterations.map((it) => [it.index, it.synced.products, it.skipped.products]))} ${JSON.stringify(messages)}`);
      assert.deepEqual(await storage.pendingCounts(connectorId), { categories: 0, products: 0, variants: 0 });
    } finally {
      stopObserving();
      for (const f of document.querySelectorAll('iframe')) f.remove();
      await storage.close();
      await new Promise((r) => setTimeout(r, 100));
      await dropDb(db);
    }
  });
});
