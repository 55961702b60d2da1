import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, flush } from '@shopsync/core/testing';
import { CostPacer, type Ticket } from '@shopsync/shopify';

const status = (currentlyAvailable: number, maximumAvailable = 1_000, restoreRate = 100) => ({ currentlyAvailable, maximumAvailable, restoreRate });

function granted(p: Promise<Ticket>): { ticket?: Ticket } {
  const box: { ticket?: Ticket } = {};
  void p.then((t) => (box.ticket = t));
  return box;
}

describe('cost pacer (client side of the leaky bucket)', () => {
  it('sends one request at a time until the store has reported its bucket', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    const signal = new AbortController().signal;
    const a = granted(pacer.acquire(10, signal));
    const b = granted(pacer.acquire(10, signal));
    await flush();
    assert.ok(a.ticket);
    assert.equal(b.ticket, undefined);
    pacer.release(a.ticket, status(990));
    await flush();
    assert.ok(b.ticket);
  });

  it('waits exactly what the bucket needs to refill, no less, no more', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    const signal = new AbortController().signal;
    pacer.observe(status(100));
    const a = granted(pacer.acquire(100, signal));
    await flush();
    assert.ok(a.ticket, 'fits the 100 points there are');
    const b = granted(pacer.acquire(300, signal));
    await clock.advance(2_999);
    assert.equal(b.ticket, undefined, '300 points take 3 s at 100/s');
    await clock.advance(1);
    assert.ok(b.ticket);
  });

  it('grants in order: a large request is not overtaken by small ones', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 10 });
    const signal = new AbortController().signal;
    pacer.observe(status(50));
    const big = granted(pacer.acquire(200, signal));
    const small = granted(pacer.acquire(10, signal));
    await clock.advance(1_000);
    assert.equal(small.ticket, undefined);
    await clock.advance(500);
    assert.ok(big.ticket);
    assert.equal(small.ticket, undefined, 'the big one took the points');
    await clock.advance(100);
    assert.ok(small.ticket);
  });

  it('counts what it sent since the last report, and trusts each new report', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 10, skewMs: 5 });
    const signal = new AbortController().signal;
    pacer.observe(status(1_000));
    const tickets: Array<{ ticket?: Ticket }> = [];
    for (let i = 0; i < 5; i++) tickets.push(granted(pacer.acquire(300, signal)));
    await flush();
    assert.equal(tickets.filter((t) => t.ticket).length, 3, '3 × 300 fit in 1,000');
    // The store answers one, later: it charged the three, refunded part, and says so.
    await clock.advance(10);
    pacer.release(tickets[0]!.ticket!, status(250));
    await flush();
    assert.equal(tickets.filter((t) => t.ticket).length, 3);
    await clock.advance(499);
    assert.equal(tickets.filter((t) => t.ticket).length, 3);
    await clock.advance(1);
    assert.equal(tickets.filter((t) => t.ticket).length, 4, '250 + 50 restored in 0.5 s');
    assert.equal(pacer.inFlight, 3);
  });

  it('a report that follows a grant closely may not include it: the grant stays counted', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 10, skewMs: 30 });
    const signal = new AbortController().signal;
    pacer.observe(status(1_000));
    const a = granted(pacer.acquire(600, signal));
    await flush();
    await clock.advance(10);
    pacer.observe(status(1_000)); // an answer to an earlier request, read 10 ms after the grant
    assert.ok(a.ticket);
    assert.equal(Math.round(pacer.available()!), 400, 'the 600 granted 10 ms ago are still reserved');
    await clock.advance(30);
    pacer.observe(status(400));
    assert.equal(Math.round(pacer.available()!), 400, 'a later report has them charged');
  });

  it('never has more than maxInFlight requests out, whatever the bucket holds', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 2 });
    const signal = new AbortController().signal;
    pacer.observe(status(1_000));
    const t = [granted(pacer.acquire(1, signal)), granted(pacer.acquire(1, signal)), granted(pacer.acquire(1, signal))];
    await flush();
    assert.deepEqual(t.map((x) => !!x.ticket), [true, true, false]);
    pacer.release(t[0]!.ticket!);
    await flush();
    assert.ok(t[2]!.ticket);
  });

  it('an aborted wait rejects with the signal’s reason and lets the next one through', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    pacer.observe(status(0));
    const stop = new AbortController();
    const waiting = pacer.acquire(500, stop.signal);
    const next = granted(pacer.acquire(100, new AbortController().signal));
    stop.abort(new Error('stopped'));
    await assert.rejects(waiting, /stopped/);
    await clock.advance(1_000);
    assert.ok(next.ticket);
  });

  it('a request larger than the bucket waits only for a full bucket', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    pacer.observe(status(0, 100, 100));
    const huge = granted(pacer.acquire(5_000, new AbortController().signal));
    await clock.advance(1_000);
    assert.ok(huge.ticket);
  });
});
