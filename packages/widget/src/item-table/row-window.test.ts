// The virtualized item list's arithmetic, alone (Node).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowWindow } from './row-window.js';

describe('rowWindow', () => {
  it('the rows in view and the overscan on either side, within the list', () => {
    assert.deepEqual(rowWindow(100_000, 50, 0, 400, 4), { first: 0, last: 11 });
    assert.deepEqual(rowWindow(100_000, 50, 2_500_000, 400, 4), { first: 49_996, last: 50_011 });
    assert.deepEqual(rowWindow(100_000, 50, 5_000_000 - 400, 400, 4), { first: 99_988, last: 99_999 });
  });

  it('a row partly in view is rendered', () => {
    assert.deepEqual(rowWindow(10, 50, 25, 50, 0), { first: 0, last: 1 });
  });

  it('no row when the list is empty or rows have no height yet; at least one while hidden (no height)', () => {
    assert.deepEqual(rowWindow(0, 50, 0, 400), { first: 0, last: -1 });
    assert.deepEqual(rowWindow(10, 0, 0, 400), { first: 0, last: -1 });
    assert.deepEqual(rowWindow(10, 50, 0, 0, 0), { first: 0, last: 0 });
  });

  it('a scroll position past the end (the list got shorter) keeps the window in the list', () => {
    assert.deepEqual(rowWindow(10, 50, 10_000, 400, 2), { first: 9, last: 9 });
  });
});
