import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SyncEngine, type Change, type PushContext, type PushResult, type TargetItem } from '@shopsync/core';
import { FakeTarget } from '@shopsync/core/testing';

const connector = { id: 'store-1', shopDomain: 'demo.myshopify.com', apiVersion: '2026-07' };
const product = (ref: string): Change => ({ entity: 'product', op: 'upsert', ref, data: { title: `Product ${ref}` } });

/** A target whose store takes some products but knows their outcome only after some checks (images being processed). */
class ProcessingTarget extends FakeTarget {
  /** key -> how many more pushes it waits. */
  readonly checksLeft: Map<string, number>;
  /** The refs of every push, waiting ones included. */
  readonly handed: string[][] = [];

  constructor(waits: Record<string, number>, options: ConstructorParameters<typeof FakeTarget>[0] = {}) {
    super(options);
    this.checksLeft = new Map(Object.entries(waits));
  }

  override async push(items: readonly TargetItem[], ctx: PushContext): Promise<PushResult> {
    this.handed.push(items.map((i) => i.ref));
    const waiting = items.filter((i) => (this.checksLeft.get(i.key) ?? 0) > 0);
    const result = await super.push(
      items.filter((i) => !waiting.includes(i)),
      ctx,
    );
    for (const i of waiting) {
      this.checksLeft.set(i.key, this.checksLeft.get(i.key)! - 1);
      result.outcomes.push({ key: i.key, status: 'waiting', reason: 'media_processing', retryAfterMs: 5 });
    }
    if (waiting.length) ctx.log('info', `Shopify is processing the images of ${waiting.length} products.`);
    return result;
  }
}

describe('sync engine: outcomes the store gives later (images being processed)', () => {
  it('a waiting product stays pending and queued, is handed back until its outcome is known, and is counted once', async () => {
    const target = new ProcessingTarget({ 'product:P1': 3 });
    const engine = new SyncEngine({ connector, target, batchSize: 10, maxFailedIterations: 2, retryBackoff: { baseMs: 0, maxMs: 0 } });
    const pending: number[] = [];
    engine.on('iterationCompleted', ({ event: e }) => pending.push(e.pending.products));
    await engine.enqueue([product('P1'), product('P2')]);
    const event = await engine.start();

    assert.equal(event.status, 'completed');
    assert.deepEqual(event.generalErrors, [], 'waiting is not a failure: no "store gave no result", no exhaustion after 2 rounds');
    // First push: P2 synced, P1 waiting. Then three pushes of P1 alone: two waits, one outcome.
    assert.deepEqual(
      target.handed,
      [['P1', 'P2'], ['P1'], ['P1'], ['P1']],
    );
    // Rounds where everything waited record no iteration: History shows only the work done.
    assert.deepEqual(
      event.iterations.map((i) => i.synced.products),
      [1, 1],
    );
    assert.deepEqual(pending, [1, 0], 'after the first iteration P1 still counts as pending');
    assert.deepEqual(event.pending, { categories: 0, products: 0, variants: 0 });
    const items = await engine.queryItems({});
    assert.deepEqual(
      items.items.map((i) => [i.ref, i.status]).sort(),
      [
        ['P1', 'complete'],
        ['P2', 'complete'],
      ],
    );
    const logs = await engine.exportLogs(event.id, 'jsonl');
    assert.match(logs, /processing the images of 1 products/, 'the target’s note of a waiting round is kept in the log');
  });

  it('a product that waits and then fails is an item error, with the store’s reason, ready to retry', async () => {
    const target = new ProcessingTarget({ 'product:P1': 1 }, { outcomes: { 'product:P1': { errors: [{ code: 'IMAGE_DOWNLOAD_FAILURE', message: 'Image 1 could not be downloaded.' }] } } });
    const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 } });
    await engine.enqueue([product('P1')]);
    const event = await engine.start();
    assert.equal(event.status, 'completed');
    assert.equal(event.iterations.length, 1);
    assert.equal(event.iterations[0]!.failed.products, 1);
    const [item] = (await engine.queryItems({ status: 'error' })).items;
    assert.equal(item?.ref, 'P1');
    assert.equal(item?.errors[0]?.code, 'IMAGE_DOWNLOAD_FAILURE');
    assert.ok(item?.change, 'the change is kept, so the item can be retried');
  });

  it('a stop while everything waits leaves the items queued for the next run', async () => {
    const target = new ProcessingTarget({ 'product:P1': 1_000 });
    const engine = new SyncEngine({ connector, target, retryBackoff: { baseMs: 0, maxMs: 0 } });
    await engine.enqueue([product('P1')]);
    const stop = new AbortController();
    const run = engine.start({ signal: stop.signal });
    while (target.handed.length < 3) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    const event = await run;
    assert.equal(event.status, 'completed');
    assert.deepEqual(event.pending, { categories: 0, products: 1, variants: 0 });
    assert.deepEqual(
      event.generalErrors.map((g) => g.code),
      ['stopped'],
    );
  });
});
