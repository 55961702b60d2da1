import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assessApiVersion, latestStableVersion } from '@shopsync/core';

const at = (iso: string) => new Date(iso);

describe('Shopify API-version policy', () => {
  it('a version is supported from its release, 17:00 UTC on the first of its month', () => {
    assert.equal(assessApiVersion('2026-01', at('2026-01-01T16:59:59.999Z')).status, 'unknown');
    const a = assessApiVersion('2026-01', at('2026-01-01T17:00:00.000Z'));
    assert.equal(a.status, 'supported');
    assert.equal(a.supportEndsAt, '2027-01-01T17:00:00.000Z');
    assert.equal(a.endsSoon, false);
  });

  it('support ends exactly twelve months after release; from then on it is deprecated', () => {
    const before = assessApiVersion('2025-10', at('2026-10-01T16:59:59.999Z'));
    assert.equal(before.status, 'supported');
    assert.equal(before.endsSoon, true);
    assert.equal(before.daysLeft, 0);
    const after = assessApiVersion('2025-10', at('2026-10-01T17:00:00.000Z'));
    assert.equal(after.status, 'deprecated');
    assert.equal(after.supportEndsAt, '2026-10-01T17:00:00.000Z');
    assert.match(after.reason, /no longer supported/);
  });

  it('warns within 90 days of the end of support, and not a moment earlier', () => {
    // 2026-04 support ends 2027-04-01T17:00Z; 90 days before is 2027-01-01T17:00Z.
    assert.equal(assessApiVersion('2026-04', at('2027-01-01T16:59:59.999Z')).endsSoon, false);
    const soon = assessApiVersion('2026-04', at('2027-01-01T17:00:00.000Z'));
    assert.equal(soon.endsSoon, true);
    assert.equal(soon.daysLeft, 90);
    assert.match(soon.reason, /update the connector before/);
    assert.equal(assessApiVersion('2026-04', at('2026-12-01T00:00:00Z'), 180).endsSoon, true);
  });

  it('versions off the quarterly calendar are unknown', () => {
    for (const v of ['2025-02', 'unstable', '2025-13', '25-01']) {
      const a = assessApiVersion(v, at('2026-11-29T00:00:00Z'));
      assert.equal(a.status, 'unknown', v);
      assert.equal(a.endsSoon, false);
    }
  });

  it('on 2026-11-29, 2025-01 is deprecated and 2026-01 ends within 90 days', () => {
    const today = at('2026-11-29T12:00:00Z');
    assert.equal(assessApiVersion('2025-01', today).status, 'deprecated');
    const jan = assessApiVersion('2026-01', today);
    assert.equal(jan.status, 'supported');
    assert.equal(jan.endsSoon, true);
    assert.equal(assessApiVersion('2026-10', today).endsSoon, false);
  });

  it('knows the newest stable version at a date, across a year boundary', () => {
    assert.equal(latestStableVersion(at('2026-11-29T00:00:00Z')), '2026-10');
    assert.equal(latestStableVersion(at('2026-01-01T16:00:00Z')), '2025-10');
    assert.equal(latestStableVersion(at('2026-01-01T17:00:00Z')), '2026-01');
  });
});
