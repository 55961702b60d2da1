import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messagesFor, payloadOf, MAX_ERROR_MESSAGE, MAX_GENERAL_ERRORS } from '../../src/webhooks/messages.js';
import { counts, iteration, syncEvent } from './fixtures.js';

const it1 = iteration(1, counts(2, 10, 30), counts(0, 0, 0));
const it2 = iteration(2, counts(0, 5, 7), counts(0, 1, 2));
const ended = '2026-12-01T10:05:00.000Z';

test('a completed run maps to sync.completed with the event summarized', () => {
  const event = syncEvent({
    status: 'completed',
    endedAt: ended,
    pending: counts(0, 3, 0),
    iterations: [it1, it2],
    logsAvailable: true,
    generalErrors: [{ at: ended, code: 'language', message: 'French is not enabled.', severity: 'warning', httpStatus: 200, iteration: 2 }],
  });
  const messages = messagesFor({ kind: 'statusChanged', connectorId: 'acme', event });
  assert.deepEqual(messages, [
    {
      type: 'sync.completed',
      timestamp: ended,
      data: {
        connectorId: 'acme',
        eventId: 'evt_1',
        status: 'completed',
        trigger: 'changes',
        startedAt: '2026-12-01T10:00:00.000Z',
        endedAt: ended,
        pending: counts(0, 3, 0),
        synced: counts(2, 15, 37),
        failed: counts(0, 1, 2),
        generalErrors: [{ code: 'language', message: 'French is not enabled.', severity: 'warning' }],
      },
    },
  ]);
});

test('a run in status error maps to sync.failed, with its general errors as code and message only', () => {
  const event = syncEvent({ status: 'error', endedAt: ended, generalErrors: [{ at: ended, code: 'auth', message: 'The store refused the token.', httpStatus: 401 }] });
  const [message, ...rest] = messagesFor({ kind: 'statusChanged', connectorId: 'acme', event });
  assert.equal(rest.length, 0);
  assert.equal(message?.type, 'sync.failed');
  assert.equal(message?.timestamp, ended);
  assert.deepEqual(message?.data.generalErrors, [{ code: 'auth', message: 'The store refused the token.' }]);
  assert.equal(message?.data.endedAt, ended);
});

test('a paused run maps to sync.paused at its latest pause, without an end', () => {
  const event = syncEvent({ status: 'paused', pausedAt: ['2026-12-01T10:01:00.000Z', '2026-12-01T10:03:00.000Z'], resumedAt: ['2026-12-01T10:02:00.000Z'] });
  const [message] = messagesFor({ kind: 'statusChanged', connectorId: 'acme', event });
  assert.equal(message?.type, 'sync.paused');
  assert.equal(message?.timestamp, '2026-12-01T10:03:00.000Z');
  assert.equal(message?.data.status, 'paused');
  assert.equal('endedAt' in (message?.data ?? {}), false);
});

test('a run in progress maps to no message', () => {
  assert.deepEqual(messagesFor({ kind: 'statusChanged', connectorId: 'acme', event: syncEvent() }), []);
});

test('an iteration without failures maps to no message', () => {
  const event = syncEvent({ iterations: [it1] });
  assert.deepEqual(messagesFor({ kind: 'iterationCompleted', connectorId: 'acme', event, iteration: it1 }), []);
});

test('an iteration with failed items maps to items.failed with its failed counts', () => {
  const event = syncEvent({ iterations: [it1, it2], pending: counts(0, 4, 0) });
  const messages = messagesFor({ kind: 'iterationCompleted', connectorId: 'acme', event, iteration: it2 });
  assert.equal(messages.length, 1);
  const [message] = messages;
  assert.equal(message?.type, 'items.failed');
  assert.equal(message?.timestamp, it2.endedAt);
  assert.deepEqual(message?.data.iteration, { index: 2, startedAt: it2.startedAt, endedAt: it2.endedAt, failed: counts(0, 1, 2) });
  assert.equal(message?.data.status, 'in_progress');
  assert.deepEqual(message?.data.synced, counts(2, 15, 37));
  assert.deepEqual(message?.data.failed, counts(0, 1, 2));
});

test('an iteration missing from the event snapshot is counted once all the same', () => {
  const event = syncEvent({ iterations: [it1] });
  const [message] = messagesFor({ kind: 'iterationCompleted', connectorId: 'acme', event, iteration: it2 });
  assert.deepEqual(message?.data.synced, counts(2, 15, 37));
  assert.deepEqual(message?.data.failed, counts(0, 1, 2));
});

test('the payload is small: general errors are bounded in number and length', () => {
  const generalErrors = Array.from({ length: 50 }, (_, i) => ({ at: ended, code: 'server_error' as const, message: `${i}:${'x'.repeat(9_000)}` }));
  const event = syncEvent({ status: 'error', endedAt: ended, generalErrors });
  const [message] = messagesFor({ kind: 'statusChanged', connectorId: 'acme', event });
  const errors = message?.data.generalErrors ?? [];
  assert.equal(errors.length, MAX_GENERAL_ERRORS);
  assert.ok(errors[0]?.message.startsWith('30:'), 'the most recent errors are kept');
  assert.ok(errors.every((e) => e.message.length <= MAX_ERROR_MESSAGE));
  assert.ok(payloadOf(message!).length < 20_000);
});

test('payloadOf is minified JSON with type, timestamp and data, in that order', () => {
  const event = syncEvent({ status: 'completed', endedAt: ended });
  const [message] = messagesFor({ kind: 'statusChanged', connectorId: 'acme', event });
  const payload = payloadOf(message!);
  assert.match(payload, /^\{"type":"sync\.completed","timestamp":"2026-12-01T10:05:00\.000Z","data":\{"connectorId":"acme",/);
  assert.deepEqual(Object.keys(JSON.parse(payload)), ['type', 'timestamp', 'data']);
  // Nothing of the configuration (shop domain, …) travels.
  assert.equal(payload.includes('myshopify'), false);
});
