// Page of `npm run bench:widget`: renders <shopsync-panel> on an in-memory SyncSource holding one
// event with 1,000 iterations and 100,000 items, then feeds it 1,000 updates a second.
import type { ItemPageQuery, ItemView, SourceChange, SourceListener, SyncEvent, SyncSource } from '@shopsync/core';
import '../packages/widget/src/define.ts';
import type { ShopsyncItemTable, ShopsyncPanel } from '../packages/widget/src/index.ts';

const ITERATIONS = 1_000;
const ITEMS = 100_000;
const t0 = Date.UTC(2026, 0, 15, 12);
const iso = (ms: number) => new Date(ms).toISOString();

const event: SyncEvent = {
  v: 1,
  id: 'evt_bench',
  connectorId: 'bench',
  status: 'in_progress',
  trigger: 'manual',
  startedAt: iso(t0),
  pending: { categories: 0, products: 5_000, variants: 20_000 },
  generalErrors: Array.from({ length: 20 }, (_, i) => ({ at: iso(t0 + i * 60_000), code: 'throttled' as const, message: `Throttled ${i}`, iteration: i + 1 })),
  config: {
    shopDomain: 'bench.myshopify.com',
    apiVersion: { requested: '2025-10', status: 'supported', endsSoon: false, supportEndsAt: '2026-10-01T17:00:00.000Z' },
    disableDeletions: false,
    overwriteStock: true,
    includeEmptyCategories: false,
    language: 'en',
  },
  iterations: Array.from({ length: ITERATIONS }, (_, i) => ({
    index: i + 1,
    startedAt: iso(t0 + i * 1_000),
    endedAt: iso(t0 + i * 1_000 + 900),
    synced: { categories: i % 3, products: 20, variants: 75 },
    failed: { categories: 0, products: i % 7 === 0 ? 2 : 0, variants: 0 },
    skipped: { categories: 0, products: 1, variants: 2 },
  })),
  logsAvailable: true,
  pausedAt: [],
  resumedAt: [],
};

const items: ItemView[] = Array.from({ length: ITEMS }, (_, i) => ({
  v: 1,
  entity: i % 10 === 0 ? 'product' : 'variant',
  ref: `SKU-${String(i).padStart(6, '0')}`,
  op: 'upsert',
  status: i % 50 === 0 ? 'error' : 'complete',
  errors: i % 50 === 0 ? [{ code: 'INVALID', field: ['price'], message: 'Price must be greater than 0' }] : [],
  updatedAt: iso(t0 + (ITEMS - i) * 10),
  consecutiveFailures: i % 500 === 0 ? 3 : i % 50 === 0 ? 1 : 0,
}));

const listeners = new Set<SourceListener>();
const emit = (c: SourceChange) => listeners.forEach((l) => l(c));

const match = (q: ItemPageQuery) => (i: ItemView) =>
  (!q.ref || i.ref.includes(q.ref)) && (!q.status || i.status === q.status) && (!q.entity || i.entity === q.entity) && (!q.since || i.updatedAt >= q.since);

const source: SyncSource = {
  connectorId: 'bench',
  listEvents: async () => ({ items: [event], total: 1 }),
  getEvent: async () => event,
  queryItems: async (q = {}) => {
    const all = q.ref || q.status || q.entity || q.since ? items.filter(match(q)) : items;
    const offset = q.offset ?? 0;
    return { total: all.length, items: all.slice(offset, offset + (q.limit ?? 50)) };
  },
  summarizeItemErrors: async () => ({ failedItems: ITEMS / 50, repeatedFailures: ITEMS / 500, groups: [{ code: 'INVALID', field: ['price'], message: 'Price must be greater than 0', count: ITEMS / 50 }] }),
  downloadLogs: async () => ({ filename: 'x.csv', contentType: 'text/csv', content: '' }),
  connectorState: async () => ({ connectorId: 'bench', enabled: true, running: true, runningEventId: event.id, throughput: { processed: 95_000, remaining: 25_000, itemsPerSecond: 105, etaMs: 238_000 } }),
  subscribe: (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  retryItem: async () => 0,
  retryFailed: async () => 0,
  setEnabled: async () => undefined,
};

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
function deepAll(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepAll(el.shadowRoot));
  }
  return out;
}
async function allUpdated(el: Element) {
  for (let i = 0; i < 3; i++) await Promise.all([el, ...deepAll(el.shadowRoot!)].map((e) => (e as Partial<ShopsyncPanel>).updateComplete));
}

