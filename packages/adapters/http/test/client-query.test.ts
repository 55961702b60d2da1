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
