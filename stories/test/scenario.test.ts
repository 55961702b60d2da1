// The stories' scenarios leave the real engine where each story's name says: the status, the
// iterations done, what failed, a run held at the store's gate that one step moves on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { totalOf } from '@shopsync/core';
import { buildScenario } from '../support/scenario.js';

describe('story scenarios, on the real engine', () => {
  it('completed: every item synchronized or failed, the general errors and the warning recorded, ended before now', async () => {
    const s = await buildScenario({ items: 600, iterations: 4, failedItems: 27, generalErrors: 3, languageWarning: true, history: 3 });
    const ev = s.event!;
    assert.equal(ev.status, 'completed');
    assert.equal(totalOf(ev.pending), 0);
    assert.deepEqual(
      ev.generalErrors.map((g) => g.severity ?? g.code),
      ['warning', 'throttled', 'server_error', 'timeout'],
    );
    assert.equal((await s.source.summarizeItemErrors()).failedItems, 27);
    assert.ok(Date.parse(ev.endedAt!) < Date.now());
    assert.ok(Date.parse(s.connector.nextRunAt!) > Date.now(), 'the next scheduled run is ahead');
    assert.equal((await s.source.listEvents()).total, 4, 'the three events before it, and it');
  });

  it('in progress: held at the gate after the iterations asked for; a step adds one', async () => {
    const s = await buildScenario({ status: 'in_progress', items: 1_200, iterations: 3, pending: 900, history: 0 });
    assert.equal(s.event!.status, 'in_progress');
    assert.equal(s.event!.iterations.length, 3);
    assert.ok(s.held);
    await s.step();
    const ev = await s.source.getEvent(s.event!.id);
    assert.equal(ev!.iterations.length, 4);
    assert.ok(totalOf(ev!.pending) < totalOf(s.event!.pending), 'pending counts fall');
  });

  it('paused, then enabled: the same event resumes In Progress', async () => {
    const paused = await buildScenario({ status: 'paused', items: 1_200, iterations: 2, pending: 900, history: 0 });
    assert.equal(paused.event!.status, 'paused');
    assert.equal(paused.event!.iterations.length, 2);
    assert.equal(paused.connector.enabled, false);
    const resumed = await buildScenario({ status: 'resumed', items: 1_200, iterations: 2, pending: 900, history: 0 });
    assert.equal(resumed.event!.status, 'in_progress');
    assert.equal(resumed.event!.pausedAt.length, 1);
    assert.equal(resumed.event!.resumedAt.length, 1);
    assert.ok(resumed.held);
  });

  it('error: the store refused the connection, in its words and with what to check', async () => {
    const s = await buildScenario({ status: 'error', connectError: 'auth', history: 0 });
    assert.equal(s.event!.status, 'error');
    assert.equal(s.event!.generalErrors[0]!.code, 'auth');
    assert.match(s.event!.generalErrors[0]!.message, /Invalid API key or access token.*credentials/);
  });

  it('none: the changes wait in the queue, no event', async () => {
    const s = await buildScenario({ status: 'none', items: 300 });
    assert.equal(s.event, undefined);
    assert.equal((await s.source.queryItems({ status: 'pending' })).total, 300);
  });
});
