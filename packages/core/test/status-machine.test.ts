import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IllegalTransitionError } from '@shopsync/core';
import { RUN_STATES, STATUS_ACTIONS, canTransition, isTerminal, transition, type RunState, type StatusActionType } from '../src/status/machine.js';

const LEGAL: Array<[RunState, StatusActionType, RunState]> = [
  ['starting', 'connected', 'in_progress'],
  ['starting', 'connectFailed', 'error'],
  ['in_progress', 'drained', 'completed'],
  ['in_progress', 'disabled', 'paused'],
  ['in_progress', 'stopped', 'completed'],
  ['paused', 'enabled', 'in_progress'],
];

describe('status state machine', () => {
  for (const [from, action, to] of LEGAL) {
    it(`${from} --${action}--> ${to}`, () => {
      assert.equal(transition(from, { type: action }), to);
      assert.equal(canTransition(from, action), true);
    });
  }

  it('every other (state, action) pair throws IllegalTransitionError naming both', () => {
    let illegal = 0;
    for (const from of RUN_STATES) {
      for (const action of STATUS_ACTIONS) {
        if (LEGAL.some(([f, a]) => f === from && a === action)) continue;
        illegal++;
        assert.equal(canTransition(from, action), false);
        assert.throws(
          () => transition(from, { type: action }),
          (err: unknown) => err instanceof IllegalTransitionError && err.from === from && err.action === action && err.message.includes(from),
        );
      }
    }
    assert.equal(illegal, RUN_STATES.length * STATUS_ACTIONS.length - LEGAL.length);
  });

  it('completed and error are terminal; paused is not', () => {
    assert.equal(isTerminal('completed'), true);
    assert.equal(isTerminal('error'), true);
    assert.equal(isTerminal('paused'), false);
    assert.equal(isTerminal('in_progress'), false);
  });
});