async function firstRender(): Promise<{ overview: number; items: number }> {
  const panel = document.createElement('shopsync-panel');
  panel.locale = 'en';
  const start = performance.now();
  panel.source = source;
  document.body.append(panel);
  await panel.ready;
  await allUpdated(panel);
  const overview = performance.now() - start;
  const t1 = performance.now();
  panel.tab = 'items';
  await panel.updateComplete;
  const table = panel.shadowRoot!.querySelector<ShopsyncItemTable>('shopsync-item-table')!;
  await table.updateComplete;
  await table.loaded;
  await allUpdated(panel);
  while (!table.shadowRoot!.querySelector('[part="row"]')) await frame();
  const itemsMs = performance.now() - t1;
  panel.remove();
  return { overview, items: itemsMs };
}

async function updatesPerSecond(seconds = 3): Promise<{ renders: number; frames: number; updates: number; ms: number }> {
  const panel = document.createElement('shopsync-panel');
  panel.source = source;
  document.body.append(panel);
  await panel.ready;
  await allUpdated(panel);
  let renders = 0;
  const proto = Object.getPrototypeOf(panel) as { updated: (c: unknown) => void };
  const original = proto.updated;
  // Count every render of this panel (updated() runs once per render).
  (panel as unknown as { updated: (c: unknown) => void }).updated = function (this: ShopsyncPanel, c: unknown) {
    renders += 1;
    original.call(this, c);
  };
  let frames = 0;
  let running = true;
  const countFrames = () => {
    frames += 1;
    if (running) requestAnimationFrame(countFrames);
  };
  requestAnimationFrame(countFrames);
  let updates = 0;
  const start = performance.now();
  let pending = 25_000;
  let index = ITERATIONS;
  // 1,000 updates a second: every 10 ms, 10 changes (pending counters, and an iteration every 20th).
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((performance.now() - start) / 1000) * 1000) - updates;
      for (let i = 0; i < due; i++) {
        updates += 1;
        if (updates % 20 === 0) {
          index += 1;
          const it = { index, startedAt: iso(t0 + index * 1000), endedAt: iso(t0 + index * 1000 + 900), synced: { categories: 0, products: 5, variants: 15 }, failed: { categories: 0, products: 0, variants: 0 }, skipped: { categories: 0, products: 0, variants: 0 } };
          event.iterations = [...event.iterations, it];
          emit({ type: 'iterationCompleted', connectorId: 'bench', eventId: event.id, iteration: it, event: { ...event, pending: { ...event.pending } } });
        } else {
          pending = Math.max(0, pending - 1);
          emit({ type: 'pendingChanged', connectorId: 'bench', eventId: event.id, pending: { categories: 0, products: Math.floor(pending / 5), variants: pending - Math.floor(pending / 5) } });
        }
      }
      if (performance.now() - start >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  const ms = performance.now() - start;
  running = false;
  await frame();
  panel.remove();
  return { renders, frames, updates, ms };
}

// `?first`: one cold first render in a fresh page (then a warm one); `?live`: the live updates.
if (location.search.includes('first')) {
  const cold = await firstRender();
  await frame();
  const warm = await firstRender();
  (globalThis as { benchResult?: unknown }).benchResult = { cold, warm };
} else {
  (globalThis as { benchResult?: unknown }).benchResult = { live: await updatesPerSecond(3) };
}
