import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, flush } from '@shopsync/core/testing';
import { CostPacer, type Ticket } from '../src/target/pacer.js';

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

describe('cost pacer: seeded with the last runner’s bucket, and read back for the next', () => {
  it('a seeded pacer paces its first requests against the seed, refilled since, instead of one at a time', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    const signal = new AbortController().signal;
    assert.equal(pacer.seed(status(100), clock.now() - 2_000), true);
    assert.equal(Math.round(pacer.available()!), 300, '100 points then, and 2 s at 100/s since');
    const t = [granted(pacer.acquire(150, signal)), granted(pacer.acquire(150, signal)), granted(pacer.acquire(150, signal))];
    await flush();
    assert.deepEqual(t.map((x) => !!x.ticket), [true, true, false], 'two go together before any answer; the third does not fit');
    await clock.advance(1_499);
    assert.equal(t[2]!.ticket, undefined);
    await clock.advance(1);
    assert.ok(t[2]!.ticket, '150 points take 1.5 s at 100/s');
  });

  it('a seed long past is a full bucket, never more', () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    pacer.seed(status(0, 1_000, 50), clock.now() - 3_600_000);
    assert.equal(pacer.available(), 1_000);
  });

  it('a seed from the future (another clock ahead of ours) is taken as now', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    pacer.seed(status(0), clock.now() + 60_000);
    assert.equal(pacer.available(), 0, 'nothing refilled yet, and not less than it held');
    assert.equal(pacer.snapshot()!.at, clock.now());
    const a = granted(pacer.acquire(100, new AbortController().signal));
    await clock.advance(999);
    assert.equal(a.ticket, undefined);
    await clock.advance(1);
    assert.ok(a.ticket, 'waits what the bucket needs from now, not a minute more');
  });

  it('the store’s reports win over an older seed; a newer seed replaces an older report', () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    pacer.observe(status(700));
    assert.equal(pacer.seed(status(10), clock.now() - 1), false);
    assert.equal(pacer.snapshot()!.status.currentlyAvailable, 700);
    assert.equal(pacer.seed(status(10), clock.now()), false, 'not newer: the report stands');
    assert.equal(pacer.seed(status(10), clock.now() + 5_000), false, 'from the future is now: still not newer');
  });

  it('a seed without a size or a restore rate is refused, like such a report', () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    assert.equal(pacer.seed(status(0, 0, 100), clock.now()), false);
    assert.equal(pacer.seed(status(0, 1_000, 0), clock.now()), false, 'a zero rate would wait forever');
    assert.equal(pacer.seed(status(Number.NaN), clock.now()), false);
    assert.equal(pacer.seed(status(10), Number.NaN), false);
    assert.equal(pacer.snapshot(), undefined);
  });

  it('snapshot: the last report and when it came, a copy; undefined before any', async () => {
    const clock = new ManualClock();
    const pacer = new CostPacer({ clock, maxInFlight: 4 });
    assert.equal(pacer.snapshot(), undefined);
    pacer.observe(status(420, 1_000, 50));
    const at = clock.now();
    await clock.advance(2_000);
    const snap = pacer.snapshot()!;
    assert.deepEqual(snap, { status: { currentlyAvailable: 420, maximumAvailable: 1_000, restoreRate: 50 }, at });
    snap.status.currentlyAvailable = 0;
    assert.equal(pacer.snapshot()!.status.currentlyAvailable, 420);
  });
});
