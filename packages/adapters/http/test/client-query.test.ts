// HttpSyncSource keeps the base URL's query parameters (an embed token in a panel's `src`) on
// every request and on the stream, beside its own parameters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpSyncSource } from '@shopsync/http/client';

describe('HttpSyncSource: the base URL query', () => {
  it('goes along with every read, action and the stream, and the path stays clean', async () => {
    const asked: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      asked.push(String(input));
      return new Response(JSON.stringify({ total: 0, items: [] }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const opened: string[] = [];
    class FakeEventSource {
      readyState = 0;
      constructor(url: string) {
        opened.push(url);
      }
      addEventListener(): void {}
      close(): void {}
    }
    const source = new HttpSyncSource({
      url: 'https://sync.example.com/v1/connectors/c1/sync/?token=abc.def&x=1#frag',
      connectorId: 'c1',
      fetch: fakeFetch,
      EventSource: FakeEventSource as unknown as typeof EventSource,
      openTimeoutMs: 10,
    });
    assert.equal(source.url, 'https://sync.example.com/v1/connectors/c1/sync');
    await source.listEvents({ limit: 5 });
    await source.queryItems({ ref: 'SKU 1' });
    assert.equal(asked[0], 'https://sync.example.com/v1/connectors/c1/sync/events?token=abc.def&x=1&limit=5');
    assert.match(asked[1]!, /^https:\/\/sync\.example\.com\/v1\/connectors\/c1\/sync\/items\?token=abc\.def&x=1&ref=SKU\+1/);
    const unsubscribe = source.subscribe(() => undefined);
    assert.equal(opened[0], 'https://sync.example.com/v1/connectors/c1/sync/stream?token=abc.def&x=1');
    unsubscribe();
    source.close();
  });
});

describe('HttpSyncSource: errors from a server in front of the handler', () => {
  it('reads RFC 9457 problem details (detail, code, errors) as well as its own error body', async () => {
    const answers = [
      new Response(JSON.stringify({ type: 'https://shopsync.dev/problems/forbidden', title: 'Not allowed', status: 403, code: 'forbidden', detail: 'This embed token allows reading only.' }), { status: 403, headers: { 'Content-Type': 'application/problem+json' } }),
      new Response(JSON.stringify({ error: { code: 'invalid_input', message: 'Invalid query', issues: [{ path: 'query.limit', message: 'expected 1 to 1000' }] } }), { status: 400 }),
      new Response('gateway down', { status: 502, statusText: 'Bad Gateway' }),
    ];
    const source = new HttpSyncSource({ url: 'https://sync.example.com/sync', connectorId: 'c1', fetch: async () => answers.shift()!, EventSource: undefined as unknown as typeof EventSource });
    await assert.rejects(source.setEnabled(false), { status: 403, code: 'forbidden', message: 'This embed token allows reading only.' });
    await assert.rejects(source.listEvents(), (e: { code: string; issues: Array<{ path: string }> }) => e.code === 'invalid_input' && e.issues[0]?.path === 'query.limit');
    await assert.rejects(source.listEvents(), { status: 502, code: 'http_502', message: 'The server answered 502 Bad Gateway.' });
    source.close();
  });
});
