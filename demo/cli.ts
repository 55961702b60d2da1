/**
 * `npm start` until the web demo lands (issue #6): a live run of the core engine in the
 * terminal, against the fake target, with item errors, a general error, changes joining the
 * run and a pause/resume, so that every status of the Activity Register shows up.
 */
import { SyncEngine, totalOf, type Change, type SyncEvent } from '@shopsync/core';
import { SqliteStorage } from '@shopsync/sqlite';
import { FakeTarget } from '@shopsync/core/testing';

const target = new FakeTarget({
  latencyMs: 120,
  outcomes: (item) =>
    item.ref.endsWith('7')
      ? { errors: [{ code: 'INVALID', field: ['input', 'title'], message: 'Title is too long (maximum is 255 characters)' }] }
      : 'synced',
});
// Durable: the queue, history and item statuses survive restarts of the demo (delete the folder to start afresh).
const storage = SqliteStorage.open({ path: new URL('./data/shopsync.sqlite', import.meta.url).pathname });
const engine = new SyncEngine({
  connector: { id: 'demo', shopDomain: 'demo-store.myshopify.com', apiVersion: '2026-01' },
  target,
  storage,
  batchSize: 25,
  iterationDelayMs: 50,
});

const catalog: Change[] = [];
for (let c = 0; c < 10; c++) catalog.push({ entity: 'category', op: 'upsert', ref: `CAT-${c}`, data: { title: `Category ${c}` } });
for (let p = 0; p < 60; p++) {
  catalog.push({ entity: 'product', op: 'upsert', ref: `SKU-${p}`, data: { title: `Product ${p}`, categoryRefs: [`CAT-${p % 10}`] } });
  for (const size of ['S', 'M', 'L']) catalog.push({ entity: 'variant', op: 'upsert', ref: `SKU-${p}-${size}`, parentRef: `SKU-${p}`, data: { price: '19.90', optionValues: { Size: size } } });
}

const line = (s: string) => process.stdout.write(`${s}\n`);
engine.on('statusChanged', ({ status, event }) => line(`● ${status.toUpperCase()}  event ${event.id}`));
engine.on('iterationCompleted', ({ iteration: it, event }) => {
  const eta = engine.throughput()?.etaMs;
  line(
    `  iteration ${it.index}: synced ${it.synced.categories}c ${it.synced.products}p ${it.synced.variants}v, failed ${totalOf(it.failed)}` +
      ` | pending ${event.pending.categories}c ${event.pending.products}p ${event.pending.variants}v` +
      (eta ? ` | ~${Math.ceil(eta / 1000)} s left` : ''),
  );
});
engine.on('generalError', ({ error }) => line(`  ! general error (${error.code}): ${error.message}`));
engine.on('logsAvailable', () => line('  logs are now available for download'));

const history = await engine.listEvents({ limit: 1 });
line(`${history.total} earlier synchronization events in demo/data/shopsync.sqlite.`);
// An event a previous demo left In Progress (stopped with Ctrl-C) resumes first.
const recovered = await engine.recover();
if (recovered) line(`Resumed the interrupted event ${recovered.id}: ${recovered.status}.`);
const snapshot = (await engine.enqueue(catalog)).pending;
line(`Queued ${snapshot.categories} categories, ${snapshot.products} products, ${snapshot.variants} variants.`);
target.failNextPush({ code: 'server_error', message: 'Shopify answered 503 Service Unavailable', httpStatus: 503 });
target.onPush = async (_items, n) => {
  if (n === 3) await engine.enqueue([{ entity: 'product', op: 'upsert', ref: 'SKU-NEW', data: { title: 'Joined mid-run' } }]);
  if (n === 5) {
    line('  (disabling the connector)');
    await engine.setEnabled(false);
    setTimeout(() => {
      line('  (enabling the connector again)');
      void engine.setEnabled(true);
    }, 1_000);
  }
};
const finished = new Promise<SyncEvent>((resolve) =>
  engine.on('statusChanged', ({ status, event }) => {
    if (status === 'completed' || status === 'error') resolve(event);
  }),
);
await engine.start();
const event = await finished;
const failed = await engine.queryItems({ status: 'error', limit: 3 });
line(`\nDone: ${event.status}, ${event.iterations.length} iterations, ${event.generalErrors.length} general errors, ${failed.total} items with errors, e.g.:`);
for (const item of failed.items) line(`  ${item.entity} ${item.ref}: ${item.errors[0]?.message}`);
line('\nRun it again: unchanged items are skipped, and the history grows. The web panel replaces this terminal demo with issue #6.');
await storage.close();
