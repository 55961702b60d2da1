import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { logsToCsv, type LogEntry } from '@shopsync/core';
import { canonicalJson, redactSecrets, remoteText, stableHash } from '@shopsync/core/internal';
import { csvCell } from '../src/logs/export.js';

describe('stable hash', () => {
  it('ignores key order at every depth, and changes with any value', () => {
    assert.equal(stableHash({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }), stableHash({ b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
    assert.notEqual(stableHash({ a: 1 }), stableHash({ a: 2 }));
    assert.notEqual(stableHash([1, 2]), stableHash([2, 1]));
    assert.equal(stableHash({ a: 1, b: undefined }), stableHash({ a: 1 }));
    assert.match(stableHash('x'), /^[0-9a-f]{64}$/);
  });

  it('canonical JSON parses back to the same data (1,000 runs)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        assert.deepEqual(JSON.parse(canonicalJson(v)), JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('log export', () => {
  it('CSV quotes what needs quoting and keeps formulas as text', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('=1+1'), "'=1+1");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell(undefined), '');
    const entry: LogEntry = { v: 1, at: '2026-01-01T00:00:00.000Z', level: 'error', eventId: 'e', iteration: 2, entity: 'product', ref: 'SKU,1', message: 'bad' };
    assert.equal(logsToCsv([entry]), 'at,level,eventId,iteration,entity,ref,code,message\r\n2026-01-01T00:00:00.000Z,error,e,2,product,"SKU,1",,bad\r\n');
  });
});

describe('secret redaction', () => {
  it('scrubs Shopify tokens, token headers, bearer tokens and named secrets', () => {
    const token = 'shpat_0123456789abcdef0123456789abcdef';
    assert.equal(redactSecrets(`failed with ${token}.`), 'failed with [REDACTED].');
    assert.equal(redactSecrets('X-Shopify-Access-Token: abc123secret'), 'X-Shopify-Access-Token: [REDACTED]');
    assert.equal(redactSecrets('{"accessToken":"s3cr3t-value"}'), '{"accessToken":"[REDACTED]"}');
    assert.equal(redactSecrets('Authorization: Bearer abcdefgh12345678'), 'Authorization: Bearer [REDACTED]');
    assert.equal(redactSecrets('key=my-custom-secret', ['my-custom-secret']), 'key=[REDACTED]');
    assert.equal(redactSecrets('Handle has already been taken'), 'Handle has already been taken');
  });

  it('scrubs a token glued to other text', () => {
    const token = 'shpat_0123456789abcdef0123456789abcdef';
    assert.equal(redactSecrets(`key_${token}_live`), 'key_[REDACTED]_live');
    assert.equal(redactSecrets(`x${token}`), 'x[REDACTED]');
  });
});

describe('remote text', () => {
  it('keeps text up to the limit whole, and cuts longer text to the limit with "…"', () => {
    assert.equal(remoteText('a'.repeat(10_000)), 'a'.repeat(10_000));
    const cut = remoteText('a'.repeat(10_001));
    assert.equal(cut.length, 10_000);
    assert.ok(cut.endsWith('a…'));
    assert.equal(remoteText('abcdef', 4), 'abc…');
    assert.equal(remoteText('key hunter2-secret here', 100, ['hunter2-secret']), 'key [REDACTED] here', 'and the host\u2019s own secrets');
  });

  it('never cuts a surrogate pair in half', () => {
    const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
    for (let pad = 9_990; pad <= 10_000; pad++) {
      const text = remoteText('a'.repeat(pad) + '😀'.repeat(10));
      assert.ok(text.length <= 10_000, `${pad}: ${text.length}`);
      assert.ok(wellFormed(text), `${pad}: ends ${JSON.stringify(text.slice(-3))}`);
    }
    assert.equal(remoteText('ab😀cd', 4), 'ab…');
  });
});
